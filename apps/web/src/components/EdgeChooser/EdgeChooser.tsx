import { useEffect, useRef } from 'react';
import { Name } from '../Name/Name.js';

export interface EdgeChoice {
  id: string;
  /** "frontend → api", from the nodes' labels. */
  ends: string;
  /** The edge's map label ("9121/TCP refused"). */
  label: string;
}

/**
 * A small menu at a tap that landed where several edges lie within a few pixels of each other: it lists
 * them, and the one picked is selected as a tap on it alone would. Escape or a tap elsewhere closes it.
 * Names are rendered as text.
 */
export function EdgeChooser({
  choices,
  at,
  flip,
  onChoose,
  onClose,
}: {
  choices: EdgeChoice[];
  /** Where the tap was, in CSS px inside the map. */
  at: { x: number; y: number };
  /** Open to the left / upwards of the tap (near the map's right or bottom edge). */
  flip: { x: boolean; y: boolean };
  onChoose: (id: string) => void;
  onClose: () => void;
}) {
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    menu.current?.querySelector('button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      // Taken here: the map's own Escape (up a level) waits for the next one.
      e.preventDefault();
      onClose();
    };
    const onDown = (e: PointerEvent) => {
      if (menu.current && !menu.current.contains(e.target as Node)) onClose();
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('pointerdown', onDown, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('pointerdown', onDown, true);
    };
  }, [onClose]);
  return (
    <div
      ref={menu}
      role="menu"
      aria-label="Connections here"
      data-testid="edge-chooser"
      className="absolute z-30 w-80 max-w-[90%] rounded border border-line bg-panel p-1 text-sm shadow-lg"
      style={{
        left: at.x,
        top: at.y,
        transform: `translate(${flip.x ? '-100%' : '0'}, ${flip.y ? '-100%' : '0'})`,
      }}
    >
      <p className="px-1 text-xs text-muted">{choices.length} connections here: which one?</p>
      {choices.map((c) => (
        <button
          key={c.id}
          type="button"
          role="menuitem"
          data-testid="edge-choice"
          data-id={c.id}
          onClick={() => onChoose(c.id)}
          className="grid w-full grid-cols-[minmax(0,1fr)_auto] gap-2 rounded px-1 py-0.5 text-left hover:bg-panel-2 focus:bg-panel-2"
        >
          <Name value={c.ends} max={40} />
          <span className="tabular text-xs text-muted">{c.label}</span>
        </button>
      ))}
    </div>
  );
}
