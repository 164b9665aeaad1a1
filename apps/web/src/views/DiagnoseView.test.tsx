import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { renderWithApp } from '../testing/renderWithApp.js';
import DiagnoseView from './DiagnoseView.js';

afterEach(cleanup);

describe('DiagnoseView', () => {
  it('shows the verdict and the four steps for the pair in the URL', () => {
    const { from, to } = fixtures.diagnose;
    renderWithApp(<DiagnoseView />, {
      search: `?view=diagnose&src=${encodeURIComponent(from)}&dst=${encodeURIComponent(to)}`,
      data: [[['diagnose', from, to], fixtures.diagnose]],
    });
    const verdict = screen.getByTestId('diagnose-verdict');
    expect(verdict.textContent).toBe('Blocked by network policy');
    expect(verdict.dataset.verdict).toBe('blocked');
    expect(screen.getByText(/Step 1: Network policy drops/)).toBeTruthy();
    expect(screen.getByText(/Step 4: Latency/)).toBeTruthy();
    expect(screen.getByText(/reason="policy_drop"/)).toBeTruthy();
  });
  it('refuses a subject that is not ns/name, an IP or ip:port, and puts a valid pair in the URL', () => {
    const { store } = renderWithApp(<DiagnoseView />, { search: '?view=diagnose' });
    const src = screen.getByLabelText(/^Source/);
    const dst = screen.getByLabelText(/^Destination/);
    fireEvent.change(src, { target: { value: 'not a pod' } });
    expect(screen.getByText(/Use namespace\/name/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Diagnose' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(src, { target: { value: 'production/frontend-7d9f8-abc12' } });
    fireEvent.change(dst, { target: { value: '10.96.0.10:5432' } });
    fireEvent.click(screen.getByRole('button', { name: 'Diagnose' }));
    expect(store.get().state).toMatchObject({
      src: 'production/frontend-7d9f8-abc12',
      dst: '10.96.0.10:5432',
    });
  });
});
