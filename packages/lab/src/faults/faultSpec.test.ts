import { describe, expect, it } from 'vitest';
import { FaultError, parseFaultArgs, parseFaultSpec } from './faultSpec.js';

describe('parseFaultArgs', () => {
  it('reads --key value and key=value forms', () => {
    expect(parseFaultArgs(['policy-drop', '--from', 'production/frontend', '--to=production/api'])).toEqual({
      kind: 'policy-drop',
      from: 'production/frontend',
      to: 'production/api',
    });
    expect(parseFaultArgs(['refused', 'target=production/db', 'port=5432'])).toEqual({
      kind: 'refused',
      target: 'production/db',
      port: 5432,
    });
    expect(parseFaultArgs(['dns-slow', '--delay-ms', '800'])).toEqual({
      kind: 'dns-slow',
      name: null,
      delayMs: 800,
      every: 1,
    });
    expect(parseFaultArgs(['dns-slow', '--every', '50'])).toMatchObject({ delayMs: 500, every: 50 });
    expect(parseFaultArgs(['bandwidth-spike', '--from', 'production/api', '--to', 'db.production'])).toEqual({
      kind: 'bandwidth-spike',
      from: 'production/api',
      to: 'db.production',
      port: null,
      bytesPerSec: 2_000_000,
    });
  });

  it('names unknown faults and lists the known ones', () => {
    expect(() => parseFaultArgs(['meteor-strike'])).toThrow(FaultError);
    expect(() => parseFaultArgs(['meteor-strike'])).toThrow(
      /unknown fault "meteor-strike"[\s\S]*policy-drop[\s\S]*bandwidth-spike/,
    );
    expect(() => parseFaultArgs([])).toThrow(/unknown fault \(none given\)/);
  });

  it('says what is missing or wrong', () => {
    expect(() => parseFaultArgs(['refused', '--target', 'production/db'])).toThrow(/missing --port/);
    expect(() => parseFaultArgs(['refused', '--target', 'production/db', '--port', '99999'])).toThrow(
      /1 to 65535/,
    );
    expect(() => parseFaultArgs(['refused', '--target', 'production/db', '--port'])).toThrow(/needs a value/);
    expect(() => parseFaultArgs(['timeout', '--target', 'a b', '--port', '1'])).toThrow(/not a pod/);
    expect(() => parseFaultArgs(['dns-nxdomain', '--colour', 'red'])).toThrow(/unknown option --colour/);
    expect(() => parseFaultSpec({ kind: 'dns-servfail', name: '../../etc' })).toThrow(/not a DNS name/);
  });
});
