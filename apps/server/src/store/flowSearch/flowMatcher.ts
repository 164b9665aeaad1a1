import { BlockList } from 'node:net';
import {
  type Endpoint,
  type FilterState,
  FLOW_DIRECTIONS,
  type FlowSearch,
  type IpFilter,
  L4_PROTOS,
  parseNodeId,
} from '@weft/protocol';
import { endpointIs, parseSubject, type Subject } from '../../diagnose/subject.js';
import { edgeEndMatcher, endpointMatches, focusEdge } from '../match.js';

/** What one endpoint satisfies, as bits: an endpoint is tested once per search, its rows by these bits. */
const NS = 1;
const POD = 2;
const WL = 4;
const SVC = 8;
const IP = 16;
const NODE = 32;
const TEXT = 64;
const SRC = 128;
const DST = 256;
const FOCUS_A = 512;
const FOCUS_B = 1024;

/**
 * The shared filter and the flow search's own filters, split in two: what depends on an endpoint alone
 * (`endpointBits`, the costly string tests, done once per endpoint and remembered by the caller) and
 * what a row adds (ports, protocol, verdict, flags: numbers and short strings, `rowMatches`). `either`
 * filters keep a row when either end matches, as the map's filter does; src/dst subjects hold one end.
 */
export class FlowMatcher {
  /** No endpoint test at all: the caller may skip working out bits. */
  readonly endpointFree: boolean;
  /** Nothing for rowMatches to test: the caller may skip it. */
  readonly rowFree: boolean;
  /** Bits that either end must supply (namespace, pod, workload, service, address). */
  private readonly either: number;
  private readonly tests: { bit: number; test: (e: Endpoint) => boolean }[] = [];
  private readonly focus: 'none' | 'node' | 'edge';
  private readonly hasSrc: boolean;
  private readonly hasDst: boolean;
  private readonly srcPort: number | null;
  private readonly dstPort: number | null;
  private readonly node: string;
  private readonly q: string;
  readonly port: number | null;
  /** Protocol as the row names it, and as the packed column's index (-1: any). */
  readonly proto: string;
  readonly protoCode: number;
  readonly dir: string;
  readonly dirCode: number;
  readonly verdict: string;
  readonly reason: string;
  readonly flags: number;

  constructor(f: FilterState, s: FlowSearch) {
    const add = (bit: number, test: (e: Endpoint) => boolean) => this.tests.push({ bit, test });
    let either = 0;
    if (f.namespace.length > 0) {
      const ns = new Set(f.namespace);
      add(NS, (e) => ns.has(e.namespace));
      either |= NS;
    }
    if (f.pod) {
      add(POD, (e) => endpointMatches(e, 'pod', f.pod));
      either |= POD;
    }
    if (f.workload) {
      add(WL, (e) => endpointMatches(e, 'wl', f.workload));
      either |= WL;
    }
    if (s.service) {
      const [ns, name] = s.service.split('/') as [string, string];
      add(SVC, (e) => e.namespace === ns && e.service === name);
      either |= SVC;
    }
    if (s.ip) {
      add(IP, ipTest(s.ip));
      either |= IP;
    }
    this.either = either;
    this.node = s.node;
    if (s.node) add(NODE, (e) => e.node === s.node);
    this.q = f.q.toLowerCase();
    if (this.q) add(TEXT, (e) => endpointHasText(e, this.q));
    const src = f.src ? parseSubject(f.src) : null;
    const dst = f.dst ? parseSubject(f.dst) : null;
    this.hasSrc = src !== null;
    this.hasDst = dst !== null;
    this.srcPort = src?.kind === 'ip' ? src.port : null;
    this.dstPort = dst?.kind === 'ip' ? dst.port : null;
    if (src) add(SRC, subjectTest(src));
    if (dst) add(DST, subjectTest(dst));
    const edge = focusEdge(f.focus);
    this.focus = edge ? 'edge' : f.focus ? 'node' : 'none';
    if (edge) {
      add(FOCUS_A, edgeEndMatcher(edge[0]));
      add(FOCUS_B, edgeEndMatcher(edge[1]));
    } else if (f.focus) {
      const n = parseNodeId(f.focus);
      // parseFilter lets through ns:, wl:, pod: and node: foci only.
      if (n && (n.kind === 'ns' || n.kind === 'wl' || n.kind === 'pod' || n.kind === 'node')) {
        const value = n.kind === 'wl' || n.kind === 'pod' ? `${n.namespace}/${n.name}` : n.name;
        const kind = n.kind;
        add(FOCUS_A, (e) => endpointMatches(e, kind, value));
      }
    }
    this.endpointFree = this.tests.length === 0;
    this.port = f.port;
    this.rowFree = this.endpointFree && this.port === null && this.srcPort === null && this.dstPort === null;
    this.proto = f.protocol;
    this.protoCode = f.protocol ? (L4_PROTOS as readonly string[]).indexOf(f.protocol) : -1;
    this.dir = s.dir;
    this.dirCode = s.dir ? (FLOW_DIRECTIONS as readonly string[]).indexOf(s.dir) : -1;
    this.verdict = f.verdict;
    this.reason = f.reason;
    this.flags = s.flags;
  }

  endpointBits(e: Endpoint): number {
    let bits = 0;
    for (const t of this.tests) if (t.test(e)) bits |= t.bit;
    return bits;
  }

  /**
   * Whether free text finds the row's own words (verdict, reason, the observing node, protocol, DNS
   * name): each tested alone, so a caller can work a source's or a protocol's answer out once.
   */
  get hasText(): boolean {
    return this.q !== '';
  }

  textIn(word: string): boolean {
    return this.q !== '' && word.toLowerCase().includes(this.q);
  }

  /**
   * The rest of a row, the endpoints' bits given: ports, and what is tested by endpoint (`textHit`: the
   * row's own words hold the free text, textIn). Protocol, direction, verdict, reason and flags are the
   * caller's (they are columns in a packed batch).
   */
  rowMatches(a: number, b: number, sport: number, dport: number, node: string, textHit: boolean): boolean {
    if (this.port !== null && sport !== this.port && dport !== this.port) return false;
    if (this.srcPort !== null && sport !== this.srcPort) return false;
    if (this.dstPort !== null && dport !== this.dstPort) return false;
    if (this.endpointFree) return true;
    const u = a | b;
    if ((u & this.either) !== this.either) return false;
    if (this.hasSrc && (a & SRC) === 0) return false;
    if (this.hasDst && (b & DST) === 0) return false;
    if (this.focus === 'edge' && ((a & FOCUS_A) === 0 || (b & FOCUS_B) === 0)) return false;
    if (this.focus === 'node' && (u & FOCUS_A) === 0) return false;
    if (this.node && (u & NODE) === 0 && node !== this.node) return false;
    if (this.q && (u & TEXT) === 0 && !textHit) return false;
    return true;
  }
}

/**
 * Free text (`q`, lower case) on an endpoint: its names, address, node and kind, field by field (a search
 * tests every endpoint of every connection's table; joining the fields into one string was most of it).
 */
function endpointHasText(e: Endpoint, q: string): boolean {
  // Kubernetes names (RFC 1123) and the collector's addresses are lower case: no copy is lowered.
  if (
    e.namespace.includes(q) ||
    e.name.includes(q) ||
    e.workload.includes(q) ||
    e.service.includes(q) ||
    e.ip.includes(q) ||
    e.node.includes(q) ||
    e.kind.includes(q)
  )
    return true;
  // Only text across fields can still match: `namespace/name`.
  return q.includes('/') && `${e.namespace}/${e.name}`.includes(q);
}

/**
 * A src/dst subject as one end of a row: diagnose's reading of it (endpointIs), where a bare label is a
 * namespace or a node, and a DNS name is the service it names (flow rows carry no names yet).
 */
function subjectTest(s: Subject): (e: Endpoint) => boolean {
  if (s.kind === 'bare') return (e) => e.namespace === s.label || e.node === s.label;
  return (e) => endpointIs(e, s);
}

function ipTest(ip: IpFilter): (e: Endpoint) => boolean {
  const list = new BlockList();
  list.addSubnet(ip.address, ip.prefix, ip.family);
  return (e) => {
    if (e.ip === '') return false;
    try {
      return list.check(e.ip, e.ip.includes(':') ? 'ipv6' : 'ipv4');
    } catch {
      // An address a collector sent that node:net cannot read is no address of the network.
      return false;
    }
  };
}
