import type { PodSpec } from './workloads.js';

/**
 * The Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/) as
 * Pod Security Admission enforces them at v1.30, for the fields Weft's pods use. `baseline` bars the
 * known privilege escalations; `restricted` adds the hardening rules on top.
 */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

interface SecurityFields {
  seccompProfile?: { type: string };
  runAsNonRoot?: boolean;
  runAsUser?: number;
}

/** What keeps `spec` out of `level`, one line per broken rule; empty when it is allowed. */
export function podSecurityViolations(spec: PodSpec, level: PodSecurityLevel): string[] {
  if (level === 'privileged') return [];
  const out: string[] = [];
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  const pod = (spec.securityContext ?? {}) as SecurityFields;
  if (spec.hostNetwork) out.push('hostNetwork');
  if (spec.hostPID) out.push('hostPID');
  if (spec.hostIPC) out.push('hostIPC');
  for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`hostPath volume ${v.name}`);
  if (pod.seccompProfile?.type === 'Unconfined') out.push('pod seccompProfile Unconfined');
  for (const c of containers) {
    const sc = (c.securityContext ?? {}) as NonNullable<typeof c.securityContext> & SecurityFields;
    if (sc.privileged) out.push(`${c.name}: privileged`);
    for (const cap of sc.capabilities?.add ?? [])
      if (!BASELINE_CAPABILITIES.has(cap)) out.push(`${c.name}: adds capability ${cap}`);
    for (const p of (c.ports ?? []) as { hostPort?: number }[])
      if (p.hostPort) out.push(`${c.name}: hostPort ${p.hostPort}`);
    if (sc.seccompProfile?.type === 'Unconfined') out.push(`${c.name}: seccompProfile Unconfined`);
  }
  if (level === 'baseline') return out;

  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type) && !v.hostPath) out.push(`volume ${v.name} of type ${type}`);
  }
  if (pod.runAsUser === 0) out.push('pod runAsUser 0');
  for (const c of containers) {
    const sc = (c.securityContext ?? {}) as NonNullable<typeof c.securityContext> & SecurityFields;
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation not false`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) out.push(`${c.name}: runAsNonRoot not true`);
    if (sc.runAsUser === 0) out.push(`${c.name}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      out.push(`${c.name}: seccompProfile not RuntimeDefault or Localhost`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${c.name}: capabilities do not drop ALL`);
    for (const cap of sc.capabilities?.add ?? [])
      if (cap !== 'NET_BIND_SERVICE') out.push(`${c.name}: adds capability ${cap} (restricted)`);
  }
  return out;
}
