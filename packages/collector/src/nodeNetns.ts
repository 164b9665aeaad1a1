import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { DropPlaces } from './aggregator.js';
import type { PodNetns } from './identity/identityTable.js';

/**
 * Where a drop happened, for nodes that share one kernel (the lab): the inodes of this node's pods'
 * network namespaces, read from their `ip netns` files, and of the namespace the collector (and its
 * probe) runs in. `refresh` re-reads them (pods come and go; a missing file is skipped).
 */
export class NodeNetns implements DropPlaces {
  shared = false;
  readonly root: number;
  private pods = new Map<number, string>();

  constructor(
    private readonly dir = '/run/netns',
    rootPath = '/proc/self/ns/net',
  ) {
    this.root = inodeOf(rootPath);
  }

  /** This node's pods and their namespaces, or null when the kernel is this node's alone. */
  refresh(local: readonly PodNetns[] | null): void {
    this.shared = local !== null;
    const next = new Map<number, string>();
    for (const { pod, netns } of local ?? []) {
      const ino = inodeOf(join(this.dir, netns));
      if (ino) next.set(ino, pod);
    }
    this.pods = next;
  }

  podAt(inode: number): string | undefined {
    return this.pods.get(inode);
  }
}

function inodeOf(path: string): number {
  try {
    return statSync(path).ino;
  } catch {
    return 0;
  }
}
