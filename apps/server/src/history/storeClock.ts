/**
 * The store's clock: the real one, or pinned to a past time while the journal is replayed, so the store
 * decides (retention window, 1 s horizon, cross-node dedupe) as it did when the batch first came.
 */
export class StoreClock {
  pinned: number | null = null;

  constructor(private readonly real: () => number) {}

  readonly now = (): number => this.pinned ?? this.real();
}
