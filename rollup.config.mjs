// One rollup run builds every browser bundle. Each part of the product keeps
// its own entries in scripts/rollup/<part>.mjs; this file only composes them.
import { hostConfigs } from './scripts/rollup/host.mjs';
import { runtimeConfigs } from './scripts/rollup/runtime.mjs';
import { consoleConfigs } from './scripts/rollup/console.mjs';

export default [...hostConfigs, ...runtimeConfigs, ...consoleConfigs];
