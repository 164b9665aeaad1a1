import { type FilterState, timeMode } from '@weft/protocol';
import { useId, useState } from 'react';
import { useLive } from '../../app/LiveContext.js';
import { useUrl } from '../../app/UrlContext.js';

const PRESETS = ['5m', '15m', '1h', '6h', '24h'] as const;

/** Short text for the selection: "live", "at <time>", "last 15m" or the range. */
function describeSelection(s: FilterState): string {
  const mode = timeMode(s);
  if (mode === 'live') return 'live (last seconds)';
  if (mode === 'at') return `at ${s.at}`;
  const rel = /^now-(\d+[smhd])$/.exec(s.from);
  if (rel && (s.to === '' || s.to === 'now')) return `last ${rel[1]}`;
  return `${s.from || 'start'} to ${s.to || 'now'}`;
}

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * The time window and the mode. Live follows "now" and updates every second; history shows a fixed
 * window. The mode is always spelled out next to the picker.
 */
export function TimeRangePicker() {
  const { state, navigate } = useUrl();
  const live = useLive();
  const [open, setOpen] = useState(false);
  const [absFrom, setAbsFrom] = useState(() => toLocalInput(Date.now() - 3_600_000));
  const [absTo, setAbsTo] = useState(() => toLocalInput(Date.now()));
  const id = useId();
  const preset = /^now-(\d+[smhd])$/.exec(state.from)?.[1];
  const isLive = timeMode(state) === 'live';
  const mode = isLive ? (live.paused ? 'paused' : 'live') : 'history';

  const applyAbsolute = () => {
    const f = new Date(absFrom);
    const t = new Date(absTo);
    if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime()) || f >= t) return;
    navigate({
      from: f.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      to: t.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      at: '',
    });
    setOpen(false);
  };

  return (
    <div className="relative flex items-center gap-2 text-xs">
      <span
        data-testid="mode"
        data-mode={mode}
        className={`tabular flex w-20 items-center justify-center gap-1.5 rounded px-2 py-1 font-semibold ${
          mode === 'live'
            ? 'bg-ok/15 text-ok'
            : mode === 'paused'
              ? 'bg-warn/15 text-warn'
              : 'bg-accent/15 text-accent'
        }`}
      >
        <span
          className={`inline-block h-2 w-2 rounded-full ${mode === 'live' ? 'animate-pulse bg-ok' : mode === 'paused' ? 'bg-warn' : 'bg-accent'}`}
        />
        {mode === 'live' ? 'LIVE' : mode === 'paused' ? 'PAUSED' : 'HISTORY'}
      </span>
      {isLive ? (
        <button
          type="button"
          onClick={() => live.setPaused(!live.paused)}
          className="w-16 rounded border border-line px-2 py-1 hover:bg-panel-2"
          aria-pressed={live.paused}
        >
          {live.paused ? 'Resume' : 'Pause'}
        </button>
      ) : (
        <button
          type="button"
          onClick={() => navigate({ from: '', to: '', at: '' })}
          className="w-16 rounded border border-line px-2 py-1 hover:bg-panel-2"
        >
          Go live
        </button>
      )}
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        className="max-w-56 truncate rounded border border-line px-2 py-1 hover:bg-panel-2"
        title={describeSelection(state)}
      >
        {describeSelection(state)} ▾
      </button>
      {open && (
        <div
          id={id}
          role="dialog"
          aria-label="Time range"
          className="absolute top-full right-0 z-30 mt-1 w-72 rounded-lg border border-line bg-panel p-3 shadow-lg"
          onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        >
          <p className="mb-1 font-semibold">Relative</p>
          <div className="mb-3 flex flex-wrap gap-1">
            {PRESETS.map((p) => (
              <button
                type="button"
                key={p}
                onClick={() => {
                  navigate({ from: `now-${p}`, to: '', at: '' });
                  setOpen(false);
                }}
                className={`rounded border px-2 py-1 ${preset === p && (state.to === '' || state.to === 'now') ? 'border-accent text-accent' : 'border-line'} hover:bg-panel-2`}
              >
                last {p}
              </button>
            ))}
          </div>
          <p className="mb-1 font-semibold">Absolute (history)</p>
          <label className="mb-1 flex items-center justify-between gap-2">
            From
            <input
              type="datetime-local"
              value={absFrom}
              onChange={(e) => setAbsFrom(e.target.value)}
              className="rounded border border-line bg-panel-2 px-1"
            />
          </label>
          <label className="mb-2 flex items-center justify-between gap-2">
            To
            <input
              type="datetime-local"
              value={absTo}
              onChange={(e) => setAbsTo(e.target.value)}
              className="rounded border border-line bg-panel-2 px-1"
            />
          </label>
          <button
            type="button"
            onClick={applyAbsolute}
            className="w-full rounded bg-accent px-2 py-1 font-semibold text-white"
          >
            Show this range
          </button>
        </div>
      )}
    </div>
  );
}
