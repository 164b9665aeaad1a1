import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { renderWithApp } from '../../testing/renderWithApp.js';
import { TimeRangePicker } from './TimeRangePicker.js';

afterEach(cleanup);

const status = [['status'], { ...fixtures.status, rateWindowS: 5 }] as [unknown[], unknown];
const badge = () => screen.getByTestId('mode');
const label = () => screen.getByTestId('time-label').textContent;

describe('TimeRangePicker', () => {
  it('live, paused by the user: says so with the server rate window; the URL stays live', () => {
    const { store } = renderWithApp(<TimeRangePicker />, { data: [status] });
    expect(badge().dataset.mode).toBe('paused');
    expect(badge().textContent).toBe('PAUSED');
    expect(label()).toMatch(/^Paused at .+ · last 5 s ▾$/);
    expect(store.get().search).toBe('');
  });

  it('a moment: the badge says AT, the label the time in words, and pause is not offered', () => {
    const at = new Date(Date.now() - 120_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    renderWithApp(<TimeRangePicker />, { search: `?at=${at}`, data: [status] });
    expect(badge().dataset.mode).toBe('at');
    expect(badge().textContent).toBe('AT');
    expect(label()).toMatch(/^At \d{1,2}:\d{2}:\d{2}/);
    expect(label()).not.toContain(at);
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
  });

  it('a relative choice sets from in the URL and reads "Last 15 min"', () => {
    const { store } = renderWithApp(<TimeRangePicker />, { search: '?at=now-5m', data: [status] });
    fireEvent.click(screen.getByTestId('time-label'));
    fireEvent.click(screen.getByRole('button', { name: 'last 15 min' }));
    expect(store.get().state).toMatchObject({ from: 'now-15m', to: '', at: '' });
    expect(badge().dataset.mode).toBe('range');
    expect(label()).toBe('Last 15 min ▾');
  });
});
