import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inClusterConfig } from './inClusterConfig.js';
import { loadClusterConfig } from './loadClusterConfig.js';

let dir = '';
let sa = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-clusterconfig-'));
  sa = join(dir, 'serviceaccount');
  mkdirSync(sa);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const inCluster = {
  KUBERNETES_SERVICE_HOST: '10.0.0.1',
  KUBERNETES_SERVICE_PORT: '443',
  HOME: '/nonexistent',
};

describe('inClusterConfig', () => {
  it('builds the server from the service env and keeps the token a file (rotated), the CA read', async () => {
    writeFileSync(join(sa, 'token'), 'sa-token\n');
    writeFileSync(join(sa, 'ca.crt'), 'CLUSTER CA');
    expect(await inClusterConfig(inCluster, sa)).toEqual({
      server: 'https://10.0.0.1:443',
      ca: 'CLUSTER CA',
      tokenFile: join(sa, 'token'),
      source: 'in-cluster service account',
    });
    writeFileSync(join(sa, 'token'), 'sa-token\n');
    expect(
      (
        await inClusterConfig(
          { KUBERNETES_SERVICE_HOST: 'fd00:10:96::1', KUBERNETES_SERVICE_PORT: '443' },
          sa,
        )
      )?.server,
    ).toBe('https://[fd00:10:96::1]:443');
  });

  it('is null outside a cluster, and names the file it cannot read inside one', async () => {
    expect(await inClusterConfig({}, sa)).toBeNull();
    await expect(inClusterConfig(inCluster, sa)).rejects.toThrow(
      `in-cluster config: cannot read the service account token ${join(sa, 'token')}`,
    );
    writeFileSync(join(sa, 'token'), 'sa-token');
    await expect(inClusterConfig(inCluster, sa)).rejects.toThrow(
      `in-cluster config: cannot read the service account CA ${join(sa, 'ca.crt')}`,
    );
  });
});

describe('loadClusterConfig', () => {
  const kubeconfig = (file: string, server: string) =>
    writeFileSync(
      file,
      `current-context: c\ncontexts: [{ name: c, context: { cluster: c, user: u } }]\nclusters: [{ name: c, cluster: { server: ${server} } }]\nusers: [{ name: u, user: { token: t } }]\n`,
    );

  it('prefers KUBECONFIG, then the in-cluster service account, then ~/.kube/config', async () => {
    writeFileSync(join(sa, 'token'), 'sa-token');
    writeFileSync(join(sa, 'ca.crt'), 'CA');
    mkdirSync(join(dir, '.kube'));
    kubeconfig(join(dir, '.kube', 'config'), 'https://home.example');
    kubeconfig(join(dir, 'explicit'), 'https://explicit.example');
    const env = { ...inCluster, HOME: dir };
    expect((await loadClusterConfig({ ...env, KUBECONFIG: join(dir, 'explicit') }, sa)).server).toBe(
      'https://explicit.example',
    );
    expect((await loadClusterConfig(env, sa)).server).toBe('https://10.0.0.1:443');
    expect((await loadClusterConfig({ HOME: dir }, sa)).server).toBe('https://home.example');
  });

  it('says when there is no config at all, or KUBECONFIG names no file', async () => {
    await expect(loadClusterConfig({ HOME: dir }, sa)).rejects.toThrow(
      `no Kubernetes config: not in a cluster (KUBERNETES_SERVICE_HOST unset), KUBECONFIG unset and no ${join(dir, '.kube', 'config')}`,
    );
    await expect(loadClusterConfig({ HOME: dir, KUBECONFIG: join(dir, 'nope') }, sa)).rejects.toThrow(
      `KUBECONFIG=${join(dir, 'nope')}: no such file`,
    );
  });
});
