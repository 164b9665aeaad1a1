export { type Cidr, cidrContains, cidrWithin, parseCidr, parseIp } from './cidr.js';
export {
  type Direction,
  describePeer,
  describePolicy,
  describePort,
  describeRule,
} from './describePolicy.js';
export { type DirectionVerdict, evaluate, PolicyEvaluator, type Verdict } from './evaluate.js';
export {
  type GeneratedPolicies,
  type GenerateRequest,
  generatePolicies,
  type ObservedConnection,
  type ObservedEnd,
} from './generatePolicies.js';
export { describeSelector, isEmptySelector, selectorMatches } from './labelSelector.js';
export * from './networkPolicy.js';
export { networkPolicyObject } from './networkPolicyObject.js';
export { type ParseOptions, parsePolicies } from './parsePolicies.js';
export { podPeerMatches } from './podPeerMatches.js';
export { policiesYaml } from './policiesYaml.js';
export { PolicyError } from './policyError.js';
export type { ContainerPort, Flow, FlowEnd, World, WorldNamespace, WorldPod } from './world.js';
