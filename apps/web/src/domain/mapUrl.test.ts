import { describe, expect, it } from 'vitest';
import { parseMapUrl, serializeMapUrl } from './mapUrl.js';

describe('mapUrl', () => {
  it('reads problems=1 and writes it back; the default is left out', () => {
    expect(parseMapUrl('?level=pod&problems=1')).toEqual({ params: { problems: '1' }, issues: [] });
    expect(serializeMapUrl({ problems: '1' })).toBe('problems=1');
    expect(parseMapUrl('problems=0')).toEqual({ params: { problems: '' }, issues: [] });
    expect(serializeMapUrl({ problems: '' })).toBe('');
  });

  it('drops and reports a value it cannot use, as the shared filter does', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const { params, issues } = parseMapUrl(`problems=${encodeURIComponent(hostile)}`);
    expect(params.problems).toBe('');
    expect(issues).toEqual([
      { param: 'problems', value: hostile, reason: 'must be 1 (only problems) or absent' },
    ]);
    expect(parseMapUrl('problems=1&problems=yes').issues.map((i) => i.reason)).toEqual([
      'repeated parameter; the first one is used',
    ]);
  });
});
