import { isIP } from 'node:net';
import type { GeneratorConfig } from './agentConfig.js';
import { resolveName } from './labResolver.js';
import { httpExchange, kvExchange } from './requests.js';
import { scheduleStep } from './schedule.js';

export interface GeneratorStats {
  name: string;
  ratePerSec: number;
  startedAt: number;
  /** Requests started (after resolution). */
  sent: number;
  ok: number;
  failed: number;
  /** Lookups that did not give an address (NXDOMAIN, SERVFAIL, timeout). */
  dnsFailed: number;
  lookups: number;
  skipped: number;
  bytesOut: number;
  bytesIn: number;
  inflight: number;
  /** Bounded: the last error message only. */
  lastError: string;
}

const MAX_INFLIGHT = 256;

/** Sends a GeneratorConfig's traffic at its steady rate until stopped. */
export class Generator {
  readonly stats: GeneratorStats;
  private timer: NodeJS.Timeout | null = null;
  private fired = 0;
  private rr = 0;
  private readonly start = Date.now();

  constructor(
    readonly cfg: GeneratorConfig,
    private readonly dnsServer: string | null,
  ) {
    this.stats = {
      name: cfg.name,
      ratePerSec: cfg.ratePerSec,
      startedAt: this.start,
      sent: 0,
      ok: 0,
      failed: 0,
      dnsFailed: 0,
      lookups: 0,
      skipped: 0,
      bytesOut: 0,
      bytesIn: 0,
      inflight: 0,
      lastError: '',
    };
  }

  run(): void {
    const tick = () => {
      const step = scheduleStep(Date.now() - this.start, this.cfg.ratePerSec, this.fired);
      this.fired = step.due;
      this.stats.skipped += step.skipped;
      for (let i = 0; i < step.fire; i++) this.once();
      this.timer = setTimeout(tick, Math.max(1, this.start + step.nextAtMs - Date.now()));
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fail(err: unknown): void {
    this.stats.failed++;
    this.stats.lastError = String((err as Error)?.message ?? err).slice(0, 200);
  }

  private async addresses(): Promise<string[] | null> {
    const host = this.cfg.host;
    if (isIP(host)) return [host];
    if (!this.dnsServer) return null;
    this.stats.lookups++;
    const r = await resolveName(this.dnsServer, host);
    const list = this.cfg.family === 6 ? r.aaaa : r.a;
    if (r.rcode !== 'NOERROR' || list.length === 0) {
      this.stats.dnsFailed++;
      this.stats.lastError = `lookup ${host}: ${r.rcode}`;
      return null;
    }
    return list;
  }

  private once(): void {
    if (this.stats.inflight >= MAX_INFLIGHT) {
      this.stats.skipped++;
      return;
    }
    this.stats.inflight++;
    this.exchange()
      .catch((err) => this.fail(err))
      .finally(() => {
        this.stats.inflight--;
      });
  }

  private async exchange(): Promise<void> {
    const ips = await this.addresses();
    if (this.cfg.kind === 'lookup' || !ips) return;
    const targets = this.cfg.fanout === 'all' ? ips : [ips[this.rr++ % ips.length]!];
    const send = this.cfg.kind === 'kv' ? kvExchange : httpExchange;
    await Promise.all(
      targets.map(async (ip) => {
        this.stats.sent++;
        try {
          const x = await send(ip, this.cfg.port, this.cfg.requestBytes, this.cfg.responseBytes);
          this.stats.ok++;
          this.stats.bytesOut += x.bytesOut;
          this.stats.bytesIn += x.bytesIn;
        } catch (err) {
          this.fail(err);
        }
      }),
    );
  }
}
