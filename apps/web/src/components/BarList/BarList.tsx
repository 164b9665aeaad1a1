import { Name } from '../Name/Name.js';

export interface BarItem {
  key: string;
  label: string;
  value: number;
  display: string;
  tone?: 'accent' | 'danger' | 'warn';
}

/** Top-N as labelled horizontal bars: plain DOM, so views without charts stay light. */
export function BarList({ items, empty }: { items: BarItem[]; empty: string }) {
  if (items.length === 0) return <p className="py-2 text-sm text-muted">{empty}</p>;
  const max = Math.max(...items.map((i) => i.value), 1e-9);
  return (
    <ul className="space-y-1">
      {items.map((i) => (
        <li key={i.key} className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-2 text-sm">
          <div className="relative min-w-0 overflow-hidden rounded">
            <div
              className={`absolute inset-y-0 left-0 ${i.tone === 'danger' ? 'bg-danger/25' : i.tone === 'warn' ? 'bg-warn/25' : 'bg-accent/20'}`}
              style={{ width: `${Math.max(2, (i.value / max) * 100)}%` }}
            />
            <div className="relative px-1.5 py-0.5">
              <Name value={i.label} max={60} />
            </div>
          </div>
          <span className="tabular text-right text-muted">{i.display}</span>
        </li>
      ))}
    </ul>
  );
}
