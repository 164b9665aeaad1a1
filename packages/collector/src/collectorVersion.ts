import { readFileSync } from 'node:fs';

/** The package's own version: src/ and dist/ both sit one level below package.json. */
function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const COLLECTOR_VERSION = readVersion();
