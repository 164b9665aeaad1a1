import { afterEach, describe, expect, it } from 'vitest';
import { createUrlStore } from './urlStore.js';

function at(search: string) {
  window.history.replaceState(null, '', `/${search}`);
}

describe('urlStore', () => {
  afterEach(() => at(''));

  it('reads the view from the URL and rewrites garbage to the clean form, listing what it dropped', () => {
    at('?view=dns&level=bogus&port=99999&junk=1&namespace=production');
    const store = createUrlStore();
    const snap = store.get();
    expect(snap.state.view).toBe('dns');
    expect(snap.state.namespace).toEqual(['production']);
    expect(snap.issues.map((i) => i.param).sort()).toEqual(['junk', 'level', 'port']);
    expect(window.location.search).toBe('?view=dns&namespace=production');
  });

  it('navigates with pushState, and back/forward restore each step', () => {
    at('');
    const store = createUrlStore();
    let notified = 0;
    store.subscribe(() => notified++);
    store.navigate({ focus: 'ns:production', level: 'workload' });
    store.navigate({ focus: 'wl:production/api', level: 'pod', workload: 'production/api' });
    expect(window.location.search).toBe('?level=pod&workload=production%2Fapi&focus=wl%3Aproduction%2Fapi');
    expect(notified).toBe(2);
    window.history.back();
    return new Promise<void>((resolve) => {
      window.addEventListener(
        'popstate',
        () => {
          expect(store.get().state).toMatchObject({ focus: 'ns:production', level: 'workload' });
          resolve();
        },
        { once: true },
      );
    });
  });

  it('does not push a history entry when nothing changes', () => {
    at('?view=flows');
    const store = createUrlStore();
    const length = window.history.length;
    store.navigate({ view: 'flows' });
    expect(window.history.length).toBe(length);
  });

  it('keeps the notice until dismissed, and links to the current view', () => {
    at('?view=nope');
    const store = createUrlStore();
    expect(store.get().issues).toHaveLength(1);
    store.navigate({ view: 'drops' });
    expect(store.get().issues).toHaveLength(1);
    store.dismissIssues();
    expect(store.get().issues).toHaveLength(0);
    expect(store.href()).toBe(`${window.location.origin}/?view=drops`);
  });

  it('at, from/to and compare round-trip through the URL; a bad one is named and the rest kept', () => {
    const time = 'from=2026-12-06T09%3A00%3A00Z&to=2026-12-06T10%3A00%3A00Z&at=2026-12-06T09%3A40%3A00Z';
    at(`?level=pod&${time}&compare=previous`);
    const store = createUrlStore();
    expect(store.get().state).toMatchObject({
      from: '2026-12-06T09:00:00Z',
      to: '2026-12-06T10:00:00Z',
      at: '2026-12-06T09:40:00Z',
      compare: 'previous',
    });
    expect(store.get().issues).toEqual([]);
    const again = new URLSearchParams(window.location.search);
    expect([again.get('from'), again.get('to'), again.get('at'), again.get('compare')]).toEqual([
      '2026-12-06T09:00:00Z',
      '2026-12-06T10:00:00Z',
      '2026-12-06T09:40:00Z',
      'previous',
    ]);

    at('?level=pod&at=yesterday&live=1&compare=last-week');
    const bad = createUrlStore().get();
    expect(bad.issues.map((i) => i.param).sort()).toEqual(['at', 'compare', 'live']);
    expect(bad.state).toMatchObject({ level: 'pod', at: '', compare: '' });
    expect(window.location.search).toBe('?level=pod');
  });
});

describe('urlStore and the map filter', () => {
  afterEach(() => at(''));

  it('keeps the map’s problems=1 beside the shared filter, and drops it off the map', () => {
    at('?level=workload&namespace=production&protocol=tcp&port=9121&q=api&problems=1');
    const store = createUrlStore();
    expect(store.get().map).toEqual({ problems: '1' });
    expect(store.get().issues).toEqual([]);
    expect(window.location.search).toBe(
      '?level=workload&namespace=production&protocol=tcp&port=9121&q=api&problems=1',
    );
    store.navigate({ focus: 'ns:production' });
    expect(window.location.search).toContain('&problems=1');
    store.navigate({}, {}, { problems: '' });
    expect(window.location.search).not.toContain('problems');
    store.navigate({}, {}, { problems: '1' });
    store.navigate({ view: 'flows' });
    expect(store.get().map).toEqual({ problems: '' });
    expect(window.location.search).not.toContain('problems');
  });

  it('lists a bad map parameter with the others it dropped', () => {
    at('?problems=maybe&protocol=sctp');
    const store = createUrlStore();
    expect(store.get().issues.map((i) => `${i.param}: ${i.reason}`)).toEqual([
      'protocol: must be one of tcp, udp, icmp, icmpv6',
      'problems: must be 1 (only problems) or absent',
    ]);
    expect(window.location.search).toBe('');
  });
});
