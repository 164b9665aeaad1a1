/**
 * Text form of a 16-byte address slot as the loader's --format=json prints it (glibc inet_ntop):
 * IPv4 dotted; IPv6 per RFC 5952 with the longest run of zero groups (2 or more) compressed, and
 * ::a.b.c.d / ::ffff:a.b.c.d for IPv4-compatible and IPv4-mapped addresses.
 */
export const AF_INET = 2;
export const AF_INET6 = 10;

export function formatAddress(family: number, bytes: Uint8Array, offset = 0): string {
  if (family === AF_INET) {
    return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
  }
  if (family !== AF_INET6) throw new Error(`unknown address family ${family}`);
  const words: number[] = [];
  for (let i = 0; i < 8; i++)
    words.push(((bytes[offset + 2 * i] ?? 0) << 8) | (bytes[offset + 2 * i + 1] ?? 0));

  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;

  const embeddedV4 = bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff));
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && embeddedV4) {
      out += formatAddress(AF_INET, bytes, offset + 12);
      break;
    }
    out += (words[i] ?? 0).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}
