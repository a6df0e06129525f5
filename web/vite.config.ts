// The FA console's build: Preact and uPlot bundled into web/dist with hashed names; nothing is
// loaded from another origin at run time (the CSP in lib/console-headers.ts forbids it anyway).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // No inline <script>/<style>: the strict CSP allows only files from the site.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
