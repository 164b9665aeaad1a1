import type { FastifyPluginAsync } from 'fastify';

/**
 * The built web app loads only its own files (apps/web/dist/index.html has no inline script or style;
 * React sets style attributes through the DOM, which style-src does not govern) and talks only to this server, the live
 * WebSocket included ('self' covers ws:/wss: to the same host in CSP 3). Nothing may frame it, so a page
 * an operator visits cannot overlay it, and API answers are never sniffed into something executable.
 * The one inline style is the map library's: cytoscape adds `<style>` with
 * `.__________cytoscape_container { position: relative; }` to the head, allowed by its hash (a
 * cytoscape that changes the text gets a console CSP error and a warning, and the map still draws).
 */
const CYTOSCAPE_STYLESHEET = 'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8=';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' '${CYTOSCAPE_STYLESHEET}'`,
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
