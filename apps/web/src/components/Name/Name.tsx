import { truncateMiddle } from '../../domain/format.js';

/**
 * An untrusted name from the cluster (pod, namespace, DNS name): rendered as text only, shortened in
 * the middle so both the prefix and the random suffix stay visible, the full value in the tooltip.
 */
export function Name({ value, max = 48, className }: { value: string; max?: number; className?: string }) {
  const shown = truncateMiddle(value, max);
  return (
    <span className={`inline-block max-w-full truncate align-bottom ${className ?? ''}`} title={value}>
      {shown}
    </span>
  );
}
