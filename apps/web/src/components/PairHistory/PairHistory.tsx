import type { DiagnosePeriod } from '@weft/protocol';
import { historySentence, periodMoment, periodWords, stripSegments } from '../../domain/historyStrip.js';
import { momentWords } from '../../domain/windowWords.js';

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
          <div className="relative mt-2 h-4 w-full overflow-hidden rounded border border-line" role="list">
            {segments.map((s) => (
              <button
                key={`${s.start}-${s.state}`}
                type="button"
                role="listitem"
                data-testid="pair-period"
                data-state={s.state}
                title={`${periodWords(s, now)}: click to look at this moment`}
                aria-label={periodWords(s, now)}
                onClick={() => onPick(periodMoment(s, rateWindowMs))}
                className={`absolute top-0 h-full min-w-[2px] hover:opacity-80 ${COLOR[s.state]}`}
                style={{ left: `${s.left}%`, width: `${s.width}%` }}
              />
            ))}
          </div>
          <div className="tabular mt-0.5 flex justify-between text-xs text-muted">
            <span>{momentWords(segments[0]!.start, now)}</span>
            <span>{momentWords(segments[segments.length - 1]!.end, now)}</span>
          </div>
        </>
      )}
    </div>
  );
}
