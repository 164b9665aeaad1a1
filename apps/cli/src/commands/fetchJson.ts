import { CliError } from '../cliError.js';

/**
 * One JSON request to the Weft server at `server` (GET, or POST of `payload` as JSON), its answer parsed.
 * A server out of reach, an answer that is not JSON and an error status each become a CliError that says
 * which, with the server's own message when it gave one.
 */
export async function fetchJson(url: string, server: string, payload?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(
      url,
      payload === undefined
        ? { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) }
        : {
            method: 'POST',
            headers: { accept: 'application/json', 'content-type': 'application/json' },
            body: JSON.stringify(payload),
            signal: AbortSignal.timeout(30_000),
          },
    );
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(
      `cannot reach the server at ${server}: ${cause?.code ?? cause?.message ?? (e as Error).message}`,
    );
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliError(`the server at ${server} answered ${res.status} with something that is not JSON`);
  }
  if (!res.ok) {
    const message = (body as { message?: unknown }).message;
    throw new CliError(
      `the server answered ${res.status}: ${typeof message === 'string' ? message : text.slice(0, 200)}`,
    );
  }
  return body;
}
