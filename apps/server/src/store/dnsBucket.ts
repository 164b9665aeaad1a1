import { Histogram } from './histogram.js';

/** Bound on distinct failing names remembered per slot (a scan must not grow memory). */
export const MAX_FAILING_NAMES = 32;
export const OTHER_NAMES = '(other names)';

/** One DNS client's queries during one time slot. */
export class DnsBucket {
  queries = 0;
  errors = 0;
  /** Response codes other than NOERROR (NOERROR = queries - the rest). */
  rcodes: Map<string, number> | null = null;
  latency = new Histogram();
  /** `qname\u001frcode` -> count, for failing answers only. */
  failing: Map<string, number> | null = null;

  constructor(public t: number) {}

  add(qname: string, rcode: string, latencyUs: number, n = 1): void {
    this.queries += n;
    if (rcode !== 'TIMEOUT') this.latency.add(latencyUs, n);
    if (rcode === 'NOERROR') return;
    this.errors += n;
    if (!this.rcodes) this.rcodes = new Map();
    this.rcodes.set(rcode, (this.rcodes.get(rcode) ?? 0) + n);
    if (!this.failing) this.failing = new Map();
    let key = `${qname}\u001f${rcode}`;
    if (!this.failing.has(key) && this.failing.size >= MAX_FAILING_NAMES)
      key = `${OTHER_NAMES}\u001f${rcode}`;
    this.failing.set(key, (this.failing.get(key) ?? 0) + n);
  }

  merge(o: DnsBucket): void {
    this.queries += o.queries;
    this.errors += o.errors;
    if (o.rcodes) {
      if (!this.rcodes) this.rcodes = new Map();
      for (const [k, v] of o.rcodes) this.rcodes.set(k, (this.rcodes.get(k) ?? 0) + v);
    }
    this.latency.merge(o.latency);
    if (o.failing) {
      if (!this.failing) this.failing = new Map();
      // Query-time merges are not bounded per slot: they are short-lived and sized by the window.
      for (const [k, v] of o.failing) this.failing.set(k, (this.failing.get(k) ?? 0) + v);
    }
  }
}
