import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithApp } from '../../testing/renderWithApp.js';
import { MapFilterBar } from './MapFilterBar.js';

afterEach(cleanup);

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

describe('MapFilterBar', () => {
  it('shows the filters of the URL and writes each change back to it', () => {
    const { store } = renderWithApp(<MapFilterBar namespaces={['production', 'staging']} />, {
      search: '?level=workload&namespace=production&protocol=tcp&port=9121&q=api&problems=1',
    });
    expect((screen.getByLabelText('Search the map') as HTMLInputElement).value).toBe('api');
    expect((screen.getByLabelText('Port') as HTMLInputElement).value).toBe('9121');
    expect((screen.getByLabelText('Protocol') as HTMLSelectElement).value).toBe('tcp');
    expect((screen.getByLabelText('Only problems') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('production') as HTMLInputElement).checked).toBe(true);

    fireEvent.click(screen.getByLabelText('staging'));
    expect(store.get().state.namespace).toEqual(['production', 'staging']);
    fireEvent.change(screen.getByLabelText('Protocol'), { target: { value: 'udp' } });
    expect(store.get().state.protocol).toBe('udp');
    const search = screen.getByLabelText('Search the map');
    fireEvent.change(search, { target: { value: ' redis ' } });
    // Nothing asked while typing: Enter applies.
    expect(store.get().state.q).toBe('api');
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(store.get().state.q).toBe('redis');
    fireEvent.click(screen.getByLabelText('Only problems'));
    expect(store.get().map.problems).toBe('');
    expect(window.location.search).toBe(
      '?level=workload&namespace=production%2Cstaging&protocol=udp&port=9121&q=redis',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(window.location.search).toBe('?level=workload');
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
  });

  it('refuses a port out of range without touching the URL', () => {
    const { store } = renderWithApp(<MapFilterBar namespaces={[]} />, { search: '?level=pod&port=80' });
    const port = screen.getByLabelText('Port');
    fireEvent.change(port, { target: { value: '70000' } });
    fireEvent.blur(port);
    expect(screen.getByRole('alert').textContent).toBe('a port is 1 to 65535');
    expect(store.get().state.port).toBe(80);
    fireEvent.change(port, { target: { value: '' } });
    fireEvent.keyDown(port, { key: 'Enter' });
    expect(store.get().state.port).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps hostile names and search text as text', () => {
    renderWithApp(<MapFilterBar namespaces={[HOSTILE]} />, {
      search: `?q=${encodeURIComponent(HOSTILE)}`,
    });
    expect((screen.getByLabelText('Search the map') as HTMLInputElement).value).toBe(HOSTILE);
    // Shortened in the middle as text, whole in the tooltip.
    expect(screen.getByTestId('map-filter-namespaces').textContent).toContain('<img src=x');
    expect(screen.getByTitle(HOSTILE).tagName).toBe('SPAN');
    expect(document.querySelector('img')).toBeNull();
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });
});
