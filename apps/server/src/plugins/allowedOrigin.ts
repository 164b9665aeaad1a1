/**
 * Cross-site WebSocket hijacking: browsers send cookies and reach localhost port-forwards from any page,
 * but they always send Origin on a WebSocket upgrade. So an upgrade is accepted when it has no Origin
 * (collectors, CLI tools: not a browser), when its Origin is this server itself (Origin's host:port
 * equals the request's Host) or when the operator listed it.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: ReadonlySet<string>,
): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    // "null" (sandboxed frames, file: pages) and anything unparseable is no one's origin.
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (allowed.has(url.origin)) return true;
  if (!host) return false;
  try {
    // Parsed with the Origin's scheme so `example.com:443` and `https://example.com` compare equal.
    return new URL(`${url.protocol}//${host}`).host === url.host;
  } catch {
    return false;
  }
}

/** WEFT_ALLOWED_ORIGINS: a comma list of `scheme://host[:port]`, each normalised as browsers send it. */
export function parseAllowedOrigins(list: string): { origins: string[]; problems: string[] } {
  const origins: string[] = [];
  const problems: string[] = [];
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      url = null;
    }
    const bare =
      url &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.pathname === '/' &&
      !url.search &&
      !url.hash &&
      !url.username &&
      !url.password &&
      !entry.endsWith('?') &&
      !entry.endsWith('#');
    if (!url || !bare) {
      problems.push(
        `${JSON.stringify(entry.slice(0, 80))} is not an origin like https://weft.example.com:8443`,
      );
      continue;
    }
    origins.push(url.origin);
  }
  return { origins, problems };
}
