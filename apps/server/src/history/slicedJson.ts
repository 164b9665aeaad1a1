/**
 * JSON.stringify of a large value in slices, a task each of about `budgetMs`, with `pause` between
 * them: a snapshot's head (tens of MB of JSON at 50,000 edges: flow rows, endpoint tables) held the
 * event loop ~300 ms in one call. Arrays longer than SPLIT_AT are written element by element, and
 * plain objects down to OBJECT_DEPTH key by key; the rest goes to JSON.stringify whole. The text is
 * what JSON.stringify gives, so JSON.parse reads it back the same. `value` must not change meanwhile
 * (a snapshot's image is a copy).
 */
const SPLIT_AT = 256;
const OBJECT_DEPTH = 2;

export async function stringifySliced(
  value: unknown,
  pause: () => Promise<void>,
  budgetMs = 8,
): Promise<string> {
  const parts: string[] = [];
  let since = performance.now();
  const walk = async (x: unknown, depth: number): Promise<void> => {
    if (Array.isArray(x) && x.length > SPLIT_AT) {
      parts.push('[');
      for (let i = 0; i < x.length; i++) {
        if (i > 0) parts.push(',');
        await walk(x[i], depth + 1);
      }
      parts.push(']');
      return;
    }
    if (x !== null && typeof x === 'object' && !Array.isArray(x) && depth < OBJECT_DEPTH) {
      parts.push('{');
      let first = true;
      for (const [k, v] of Object.entries(x)) {
        if (v === undefined || typeof v === 'function') continue;
        if (!first) parts.push(',');
        first = false;
        parts.push(JSON.stringify(k), ':');
        await walk(v, depth + 1);
      }
      parts.push('}');
      return;
    }
    // As JSON.stringify writes what has no JSON (undefined, a function) inside an array.
    parts.push(JSON.stringify(x) ?? 'null');
    if (performance.now() - since > budgetMs) {
      await pause();
      since = performance.now();
    }
  };
  await walk(value, 0);
  return parts.join('');
}
