import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { renderWithApp } from '../testing/renderWithApp.js';
import AlertsView from './AlertsView.js';

afterEach(cleanup);

describe('AlertsView', () => {
  it('lists when each rule fired and resolved, newest first, and a time looks at that moment', () => {
    const { store } = renderWithApp(<AlertsView />, {
      search: '?view=alerts',
      data: [[['alerts'], fixtures.alerts]],
    });
    const rule = screen.getByTestId('alert-HighTCPConnectionFailures');
    const episodes = within(rule).getAllByTestId('alert-episode');
    expect(episodes).toHaveLength(2);
    expect(episodes[0]!.textContent).toMatch(
      /^fired \d\d:\d\d:\d\d( [AP]M)? \S.*, resolved \d\d:\d\d:\d\d( [AP]M)? \S.* \(for 3 min\)$/,
    );
    const end = 1795773600000;
    fireEvent.click(within(episodes[0]!).getByTestId('alert-fired'));
    expect(Date.parse(store.get().state.at)).toBe(end - 900_000);
    fireEvent.click(within(episodes[1]!).getByTestId('alert-resolved'));
    expect(Date.parse(store.get().state.at)).toBe(end - 2_520_000);
    // A rule that only went pending has no episode, and says so.
    expect(within(screen.getByTestId('alert-HighPacketDropRate')).queryByTestId('alert-episode')).toBeNull();
  });
});
