/**
 * Largest count one record may add (2^50: a petabyte of bytes). Sums are running totals over many
 * records: with every addend at most this, they stay exact enough and can never reach Infinity, so a
 * hostile 1e308 cannot turn a rate into Infinity or a difference of totals into NaN.
 */
export const MAX_COUNT = 2 ** 50;

/** `v` as a count a sum can take: NaN and negatives are 0, the rest at most MAX_COUNT. */
export function count(v: number): number {
  return v > 0 ? Math.min(v, MAX_COUNT) : 0;
}
