import { readFile } from 'node:fs/promises';
import type { LabFaultStatus, LabStatusSummary } from '@weft/protocol';

/** A lab's faults file is small; past this it is not one. */
const MAX_BYTES = 256 * 1024;
const MAX_FAULTS = 200;
const MAX_TEXT = 300;

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

function faultStatus(f: unknown): LabFaultStatus | null {
  if (typeof f !== 'object' || f === null || Array.isArray(f)) return null;
  const o = f as Record<string, unknown>;
  const id = text(o.id);
  const kind = text(o.kind);
  if (!id || !kind) return null;
  const detail = Object.entries(o)
    .filter(([k, v]) => !['id', 'kind', 'since', 'origin'].includes(k) && v !== null && text(v) !== '')
    .map(([k, v]) => `${k}=${text(v)}`)
    .join(' ');
  return {
    id: clip(id),
    kind: clip(kind),
    detail: clip(detail),
    origin: o.origin === 'scenario' ? 'scenario' : 'user',
    since: typeof o.since === 'number' && Number.isFinite(o.since) ? o.since : 0,
  };
}

const list = (v: unknown): LabFaultStatus[] =>
  Array.isArray(v)
    ? v
        .slice(0, MAX_FAULTS)
        .map(faultStatus)
        .filter((f): f is LabFaultStatus => f !== null)
    : [];

/**
 * The faults of the lab on this machine, from its faults file (packages/lab faultBook.ts: `faults` on,
 * `scenario` the built-in ones): read on each call (the lab's CLI edits it), every field checked, and
 * a file that is missing or not one said in `error` rather than failing the status.
 */
export async function readLabFaults(path: string): Promise<LabStatusSummary> {
  let raw: string;
  try {
    const buf = await readFile(path);
    if (buf.length > MAX_BYTES)
      return { faults: [], cleared: [], error: `${path} is over ${MAX_BYTES} bytes: not a lab faults file` };
    raw = buf.toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      faults: [],
      cleared: [],
      error:
        code === 'ENOENT'
          ? 'no lab is up (its faults file is not there)'
          : `${path}: ${code ?? 'unreadable'}`,
    };
  }
  let file: unknown;
  try {
    file = JSON.parse(raw);
  } catch {
    return { faults: [], cleared: [], error: `${path} is not JSON` };
  }
  const o = (typeof file === 'object' && file !== null ? file : {}) as Record<string, unknown>;
  const faults = list(o.faults);
  const on = new Set(faults.map((f) => f.id));
  return { faults, cleared: list(o.scenario).filter((f) => !on.has(f.id)) };
}
