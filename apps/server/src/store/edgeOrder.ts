/**
 * The order a graph's edges are answered in: most bytes per second first, ties by edge id
 * (`${source}->${target}`) ascending, as `edges.sort((a, b) => b.bytesPerSec - a.bytesPerSec || (a.id <
 * b.id ? -1 : 1))` puts them, but over edge numbers before any edge object exists. Synthetic and idle
 * clusters have thousands of edges with the same rate, and sorting 4,873 edge objects by their id
 * strings cost 2-10 ms of a workload query; here ties compare two node ranks.
 *
 * Why ranks are exact: for ends x != x', `x->y` and `x'->y'` first differ inside `x->` or `x'->`
 * unless one of those is a prefix of the other, which needs an id containing `->` (then the ids
 * themselves are compared); for x == x' the order is y's against y''s.
 */
export function edgeOrder(
  count: number,
  bytesPerSec: Float64Array,
  src: Int32Array,
  dst: Int32Array,
  idOf: (node: number) => string,
): number[] {
  const order: number[] = [];
  for (let k = 0; k < count; k++) order.push(k);
  // The nodes the edges touch, each once, with a dense number.
  let size = 0;
  for (let k = 0; k < count; k++) size = Math.max(size, src[k]! + 1, dst[k]! + 1);
  const dense = new Int32Array(size).fill(-1);
  const nodes: number[] = [];
  for (let e = 0; e < 2 * count; e++) {
    const n = e < count ? src[e]! : dst[e - count]!;
    if (dense[n] === -1) {
      dense[n] = nodes.length;
      nodes.push(n);
    }
  }
  const ids = nodes.map(idOf);
  if (ids.some((id) => id.includes('->'))) {
    const edgeIds = order.map((k) => `${idOf(src[k]!)}->${idOf(dst[k]!)}`);
    return order.sort((a, b) => bytesPerSec[b]! - bytesPerSec[a]! || (edgeIds[a]! < edgeIds[b]! ? -1 : 1));
  }
  const prefixed = ids.map((id) => `${id}->`);
  const bySource = rank(prefixed);
  const byTarget = rank(ids);
  const m = nodes.length;
  const key = new Float64Array(count);
  for (let k = 0; k < count; k++) key[k] = bySource[dense[src[k]!]!]! * m + byTarget[dense[dst[k]!]!]!;
  if (m * m > 0xffff_ffff)
    return order.sort((a, b) => bytesPerSec[b]! - bytesPerSec[a]! || key[a]! - key[b]!);
  // By the id key, then (stable) by the rate, busiest first: a radix sort over the numbers' bits. The
  // typed array's own numeric sort of 4,873 numbers took 0.36 ms, and this order needed two of them (the
  // rates' places, then the packed keys): 0.7 of the 1.2 ms edgeOrder took at workload level.
  const ranks = new Uint32Array(count);
  for (let k = 0; k < count; k++) ranks[k] = key[k]!;
  const hi = new Uint32Array(count);
  const lo = new Uint32Array(count);
  for (let k = 0; k < count; k++) {
    const r = bytesPerSec[k]!;
    // -0 ties with 0, as the comparator's subtraction has it.
    F64[0] = r === 0 ? 0 : r;
    let h = U32[HI]!;
    let l = U32[LO]!;
    // Bits that order as the numbers do (negatives: all flipped; others: the sign bit set), then
    // flipped again for busiest first.
    if (h & 0x8000_0000) {
      h = ~h;
      l = ~l;
    } else h |= 0x8000_0000;
    hi[k] = ~h >>> 0;
    lo[k] = ~l >>> 0;
  }
  let from = Uint32Array.from(order);
  let to = new Uint32Array(count);
  for (const column of [ranks, lo, hi])
    for (let shift = 0; shift < 32; shift += RADIX_BITS) {
      if (radixPass(from, to, column, shift)) [from, to] = [to, from];
    }
  for (let i = 0; i < count; i++) order[i] = from[i]!;
  return order;
}

/** Digits of RADIX_BITS bits: 3 passes per 32-bit column. */
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
const counts = new Int32Array(RADIX);
/** A double's two 32-bit halves (which half is the high one depends on the machine's byte order). */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = -0;
const HI = U32[1] === 0x8000_0000 ? 1 : 0;
const LO = 1 - HI;

/**
 * One stable counting pass: the edge numbers of `from` into `to` by digit (column[edge] >>> shift) of
 * RADIX_BITS bits. Returns false (nothing moved) when every edge has the same digit.
 */
function radixPass(from: Uint32Array, to: Uint32Array, column: Uint32Array, shift: number): boolean {
  const n = from.length;
  counts.fill(0);
  const mask = RADIX - 1;
  for (let i = 0; i < n; i++) counts[(column[from[i]!]! >>> shift) & mask]!++;
  for (let d = 0; d < RADIX; d++) if (counts[d] === n) return false;
  let sum = 0;
  for (let d = 0; d < RADIX; d++) {
    const c = counts[d]!;
    counts[d] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const e = from[i]!;
    to[counts[(column[e]! >>> shift) & mask]!++] = e;
  }
  return true;
}

/** Each string's place among `strings` sorted ascending (they are distinct). */
function rank(strings: string[]): Int32Array {
  const order = strings.map((_, i) => i).sort((a, b) => (strings[a]! < strings[b]! ? -1 : 1));
  const out = new Int32Array(strings.length);
  order.forEach((i, r) => {
    out[i] = r;
  });
  return out;
}
