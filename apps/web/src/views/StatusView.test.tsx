import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { renderWithApp } from '../testing/renderWithApp.js';
import StatusView from './StatusView.js';

afterEach(cleanup);

describe('StatusView', () => {
  it("lists the lab's faults, built in and added, and the built-in ones cleared", () => {
    const now = Date.now();
    const lab = {
      faults: [
        {
          id: 's1',
          kind: 'policy-drop',
          detail: 'from=production/legacy-worker to=production/api',
          origin: 'scenario' as const,
          since: now - 120_000,
        },
        {
          id: 'f1',
          kind: 'refused',
          detail: 'target=production/db port=5432',
          origin: 'user' as const,
          since: now,
        },
      ],
      cleared: [
        {
          id: 's4',
          kind: 'dns-nxdomain',
          detail: 'name=recommendations.production.svc.cluster.local',
          origin: 'scenario' as const,
          since: now - 120_000,
        },
      ],
    };
    renderWithApp(<StatusView />, { data: [[['status'], { ...fixtures.status, lab }]] });
    const rows = screen
      .getAllByTestId('lab-fault')
      .map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));
    expect(rows).toEqual([
      [
        's1',
        'policy-drop',
        'from=production/legacy-worker to=production/api',
        'built in (scenario)',
        'on for 2 min',
      ],
      ['f1', 'refused', 'target=production/db port=5432', 'added', 'on for 0 s'],
      [
        's4',
        'dns-nxdomain',
        'name=recommendations.production.svc.cluster.local',
        'built in (scenario)',
        'cleared',
      ],
    ]);
  });

  it('says why the lab faults are not there, and has no lab panel without a lab', () => {
    renderWithApp(<StatusView />, {
      data: [[['status'], { ...fixtures.status, lab: { faults: [], cleared: [], error: 'no lab is up' } }]],
    });
    expect(screen.getByTestId('lab-faults-error').textContent).toBe('no lab is up');
    cleanup();
    renderWithApp(<StatusView />, { data: [[['status'], { ...fixtures.status }]] });
    expect(screen.queryByText(/Lab faults/)).toBeNull();
  });
});
