/**
 * A failed API call, worded for the person looking at the screen: what failed and what to do.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly path: string;
  readonly hint: string;

  constructor(path: string, status: number, message: string, hint: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.path = path;
    this.hint = hint;
  }
}

export function hintFor(status: number): string {
  if (status === 0)
    return 'Is the Weft server running? Start everything with `npm start`, or `pnpm weft server`.';
  if (status === 400) return 'A filter parameter is not valid; change it or reset the filters.';
  if (status === 401 || status === 403) return 'The server refused the request; check its access settings.';
  if (status === 404)
    return 'This server does not offer that endpoint; is the server the same version as this page?';
  if (status === 503) return 'The server is starting or overloaded; it retries automatically.';
  return 'The server failed; its log says why. The page retries automatically.';
}
