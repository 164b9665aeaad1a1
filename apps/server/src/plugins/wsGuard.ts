import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import type { ServerMetrics } from '../serverMetrics.js';
import { originAllowed } from './allowedOrigin.js';

/** What one WebSocket route accepts. */
export interface WsRoutePolicy {
  /** The route's name in metrics. */
  name: string;
  /** Largest message; ws refuses a bigger one from its frame header (1009), before buffering it. */
  maxPayload: number;
  /**
   * A socket from which no message, ping or pong arrives for this long is closed (after one to one and
   * a half times it): a client stalled in the middle of a frame, or one that stopped reading and so
   * never answers the pings sent at half this interval.
   */
  idleTimeoutMs: number;
  maxClients?: number;
  maxClientsPerAddress?: number;
}

export interface WsGuardOptions {
  /** By route URL as registered, e.g. `/api/v1/live`. */
  routes: Readonly<Record<string, WsRoutePolicy>>;
  /** Upgrades to any other path (@fastify/websocket closes them): the strictest limits. */
  fallback: WsRoutePolicy;
  allowedOrigins: readonly string[];
  metrics: ServerMetrics;
}

interface RouteState {
  open: number;
  byAddress: Map<string, number>;
}

/**
 * The limits @fastify/websocket cannot set per route: each upgrade's Origin is checked and the route's
 * client caps applied before the handshake (a plain HTTP 403/503/429, counted), and after it the route's
 * own frame limit and idle timeout. Every refusal and close is counted in /metrics by route and reason.
 */
const wsGuardPlugin: FastifyPluginAsync<WsGuardOptions> = async (app: FastifyInstance, opts) => {
  const { metrics, fallback } = opts;
  const allowed = new Set(opts.allowedOrigins);
  const policies = new WeakMap<IncomingMessage, WsRoutePolicy>();
  const states = new Map<WsRoutePolicy, RouteState>();
  const stateOf = (p: WsRoutePolicy): RouteState => {
    let s = states.get(p);
    if (!s) {
      s = { open: 0, byAddress: new Map() };
      states.set(p, s);
    }
    return s;
  };
  const overCap = (p: WsRoutePolicy, address: string): 'capacity' | 'address_capacity' | null => {
    const s = stateOf(p);
    if (p.maxClients !== undefined && s.open >= p.maxClients) return 'capacity';
    if (p.maxClientsPerAddress !== undefined && (s.byAddress.get(address) ?? 0) >= p.maxClientsPerAddress)
      return 'address_capacity';
    return null;
  };

  app.addHook('onRequest', async (req, reply) => {
    if (!req.ws) return;
    const url = req.routeOptions.url;
    const policy =
      (url !== undefined && Object.hasOwn(opts.routes, url) ? opts.routes[url] : undefined) ?? fallback;
    if (!originAllowed(req.headers.origin, req.headers.host, allowed)) {
      metrics.countWs('refused', policy.name, 'origin');
      req.log.warn(
        { route: policy.name, origin: String(req.headers.origin).slice(0, 200), remote: req.ip },
        'WebSocket upgrade from another origin refused',
      );
      return reply.code(403).send({
        statusCode: 403,
        error: 'Forbidden',
        message:
          'this origin may not open the WebSocket (the server allows its own and WEFT_ALLOWED_ORIGINS)',
      });
    }
    const full = overCap(policy, req.raw.socket?.remoteAddress ?? '');
    if (full) {
      metrics.countWs('refused', policy.name, full);
      req.log.warn(
        { route: policy.name, remote: req.ip, reason: full },
        'WebSocket upgrade refused: too many clients',
      );
      return reply
        .code(full === 'capacity' ? 503 : 429)
        .header('retry-after', '5')
        .send({
          statusCode: full === 'capacity' ? 503 : 429,
          error: full === 'capacity' ? 'Service Unavailable' : 'Too Many Requests',
          message:
            full === 'capacity'
              ? `too many ${policy.name} clients`
              : `too many ${policy.name} clients from this address`,
        });
    }
    policies.set(req.raw, policy);
  });

  const wss = app.websocketServer;
  // ws reads one maxPayload from its options when it builds each socket's receiver, right after this
  // event and in the same tick, so setting it here gives every upgrade its own route's limit.
  wss.on('headers', (_headers, req) => {
    wss.options.maxPayload = (policies.get(req) ?? fallback).maxPayload;
  });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const policy = policies.get(req) ?? fallback;
    const address = req.socket?.remoteAddress ?? '';
    // Upgrades admitted together can pass the check above before any of them connects.
    if (overCap(policy, address)) {
      metrics.countWs('closed', policy.name, 'capacity');
      ws.close(1013, `too many ${policy.name} clients: try again later`);
      return;
    }
    const s = stateOf(policy);
    s.open++;
    s.byAddress.set(address, (s.byAddress.get(address) ?? 0) + 1);

    let heard = true;
    let missed = 0;
    const hear = () => {
      heard = true;
    };
    ws.on('message', hear);
    ws.on('ping', hear);
    ws.on('pong', hear);
    const timer = setInterval(
      () => {
        if (heard) {
          heard = false;
          missed = 0;
          if (ws.readyState === ws.OPEN) ws.ping();
          return;
        }
        if (++missed < 2) return;
        clearInterval(timer);
        metrics.countWs('closed', policy.name, 'idle');
        app.log.warn({ route: policy.name, remote: address }, 'closing an idle WebSocket');
        // Its peer has been silent for the whole timeout: the close frame is a courtesy, the memory held by
        // a partial frame is freed now rather than after ws's 30 s close handshake.
        ws.close(1001, `idle: nothing received for ${policy.idleTimeoutMs} ms`);
        ws.terminate();
      },
      Math.max(50, Math.floor(policy.idleTimeoutMs / 2)),
    );
    timer.unref();

    ws.on('error', (err: Error & { code?: string }) => {
      if (!err.code?.startsWith('WS_ERR_')) return;
      metrics.countWs(
        'closed',
        policy.name,
        err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'frame_too_large' : 'protocol_error',
      );
    });
    ws.on('close', () => {
      clearInterval(timer);
      s.open--;
      const n = (s.byAddress.get(address) ?? 1) - 1;
      if (n > 0) s.byAddress.set(address, n);
      else s.byAddress.delete(address);
    });
  });
};

// Its hooks guard every route, not only those registered inside it (what fastify-plugin does).
Object.assign(wsGuardPlugin, { [Symbol.for('skip-override')]: true });
export const wsGuard = wsGuardPlugin;
