import { type IngestBatch, IngestHello, MAX_BATCH_RECORDS, PackedBatch, packBatch } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { firstSchemaError } from './firstSchemaError.js';

function empty(): Record<string, unknown> {
  const b: IngestBatch = {
    type: 'batch',
    seq: 1,
    start: 1_000,
    end: 2_000,
    flows: [],
    drops: [],
    tcp: [],
    tcpStats: [],
    dns: [],
    lost: 0,
  };
  return JSON.parse(JSON.stringify(packBatch(b)));
}

describe('firstSchemaError', () => {
  it('names the first wrong record without reading the records after it', () => {
    const batch = empty();
    let readAfter = 0;
    const drops: unknown[] = [];
    drops.length = 10_000;
    drops[0] = { nonsense: true };
    for (let i = 1; i < drops.length; i++)
      Object.defineProperty(drops, i, {
        enumerable: true,
        get: () => {
          readAfter++;
          return { also: 'wrong' };
        },
      });
    batch.drops = drops;
    expect(firstSchemaError(PackedBatch, batch)).toMatch(/^\/drops\/0 /);
    expect(readAfter).toBe(0);
  });

  it('names missing, extra (inherited names too) and too many', () => {
    const missing = empty();
    delete missing.lost;
    expect(firstSchemaError(PackedBatch, missing)).toBe("/ must have required property 'lost'");
    for (const name of ['__proto__', 'constructor', 'toString', 'extra']) {
      const extra = JSON.parse(JSON.stringify(empty()).replace('{', `{"${name}":1,`));
      expect(firstSchemaError(PackedBatch, extra)).toBe(
        `/ must not have additional properties (${JSON.stringify(name)})`,
      );
    }
    const many = empty();
    many.dns = new Array(MAX_BATCH_RECORDS + 1).fill(0);
    expect(firstSchemaError(PackedBatch, many)).toBe(
      `/dns must not have more than ${MAX_BATCH_RECORDS} items`,
    );
  });

  it('gives the path and message of a wrong leaf, and answers for values that are no object', () => {
    const b = empty();
    (b.flows as Record<string, unknown>).ts = [1, 2, 'three'];
    expect(firstSchemaError(PackedBatch, b)).toMatch(/^\/flows\/ts\/2 .+/);
    expect(firstSchemaError(PackedBatch, 7)).toMatch(/^\/ .+/);
    expect(firstSchemaError(PackedBatch, null)).toMatch(/^\/ .+/);
    expect(firstSchemaError(IngestHello, { type: 'hello', protocol: 3, node: '' })).toMatch(
      /^\/ must have required/,
    );
    expect(
      firstSchemaError(IngestHello, {
        type: 'hello',
        protocol: 3,
        node: '',
        boot: 'b',
        collectorVersion: 'v',
        hooks: [],
        simulated: false,
      }),
    ).toMatch(/^\/node .+/);
  });
});
