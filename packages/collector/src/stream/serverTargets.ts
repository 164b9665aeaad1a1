/**
 * A collector streams to every server replica named in WEFT_SERVER_URL; each one is a separate
 * connection with its own spool, so one replica being away costs the others nothing.
 */
export interface ServerTarget {
  /** The URL as given (what the client connects to). */
  url: string;
  /**
   * scheme://host[:port]/path: the `server` label of the collector's metrics and the key duplicates
   * are found by (two spellings of one endpoint would be two streams into one replica).
   */
  label: string;
}

/** More replicas than this is a mistake in the list rather than a design: each costs a spool. */
export const MAX_SERVER_TARGETS = 4;

export type ParseServerTargetsResult =
  | { kind: 'targets'; targets: ServerTarget[] }
  | { kind: 'error'; message: string };

/** `source` names the setting in messages (`--server`, `WEFT_SERVER_URL`). */
export function parseServerTargets(value: string, source: string): ParseServerTargetsResult {
  const entries = value.split(',').map((s) => s.trim());
  if (entries.length > MAX_SERVER_TARGETS) {
    return {
      kind: 'error',
      message: `${source}: ${entries.length} server URLs, at most ${MAX_SERVER_TARGETS} (one per server replica)`,
    };
  }
  const targets: ServerTarget[] = [];
  for (const [i, entry] of entries.entries()) {
    const which = entries.length > 1 ? `entry ${i + 1} of ${JSON.stringify(value)}` : '';
    if (entry === '') {
      return {
        kind: 'error',
        message: `${source}: ${which || 'the server URL'} is empty (a stray comma?)`,
      };
    }
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return { kind: 'error', message: `${source}: ${JSON.stringify(entry)} is not a URL` };
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      return {
        kind: 'error',
        message: `${source}: expected a ws:// or wss:// URL, got ${JSON.stringify(entry)}`,
      };
    }
    const label = `${url.protocol}//${url.host}${url.pathname}`;
    const dup = targets.find((t) => t.label === label);
    if (dup) {
      return {
        kind: 'error',
        message: `${source}: ${JSON.stringify(entry)} names the same server as ${JSON.stringify(dup.url)} (listed twice)`,
      };
    }
    targets.push({ url: entry, label });
  }
  return { kind: 'targets', targets };
}
