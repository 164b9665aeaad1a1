import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StatusResponse } from '@weft/protocol';
import { historyStatus } from '../../../history/historyStatus.js';
import { readLabFaults } from '../../../labFaults.js';
import { SERVER_VERSION } from '../../../version.js';

export const statusRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/status', { schema: { response: { 200: StatusResponse } } }, async () => {
    const w = app.weft;
    return {
      version: SERVER_VERSION,
      uptimeS: Math.round((w.now() - w.startedAt) / 1000),
      simulated: w.collectors.anySimulated(),
      rateWindowS: w.config.rateWindowS,
      collectors: w.collectors.list(),
      memory: w.store.memoryStatus(),
      history: historyStatus(w),
      ...(w.config.labFaultsFile ? { lab: await readLabFaults(w.config.labFaultsFile) } : {}),
    };
  });
};
