import type { IdentityTable } from './identityTable.js';

/** A running feed of names into an IdentityTable (Kubernetes informers or an inventory file). */
export interface IdentitySource {
  readonly kind: 'kubernetes' | 'inventory' | 'static';
  readonly table: IdentityTable;
  /** Settles once the first list of everything has been applied (or failed and is being retried). */
  readonly synced?: Promise<void>;
  stop(): Promise<void>;
}
