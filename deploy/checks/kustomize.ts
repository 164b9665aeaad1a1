import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { isKubeObject, type KubeObject } from './kubeObject.js';

/**
 * The kubectl that renders: `WEFT_KUBECTL` when set (e.g. an older release to check compatibility),
 * else the one on PATH.
 */
export function kubectlBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.WEFT_KUBECTL || 'kubectl';
}

/** Every document a YAML stream holds, each checked to be a Kubernetes object. */
export function parseManifests(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isKubeObject(value)) throw new Error(`${source}: a document is not a Kubernetes object`);
    objects.push(value);
  }
  return objects;
}

/** `kubectl kustomize DIR`, parsed. Throws with kubectl's own message when the build fails. */
export function renderKustomization(dir: string, kubectl = kubectlBinary()): KubeObject[] {
  let out: string;
  try {
    out = execFileSync(kubectl, ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${kubectl} kustomize ${dir} failed: ${e.stderr?.trim() || e.message}`);
  }
  return parseManifests(out, `${kubectl} kustomize ${dir}`);
}
