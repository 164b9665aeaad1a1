import { describe, expect, it } from 'vitest';
import { MAX_SERVER_TARGETS, parseServerTargets } from './serverTargets.js';

const targets = (v: string) => {
  const r = parseServerTargets(v, 'WEFT_SERVER_URL');
  if (r.kind !== 'targets') throw new Error(`expected targets, got ${JSON.stringify(r)}`);
  return r.targets;
};
const error = (v: string) => {
  const r = parseServerTargets(v, 'WEFT_SERVER_URL');
  if (r.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.message;
};

describe('parseServerTargets', () => {
  it('takes one URL as before, labelled by scheme, host, port and path', () => {
    expect(targets('ws://127.0.0.1:8080/api/v1/ingest')).toEqual([
      { url: 'ws://127.0.0.1:8080/api/v1/ingest', label: 'ws://127.0.0.1:8080/api/v1/ingest' },
    ]);
  });

  it('takes a comma list, one target per replica in the order given, spaces around entries ignored', () => {
    const t = targets(
      'wss://weft-0.weft-headless.weft.svc:8080/api/v1/ingest, wss://weft-1.weft-headless.weft.svc:8080/api/v1/ingest',
    );
    expect(t.map((x) => x.label)).toEqual([
      'wss://weft-0.weft-headless.weft.svc:8080/api/v1/ingest',
      'wss://weft-1.weft-headless.weft.svc:8080/api/v1/ingest',
    ]);
    expect(t[1]!.url).toBe('wss://weft-1.weft-headless.weft.svc:8080/api/v1/ingest');
  });

  it('keeps the query out of the label (a metric label must not carry what a URL may hide there)', () => {
    expect(targets('ws://127.0.0.1:8080/api/v1/ingest?x=secret')[0]!.label).toBe(
      'ws://127.0.0.1:8080/api/v1/ingest',
    );
  });

  it('names an empty entry, and where it is', () => {
    expect(error('ws://a:1/i,,ws://b:1/i')).toBe(
      'WEFT_SERVER_URL: entry 2 of "ws://a:1/i,,ws://b:1/i" is empty (a stray comma?)',
    );
    expect(error('ws://a:1/i,')).toMatch(/entry 2 of .* is empty/);
    expect(error(' ')).toBe('WEFT_SERVER_URL: the server URL is empty (a stray comma?)');
  });

  it('names a URL listed twice, however it is spelled', () => {
    expect(error('ws://a:1/i,ws://b:1/i,ws://a:1/i')).toBe(
      'WEFT_SERVER_URL: "ws://a:1/i" names the same server as "ws://a:1/i" (listed twice)',
    );
    // Host case and a default port are spellings of the same endpoint.
    expect(error('ws://Weft-0:80/i,ws://weft-0/i')).toMatch(/"ws:\/\/weft-0\/i" names the same server as/);
    // The same host on another port or path is another server.
    expect(targets('ws://a:1/i,ws://a:2/i')).toHaveLength(2);
  });

  it('names an entry that is not a ws:// or wss:// URL', () => {
    expect(error('ws://a:1/i,http://b:1/i')).toBe(
      'WEFT_SERVER_URL: expected a ws:// or wss:// URL, got "http://b:1/i"',
    );
    expect(error('ws://a:1/i,weft-1:8080')).toMatch(/expected a ws:\/\/ or wss:\/\/ URL, got "weft-1:8080"/);
    expect(error('ws://a:1/i,not a url')).toBe('WEFT_SERVER_URL: "not a url" is not a URL');
  });

  it(`refuses more than ${MAX_SERVER_TARGETS} servers`, () => {
    const urls = Array.from({ length: MAX_SERVER_TARGETS + 1 }, (_, i) => `ws://weft-${i}:8080/i`);
    expect(targets(urls.slice(0, MAX_SERVER_TARGETS).join(','))).toHaveLength(MAX_SERVER_TARGETS);
    expect(error(urls.join(','))).toBe(
      `WEFT_SERVER_URL: 5 server URLs, at most ${MAX_SERVER_TARGETS} (one per server replica)`,
    );
  });
});
