export { PolicyError } from '@weft/policy';
export {
  addFault,
  clearFaults,
  type FaultsFile,
  isScenarioFaultId,
  restoreFault,
  startingFaults,
} from './faults/faultBook.js';
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
} from './faults/faultSpec.js';
export { faultAdd, faultClear, faultList, faultRestore, labFaultsPath } from './faults/faults.js';
export { checkLabHost, type LabHostCheck } from './lifecycle/checkLabHost.js';
export { type LabDownResult, labDown } from './lifecycle/labDown.js';
export { DEFAULT_STATE_ROOT, inventoryPathOf, type LabOptions, stateDirOf } from './lifecycle/labState.js';
export { type AgentStatus, type LabStatus, labStatus } from './lifecycle/labStatus.js';
export { LabError, type LabHandle, type LabNodeInfo, type LabUpOptions, labUp } from './lifecycle/labUp.js';
export { labWorld } from './lifecycle/labWorld.js';
export {
  type PoliciesFile,
  type PolicyChange,
  type PolicyOptions,
  policyApply,
  policyClear,
  policyDelete,
  policyList,
  readPolicyFile,
} from './netfilter/labPolicies.js';
export { policyRulesets, policyTable } from './netfilter/policyRuleset.js';
export { LAB_ALERT_PROFILE, type LabAlertProfile } from './scenario/labAlertProfile.js';
export { measureRates, type RateFigure, type RateReport } from './scenario/measureRates.js';
export { applyScenario, isScenario, SCENARIOS, type Scenario } from './scenario/scenario.js';
export { scenarioFaults } from './scenario/scenarioFaults.js';
export { buildSimModel, type SimModel, simulateInterval } from './simulate/simulate.js';
export {
  createSimulatedSource,
  SIMULATED_HOOKS,
  type SimulatedSource,
  type SimulatedSourceOptions,
} from './simulate/simulatedSource.js';
export {
  type LabPlan,
  type PlannedNode,
  type PlannedPod,
  type PlannedWorld,
  planLab,
} from './topology/addressPlan.js';
export { defaultTopology } from './topology/defaultTopology.js';
export { buildInventory, simulatedInventory } from './topology/inventory.js';
export { loadTopology } from './topology/loadTopology.js';
export { DEFAULT_PREFIX } from './topology/prefix.js';
export type { Topology } from './topology/topology.js';
export { TopologyError } from './topology/topologyError.js';
export { validateTopology } from './topology/validateTopology.js';
