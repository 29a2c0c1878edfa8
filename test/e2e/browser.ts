import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteStore } from 'api-accounts/sqlite';
import { settableClock } from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createDemoApp } from '../../examples/demo/app.js';
import { serve } from '../../examples/demo/serve.js';

/** Debian's Chromium, which `.ci/run` installs when it is missing. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Starts headless Chromium with the flags this machine needs (no network, no sandbox as root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** The demo box office on an in-memory SQLite database, a settable clock, and a loopback port. */
export async function startDemo() {
  const clock = settableClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  const store = sqliteStore(new Database(':memory:'));
  await store.migrate();
  let origin = '';
  const demo = createDemoApp({ store, clock, sealingKey: randomBytes(32), origin: () => origin });
  const server = await serve(demo.fetch, 0);
  origin = server.url;
  return {
    ...demo,
    clock,
    url: server.url,
    close: async () => {
      await server.close();
      store.close();
    },
  };
}

/**
 * Saves a screenshot when `SCREENSHOT_DIR` is set (`npm run screenshots`
 * writes docs/images this way); otherwise does nothing.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['SCREENSHOT_DIR'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
