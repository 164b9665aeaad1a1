/**
 * Debian's Chromium (never `playwright install`) and the flags every headless launch uses: the e2e
 * specs (playwright.config.ts) and bench/web (plain Node, hence JavaScript here) share them.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
