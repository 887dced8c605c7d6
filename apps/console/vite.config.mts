import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The console: a static single-page app the API serves at `/` (see libs/market/src/bootstrap/console.ts). */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    // The domain vocabulary (fibres, weaves, categories) comes from the matcher itself.
    alias: { '@cloudloom/matching': here('../../libs/matching/src/index.ts'), '@cloudloom/contracts': here('../../libs/contracts/src/index.ts') },
  },
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    // No source map in the build the API serves: it would publish the console's sources whole.
    // CONSOLE_SOURCEMAP=true makes one for debugging a build locally (never served, see console.ts).
    sourcemap: process.env.CONSOLE_SOURCEMAP === 'true' ? 'hidden' : false,
    target: 'es2022',
  },
  server: {
    // `npx vite --config apps/console/vite.config.mts` with the API on :3000 gives hot reload.
    proxy: { '/api': 'http://127.0.0.1:3000', '/admin': 'http://127.0.0.1:3000' },
  },
});
