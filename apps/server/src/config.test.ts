import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, defaultWebRoot, parseServerConfig } from './config.js';

describe('parseServerConfig', () => {
  it('uses the defaults for an empty environment', () => {
    const c = parseServerConfig({});
    expect(c).toEqual(DEFAULT_CONFIG);
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8080);
    expect(c.webRoot).toBe(defaultWebRoot());
    expect(defaultWebRoot()).toMatch(/apps\/web\/dist$/);
  });

  it('reads every variable', () => {
    const c = parseServerConfig({
      WEFT_HOST: '0.0.0.0',
      WEFT_PORT: '9090',
      WEFT_INGEST_TOKEN: 's3cret-0123456789abcdef\n',
      WEFT_TLS_CERT_FILE: '/etc/weft/tls/tls.crt',
      WEFT_TLS_KEY_FILE: '/etc/weft/tls/tls.key',
      WEFT_MEMORY_BUDGET_MB: '1536',
      WEFT_WEB_ROOT: '/srv/web',
      WEFT_LOG_LEVEL: 'debug',
      WEFT_FINE_RETENTION_S: '600',
      WEFT_COARSE_RETENTION_S: '3600',
      WEFT_MAX_SERIES: '5000',
      WEFT_ALERT_DROP_RATE: '12.5',
      WEFT_ALERT_DNS_FAILURE_RATIO: '0.1',
      WEFT_ALERT_FOR_S: '0',
    });
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 9090,
      ingestToken: 's3cret-0123456789abcdef',
      tlsCertFile: '/etc/weft/tls/tls.crt',
      tlsKeyFile: '/etc/weft/tls/tls.key',
      memoryBudgetMiB: 1536,
      webRoot: '/srv/web',
      logLevel: 'debug',
      fineRetentionS: 600,
      coarseRetentionS: 3600,
      maxSeries: 5000,
      alertDropRate: 12.5,
      alertDnsFailureRatio: 0.1,
      alertForS: 0,
    });
  });

  it('names every bad variable in one error', () => {
    let err: unknown;
    try {
      parseServerConfig({
        WEFT_PORT: 'http',
        WEFT_LOG_LEVEL: 'loud',
        WEFT_ALERT_DNS_FAILURE_RATIO: '5',
        WEFT_HOST: ' ',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toContain('WEFT_PORT="http": must be a port from 0 to 65535');
    expect(problems).toContain('WEFT_HOST is empty');
    expect((err as ConfigError).problems).toHaveLength(2);
    // Type errors first; range errors are reported once the values parse.
    expect(() => parseServerConfig({ WEFT_LOG_LEVEL: 'loud', WEFT_ALERT_DNS_FAILURE_RATIO: '5' })).toThrow(
      /WEFT_LOG_LEVEL="loud": must be one of fatal, error, warn, info, debug, trace, silent/,
    );
    expect(() => parseServerConfig({ WEFT_ALERT_DNS_FAILURE_RATIO: '5' })).toThrow(
      /WEFT_ALERT_DNS_FAILURE_RATIO="5"/,
    );
    expect(() => parseServerConfig({ WEFT_PORT: '70000' })).toThrow(/WEFT_PORT="70000"/);
    expect(() => parseServerConfig({ WEFT_PORT: '80.5' })).toThrow(/WEFT_PORT/);
  });

  it('reads the memory budget in MiB and refuses one too small to hold anything', () => {
    expect(parseServerConfig({}).memoryBudgetMiB).toBe(512);
    expect(parseServerConfig({ WEFT_MEMORY_BUDGET_MB: '300' }).memoryBudgetMiB).toBe(300);
    expect(() => parseServerConfig({ WEFT_MEMORY_BUDGET_MB: '8' })).toThrow(
      /WEFT_MEMORY_BUDGET_MB="8": must be MiB/,
    );
    expect(() => parseServerConfig({ WEFT_MEMORY_BUDGET_MB: '1.5' })).toThrow(/WEFT_MEMORY_BUDGET_MB/);
    expect(parseServerConfig({ WEFT_MEMORY_BUDGET_MB: '16' }).memoryBudgetMiB).toBe(16);
    expect(() => parseServerConfig({ WEFT_MEMORY_BUDGET_MB: '65537' })).toThrow(
      /WEFT_MEMORY_BUDGET_MB="65537"/,
    );
    expect(() => parseServerConfig({ WEFT_MEMORY_BUDGET_MB: '512Mi' })).toThrow(/WEFT_MEMORY_BUDGET_MB/);
  });

  it('refuses a coarse tier shorter than the fine one', () => {
    expect(() =>
      parseServerConfig({ WEFT_FINE_RETENTION_S: '7200', WEFT_COARSE_RETENTION_S: '3600' }),
    ).toThrow(/WEFT_COARSE_RETENTION_S/);
  });

  it('reads the allowed origins and names a bad one', () => {
    expect(parseServerConfig({ WEFT_ALLOWED_ORIGINS: '' }).allowedOrigins).toBe('');
    expect(parseServerConfig({ WEFT_ALLOWED_ORIGINS: 'https://weft.example.com' }).allowedOrigins).toBe(
      'https://weft.example.com',
    );
    expect(() => parseServerConfig({ WEFT_ALLOWED_ORIGINS: 'https://ok.test,*' })).toThrow(
      /WEFT_ALLOWED_ORIGINS: "\*" is not an origin/,
    );
  });
  it('refuses to listen beyond loopback without an ingest token, and says how to make one', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'weft.example.com']) {
      let err: unknown;
      try {
        parseServerConfig({ WEFT_HOST: host });
      } catch (e) {
        err = e;
      }
      expect(err, host).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toContain('WEFT_INGEST_TOKEN is not set');
      expect((err as ConfigError).message).toContain('openssl rand -hex 32');
    }
    // Loopback stays open for the lab and the tests.
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost'])
      expect(parseServerConfig({ WEFT_HOST: host }).ingestToken, host).toBe('');
    expect(parseServerConfig({ WEFT_HOST: '0.0.0.0', WEFT_INGEST_TOKEN: 'a'.repeat(16) }).host).toBe(
      '0.0.0.0',
    );
  });

  it('refuses the committed placeholder token and tokens under 16 characters, on any address', () => {
    const placeholder = readFileSync(
      fileURLToPath(new URL('../../../deploy/kubernetes/base/ingest-token', import.meta.url)),
      'utf8',
    ).trim();
    for (const host of ['0.0.0.0', '127.0.0.1']) {
      expect(() => parseServerConfig({ WEFT_HOST: host, WEFT_INGEST_TOKEN: placeholder })).toThrow(
        /WEFT_INGEST_TOKEN is the placeholder committed in deploy\/kubernetes\/base\/ingest-token/,
      );
      expect(() => parseServerConfig({ WEFT_HOST: host, WEFT_INGEST_TOKEN: 's3cret' })).toThrow(
        /WEFT_INGEST_TOKEN is 6 characters long: it must have at least 16/,
      );
      // Counted after trimming: a file's newline does not make a short token long enough.
      expect(() => parseServerConfig({ WEFT_HOST: host, WEFT_INGEST_TOKEN: `${'a'.repeat(15)}\n` })).toThrow(
        /15 characters/,
      );
    }
  });

  it('refuses a certificate without its key, and the reverse', () => {
    expect(() => parseServerConfig({ WEFT_TLS_CERT_FILE: '/tls/tls.crt' })).toThrow(
      /WEFT_TLS_CERT_FILE and WEFT_TLS_KEY_FILE go together/,
    );
    expect(() => parseServerConfig({ WEFT_TLS_KEY_FILE: '/tls/tls.key' })).toThrow(/go together/);
  });
});
