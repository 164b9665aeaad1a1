import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * What each workspace package may import at run time (the package READMEs say why). Imports run one
 * way: the probe and the pure packages at the bottom, the collector and the server on them, the web on
 * the wire types alone; only the CLI, which assembles the server, the collector and the lab, sees all.
 * Tests and their fixtures may also use the package's devDependencies (a lab to run against).
 */
const ALLOWED: Record<string, string[]> = {
  '@weft/protocol': [],
  '@weft/policy': [],
  '@weft/bpf': ['@weft/protocol'],
  '@weft/lab': ['@weft/policy', '@weft/protocol'],
  '@weft/collector': ['@weft/bpf', '@weft/protocol'],
  '@weft/server': ['@weft/policy', '@weft/protocol'],
  '@weft/web': ['@weft/protocol'],
  '@weft/cli': ['@weft/bpf', '@weft/collector', '@weft/lab', '@weft/protocol', '@weft/server'],
};

interface Workspace {
  dir: string;
  name: string;
  dependencies: string[];
}

function workspaces(): Workspace[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group)).flatMap((d) => {
      const dir = join(root, group, d);
      let pkg: { name: string; dependencies?: Record<string, string> };
      try {
        pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      } catch {
        return [];
      }
      return [{ dir, name: pkg.name, dependencies: Object.keys(pkg.dependencies ?? {}) }];
    }),
  );
}

/** Source files that ship (not tests, not test fixtures), under a package's src/. */
function shippedSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) {
        if (e !== 'fixtures' && e !== 'node_modules') walk(p);
      } else if (/\.(ts|tsx)$/.test(e) && !/\.test\.tsx?$/.test(e)) out.push(p);
    }
  };
  walk(join(dir, 'src'));
  return out;
}

const weftImports = (text: string) =>
  [...text.matchAll(/(?:from|import)\s*\(?\s*'(@weft\/[\w-]+)/g)].map((m) => m[1]!);

describe('the workspace packages import one way', () => {
  const all = workspaces();

  it('knows every workspace package', () => {
    expect(all.map((w) => w.name).sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it.each(all.map((w) => [w.name, w] as const))('%s depends only on what it may import', (name, w) => {
    expect(w.dependencies.filter((d) => d.startsWith('@weft/') && !ALLOWED[name]!.includes(d))).toEqual([]);
  });

  it.each(all.map((w) => [w.name, w] as const))(
    '%s ships no import of another package it may not use',
    (name, w) => {
      const bad = shippedSources(w.dir).flatMap((file) =>
        weftImports(readFileSync(file, 'utf8'))
          .filter((p) => p !== name && !ALLOWED[name]!.includes(p))
          .map((p) => `${file.slice(root.length)} imports ${p}`),
      );
      expect(bad).toEqual([]);
    },
  );

  it('bench/ reaches the packages by their names, never by a path into them', () => {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) {
          if (e !== 'node_modules') walk(p);
        } else if (/\.(ts|mjs)$/.test(e)) out.push(p);
      }
    };
    const bench = join(root, 'bench');
    walk(bench);
    const bad = out.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']*)'/g)]
        .map((m) => m[1]!)
        .filter((spec) => !resolve(dirname(file), spec).startsWith(`${bench}/`))
        .map((spec) => `${file.slice(root.length)} imports ${spec}`),
    );
    expect(out.length).toBeGreaterThan(20);
    expect(bad).toEqual([]);
  });

  it('finds an import where there is one', () => {
    expect(weftImports("import { a } from '@weft/lab';\nconst m = await import('@weft/server');")).toEqual([
      '@weft/lab',
      '@weft/server',
    ]);
  });
});
