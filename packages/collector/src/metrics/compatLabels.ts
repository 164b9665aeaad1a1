import {
  type Endpoint,
  TCP_ACK,
  TCP_CWR,
  TCP_ECE,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  TCP_URG,
} from '@weft/protocol/core';
import type { MetricsLevel } from '../config.js';

/**
 * Label values as Hubble and Retina write them, so their Grafana dashboards match them unchanged.
 * Pure functions of a record's fields and the metrics level.
 */

/**
 * Hubble's `source` / `destination` with its workload-name context: `namespace/workload` for pods
 * (a bare pod is its own workload). At namespace level only the namespace, so no series names a pod;
 * outside the cluster (world, hosts) empty, as Hubble leaves it.
 */
export function hubbleEndpoint(e: Endpoint, level: MetricsLevel): string {
  if (e.kind !== 'pod' || e.namespace === '') return '';
  if (level === 'namespace') return e.namespace;
  return `${e.namespace}/${e.workload || e.name}`;
}

/** Hubble's DNS handler words for response codes (github.com/cilium/cilium pkg/hubble/metrics/dns). */
const HUBBLE_RCODE: Record<string, string> = {
  NOERROR: 'No Error',
  FORMERR: 'Format Error',
  SERVFAIL: 'Server Failure',
  NXDOMAIN: 'Non-Existent Domain',
  NOTIMP: 'Not Implemented',
  REFUSED: 'Query Refused',
  YXDOMAIN: 'Name Exists when it should not',
  YXRRSET: 'RR Set Exists when it should not',
  NXRRSET: 'RR Set that should exist does not',
  NOTAUTH: 'Server Not Authoritative for zone',
  NOTZONE: 'Name not contained in zone',
};

/** Retina's spelling of the same codes (its `return_code` label). */
const RETINA_RCODE: Record<string, string> = {
  NOERROR: 'NoError',
  FORMERR: 'FormErr',
  SERVFAIL: 'ServFail',
  NXDOMAIN: 'NXDomain',
  NOTIMP: 'NotImp',
  REFUSED: 'Refused',
  YXDOMAIN: 'YXDomain',
  YXRRSET: 'YXRRSet',
  NXRRSET: 'NXRRSet',
  NOTAUTH: 'NotAuth',
  NOTZONE: 'NotZone',
};

/** `rcode` is the seed's cleaned token (NOERROR, NXDOMAIN, ...); an unknown code keeps that token. */
export function hubbleRcode(rcode: string): string {
  return HUBBLE_RCODE[rcode] ?? rcode;
}

export function retinaRcode(rcode: string): string {
  return RETINA_RCODE[rcode] ?? rcode;
}

/**
 * Is this flow's SYN the server's answer (SYN-ACK) rather than the client's opening (SYN)? The probe ORs
 * a flow's flags over the interval, so a connection that opened and went on within it shows SYN and
 * ACK on the client's side too. A SYN without ACK is the client's; with ACK, the side sending from the
 * lower port is the server (its service port against the client's ephemeral one).
 */
function isSynAck(flags: number, sport: number, dport: number): boolean {
  return (flags & TCP_ACK) !== 0 && sport < dport;
}

/** Hubble's `flag` values for the flags it counts: the server's SYN-ACK, the client's SYN, FIN, RST. */
export function hubbleTcpFlags(flags: number, sport: number, dport: number): string[] {
  const out: string[] = [];
  if (flags & TCP_SYN) out.push(isSynAck(flags, sport, dport) ? 'SYN-ACK' : 'SYN');
  if (flags & TCP_FIN) out.push('FIN');
  if (flags & TCP_RST) out.push('RST');
  return out;
}

/** Retina's `flag` values of networkobservability_tcp_flag_counters (lower case, synack as one word). */
export function retinaTcpFlags(flags: number, sport: number, dport: number): string[] {
  const out: string[] = [];
  if (flags & TCP_SYN) out.push(isSynAck(flags, sport, dport) ? 'synack' : 'syn');
  else if (flags & TCP_ACK) out.push('ack');
  if (flags & TCP_FIN) out.push('fin');
  if (flags & TCP_RST) out.push('rst');
  if (flags & TCP_PSH) out.push('psh');
  if (flags & TCP_URG) out.push('urg');
  if (flags & TCP_ECE) out.push('ece');
  if (flags & TCP_CWR) out.push('cwr');
  return out;
}

/**
 * Retina's advanced pod-level labels for one end: pods by name (workload at workload level), anything
 * else `unknown`, which is what its dashboards filter on. The IP only at pod level, where each series
 * is one pod anyway; world addresses are not kept (one series per Internet address is unbounded).
 */
export function retinaEndpoint(
  e: Endpoint,
  level: MetricsLevel,
): { ip: string; namespace: string; podname: string; workload_kind: string; workload_name: string } {
  const pod = e.kind === 'pod';
  return {
    ip: level === 'pod' && e.kind !== 'world' ? e.ip : '',
    namespace: e.kind === 'pod' || e.kind === 'service' ? e.namespace : '',
    podname: pod ? (level === 'workload' ? e.workload || e.name : e.name) : 'unknown',
    workload_kind: pod ? e.workloadKind : '',
    workload_name: pod ? e.workload : '',
  };
}
