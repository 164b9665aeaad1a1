import { MAX_INGEST_FRAME_BYTES } from '@weft/protocol';
import type { ServerConfig } from '../config.js';
import { MAX_LIVE_MESSAGE_BYTES } from '../live/liveHub.js';
import type { WsRoutePolicy } from './wsGuard.js';

/** The server's two WebSockets and what each accepts; any other upgrade gets the live limits. */
export function wsPolicies(config: ServerConfig): {
  routes: Record<string, WsRoutePolicy>;
  fallback: WsRoutePolicy;
} {
  const live: WsRoutePolicy = {
    name: 'live',
    maxPayload: MAX_LIVE_MESSAGE_BYTES,
    idleTimeoutMs: config.wsIdleTimeoutMs,
    maxClients: config.liveMaxClients,
    maxClientsPerAddress: config.liveMaxClientsPerAddress,
  };
  // Collectors are one per node and authenticate after the upgrade: no caps here, the token decides.
  const ingest: WsRoutePolicy = {
    name: 'ingest',
    maxPayload: MAX_INGEST_FRAME_BYTES,
    idleTimeoutMs: config.wsIdleTimeoutMs,
  };
  return {
    routes: { '/api/v1/live': live, '/api/v1/ingest': ingest },
    fallback: { name: 'other', maxPayload: MAX_LIVE_MESSAGE_BYTES, idleTimeoutMs: config.wsIdleTimeoutMs },
  };
}
