// Rollup entries of the agent console: dist/console/console-<hash>.js and the
// index.html that loads it (hashed names: see pages.mjs).
import { browserPlugins } from './shared.mjs';
import { hashedEntryPages, hashedOutput } from './pages.mjs';

export const consoleConfigs = [
  {
    input: { console: 'src/console/main.ts' },
    output: { dir: 'dist/console', format: 'es', ...hashedOutput },
    plugins: [...browserPlugins(), hashedEntryPages([{ fileName: 'index.html', source: 'src/console/index.html' }])],
  },
];
