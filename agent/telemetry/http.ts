// The monitoring endpoint: Prometheus metrics and a health check, on loopback by default.
//   GET /metrics  Prometheus text format (prom-client registry of this agent)
//   GET /health   200 {"status":"ok",…} while the pipeline runs; 503 once it stops or halts
// It exposes counters and state only: no configuration, no credentials.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthSource {
  health(): { ok: boolean; details: Record<string, unknown> };
}

export class MonitoringServer {
  private server: Server | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly source: HealthSource,
  ) {}

  /** Listens; resolves with the bound port (0 picks a free one). */
  async start(host: string, port: number): Promise<number> {
    this.server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET') {
        res.writeHead(405).end();
      } else if (url === '/metrics') {
        this.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
          (err: Error) => res.writeHead(500).end(err.message),
        );
      } else if (url === '/health') {
        const h = this.source.health();
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: h.ok ? 'ok' : 'unavailable', ...h.details }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
