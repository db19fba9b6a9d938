// Runs the real CLI as a child process (through tsx, as `npm run smf-agent` does).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'agent/cli/main.ts');

export interface AgentProcess {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Resolves once the agent logged "agent started" (its signal handlers are installed then);
   * rejects if it exits first. Send SIGTERM only after this: before it, Node may still be loading
   * modules and the default action would kill it.
   */
  ready: () => Promise<void>;
}

/** Every agent a test started; killed when the test worker exits, so a failed test leaves none running. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): AgentProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = async () => {
    const deadline = Date.now() + 60_000;
    while (!err.includes('agent started')) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`agent exited before it started: ${err.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`agent did not start within 60 s: ${err.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, stderr: () => err, exited, ready };
}

/** Runs the CLI to completion; resolves with exit code, stdout and stderr. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(input ?? '');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, stdout: out, stderr: err };
}

export function tempDir(prefix = 'smf-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a YAML config into `dir` and returns its path. */
export function writeConfig(dir: string, config: Record<string, unknown>): string {
  const path = join(dir, 'agent.yaml');
  writeFileSync(path, stringify(config));
  return path;
}
