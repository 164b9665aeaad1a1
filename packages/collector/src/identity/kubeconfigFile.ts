import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { ClusterConfig, ExecConfig } from './clusterConfig.js';

type Fields = Record<string, unknown>;
interface Named {
  name: string;
  body: Fields;
  /** The file it came from: relative paths in it are relative to that file's directory. */
  file: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function namedEntries(doc: Fields, list: string, field: string, file: string): Named[] {
  const items = doc[list];
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw new Error(`${file}: ${list} is not a list`);
  return items.flatMap((it: Fields) => {
    const name = str(it?.name);
    const body = it?.[field];
    return name && body && typeof body === 'object' ? [{ name, body: body as Fields, file }] : [];
  });
}

/**
 * The kubeconfig files' current context -> a ClusterConfig. Several files (KUBECONFIG=a:b) merge the
 * way kubectl merges them: the first file to set current-context, or to name a context, cluster or
 * user, wins. Supported: server, certificate-authority(-data), insecure-skip-tls-verify; users with
 * token, tokenFile, client-certificate(-data) + client-key(-data), exec plugins. Refused with a
 * clear error: auth-provider, basic auth, proxy-url, tls-server-name.
 */
export async function kubeconfigClusterConfig(files: string[], context?: string): Promise<ClusterConfig> {
  // Loaded only here: in a cluster (the DaemonSet) no YAML is ever parsed.
  const { parse } = await import('yaml');
  const contexts: Named[] = [];
  const clusters: Named[] = [];
  const users: Named[] = [];
  let current = context;
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((err: Error) => {
      throw new Error(`cannot read the kubeconfig ${file}: ${err.message}`);
    });
    let doc: Fields;
    try {
      doc = (parse(text) ?? {}) as Fields;
    } catch (err) {
      throw new Error(`the kubeconfig ${file} is not YAML: ${(err as Error).message}`);
    }
    current ??= str(doc['current-context']);
    contexts.push(...namedEntries(doc, 'contexts', 'context', file));
    clusters.push(...namedEntries(doc, 'clusters', 'cluster', file));
    users.push(...namedEntries(doc, 'users', 'user', file));
  }
  const where = files.join(':');
  if (!current) throw new Error(`the kubeconfig ${where} has no current-context`);
  const ctx = contexts.find((c) => c.name === current);
  if (!ctx) throw new Error(`the kubeconfig ${where} has no context named ${JSON.stringify(current)}`);
  const clusterName = str(ctx.body.cluster);
  const cluster = clusters.find((c) => c.name === clusterName);
  if (!cluster)
    throw new Error(
      `the kubeconfig ${where}: context ${current} names cluster ${JSON.stringify(clusterName)}, which is not in clusters`,
    );
  const userName = str(ctx.body.user);
  const user = userName ? users.find((u) => u.name === userName) : undefined;
  if (userName && !user)
    throw new Error(
      `the kubeconfig ${where}: context ${current} names user ${userName}, which is not in users`,
    );

  const source = `kubeconfig ${where} context ${current}`;
  const c = cluster.body;
  const server = str(c.server);
  if (!server) throw new Error(`${source}: cluster ${cluster.name} has no server`);
  for (const field of ['proxy-url', 'tls-server-name'])
    if (c[field] !== undefined) throw new Error(`${source}: cluster field ${field} is not supported`);
  const config: ClusterConfig = { server, source };
  const ca = await dataOrFile(c, 'certificate-authority', cluster.file, source);
  if (ca) config.ca = ca;
  if (c['insecure-skip-tls-verify'] === true) config.insecureSkipTlsVerify = true;
  if (user) await applyUser(config, user, source);
  return config;
}

async function applyUser(config: ClusterConfig, user: Named, source: string): Promise<void> {
  const u = user.body;
  if (u['auth-provider'] !== undefined)
    throw new Error(
      `${source}: user ${user.name} uses auth-provider, which is not supported (use an exec plugin, e.g. kubelogin)`,
    );
  if (u.username !== undefined || u.password !== undefined)
    throw new Error(
      `${source}: user ${user.name} uses basic auth (username/password), which is not supported`,
    );
  const token = str(u.token);
  if (token) config.token = token;
  const tokenFile = str(u.tokenFile);
  if (tokenFile && !token) config.tokenFile = resolveFrom(user.file, tokenFile);
  const cert = await dataOrFile(u, 'client-certificate', user.file, source);
  const key = await dataOrFile(u, 'client-key', user.file, source);
  if (Boolean(cert) !== Boolean(key))
    throw new Error(
      `${source}: user ${user.name} has a client certificate without its key, or a key without its certificate`,
    );
  if (cert && key) {
    config.clientCertificate = cert;
    config.clientKey = key;
  }
  if (u.exec !== undefined) config.exec = execConfig(u.exec as Fields, user, source);
}

function execConfig(e: Fields, user: Named, source: string): ExecConfig {
  const apiVersion = str(e.apiVersion);
  const command = str(e.command);
  if (!command) throw new Error(`${source}: user ${user.name}: exec has no command`);
  if (
    apiVersion !== 'client.authentication.k8s.io/v1' &&
    apiVersion !== 'client.authentication.k8s.io/v1beta1'
  )
    throw new Error(
      `${source}: user ${user.name}: exec apiVersion ${String(apiVersion)} is not supported (client.authentication.k8s.io/v1 or v1beta1)`,
    );
  const args = Array.isArray(e.args) ? e.args.map(String) : [];
  const env = Array.isArray(e.env)
    ? (e.env as Fields[]).flatMap((v) =>
        str(v?.name) ? [{ name: String(v.name), value: String(v.value ?? '') }] : [],
      )
    : [];
  return {
    apiVersion,
    command,
    args,
    env,
    provideClusterInfo: e.provideClusterInfo === true,
    dir: dirname(user.file),
  };
}

/** `<field>-data` (base64 PEM) or `<field>` (a file, relative to the kubeconfig): the PEM text. */
async function dataOrFile(
  obj: Fields,
  field: string,
  file: string,
  source: string,
): Promise<string | undefined> {
  const data = str(obj[`${field}-data`]);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const path = str(obj[field]);
  if (!path) return undefined;
  const full = resolveFrom(file, path);
  return readFile(full, 'utf8').catch((err: Error) => {
    throw new Error(`${source}: cannot read ${field} ${full}: ${err.message}`);
  });
}

function resolveFrom(file: string, path: string): string {
  return isAbsolute(path) ? path : join(dirname(file), path);
}
