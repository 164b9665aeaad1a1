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
  // The rates' places among the distinct rates, busiest 0: with the key and the edge number they make
  // one integer per edge, sorted by the typed array's own numeric sort (a comparator sort of 4,873 edge
  // numbers took 1.5-2 ms of a workload query).
  const rates = bytesPerSec.slice(0, count).sort();
  let distinct = 0;
  for (let k = 0; k < count; k++)
    if (k === 0 || rates[k] !== rates[distinct - 1]) rates[distinct++] = rates[k]!;
  if (distinct * m * m * count >= Number.MAX_SAFE_INTEGER)
    return order.sort((a, b) => bytesPerSec[b]! - bytesPerSec[a]! || key[a]! - key[b]!);
  const packed = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const place = distinct - 1 - placeOf(rates, distinct, bytesPerSec[k]!);
    packed[k] = (place * m * m + key[k]!) * count + k;
  }
  packed.sort();
  for (let i = 0; i < count; i++) order[i] = packed[i]! % count;
  return order;
}

/** Index of `v` among the first `n` (ascending, distinct) numbers of `sorted`. */
function placeOf(sorted: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
