import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { RunningSystem } from './e2e-system';

const ROOT = path.resolve(__dirname, '..', '..');
/** Screenshots of the console's pages, for people to look at (gitignored). */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-output', 'console');
/** Debian's `chromium` package (bin/install-prerequisites installs it); `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for this machine: no sandbox (we run as root in CI), no GPU, and none of Chromium's own
 * background traffic (updates, sync, field trials), which a closed network refuses.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleBrowser {
  readonly context: BrowserContext;
  /** A fresh tab: its session storage (the console keeps the signed-in person there) is its own. */
  page(): Promise<Page>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile; downloads are kept so tests can read them. */
export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'tc-console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  // A page error is a bug of the console: the test fails on it rather than on some later symptom.
  const errors: string[] = [];
  context.on('weberror', (error) => errors.push(error.error().message));
  return {
    context,
    page: async () => {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`the console threw in the browser: ${errors.join('; ')}`);
    },
  };
}

/** Signs in as one of the dev identities `npm start` prints, as a person would: the sign-in page's button. */
export async function signIn(page: Page, system: RunningSystem, subject: string): Promise<void> {
  await page.goto(system.consoleUrl);
  await page.getByRole('button', { name: new RegExp(`Sign in as ${subject}\\b`) }).click();
  await page.getByTestId('signed-in-subject').filter({ hasText: subject }).waitFor();
}

/** Violations axe-core rates serious or critical (WCAG 2.1 A and AA rules), as `rule: target` lines; [] when there are none. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Waits until the locator's text is `expected` (or matches it), as Playwright's web-first
 * assertions do, and fails naming what the page showed last.
 */
export async function waitForText(locator: Locator, expected: string | RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  for (;;) {
    last = (await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined))?.trim();
    if (last !== undefined && (typeof expected === 'string' ? last === expected : expected.test(last))) return;
    if (Date.now() > deadline) throw new Error(`expected ${String(locator)} to show ${String(expected)}; it showed ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
