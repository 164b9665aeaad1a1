import type { IdentityTable } from './identityTable.js';

/** A running feed of names into an IdentityTable (Kubernetes informers or an inventory file). */
export interface IdentitySource {
  readonly kind: 'kubernetes' | 'inventory' | 'static';
  readonly table: IdentityTable;
  stop(): Promise<void>;
}
