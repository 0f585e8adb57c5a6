import { defineConfig } from 'vite';

/**
 * The portal is a static bundle the node serves from packages/web/dist (assets under /assets/).
 * esbuild's automatic JSX runtime is all React needs here, so no framework plugin is required.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    // CONFIANCE_WEB_OUT lets builds run side by side (each journey run reads its own folder).
    outDir: process.env.CONFIANCE_WEB_OUT ?? 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      onwarn(warning, warn) {
        // Mantine marks its modules "use client" (for React Server Components) and zod carries
        // esbuild-specific comments; both are harmless in a client-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
      output: {
        // Libraries change less often than pages: a separate chunk stays cached across releases.
        manualChunks(id) {
          if (id.includes('node_modules/@mantine/')) return 'mantine';
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom|@tanstack)\//.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
  server: {
    // `npm run dev -w @confiance/web` against a node started on 8080.
    proxy: { '/api': 'http://localhost:8080', '/ready': 'http://localhost:8080' },
  },
});
