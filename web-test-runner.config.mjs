// Browser tests: Debian's Chromium through playwright (never a downloaded browser).
// CHROME_PATH overrides the executable. TypeScript is compiled by esbuild.
import { playwrightLauncher } from '@web/test-runner-playwright';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';
import { testServerPlugin } from './test/helpers/wtr/server-plugin.mjs';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

export default {
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  files: ['elements/**/*.test.ts', 'src/**/*.test.ts', 'test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 10 * 60 * 1000,
  testFramework: { config: { timeout: 20000 } },
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.base.json', import.meta.url)), target: 'es2021' }),
    testServerPlugin(),
    (await import('./test/helpers/wtr/host-double-plugin.mjs')).hostDoublePlugin(),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
      },
    }),
  ],
};
