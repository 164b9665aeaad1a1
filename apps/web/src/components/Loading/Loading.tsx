/** A placeholder with the size of what will replace it, so nothing jumps when data arrives. */
export function Loading({ label, height = 160 }: { label: string; height?: number }) {
  return (
    <div
      role="status"
      aria-live="polite"
      className="flex animate-pulse items-center justify-center rounded-lg border border-line bg-panel text-sm text-muted"
      style={{ height }}
    >
      Loading {label}…
    </div>
  );
}
