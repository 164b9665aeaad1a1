import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

/** Helpers the specs share: where the stack is, the lab's fault switch, screenshots. */
export function appUrl(search = ''): string {
  const base = process.env.WEFT_E2E_URL;
  if (!base)
    throw new Error('WEFT_E2E_URL is not set: run the specs through playwright.config.ts (globalSetup)');
  return `${base}/${search}`;
}

export async function setFault(on: boolean): Promise<void> {
  const res = await fetch(`${process.env.WEFT_E2E_CONTROL}/fault/${on ? 'on' : 'off'}`);
  if (!res.ok) throw new Error(`fault switch answered ${res.status}`);
}

/** Prometheus's scrapes of redis: 9090 answers, 9121 refuses (labTraffic.ts `refused`). */
export async function setRefused(on: boolean): Promise<void> {
  const res = await fetch(`${process.env.WEFT_E2E_CONTROL}/refused/${on ? 'on' : 'off'}`);
  if (!res.ok) throw new Error(`refused switch answered ${res.status}`);
}

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

export async function snapshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });
}

/** Query string of the current page, parsed. */
export function params(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}
