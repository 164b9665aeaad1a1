import type { ServerConfig } from '../config.js';

type Settings = Pick<
  ServerConfig,
  'prometheusUrl' | 'prometheusHeaders' | 'prometheusBearerTokenFile' | 'prometheusCaFile'
>;

/** Header names a user may not set: the client sets them, or they would change what the request is. */
const RESERVED = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

/** `Name: value` pairs separated by `;` or newlines (Mimir's X-Scope-OrgID, a proxy's API key). */
export function parsePrometheusHeaders(raw: string): { headers: Record<string, string>; problems: string[] } {
  const headers: Record<string, string> = Object.create(null);
  const problems: string[] = [];
  for (const part of raw.split(/[;\n]/)) {
    const line = part.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    const value = colon > 0 ? line.slice(colon + 1).trim() : '';
    if (!TOKEN.test(name))
      problems.push(`WEFT_PROMETHEUS_HEADERS: ${JSON.stringify(line.slice(0, 60))} is not Name: value`);
    else if (RESERVED.has(name.toLowerCase()))
      problems.push(`WEFT_PROMETHEUS_HEADERS: ${name} is set by the server itself`);
    else if (/[\r\n\0]/.test(value))
      problems.push(`WEFT_PROMETHEUS_HEADERS: ${name} has a control character`);
    else headers[name] = value;
  }
  return { headers, problems };
}

/** What is wrong with the WEFT_PROMETHEUS_* settings, each naming its variable. */
export function prometheusSettingsProblems(cfg: Settings): string[] {
  const problems: string[] = [];
  const set = cfg.prometheusUrl !== '';
  if (set) {
    let url: URL | null = null;
    try {
      url = new URL(cfg.prometheusUrl);
    } catch {
      problems.push(`WEFT_PROMETHEUS_URL=${JSON.stringify(cfg.prometheusUrl.slice(0, 80))}: not a URL`);
    }
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:')
      problems.push('WEFT_PROMETHEUS_URL: must be http:// or https://');
    if (url && (url.username || url.password))
      problems.push('WEFT_PROMETHEUS_URL: put credentials in WEFT_PROMETHEUS_BEARER_TOKEN_FILE, not the URL');
    if (url && (url.search || url.hash)) problems.push('WEFT_PROMETHEUS_URL: must have no query or fragment');
  }
  problems.push(...parsePrometheusHeaders(cfg.prometheusHeaders).problems);
  if (!set)
    for (const [name, v] of [
      ['WEFT_PROMETHEUS_BEARER_TOKEN_FILE', cfg.prometheusBearerTokenFile],
      ['WEFT_PROMETHEUS_HEADERS', cfg.prometheusHeaders],
      ['WEFT_PROMETHEUS_CA_FILE', cfg.prometheusCaFile],
    ] as const)
      if (v !== '') problems.push(`${name} is set but WEFT_PROMETHEUS_URL is not`);
  return problems;
}
