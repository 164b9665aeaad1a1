import { setTimeout as sleep } from 'node:timers/promises';
import { type BackoffOptions, backoffDelay } from '../stream/backoff.js';
import { JsonLineSplitter } from './jsonLineSplitter.js';
import { KubeApiError, type KubeConnection } from './kubeConnection.js';
import type { KubeList, KubeObject, Status, WatchEvent } from './kubeObjects.js';

export interface ListWatchOptions<T extends KubeObject> {
  connection: KubeConnection;
  /** The collection, e.g. /api/v1/pods or /apis/apps/v1/replicasets. */
  path: string;
  fieldSelector?: string;
  /** What is kept of each object (the rest of it is garbage at once). Must keep metadata uid/name/namespace. */
  keep: (obj: KubeObject) => T;
  onUpsert: (obj: T) => void;
  onDelete: (obj: T) => void;
  onError: (err: Error) => void;
  backoff: BackoffOptions;
  /** Objects per list page (limit); the continue token fetches the next. */
  pageSize?: number;
  /** Asked of the server per watch; client-go picks 5-10 minutes at random so watches end spread out. */
  watchTimeoutSeconds?: () => number;
}

export interface ListWatch<T> {
  /** Settles after the first list was applied, or failed (and is being retried), or on stop(). */
  readonly synced: Promise<void>;
  /** Settles once a list has been applied (never when every list failed). */
  readonly listed: Promise<void>;
  /** The objects known now, as kept. */
  items(): IterableIterator<T>;
  /** Where a resumed watch starts: the last resourceVersion seen (list, event or bookmark). */
  resourceVersion(): string;
  /** Aborts the request in flight and any wait; settles once the loop has ended (no timer or socket left). */
  stop(): Promise<void>;
}

const keyOf = (o: KubeObject) =>
  o.metadata?.uid || `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const isStatus = (o: KubeObject | Status): o is Status => (o as Status).kind === 'Status';

/**
 * What ended a watch: 'gone' asks for a relist (410, as a response or as a watch ERROR event, both
 * thrown as KubeApiError), 'quiet' brought nothing (retried after a backoff).
 */
type WatchEnd = 'events' | 'quiet' | 'gone';

/**
 * One resource kept in step with the API server the way client-go's reflector does: list (paged),
 * then watch from the list's resourceVersion with bookmarks; a watch that ends normally is resumed
 * from the last resourceVersion seen; 410 Gone (too old resource version) relists and replaces the
 * state, deleting what vanished meanwhile; any other failure is reported and retried with backoff.
 */
export function startListWatch<T extends KubeObject>(opts: ListWatchOptions<T>): ListWatch<T> {
  const { connection, path } = opts;
  const store = new Map<string, T>();
  const abort = new AbortController();
  const { signal } = abort;
  const pageSize = opts.pageSize ?? 500;
  const watchTimeout = opts.watchTimeoutSeconds ?? (() => 300 + Math.floor(Math.random() * 300));
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((resolve) => {
    markSynced = resolve;
  });
  let markListed: () => void = () => {};
  const listed = new Promise<void>((resolve) => {
    markListed = resolve;
  });
  const selector: Record<string, string> = opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {};

  /**
   * fromCache: resourceVersion=0, served from the API server's watch cache (possibly a little behind,
   * which the watch then makes up), as client-go's first list does: a DaemonSet's collectors all
   * starting at once must not each read every pod from etcd. After a 410 the list is a consistent
   * read (no resourceVersion): the cache's copy may be the very thing that was too old.
   */
  async function list(fromCache: boolean): Promise<string> {
    const seen = new Map<string, T>();
    let cont = '';
    let rv = '';
    do {
      const q = new URLSearchParams({ ...selector, limit: String(pageSize) });
      // A continue token carries its own snapshot: the API server refuses a resourceVersion beside it
      // (all but "0"), and client-go's pager sends none.
      if (cont) q.set('continue', cont);
      else if (fromCache) q.set('resourceVersion', '0');
      const page = await connection.getJson<KubeList>(`${path}?${q}`, signal);
      for (const item of page.items ?? []) seen.set(keyOf(item), opts.keep(item));
      cont = page.metadata?.continue ?? '';
      rv = page.metadata?.resourceVersion ?? '';
    } while (cont && !signal.aborted);
    if (!rv) throw new Error(`GET ${path}: list without metadata.resourceVersion`);
    // Deletes first: a Service recreated under the same name is a new uid, and its upsert must win.
    for (const [k, old] of store) {
      if (!seen.has(k)) {
        store.delete(k);
        opts.onDelete(old);
      }
    }
    for (const [k, obj] of seen) {
      store.set(k, obj);
      opts.onUpsert(obj);
    }
    return rv;
  }

  async function watch(from: string, setRv: (rv: string) => void): Promise<'events' | 'quiet'> {
    const timeout = watchTimeout();
    const q = new URLSearchParams({
      ...selector,
      watch: '1',
      resourceVersion: from,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeout),
    });
    // The server ends the watch after timeoutSeconds; silence well past that is a dead connection.
    const res = await connection.get(`${path}?${q}`, signal, (timeout + 60) * 1000);
    const lines = new JsonLineSplitter();
    let delivered = false;
    const apply = (value: unknown): void => {
      const e = value as Partial<WatchEvent>;
      if (!e || typeof e.type !== 'string' || !e.object || typeof e.object !== 'object')
        throw new Error(`GET ${path}: watch line is not an event`);
      const obj = e.object;
      if (e.type === 'ERROR' || isStatus(obj)) {
        const s = obj as Status;
        throw new KubeApiError(s.code ?? 0, `watch ${path}: ${s.code ?? ''} ${s.message ?? s.reason ?? ''}`);
      }
      const rv = obj.metadata?.resourceVersion;
      if (rv) setRv(rv);
      delivered = true;
      if (e.type === 'BOOKMARK') return;
      const key = keyOf(obj);
      if (e.type === 'DELETED') {
        store.delete(key);
        opts.onDelete(opts.keep(obj));
      } else if (e.type === 'ADDED' || e.type === 'MODIFIED') {
        const kept = opts.keep(obj);
        store.set(key, kept);
        opts.onUpsert(kept);
      }
    };
    try {
      for await (const chunk of res) for (const value of lines.push(chunk as Buffer)) apply(value);
      for (const value of lines.end()) apply(value);
    } finally {
      res.destroy();
    }
    return delivered ? 'events' : 'quiet';
  }

  let lastRv = '';
  async function run(): Promise<void> {
    let attempt = 0;
    let gone = false;
    while (!signal.aborted) {
      let end: WatchEnd;
      try {
        if (!lastRv) {
          lastRv = await list(!gone);
          gone = false;
          markListed();
          markSynced();
        }
        end = await watch(lastRv, (v) => {
          lastRv = v;
          attempt = 0;
        });
      } catch (err) {
        if (signal.aborted) return;
        markSynced();
        // 410 to a watch (its response or an ERROR event in it), or to a list's continue token: relist.
        if (err instanceof KubeApiError && err.code === 410) end = 'gone';
        else {
          opts.onError(new Error(`kubernetes ${path}: ${(err as Error).message}`));
          end = 'quiet';
        }
      }
      if (end === 'gone') {
        lastRv = '';
        gone = true;
      }
      // A watch that delivered events and simply ended (timeoutSeconds) resumes at once; everything
      // else waits, longer each time, so a failing or empty-handed server is not hammered.
      if (end === 'events') continue;
      await sleep(backoffDelay(attempt++, opts.backoff), undefined, { signal }).catch(() => {});
    }
  }

  const done = run()
    .catch((err: Error) => opts.onError(new Error(`kubernetes ${path}: ${err.message}`)))
    // Stopped before its first list: whoever waits for the sync is not left waiting.
    .finally(markSynced);

  return {
    synced,
    listed,
    items: () => store.values(),
    resourceVersion: () => lastRv,
    stop: () => {
      abort.abort();
      return done;
    },
  };
}
