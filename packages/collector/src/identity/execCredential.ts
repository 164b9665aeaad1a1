import { execFile } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import type { ClusterConfig, ExecConfig } from './clusterConfig.js';

/** What a credential plugin gave: a token or a client certificate, good until expiresAt (ms) if set. */
export interface ExecCredential {
  token?: string;
  clientCertificate?: string;
  clientKey?: string;
  expiresAt?: number;
}

const EXEC_TIMEOUT_MS = 60_000;

/**
 * Pure: a plugin's stdout -> its credential. The ExecCredential must be of the apiVersion the
 * kubeconfig asked for (client.authentication.k8s.io/v1 or v1beta1) and carry a token or a
 * certificate and key.
 */
export function parseExecCredential(stdout: string, apiVersion: string, command: string): ExecCredential {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new Error(`exec plugin ${command} printed no JSON ExecCredential`);
  }
  const d = (doc ?? {}) as {
    kind?: unknown;
    apiVersion?: unknown;
    status?: {
      token?: unknown;
      clientCertificateData?: unknown;
      clientKeyData?: unknown;
      expirationTimestamp?: unknown;
    };
  };
  if (d.kind !== 'ExecCredential') throw new Error(`exec plugin ${command} printed kind ${String(d.kind)}`);
  if (d.apiVersion !== apiVersion)
    throw new Error(`exec plugin ${command} printed apiVersion ${String(d.apiVersion)}, not ${apiVersion}`);
  const s = d.status ?? {};
  const cred: ExecCredential = {};
  if (typeof s.token === 'string' && s.token) cred.token = s.token;
  if (typeof s.clientCertificateData === 'string' && typeof s.clientKeyData === 'string') {
    cred.clientCertificate = s.clientCertificateData;
    cred.clientKey = s.clientKeyData;
  }
  if (!cred.token && !cred.clientCertificate)
    throw new Error(
      `exec plugin ${command}: status has neither token nor clientCertificateData+clientKeyData`,
    );
  if (typeof s.expirationTimestamp === 'string') {
    const t = Date.parse(s.expirationTimestamp);
    if (Number.isNaN(t))
      throw new Error(`exec plugin ${command}: bad expirationTimestamp ${s.expirationTimestamp}`);
    cred.expiresAt = t;
  }
  return cred;
}

/**
 * Runs the plugin (non-interactive: stdin closed) the way kubectl does and reads its ExecCredential.
 * The signal kills it (a stopped collector leaves no plugin behind, e.g. kubelogin waiting on Entra ID).
 */
export function runExecPlugin(
  exec: ExecConfig,
  cluster: ClusterConfig,
  signal?: AbortSignal,
): Promise<ExecCredential> {
  // client-go: a relative command with a path separator is relative to the kubeconfig's directory.
  const command =
    exec.command.includes('/') && !isAbsolute(exec.command) ? join(exec.dir, exec.command) : exec.command;
  const info = {
    apiVersion: exec.apiVersion,
    kind: 'ExecCredential',
    spec: {
      interactive: false,
      ...(exec.provideClusterInfo
        ? {
            cluster: {
              server: cluster.server,
              ...(cluster.ca
                ? { 'certificate-authority-data': Buffer.from(cluster.ca).toString('base64') }
                : {}),
              ...(cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
            },
          }
        : {}),
    },
  };
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
  for (const e of exec.env) env[e.name] = e.value;
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      exec.args,
      { env, timeout: EXEC_TIMEOUT_MS, maxBuffer: 1024 * 1024, ...(signal ? { signal } : {}) },
      (err, stdout, stderr) => {
        if (err) {
          const why = stderr.trim().split('\n').slice(-3).join(' / ') || err.message;
          reject(new Error(`exec plugin ${exec.command} failed: ${why}`));
          return;
        }
        try {
          resolve(parseExecCredential(stdout, exec.apiVersion, exec.command));
        } catch (e) {
          reject(e);
        }
      },
    );
    child.stdin?.end();
  });
}
