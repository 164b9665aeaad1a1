import { cleanup, fireEvent, screen } from '@testing-library/react';
import { type FlowsResponse, parseFilter } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { flowSearchKey } from '../../api/useFlowSearch.js';
import { EMPTY_FLOWS_URL } from '../../domain/flowsUrl.js';
import { layoutViewport } from '../../testing/layoutViewport.js';
import { renderWithApp } from '../../testing/renderWithApp.js';
import PodPanel from './PodPanel.js';

afterEach(cleanup);

layoutViewport(1000, 300);

const SEARCH = '?level=pod&focus=pod:production/api-0';

/** The server's first page of the pod's flows: 3 rows of `total` matches. */
function firstPage(total: number): { pages: FlowsResponse[]; pageParams: string[] } {
  const rows = fixtures.flows.flows.slice(0, 3).map((r, i) => ({ ...r, seq: 500 - i }));
  return { pages: [{ ...fixtures.flows, flows: rows, total, next: 'tx.1', head: 500 }], pageParams: [''] };
}

describe('PodPanel', () => {
  it("reads the pod's flows from the server's search and says how many of all matches are loaded", () => {
    const key = flowSearchKey(parseFilter(SEARCH).state, EMPTY_FLOWS_URL);
    renderWithApp(<PodPanel namespace="production" pod="api-0" graph={null} />, {
      search: SEARCH,
      data: [[key, firstPage(12_000)]],
    });
    expect(screen.getByTestId('flows-count').textContent).toBe('3 of 12k flows');
    expect(screen.getAllByTestId('flow-row')).toHaveLength(3);
  });
  it('a click on a row opens it in the Flows view, with the same filter', () => {
    const key = flowSearchKey(parseFilter(SEARCH).state, EMPTY_FLOWS_URL);
    const { store } = renderWithApp(<PodPanel namespace="production" pod="api-0" graph={null} />, {
      search: SEARCH,
      data: [[key, firstPage(3)]],
    });
    fireEvent.click(screen.getAllByTestId('flow-row')[1]!);
    const url = new URLSearchParams(store.get().search);
    expect(url.get('view')).toBe('flows');
    expect(url.get('row')).toBe('499');
    expect(url.get('focus')).toBe('pod:production/api-0');
  });
});
