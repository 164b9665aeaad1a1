/**
 * Longest name (drop reason, rcode, qname) a bucket keeps as a key: DNS names end at 253, the kernel's
 * reasons and rcodes are short; anything longer is a hostile collector's and would cost memory per key.
 */
export const MAX_NAME_LENGTH = 256;

/** Where names past a bucket's bound of distinct keys are counted, so totals stay whole. */
export const OTHER_NAME = '(other)';

export function boundedName(s: string): string {
  return s.length > MAX_NAME_LENGTH ? s.slice(0, MAX_NAME_LENGTH) : s;
}
