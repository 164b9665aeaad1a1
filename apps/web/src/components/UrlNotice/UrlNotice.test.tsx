import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { parseFilter } from '@weft/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { UrlNotice } from './UrlNotice.js';

afterEach(cleanup);

describe('UrlNotice', () => {
  it('lists every ignored parameter with its reason, and can be dismissed', () => {
    const { issues } = parseFilter('?view=nope&port=0&evil=<script>alert(1)</script>');
    let dismissed = false;
    const { container } = render(<UrlNotice issues={issues} onDismiss={() => (dismissed = true)} />);
    expect(screen.getByTestId('url-notice').textContent).toContain('Some link parameters were ignored');
    expect(screen.getByText('view=nope')).toBeTruthy();
    expect(screen.getByText('port=0')).toBeTruthy();
    expect(screen.getByText('evil=<script>alert(1)</script>')).toBeTruthy();
    expect(container.querySelector('script')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(dismissed).toBe(true);
  });
  it('renders nothing when the URL was fine', () => {
    const { container } = render(<UrlNotice issues={[]} onDismiss={() => {}} />);
    expect(container.innerHTML).toBe('');
  });
});
