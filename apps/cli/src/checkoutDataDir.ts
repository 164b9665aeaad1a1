import { fileURLToPath } from 'node:url';

/**
 * Where `weft start` keeps the server's history: .weft/data at the top of the checkout (git-ignored),
 * found from this file whether it runs from src/ or dist/.
 */
export function checkoutDataDir(): string {
  return fileURLToPath(new URL('../../../.weft/data', import.meta.url));
}
