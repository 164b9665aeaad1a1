import { clockInWords, type DiagnoseResponse, durationInWords, type ObjectChange } from '@weft/protocol';
import type { Subject } from '../diagnose/subject.js';

/** How long before the failures began a change still counts as "shortly before". */
export const CHANGE_LOOKBACK_MS = 10 * 60_000;
/** Most changes named per answer (the newest): a rollout replaces every pod, one sentence each would drown it. */
const MAX_NAMED = 3;

interface End {
  namespace: string;
  name: string;
}

/** The named object a diagnose subject stands for (a pod, a workload, a service), when it is one. */
export function subjectEnd(s: Subject): End | null {
  if (s.kind === 'name') return { namespace: s.namespace, name: s.name };
  if (s.kind === 'dns_name' && s.service) return s.service;
  return null;
}

/** Whether a change is of that end: the object itself, or one it owns (its pods, its EndpointSlices). */
export function touches(c: ObjectChange, end: End): boolean {
  return c.namespace === end.namespace && (c.name === end.name || c.owner === end.name);
}

/** `pod production/api-x restarted (restarts 1 -> 2) 20 s before these failures began`. */
export function changeSentence(c: ObjectChange, failingStart: number, now: number): string {
  const what = `${c.kind.toLowerCase()} ${c.namespace}/${c.name} ${c.change.replace('_', ' ')}${c.detail ? ` (${c.detail})` : ''}`;
  if (c.at <= failingStart)
    return `${what} ${durationInWords(failingStart - c.at)} before these failures began`;
  return `${what} at ${clockInWords(c.at, now)} UTC, while they went on`;
}

/**
 * What changed at either end of a failing pair: its Services', EndpointSlices', workloads' and pods'
 * changes from shortly before the failures began to the window's end, the newest few, as evidence on
 * every problem and, the newest, in the summary. An answer without a failing period is left as it is.
 */
export function withObjectChanges(
  answer: DiagnoseResponse,
  ends: readonly (Subject | undefined)[],
  changes: readonly ObjectChange[],
  now: number,
): DiagnoseResponse {
  const failing = answer.history.filter((h) => h.state === 'failing').at(-1);
  if (!failing || answer.problems.length === 0) return answer;
  const named = ends.map((s) => (s ? subjectEnd(s) : null)).filter((e): e is End => e !== null);
  const relevant = changes
    .filter((c) => c.at >= failing.start - CHANGE_LOOKBACK_MS && c.at <= answer.end)
    .filter((c) => named.some((e) => touches(c, e)))
    .slice(-MAX_NAMED);
  if (relevant.length === 0) return answer;
  const sentences = relevant.map((c) => changeSentence(c, failing.start, now));
  for (const p of answer.problems)
    for (const value of sentences) p.evidence.push({ label: 'what changed', value });
  answer.summary += `; ${sentences.at(-1)}`;
  return answer;
}
