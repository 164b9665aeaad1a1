import type { DiagnoseResponse, ObjectChange } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { parseSubject, type Subject } from '../diagnose/subject.js';
import { CHANGE_LOOKBACK_MS, withObjectChanges } from './diagnoseChanges.js';

const FAIL_AT = Date.parse('2026-12-07T10:00:00Z');

function answer(failing: boolean): DiagnoseResponse {
  return {
    src: 'production/frontend',
    dst: 'production/api',
    srcKind: 'name',
    dstKind: 'name',
    mode: 'range',
    start: FAIL_AT - 60_000,
    end: FAIL_AT + 120_000,
    history: [
      { state: 'healthy', start: FAIL_AT - 60_000, end: FAIL_AT },
      ...(failing ? [{ state: 'failing' as const, start: FAIL_AT, end: FAIL_AT + 120_000 }] : []),
    ],
    verdict: failing ? 'refused' : 'healthy',
    summary: failing ? 'connections refused' : 'healthy',
    problems: failing ? [{ kind: 'refused', summary: 'connections refused', evidence: [], next: [] }] : [],
    next: [],
    pairs: [],
    steps: [],
  } as unknown as DiagnoseResponse;
}

const change = (over: Partial<ObjectChange>): ObjectChange => ({
  id: `${over.name}@${over.at}`,
  at: FAIL_AT - 20_000,
  kind: 'Pod',
  change: 'restarted',
  namespace: 'production',
  name: 'api-5d9-x2',
  owner: 'api',
  detail: 'restarts 0 -> 1',
  ...over,
});

const ends = (src: string, dst: string) => [parseSubject(src), parseSubject(dst)] as Subject[];

describe('withObjectChanges', () => {
  it("says which of the pair's ends changed shortly before the failures began", () => {
    const a = withObjectChanges(
      answer(true),
      ends('production/frontend', 'production/api'),
      [
        change({}),
        // Another workload's pod, and a change too long before: not this pair's story.
        change({ name: 'db-0', owner: 'db' }),
        change({ name: 'api-old', at: FAIL_AT - CHANGE_LOOKBACK_MS - 1 }),
      ],
      FAIL_AT + 120_000,
    );
    expect(a.problems[0]!.evidence).toEqual([
      {
        label: 'what changed',
        value: 'pod production/api-5d9-x2 restarted (restarts 0 -> 1) 20 s before these failures began',
      },
    ]);
    expect(a.summary).toBe(
      'connections refused; pod production/api-5d9-x2 restarted (restarts 0 -> 1) 20 s before these failures began',
    );
  });

  it("names a Service's and its EndpointSlices' changes for a service end, and a rollout for a workload end", () => {
    const a = withObjectChanges(
      answer(true),
      ends('production/frontend', 'production/api'),
      [
        change({
          kind: 'Deployment',
          change: 'rolled_out',
          name: 'api',
          owner: 'api',
          detail: '',
          at: FAIL_AT - 90_000,
        }),
        change({
          kind: 'EndpointSlice',
          change: 'updated',
          name: 'api-x7k',
          owner: 'api',
          detail: 'ready endpoints 3 -> 0',
          at: FAIL_AT - 5_000,
        }),
      ],
      FAIL_AT + 120_000,
    );
    expect(a.problems[0]!.evidence.map((e) => e.value)).toEqual([
      'deployment production/api rolled out 1 min 30 s before these failures began',
      'endpointslice production/api-x7k updated (ready endpoints 3 -> 0) 5 s before these failures began',
    ]);
  });

  it('leaves a healthy answer, and one with no change of its ends, as it was', () => {
    const healthy = withObjectChanges(
      answer(false),
      ends('production/frontend', 'production/api'),
      [change({})],
      FAIL_AT,
    );
    expect(healthy).toEqual(answer(false));
    const other = withObjectChanges(
      answer(true),
      ends('production/frontend', 'production/db'),
      [change({})],
      FAIL_AT,
    );
    expect(other).toEqual(answer(true));
  });
});
