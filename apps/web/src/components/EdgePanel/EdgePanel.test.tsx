import { cleanup, fireEvent, screen } from '@testing-library/react';
import { parseFilter } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { renderWithApp } from '../../testing/renderWithApp.js';
import { EdgePanel } from './EdgePanel.js';

afterEach(cleanup);

const graph = fixtures.graphWorkload;
const edge = graph.edges.find((e) => e.id === 'wl:production/api->wl:production/db')!;

describe('EdgePanel', () => {
  it('makes the connection the focus: a URL that opens the map with it selected', () => {
    const { store } = renderWithApp(<EdgePanel edge={edge} graph={graph} onClose={() => {}} />, {
      search: '?level=workload&focus=ns:production',
    });
    const link = screen.getByRole('link', { name: 'Focus this connection' }) as HTMLAnchorElement;
    expect(parseFilter(new URL(link.href).search).state.focus).toBe(edge.id);
    fireEvent.click(link);
    expect(store.get().state).toMatchObject({ view: 'map', level: 'workload', focus: edge.id });
    expect(screen.queryByRole('link', { name: 'Focus this connection' })).toBeNull();
  });
});
