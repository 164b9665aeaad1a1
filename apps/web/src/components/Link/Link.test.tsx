import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithApp } from '../../testing/renderWithApp.js';
import { Link } from './Link.js';

afterEach(cleanup);

describe('Link', () => {
  it("keeps the view's own parameters in its href while the view stays, as a click does", () => {
    renderWithApp(
      <>
        <Link patch={{ level: 'pod' }}>pods</Link>
        <Link patch={{ view: 'flows' }}>flows</Link>
      </>,
      { search: '?level=workload&problems=1' },
    );
    expect(screen.getByRole('link', { name: 'pods' }).getAttribute('href')).toBe('?level=pod&problems=1');
    expect(screen.getByRole('link', { name: 'flows' }).getAttribute('href')).toBe(
      '?view=flows&level=workload',
    );
  });
});
