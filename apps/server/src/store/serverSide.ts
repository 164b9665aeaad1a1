/**
 * Which end of a conversation is the server. Replies are folded into the client -> server edge so the
 * map reads like the seed's ("frontend -> api 80/TCP"). Ports learned from TCP connects and DNS answers
 * decide first; then a bare SYN (the client's first packet); then the lower port, since clients use
 * ephemeral ports. Endpoints are the interner's ids.
 */
export const TCP_SYN = 0x02;
export const TCP_ACK = 0x10;

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

/** A bounded set of learned (endpoint, port) service ports (oldest forgotten first). */
export class LearnedPorts implements ServicePorts {
  private readonly ports = new Set<number>();
  constructor(private readonly max = 100_000) {}

  has(endpoint: number, port: number): boolean {
    return this.ports.has(endpoint * 65536 + port);
  }

  learn(endpoint: number, port: number): void {
    const key = endpoint * 65536 + port;
    if (this.ports.has(key)) return;
    if (this.ports.size >= this.max) {
      const oldest = this.ports.values().next().value;
      if (oldest !== undefined) this.ports.delete(oldest);
    }
    this.ports.add(key);
  }

  get size(): number {
    return this.ports.size;
  }
}
