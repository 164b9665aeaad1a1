/**
 * The fair cap of a shared bound ("water filling"): the largest `c` such that the sum over owners of
 * min(owned[i], c) is at most `target`. Owners under `c` keep all they own; each one over it is cut
 * to `c`, so a flood from one owner is paid by that owner alone, and a lone owner may fill the whole
 * target. Infinity when everything fits already; 0 when the target is 0 or less.
 */
export function waterFill(owned: ArrayLike<number>, target: number): number {
  let sum = 0;
  const used: number[] = [];
  for (let i = 0; i < owned.length; i++) {
    const u = owned[i]!;
    if (u > 0) {
      used.push(u);
      sum += u;
    }
  }
  if (sum <= target) return Number.POSITIVE_INFINITY;
  if (target <= 0) return 0;
  used.sort((a, b) => a - b);
  // The smallest owners fit whole while what is left, split evenly among the rest, exceeds them.
  let left = target;
  for (let k = 0; k < used.length; k++) {
    const even = left / (used.length - k);
    if (used[k]! > even) return even;
    left -= used[k]!;
  }
  return Number.POSITIVE_INFINITY;
}
