import { describe, expect, it } from 'vitest';
import { contentOf, easeOut, ViewFit } from './viewFit.js';

describe('when the map fits its view', () => {
  it('fits a new question and new content, and keeps the user’s view while the question stays', () => {
    const fit = new ViewFit();
    const a = contentOf(['ns:a', 'ns:b']);
    const b = contentOf(['pod:a/x', 'pod:a/y', 'pod:a/z']);
    // The first model, then live updates of the same nodes.
    expect(fit.onModel(true, a)).toBe(true);
    expect(fit.onModel(false, a)).toBe(false);
    // A drill: the new layout key may first come with the old content, then the new content comes.
    expect(fit.onModel(true, a)).toBe(true);
    expect(fit.onModel(false, b)).toBe(true);
    expect(fit.onModel(false, b)).toBe(false);
    // The user zooms in; a pod coming or going keeps their view.
    fit.userMove();
    expect(fit.onModel(false, contentOf(['pod:a/x', 'pod:a/y']))).toBe(false);
    // Another question fits again, and the content after it too.
    expect(fit.onModel(true, a)).toBe(true);
    expect(fit.onModel(false, b)).toBe(true);
  });

  it('tells node sets apart by their ids', () => {
    expect(contentOf(['a', 'b'])).toBe(contentOf(['a', 'b']));
    expect(contentOf(['a', 'b'])).not.toBe(contentOf(['ab']));
    expect(contentOf(['a', 'b'])).not.toBe(contentOf(['a', 'c']));
    expect(contentOf([])).toBe(contentOf([]));
  });

  it('eases out between 0 and 1', () => {
    expect(easeOut(0)).toBe(0);
    expect(easeOut(1)).toBe(1);
    expect(easeOut(2)).toBe(1);
    expect(easeOut(0.5)).toBeGreaterThan(0.5);
  });
});
