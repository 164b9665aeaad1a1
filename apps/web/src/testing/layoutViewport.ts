import { afterAll, beforeAll } from 'vitest';

const SIZES = ['clientHeight', 'clientWidth', 'offsetHeight', 'offsetWidth'] as const;

/**
 * jsdom lays nothing out: for the tests of this file, every element reports the size a browser would
 * give it, so a virtualiser (TanStack Virtual) has a viewport to fill. Call at the top of a test file.
 */
export function layoutViewport(width: number, height: number): void {
  const saved = SIZES.map((k) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, k));
  beforeAll(() => {
    for (const k of SIZES)
      Object.defineProperty(HTMLElement.prototype, k, {
        configurable: true,
        get: () => (k.endsWith('Height') ? height : width),
      });
  });
  afterAll(() => {
    SIZES.forEach((k, i) => {
      delete (HTMLElement.prototype as unknown as Record<string, unknown>)[k];
      if (saved[i]) Object.defineProperty(HTMLElement.prototype, k, saved[i]!);
    });
  });
}
