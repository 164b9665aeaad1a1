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
      metricsHost: '127.0.0.1',
      metricsPort: 10093,
      serverCaFile: '',
      allowInsecure: false,
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
      WEFT_SERVER_CA_FILE: '/etc/weft/ca/ca.crt',
      WEFT_METRICS_HOST: '10.1.2.3',
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
    expect(c.serverCaFile).toBe('/etc/weft/ca/ca.crt');
    expect(c.metricsHost).toBe('10.1.2.3');
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

  it("turns the AKS add-on's families off, and names the setting when its value is wrong", () => {
    expect(ok(['--node', 'n', '--inventory', '/x.json']).metricsCompat).toBe('on');
    expect(ok(['--node', 'n', '--inventory', '/x.json', '--metrics-compat', 'off']).metricsCompat).toBe(
      'off',
    );
    const bad = parseCollectorConfig(['--node', 'n', '--inventory', '/x.json'], {
      WEFT_METRICS_COMPAT: 'no',
    });
    expect(bad.kind === 'error' && bad.message).toMatch(/WEFT_METRICS_COMPAT.*on, off/);
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
      '--server-ca',
      'WEFT_SERVER_CA_FILE',
      '--allow-insecure',
      'WEFT_ALLOW_INSECURE',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('serves /metrics on loopback unless told an address (the DaemonSet gives the pod IP)', () => {
    expect(ok(['--node', 'n']).metricsHost).toBe('127.0.0.1');
    expect(ok(['--node', 'n'], { WEFT_METRICS_HOST: '10.240.0.4' }).metricsHost).toBe('10.240.0.4');
  });

  it('refuses to send a token over plain ws:// to another host unless told, and says how to fix it', () => {
    const token = { WEFT_INGEST_TOKEN: 'a'.repeat(32) };
    const remote = ['--node', 'n', '--server', 'ws://weft.weft.svc:80/api/v1/ingest'];
    const message = err(remote, token);
    expect(message).toContain('refusing to send the ingest token in clear text over ws:// to weft.weft.svc');
    expect(message).toContain('WEFT_SERVER_CA_FILE');
    expect(message).toContain('WEFT_ALLOW_INSECURE=1');
    for (const host of ['10.0.0.5', '[fd00::5]', '0.0.0.0'])
      expect(err(['--node', 'n', '--server', `ws://${host}:80/api/v1/ingest`], token)).toMatch(/clear text/);
    expect(ok(remote, { ...token, WEFT_ALLOW_INSECURE: '1' }).allowInsecure).toBe(true);
    expect(ok([...remote, '--allow-insecure'], token).allowInsecure).toBe(true);
    // Over TLS, to this host, or with no token to give away, there is nothing to refuse.
    expect(ok(['--node', 'n', '--server', 'wss://weft.weft.svc:443/api/v1/ingest'], token).token).toBe(
      token.WEFT_INGEST_TOKEN,
    );
    for (const host of ['127.0.0.1', '[::1]', 'localhost'])
      expect(ok(['--node', 'n', '--server', `ws://${host}:8080/api/v1/ingest`], token).serverUrl).toContain(
        host,
      );
    expect(ok(remote).token).toBe('');
  });

  it('streams to every server of a comma list, and names what is wrong in it', () => {
    const two = 'ws://127.0.0.1:8080/api/v1/ingest,ws://127.0.0.1:8081/api/v1/ingest';
    expect(ok(['--node', 'n'], { WEFT_SERVER_URL: two }).servers.map((s) => s.url)).toEqual(two.split(','));
    expect(ok(['--node', 'n']).servers).toEqual([
      { url: 'ws://127.0.0.1:8080/api/v1/ingest', label: 'ws://127.0.0.1:8080/api/v1/ingest' },
    ]);
    // The message names where the list came from: the variable, or the flag that won over it.
    expect(err(['--node', 'n'], { WEFT_SERVER_URL: `${two},` })).toMatch(
      /^WEFT_SERVER_URL: entry 3 of .* is empty/,
    );
    expect(err(['--node', 'n', '--server', 'ws://a:1/i,ws://a:1/i'], { WEFT_SERVER_URL: two })).toMatch(
      /^--server: "ws:\/\/a:1\/i" names the same server as/,
    );
    expect(err(['--node', 'n'], { WEFT_SERVER_URL: 'ws://a:1/i,https://b:1/i' })).toMatch(
      /^WEFT_SERVER_URL: expected a ws:\/\/ or wss:\/\/ URL, got "https:\/\/b:1\/i"/,
    );
    const five = Array.from({ length: 5 }, (_, i) => `ws://127.0.0.1:${8080 + i}/i`).join(',');
    expect(err(['--node', 'n'], { WEFT_SERVER_URL: five })).toMatch(/5 server URLs, at most 4/);
  });

  it('checks every server of the list against the token and CA rules', () => {
    const token = { WEFT_INGEST_TOKEN: 'a'.repeat(32) };
    const mixed = 'ws://127.0.0.1:8080/i,ws://weft-1.weft-headless.weft.svc:8080/i';
    expect(err(['--node', 'n'], { ...token, WEFT_SERVER_URL: mixed })).toMatch(
      /^WEFT_SERVER_URL: refusing to send the ingest token in clear text over ws:\/\/ to weft-1\.weft-headless/,
    );
    expect(
      err(['--node', 'n', '--server-ca', '/ca.crt'], { WEFT_SERVER_URL: 'wss://a:1/i,ws://127.0.0.1:2/i' }),
    ).toBe('--server-ca: a CA is only used with a wss:// server URL, got "ws://127.0.0.1:2/i"');
  });

  it('bounds each spool in bytes', () => {
    expect(ok(['--node', 'n']).spoolMaxBytes).toBe(64 * 1024 * 1024);
    expect(ok(['--node', 'n'], { WEFT_SPOOL_MAX_BYTES: '8388608' }).spoolMaxBytes).toBe(8 * 1024 * 1024);
    expect(err(['--node', 'n', '--spool-max-bytes', '1000'])).toMatch(/--spool-max-bytes: 1000 is outside/);
  });

  it('takes a CA file only for a wss:// server', () => {
    expect(err(['--node', 'n', '--server-ca', '/ca.crt'])).toMatch(
      /--server-ca: a CA is only used with a wss/,
    );
  });
});
