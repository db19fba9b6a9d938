// The syslog input: a network listener for syslog senders (z/OS SYSLOGD, zSecure Alert, BMC AMI
// Datastream, a relay). One folder, one file per concern:
//   config.ts    keys, defaults, validation (TLS files must exist)
//   framing.ts   RFC 6587 stream framing (newline, octet-counting, auto): pure, incremental
//   tcp.ts       TCP and TLS listener: per connection frames → sink, socket paused while it waits
//   udp.ts       UDP listener: one datagram = one message; spool.ts holds them while the sink waits
//   throttle.ts  rate limit for log lines about repeated events
// Network lines carry no position: ids are content hashes, and nothing is re-read after a
// restart. Delivery is as good as the transport: TCP/TLS push back, UDP spools then drops
// (counted).

import type { AgentContext } from '../../context.js';
import type { Input } from '../input.js';
import type { SyslogInputConfig } from './config.js';
import { SyslogStreamInput } from './tcp.js';
import { SyslogUdpInput } from './udp.js';

/** `dataDir` is agent.data_dir (the UDP spool's default home). */
export function createSyslogInput(config: SyslogInputConfig, ctx: AgentContext, dataDir: string): Input {
  return config.protocol === 'udp' ? new SyslogUdpInput(config, ctx, dataDir) : new SyslogStreamInput(config, ctx);
}
