/**
 * The Inventory schema (inventory.ts) as plain JSON Schema, for readers that must not load typebox
 * (the collector checks inventory files with it). inventorySchema.test.ts holds it equal to the
 * TypeBox schema, so the two cannot drift apart.
 */
const name = { type: 'string', minLength: 1, maxLength: 253 } as const;
const namespace = { type: 'string', minLength: 1, maxLength: 63 } as const;
const stringMap = { type: 'object', patternProperties: { '^.*$': { type: 'string' } } } as const;
const strings = (limits: { minItems?: number; maxItems?: number }) =>
  ({ type: 'array', items: { type: 'string' }, ...limits }) as const;

export const INVENTORY_JSON_SCHEMA = {
  type: 'object',
  required: ['version', 'nodes', 'pods', 'services'],
  properties: {
    version: { type: 'number', const: 1 },
    simulated: { type: 'boolean' },
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'ips'],
        properties: { name, ips: strings({ maxItems: 8 }), podCIDRs: strings({}) },
      },
    },
    pods: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'namespace', 'ips', 'node', 'workloadKind', 'workload', 'labels'],
        properties: {
          name,
          namespace,
          ips: strings({ minItems: 1, maxItems: 4 }),
          node: { type: 'string', maxLength: 253 },
          workloadKind: { type: 'string', maxLength: 64 },
          workload: { type: 'string', maxLength: 253 },
          labels: stringMap,
          hostIfname: { type: 'string', maxLength: 15 },
          netns: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
        },
      },
    },
    services: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'namespace', 'clusterIPs', 'ports', 'selector'],
        properties: {
          name,
          namespace,
          clusterIPs: strings({ maxItems: 4 }),
          ports: {
            type: 'array',
            items: {
              type: 'object',
              required: ['port', 'protocol'],
              properties: {
                port: { type: 'integer' },
                protocol: { type: 'string' },
                targetPort: { type: 'integer' },
              },
            },
          },
          selector: stringMap,
        },
      },
    },
    namespaces: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'labels'],
        properties: { name: namespace, labels: stringMap },
      },
    },
    policies: { type: 'array', items: {} },
  },
} as const;
