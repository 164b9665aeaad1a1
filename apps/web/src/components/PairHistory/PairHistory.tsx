import type { DiagnosePeriod } from '@weft/protocol';
import { historySentence, periodMoment, periodWords, stripSegments } from '../../domain/historyStrip.js';
import { momentLabel } from '../../domain/timeLabel.js';

const COLOR: Record<DiagnosePeriod['state'], string> = {
  failing: 'bg-danger',
  healthy: 'bg-ok/60',
  no_traffic: 'bg-panel-2',
};

/**
 * A pair's history over the range as a strip (failing red, healthy green, no traffic blank) with the
 * sentence that matters ("Failing since 10:14:05"). A period is a button: it looks at a moment inside it.
 */
export function PairHistory({
  history,
  rateWindowMs,
  onPick,
}: {
  history: readonly DiagnosePeriod[];
  rateWindowMs: number;
  onPick: (at: number) => void;
}) {
  const now = Date.now();
  const segments = stripSegments(history);
  return (
    <div data-testid="pair-history">
      <p className="text-sm font-semibold" data-testid="pair-history-sentence">
        {historySentence(history, now)}
      </p>
      {segments.length > 0 && (
        <>
          <ul
            className="relative mt-2 h-4 w-full overflow-hidden rounded border border-line"
            aria-label="History of this pair"
          >
            {segments.map((s) => (
              <li
                key={`${s.start}-${s.state}`}
                className="absolute top-0 h-full min-w-[2px]"
                style={{ left: `${s.left}%`, width: `${s.width}%` }}
              >
                <button
                  type="button"
                  data-testid="pair-period"
                  data-state={s.state}
                  title={`${periodWords(s, now)}: click to look at this moment`}
                  aria-label={periodWords(s, now)}
                  onClick={() => onPick(periodMoment(s, rateWindowMs))}
                  className={`block h-full w-full hover:opacity-80 ${COLOR[s.state]}`}
                />
              </li>
            ))}
          </ul>
          <div className="tabular mt-0.5 flex justify-between text-xs text-muted">
            <span>{momentLabel(segments[0]!.start, now)}</span>
            <span>{momentLabel(segments[segments.length - 1]!.end, now)}</span>
          </div>
        </>
      )}
    </div>
  );
}
