import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderKustomization } from './checks/kustomize.js';
import { findContainer, findObject, podTemplate } from './checks/workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

interface Stage {
  from: string;
  lines: string[];
}

/** A Dockerfile's stages, continuation lines joined, comments dropped. */
function stages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const out: Stage[] = [];
  for (const l of lines) {
    if (/^FROM\s/i.test(l)) out.push({ from: l.split(/\s+/)[1]!, lines: [] });
    else out.at(-1)?.lines.push(l);
  }
  return out;
}

const instruction = (s: Stage, name: string) => s.lines.filter((l) => l.toUpperCase().startsWith(`${name} `));

const stageScript = readFileSync(join(here, 'images', 'stage.mjs'), 'utf8');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  packageManager: string;
};
const base = renderKustomization(join(here, 'kubernetes', 'base'));

const IMAGES = [
  { component: 'collector', workload: ['DaemonSet', 'weft-collector'], container: 'collector', port: 10093 },
  { component: 'server', workload: ['StatefulSet', 'weft'], container: 'server', port: 8080 },
] as const;

describe.each(IMAGES)('deploy/images/$component.Dockerfile', ({ component, workload, container, port }) => {
  const text = readFileSync(join(here, 'images', `${component}.Dockerfile`), 'utf8');
  const all = stages(text);
  const build = all[0]!;
  const runtime = all.at(-1)!;
  const manifest = () =>
    findContainer(podTemplate(findObject(base, workload[0], workload[1])).spec, container);

  it('builds on Debian bookworm with Node 20 and the pnpm the repository pins', () => {
    expect(build.from).toBe('node:20-bookworm');
    expect(runtime.from).toBe('node:20-bookworm-slim');
    const pnpm = rootPackage.packageManager.replace(/^pnpm@/, '');
    expect(instruction(build, 'RUN').join('\n')).toContain(`npm install -g pnpm@${pnpm}`);
    expect(instruction(build, 'RUN').join('\n')).toContain('pnpm install --frozen-lockfile');
  });

  it('runs the entry point stage.mjs stages, as the user the manifest expects', () => {
    const entry = new RegExp(`${component}: \\{[^}]*?entry: '([^']+)'`, 's').exec(stageScript)?.[1];
    expect(entry).toBeDefined();
    const args = component === 'collector' ? ', "collector"' : '';
    expect(instruction(runtime, 'ENTRYPOINT')).toEqual([`ENTRYPOINT ["node", "${entry}"${args}]`]);
    expect(instruction(build, 'RUN').join('\n')).toContain(`node deploy/images/stage.mjs ${component} /out`);
    const user = instruction(runtime, 'USER').at(-1)?.split(/\s+/)[1]?.split(':')[0];
    const runAsUser =
      manifest().securityContext?.runAsUser ??
      podTemplate(findObject(base, workload[0], workload[1])).spec.securityContext?.runAsUser;
    expect(Number(user)).toBe(runAsUser);
  });

  it('exposes the port the manifest probes, and is the image the manifest names', () => {
    expect(instruction(runtime, 'EXPOSE')).toEqual([`EXPOSE ${port}`]);
    expect(manifest().ports?.map((p) => p.containerPort)).toContain(port);
    const tag = /docker build -f deploy\/images\/\S+ -t (\S+) \./.exec(text)?.[1];
    expect(tag).toBe(manifest().image);
  });

  it('keeps build outputs of the host out of the build context', () => {
    const ignore = readFileSync(join(here, 'images', `${component}.Dockerfile.dockerignore`), 'utf8');
    for (const p of ['**/node_modules', '**/dist', '.git']) expect(ignore.split('\n')).toContain(p);
  });
});

describe('deploy/images/collector.Dockerfile', () => {
  it('compiles the probe with clang and libbpf, and ships only its runtime libraries', () => {
    const all = stages(readFileSync(join(here, 'images', 'collector.Dockerfile'), 'utf8'));
    const [build, runtime] = [all[0]!, all.at(-1)!];
    const buildRuns = instruction(build, 'RUN').join('\n');
    for (const pkg of ['clang', 'llvm', 'libbpf-dev', 'bpftool', 'libelf-dev'])
      expect(buildRuns).toContain(` ${pkg}`);
    const runtimeRuns = instruction(runtime, 'RUN').join('\n');
    for (const pkg of ['libbpf1', 'libelf1']) expect(runtimeRuns).toContain(` ${pkg}`);
    expect(runtimeRuns).not.toContain('clang');
  });
});
