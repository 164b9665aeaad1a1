import type { ReactNode } from 'react';

/** Nothing to show yet, and what the user can do about it. */
export function EmptyState({
  title,
  children,
  testId,
}: {
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div
      data-testid={testId ?? 'empty-state'}
      className="mx-auto my-8 max-w-xl rounded-lg border border-dashed border-line bg-panel p-6 text-center"
    >
      <h2 className="text-base font-semibold">{title}</h2>
      {children && <div className="mt-2 space-y-2 text-sm text-muted">{children}</div>}
    </div>
  );
}

/** Shown wherever data is missing because no collector has connected. */
export function NoCollectorHelp() {
  return (
    <>
      <p>No collector has sent data to this server yet.</p>
      <p>
        Run the whole thing with <code className="rounded bg-panel-2 px-1 text-fg">npm start</code> (lab,
        collectors and server), or point a collector at this server:
      </p>
      <pre className="overflow-x-auto rounded bg-panel-2 p-2 text-left text-xs text-fg">
        pnpm weft collector --server ws://127.0.0.1:8080/api/v1/ingest
      </pre>
      <p>The page updates on its own as soon as data arrives.</p>
    </>
  );
}
