/**
 * Which end of a conversation is the server. Replies are folded into the client -> server edge so the
 * map reads like the seed's ("frontend -> api 80/TCP"). Ports learned from TCP connects and DNS answers
 * decide first; then a bare SYN (the client's first packet); then the lower port, since clients use
 * ephemeral ports.
 */
export const TCP_SYN = 0x02;
export const TCP_ACK = 0x10;

export interface ServicePorts {
  has(key: string): boolean;
}

export function servicePortKey(ip: string, port: number): string {
  return `${ip}:${port}`;
}

export function srcIsClient(
  ports: ServicePorts,
  srcIp: string,
  sport: number,
  dstIp: string,
  dport: number,
  proto: string,
  tcpFlags: number,
): boolean {
  if (proto !== 'tcp' && proto !== 'udp') return true;
  if (ports.has(servicePortKey(dstIp, dport))) return true;
  if (ports.has(servicePortKey(srcIp, sport))) return false;
  if (proto === 'tcp' && tcpFlags & TCP_SYN) return !(tcpFlags & TCP_ACK) || dport <= sport;
  if (dport !== sport) return dport < sport;
  return true;
}

/** A bounded set of learned `ip:port` service ports (oldest forgotten first). */
export class LearnedPorts implements ServicePorts {
  private readonly ports = new Set<string>();
  constructor(private readonly max = 100_000) {}

  has(key: string): boolean {
    return this.ports.has(key);
  }

  learn(ip: string, port: number): void {
    const key = servicePortKey(ip, port);
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
