// Builds the dashboard into dist/ (served by the server at `/`). Assets get
// content hashes so the server can cache them for a year; nothing is inlined
// into index.html because the CSP allows scripts and styles from 'self' only.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev -w @sundial/web` against a `sundial serve` on the default port.
    proxy: { '/api': 'http://127.0.0.1:8600' },
  },
});
