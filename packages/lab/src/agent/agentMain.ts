import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import type { AgentConfig } from './agentConfig.js';
import type { AgentFaults } from './agentFaults.js';
import type { ControlRequest } from './controlProtocol.js';
import { serveControl } from './controlServer.js';
import { DnsServer } from './dnsServer.js';
import { Generator } from './generator.js';
import { PortServer } from './servers.js';

/**
 * One lab pod's processes in one: its servers, its DNS server (CoreDNS pods), its traffic generators,
 * and a control socket for faults. Started inside the pod's netns by `ip netns exec`.
 */
async function main(configPath: string): Promise<void> {
  const cfg = JSON.parse(readFileSync(configPath, 'utf8')) as AgentConfig;
  writeFileSync(cfg.pidFile, `${process.pid}\n`);
  const servers = new Map<number, PortServer>();
  let dns: DnsServer | null = null;
  for (const s of cfg.servers) {
    if (s.app === 'dns') {
      if (!cfg.dns) throw new Error('dns server without a zone');
      dns = new DnsServer(cfg.dns);
      await dns.listen(s.port);
    } else {
      const server = new PortServer(s.port, s.app);
      await server.listen();
      servers.set(s.port, server);
    }
  }
  const generators = cfg.generators.map((g) => new Generator(g, cfg.dnsServer));
  let faultGenerators: Generator[] = [];
  // Traffic waits for `start`: the lab sends it once every agent listens, so no first request is refused.
  let started = false;

  const applyFaults = async (f: AgentFaults) => {
    const closed = new Set(f.closedPorts);
    for (const [port, server] of servers) {
      if (closed.has(port)) await server.close();
      else await server.listen();
    }
    dns?.setFaults(f.dns);
    const wanted = new Map(f.generators.map((s) => [JSON.stringify(s), s]));
    const keep: Generator[] = [];
    for (const g of faultGenerators) {
      const key = JSON.stringify(g.cfg);
      if (wanted.has(key)) {
        keep.push(g);
        wanted.delete(key);
      } else g.stop();
    }
    for (const s of wanted.values()) {
      const g = new Generator(s, cfg.dnsServer);
      if (started) g.run();
      keep.push(g);
    }
    faultGenerators = keep;
  };

  const control = await serveControl(cfg.controlSocket, async (req: ControlRequest) => {
    switch (req.op) {
      case 'ping':
        return { id: cfg.id, pid: process.pid };
      case 'stats':
        return {
          id: cfg.id,
          label: cfg.label,
          now: Date.now(),
          generators: generators.map((g) => g.stats),
          faultGenerators: faultGenerators.map((g) => g.stats),
          servers: [...servers.values()].map((s) => s.stats),
          dns: dns?.stats ?? null,
        };
      case 'faults':
        await applyFaults(req.faults);
        return { applied: true };
      case 'start':
        if (!started) for (const g of [...generators, ...faultGenerators]) g.run();
        started = true;
        return { started: true };
      default:
        throw new Error('unknown op');
    }
  });

  const shutdown = () => {
    for (const g of [...generators, ...faultGenerators]) g.stop();
    dns?.close();
    control.close();
    try {
      unlinkSync(cfg.controlSocket);
    } catch {
      // already gone
    }
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

const configPath = process.argv[2];
if (!configPath) {
  process.stderr.write('usage: agentMain <config.json>\n');
  process.exit(2);
}
main(configPath).catch((err: unknown) => {
  process.stderr.write(`weft lab agent: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
