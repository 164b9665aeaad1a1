import { isIP } from 'node:net';

/** What deploy/kubernetes/base/ingest-token holds: public, so never a real token. */
export const PLACEHOLDER_INGEST_TOKEN = 'replace-me-see-deploy-README';

/** Shorter tokens are guessable or typed by hand; `openssl rand -hex 32` gives 64 characters. */
export const MIN_INGEST_TOKEN_LENGTH = 16;

const HOW_TO_MAKE =
  'make one with `openssl rand -hex 32` and give the same value to the collectors (deploy/README.md)';

/** True when only this machine can reach an address: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * Why a server must not start with this exposure: ingest without a token on an address other hosts
 * reach would take flows from anyone, and the committed placeholder or a short token is as good as none.
 */
export function ingestExposureProblems(cfg: { host: string; ingestToken: string }): string[] {
  const token = cfg.ingestToken;
  if (token === '') {
    if (isLoopbackHost(cfg.host)) return [];
    return [
      `WEFT_INGEST_TOKEN is not set, and WEFT_HOST=${cfg.host} is reachable from other hosts: ` +
        `anyone could send flows to /api/v1/ingest. Set WEFT_INGEST_TOKEN (${HOW_TO_MAKE}), ` +
        'or listen on 127.0.0.1 only',
    ];
  }
  if (token === PLACEHOLDER_INGEST_TOKEN) {
    return [
      'WEFT_INGEST_TOKEN is the placeholder committed in deploy/kubernetes/base/ingest-token, which ' +
        `anyone can read: ${HOW_TO_MAKE}`,
    ];
  }
  if (token.length < MIN_INGEST_TOKEN_LENGTH) {
    return [
      `WEFT_INGEST_TOKEN is ${token.length} characters long: it must have at least ` +
        `${MIN_INGEST_TOKEN_LENGTH}; ${HOW_TO_MAKE}`,
    ];
  }
  return [];
}
