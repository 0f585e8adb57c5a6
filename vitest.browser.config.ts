import { defineConfig } from 'vitest/config';

/** Browser journeys: a real node on PGlite, driven in Debian's headless Chromium. */
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.browser.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['packages/web/test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
