import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ClusterConfig } from './clusterConfig.js';
import { KubeCredentials, type KubeCredentialsOptions } from './kubeCredentials.js';

export interface KubeConnectionOptions extends KubeCredentialsOptions {
  /** Each new connection's TCP handshake with the API server, in milliseconds (name lookup excluded). */
  onHandshake?: (ms: number) => void;
}

import type { Status } from './kubeObjects.js';

/** A refusal from the API server, with its HTTP code (410 Gone, 403 Forbidden...) and Status reason. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason = '',
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

/** Lists are read whole; a page of 500 objects is a few MB, so this only stops a runaway answer. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;
/** A list page the server has not started (or stopped) sending for this long is retried. */
const LIST_IDLE_TIMEOUT_MS = 60_000;

/**
 * GET requests to one API server over HTTPS (or HTTP for a local test server), each with the
 * credentials current at that moment. Every request has its own connection (no pool): the four
 * watches hold theirs for minutes, lists are rare, and an aborted request leaves no socket behind.
 */
export class KubeConnection {
  readonly server: URL;
  private readonly credentials: KubeCredentials;
  private readonly onHandshake: ((ms: number) => void) | undefined;

  constructor(
    readonly config: ClusterConfig,
    opts: KubeConnectionOptions = {},
  ) {
    this.onHandshake = opts.onHandshake;
    try {
      this.server = new URL(config.server);
    } catch {
      throw new Error(`${config.source}: server ${JSON.stringify(config.server)} is not a URL`);
    }
    if (this.server.protocol !== 'https:' && this.server.protocol !== 'http:')
      throw new Error(`${config.source}: server ${config.server} is neither https:// nor http://`);
    this.credentials = new KubeCredentials(config, opts);
  }

  /**
   * The response once its headers are in, for a 2xx answer; anything else rejects with a
   * KubeApiError carrying the API's Status message. idleTimeoutMs: a connection silent that long
   * is cut (a watch on a dead network would otherwise wait forever).
   */
  async get(path: string, signal: AbortSignal, idleTimeoutMs = 0): Promise<IncomingMessage> {
    const creds = await this.credentials.current(signal);
    const base = this.server.pathname.replace(/\/$/, '');
    const opts: RequestOptions & { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean } =
      {
        method: 'GET',
        hostname: this.server.hostname.replace(/^\[|\]$/g, ''),
        port: this.server.port || (this.server.protocol === 'https:' ? 443 : 80),
        path: `${base}${path}`,
        headers: {
          accept: 'application/json',
          'user-agent': 'weft-collector',
          ...(creds.token ? { authorization: `Bearer ${creds.token}` } : {}),
        },
        agent: false,
        signal,
      };
    if (this.server.protocol === 'https:') {
      if (this.config.ca) opts.ca = this.config.ca;
      opts.rejectUnauthorized = !this.config.insecureSkipTlsVerify;
      if (creds.clientCertificate && creds.clientKey) {
        opts.cert = creds.clientCertificate;
        opts.key = creds.clientKey;
      }
    }
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = (this.server.protocol === 'https:' ? httpsRequest : httpRequest)(opts, resolve);
      req.on('error', reject);
      const onHandshake = this.onHandshake;
      if (onHandshake)
        req.once('socket', (socket) => {
          // From the SYN (after any name lookup) to the connection being up: what Retina times.
          let start = performance.now();
          socket.once('lookup', () => {
            start = performance.now();
          });
          socket.once('connect', () => onHandshake(performance.now() - start));
        });
      if (idleTimeoutMs > 0)
        req.setTimeout(idleTimeoutMs, () =>
          req.destroy(new Error(`no data from the API server for ${idleTimeoutMs} ms`)),
        );
      req.end();
    });
    const code = res.statusCode ?? 0;
    if (code >= 200 && code < 300) return res;
    if (code === 401) this.credentials.invalidate();
    const body = await readBody(res, 64 * 1024).catch(() => '');
    let status: Partial<Status> = {};
    try {
      status = JSON.parse(body) as Partial<Status>;
    } catch {}
    const why = status.message ?? (body.trim().slice(0, 200) || res.statusMessage || '');
    throw new KubeApiError(code, `GET ${path}: ${code} ${why}`, status.reason ?? '');
  }

  /** A GET whose whole answer is one JSON document (a list page). */
  async getJson<T>(path: string, signal: AbortSignal): Promise<T> {
    const res = await this.get(path, signal, LIST_IDLE_TIMEOUT_MS);
    const body = await readBody(res, MAX_BODY_BYTES);
    try {
      return JSON.parse(body) as T;
    } catch {
      throw new Error(`GET ${path}: the answer is not JSON (${JSON.stringify(body.slice(0, 80))})`);
    }
  }
}

async function readBody(res: IncomingMessage, max: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > max) {
      res.destroy();
      throw new Error(`answer larger than ${max} bytes`);
    }
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts, size).toString('utf8');
}
