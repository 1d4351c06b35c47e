// Vite config for the admin SPA. Run from the repository root:
//   npx vite build --config apps/admin/vite.config.mts   (-> dist/admin)
//   npx vite --config apps/admin/vite.config.mts         (dev server, /api proxied to the api)
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  resolve: {
    // The admin may import only @wharf/contracts (Nx boundary rule); keep the alias list to that.
    alias: {
      '@wharf/contracts': `${repoRoot}libs/contracts/src/index.ts`,
    },
  },
  build: {
    outDir: `${repoRoot}dist/admin`,
    emptyOutDir: true,
    sourcemap: false,
    // react-admin + MUI make one large vendor chunk; pages load lazily on top of it.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
