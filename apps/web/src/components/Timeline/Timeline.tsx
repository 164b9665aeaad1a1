import {
  DEFAULT_RATE_WINDOW_MS,
  type FilterState,
  type Incident,
  isChangeIncident,
  resolveTime,
  type TimelineResponse,
  type TimeWindow,
} from '@weft/protocol';
import {
  type KeyboardEvent,
  type PointerEvent,
  type RefObject,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useStatus, useTimeline } from '../../api/queries.js';
import { useLive } from '../../app/LiveContext.js';
import { useUrl } from '../../app/UrlContext.js';
import { formatByteRate, formatRate } from '../../domain/format.js';
import { isoSecond } from '../../domain/isoSecond.js';
import { REPLAY_SPEEDS, type ReplaySpeed } from '../../domain/replay.js';
import { momentLabel, selectionLabel, windowLabel } from '../../domain/timeLabel.js';
import {
  adjacentIncident,
  areaPath,
  dragToWindow,
  incidentNear,
  keyMove,
  pointIndexAt,
  timeToX,
  xToTime,
} from './timelineGeometry.js';
import { useReplay } from './useReplay.js';

const HEIGHT = 44;
const MARK_H = 7;
const TCP_COLOUR = '#bc8cff';

/** The four columns: traffic on its own scale, the three kinds of failure on a shared one. */
const SERIES = [
  { key: 'bytesPerSec', name: 'traffic', colour: 'var(--weft-accent)', format: formatByteRate },
  { key: 'dropsPerSec', name: 'drops', colour: 'var(--weft-danger)', format: formatRate },
  { key: 'dnsErrorsPerSec', name: 'DNS errors', colour: 'var(--weft-warn)', format: formatRate },
  { key: 'tcpFailuresPerSec', name: 'TCP failures', colour: TCP_COLOUR, format: formatRate },
] as const;

function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.clientWidth > 0) setWidth(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => el.clientWidth > 0 && setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** The moment the selection looks at: `at`, or the end of the window (live: now). */
function currentMoment(state: FilterState, now: number, rateWindowMs: number): number {
  const t = resolveTime(state, now, rateWindowMs);
  return t.mode === 'range' ? t.range.end : t.window.end;
}

/**
 * The strip across the top of every view: traffic, drops, DNS errors and TCP failures over the
 * selection's range, incidents as markers, the moment or window shown highlighted. Click = that
 * moment, drag = that window, arrows move the moment; previous/next incident, replay, back to live.
 */
export function Timeline() {
  const { state, navigate } = useUrl();
  const live = useLive();
  const status = useStatus();
  const rateWindowS = status.data?.rateWindowS ?? DEFAULT_RATE_WINDOW_MS / 1000;
  const rateWindowMs = rateWindowS * 1000;
  const timeline = useTimeline(state);
  const replay = useReplay(rateWindowMs);
  const [ref, width] = useWidth();
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);
  /** Where the press began: read on release even when the state update has not rendered yet. */
  const press = useRef<number | null>(null);
  const [hoverX, setHoverX] = useState<number | null>(null);

  const now = Date.now();
  const resolved = resolveTime(state, now, rateWindowMs);
  const data: TimelineResponse | undefined = timeline.data;
  // The data's own span while it answers this selection; the resolved one before it arrives.
  const range: TimeWindow =
    data && !timeline.isPlaceholderData ? { start: data.start, end: data.end } : resolved.range;
  const stepMs = (data?.step ?? 30) * 1000;
  const incidents = data?.incidents ?? [];
  const moment = currentMoment(state, now, rateWindowMs);
  const isLive = resolved.mode === 'live';

  const paths = useMemo(() => {
    if (!data) return [];
    const errMax = Math.max(0, ...data.dropsPerSec, ...data.dnsErrorsPerSec, ...data.tcpFailuresPerSec);
    return SERIES.map((s) => {
      const values = data[s.key];
      const max = s.key === 'bytesPerSec' ? Math.max(0, ...values) : errMax;
      return { ...s, d: areaPath(data.t, values, data.step * 1000, range, width, HEIGHT, max) };
    });
  }, [data, range, width]);

  const label = selectionLabel(state, now, rateWindowS, {
    paused: live.paused,
    pausedAt: live.pausedAt ?? undefined,
  });

  // In the chart's own units: before the first measurement the drawn width may differ from `width`.
  const xOf = (e: PointerEvent<Element>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return box.width > 0 ? ((e.clientX - box.left) * width) / box.width : e.clientX - box.left;
  };
  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    try {
      // Keeps the drag going outside the strip; a pointer the browser no longer tracks cannot be captured.
      e.currentTarget.setPointerCapture?.(e.pointerId);
    } catch {}
    const x = xOf(e);
    press.current = x;
    setDrag({ x0: x, x1: x });
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const x = xOf(e);
    setHoverX(x);
    if (press.current !== null) setDrag({ x0: press.current, x1: x });
  };
  const onPointerUp = (e: PointerEvent<SVGSVGElement>) => {
    const x0 = press.current;
    if (x0 === null) return;
    press.current = null;
    const x1 = xOf(e);
    setDrag(null);
    const w = dragToWindow(x0, x1, range, width, rateWindowMs);
    if (w) {
      navigate({ from: isoSecond(w.start), to: isoSecond(w.end), at: '' });
      return;
    }
    const t = incidentNear(incidents, x0, range, width, stepMs, now) ?? xToTime(x0, range, width);
    navigate({ at: isoSecond(Math.min(t, now)) });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = keyMove(e.key, e.shiftKey, moment, range, stepMs);
    if (next === undefined) return;
    e.preventDefault();
    // Holding an arrow would otherwise leave one history entry per press.
    navigate({ at: isoSecond(Math.min(next, now)) }, { replace: state.at !== '' });
  };
  const jump = (dir: -1 | 1) => {
    const hit = adjacentIncident(incidents, moment, dir, stepMs, now);
    if (hit) navigate({ at: isoSecond(hit.moment) });
  };
  const prev = adjacentIncident(incidents, moment, -1, stepMs, now);
  const next = adjacentIncident(incidents, moment, 1, stepMs, now);

  const selected =
    resolved.mode === 'range' ? resolved.range : resolved.window.end <= range.end ? resolved.window : null;
  const hoverT = hoverX === null ? null : xToTime(hoverX, range, width);
  const hoverI = hoverT === null || !data ? -1 : pointIndexAt(hoverT, data.start, stepMs, data.t.length);
  const dragWindow = drag ? dragToWindow(drag.x0, drag.x1, range, width, rateWindowMs) : null;

  return (
    <section
      aria-label="Timeline"
      data-testid="timeline"
      className="border-b border-line bg-panel px-4 py-1.5 text-xs"
    >
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          onClick={() => jump(-1)}
          disabled={!prev}
          title={prev ? `Previous incident: ${prev.incident.label}` : 'No earlier incident in this range'}
          className="rounded border border-line px-2 py-0.5 hover:bg-panel-2 disabled:opacity-40"
        >
          ◀ Previous incident
        </button>
        <button
          type="button"
          onClick={() => jump(1)}
          disabled={!next}
          title={next ? `Next incident: ${next.incident.label}` : 'No later incident in this range'}
          className="rounded border border-line px-2 py-0.5 hover:bg-panel-2 disabled:opacity-40"
        >
          Next incident ▶
        </button>
        {replay.playing ? (
          <button
            type="button"
            onClick={replay.stop}
            className="rounded border border-accent px-2 py-0.5 text-accent hover:bg-panel-2"
          >
            ■ Stop replay
          </button>
        ) : (
          <button
            type="button"
            onClick={replay.play}
            title={
              state.at ? 'Play forward from the moment shown' : 'Play forward from the start of the range'
            }
            className="rounded border border-line px-2 py-0.5 hover:bg-panel-2"
          >
            ▶ Replay
          </button>
        )}
        <label className="flex items-center gap-1 text-muted">
          Speed
          <select
            value={replay.speed}
            onChange={(e) => replay.setSpeed(Number(e.target.value) as ReplaySpeed)}
            className="rounded border border-line bg-panel-2 px-1 py-0.5 text-fg"
          >
            {REPLAY_SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}x
              </option>
            ))}
          </select>
        </label>
        {!isLive && (
          <button
            type="button"
            onClick={() => {
              replay.stop();
              navigate({ from: '', to: '', at: '' });
            }}
            className="rounded bg-ok/15 px-2 py-0.5 font-semibold text-ok hover:bg-ok/25"
          >
            Back to live
          </button>
        )}
        <span className="flex-1" />
        <span className="tabular text-muted" data-testid="timeline-readout">
          {hoverT !== null && hoverI >= 0 && data
            ? `${momentLabel(hoverT, now)} · ${SERIES.map((s) => `${s.name} ${s.format(data[s.key][hoverI] ?? 0)}`).join(' · ')}`
            : `${windowLabel(range.start, range.end, now)}${incidents.length ? ` · ${incidents.length} incident${incidents.length === 1 ? '' : 's'}` : ''}`}
        </span>
        <span className="flex items-center gap-2 text-muted" aria-hidden="true">
          {SERIES.map((s) => (
            <span key={s.key} className="flex items-center gap-1">
              <span className="inline-block h-2 w-2 rounded-sm" style={{ background: s.colour }} />
              {s.name}
            </span>
          ))}
        </span>
      </div>
      <div
        ref={ref}
        role="slider"
        tabIndex={0}
        aria-label="Moment shown (arrows move it, Shift for larger steps)"
        aria-valuemin={range.start}
        aria-valuemax={range.end}
        aria-valuenow={moment}
        aria-valuetext={label.text}
        onKeyDown={onKeyDown}
        className="mt-1 rounded focus:outline-2 focus:outline-accent"
      >
        <svg
          data-testid="timeline-chart"
          data-start={range.start}
          data-end={range.end}
          data-step={stepMs}
          width="100%"
          height={HEIGHT + MARK_H}
          viewBox={`0 0 ${width} ${HEIGHT + MARK_H}`}
          preserveAspectRatio="none"
          className="block cursor-crosshair touch-none select-none"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => setHoverX(null)}
          role="presentation"
        >
          <rect x={0} y={MARK_H} width={width} height={HEIGHT} fill="var(--weft-panel-2)" />
          <g transform={`translate(0 ${MARK_H})`}>
            {paths.map((p, i) => (
              <path
                key={p.key}
                d={p.d}
                fill={p.colour}
                fillOpacity={i === 0 ? 0.25 : 0.45}
                stroke={p.colour}
                strokeWidth={1}
                vectorEffect="non-scaling-stroke"
                data-series={p.key}
              />
            ))}
          </g>
          {selected && (
            <rect
              data-testid="timeline-selection"
              x={timeToX(selected.start, range, width)}
              y={MARK_H}
              width={Math.max(2, timeToX(selected.end, range, width) - timeToX(selected.start, range, width))}
              height={HEIGHT}
              fill="var(--weft-accent)"
              fillOpacity={resolved.mode === 'range' ? 0.08 : 0.3}
            />
          )}
          {resolved.mode !== 'range' && (
            <line
              data-testid="timeline-moment"
              x1={timeToX(moment, range, width)}
              x2={timeToX(moment, range, width)}
              y1={0}
              y2={HEIGHT + MARK_H}
              stroke={isLive ? 'var(--weft-ok)' : 'var(--weft-accent)'}
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
            />
          )}
          {incidents.map((inc) => (
            <IncidentMark
              key={`${inc.kind}:${inc.at}:${inc.edge ?? inc.rule ?? inc.label}`}
              incident={inc}
              x={timeToX(inc.at, range, width)}
            />
          ))}
          {dragWindow && (
            <rect
              x={timeToX(dragWindow.start, range, width)}
              y={MARK_H}
              width={timeToX(dragWindow.end, range, width) - timeToX(dragWindow.start, range, width)}
              height={HEIGHT}
              fill="var(--weft-fg)"
              fillOpacity={0.15}
            />
          )}
          {hoverX !== null && !drag && (
            <line
              x1={hoverX}
              x2={hoverX}
              y1={MARK_H}
              y2={HEIGHT + MARK_H}
              stroke="var(--weft-muted)"
              strokeDasharray="2 2"
            />
          )}
        </svg>
      </div>
      {timeline.error && (
        <p className="mt-0.5 text-muted" data-testid="timeline-error">
          The timeline's data is unavailable ({timeline.error.message}); clicking and dragging still choose
          the time.
        </p>
      )}
    </section>
  );
}

function IncidentMark({ incident, x }: { incident: Incident; x: number }) {
  const alert = incident.kind === 'alert_fired' || incident.kind === 'alert_resolved';
  const bad = incident.kind === 'alert_fired' || incident.kind === 'drops_started';
  // What changed (a NetworkPolicy, Service, EndpointSlice, workload or pod): neither good nor bad, a diamond in the accent colour.
  const change = isChangeIncident(incident.kind);
  const colour = change ? 'var(--weft-accent)' : bad ? 'var(--weft-danger)' : 'var(--weft-ok)';
  return (
    <g
      data-testid="timeline-incident"
      data-kind={incident.kind}
      data-at={incident.at}
      data-edge={incident.edge}
    >
      <title>{`${momentLabel(incident.at, Date.now())}: ${incident.label}`}</title>
      {change ? (
        <path d={`M${x},0L${x + 4},${MARK_H / 2}L${x},${MARK_H}L${x - 4},${MARK_H / 2}Z`} fill={colour} />
      ) : alert ? (
        <path d={`M${x - 4},0L${x + 4},0L${x},${MARK_H}Z`} fill={colour} />
      ) : (
        <circle cx={x} cy={MARK_H / 2} r={3} fill={colour} />
      )}
      <line
        x1={x}
        x2={x}
        y1={MARK_H}
        y2={HEIGHT + MARK_H}
        stroke={colour}
        strokeOpacity={0.5}
        strokeWidth={1}
      />
    </g>
  );
}
