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
});
