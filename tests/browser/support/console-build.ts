import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const SOURCES = join(ROOT, 'apps/console');
const INDEX = join(ROOT, 'dist/console/index.html');
const LOCK = join(ROOT, 'dist/.console-build.lock');

async function newest(dir: string): Promise<number> {
  let latest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? await newest(path) : (await stat(path)).mtimeMs);
  }
  return latest;
}

const builtAt = async (): Promise<number> => (await stat(INDEX).catch(() => undefined))?.mtimeMs ?? 0;

/**
 * The API serves dist/console; the browser tests need it to be the console of these sources.
 * Builds when it is missing or older than any source file, one test file at a time.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  if ((await builtAt()) > (await newest(SOURCES))) return;
  await mkdir(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`console build lock ${LOCK} held for two minutes; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if ((await builtAt()) > (await newest(SOURCES))) return;
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(SOURCES, 'vite.config.mts'), '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`console build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}
