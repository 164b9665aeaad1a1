import type { WhatIfResponse } from '@weft/protocol';
import { useSyncExternalStore } from 'react';

/**
 * The last what-if answer of this page, for the map to mark: kept in memory only (the YAML it came
 * from may be large, so it is not in the URL), until cleared or the page reloads.
 */
let current: WhatIfResponse | null = null;
const listeners = new Set<() => void>();

export function setLastWhatIf(answer: WhatIfResponse | null): void {
  current = answer;
  for (const l of listeners) l();
}

export function useLastWhatIf(): WhatIfResponse | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
