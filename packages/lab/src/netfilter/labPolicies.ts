import { readFile } from 'node:fs/promises';
import {
  type NetworkPolicy,
  networkPolicyObject,
  PolicyError,
  type PolicyRef,
  parsePolicies,
  policyKey,
} from '@weft/policy';
import type { Inventory } from '@weft/protocol';
import {
  inventoryPathOf,
  type LabOptions,
  policiesPath,
  readJson,
  readState,
  stateDirOf,
  writeJson,
} from '../lifecycle/labState.js';
import { labWorld } from '../lifecycle/labWorld.js';
import { CommandError, run } from '../lifecycle/run.js';
import { withStateLock } from '../lifecycle/stateLock.js';
import { type LabPlan, planLab } from '../topology/addressPlan.js';
import { checkPrefix, DEFAULT_PREFIX } from '../topology/prefix.js';
import { policyRulesets } from './policyRuleset.js';

export interface PoliciesFile {
  /**
   * `owner`: what put it there besides `weft lab apply`: `scenario` (the scenario's own policies);
   * `weft lab delete --all` leaves those to their owner.
   */
  policies: (NetworkPolicy & { appliedAt: number; owner?: string })[];
}

export interface PolicyChange {
  /** Policies created or replaced (apply) or removed (delete), by namespace/name. */
  changed: PolicyRef[];
  /** Pods whose rules changed (their netns). */
  pods: string[];
}

async function upLab(opts: LabOptions): Promise<{ plan: LabPlan; dir: string }> {
  const prefix = checkPrefix(opts.prefix ?? DEFAULT_PREFIX);
  const dir = stateDirOf({ ...opts, prefix });
  const state = await readState(dir);
  if (state?.status !== 'up') throw new PolicyError(`no lab "${prefix}" is up: run \`weft lab up\` first`);
  return { plan: planLab(state.topology, state.prefix, state.slot), dir };
}

/**
 * The policies in force, written into the lab's inventory as the API's objects (created when
 * applied): the collectors read them there as they would list them from a cluster.
 */
async function publish(dir: string, policies: PoliciesFile['policies']): Promise<void> {
  const path = inventoryPathOf(dir);
  const inventory = await readJson<Inventory>(path);
  if (!inventory) return;
  inventory.policies = policies.map((p) =>
    networkPolicyObject(p, { creationTimestamp: new Date(p.appliedAt).toISOString() }),
  );
  await writeJson(path, inventory);
}

const nft = (netns: string, batch: string, check = false) =>
  run('ip', ['netns', 'exec', netns, 'nft', ...(check ? ['-c'] : []), '-f', '-'], batch);

/**
 * Brings every pod's policy table from the old set's rules to the new set's. All batches are checked
 * (`nft -c`) before any is applied; each pod's batch replaces its table atomically; if one still
 * fails, the pods already changed get their old rules back, so the lab never keeps half a change.
 */
async function enforce(plan: LabPlan, before: readonly NetworkPolicy[], after: readonly NetworkPolicy[]) {
  const world = labWorld(plan);
  const old = policyRulesets(plan, world, before);
  const now = policyRulesets(plan, world, after);
  const changed = [...now].filter(([netns, batch]) => old.get(netns) !== batch);
  const refused: string[] = [];
  await Promise.all(
    changed.map(([netns, batch]) =>
      nft(netns, batch, true).catch((err: unknown) => {
        refused.push(`${netns}: ${err instanceof CommandError ? err.stderr.trim() : (err as Error).message}`);
      }),
    ),
  );
  if (refused.length)
    throw new PolicyError(`nftables refused the rules, nothing applied: ${refused.join('; ')}`);
  const done: string[] = [];
  try {
    for (const [netns, batch] of changed) {
      await nft(netns, batch);
      done.push(netns);
    }
  } catch (err) {
    for (const netns of done) await nft(netns, old.get(netns)!).catch(() => {});
    throw new PolicyError(`applying the rules failed, previous rules restored: ${(err as Error).message}`);
  }
  return changed.map(([netns]) => netns);
}

async function change(
  opts: PolicyOptions,
  text: string,
  source: string,
  edit: (current: PoliciesFile['policies'], given: NetworkPolicy[]) => PoliciesFile['policies'],
): Promise<PolicyChange> {
  // Parsed in full before the lab is touched: a bad document changes nothing.
  const given = parsePolicies(text, {
    source,
    ...(opts.namespace ? { defaultNamespace: opts.namespace } : {}),
  });
  const { plan, dir } = await upLab(opts);
  return withStateLock(
    dir,
    'policies',
    (m) => new PolicyError(m),
    async () => {
      const current = (await readJson<PoliciesFile>(policiesPath(dir)))?.policies ?? [];
      const next = edit(current, given);
      const pods = await enforce(plan, current, next);
      await writeJson(policiesPath(dir), { policies: next } satisfies PoliciesFile);
      await publish(dir, next);
      return { changed: given.map((p) => ({ namespace: p.namespace, name: p.name })), pods };
    },
  );
}

export interface PolicyOptions extends LabOptions {
  /** Namespace of policies whose metadata names none (default `default`). */
  namespace?: string;
}

/** `weft lab apply -f FILE`: creates or replaces the NetworkPolicies of a YAML text and enforces them. */
export function policyApply(opts: PolicyOptions, text: string, source = 'input'): Promise<PolicyChange> {
  return change(opts, text, source, (current, given) => {
    const now = Date.now();
    const keys = new Set(given.map(policyKey));
    return [
      ...current.filter((p) => !keys.has(policyKey(p))),
      ...given.map((p) => ({ ...p, appliedAt: now })),
    ];
  });
}

/** `weft lab delete -f FILE`: removes those policies (all of them exist, or nothing is removed). */
export function policyDelete(opts: PolicyOptions, text: string, source = 'input'): Promise<PolicyChange> {
  return change(opts, text, source, (current, given) => {
    const have = new Set(current.map(policyKey));
    const missing = given.filter((p) => !have.has(policyKey(p))).map(policyKey);
    if (missing.length)
      throw new PolicyError(`${source}: no such NetworkPolicy in the lab: ${missing.join(', ')}`);
    const gone = new Set(given.map(policyKey));
    return current.filter((p) => !gone.has(policyKey(p)));
  });
}

/**
 * Stops enforcing every policy `weft lab apply` made (`weft lab delete --all`); the scenario's stay.
 * Returns those removed.
 */
export async function policyClear(opts: LabOptions = {}): Promise<PolicyChange> {
  const { plan, dir } = await upLab(opts);
  return withStateLock(
    dir,
    'policies',
    (m) => new PolicyError(m),
    async () => {
      const current = (await readJson<PoliciesFile>(policiesPath(dir)))?.policies ?? [];
      const kept = current.filter((p) => p.owner !== undefined);
      const pods = await enforce(plan, current, kept);
      await writeJson(policiesPath(dir), { policies: kept } satisfies PoliciesFile);
      await publish(dir, kept);
      const gone = current.filter((p) => p.owner === undefined);
      return { changed: gone.map((p) => ({ namespace: p.namespace, name: p.name })), pods };
    },
  );
}

/**
 * Puts `owner`'s policies (the scenario's) in force in place of any it had, listed and published like
 * applied ones; one unchanged keeps its time. The caller holds the policies lock, or builds the lab
 * (nothing else may touch it yet).
 */
export async function installPolicies(
  plan: LabPlan,
  dir: string,
  owner: string,
  given: readonly NetworkPolicy[],
): Promise<string[]> {
  const current = (await readJson<PoliciesFile>(policiesPath(dir)))?.policies ?? [];
  const keys = new Set(given.map(policyKey));
  const now = Date.now();
  const had = new Map(current.filter((p) => p.owner === owner).map((p) => [policyKey(p), p]));
  const appliedAt = (p: NetworkPolicy) => {
    const old = had.get(policyKey(p));
    if (!old) return now;
    const { appliedAt: at, owner: _, ...rest } = old;
    return JSON.stringify(rest) === JSON.stringify(p) ? at : now;
  };
  const next = [
    ...current.filter((p) => p.owner !== owner && !keys.has(policyKey(p))),
    ...given.map((p) => ({ ...p, appliedAt: appliedAt(p), owner })),
  ];
  const pods = await enforce(plan, current, next);
  await writeJson(policiesPath(dir), { policies: next } satisfies PoliciesFile);
  await publish(dir, next);
  return pods;
}

/** The policies the lab enforces, in the order they were applied. */
export async function policyList(opts: LabOptions = {}): Promise<PoliciesFile['policies']> {
  const prefix = checkPrefix(opts.prefix ?? DEFAULT_PREFIX);
  return (await readJson<PoliciesFile>(policiesPath(stateDirOf({ ...opts, prefix }))))?.policies ?? [];
}

/** Reads a policy file for apply/delete, naming it when it cannot be read. */
export async function readPolicyFile(path: string): Promise<string> {
  try {
    return path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    throw new PolicyError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
