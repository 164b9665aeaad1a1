/** An exec credential plugin, as a kubeconfig user names it (kubelogin, aws, gke-gcloud-auth-plugin...). */
export interface ExecConfig {
  apiVersion: string;
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  /** Give the plugin the cluster's server and CA in KUBERNETES_EXEC_INFO. */
  provideClusterInfo: boolean;
  /** Where relative commands are found: the kubeconfig file's directory. */
  dir: string;
}

/**
 * How to reach one API server and who to be there, whichever way it was found (in-cluster service
 * account, a kubeconfig context). Values are inline PEM/tokens; files that change while the
 * collector runs (the rotated service account token) stay file names.
 */
export interface ClusterConfig {
  /** https://host:port (http:// only for a local test server). */
  server: string;
  /** PEM of the certificate authorities to trust; absent: Node's bundled roots. */
  ca?: string;
  insecureSkipTlsVerify?: boolean;
  token?: string;
  /** Re-read periodically: bound service account tokens are rotated (they expire after about an hour). */
  tokenFile?: string;
  clientCertificate?: string;
  clientKey?: string;
  exec?: ExecConfig;
  /** Where this came from, for error messages ("in-cluster", "kubeconfig /root/.kube/config context aks"). */
  source: string;
}
