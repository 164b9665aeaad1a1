import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { parseFilter } from '@weft/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixtures } from '../../api/fixtures.js';
import { timelineParams } from '../../domain/timelineParams.js';
import { renderWithApp } from '../../testing/renderWithApp.js';
import { Timeline } from './Timeline.js';

// The fixture spans 2026-12-06 09:00-10:00 UTC in 30 s steps; drops ran 09:20-09:30.
const RANGE = '?from=2026-12-06T09:00:00Z&to=2026-12-06T10:00:00Z';
const NOW = Date.parse('2026-12-06T10:30:00Z');
// jsdom lays nothing out: the strip keeps its default 800 px, so x = 800 * (t - 09:00) / 1 h.
const xAt = (hhmmss: string) =>
  (800 * (Date.parse(`2026-12-06T${hhmmss}Z`) - fixtures.timeline.start)) / 3_600_000;

function renderTimeline(search: string) {
  const state = parseFilter(search).state;
  return renderWithApp(<Timeline />, {
    search,
    data: [
      [['status'], fixtures.status],
      [['timeline', timelineParams(state, Date.now()).toString()], fixtures.timeline],
    ],
  });
}

const at = (store: ReturnType<typeof renderTimeline>['store']) => store.get().state.at;
const chart = () => screen.getByTestId('timeline-chart');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Timeline', () => {
  it('draws the four columns and one marker per incident, its label as the tooltip', () => {
    renderTimeline(RANGE);
    const series = [...chart().querySelectorAll('path[data-series]')].map((p) =>
      p.getAttribute('data-series'),
    );
    expect(series).toEqual(['bytesPerSec', 'dropsPerSec', 'dnsErrorsPerSec', 'tcpFailuresPerSec']);
    const marks = screen.getAllByTestId('timeline-incident');
    expect(marks.map((m) => m.dataset.kind)).toEqual([
      'drops_started',
      'alert_fired',
      'drops_stopped',
      'alert_resolved',
    ]);
    expect(marks[1]!.querySelector('title')!.textContent).toContain('DropsHigh fired (150/s)');
    expect(chart().dataset.start).toBe(String(fixtures.timeline.start));
  });

  it('marks a NetworkPolicy change as what changed: an accent diamond, its words as the tooltip', () => {
    const state = parseFilter(RANGE).state;
    const created = {
      kind: 'policy_created' as const,
      at: Date.parse('2026-12-06T09:19:00Z'),
      label: 'NetworkPolicy production/db-ingress created',
      policy: { namespace: 'production', name: 'db-ingress' },
    };
    renderWithApp(<Timeline />, {
      search: RANGE,
      data: [
        [['status'], fixtures.status],
        [
          ['timeline', timelineParams(state, Date.now()).toString()],
          { ...fixtures.timeline, incidents: [created, ...fixtures.timeline.incidents] },
        ],
      ],
    });
    const mark = screen.getAllByTestId('timeline-incident')[0]!;
    expect(mark.dataset.kind).toBe('policy_created');
    expect(mark.querySelector('title')!.textContent).toContain('NetworkPolicy production/db-ingress created');
    expect(mark.querySelector('path')!.getAttribute('fill')).toBe('var(--weft-accent)');
  });

  it('marks a pod restart as what changed too', () => {
    const state = parseFilter(RANGE).state;
    const restarted = {
      kind: 'pod_restarted' as const,
      at: Date.parse('2026-12-06T09:19:00Z'),
      label: 'Pod production/api-5d9-x2 restarted (restarts 1 -> 2)',
      object: { kind: 'Pod' as const, namespace: 'production', name: 'api-5d9-x2' },
    };
    renderWithApp(<Timeline />, {
      search: RANGE,
      data: [
        [['status'], fixtures.status],
        [
          ['timeline', timelineParams(state, Date.now()).toString()],
          { ...fixtures.timeline, incidents: [restarted, ...fixtures.timeline.incidents] },
        ],
      ],
    });
    const mark = screen.getAllByTestId('timeline-incident')[0]!;
    expect(mark.dataset.kind).toBe('pod_restarted');
    expect(mark.querySelector('title')!.textContent).toContain('Pod production/api-5d9-x2 restarted');
    expect(mark.querySelector('path')!.getAttribute('fill')).toBe('var(--weft-accent)');
  });

  it('a click looks at that moment and keeps the range', () => {
    const { store } = renderTimeline(RANGE);
    fireEvent.pointerDown(chart(), { button: 0, clientX: xAt('09:45:00'), pointerId: 1 });
    fireEvent.pointerUp(chart(), { button: 0, clientX: xAt('09:45:00'), pointerId: 1 });
    expect(store.get().state).toMatchObject({
      at: '2026-12-06T09:45:00Z',
      from: '2026-12-06T09:00:00Z',
      to: '2026-12-06T10:00:00Z',
    });
    expect(screen.getByTestId('timeline-moment')).toBeTruthy();
  });

  it('a click next to a marker takes the marker', () => {
    const { store } = renderTimeline(RANGE);
    fireEvent.pointerDown(chart(), { button: 0, clientX: xAt('09:20:40') + 3, pointerId: 1 });
    fireEvent.pointerUp(chart(), { button: 0, clientX: xAt('09:20:40') + 3, pointerId: 1 });
    expect(at(store)).toBe('2026-12-06T09:20:40Z');
  });

  it('a drag selects that window', () => {
    const { store } = renderTimeline(RANGE);
    fireEvent.pointerDown(chart(), { button: 0, clientX: xAt('09:30:00'), pointerId: 1 });
    fireEvent.pointerMove(chart(), { clientX: xAt('09:20:00'), pointerId: 1 });
    fireEvent.pointerUp(chart(), { button: 0, clientX: xAt('09:15:00'), pointerId: 1 });
    expect(store.get().state).toMatchObject({
      from: '2026-12-06T09:15:00Z',
      to: '2026-12-06T09:30:00Z',
      at: '',
    });
  });

  it('steps through the incidents backwards from the end of the range', () => {
    const { store } = renderTimeline(RANGE);
    const prev = screen.getByRole('button', { name: /Previous incident/ });
    expect((screen.getByRole('button', { name: /Next incident/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(prev);
    expect(at(store)).toBe('2026-12-06T09:31:05Z');
    // Drops stopped in the 09:30 step: looked at when that step ended.
    fireEvent.click(prev);
    expect(at(store)).toBe('2026-12-06T09:30:30Z');
    fireEvent.click(prev);
    expect(at(store)).toBe('2026-12-06T09:20:40Z');
    fireEvent.click(screen.getByRole('button', { name: /Next incident/ }));
    expect(at(store)).toBe('2026-12-06T09:30:30Z');
  });

  it('arrow keys move the moment by a step, Shift by ten', () => {
    const { store } = renderTimeline(`${RANGE}&at=2026-12-06T09:40:00Z`);
    const slider = screen.getByRole('slider');
    expect(slider.getAttribute('aria-valuenow')).toBe(String(Date.parse('2026-12-06T09:40:00Z')));
    fireEvent.keyDown(slider, { key: 'ArrowLeft' });
    expect(at(store)).toBe('2026-12-06T09:39:30Z');
    fireEvent.keyDown(slider, { key: 'ArrowRight', shiftKey: true });
    expect(at(store)).toBe('2026-12-06T09:44:30Z');
    fireEvent.keyDown(slider, { key: 'Home' });
    expect(at(store)).toBe('2026-12-06T09:00:00Z');
  });

  it('back to live clears the moment and the range', () => {
    const { store } = renderTimeline(`${RANGE}&at=2026-12-06T09:40:00Z`);
    fireEvent.click(screen.getByRole('button', { name: 'Back to live' }));
    expect(store.get().state).toMatchObject({ from: '', to: '', at: '' });
    expect(screen.queryByRole('button', { name: 'Back to live' })).toBeNull();
  });

  it('replay moves the moment forward without a history entry per frame, and stops on request', async () => {
    const { store } = renderTimeline(`${RANGE}&at=2026-12-06T09:10:00Z`);
    const entries = window.history.length;
    fireEvent.change(screen.getByLabelText('Speed'), { target: { value: '60' } });
    fireEvent.click(screen.getByRole('button', { name: /Replay/ }));
    await waitFor(
      () => expect(Date.parse(at(store))).toBeGreaterThanOrEqual(Date.parse('2026-12-06T09:12:00Z')),
      {
        timeout: 10_000,
      },
    );
    expect(window.history.length).toBe(entries);
    fireEvent.click(screen.getByRole('button', { name: /Stop replay/ }));
    const stopped = at(store);
    expect(screen.getByRole('button', { name: /Replay/ })).toBeTruthy();
    // A stopped replay writes nothing more: the next value is the user's.
    fireEvent.keyDown(screen.getByRole('slider'), { key: 'ArrowRight' });
    expect(Date.parse(at(store)) - Date.parse(stopped)).toBe(30_000);
  }, 15_000);

  it('a click somewhere else stops the replay', async () => {
    const { store } = renderTimeline(`${RANGE}&at=2026-12-06T09:10:00Z`);
    fireEvent.click(screen.getByRole('button', { name: /Replay/ }));
    await waitFor(() => expect(at(store)).not.toBe('2026-12-06T09:10:00Z'), { timeout: 10_000 });
    fireEvent.pointerDown(chart(), { button: 0, clientX: xAt('09:50:00'), pointerId: 1 });
    fireEvent.pointerUp(chart(), { button: 0, clientX: xAt('09:50:00'), pointerId: 1 });
    await waitFor(() => expect(screen.queryByRole('button', { name: /Stop replay/ })).toBeNull());
    expect(at(store)).toBe('2026-12-06T09:50:00Z');
  }, 15_000);
});
