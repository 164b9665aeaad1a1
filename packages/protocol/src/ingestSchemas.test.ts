import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { packBatch } from './batchPacker.js';
import { fullBatch } from './fixtures/fullBatch.js';
import { IngestBatch, IngestHello } from './ingest.js';
import { MAX_HELLO_HOOKS, MAX_LATENCY_US } from './ingestLimits.js';
import { PackedBatch } from './packedBatch.js';

const checkPacked = Compile(PackedBatch);
const checkBatch = Compile(IngestBatch);
const checkHello = Compile(IngestHello);
const T = Date.parse('2026-12-01T10:00:00Z');

const hello = {
  type: 'hello',
  protocol: 3,
  node: 'lab-node-1',
  boot: '0b7c5f1e-5d3a-4c61-9a43-3c1e0a6d2f10',
  collectorVersion: '0.1.0',
  hooks: ['tc:veth1', 'tp_btf/kfree_skb'],
  simulated: false,
};

/** The message as the wire gives it: JSON.parse makes `__proto__` an own property, like any other. */
const wire = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
/** `v` with `key: value` added at the object `path` leads to. */
function withField(v: unknown, path: (string | number)[], key: string, value: unknown): unknown {
  const copy = wire(v) as Record<string, unknown>;
  let o: Record<string, unknown> = copy;
  for (const p of path) o = o[p] as Record<string, unknown>;
  // defineProperty: `o.__proto__ = x` would set the prototype, not a field.
  Object.defineProperty(o, key, { value, enumerable: true, configurable: true, writable: true });
  return wire(copy);
}

const packed = wire(packBatch(fullBatch(T)));
const unpacked = wire(fullBatch(T));

/** Every object of a packed batch, by its path: each must refuse a field it doesn't know. */
const packedObjects: (string | number)[][] = [
  [],
  ['flows'],
  ['endpoints', 0],
  ['drops', 0],
  ['tcp', 0],
  ['tcp', 1],
  ['tcpStats', 0],
  ['dns', 0],
];
const unpackedObjects: (string | number)[][] = [
  [],
  ['flows', 0],
  ['flows', 0, 'src'],
  ['drops', 0],
  ['drops', 0, 'dst'],
  ['tcp', 0],
  ['tcpStats', 0],
  ['dns', 0],
  ['dns', 0, 'client'],
];
const strangers = ['extra', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describe('ingest schemas', () => {
  it('take what the collector sends: a hello, and a batch with every kind of record, packed or not', () => {
    expect(checkHello.Check(wire(hello))).toBe(true);
    expect(
      checkHello.Check(
        wire({ ...hello, hooks: Array.from({ length: MAX_HELLO_HOOKS }, (_, i) => `tc:veth${i}`) }),
      ),
    ).toBe(true);
    expect(checkPacked.Check(packed)).toBe(true);
    expect(checkBatch.Check(unpacked)).toBe(true);
  });

  it('refuse a field they do not know in every object, inherited names included', () => {
    for (const key of strangers) {
      expect(checkHello.Check(withField(hello, [], key, 1)), `hello ${key}`).toBe(false);
      for (const path of packedObjects)
        expect(checkPacked.Check(withField(packed, path, key, 1)), `packed ${path.join('/')} ${key}`).toBe(
          false,
        );
      for (const path of unpackedObjects)
        expect(checkBatch.Check(withField(unpacked, path, key, 1)), `unpacked ${path.join('/')} ${key}`).toBe(
          false,
        );
    }
  });

  it('refuse a number out of range in every counted field, and a time that is not one', () => {
    const set = (path: (string | number)[], value: unknown) => {
      const copy = wire(packed) as Record<string, unknown>;
      let o: Record<string | number, unknown> = copy;
      for (const p of path.slice(0, -1)) o = o[p] as Record<string | number, unknown>;
      o[path.at(-1)!] = value;
      return copy;
    };
    const cases: [(string | number)[], unknown][] = [
      [['seq'], 2 ** 53],
      [['start'], 1e308],
      [['end'], -1],
      [['lost'], 1e308],
      [['lost'], 2 ** 41],
      [['flows', 'bytes', 0], 1e308],
      [['flows', 'packets', 0], 2 ** 53],
      [['flows', 'ts', 0], 1e308],
      [['drops', 0, 'bytes'], 1e308],
      [['drops', 0, 'packets'], 1e308],
      [['drops', 0, 'ts'], 1e300],
      [['tcp', 0, 'latencyUs'], MAX_LATENCY_US + 1],
      [['tcp', 0, 'ts'], -5],
      [['tcpStats', 0, 'srttUs'], 1e308],
      [['tcpStats', 0, 'retransmits'], 1e308],
      [['dns', 0, 'latencyUs'], 1e308],
      [['dns', 0, 'answers'], 70_000],
      [['dns', 0, 'ts'], 1e308],
    ];
    for (const [path, value] of cases)
      expect(checkPacked.Check(set(path, value)), `${path.join('/')} ${value}`).toBe(false);
    // JSON reads 1e999 as Infinity.
    expect(checkPacked.Check(JSON.parse(JSON.stringify(packed).replace('"lost":0', '"lost":1e999')))).toBe(
      false,
    );
    expect(checkHello.Check({ ...hello, protocol: 1e308 })).toBe(false);
  });

  it('bound every string of a hello', () => {
    for (const [key, value] of [
      ['node', 'n'.repeat(254)],
      ['boot', 'b'.repeat(65)],
      ['collectorVersion', 'v'.repeat(65)],
      ['hooks', ['h'.repeat(129)]],
      ['hooks', Array.from({ length: MAX_HELLO_HOOKS + 1 }, () => 'tc:x')],
    ] as const)
      expect(checkHello.Check({ ...hello, [key]: value }), key).toBe(false);
  });
});
