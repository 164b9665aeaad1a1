import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { isoSecond } from '../domain/isoSecond.js';
import { renderWithApp } from '../testing/renderWithApp.js';
import DiagnoseView from './DiagnoseView.js';

afterEach(cleanup);

describe('DiagnoseView', () => {
  it('shows the verdict and the four steps for the pair in the URL', () => {
    const { src: from, dst: to } = fixtures.diagnose;
    renderWithApp(<DiagnoseView />, {
      search: `?view=diagnose&src=${encodeURIComponent(from)}&dst=${encodeURIComponent(to)}`,
      data: [[['diagnose', from, to, '', '', ''], fixtures.diagnose]],
    });
    const verdict = screen.getByTestId('diagnose-verdict');
    expect(verdict.textContent).toBe('Blocked by network policy');
    expect(verdict.dataset.verdict).toBe('blocked');
    expect(screen.getByText(/Step 1: Network policy drops/)).toBeTruthy();
    expect(screen.getByText(/Step 4: Latency/)).toBeTruthy();
    expect(screen.getByText(/reason="policy_drop"/)).toBeTruthy();
  });
  it('lists every problem worst first with its evidence, and its next steps open the dashboard filtered', () => {
    const { src: from, dst: to } = fixtures.diagnose;
    const { store } = renderWithApp(<DiagnoseView />, {
      search: `?view=diagnose&src=${encodeURIComponent(from)}&dst=${encodeURIComponent(to)}`,
      data: [[['diagnose', from, to, '', '', ''], fixtures.diagnose]],
    });
    const problems = screen.getAllByTestId('diagnose-problem');
    expect(problems.map((p) => p.dataset.kind)).toEqual(['blocked', 'timeout']);
    expect(problems[0]!.textContent).toContain('policy drops: 4000 packets');
    expect(screen.getAllByTestId('diagnose-rule')[0]!.textContent).toMatch(/^Rule: problem when any packet/);
    fireEvent.click(screen.getAllByText('See the policy drops between them')[0]!);
    expect(store.get().state).toMatchObject({
      view: 'drops',
      focus: 'pod:production/api-5c6b7-def34->pod:production/db-0',
      reason: 'policy_drop',
    });
  });
  it('shows the failing pod pairs of two namespaces', () => {
    const answer = {
      ...fixtures.diagnose,
      src: 'ns:monitoring',
      dst: 'ns:production',
      srcKind: 'namespace' as const,
      dstKind: 'namespace' as const,
      pairs: [
        {
          src: 'monitoring/prometheus-0',
          dst: 'production/db-0',
          verdict: 'refused' as const,
          summary: 'connection refused',
        },
      ],
    };
    renderWithApp(<DiagnoseView />, {
      search: '?view=diagnose&src=ns%3Amonitoring&dst=ns%3Aproduction',
      data: [[['diagnose', 'ns:monitoring', 'ns:production', '', '', ''], answer]],
    });
    expect(screen.getByTestId('diagnose-pairs').textContent).toContain('monitoring/prometheus-0');
    expect((screen.getByLabelText(/^Source/) as HTMLInputElement).placeholder).toContain('ns:monitoring');
  });
  it('names the NetworkPolicy that denies the pair in its policy step', () => {
    const { src: from, dst: to } = fixtures.diagnose;
    const policyFinding = {
      verdict: 'denied' as const,
      policy: { namespace: 'production', name: 'api-ingress' },
      direction: 'ingress' as const,
      rule: 'production/api-ingress selects app=api and allows ingress only from app=frontend on TCP 80',
      flow: `TCP 80 from ${from} to ${to}`,
      explanation: 'ingress denied: ...',
    };
    const answer = {
      ...fixtures.diagnose,
      steps: fixtures.diagnose.steps.map((s) => (s.id === 'policy_drops' ? { ...s, policyFinding } : s)),
    };
    renderWithApp(<DiagnoseView />, {
      search: `?view=diagnose&src=${encodeURIComponent(from)}&dst=${encodeURIComponent(to)}`,
      data: [[['diagnose', from, to, '', '', ''], answer]],
    });
    expect(screen.getByTestId('diagnose-policy').textContent).toBe(
      `Denied by NetworkPolicy production/api-ingress (ingress)${policyFinding.rule}${policyFinding.flow}`,
    );
  });
  it('says the verdict is for now (the live window), shows the pair’s history, and a period sets `at`', () => {
    const { src: from, dst: to } = fixtures.diagnose;
    const { store } = renderWithApp(<DiagnoseView />, {
      search: `?view=diagnose&src=${encodeURIComponent(from)}&dst=${encodeURIComponent(to)}`,
      data: [[['diagnose', from, to, '', '', ''], fixtures.diagnose]],
    });
    expect(screen.getByTestId('diagnose-window').textContent).toBe('failing now (last 10 s)');
    expect(screen.getByTestId('pair-history-sentence').textContent).toMatch(
      /^Failing since \d\d:\d\d:\d\d( [AP]M)? \S.*\.$/,
    );
    const periods = screen.getAllByTestId('pair-period');
    expect(periods.map((p) => p.dataset.state)).toEqual(['healthy', 'failing']);
    fireEvent.click(periods[1]!);
    const failing = fixtures.diagnose.history[1]!;
    const at = Date.parse(store.get().state.at);
    expect(at).toBeGreaterThanOrEqual(failing.start);
    expect(at).toBeLessThanOrEqual(failing.end);
  });
  it('asks for the pair at the selected moment', () => {
    const { src: from, dst: to } = fixtures.diagnose;
    const at = isoSecond(Date.now() - 3_600_000);
    const atAnswer = { ...fixtures.diagnose, mode: 'at' as const, verdict: 'healthy' as const };
    renderWithApp(<DiagnoseView />, {
      search: `?view=diagnose&src=${encodeURIComponent(from)}&dst=${encodeURIComponent(to)}&at=${at}`,
      data: [[['diagnose', from, to, '', '', at], atAnswer]],
    });
    expect(screen.getByTestId('diagnose-window').textContent).toMatch(
      /^healthy at .+ \(the 10 s before it\)$/,
    );
  });
  it('refuses what is no subject form, and puts a valid pair in the URL', () => {
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
