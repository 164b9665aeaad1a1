import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** One series of an instant query (`vector`). */
export interface PromVectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One series of a range query (`matrix`). */
export interface PromMatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export type PrometheusErrorKind = 'timeout' | 'network' | 'http' | 'too_large' | 'bad_response' | 'query';

/** A failed query, named by what failed, so a 502 can say whether to look at the network or the PromQL. */
export class PrometheusError extends Error {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
  ) {
    super(`prometheus ${kind}: ${message}`);
    this.name = 'PrometheusError';
  }
}

export interface PrometheusClientOptions {
  /** Base URL: the part before /api/v1 (a Thanos or Mimir prefix such as /prometheus included). */
  url: string;
  headers?: Record<string, string>;
  /** Read on every request, so a rotated token is picked up without a restart. */
  bearerTokenFile?: string;
  /** PEM CA certificates trusted besides the system ones. */
  ca?: string;
  timeoutMs?: number;
  /** Largest response body read; beyond it the query fails (a runaway query can't exhaust memory). */
  maxBytes?: number;
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/**
 * A thin client of the Prometheus HTTP query API (/api/v1/query and /api/v1/query_range), which
 * Prometheus, Thanos, Mimir, VictoriaMetrics and Azure Monitor managed Prometheus all serve. Queries go
 * as POST forms (long PromQL never meets a URL length limit). The kept npm client (prometheus-query)
 * brings axios and exposes neither a response size bound nor a CA, hence node:http here.
 */
export class PrometheusClient {
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly tokenFile: string;
  private readonly ca: string[] | undefined;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(opts: PrometheusClientOptions) {
    this.base = new URL(opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
    this.headers = opts.headers ?? {};
    this.tokenFile = opts.bearerTokenFile ?? '';
    this.ca = opts.ca ? [...rootCertificates, opts.ca] : undefined;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  }

  get url(): string {
    return this.base.href;
  }

  /** An instant query at `timeMs`. */
  async query(expr: string, timeMs: number): Promise<PromVectorSample[]> {
    const body = await this.post('api/v1/query', { query: expr, time: seconds(timeMs) });
    return this.result(body, 'vector', expr) as PromVectorSample[];
  }

  /** A range query over [startMs, endMs] every `stepS` seconds. */
  async queryRange(expr: string, startMs: number, endMs: number, stepS: number): Promise<PromMatrixSeries[]> {
    const body = await this.post('api/v1/query_range', {
      query: expr,
      start: seconds(startMs),
      end: seconds(endMs),
      step: String(stepS),
    });
    return this.result(body, 'matrix', expr) as PromMatrixSeries[];
  }

  private result(body: ApiBody, type: string, expr: string): unknown[] {
    if (body.status !== 'success')
      throw new PrometheusError(
        'query',
        `${body.errorType ?? 'error'}: ${body.error ?? 'no message'} (${short(expr)})`,
      );
    if (body.data?.resultType !== type || !Array.isArray(body.data.result))
      throw new PrometheusError('bad_response', `expected a ${type} result for ${short(expr)}`);
    return body.data.result;
  }

  private headersFor(length: number): Record<string, string> {
    const h: Record<string, string> = {
      ...this.headers,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(length),
      accept: 'application/json',
    };
    if (this.tokenFile) {
      let token: string;
      try {
        token = readFileSync(this.tokenFile, 'utf8').trim();
      } catch (e) {
        throw new PrometheusError(
          'network',
          `cannot read the bearer token file ${this.tokenFile}: ${(e as Error).message}`,
        );
      }
      h.authorization = `Bearer ${token}`;
    }
    return h;
  }

  private post(path: string, form: Record<string, string>): Promise<ApiBody> {
    const url = new URL(path, this.base);
    const payload = Buffer.from(new URLSearchParams(form).toString());
    const headers = this.headersFor(payload.length);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<ApiBody>((resolve, reject) => {
      let settled = false;
      const fail = (e: PrometheusError) => {
        if (settled) return;
        settled = true;
        req.destroy();
        reject(e);
      };
      const req = request(url, { method: 'POST', headers, ca: this.ca }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > this.maxBytes) {
            fail(new PrometheusError('too_large', `answer over ${this.maxBytes} bytes from ${url.pathname}`));
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e) => fail(new PrometheusError('network', e.message)));
        res.on('end', () => {
          if (settled) return;
          const text = Buffer.concat(chunks).toString('utf8');
          let body: ApiBody | null = null;
          try {
            body = JSON.parse(text) as ApiBody;
          } catch {
            body = null;
          }
          const status = res.statusCode ?? 0;
          // Prometheus answers a bad query with 400 and a JSON error: that's a query error, not HTTP.
          if (body && typeof body === 'object' && body.status === 'error') {
            settled = true;
            resolve(body);
          } else if (status < 200 || status >= 300)
            fail(new PrometheusError('http', `${status} from ${url.pathname}: ${short(text)}`));
          else if (!body || typeof body !== 'object')
            fail(new PrometheusError('bad_response', `not JSON from ${url.pathname}: ${short(text)}`));
          else {
            settled = true;
            resolve(body);
          }
        });
      });
      req.setTimeout(this.timeoutMs, () =>
        fail(new PrometheusError('timeout', `no answer from ${url.host} within ${this.timeoutMs} ms`)),
      );
      req.on('error', (e) => fail(new PrometheusError('network', `${url.host}: ${e.message}`)));
      req.end(payload);
    });
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function short(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

/** The client the server's settings describe (the CA file read once at start). */
export function prometheusClientFrom(cfg: {
  prometheusUrl: string;
  prometheusBearerTokenFile: string;
  prometheusCaFile: string;
  prometheusTimeoutMs: number;
  headers: Record<string, string>;
}): PrometheusClient {
  return new PrometheusClient({
    url: cfg.prometheusUrl,
    headers: cfg.headers,
    bearerTokenFile: cfg.prometheusBearerTokenFile,
    ca: cfg.prometheusCaFile ? readFileSync(cfg.prometheusCaFile, 'utf8') : undefined,
    timeoutMs: cfg.prometheusTimeoutMs,
  });
}
