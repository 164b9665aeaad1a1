/** A topology that cannot be used; `field` names where (e.g. `pods[3].node`). */
export class TopologyError extends Error {
  readonly field: string;

  constructor(field: string, problem: string, source?: string) {
    super(`${source ? `${source}: ` : ''}topology ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'TopologyError';
    this.field = field;
  }
}
