import type { FlowRow } from '@weft/protocol';
import { exportFileName, flowsToCsv, flowsToJson } from '../../domain/flowExport.js';

function download(text: string, type: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The rows shown, downloaded as CSV or JSON: one pair of buttons for every flows table. */
export function FlowExportButtons({ rows }: { rows: readonly FlowRow[] }) {
  return (
    <>
      <button
        type="button"
        disabled={rows.length === 0}
        onClick={() => download(flowsToCsv(rows), 'text/csv', exportFileName('csv', new Date()))}
        className="rounded border border-line px-2 py-1 text-xs hover:bg-panel-2 disabled:opacity-50"
      >
        Export CSV
      </button>
      <button
        type="button"
        disabled={rows.length === 0}
        onClick={() => download(flowsToJson(rows), 'application/json', exportFileName('json', new Date()))}
        className="rounded border border-line px-2 py-1 text-xs hover:bg-panel-2 disabled:opacity-50"
      >
        Export JSON
      </button>
    </>
  );
}
