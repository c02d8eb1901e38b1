import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The staff console: a desktop React + antd app, built separately from the
 * Taro app into dist/console and served by the API server at /console.
 * `npm run build:console` builds it; `npm start` rebuilds it when stale.
 */
export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react()],
  resolve: { alias: { '@common': path.resolve(here, '../common') } },
  build: {
    outDir: path.resolve(here, '../dist/console'),
    emptyOutDir: true,
    // antd and React in one vendor chunk are over Vite's default warning size; that is expected for a desktop console.
    chunkSizeWarningLimit: 1200,
  },
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:3000' } },
});
