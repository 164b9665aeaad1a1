import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

export interface SpaOptions {
  webRoot: string;
}

function notBuiltPage(webRoot: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Weft</title></head>
<body>
<h1>Weft server is running</h1>
<p>The dashboard is not built: there is no <code>index.html</code> in <code>${esc(webRoot)}</code>.</p>
<p>Build it with <code>pnpm --filter @weft/web build</code> (or <code>npm start</code> from the repository root),
or point <code>WEFT_WEB_ROOT</code> at a built copy, then reload this page.</p>
<p>The API answers meanwhile: <a href="/api/v1/status">/api/v1/status</a>, <a href="/healthz">/healthz</a>.</p>
</body></html>
`;
}

function wantsHtml(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = req.url.split('?')[0] ?? '';
  if (path === '/api' || path.startsWith('/api/')) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * Serves the built web app with history fallback: any non-API GET that accepts HTML gets index.html,
 * so a pasted deep link (/?view=flows...) or /some/route loads the app, which reads its state from the URL.
 */
export const spaPlugin: FastifyPluginAsync<SpaOptions> = async (app, { webRoot }) => {
  const built = existsSync(join(webRoot, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: true,
      setHeaders(res, path) {
        if (path.endsWith('index.html')) res.header('cache-control', 'no-cache');
        else if (path.includes('/assets/'))
          res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  } else {
    app.log.warn({ webRoot }, 'web app not built; serving a page that says how to build it');
  }
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    if (wantsHtml(req)) {
      if (built) return reply.header('cache-control', 'no-cache').sendFile('index.html');
      return reply.type('text/html; charset=utf-8').send(notBuiltPage(webRoot));
    }
    return reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `no route ${req.method} ${(req.url.split('?')[0] ?? '').slice(0, 200)}`,
    });
  });
};
