import { boundedName, OTHER_NAME } from './boundedName.js';
import { Histogram } from './histogram.js';

/** Bound on distinct failing names remembered per slot (a scan must not grow memory). */
export const MAX_FAILING_NAMES = 32;
export const OTHER_NAMES = '(other names)';
/** Bound on distinct response codes per slot: the real ones are a handful, the rest go to OTHER_NAME. */
export const MAX_RCODES = 16;

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

  /** Names longer than MAX_NAME_LENGTH are cut there (the store passes them cut already). */
  add(qname: string, rcode: string, latencyUs: number, n = 1): void {
    this.queries += n;
    if (rcode !== 'TIMEOUT') this.latency.add(latencyUs, n);
    if (rcode === 'NOERROR') return;
    this.errors += n;
    if (!this.rcodes) this.rcodes = new Map();
    let code = boundedName(rcode);
    if (!this.rcodes.has(code) && this.rcodes.size >= MAX_RCODES) code = OTHER_NAME;
    this.rcodes.set(code, (this.rcodes.get(code) ?? 0) + n);
    if (!this.failing) this.failing = new Map();
    let key = `${boundedName(qname)}\u001f${code}`;
    if (!this.failing.has(key) && this.failing.size >= MAX_FAILING_NAMES) key = `${OTHER_NAMES}\u001f${code}`;
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
