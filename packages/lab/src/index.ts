export { PolicyError } from '@weft/policy';
export {
  type LabPlan,
  type PlannedNode,
  type PlannedPod,
  type PlannedWorld,
  planLab,
} from './addressPlan.js';
export { checkLabHost, type LabHostCheck } from './checkLabHost.js';
export { defaultTopology } from './defaultTopology.js';
export {
  addFault,
  clearFaults,
  type FaultsFile,
  isScenarioFaultId,
  restoreFault,
  startingFaults,
} from './faultBook.js';
export {
  describeFault,
  FAULT_KINDS,
  type Fault,
  FaultError,
  type FaultKind,
  type FaultSpec,
  faultUsage,
  parseFaultArgs,
  parseFaultSpec,
} from './faultSpec.js';
export { faultAdd, faultClear, faultList, faultRestore, labFaultsPath } from './faults.js';
export { buildInventory, simulatedInventory } from './inventory.js';
export { LAB_ALERT_PROFILE, type LabAlertProfile } from './labAlertProfile.js';
export { type LabDownResult, labDown } from './labDown.js';
export {
  type PoliciesFile,
  type PolicyChange,
  type PolicyOptions,
  policyApply,
  policyClear,
  policyDelete,
  policyList,
  readPolicyFile,
} from './labPolicies.js';
export { DEFAULT_STATE_ROOT, inventoryPathOf, type LabOptions, stateDirOf } from './labState.js';
export { type AgentStatus, type LabStatus, labStatus } from './labStatus.js';
export { LabError, type LabHandle, type LabNodeInfo, type LabUpOptions, labUp } from './labUp.js';
export { labWorld } from './labWorld.js';
export { loadTopology } from './loadTopology.js';
export { measureRates, type RateFigure, type RateReport } from './measureRates.js';
export { policyRulesets, policyTable } from './policyRuleset.js';
export { DEFAULT_PREFIX } from './prefix.js';
export { applyScenario, isScenario, SCENARIOS, type Scenario } from './scenario.js';
export { scenarioFaults } from './scenarioFaults.js';
export { buildSimModel, type SimModel, simulateInterval } from './simulate.js';
export {
  createSimulatedSource,
  SIMULATED_HOOKS,
  type SimulatedSource,
  type SimulatedSourceOptions,
} from './simulatedSource.js';
export type { Topology } from './topology.js';
export { TopologyError } from './topologyError.js';
export { validateTopology } from './validateTopology.js';
