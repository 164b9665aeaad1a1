import { type Endpoint, L4_PROTOS } from '@weft/protocol';
import { ListTier } from './buckets.js';
import { DnsBucket } from './dnsBucket.js';
import { EdgeTier } from './edgeTier.js';
import type { TierArena } from './tierArena.js';

/** Protocol names by the number protoNumber gives them (series' portId keeps it in its low 3 bits): the wire's. */
export const PROTOS: readonly string[] = L4_PROTOS;

/** Small number of a protocol name (L4Proto's five; anything else, should the schema grow, is 7). */
export function protoNumber(proto: string): number {
  const i = PROTOS.indexOf(proto);
  return i < 0 ? 7 : i;
}

/** Client -> server at pod level, one protocol and service port: the unit the store keeps buckets for. */
export class EdgeSeries {
  readonly fine: EdgeTier;
  readonly coarse: EdgeTier;
  lastSeen = 0;
  /**
   * Graph node numbers (LevelTables) of the client (c) and server (s) end per level index, -1 until a
   * query needs them: queries roll up the same series many times. Plain fields rather than an array:
   * a 50,000-series pass then fetches one object less per series (measured: ~4 ms a pass).
   */
  c0 = -1;
  s0 = -1;
  c1 = -1;
  s1 = -1;
  c2 = -1;
  s2 = -1;
  c3 = -1;
  s3 = -1;
  /** LevelTables generation the numbers belong to. */
  levelGen = -1;
  /** Has drops or TCP connects: queries need its buckets' maps and histograms, not only running totals. */
  detail = false;
  /** Service port and protocol as one number (port * 8 + protocol), for numeric map keys. */
  readonly portId: number;
  /** The namespace-level series this one also adds to; `dead` once pruned from the store. */
  rollup: EdgeSeries | null = null;
  dead = false;
  /** Where the store's SeriesList keeps it, -1 when not listed. */
  listAt = -1;
  /** Interner ids of its ends: its key in the store's lookup index. */
  clientId = 0;
  serverId = 0;
  /** SeriesOwners index of the node whose batch made it (-1: the cluster totals, no node's). */
  owner = -1;
  /** Its place in its owner's IdleOrder (the lastSeen of its latest touch). */
  idleAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly client: Endpoint,
    readonly server: Endpoint,
    readonly proto: string,
    readonly port: number,
    arena?: TierArena,
  ) {
    this.fine = new EdgeTier(arena);
    this.coarse = new EdgeTier(arena, true);
    this.portId = port * 8 + protoNumber(proto);
  }
}

export class DnsSeries {
  readonly fine = new ListTier<DnsBucket>();
  readonly coarse = new ListTier<DnsBucket>();
  lastSeen = 0;
  /** SeriesOwners index of the node whose batch made it. */
  owner = -1;
  /** Its place in its owner's IdleOrder (the lastSeen of its latest touch). */
  idleAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly key: string,
    readonly client: Endpoint,
  ) {}
}

export const makeDnsBucket = (t: number) => new DnsBucket(t);
