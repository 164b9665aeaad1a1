import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterConfig } from './clusterConfig.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The pod's own way to the API server: KUBERNETES_SERVICE_HOST/PORT (set by the kubelet in every
 * pod), the service account's CA and token. The token stays a file name: the kubelet rotates it.
 * Null outside a cluster (the variables are unset).
 */
export async function inClusterConfig(
  env: NodeJS.ProcessEnv = process.env,
  dir = SERVICE_ACCOUNT_DIR,
): Promise<ClusterConfig | null> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return null;
  const tokenFile = join(dir, 'token');
  const caFile = join(dir, 'ca.crt');
  const token = await readFile(tokenFile, 'utf8').catch((err: Error) => {
    throw new Error(`in-cluster config: cannot read the service account token ${tokenFile}: ${err.message}`);
  });
  if (!token.trim()) throw new Error(`in-cluster config: the service account token ${tokenFile} is empty`);
  const ca = await readFile(caFile, 'utf8').catch((err: Error) => {
    throw new Error(`in-cluster config: cannot read the service account CA ${caFile}: ${err.message}`);
  });
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return { server: `https://${hostPart}:${port}`, ca, tokenFile, source: 'in-cluster service account' };
}
