import { fileURLToPath } from 'node:url';

/**
 * Where `pnpm build` puts the loader: packages/bpf/dist/weft-probe. Resolved from this module, which
 * runs either from src/ (workspace source) or dist/ (built), both one level below the package.
 * WEFT_PROBE_BINARY overrides it (a DaemonSet image may put the binary elsewhere).
 */
export function probeBinaryPath(): string {
  const fromEnv = process.env.WEFT_PROBE_BINARY;
  if (fromEnv) return fromEnv;
  return fileURLToPath(new URL('../dist/weft-probe', import.meta.url));
}
