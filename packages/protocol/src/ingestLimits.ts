// Kept apart from the ingest schemas so that '@weft/protocol/core' can offer them without typebox.

/** Most addresses a DNS record carries from its answer (the probe reads no more). */
export const MAX_DNS_ADDRS = 8;

/** Most records of one kind in one batch. */
export const MAX_BATCH_RECORDS = 100_000;

/** Most endpoints one batch adds to its connection's endpoint table: each record names two at most. */
export const MAX_BATCH_ENDPOINTS = 2 * MAX_BATCH_RECORDS;

/**
 * Most endpoints a connection's table holds (protocol 3). A batch that starts a new table always fits,
 * so a collector whose table would grow past this starts a new one; the server refuses a batch that
 * would take it further, which bounds its memory per connection.
 */
export const MAX_CONNECTION_ENDPOINTS = MAX_BATCH_ENDPOINTS;

/** WebSocket close codes used on /api/v1/ingest (4000-4999 are application codes). */
export const IngestCloseCode = {
  unauthorized: 4401,
  protocolMismatch: 4426,
  tooManyBadMessages: 4400,
  /**
   * The hello names a node another live connection streams for, or a boot another node announced.
   * A collector retries with backoff: a connection of its own that went silent (half-open TCP) is
   * replaced once it has been quiet for INGEST_STALE_MS.
   */
  identityConflict: 4409,
  /** This connection was replaced by a newer one for the same node (the old one had gone quiet). */
  replaced: 4410,
  /** The server failed while handling a message: that connection is closed, never the server. */
  internalError: 1011,
  shuttingDown: 1001,
} as const;

/** Largest WebSocket frame the server accepts on ingest. */
export const MAX_INGEST_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * Ranges every number of an ingest message must be in, shared by the collector and the server so that
 * nothing a real collector sends is refused, and nothing a sender makes up (1e308 bytes, a sequence
 * number of 2^53-1) turns totals into Infinity or marks a node's future batches as already seen.
 */

/** Hooks a hello may list (the collector sends at most this many). */
export const MAX_HELLO_HOOKS = 4096;

/** Largest sequence number, and largest count of anything: integers stay exact below 2^53. */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * Most a sequence number may move past the highest one stored for its boot: the collector numbers
 * batches one by one, and after an outage its spool gives up the oldest (the next one sent is as far
 * ahead as the batches given up). A fixed allowance plus SEQ_STEP_PER_SECOND for each second since
 * that boot's last stored batch: a forged jump to 2^53-1 is refused, not recorded.
 */
export const MAX_SEQ_STEP = 10_000;
/** Batches per second a collector can number at most: 100 ms intervals, each split in up to 10 parts. */
export const SEQ_STEP_PER_SECOND = 100;

/** A timestamp (ms since the epoch) past this is not a time (year 2286): refused by the schema. */
export const MAX_TIMESTAMP_MS = 1e13;

/** Longest interval one batch may cover (the collector's longest is 60 s). */
export const MAX_BATCH_SPAN_MS = 5 * 60_000;

/** How far past the server's clock a batch may end: clocks of nodes differ a little. */
export const BATCH_FUTURE_SLACK_MS = 60_000;

/**
 * How far outside its batch's interval a record's `ts` may be: connect and DNS records carry the
 * probe's own time, which may arrive just after the interval it belongs to closed.
 */
export const RECORD_TS_SLACK_MS = 60_000;

/** Bytes a 400 Gbit/s link moves in a second: no record counts more per second of its interval. */
export const LINK_BYTES_PER_SECOND = 50_000_000_000;

/** Packets such a link moves in a second at the smallest frames (64 bytes). */
export const LINK_PACKETS_PER_SECOND = LINK_BYTES_PER_SECOND / 64;

/**
 * A probe reports counters for its own intervals, which need not line up with the collector's: a
 * record may count up to this much more than its batch's interval.
 */
export const COUNTER_SLACK_MS = 10_000;

/** Most records one batch may report lost: far more than a probe's ring or a spool can give up. */
export const MAX_LOST_PER_BATCH = 2 ** 40;

/** Longest latency or round trip time a record may carry: an hour, in µs. */
export const MAX_LATENCY_US = 3_600_000_000;

/** The welcome's feature word for a server that takes PolicyContext messages (policyContext.ts). */
export const POLICY_CONTEXT_FEATURE = 'policy_context';

/**
 * The welcome's feature word for a server that takes `changes` in a PolicyContext (objectChange.ts):
 * a collector sends them to no other, whose schema would refuse the whole context for the field.
 */
export const OBJECT_CHANGES_FEATURE = 'object_changes';

/** Most NetworkPolicies, namespaces and pods one PolicyContext message carries. */
export const MAX_CONTEXT_POLICIES = 20_000;
export const MAX_CONTEXT_NAMESPACES = 10_000;
export const MAX_CONTEXT_PODS = 5_000;
/** Most object changes one PolicyContext message carries: the collector sends its newest few per kind. */
export const MAX_CONTEXT_CHANGES = 500;
