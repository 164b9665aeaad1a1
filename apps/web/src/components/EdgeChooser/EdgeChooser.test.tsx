import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EdgeChooser } from './EdgeChooser.js';

afterEach(cleanup);

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const choices = [
  { id: 'a->b', ends: `${HOSTILE} → api`, label: '9121/TCP refused' },
  { id: 'a->c', ends: 'web → coredns', label: '53/UDP 1 kB/s' },
];

describe('EdgeChooser', () => {
  it('lists the edges under the tap as text and picks the one chosen', () => {
    const onChoose = vi.fn();
    const onClose = vi.fn();
    render(
      <EdgeChooser
        choices={choices}
        at={{ x: 10, y: 20 }}
        flip={{ x: false, y: true }}
        onChoose={onChoose}
        onClose={onClose}
      />,
    );
    const items = screen.getAllByRole('menuitem');
    expect(items.map((i) => i.getAttribute('data-id'))).toEqual(['a->b', 'a->c']);
    expect(items[0]!.textContent).toContain('9121/TCP refused');
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByTitle(`${HOSTILE} → api`).tagName).toBe('SPAN');
    // Keyboard users start on the first one.
    expect(document.activeElement).toBe(items[0]);
    expect(screen.getByTestId('edge-chooser').style.transform).toBe('translate(0, -100%)');
    fireEvent.click(items[1]!);
    expect(onChoose).toHaveBeenCalledWith('a->c');
    expect(onClose).not.toHaveBeenCalled();
  });

  it('closes on Escape (taking the key from the map) and on a press outside it', () => {
    const onClose = vi.fn();
    render(
      <EdgeChooser
        choices={choices}
        at={{ x: 0, y: 0 }}
        flip={{ x: false, y: false }}
        onChoose={() => {}}
        onClose={onClose}
      />,
    );
    const esc = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    window.dispatchEvent(esc);
    expect(esc.defaultPrevented).toBe(true);
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.pointerDown(screen.getAllByRole('menuitem')[0]!);
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.pointerDown(document.body);
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
