import { type Endpoint, isIp, isSubject } from '@weft/protocol';

/** What diagnose was asked about: `ns/name` (pod, workload or service), an IP, or `ip:port`. */
export type Subject =
  | { kind: 'name'; namespace: string; name: string; text: string }
  | { kind: 'ip'; ip: string; port: number | null; text: string };

export function parseSubject(s: string): Subject | null {
  const v = s.trim();
  if (!isSubject(v)) return null;
  if (isIp(v)) return { kind: 'ip', ip: v, port: null, text: v };
  const v6 = /^\[([0-9a-f:]+)\]:(\d{1,5})$/i.exec(v);
  if (v6) return { kind: 'ip', ip: v6[1]!, port: Number(v6[2]), text: v };
  const v4 = /^([\d.]+):(\d{1,5})$/.exec(v);
  if (v4) return { kind: 'ip', ip: v4[1]!, port: Number(v4[2]), text: v };
  const i = v.indexOf('/');
  return { kind: 'name', namespace: v.slice(0, i), name: v.slice(i + 1), text: v };
}

/** A pod, a workload's pods, a service's backends (pods it selects) or the service's ClusterIP. */
export function endpointIs(e: Endpoint, s: Subject): boolean {
  if (s.kind === 'ip') return e.ip === s.ip;
  if (e.namespace !== s.namespace) return false;
  return e.name === s.name || e.workload === s.name || e.service === s.name;
}
