import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { DropPlaces } from './aggregator.js';

/**
 * Where a drop happened, for nodes that share one kernel (the lab): the inodes of this node's pods'
 * network namespaces, read from their `ip netns` files, and of the namespace the collector (and its
 * probe) runs in. `refresh` re-reads them (pods come and go; a missing file is skipped).
 */
export class NodeNetns implements DropPlaces {
  shared = false;
  readonly root: number;
  private inodes = new Set<number>();

  constructor(
    private readonly dir = '/run/netns',
    rootPath = '/proc/self/ns/net',
  ) {
    this.root = inodeOf(rootPath);
  }

  /** `names`: this node's pods' namespaces, or null when the kernel is this node's alone. */
  refresh(names: readonly string[] | null): void {
    this.shared = names !== null;
    const next = new Set<number>();
    for (const n of names ?? []) {
      const ino = inodeOf(join(this.dir, n));
      if (ino) next.add(ino);
    }
    this.inodes = next;
  }

  has(inode: number): boolean {
    return this.inodes.has(inode);
  }
}

function inodeOf(path: string): number {
  try {
    return statSync(path).ino;
  } catch {
    return 0;
  }
}
