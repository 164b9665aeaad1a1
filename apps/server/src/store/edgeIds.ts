/** Node numbers this high or higher are not cached (keys stay below 2^53). */
const SPAN = 2 ** 20;
/** Past this many ids the cache starts over (a pod-level graph over a churning store). */
const MAX_IDS = 16_384;

interface Held {
  /** The node ids the edge id was made from (LevelTables' strings: the same objects while numbered). */
  source: string;
  target: string;
  id: string;
}

/**
 * Edge ids (`${source}->${target}`) kept between queries by level and node numbers, so the live map's
 * answer every second reuses the strings of the second before: a workload answer made two string
 * objects per edge for its 4,873 ids, and each scavenge that finds an answer alive copies all of its
 * objects. An id is reused only when its node numbers still name the same node id strings (numbers
 * are given again once freed, and start over with a new LevelTables generation).
 */
export class EdgeIds {
  private readonly held = new Map<number, Held>();
  private generation = -1;

  /** The id of the edge from node `src` (id `source`) to node `dst` (id `target`) at level index `l`. */
  get(l: number, generation: number, src: number, dst: number, source: string, target: string): string {
    if (src >= SPAN || dst >= SPAN) return `${source}->${target}`;
    if (generation !== this.generation) {
      this.held.clear();
      this.generation = generation;
    }
    const key = (l * SPAN + src) * SPAN + dst;
    const h = this.held.get(key);
    if (h !== undefined && h.source === source && h.target === target) return h.id;
    const id = `${source}->${target}`;
    if (this.held.size >= MAX_IDS) this.held.clear();
    this.held.set(key, { source, target, id });
    return id;
  }

  get size(): number {
    return this.held.size;
  }
}
