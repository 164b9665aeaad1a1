import { DEFAULT_RATE_WINDOW_MS, timeMode } from '@weft/protocol';
import { useId, useState } from 'react';
import { useStatus } from '../../api/queries.js';
import { useLive } from '../../app/LiveContext.js';
import { useUrl } from '../../app/UrlContext.js';
import { isoSecond } from '../../domain/isoSecond.js';
import { relativeSpan, selectionLabel } from '../../domain/timeLabel.js';

const PRESETS = ['5m', '15m', '1h', '6h', '24h'] as const;

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * The mode and the selection in words, next to the picker of relative and custom ranges. Live follows
 * now every second (Pause holds the last answer); At is one past moment; Range a window. The timeline
 * strip below picks moments and windows by clicking and dragging.
 */
export function TimeRangePicker() {
  const { state, navigate } = useUrl();
  const live = useLive();
  const status = useStatus();
  const rateWindowS = status.data?.rateWindowS ?? DEFAULT_RATE_WINDOW_MS / 1000;
  const [open, setOpen] = useState(false);
  const [absFrom, setAbsFrom] = useState(() => toLocalInput(Date.now() - 3_600_000));
  const [absTo, setAbsTo] = useState(() => toLocalInput(Date.now()));
  const id = useId();
  const preset = /^now-(\d+[smhd])$/.exec(state.from)?.[1];
  const isLive = timeMode(state) === 'live';
  const label = selectionLabel(state, Date.now(), rateWindowS, {
    paused: live.paused,
    pausedAt: live.pausedAt ?? undefined,
  });
  const mode = isLive ? (live.paused ? 'paused' : 'live') : label.mode;

  const applyAbsolute = () => {
    const f = new Date(absFrom);
    const t = new Date(absTo);
    if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime()) || f >= t) return;
    navigate({
      from: isoSecond(f.getTime()),
      to: isoSecond(t.getTime()),
      at: '',
    });
    setOpen(false);
  };

  return (
    <div className="relative flex items-center gap-2 text-xs">
      <span
        data-testid="mode"
        data-mode={mode}
        title={label.text}
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
        {label.badge.toUpperCase()}
      </span>
      {isLive && (
        <button
          type="button"
          onClick={() => live.setPaused(!live.paused)}
          className="w-16 rounded border border-line px-2 py-1 hover:bg-panel-2"
          aria-pressed={live.paused}
        >
          {live.paused ? 'Resume' : 'Pause'}
        </button>
      )}
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        aria-haspopup="dialog"
        onClick={() => setOpen(!open)}
        className="max-w-64 truncate rounded border border-line px-2 py-1 hover:bg-panel-2"
        title={`${label.text}: choose a time range`}
        data-testid="time-label"
      >
        {label.text} ▾
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
                last {relativeSpan(`now-${p}`)}
              </button>
            ))}
          </div>
          <p className="mb-1 font-semibold">Custom range</p>
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
