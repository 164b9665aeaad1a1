import { FILTER_PROTOCOLS, type FilterProtocol } from '@weft/protocol';
import { useEffect, useState } from 'react';
import { useUrl } from '../../app/UrlContext.js';
import { Name } from '../Name/Name.js';

const PROTOCOL_NAMES: Record<FilterProtocol, string> = {
  tcp: 'TCP',
  udp: 'UDP',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
};

/**
 * The map's filters, all in the URL: namespaces, a text search over names and IPs, protocol and port
 * (the shared filter: the server's graph applies them), and "only problems" (the map's own
 * `problems=1`: mapFilter.ts). Text boxes apply on Enter or when left, so typing asks the server
 * nothing until then. Names are rendered as text.
 */
export function MapFilterBar({ namespaces }: { namespaces: readonly string[] }) {
  const { state, map, navigate } = useUrl();
  const active =
    state.namespace.length > 0 ||
    state.q !== '' ||
    state.protocol !== '' ||
    state.port !== null ||
    map.problems !== '';
  const choices = [...new Set([...state.namespace, ...namespaces])].sort();
  const toggle = (ns: string) =>
    navigate({
      namespace: state.namespace.includes(ns)
        ? state.namespace.filter((n) => n !== ns)
        : [...state.namespace, ns],
    });
  return (
    <search
      className="flex flex-wrap items-center gap-2 text-xs"
      data-testid="map-filter-bar"
      aria-label="Filter the map"
    >
      <details className="relative" data-testid="map-filter-namespaces">
        <summary
          className={`cursor-pointer list-none rounded border px-2 py-1 ${state.namespace.length > 0 ? 'border-accent text-accent' : 'border-line'}`}
        >
          {state.namespace.length === 0 ? (
            'All namespaces'
          ) : state.namespace.length === 1 ? (
            <Name value={state.namespace[0]!} max={24} />
          ) : (
            `${state.namespace.length} namespaces`
          )}{' '}
          ▾
        </summary>
        <fieldset className="absolute z-20 mt-1 max-h-72 w-64 overflow-auto rounded border border-line bg-panel p-2 shadow">
          <legend className="sr-only">Namespaces</legend>
          {choices.length === 0 && <p className="text-muted">No namespaces in this view</p>}
          {choices.map((ns) => (
            <label key={ns} className="flex items-center gap-2 py-0.5">
              <input type="checkbox" checked={state.namespace.includes(ns)} onChange={() => toggle(ns)} />
              <Name value={ns} max={32} />
            </label>
          ))}
        </fieldset>
      </details>
      <TextFilter
        label="Search the map"
        placeholder="Search: pod, workload, IP…"
        value={state.q}
        width="w-56"
        maxLength={200}
        check={() => null}
        onApply={(q) => navigate({ q })}
      />
      <select
        aria-label="Protocol"
        value={state.protocol}
        onChange={(e) => navigate({ protocol: e.target.value as FilterProtocol | '' })}
        className={`rounded border bg-panel-2 px-1 py-1 ${state.protocol ? 'border-accent text-accent' : 'border-line'}`}
      >
        <option value="">Any protocol</option>
        {FILTER_PROTOCOLS.map((p) => (
          <option key={p} value={p}>
            {PROTOCOL_NAMES[p]}
          </option>
        ))}
      </select>
      <TextFilter
        label="Port"
        placeholder="Port"
        value={state.port === null ? '' : String(state.port)}
        width="w-20"
        maxLength={5}
        check={(v) =>
          v === '' || (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535)
            ? null
            : 'a port is 1 to 65535'
        }
        onApply={(v) => navigate({ port: v === '' ? null : Number(v) })}
      />
      <label
        className={`flex items-center gap-1 rounded border px-2 py-1 ${map.problems ? 'border-danger text-danger' : 'border-line'}`}
      >
        <input
          type="checkbox"
          checked={map.problems !== ''}
          onChange={(e) => navigate({}, {}, { problems: e.target.checked ? '1' : '' })}
        />
        Only problems
      </label>
      {active && (
        <button
          type="button"
          className="rounded border border-line px-2 py-1 hover:bg-panel-2"
          onClick={() => navigate({ namespace: [], q: '', protocol: '', port: null }, {}, { problems: '' })}
        >
          Clear filters
        </button>
      )}
    </search>
  );
}

/** A text box that applies on Enter or when left, and says why it did not when its text is unusable. */
function TextFilter({
  label,
  placeholder,
  value,
  width,
  maxLength,
  check,
  onApply,
}: {
  label: string;
  placeholder: string;
  value: string;
  width: string;
  maxLength: number;
  check: (v: string) => string | null;
  onApply: (v: string) => void;
}) {
  const [text, setText] = useState(value);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setText(value);
    setProblem(null);
  }, [value]);
  const apply = () => {
    const v = text.trim();
    const wrong = check(v);
    setProblem(wrong);
    if (!wrong && v !== value) onApply(v);
  };
  return (
    <span className="flex items-center gap-1">
      <input
        type="search"
        aria-label={label}
        aria-invalid={problem ? true : undefined}
        value={text}
        placeholder={placeholder}
        maxLength={maxLength}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && apply()}
        onBlur={apply}
        className={`${width} rounded border bg-panel-2 px-2 py-1 ${problem ? 'border-danger' : value ? 'border-accent' : 'border-line'}`}
      />
      {problem && (
        <span role="alert" className="text-danger">
          {problem}
        </span>
      )}
    </span>
  );
}
