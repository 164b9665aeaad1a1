import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeKubeApi } from '../fixtures/fakeKubeApi.js';
import { until } from '../fixtures/until.js';
import { parseExecCredential } from './execCredential.js';
import { KubeConnection } from './kubeConnection.js';
import { kubeconfigClusterConfig } from './kubeconfigFile.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-kubeconfig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A kubeconfig with two contexts, the current one `aks`. */
function kubeconfig(user: string, cluster = '    server: https://aks.example:443\n'): string {
  return write(
    'config',
    `apiVersion: v1
kind: Config
current-context: aks
contexts:
- name: other
  context: { cluster: other, user: other }
- name: aks
  context:
    cluster: aks-cluster
    user: aks-user
clusters:
- name: other
  cluster: { server: https://other.example }
- name: aks-cluster
  cluster:
${cluster}users:
- name: other
  user: { token: other-token }
- name: aks-user
  user:
${user}`,
  );
}

describe('kubeconfigClusterConfig', () => {
  it('follows current-context to its cluster (CA data) and user (token)', async () => {
    const file = kubeconfig(
      '    token: aks-token\n',
      `    server: https://aks.example:443\n    certificate-authority-data: ${b64('CA PEM')}\n`,
    );
    expect(await kubeconfigClusterConfig([file])).toEqual({
      server: 'https://aks.example:443',
      ca: 'CA PEM',
      token: 'aks-token',
      source: `kubeconfig ${file} context aks`,
    });
  });

  it('reads files named relative to the kubeconfig: CA, client certificate and key, token file', async () => {
    mkdirSync(join(dir, 'pki'));
    write('pki/ca.crt', 'CA FILE');
    write('pki/client.crt', 'CERT FILE');
    write('pki/client.key', 'KEY FILE');
    const file = kubeconfig(
      '    client-certificate: pki/client.crt\n    client-key: pki/client.key\n    tokenFile: pki/token\n',
      '    server: https://aks.example\n    certificate-authority: pki/ca.crt\n    insecure-skip-tls-verify: true\n',
    );
    expect(await kubeconfigClusterConfig([file])).toMatchObject({
      ca: 'CA FILE',
      insecureSkipTlsVerify: true,
      clientCertificate: 'CERT FILE',
      clientKey: 'KEY FILE',
      tokenFile: join(dir, 'pki/token'),
    });
  });

  it('takes client certificate and key data inline', async () => {
    const file = kubeconfig(
      `    client-certificate-data: ${b64('CERT')}\n    client-key-data: ${b64('KEY')}\n`,
    );
    expect(await kubeconfigClusterConfig([file])).toMatchObject({
      clientCertificate: 'CERT',
      clientKey: 'KEY',
    });
  });

  it('merges several files as kubectl does: the first to name a thing wins', async () => {
    const first = write(
      'first',
      'current-context: aks\nusers:\n- name: aks-user\n  user: { token: first-token }\n',
    );
    const second = kubeconfig('    token: second-token\n');
    expect(await kubeconfigClusterConfig([first, second])).toMatchObject({
      server: 'https://aks.example:443',
      token: 'first-token',
    });
  });

  it('says which context, cluster, user or file is wrong', async () => {
    await expect(kubeconfigClusterConfig([kubeconfig('    token: t\n')], 'nope')).rejects.toThrow(
      /has no context named "nope"/,
    );
    const noCurrent = write('nocurrent', 'apiVersion: v1\nkind: Config\n');
    await expect(kubeconfigClusterConfig([noCurrent])).rejects.toThrow(
      `the kubeconfig ${noCurrent} has no current-context`,
    );
    await expect(kubeconfigClusterConfig([join(dir, 'missing')])).rejects.toThrow(
      `cannot read the kubeconfig ${join(dir, 'missing')}`,
    );
    const badCa = kubeconfig(
      '    token: t\n',
      '    server: https://x\n    certificate-authority: nowhere.crt\n',
    );
    await expect(kubeconfigClusterConfig([badCa])).rejects.toThrow(
      `context aks: cannot read certificate-authority ${join(dir, 'nowhere.crt')}`,
    );
    const provider = kubeconfig('    auth-provider:\n      name: azure\n');
    await expect(kubeconfigClusterConfig([provider])).rejects.toThrow(
      /user aks-user uses auth-provider.*kubelogin/,
    );
    const noKey = kubeconfig(`    client-certificate-data: ${b64('CERT')}\n`);
    await expect(kubeconfigClusterConfig([noKey])).rejects.toThrow(/certificate without its key/);
  });
});

describe('exec credential plugins', () => {
  it('runs the plugin with its args and env, uses its token, and runs it again only when it nears expiry', async () => {
    const api = new FakeKubeApi();
    await api.start();
    try {
      // A kubelogin stand-in: prints an ExecCredential, counts its runs, keeps what it was given.
      write(
        'plugin.sh',
        `#!/bin/sh
echo run >> "$RUNS"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$(dirname "$RUNS")/exec-info.json"
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}' "$API" "$1" "$EXPIRES"
`,
      );
      chmodSync(join(dir, 'plugin.sh'), 0o755);
      const file = kubeconfig(
        `    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./plugin.sh
      args: [wco-token]
      env:
      - { name: RUNS, value: ${join(dir, 'runs')} }
      - { name: API, value: client.authentication.k8s.io/v1 }
      - { name: EXPIRES, value: "2099-01-01T00:00:00Z" }
      provideClusterInfo: true
      interactiveMode: Never
`,
        `    server: ${api.url}\n`,
      );
      const config = await kubeconfigClusterConfig([file]);
      expect(config.exec).toMatchObject({ command: './plugin.sh', args: ['wco-token'], dir });
      const c = new KubeConnection(config);
      await Promise.all([
        c.getJson('/api/v1/pods', AbortSignal.timeout(30_000)),
        c.getJson('/api/v1/nodes', AbortSignal.timeout(30_000)),
      ]);
      await c.getJson('/api/v1/services', AbortSignal.timeout(30_000));
      expect(api.requests.map((r) => r.user)).toEqual(['wco-token', 'wco-token', 'wco-token']);
      expect(readFileSync(join(dir, 'runs'), 'utf8').trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(readFileSync(join(dir, 'exec-info.json'), 'utf8'))).toEqual({
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        spec: { interactive: false, cluster: { server: api.url } },
      });

      // A credential about to expire (v1beta1 this time) is not used again: the plugin runs per request.
      const soon = await kubeconfigClusterConfig([
        kubeconfig(
          `    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ${join(dir, 'plugin.sh')}
      args: [wco-token]
      env:
      - { name: RUNS, value: ${join(dir, 'runs2')} }
      - { name: API, value: client.authentication.k8s.io/v1beta1 }
      - { name: EXPIRES, value: "${new Date(Date.now() + 5_000).toISOString()}" }
`,
          `    server: ${api.url}\n`,
        ),
      ]);
      const c2 = new KubeConnection(soon);
      await c2.getJson('/api/v1/pods', AbortSignal.timeout(30_000));
      await c2.getJson('/api/v1/pods', AbortSignal.timeout(30_000));
      expect(readFileSync(join(dir, 'runs2'), 'utf8').trim().split('\n')).toHaveLength(2);
    } finally {
      await api.stop();
    }
  });

  it('kills a plugin still running when its request is aborted', async () => {
    write('hang.sh', `#!/bin/sh\necho $$ > ${join(dir, 'hang.pid')}\nexec sleep 60\n`);
    chmodSync(join(dir, 'hang.sh'), 0o755);
    const config = await kubeconfigClusterConfig([
      kubeconfig('    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./hang.sh\n'),
    ]);
    const abort = new AbortController();
    const request = new KubeConnection(config).getJson('/api/v1/pods', abort.signal);
    let pid = 0;
    await until(() => {
      pid = Number(readFileSync(join(dir, 'hang.pid'), { encoding: 'utf8', flag: 'a+' }).trim());
      return pid > 0;
    }, 'the plugin running');
    abort.abort();
    await expect(request).rejects.toThrow(/exec plugin \.\/hang.sh failed/);
    await until(() => !alive(pid), 'the plugin gone');
  });

  it('says what a failing plugin printed on stderr', async () => {
    write('fail.sh', '#!/bin/sh\necho "AADSTS700082: The refresh token has expired" >&2\nexit 1\n');
    chmodSync(join(dir, 'fail.sh'), 0o755);
    const config = await kubeconfigClusterConfig([
      kubeconfig('    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./fail.sh\n'),
    ]);
    await expect(
      new KubeConnection(config).getJson('/api/v1/pods', AbortSignal.timeout(30_000)),
    ).rejects.toThrow('exec plugin ./fail.sh failed: AADSTS700082: The refresh token has expired');
  });

  it('parses v1 and v1beta1 ExecCredentials: token, client certificate, expiry', () => {
    const v1 = 'client.authentication.k8s.io/v1';
    const cred = (status: object, apiVersion = v1) =>
      JSON.stringify({ apiVersion, kind: 'ExecCredential', status });
    expect(
      parseExecCredential(cred({ token: 't', expirationTimestamp: '2030-01-01T00:00:00Z' }), v1, 'p'),
    ).toEqual({
      token: 't',
      expiresAt: Date.parse('2030-01-01T00:00:00Z'),
    });
    const beta = 'client.authentication.k8s.io/v1beta1';
    expect(
      parseExecCredential(cred({ clientCertificateData: 'C', clientKeyData: 'K' }, beta), beta, 'p'),
    ).toEqual({
      clientCertificate: 'C',
      clientKey: 'K',
    });
    expect(() => parseExecCredential(cred({}), v1, 'p')).toThrow(/neither token nor clientCertificateData/);
    expect(() => parseExecCredential(cred({ token: 't' }, beta), v1, 'p')).toThrow(
      `exec plugin p printed apiVersion ${beta}, not ${v1}`,
    );
    expect(() => parseExecCredential('Please log in at https://microsoft.com/devicelogin', v1, 'p')).toThrow(
      /printed no JSON ExecCredential/,
    );
  });
});
