import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ClusterConfig } from './clusterConfig.js';
import { inClusterConfig, SERVICE_ACCOUNT_DIR } from './inClusterConfig.js';
import { kubeconfigClusterConfig } from './kubeconfigFile.js';

/**
 * Where the collector finds its cluster: $KUBECONFIG (its files that exist) when set, an explicit
 * choice; else the in-cluster service account (the DaemonSet); else ~/.kube/config (a laptop).
 */
export async function loadClusterConfig(
  env: NodeJS.ProcessEnv = process.env,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): Promise<ClusterConfig> {
  if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter((f) => f && existsSync(f));
    if (files.length === 0) throw new Error(`KUBECONFIG=${env.KUBECONFIG}: no such file`);
    return kubeconfigClusterConfig(files);
  }
  const inCluster = await inClusterConfig(env, serviceAccountDir);
  if (inCluster) return inCluster;
  const home = join(env.HOME || homedir(), '.kube', 'config');
  if (existsSync(home)) return kubeconfigClusterConfig([home]);
  throw new Error(
    `no Kubernetes config: not in a cluster (KUBERNETES_SERVICE_HOST unset), KUBECONFIG unset and no ${home}`,
  );
}
