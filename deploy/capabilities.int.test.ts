import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeBinaryPath } from '../packages/bpf/src/probeBinaryPath.js';
import { grantableCapabilities, setprivArgs } from './checks/capabilities.js';
import { renderKustomization } from './checks/kustomize.js';
import { findContainer, findObject, podTemplate } from './checks/workloads.js';

/**
 * The DaemonSet's capability list, tried on the real kernel: the built probe's own self-check
 * (`weft-probe --check` loads and attaches every program, then detaches) run as uid 0 with only those
 * capabilities and no_new_privs, the way the container runs. Needs root and a built probe.
 */
const here = dirname(fileURLToPath(import.meta.url));

interface Check {
  ok: boolean;
  hooks: Record<string, boolean>;
  problems: string[];
}

function probeCheck(caps: readonly string[]): Check {
  const r = spawnSync('setpriv', setprivArgs(caps, [probeBinaryPath(), '--check']), {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw new Error(`setpriv could not run: ${r.error.message}`);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Check;
  } catch {
    throw new Error(`weft-probe --check printed no report (exit ${r.status}): ${r.stdout}${r.stderr}`);
  }
}

describe.each(['base', 'overlays/small', 'overlays/large'])('%s collector capabilities', (name) => {
  const ds = findObject(renderKustomization(join(here, 'kubernetes', name)), 'DaemonSet', 'weft-collector');
  const wanted = findContainer(podTemplate(ds).spec, 'collector').securityContext?.capabilities?.add ?? [];

  it('are enough for the probe to attach every hook', () => {
    const caps = grantableCapabilities(wanted);
    expect(caps).toEqual(expect.arrayContaining(['BPF', 'NET_ADMIN', 'PERFMON']));
    const check = probeCheck(caps);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    expect(Object.values(check.hooks).length).toBeGreaterThan(0);
    for (const [hook, attached] of Object.entries(check.hooks)) expect(attached, hook).toBe(true);
  });

  it.each(['BPF', 'PERFMON', 'NET_ADMIN'])('are not enough without %s', (missing) => {
    const check = probeCheck(grantableCapabilities(wanted).filter((c) => c !== missing));
    expect(check.ok).toBe(false);
  });
});
