import { type Static, Type } from 'typebox';
import { Endpoint } from './endpoint.js';
import { PolicyFinding, PolicyName } from './policyFinding.js';

/** Connections a what-if answer lists (most packets first); `denied` counts them all. */
export const MAX_WHATIF_FLOWS = 1_000;

/** The largest NetworkPolicy YAML `POST /api/v1/policy/whatif` reads (a few hundred policies). */
export const MAX_WHATIF_YAML = 512 * 1024;

/** `POST /api/v1/policy/whatif` body: one or many networking.k8s.io/v1 NetworkPolicy documents. */
export const WhatIfRequest = Type.Object(
  { yaml: Type.String({ minLength: 1, maxLength: MAX_WHATIF_YAML }) },
  { additionalProperties: false },
);
export type WhatIfRequest = Static<typeof WhatIfRequest>;

/** An observed connection the pasted policies would deny and the current ones do not. */
export const WhatIfFlow = Type.Object({
  client: Endpoint,
  server: Endpoint,
  proto: Type.String(),
  port: Type.Integer(),
  packets: Type.Integer(),
  bytes: Type.Integer(),
  /** TCP connects attempted in the window (0 for UDP, or a connection older than the window). */
  connections: Type.Integer(),
  /** The policy that would deny it (a pasted one when it selects that end), its rule and why. */
  finding: PolicyFinding,
});
export type WhatIfFlow = Static<typeof WhatIfFlow>;

export const WhatIfResponse = Type.Object({
  start: Type.Number(),
  end: Type.Number(),
  /** The pasted policies as read (a pasted one replaces the current policy of its namespace/name). */
  policies: Type.Array(PolicyName),
  /** Connections of the window evaluated (after the filter). */
  evaluated: Type.Integer(),
  /** Connections the pasted policies would deny that the current ones allow (all of them). */
  denied: Type.Integer(),
  /** The first MAX_WHATIF_FLOWS of them, most packets first. */
  flows: Type.Array(WhatIfFlow),
  /** What limits the answer (no policy context yet, protocols not evaluated). */
  notes: Type.Array(Type.String()),
});
export type WhatIfResponse = Static<typeof WhatIfResponse>;

/** `GET /api/v1/policy/generate` (JSON; `format=yaml` answers the YAML alone, as a download). */
export const GenerateResponse = Type.Object({
  start: Type.Number(),
  end: Type.Number(),
  namespace: Type.String(),
  workload: Type.Optional(Type.String()),
  /** One policy per workload, as multi-document YAML ready for kubectl apply. */
  yaml: Type.String(),
  /** The same policies as networking.k8s.io/v1 objects. */
  policies: Type.Array(Type.Unknown()),
  /** What the generator could not express exactly (world peers as /32, pods without labels, ...). */
  notes: Type.Array(Type.String()),
});
export type GenerateResponse = Static<typeof GenerateResponse>;
