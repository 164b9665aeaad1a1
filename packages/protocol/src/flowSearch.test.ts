import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FLOW_SEARCH,
  decodeFlowCursor,
  encodeFlowCursor,
  flowDnsMatches,
  flowSearchParams,
  parseFlowSearch,
  parseIpFilter,
} from './flowSearch.js';

describe('the dns filter', () => {
  it('takes a DNS name, lower case, without its final dot; refuses what is none', () => {
    expect(parseFlowSearch({ dns: 'API.Production.svc.cluster.local.' }).search.dns).toBe(
      'api.production.svc.cluster.local',
    );
    expect(flowSearchParams(parseFlowSearch({ dns: 'example.com' }).search)).toEqual({ dns: 'example.com' });
    for (const bad of ['<script>', 'a b', '.example.com', 'x'.repeat(300), '"quoted"'])
      expect(
        parseFlowSearch({ dns: bad }).issues.map((i) => i.param),
        bad,
      ).toEqual(['dns']);
  });

  it('finds the name and the names below it, at a label boundary, whatever their case', () => {
    expect(flowDnsMatches('api.example.com', 'example.com')).toBe(true);
    expect(flowDnsMatches('API.Example.COM', 'api.example.com')).toBe(true);
    expect(flowDnsMatches('example.com', 'example.com')).toBe(true);
    expect(flowDnsMatches('badexample.com', 'example.com')).toBe(false);
    expect(flowDnsMatches('example.com', 'api.example.com')).toBe(false);
  });
});

describe('parseFlowSearch', () => {
  it('reads every parameter, and writes back what it read', () => {
    const query = {
      limit: '250',
      sort: 'bytes',
      cursor: encodeFlowCursor({ sort: 'bytes', key: 123_456, seq: 99 }),
      after: '42',
      service: 'production/api',
      node: 'lab-node-1',
      ip: '10.244.0.0/16',
      dir: 'ingress',
      flags: 'syn,rst',
    };
    const { search, issues } = parseFlowSearch(query);
    expect(issues).toEqual([]);
    expect(search).toMatchObject({
      limit: 250,
      sort: 'bytes',
      cursor: { sort: 'bytes', key: 123_456, seq: 99 },
      after: 42,
      ip: { address: '10.244.0.0', prefix: 16, family: 'ipv4' },
      dir: 'ingress',
      flags: 0x02 | 0x04,
    });
    expect(flowSearchParams(search)).toEqual(query);
  });

  it('names each bad parameter and keeps the defaults for it', () => {
    const { search, issues } = parseFlowSearch({
      limit: '5001',
      sort: 'size',
      cursor: 'x',
      after: '-1',
      service: 'api',
      node: 'Node_1',
      ip: '10.0.0.0/33',
      dir: 'up',
      flags: 'syn,nope',
    });
    expect(issues.map((i) => i.param)).toEqual([
      'limit',
      'sort',
      'cursor',
      'after',
      'service',
      'node',
      'ip',
      'dir',
      'flags',
    ]);
    expect({ ...search, cursor: null }).toEqual(DEFAULT_FLOW_SEARCH);
  });

  it('refuses a cursor made for another order', () => {
    const cursor = encodeFlowCursor({ sort: 'time', key: 1, seq: 2 });
    expect(parseFlowSearch({ cursor, sort: 'packets' }).issues).toEqual([
      { param: 'cursor', value: cursor, reason: 'was made for sort=time, not sort=packets' },
    ]);
  });

  it('round-trips cursors and reads IPv6 networks', () => {
    const c = { sort: 'time' as const, key: Date.parse('2026-12-07T18:00:00Z'), seq: 1_000_000 };
    expect(decodeFlowCursor(encodeFlowCursor(c))).toEqual(c);
    expect(parseIpFilter('fd00::/64')).toMatchObject({ address: 'fd00::', prefix: 64, family: 'ipv6' });
    expect(parseIpFilter('fd00::1')).toMatchObject({ prefix: 128 });
    expect(parseIpFilter('example.com')).toBeNull();
  });
});
