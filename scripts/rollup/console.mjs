// Rollup entries of the agent console: dist/console/console.js + index.html.
import { readFileSync } from 'node:fs';
import { browserPlugins } from './shared.mjs';

function copyHtml() {
  return {
    name: 'twt-console-html',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'index.html', source: readFileSync('server/console/index.html', 'utf8') });
    },
  };
}

export const consoleConfigs = [
  {
    input: 'server/console/main.ts',
    output: { file: 'dist/console/console.js', format: 'es' },
    plugins: [...browserPlugins(), copyHtml()],
  },
];
