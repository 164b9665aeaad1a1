import type { FastifyPluginAsync } from 'fastify';

/**
 * The built web app loads only its own files (apps/web/dist has no inline script or style; React sets
 * styles through the DOM, which style-src does not govern) and talks only to this server, the live
 * WebSocket included ('self' covers ws:/wss: to the same host in CSP 3). Nothing may frame it, so a page
 * an operator visits cannot overlay it, and API answers are never sniffed into something executable.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
});

const securityHeadersPlugin: FastifyPluginAsync = async (app) => {
  // onSend runs for every reply: routes, static files, 404s, errors and refused WebSocket upgrades.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
};

Object.assign(securityHeadersPlugin, { [Symbol.for('skip-override')]: true });
export const securityHeaders = securityHeadersPlugin;
