export const DEFAULT_PREFIX = 'weft';

/**
 * Everything a lab creates carries its prefix (netns `<p>-...`, links `<p>1-3`, `<p>br1`, `<p>w0`, nft table
 * `<p>_guard`), so `down` finds it all, also after a crash. Short enough that `<p><node>-<n>` fits the
 * kernel's 15-byte interface names.
 */
export function checkPrefix(prefix: string): string {
  if (!/^[a-z][a-z0-9]{1,7}$/.test(prefix))
    throw new Error(
      `lab prefix "${prefix}" must be 2-8 lower-case letters or digits, starting with a letter`,
    );
  return prefix;
}

/**
 * Which block of addresses a lab uses. The default prefix gets the documented ranges (10.244.1.0/24 ...);
 * others get a block derived from their name, so labs of different prefixes can run side by side.
 */
export function prefixSlot(prefix: string): number {
  if (prefix === DEFAULT_PREFIX) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < prefix.length; i++) {
    h ^= prefix.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return 1 + (h % 14);
}
