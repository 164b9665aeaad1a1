import {
  applyGraphDelta,
  canonicalGraph,
  GraphDeltaMismatch,
  type LiveDelta,
  type LiveUpdate,
} from '@weft/protocol';

export interface LiveReceived {
  /** The graph to show now (whole, as an update would carry it), or null when there is none new. */
  show: LiveUpdate | null;
  /** The client must ask for the whole graph: a delta did not follow the graph it holds. */
  resync: boolean;
}

/**
 * The graph of one live subscription as the browser holds it: a whole update replaces it, a delta on the
 * update it holds (`base` is that one's `seq`) is applied to it. A delta on anything else means the
 * client missed a message: it asks once for the whole graph and ignores deltas until that comes.
 */
export class LiveGraph {
  private held: LiveUpdate | null = null;
  private asked = false;

  /** A new subscription (or connection): what is held no longer answers it. */
  reset(): void {
    this.held = null;
    this.asked = false;
  }

  get current(): LiveUpdate | null {
    return this.held;
  }

  receive(msg: LiveUpdate | LiveDelta): LiveReceived {
    if (msg.type === 'update') {
      this.held = { ...msg, graph: canonicalGraph(msg.graph) };
      this.asked = false;
      return { show: this.held, resync: false };
    }
    const held = this.held;
    if (held !== null && msg.base === held.seq) {
      try {
        const { type: _t, base: _b, head: _h, nodes: _n, edges: _e, ...rest } = msg;
        this.held = { ...rest, type: 'update', graph: applyGraphDelta(held.graph, msg) };
        return { show: this.held, resync: false };
      } catch (err) {
        if (!(err instanceof GraphDeltaMismatch)) throw err;
      }
    }
    // Behind: what is held stays on screen until the whole graph comes.
    this.held = null;
    const resync = !this.asked;
    this.asked = true;
    return { show: null, resync };
  }
}
