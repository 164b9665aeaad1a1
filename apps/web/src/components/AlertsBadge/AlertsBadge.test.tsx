import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { renderWithApp } from '../../testing/renderWithApp.js';
import { AlertsBadge } from './AlertsBadge.js';

afterEach(cleanup);

describe('AlertsBadge', () => {
  it('counts pending rules and names them in the tooltip', () => {
    renderWithApp(<AlertsBadge />, { data: [[['alerts'], fixtures.alerts]] });
    const badge = screen.getByTestId('alerts-badge');
    expect(badge.textContent).toContain('1 pending');
    expect(badge.closest('a')!.title).toMatch(
      /^pending: HighPacketDropRate since \d\d:\d\d:\d\d( [AP]M)? \S.* \(.+\)$/,
    );
  });
  it('counts firing rules and opens the alerts view', () => {
    const firing = {
      rules: fixtures.alerts.rules.map((r) =>
        r.name === 'HighDNSFailureRate' ? { ...r, state: 'firing' as const } : r,
      ),
    };
    const { store } = renderWithApp(<AlertsBadge />, { data: [[['alerts'], firing]] });
    expect(screen.getByTestId('alerts-badge').textContent).toContain('1 firing');
    fireEvent.click(screen.getByTestId('alerts-badge'));
    expect(store.get().state.view).toBe('alerts');
  });
});
