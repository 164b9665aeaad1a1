import { readFile } from 'node:fs/promises';
import type { ClusterConfig } from './clusterConfig.js';
import { type ExecCredential, runExecPlugin } from './execCredential.js';

/** What one request presents: a bearer token and/or a TLS client certificate. */
export interface RequestCredentials {
  token?: string;
  clientCertificate?: string;
  clientKey?: string;
}

export interface KubeCredentialsOptions {
  /** How long a token read from a file is used before the file is read again. */
  tokenMaxAgeMs?: number;
  now?: () => number;
}

/** client-go re-reads the service account token every minute; the kubelet rotates it well before expiry. */
const TOKEN_MAX_AGE_MS = 60_000;
/** An exec credential is run again this long before it expires, so no request carries a dying token. */
const EXEC_EXPIRY_MARGIN_MS = 30_000;

/**
 * The credentials of a ClusterConfig, fresh for each request without a timer of their own: a token
 * file is read again once its copy is a minute old, an exec plugin is run again when its credential
 * nears its expirationTimestamp, and either is dropped at once after a 401 (invalidate).
 */
export class KubeCredentials {
  private fileToken: { token: string; readAt: number } | null = null;
  private exec: { cred: ExecCredential; until: number } | null = null;
  private execRunning: Promise<ExecCredential> | null = null;
  private readonly maxAge: number;
  private readonly now: () => number;

  constructor(
    private readonly config: ClusterConfig,
    opts: KubeCredentialsOptions = {},
  ) {
    this.maxAge = opts.tokenMaxAgeMs ?? TOKEN_MAX_AGE_MS;
    this.now = opts.now ?? Date.now;
  }

  /** signal: the request's; aborting it ends a credential plugin this request started. */
  async current(signal?: AbortSignal): Promise<RequestCredentials> {
    const c = this.config;
    const out: RequestCredentials = {};
    if (c.clientCertificate && c.clientKey) {
      out.clientCertificate = c.clientCertificate;
      out.clientKey = c.clientKey;
    }
    if (c.token) out.token = c.token;
    else if (c.tokenFile) out.token = await this.tokenFromFile(c.tokenFile);
    else if (c.exec) {
      const cred = await this.execCredential(signal);
      if (cred.token) out.token = cred.token;
      if (cred.clientCertificate && cred.clientKey) {
        out.clientCertificate = cred.clientCertificate;
        out.clientKey = cred.clientKey;
      }
    }
    return out;
  }

  /** The server said 401: the token was rotated or expired; fetch anew next time. */
  invalidate(): void {
    this.fileToken = null;
    this.exec = null;
  }

  private async tokenFromFile(file: string): Promise<string> {
    const now = this.now();
    if (this.fileToken && now - this.fileToken.readAt < this.maxAge) return this.fileToken.token;
    let token: string;
    try {
      token = (await readFile(file, 'utf8')).trim();
    } catch (err) {
      throw new Error(
        `cannot read the token file ${file} (${this.config.source}): ${(err as Error).message}`,
      );
    }
    if (!token) throw new Error(`the token file ${file} (${this.config.source}) is empty`);
    this.fileToken = { token, readAt: now };
    return token;
  }

  private async execCredential(signal?: AbortSignal): Promise<ExecCredential> {
    if (this.exec && this.now() < this.exec.until) return this.exec.cred;
    // Concurrent requests (four list/watch loops start together) share one run of the plugin.
    this.execRunning ??= runExecPlugin(this.config.exec!, this.config, signal).finally(() => {
      this.execRunning = null;
    });
    const cred = await this.execRunning;
    this.exec = {
      cred,
      until: cred.expiresAt === undefined ? Number.POSITIVE_INFINITY : cred.expiresAt - EXEC_EXPIRY_MARGIN_MS,
    };
    return cred;
  }
}
