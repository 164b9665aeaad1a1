import type { FilterIssue } from '@weft/protocol';
/** A 400 whose message names every bad parameter; the error handler adds `issues` to the body. */
export class BadRequestError extends Error {
  readonly statusCode = 400;
  constructor(
    message: string,
    readonly issues: FilterIssue[] = [],
  ) {
    super(message);
    this.name = 'BadRequestError';
  }
}

export function describeIssue(i: FilterIssue): string {
  const v = i.value.length > 60 ? `${i.value.slice(0, 60)}...` : i.value;
  return `${i.param}: ${i.reason} (got ${JSON.stringify(v)})`;
}

export function badParams(issues: FilterIssue[]): BadRequestError {
  return new BadRequestError(issues.map(describeIssue).join('; '), issues);
}
