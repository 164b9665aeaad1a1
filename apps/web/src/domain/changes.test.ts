import type { GraphEdge } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { changeFigures, changeRows, edgeMark, markClasses } from './changes.js';

const compare = fixtures.graphWorkloadCompare;
const edgeOf = (id: string) => compare.edges.find((e) => e.id === id)!;

describe('edgeMark', () => {
  it('separates presence (new, vanished) from a rise, since both can hold at once', () => {
    expect(edgeMark(undefined)).toEqual({ presence: null, rose: false });
    expect(edgeMark([])).toEqual({ presence: null, rose: false });
    expect(edgeMark(['new'])).toEqual({ presence: 'new', rose: false });
    expect(edgeMark(['vanished'])).toEqual({ presence: 'vanished', rose: false });
    expect(edgeMark(['drops_rose'])).toEqual({ presence: null, rose: true });
    expect(edgeMark(['dns_errors_rose', 'new'])).toEqual({ presence: 'new', rose: true });
  });
  it('gives each mark its own class, none for an unchanged edge', () => {
    expect(markClasses(edgeMark(undefined))).toBe('');
    expect(markClasses(edgeMark(['new']))).toBe(' c-new');
    expect(markClasses(edgeMark(['vanished']))).toBe(' c-vanished');
    expect(markClasses(edgeMark(['failures_rose', 'new']))).toBe(' c-new c-rose');
  });
});

describe('changeRows', () => {
  it('lists only changed edges: drops first, then failures, DNS errors, new, vanished', () => {
    const rows = changeRows(compare);
    expect(rows.map((r) => [r.edge.id, r.kinds[0]])).toEqual([
      ['wl:production/api->wl:production/db', 'drops_rose'],
      ['wl:production/api->wl:kube-system/coredns', 'dns_errors_rose'],
      ['wl:production/frontend->wl:kube-system/coredns', 'new'],
      ['wl:production/frontend->wl:production/db', 'vanished'],
    ]);
    expect(rows[0]!.kinds).toEqual(['drops_rose', 'failures_rose']);
  });
  it('orders rows of one kind by how much they moved, biggest first', () => {
    const base = edgeOf('wl:production/api->wl:production/db');
    const small: GraphEdge = { ...base, id: 'a->b', dropsPerSec: 1 };
    const big: GraphEdge = { ...base, id: 'c->d', dropsPerSec: 9 };
    expect(changeRows({ edges: [small, big] }).map((r) => r.edge.id)).toEqual(['c->d', 'a->b']);
    // A tie falls back to the id, so the list does not shuffle between updates.
    expect(changeRows({ edges: [{ ...big, id: 'z->y' }, big] }).map((r) => r.edge.id)).toEqual([
      'c->d',
      'z->y',
    ]);
  });
  it('is empty without compare', () => {
    expect(changeRows(fixtures.graphWorkload)).toEqual([]);
  });
});

describe('changeFigures', () => {
  it('says now against before in the change’s own units', () => {
    expect(changeFigures(edgeOf('wl:production/api->wl:production/db'), 'drops_rose')).toBe(
      '4.5/s drops now, none before',
    );
    expect(changeFigures(edgeOf('wl:production/api->wl:kube-system/coredns'), 'dns_errors_rose')).toBe(
      '30 DNS errors now, 2 before',
    );
    expect(changeFigures(edgeOf('wl:production/frontend->wl:kube-system/coredns'), 'new')).toBe(
      '3 kB/s now, no traffic before',
    );
    expect(changeFigures(edgeOf('wl:production/frontend->wl:production/db'), 'vanished')).toBe(
      'no traffic now, 3 kB/s before',
    );
  });
});
