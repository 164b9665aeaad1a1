import { TCP_ACK, TCP_SYN } from '@weft/protocol';

/**
 * Which end of a conversation is the server. Replies are folded into the client -> server edge so the
 * map reads like the seed's ("frontend -> api 80/TCP"). Ports learned from TCP connects and DNS answers
 * decide first; then a bare SYN (the client's first packet); then the lower port, since clients use
 * ephemeral ports. Endpoints are the interner's ids.
 */
export interface ServicePorts {
  has(endpoint: number, port: number): boolean;
}

export function srcIsClient(
  ports: ServicePorts,
  src: number,
  sport: number,
  dst: number,
  dport: number,
  proto: string,
  tcpFlags: number,
): boolean {
  if (proto !== 'tcp' && proto !== 'udp') return true;
  if (ports.has(dst, dport)) return true;
  if (ports.has(src, sport)) return false;
  if (proto === 'tcp' && tcpFlags & TCP_SYN) return !(tcpFlags & TCP_ACK) || dport <= sport;
  if (dport !== sport) return dport < sport;
  return true;
}

/**
 * A bounded set of learned (endpoint, port) service ports (oldest forgotten first). The order of
 * learning is kept in a ring beside the Set: taking the Set's first value after many deletions walks
 * every deleted entry before it (V8 keeps them until it rehashes), which made each learn() at the
 * bound cost up to a full scan, 200 ms a batch of 2,000 new pods.
 */
export class LearnedPorts implements ServicePorts {
  private readonly ports = new Set<number>();
  /** Keys in the order learned; at the bound, `next` is the oldest. */
  private readonly order: Float64Array;
  private next = 0;

  constructor(private readonly max = 100_000) {
    this.order = new Float64Array(max);
  }

  has(endpoint: number, port: number): boolean {
    return this.ports.has(endpoint * 65536 + port);
  }

  learn(endpoint: number, port: number): void {
    const key = endpoint * 65536 + port;
    if (this.ports.has(key)) return;
    if (this.ports.size >= this.max) this.ports.delete(this.order[this.next]!);
    this.order[this.next] = key;
    this.next = (this.next + 1) % this.max;
    this.ports.add(key);
  }

  /** The keys (endpoint * 65536 + port) in the order learned: a Set iterates in insertion order. */
  keys(): IterableIterator<number> {
    return this.ports.values();
  }

  get size(): number {
    return this.ports.size;
  }
}
