import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Catalog, en } from '../../../apps/console/src/i18n/en';
import { zhCN } from '../../../apps/console/src/i18n/zh-CN';

export const ARTIFACTS = resolve(__dirname, '../../.artifacts/browser');
export const LAPTOP = { width: 1366, height: 860 };
export const PHONE = { width: 390, height: 844 };

const CHROMIUM = '/usr/bin/chromium';
/**
 * Whether the browser tests run: where Debian's chromium is installed, and always in CI (which
 * installs it), so a missing browser there fails loudly instead of skipping. A developer's
 * machine without it reports them as skipped, like the Redis-only tests without Redis.
 */
export const browserTestsRun = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Debian's chromium, exactly as TOOLCHAIN.md says: never a downloaded browser, a fresh profile each run. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  readonly context: BrowserContext;
  /** A new tab; session storage (where the console keeps the key) is per tab, so each actor has its own. */
  page(viewport?: { width: number; height: number }): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** The console's languages as a browser asks for them; each test run may open one browser per language. */
export type ConsoleLanguage = 'zh-CN' | 'en';
export const LANGUAGES: readonly ConsoleLanguage[] = ['zh-CN', 'en'];
/** The catalog of a language: tests look for the words the person sees, in that language. */
export const catalogOf = (language: ConsoleLanguage): Catalog => (language === 'zh-CN' ? zhCN : en);

/**
 * Opens Debian's chromium. `locale` is the browser's language (navigator.language), which picks the
 * console's: en-GB (the default, as the older tests expect) opens English, zh-CN opens Chinese.
 */
export async function openBrowser(options: { locale?: string } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'cloudloom-chromium-'));
  await mkdir(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', ...FLAGS],
    viewport: LAPTOP,
    locale: options.locale ?? 'en-GB',
    timezoneId: 'Asia/Shanghai',
  });
  const errors: string[] = [];
  context.on('weberror', (e) => errors.push(e.error().message));
  // Console errors too (a blocked script or style shows up here), except the log line a browser
  // writes for every 4xx response, which some steps cause on purpose.
  context.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`${m.location().url}: ${m.text()}`);
  });
  return {
    context,
    page: async (viewport = LAPTOP) => {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      return page;
    },
    screenshot: async (page, name) => {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
      // A console that throws in the page fails the run, even when the assertions passed.
      if (errors.length > 0) throw new Error(`uncaught errors in the console:\n${errors.join('\n')}`);
    },
  };
}

/** Opens the console and signs in with a key, as a person would. */
export async function signIn(page: Page, origin: string, key: string): Promise<void> {
  await page.goto(origin);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in once the organization's name is on the page; on a phone the top bar may squeeze it out of sight.
  await page.getByTestId('org-name').waitFor({ state: 'attached' });
}

/** Whether the page is wider than its viewport: on a phone, a page that scrolls sideways. */
export async function scrollsSideways(page: Page): Promise<{ scrollWidth: number; viewport: number; widest: string }> {
  // Run in the page (as a string: this file is compiled without the DOM's types); names the element sticking out furthest.
  return page.evaluate(`(() => {
    const viewport = document.documentElement.clientWidth;
    let widest = '';
    let right = viewport;
    // What a scrolling (or clipping) box holds scrolls inside it, not the page: a wide table in its region is fine.
    const clipped = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true;
      return false;
    };
    for (const el of document.querySelectorAll('body *')) {
      if (clipped(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > right + 0.5) {
        right = r.right;
        widest = el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '').split(' ').join('.') + ' (' + Math.round(r.right) + ' px)';
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, viewport, widest };
  })()`);
}

/** The page's `<html lang>`. */
export const htmlLang = (page: Page): Promise<string> => page.evaluate('document.documentElement.lang');

/** axe-core's serious and critical findings on the page (WCAG 2 A and AA rules), as short lines to read in a failure. */
export async function seriousAccessibilityProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Signs in with a key in the page's language. */
export async function signInAs(page: Page, origin: string, key: string, language: ConsoleLanguage): Promise<void> {
  const T = catalogOf(language);
  await page.goto(origin);
  await page.getByLabel(T.signIn.apiKey).fill(key);
  await page.getByRole('button', { name: T.signIn.submit, exact: true }).click();
  await page.getByTestId('org-name').waitFor();
}
