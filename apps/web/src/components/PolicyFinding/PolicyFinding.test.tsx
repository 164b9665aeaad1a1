import { cleanup, render, screen } from '@testing-library/react';
import type { PolicyFinding as Finding } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyFinding } from './PolicyFinding.js';

afterEach(cleanup);

const DENIED: Finding = {
  verdict: 'denied',
  policy: { namespace: 'production', name: 'db-ingress' },
  direction: 'ingress',
  rule: 'production/db-ingress selects app=db and allows ingress only from app=api on TCP 5432',
  flow: 'TCP 5432 from production/frontend-1 to production/db-0',
  explanation:
    'ingress denied: production/db-ingress selects app=db and allows ingress only from app=api on TCP 5432; frontend-1 in production matches no allowed peer',
};

describe('PolicyFinding', () => {
  it('names the denying policy, its direction and rule, the explanation in the tooltip', () => {
    render(<PolicyFinding finding={DENIED} />);
    const el = screen.getByTestId('policy-finding');
    expect(el.textContent).toBe(
      `Denied by NetworkPolicy production/db-ingress (ingress)${DENIED.rule}${DENIED.flow}`,
    );
    expect(el.getAttribute('title')).toBe(DENIED.explanation);
  });

  it('says when no policy denies the pair', () => {
    const explanation =
      'dropped by netfilter, and no NetworkPolicy denies this pair: look at the CNI or host firewall (allowed: ...)';
    render(<PolicyFinding finding={{ verdict: 'not_denied', flow: DENIED.flow, explanation }} compact />);
    expect(screen.getByTestId('policy-finding').textContent).toBe(
      'no NetworkPolicy denies these (CNI or host firewall?)',
    );
  });
});
