import {
  DIAGNOSE_SUBJECT_EXAMPLES,
  type DiagnoseNextStep,
  type DiagnoseResponse,
  isSubject,
  parseFilter,
} from '@weft/protocol';
import { type FormEvent, type MouseEvent, useEffect, useId, useState } from 'react';
import { useDiagnose, useGraph, useStatus } from '../api/queries.js';
import { useUrl } from '../app/UrlContext.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { Loading } from '../components/Loading/Loading.js';
import { Name } from '../components/Name/Name.js';
import { PairHistory } from '../components/PairHistory/PairHistory.js';
import { Panel } from '../components/Panel/Panel.js';
import { PolicyFinding } from '../components/PolicyFinding/PolicyFinding.js';
import { verdictWhen } from '../domain/historyStrip.js';
import { isoSecond } from '../domain/isoSecond.js';

const VERDICT_TEXT: Record<string, { text: string; tone: 'ok' | 'warn' | 'danger' | 'muted' }> = {
  blocked: { text: 'Blocked by network policy', tone: 'danger' },
  dropped: { text: 'Packets dropped by the kernel', tone: 'danger' },
  dns_failure: { text: 'DNS resolution fails', tone: 'danger' },
  refused: { text: 'Connections refused', tone: 'danger' },
  timeout: { text: 'Connections time out', tone: 'danger' },
  reset: { text: 'Connections reset', tone: 'danger' },
  dns_slow: { text: 'DNS is slow', tone: 'warn' },
  degraded: { text: 'Reachable, but slow or lossy', tone: 'warn' },
  healthy: { text: 'Healthy', tone: 'ok' },
  no_traffic: { text: 'No traffic between them in this window', tone: 'muted' },
};

/** One example of each subject form, the placeholder cycling through none: all are listed in the title. */
const FORMS = DIAGNOSE_SUBJECT_EXAMPLES.join(', ');

/** A dashboard link the server made (`/?view=...`): opened in place, with exactly its filters. */
function NextStep({ step }: { step: DiagnoseNextStep }) {
  const { navigate } = useUrl();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(parseFilter(step.href.slice(step.href.indexOf('?'))).state);
  };
  return (
    <a href={step.href} onClick={onClick} className="rounded border border-line px-2 py-1 hover:bg-panel-2">
      {step.label}
    </a>
  );
}

function Problems({ d }: { d: DiagnoseResponse }) {
  if (d.problems.length === 0)
    return d.next.length > 0 ? (
      <div className="mt-2 flex flex-wrap gap-2 text-xs">
        {d.next.map((n) => (
          <NextStep key={n.href} step={n} />
        ))}
      </div>
    ) : null;
  return (
    <ol className="mt-3 space-y-2" data-testid="diagnose-problems">
      {d.problems.map((p, i) => (
        <li key={`${p.kind}-${p.step}`} data-testid="diagnose-problem" data-kind={p.kind} className="text-sm">
          <p>
            <span className={`font-semibold ${TONE[VERDICT_TEXT[p.kind]?.tone ?? 'muted']}`}>
              {i + 1}. {VERDICT_TEXT[p.kind]?.text ?? p.kind}
            </span>
            : {p.summary}
          </p>
          <p className="tabular text-xs text-muted">
            {p.evidence.map((e) => `${e.label}: ${e.value}`).join(' · ')}
          </p>
          <div className="mt-1 flex flex-wrap gap-2 text-xs">
            {p.next.map((n) => (
              <NextStep key={n.href} step={n} />
            ))}
          </div>
        </li>
      ))}
    </ol>
  );
}

function Pairs({ d }: { d: DiagnoseResponse }) {
  if (d.pairs.length === 0) return null;
  return (
    <Panel title="Failing pod pairs">
      <table className="tabular w-full text-left text-sm" data-testid="diagnose-pairs">
        <thead className="text-muted">
          <tr>
            <th className="pr-4 font-normal">Source</th>
            <th className="pr-4 font-normal">Destination</th>
            <th className="pr-4 font-normal">Verdict</th>
            <th className="font-normal">Why</th>
          </tr>
        </thead>
        <tbody>
          {d.pairs.map((p) => (
            <tr key={`${p.src}->${p.dst}`}>
              <td className="pr-4">
                <Name value={p.src} />
              </td>
              <td className="pr-4">
                <Name value={p.dst} />
              </td>
              <td className={`pr-4 ${TONE[VERDICT_TEXT[p.verdict]?.tone ?? 'muted']}`}>{p.verdict}</td>
              <td>{p.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

const TONE = { ok: 'text-ok', warn: 'text-warn', danger: 'text-danger', muted: 'text-muted' } as const;

export default function DiagnoseView() {
  const { state, navigate } = useUrl();
  const [src, setSrc] = useState(state.src);
  const [dst, setDst] = useState(state.dst);
  useEffect(() => {
    setSrc(state.src);
    setDst(state.dst);
  }, [state.src, state.dst]);
  const listId = useId();
  const pods = useGraph(
    { ...state, level: 'pod', focus: '', namespace: [], workload: '', pod: '', compare: '' },
    true,
    0,
  );
  const names = (pods.data?.nodes ?? [])
    .filter((n) => n.kind === 'pod' || n.kind === 'service')
    .map((n) => n.label);
  // Follows the selected time: live by default (refreshed), a moment or a range as picked.
  const result = useDiagnose(state);
  const rateWindowMs = (useStatus().data?.rateWindowS ?? 10) * 1000;
  const srcOk = src === '' || isSubject(src.trim());
  const dstOk = dst === '' || isSubject(dst.trim());

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!srcOk || !dstOk || !src.trim() || !dst.trim()) return;
    navigate({ src: src.trim(), dst: dst.trim() });
  };

  return (
    <div className="space-y-4" data-testid="diagnose-view">
      <Panel title="Why can't A reach B?">
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3 text-sm">
          <label className="flex w-80 flex-col gap-1">
            <span className="truncate text-muted" title={FORMS}>
              Source (pod, workload, namespace, IP...)
            </span>
            <input
              name="src"
              list={listId}
              value={src}
              onChange={(e) => setSrc(e.target.value)}
              aria-invalid={!srcOk}
              placeholder={`e.g. ${DIAGNOSE_SUBJECT_EXAMPLES[0]}, ${DIAGNOSE_SUBJECT_EXAMPLES[1]}, ${DIAGNOSE_SUBJECT_EXAMPLES[2]}`}
              title={FORMS}
              className={`w-full rounded border bg-panel-2 px-2 py-1 ${srcOk ? 'border-line' : 'border-danger'}`}
            />
          </label>
          <label className="flex w-80 flex-col gap-1">
            <span className="truncate text-muted" title={FORMS}>
              Destination (also ip:port, node, DNS name)
            </span>
            <input
              name="dst"
              list={listId}
              value={dst}
              onChange={(e) => setDst(e.target.value)}
              aria-invalid={!dstOk}
              placeholder={`e.g. ${DIAGNOSE_SUBJECT_EXAMPLES[4]}, ${DIAGNOSE_SUBJECT_EXAMPLES[5]}, ${DIAGNOSE_SUBJECT_EXAMPLES[3]}, ${DIAGNOSE_SUBJECT_EXAMPLES[6]}`}
              title={FORMS}
              className={`w-full rounded border bg-panel-2 px-2 py-1 ${dstOk ? 'border-line' : 'border-danger'}`}
            />
          </label>
          <datalist id={listId}>
            {names.slice(0, 500).map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
          <button
            type="submit"
            disabled={!srcOk || !dstOk || !src.trim() || !dst.trim()}
            className="rounded bg-accent px-3 py-1.5 font-semibold text-white disabled:opacity-50"
          >
            Diagnose
          </button>
          {(!srcOk || !dstOk) && (
            <p className="w-full text-danger">
              Use namespace/name, ns:namespace, node:name, an IP address, ip:port or a DNS name.
            </p>
          )}
        </form>
      </Panel>
      {!state.src || !state.dst ? (
        <p className="text-sm text-muted">
          Choose a source and a destination ({FORMS}), or open an edge's menu on the map, at any level, and
          pick “Diagnose”. Weft runs the four debugging steps for you: policy drops, DNS, TCP attempts,
          latency; the verdict is the worst problem they find.
        </p>
      ) : result.isPending ? (
        <Loading label="the diagnosis" />
      ) : !result.data ? (
        <ErrorState error={result.error} what="the diagnosis" onRetry={() => result.refetch()} />
      ) : (
        <div className="space-y-3" data-testid="diagnose-result">
          <Panel title={`${result.data.src} → ${result.data.dst}`}>
            <p
              data-testid="diagnose-verdict"
              data-verdict={result.data.verdict}
              className={`text-lg font-semibold ${TONE[VERDICT_TEXT[result.data.verdict]?.tone ?? 'muted']}`}
            >
              {VERDICT_TEXT[result.data.verdict]?.text ?? result.data.verdict}
            </p>
            <p className="mt-1 text-sm text-muted" data-testid="diagnose-window">
              {verdictWhen(result.data.verdict, result.data, Date.now())}
            </p>
            <p className="mt-1 text-sm">{result.data.summary}</p>
            <Problems d={result.data} />
          </Panel>
          <Pairs d={result.data} />
          <Panel title="History of this pair">
            <PairHistory
              history={result.data.history}
              rateWindowMs={rateWindowMs}
              onPick={(at) => navigate({ at: isoSecond(at) })}
            />
          </Panel>
          {result.data.steps.map((s, i) => (
            <Panel
              key={s.id}
              title={`Step ${i + 1}: ${s.title}`}
              actions={
                <span
                  className={`rounded px-2 py-0.5 text-xs font-semibold ${
                    s.status === 'problem'
                      ? 'bg-danger/20 text-danger'
                      : s.status === 'ok'
                        ? 'bg-ok/15 text-ok'
                        : 'bg-panel-2 text-muted'
                  }`}
                >
                  {s.status === 'no_data' ? 'no data' : s.status}
                </span>
              }
            >
              <p className="text-sm">{s.summary}</p>
              <p className="mt-1 text-xs text-muted" data-testid="diagnose-rule">
                Rule: {s.rule}
              </p>
              {s.policyFinding && (
                <div className="mt-2 rounded border border-line p-2" data-testid="diagnose-policy">
                  <PolicyFinding finding={s.policyFinding} />
                </div>
              )}
              {s.evidence.length > 0 && (
                <dl className="tabular mt-2 grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-6 gap-y-1 text-sm">
                  {s.evidence.map((ev) => (
                    <div key={`${ev.label}=${ev.value}`} className="contents">
                      <dt className="text-muted">
                        <Name value={ev.label} />
                      </dt>
                      <dd>
                        <Name value={ev.value} max={80} />
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
              <code className="mt-2 block overflow-x-auto whitespace-pre rounded bg-panel-2 p-1 text-xs">
                {s.query}
              </code>
            </Panel>
          ))}
        </div>
      )}
    </div>
  );
}
