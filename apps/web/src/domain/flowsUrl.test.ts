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
    });
    expect(parseFlowsUrl('?dns=<script>').issues.map((i) => i.param)).toEqual(['dns']);
    expect(parseFlowsUrl('?sort=time&row=x').params).toEqual(EMPTY_FLOWS_URL);
    expect(parseFlowsUrl('?row=x').issues.map((i) => i.param)).toEqual(['row']);
  });
});
