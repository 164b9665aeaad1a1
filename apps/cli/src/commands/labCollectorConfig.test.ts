import { describe, expect, it } from 'vitest';
import { labCollectorArgs, labCollectorConfig } from './labCollectorConfig.js';

const options = {
  node: 'lab-node-1',
  port: 18080,
  token: 'f3a9c2e1d4b5a6978877665544332211aabbccdd',
  metricsPort: 10093,
  inventory: '/tmp/inventory.json',
  ifacePrefix: 'wlab1',
  simulated: false,
};

describe('the collectors weft start runs', () => {
  it('get the token through the environment, never on a command line', () => {
    const args = labCollectorArgs(options);
    expect(args).not.toContain('--token');
    expect(args.join(' ')).not.toContain(options.token);
    expect(labCollectorConfig(options).token).toBe(options.token);
  });

  it('stream to the server on loopback and serve /metrics there only', () => {
    const c = labCollectorConfig({ ...options, simulated: true, ifacePrefix: undefined });
    expect(new URL(c.serverUrl).hostname).toBe('127.0.0.1');
    expect(c.metricsHost).toBe('127.0.0.1');
    expect(c.simulated).toBe(true);
    expect(c.ifacePrefixes).toEqual([]);
  });
});
