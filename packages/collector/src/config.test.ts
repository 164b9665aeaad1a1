import { describe, expect, it } from 'vitest';
import { collectorHelp, parseCollectorConfig } from './config.js';

const ok = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = parseCollectorConfig(argv, env);
  if (r.kind !== 'config') throw new Error(`expected a config, got ${JSON.stringify(r)}`);
  return r.config;
};
const err = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = parseCollectorConfig(argv, env);
  if (r.kind !== 'error') throw new Error(`expected an error, got ${r.kind}`);
  return r.message;
};

describe('parseCollectorConfig', () => {
  it('applies the agreed defaults', () => {
    const c = ok(['--node', 'node-a']);
    expect(c).toMatchObject({
      node: 'node-a',
      serverUrl: 'ws://127.0.0.1:8080/api/v1/ingest',
      metricsHost: '0.0.0.0',
      metricsPort: 10093,
      identity: 'kubernetes',
      intervalMs: 1000,
      metricsLevel: 'pod',
      spoolSeconds: 60,
      simulated: false,
    });
  });

  it('reads every environment variable and lets flags win', () => {
    const env = {
      WEFT_NODE_NAME: 'env-node',
      WEFT_SERVER_URL: 'wss://weft.example:443/api/v1/ingest',
      WEFT_INGEST_TOKEN: ' s3cret\n',
      WEFT_METRICS_HOST: '127.0.0.1',
      WEFT_METRICS_PORT: '9999',
      WEFT_IDENTITY: 'inventory',
      WEFT_INVENTORY: '/tmp/inv.json',
      WEFT_IFACE_PREFIX: 'wcoA,wcoB',
    };
    const c = ok(['--node=flag-node', '--metrics-port', '1234'], env);
    expect(c.node).toBe('flag-node');
    expect(c.metricsPort).toBe(1234);
    expect(c.serverUrl).toBe(env.WEFT_SERVER_URL);
    expect(c.token).toBe('s3cret');
    expect(c.metricsHost).toBe('127.0.0.1');
    expect(c.identity).toBe('inventory');
    expect(c.inventoryFile).toBe('/tmp/inv.json');
    expect(c.ifacePrefixes).toEqual(['wcoA', 'wcoB']);
  });

  it('collects repeated list flags and comma lists', () => {
    const c = ok([
      '--node',
      'n',
      '--iface',
      'veth1',
      '--iface=veth2,veth3',
      '--metrics-include-namespaces',
      'production,kube-system',
      '--metrics-exclude-namespaces',
      'monitoring',
      '--metrics-level',
      'workload',
      '--simulated',
    ]);
    expect(c.ifaces).toEqual(['veth1', 'veth2', 'veth3']);
    expect(c.metricsIncludeNamespaces).toEqual(['production', 'kube-system']);
    expect(c.metricsExcludeNamespaces).toEqual(['monitoring']);
    expect(c.metricsLevel).toBe('workload');
    expect(c.simulated).toBe(true);
  });

  it('takes the inventory as identity when only a file is given', () => {
    expect(ok(['--node', 'n', '--inventory', '/x.json']).identity).toBe('inventory');
    expect(ok(['--node', 'n', '--inventory', '/x.json', '--identity', 'kubernetes']).identity).toBe(
      'kubernetes',
    );
  });

  it('names the flag or variable in every error', () => {
    expect(err([])).toMatch(/--node NAME or WEFT_NODE_NAME/);
    expect(err(['--node', 'n', '--metrics-port', '70000'])).toMatch(/--metrics-port: 70000 is outside/);
    expect(err(['--node', 'n'], { WEFT_METRICS_PORT: 'abc' })).toMatch(
      /WEFT_METRICS_PORT: expected a whole number/,
    );
    expect(err(['--node', 'n', '--metrics-level', 'cluster'])).toMatch(
      /--metrics-level: expected one of pod, workload, namespace/,
    );
    expect(err(['--node', 'n', '--server', 'http://x'])).toMatch(/--server: expected a ws/);
    expect(err(['--node', 'n', '--identity', 'inventory'])).toMatch(/needs --inventory/);
    expect(err(['--node', 'n', '--bogus'])).toMatch(/unknown flag "--bogus"/);
    expect(err(['--node'])).toMatch(/--node needs a value/);
    expect(err(['--node', 'Bad_Name'])).toMatch(/not a valid Kubernetes node name/);
    expect(err(['--node', 'n', '--metrics-include-namespaces', 'ok,../etc'])).toMatch(
      /"\.\.\/etc" is not a valid namespace/,
    );
    expect(err(['--node', 'n', '--metrics-host', 'example.com'])).toMatch(/--metrics-host/);
    expect(err(['--node', 'n', '--simulated=maybe'])).toMatch(/--simulated: expected true or false/);
  });

  it('answers --help with every flag and environment variable', () => {
    const r = parseCollectorConfig(['--node', 'n', '--help'], {});
    expect(r.kind).toBe('help');
    const text = collectorHelp();
    for (const s of [
      '--node',
      'WEFT_NODE_NAME',
      '--server',
      'WEFT_SERVER_URL',
      '--token',
      'WEFT_INGEST_TOKEN',
      '--metrics-host',
      'WEFT_METRICS_HOST',
      '--metrics-port',
      'WEFT_METRICS_PORT',
      '--identity',
      'WEFT_IDENTITY',
      '--inventory',
      'WEFT_INVENTORY',
      '--iface',
      '--iface-prefix',
      'WEFT_IFACE_PREFIX',
      '--interval-ms',
      '--metrics-level',
      '--metrics-include-namespaces',
      '--metrics-exclude-namespaces',
      '--spool-seconds',
      '--probe',
      '--simulated',
    ]) {
      expect(text).toContain(s);
    }
  });
});
