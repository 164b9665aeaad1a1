import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { type KubeObject, objectRef } from './kubeObject.js';
import { hasModel, modelName, unknownFields } from './unknownFields.js';

type Validating = new (data: never) => { validate(): void };

/** The kinds Weft ships, each with the JSON schema its API version defines. */
const SCHEMAS: Record<string, Validating> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'v1/Secret': Secret,
  'v1/ConfigMap': ConfigMap,
  'apps/v1/DaemonSet': DaemonSet,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
};

/**
 * Problems with one object against the Kubernetes schemas: the OpenAPI-derived JSON schema of its
 * kind (types, required fields, enums, formats) and, for built-in kinds, fields the API does not know.
 * An empty list means valid. A kind with no schema here is a problem, not a pass.
 */
export function validateObject(obj: KubeObject): string[] {
  const ref = objectRef(obj);
  const Model = SCHEMAS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) return [`${ref}: no schema for ${obj.apiVersion} ${obj.kind}`];
  const problems: string[] = [];
  try {
    new Model(obj as never).validate();
  } catch (err) {
    problems.push(`${ref}: ${(err as Error).message}`);
  }
  if (hasModel(obj.apiVersion, obj.kind)) {
    for (const p of unknownFields(obj, modelName(obj.apiVersion, obj.kind))) {
      problems.push(`${ref}: unknown field ${p}`);
    }
  }
  return problems;
}
