import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../fixtures/cleanups.js';
import { FakeKubeApi } from '../fixtures/fakeKubeApi.js';
import { until } from '../fixtures/until.js';
import { KubeConnection } from './kubeConnection.js';
import type { KubeObject } from './kubeObjects.js';
import { type ListWatch, type ListWatchOptions, startListWatch } from './listWatch.js';

const PODS = '/api/v1/pods';

const obj = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels },
});

const cleanups = cleanupsAfterEach();

async function fakeApi(): Promise<FakeKubeApi> {
  const api = new FakeKubeApi();
  await api.start();
  cleanups.push(() => api.stop());
  return api;
}

function watchPods(server: string, extra: Partial<ListWatchOptions<KubeObject>> = {}) {
  const upserts: string[] = [];
  const deletes: string[] = [];
  const errors: string[] = [];
  const lw: ListWatch<KubeObject> = startListWatch<KubeObject>({
    connection: new KubeConnection({ server, token: 'wco-token', source: 'test' }),
    path: PODS,
    keep: (o) => o,
    onUpsert: (o) => upserts.push(o.metadata?.name ?? ''),
    onDelete: (o) => deletes.push(o.metadata?.name ?? ''),
    onError: (e) => errors.push(e.message),
    backoff: { initialMs: 20, maxMs: 100 },
    ...extra,
  });
  cleanups.push(() => lw.stop());
  const names = () => new Set([...lw.items()].map((o) => o.metadata?.name));
  return { lw, upserts, deletes, errors, names };
}

const watches = (api: FakeKubeApi) => api.requests.filter((r) => r.path === PODS && r.watch);
const lists = (api: FakeKubeApi) => api.requests.filter((r) => r.path === PODS && !r.watch);

describe('startListWatch', () => {
  it('lists in pages (limit, continue), then watches from the list resourceVersion with bookmarks', async () => {
    const api = await fakeApi();
    for (const n of ['a', 'b', 'c', 'd', 'e']) api.put(PODS, obj(n));
    const { lw, names } = watchPods(api.url, { pageSize: 2 });
    await lw.synced;
    expect(names()).toEqual(new Set(['a', 'b', 'c', 'd', 'e']));
    const pages = lists(api);
    expect(pages.map((p) => p.limit)).toEqual(['2', '2', '2']);
    expect(pages[0]).toMatchObject({ continue: '', resourceVersion: '0' });
    expect(pages[1]).toMatchObject({ resourceVersion: '', status: 200 });
    expect(pages[1]?.continue).not.toBe('');
    await until(() => watches(api).length === 1, 'the watch');
    const [w] = watches(api);
    expect(w).toMatchObject({ resourceVersion: String(api.resourceVersion), allowWatchBookmarks: true });
    expect(Number(w?.timeoutSeconds)).toBeGreaterThanOrEqual(300);
    api.put(PODS, obj('f'));
    api.delete(PODS, 'shop', 'a');
    await until(() => names().has('f') && !names().has('a'), 'f added, a deleted');
  });

  it('reads events split into many small chunks, multi-byte characters included', async () => {
    const api = await fakeApi();
    const { lw } = watchPods(api.url);
    await lw.synced;
    await until(() => api.openWatches === 1, 'the watch');
    api.splitEventsAt = 3;
    api.put(PODS, obj('ü-pod', { team: 'café—ü' }));
    await until(() => [...lw.items()].length === 1, 'the pod');
    expect([...lw.items()][0]?.metadata?.labels).toEqual({ team: 'café—ü' });
  });

  for (const goneAs of ['event', 'http'] as const) {
    it(`relists on 410 Gone (${goneAs}) and deletes what vanished meanwhile`, async () => {
      const api = await fakeApi();
      api.goneAs = goneAs;
      for (const n of ['a', 'b']) api.put(PODS, obj(n));
      const { lw, deletes, names } = watchPods(api.url);
      await lw.synced;
      await until(() => api.openWatches === 1, 'the watch');
      api.dropWatches();
      api.delete(PODS, 'shop', 'b');
      api.put(PODS, obj('c'));
      api.compact();
      await until(() => lists(api).length === 2, 'the relist');
      // The first list may come from the watch cache; the relist must not (its copy may be the stale one).
      expect(lists(api).map((r) => r.resourceVersion)).toEqual(['0', '']);
      await until(() => names().has('c') && !names().has('b'), 'the relisted state');
      expect(deletes).toEqual(['b']);
      expect(api.goneSent).toBeGreaterThan(0);
      await until(() => api.openWatches === 1, 'the watch again');
      expect(watches(api).at(-1)?.resourceVersion).toBe(String(api.resourceVersion));
    });
  }

  it('resumes a watch that ended normally from the last resourceVersion, without a relist', async () => {
    const api = await fakeApi();
    // The server ends each watch after timeoutSeconds=1.
    const { lw, names, errors } = watchPods(api.url, { watchTimeoutSeconds: () => 1 });
    await lw.synced;
    await until(() => api.openWatches === 1, 'the watch');
    api.put(PODS, obj('x'));
    const rvOfX = api.resourceVersion;
    await until(() => names().has('x'), 'x');
    await until(() => watches(api).length >= 2, 'the watch resumed');
    expect(watches(api)[1]?.resourceVersion).toBe(String(rvOfX));
    expect(watches(api)[1]?.timeoutSeconds).toBe('1');
    api.put(PODS, obj('y'));
    await until(() => names().has('y'), 'y');
    expect(lists(api)).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('resumes from a BOOKMARK resourceVersion (events of other kinds moved it on)', async () => {
    const api = await fakeApi();
    const { lw } = watchPods(api.url);
    await lw.synced;
    await until(() => api.openWatches === 1, 'the watch');
    api.put('/api/v1/services', obj('svc'));
    api.bookmark();
    const bookmarked = String(api.resourceVersion);
    await until(() => lw.resourceVersion() === bookmarked, 'the bookmark');
    api.dropWatches();
    await until(() => watches(api).length >= 2, 'the watch resumed');
    expect(watches(api)[1]?.resourceVersion).toBe(bookmarked);
    expect(lists(api)).toHaveLength(1);
  });

  it('reports a 500 and retries with backoff until the server answers', async () => {
    const api = await fakeApi();
    api.put(PODS, obj('a'));
    api.failNext = 3;
    const { lw, errors, names } = watchPods(api.url);
    await lw.synced;
    await until(() => names().has('a'), 'the list after the failures');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(
      /kubernetes \/api\/v1\/pods: GET \/api\/v1\/pods\?limit=500&resourceVersion=0: 500 .*etcdserver/,
    );
    expect(lists(api)).toHaveLength(4);
  });

  it('retries a refused connection with backoff, and stop() ends the loop', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { lw, errors } = watchPods(`http://127.0.0.1:${port}`);
    await lw.synced;
    await until(() => errors.length >= 3, 'three attempts');
    expect(errors[0]).toContain('ECONNREFUSED');
    await lw.stop();
  });

  it('stop() before the first list answers settles synced', async () => {
    // A server that accepts and never answers.
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const open = new Set<Socket>();
    silent.on('connection', (s) => open.add(s));
    const { lw } = watchPods(`http://127.0.0.1:${(silent.address() as { port: number }).port}`);
    await until(() => open.size === 1, 'the list request');
    await lw.stop();
    await lw.synced;
    for (const s of open) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('stop() closes its connections', async () => {
    const api = await fakeApi();
    const { lw } = watchPods(api.url);
    await lw.synced;
    await until(() => api.openWatches === 1, 'the watch');
    await lw.stop();
    await until(() => api.openConnections === 0 && api.openWatches === 0, 'no connection left');
  });
});
