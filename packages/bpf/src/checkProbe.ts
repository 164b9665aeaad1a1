import { execFile } from 'node:child_process';
import { probeBinaryPath } from './probeBinaryPath.js';

export interface ProbeCheck {
  ok: boolean;
  /** tc, kfree_skb, inet_sock_set_state, tcp_probe, tcp_retransmit_skb -> loads on this kernel */
  hooks: Record<string, boolean>;
  /** One line each, naming the fix. */
  problems: string[];
}

/** Runs `weft-probe --check`: loads every program, attaches nothing. */
export function checkProbe(binary: string = probeBinaryPath()): Promise<ProbeCheck> {
  return new Promise((resolve) => {
    execFile(binary, ['--check'], { timeout: 60_000 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
      if (e && e.code === 'ENOENT') {
        resolve({
          ok: false,
          hooks: {},
          problems: [`weft-probe not found at ${binary}: build it with \`pnpm --filter @weft/bpf build\``],
        });
        return;
      }
      try {
        const parsed = JSON.parse(stdout) as ProbeCheck;
        resolve({ ok: parsed.ok === true, hooks: parsed.hooks ?? {}, problems: parsed.problems ?? [] });
      } catch {
        const detail = (stderr || stdout || (e ? e.message : '')).trim().split('\n')[0] ?? '';
        resolve({ ok: false, hooks: {}, problems: [`weft-probe --check gave no report: ${detail}`] });
      }
    });
  });
}
