import { createSocket, type Socket } from 'node:dgram';
import type { DnsConfig } from './agentConfig.js';
import type { DnsFaultRule } from './agentFaults.js';
import { answerDns, type DnsBehaviour, normalizeName } from './dnsAnswer.js';

export interface DnsStats {
  queries: number;
  byRcode: Record<string, number>;
  delayed: number;
  ignored: number;
}

/** Answers may be held back (slow DNS); this bounds how many wait at once so memory stays flat. */
const MAX_DELAYED = 2000;

export class DnsServer {
  readonly stats: DnsStats = { queries: 0, byRcode: {}, delayed: 0, ignored: 0 };
  private readonly behaviour: DnsBehaviour;
  private sock: Socket | null = null;
  private seq = 0;
  private waiting = new Set<NodeJS.Timeout>();

  constructor(cfg: DnsConfig) {
    this.behaviour = {
      zone: new Map(cfg.zone.map((e) => [normalizeName(e.name), e])),
      faults: [],
      slowEvery: cfg.slowEvery,
      slowMs: cfg.slowMs,
      ttl: cfg.ttl,
    };
  }

  setFaults(faults: DnsFaultRule[]): void {
    this.behaviour.faults = faults;
  }

  listen(port = 53): Promise<void> {
    return new Promise((resolve, reject) => {
      const sock = createSocket({ type: 'udp6', ipv6Only: false });
      this.sock = sock;
      sock.once('error', reject);
      sock.on('message', (msg, rinfo) => {
        this.stats.queries++;
        const d = answerDns(msg, this.behaviour, this.seq++);
        if (!d.response || !d.rcode) {
          this.stats.ignored++;
          return;
        }
        this.stats.byRcode[d.rcode] = (this.stats.byRcode[d.rcode] ?? 0) + 1;
        const send = () => sock.send(d.response!, rinfo.port, rinfo.address);
        if (d.delayMs <= 0) {
          send();
          return;
        }
        if (this.waiting.size >= MAX_DELAYED) {
          this.stats.ignored++;
          return;
        }
        this.stats.delayed++;
        const t = setTimeout(() => {
          this.waiting.delete(t);
          send();
        }, d.delayMs);
        this.waiting.add(t);
      });
      sock.bind({ port, address: '::' }, () => {
        sock.off('error', reject);
        sock.on('error', () => {});
        resolve();
      });
    });
  }

  close(): void {
    for (const t of this.waiting) clearTimeout(t);
    this.waiting.clear();
    this.sock?.close();
    this.sock = null;
  }
}
