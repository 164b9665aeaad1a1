import { describe, expect, it } from 'vitest';
import { ConfigError, parseServerConfig } from '../config.js';
import { parsePrometheusHeaders } from './prometheusSettings.js';

describe('WEFT_PROMETHEUS_* settings', () => {
  it('reads the URL, token file, headers, CA file and metrics level', () => {
    const c = parseServerConfig({
      WEFT_PROMETHEUS_URL: 'https://thanos-query.monitoring:9090/prefix',
      WEFT_PROMETHEUS_BEARER_TOKEN_FILE: '/var/run/secrets/token',
      WEFT_PROMETHEUS_HEADERS: 'X-Scope-OrgID: team-a; X-Other: 1',
      WEFT_PROMETHEUS_CA_FILE: '/etc/ca.pem',
      WEFT_PROMETHEUS_METRICS_LEVEL: 'workload',
    });
    expect(c.prometheusUrl).toBe('https://thanos-query.monitoring:9090/prefix');
    expect(c.prometheusMetricsLevel).toBe('workload');
    expect(parsePrometheusHeaders(c.prometheusHeaders).headers).toEqual({
      'X-Scope-OrgID': 'team-a',
      'X-Other': '1',
    });
    expect(parseServerConfig({}).prometheusUrl).toBe('');
  });

  it.each([
    [{ WEFT_PROMETHEUS_URL: 'ftp://x' }, 'WEFT_PROMETHEUS_URL: must be http:// or https://'],
    [{ WEFT_PROMETHEUS_URL: 'http://u:p@x' }, 'WEFT_PROMETHEUS_BEARER_TOKEN_FILE, not the URL'],
    [{ WEFT_PROMETHEUS_URL: 'not a url' }, 'WEFT_PROMETHEUS_URL="not a url": not a URL'],
    [{ WEFT_PROMETHEUS_URL: 'http://x', WEFT_PROMETHEUS_HEADERS: 'Host: y' }, 'Host is set by the server'],
    [{ WEFT_PROMETHEUS_URL: 'http://x', WEFT_PROMETHEUS_HEADERS: 'novalue' }, 'is not Name: value'],
    [{ WEFT_PROMETHEUS_CA_FILE: '/ca.pem' }, 'WEFT_PROMETHEUS_CA_FILE is set but WEFT_PROMETHEUS_URL is not'],
    [
      { WEFT_PROMETHEUS_METRICS_LEVEL: 'node' },
      'WEFT_PROMETHEUS_METRICS_LEVEL="node": must be pod, workload or namespace',
    ],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => parseServerConfig(env)).toThrow(ConfigError);
    expect(() => parseServerConfig(env)).toThrow(message);
  });
});
