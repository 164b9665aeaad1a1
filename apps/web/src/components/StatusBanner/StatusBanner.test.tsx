import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { renderWithApp } from '../../testing/renderWithApp.js';
import { StatusBanner } from './StatusBanner.js';

afterEach(cleanup);

describe('StatusBanner', () => {
  it('says plainly that no collector is connected and how to start one', () => {
    renderWithApp(<StatusBanner />, {
      data: [[['status'], { ...fixtures.status, simulated: false, collectors: [] }]],
    });
    const banner = screen.getByTestId('banner-no-collector');
    expect(banner.textContent).toContain('No collector connected');
    expect(banner.textContent).toContain('npm start');
    expect(screen.queryByTestId('banner-simulated')).toBeNull();
  });
  it('flags simulated data', () => {
    renderWithApp(<StatusBanner />, { data: [[['status'], fixtures.status]] });
    expect(screen.getByTestId('banner-simulated').textContent).toContain('Simulated data');
    expect(screen.queryByTestId('banner-no-collector')).toBeNull();
  });
  it('shows nothing for real, connected collectors', () => {
    const real = {
      ...fixtures.status,
      simulated: false,
      collectors: fixtures.status.collectors.map((c) => ({ ...c, simulated: false })),
    };
    const { container } = renderWithApp(<StatusBanner />, { data: [[['status'], real]] });
    expect(container.textContent).toBe('');
  });
});
