import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium.mjs';

/**
 * Debian's Chromium (never `playwright install`), against the real server on a free loopback port
 * (started by globalSetup). One worker: the specs share one server and its lab.
 */
export default defineConfig({
  testDir: './tests',
  outputDir: './artifacts/test-output',
  globalSetup: './support/globalSetup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'results.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'off',
    colorScheme: 'dark',
  },
});
