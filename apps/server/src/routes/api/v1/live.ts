import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/**
 * Browsers: send {"type":"subscribe","filter":"level=pod&namespace=production"}, get an update a second.
 * Origin, client caps, the 16 KB frame limit and the idle timeout are applied by the wsGuard plugin.
 */
export const liveRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/live', { websocket: true }, (socket) => {
    const client = app.weft.live.add(socket);
    socket.on('message', (data: Buffer) => client.message(data));
    // Browsers and ws answer pings by themselves: a pong is the hub's read receipt.
    socket.on('pong', (data: Buffer) => client.pong(data));
    socket.on('close', () => client.close());
  });
};
