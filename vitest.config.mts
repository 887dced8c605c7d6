import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const lib = (name: string): string => fileURLToPath(new URL(`./libs/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  // swc, not esbuild: Nest's DI and ValidationPipe need emitDecoratorMetadata.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: {
      '@cloudloom/matching': lib('matching'),
      '@cloudloom/contracts': lib('contracts'),
      '@cloudloom/persistence': lib('persistence'),
      '@cloudloom/platform': lib('platform'),
      '@cloudloom/market': lib('market'),
    },
  },
  test: {
    globals: true,
    include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'tests/**/*.spec.ts', 'tests/**/*.e2e.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time: most of a file's time is spent waiting on PostgreSQL, Redis, an app
    // process or a browser, and on a 2-core machine Vitest's default runs one file at a
    // time, which took the suite past CI's 15 minutes. Each file has its own database and queue
    // namespace, so files never share state.
    maxWorkers: 2,
  },
});
