import { startTestApp, type TestApp } from '../../support/harness';
import { type Browser, type ConsoleLanguage, LANGUAGES, openBrowser } from './browser';
import { ensureConsoleBuilt } from './console-build';

/** What every browser test file starts with: the console built, the app serving it, and a browser. */
export interface ConsoleApp {
  t: TestApp;
  origin: string;
  /** The browser of the first locale asked for. */
  browser: Browser;
  /** One browser per locale asked for, in that order (each with its own profile and language). */
  browsers: Browser[];
}

/**
 * Builds the console if its sources changed, starts a test app (with `env`) and opens Debian's
 * chromium once per locale (default en-GB, the English the older tests read).
 */
export async function openConsole(options: { env?: Record<string, string>; locales?: readonly string[] } = {}): Promise<ConsoleApp> {
  await ensureConsoleBuilt();
  const t = await startTestApp(options.env ?? {});
  const browsers: Browser[] = [];
  for (const locale of options.locales ?? ['en-GB']) browsers.push(await openBrowser({ locale }));
  return { t, origin: new URL(t.baseUrl).origin, browser: browsers[0]!, browsers };
}

/** The browser locale that asks for each console language, as a person's browser in Guangzhou or in Britain would. */
const LOCALE_OF: Record<ConsoleLanguage, string> = { 'zh-CN': 'zh-CN', en: 'en-GB' };

/** The console with one browser per language (navigator.language picks the console's), for tests run once per language. */
export type ConsoleInEachLanguage = ConsoleApp & { browserIn: (language: ConsoleLanguage) => Browser };

export async function openConsoleInEachLanguage(): Promise<ConsoleInEachLanguage> {
  const app = await openConsole({ locales: LANGUAGES.map((language) => LOCALE_OF[language]) });
  return { ...app, browserIn: (language) => app.browsers[LANGUAGES.indexOf(language)]! };
}

/** Closes the browsers (failing on errors any page threw) and then the app, whatever started. */
export async function closeConsole(app: Partial<ConsoleApp> | undefined): Promise<void> {
  try {
    for (const browser of app?.browsers ?? []) await browser.close();
  } finally {
    await app?.t?.close();
  }
}
