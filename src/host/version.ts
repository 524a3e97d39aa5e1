/** The host SDK package version. The build (scripts/rollup/host.mjs) rewrites it from package.json; a test checks they agree. */
export const SDK_VERSION = '1.2.0';
