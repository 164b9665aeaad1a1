import { cleanup, screen } from '@testing-library/react';
import type { Endpoint, WhatIfResponse } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithApp } from '../../testing/renderWithApp.js';
import PolicyView from '../../views/PolicyView.js';
import { WhatIfTable } from './WhatIfTable.js';

afterEach(cleanup);

const pod = (namespace: string, name: string): Endpoint => ({
  ip: '10.0.0.1',
  kind: 'pod',
  namespace,
  name,
  workloadKind: 'Deployment',
  workload: name.split('-')[0]!,
  service: '',
  node: 'n1',
});

const end = Date.now();
const answer: WhatIfResponse = {
  start: end - 900_000,
  end,
  policies: [{ namespace: 'production', name: 'api-ingress' }],
  evaluated: 9,
  denied: 1,
  flows: [
    {
      client: pod('monitoring', 'prometheus-0'),
      server: pod('production', 'api-1'),
      proto: 'tcp',
      port: 9090,
      packets: 354,
      bytes: 247_800,
      connections: 12,
      finding: {
        verdict: 'denied',
        policy: { namespace: 'production', name: 'api-ingress' },
        direction: 'ingress',
        rule: 'production/api-ingress selects app=api and allows ingress only from app=frontend on TCP 80',
        flow: 'TCP 9090 from monitoring/prometheus-0 to production/api-1',
        explanation: 'ingress denied: ...',
      },
    },
  ],
  notes: ['production/api-ingress replaces the current policy of that name'],
};

describe('WhatIfTable', () => {
  it('says how many connections it would deny, lists them with the policy, and links each to the map', () => {
    renderWithApp(<WhatIfTable answer={answer} />, { search: '?view=policy&from=now-15m' });
    expect(screen.getByTestId('whatif-summary').textContent).toMatch(
      /^production\/api-ingress would deny 1 of the 9 connections seen .+ that the current policies allow\.$/,
    );
    expect(screen.getByText('production/api-ingress replaces the current policy of that name')).toBeTruthy();
    const row = screen.getByTestId('whatif-flows').querySelectorAll('tbody tr')[0]!;
    expect(row.textContent).toContain('monitoring/prometheus-0');
    expect(row.textContent).toContain('denied by production/api-ingress');
    const link = screen.getByTitle('Show this connection on the map') as HTMLAnchorElement;
    expect(new URL(link.href).searchParams.get('focus')).toBe(
      'pod:monitoring/prometheus-0->pod:production/api-1',
    );
    // The map is the default view: the URL leaves `view` out.
    expect(new URL(link.href).searchParams.get('view')).toBeNull();
    expect(new URL(link.href).searchParams.get('level')).toBe('pod');
  });
});

describe('PolicyView', () => {
  it('offers the generated YAML of the URL’s namespace and workload over the selected time', () => {
    renderWithApp(<PolicyView />, {
      search: '?view=policy&namespace=production&workload=production/api&from=now-1h',
    });
    const href = (screen.getByTestId('generate-download') as HTMLAnchorElement).getAttribute('href')!;
    expect(href).toBe('/api/v1/policy/generate?namespace=production&workload=api&from=now-1h&format=yaml');
    expect((screen.getByTestId('generate-workload') as HTMLInputElement).value).toBe('api');
    expect((screen.getByTestId('whatif-evaluate') as HTMLButtonElement).disabled).toBe(true);
  });
});
