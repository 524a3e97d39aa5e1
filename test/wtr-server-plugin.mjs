// A web-test-runner plugin that serves `/__twt_env.js`, the place where browser
// tests learn which real servers exist. Filled in by the server/e2e work.
export function testServerPlugin() {
  return {
    name: 'twt-test-env',
    serve(context) {
      if (context.path === '/__twt_env.js') {
        return { body: `export default ${JSON.stringify(globalThis.__twtTestEnv ?? {})};`, type: 'js' };
      }
    },
  };
}
