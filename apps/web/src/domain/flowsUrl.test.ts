import { describe, expect, it } from 'vitest';
import { EMPTY_FLOWS_URL, flowSearchOf, parseFlowsUrl, serializeFlowsUrl } from './flowsUrl.js';

describe('flowsUrl', () => {
  it('reads what is valid, reports the rest by name, and writes back in a stable order', () => {
    const { params, issues } = parseFlowsUrl(
      '?row=12&sort=bytes&ip=10.0.0.0/99&dir=ingress&flags=syn&node=n1&dns=api.example.com',
    );
    expect(params).toEqual({
      ...EMPTY_FLOWS_URL,
      sort: 'bytes',
      dir: 'ingress',
      flags: 'syn',
      node: 'n1',
      dns: 'api.example.com',
      row: '12',
    });
    expect(issues.map((i) => i.param)).toEqual(['ip']);
    expect(serializeFlowsUrl(params)).toBe(
      'sort=bytes&node=n1&dns=api.example.com&dir=ingress&flags=syn&row=12',
    );
    expect(flowSearchOf(params)).toEqual({
      sort: 'bytes',
      node: 'n1',
      dns: 'api.example.com',
      dir: 'ingress',
      flags: 'syn',
      merge: 'connection',
    });
    expect(parseFlowsUrl('?dns=<script>').issues.map((i) => i.param)).toEqual(['dns']);
    expect(parseFlowsUrl('?sort=time&row=x').params).toEqual(EMPTY_FLOWS_URL);
    expect(parseFlowsUrl('?row=x').issues.map((i) => i.param)).toEqual(['row']);
  });

  it('asks for one row per connection unless the URL says each observation; a bad merge is named', () => {
    expect(flowSearchOf(EMPTY_FLOWS_URL)).toEqual({ merge: 'connection' });
    const each = parseFlowsUrl('?merge=observation');
    expect(each.params.merge).toBe('observation');
    expect(flowSearchOf(each.params)).toEqual({});
    expect(serializeFlowsUrl(each.params)).toBe('merge=observation');
    // Links from before the default changed: connection is the default, so it is left out.
    expect(parseFlowsUrl('?merge=connection')).toEqual({ params: EMPTY_FLOWS_URL, issues: [] });
    const bad = parseFlowsUrl('?merge=<b>x');
    expect(bad.params).toEqual(EMPTY_FLOWS_URL);
    expect(bad.issues).toEqual([
      expect.objectContaining({
        param: 'merge',
        value: '<b>x',
        reason: expect.stringMatching(/^must be observation/),
      }),
    ]);
  });
});
