/** An instant as the URL writes it (`at`, `from`, `to`): RFC 3339 in UTC, to the whole second. */
export function isoSecond(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
