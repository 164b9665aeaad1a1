import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTopology } from './defaultTopology.js';
import { loadTopology } from './loadTopology.js';
import { TopologyError } from './topologyError.js';
import { validateTopology } from './validateTopology.js';

function mutate(fn: (t: Record<string, unknown> & ReturnType<typeof defaultTopology>) => void): unknown {
  const t = structuredClone(defaultTopology()) as Record<string, unknown> &
    ReturnType<typeof defaultTopology>;
  fn(t);
  return t;
}

function fieldOf(value: unknown): string {
  try {
    validateTopology(value);
  } catch (err) {
    expect(err).toBeInstanceOf(TopologyError);
    return (err as TopologyError).field;
  }
  throw new Error('expected a TopologyError');
}

describe('validateTopology', () => {
  it('accepts the default topology', () => {
    const t = defaultTopology();
    expect(validateTopology(t)).toBe(t);
  });

  it('names the field of a shape error', () => {
    expect(
      fieldOf(
        mutate((t) => {
          t.pods[3]!.name = 'Api_Bad';
        }),
      ),
    ).toBe('pods[3].name');
    expect(
      fieldOf(
        mutate((t) => {
          (t.traffic[0] as { ratePerSec: unknown }).ratePerSec = 'fast';
        }),
      ),
    ).toBe('traffic[0].ratePerSec');
  });

  it('says which field is missing or unknown', () => {
    const missing = mutate((t) => {
      delete (t.services[0] as { selector?: unknown }).selector;
    });
    expect(() => validateTopology(missing)).toThrow(/services\[0\]: missing field "selector"/);
    const unknown = mutate((t) => {
      (t.pods[0] as Record<string, unknown>).replicas = 3;
    });
    expect(() => validateTopology(unknown)).toThrow(/pods\[0\]: unknown field "replicas"/);
  });

  it('checks references between items', () => {
    expect(
      fieldOf(
        mutate((t) => {
          t.pods[1]!.node = 'node-9';
        }),
      ),
    ).toBe('pods[1].node');
    expect(
      fieldOf(
        mutate((t) => {
          t.pods[1]!.name = t.pods[0]!.name;
        }),
      ),
    ).toBe('pods[1].name');
    expect(
      fieldOf(
        mutate((t) => {
          t.traffic[0]!.to = 'nothing.production';
        }),
      ),
    ).toBe('traffic[0].to');
    expect(
      fieldOf(
        mutate((t) => {
          t.traffic[0]!.from.workload = 'ghost';
        }),
      ),
    ).toBe('traffic[0].from');
    expect(
      fieldOf(
        mutate((t) => {
          t.policies![0]!.denyFrom.workload = 'ghost';
        }),
      ),
    ).toBe('policies[0].denyFrom');
  });

  it('requires a DNS service when there is traffic', () => {
    const t = mutate((x) => {
      x.services = x.services.filter((s) => s.name !== 'kube-dns');
    });
    expect(() => validateTopology(t)).toThrow(/DNS service/);
  });

  it('rejects a dns port over TCP', () => {
    expect(
      fieldOf(
        mutate((t) => {
          t.services.find((s) => s.name === 'kube-dns')!.ports[0]!.protocol = 'TCP';
        }),
      ),
    ).toBe('services[5].ports[0].protocol');
  });

  it('keeps hostile values out of the message length', () => {
    const t = mutate((x) => {
      x.pods[0]!.name = `${'x'.repeat(5000)}\u0000`;
    });
    try {
      validateTopology(t);
      throw new Error('expected an error');
    } catch (err) {
      expect((err as Error).message.length).toBeLessThan(300);
    }
  });
});

describe('loadTopology', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wlt-topo-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a valid file', async () => {
    const file = join(dir, 'ok.json');
    await writeFile(file, JSON.stringify(defaultTopology()));
    expect((await loadTopology(file)).pods).toHaveLength(9);
  });

  it('names the file and the field', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(mutate((t) => ((t.nodes[0] as { name: unknown }).name = 7))));
    await expect(loadTopology(file)).rejects.toThrow(`${file}: topology nodes[0].name:`);
  });

  it('says when the file is not JSON or missing', async () => {
    const file = join(dir, 'junk.json');
    await writeFile(file, '{ nodes: [');
    await expect(loadTopology(file)).rejects.toThrow(/is not valid JSON/);
    await expect(loadTopology(join(dir, 'absent.json'))).rejects.toThrow(/cannot be read/);
  });
});
