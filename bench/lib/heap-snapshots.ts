/**
 * Heap snapshots of the bench host page around destroy/init cycles, for
 * bench/lib/heap-diff.ts. Same server, host page and cycle as the host step's
 * memory run (bench/steps/host.ts); snapshots after forced GC at: the first
 * init, then after cycles 1, 2, 10 and 50 (or the counts given).
 *
 *   npm run build && node --import tsx bench/lib/heap-snapshots.ts /tmp/heap [--no-instrument] [--at 1,2,10,50] [--js-flags '--jitless']
 *
 * Writes <dir>/init.heapsnapshot, <dir>/c<N>.heapsnapshot and prints the GC'd
 * heap (Runtime.getHeapUsage) at each point.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type CDPSession } from 'playwright-core';
import { startServerProcess } from './child.js';
import { destroyInitCycles, startHostServer } from './host-page.js';
import { instrument } from './instrument.js';
import { sleep } from './stats.js';

const NAME_HELPER = 'globalThis.__name = globalThis.__name || ((f) => f);';

async function snapshot(cdp: CDPSession, file: string): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  writeFileSync(file, chunks.join(''));
  return usedSize;
}

async function main() {
  const args = process.argv.slice(2);
  const dir = args[0] && !args[0].startsWith('--') ? args[0] : '/tmp/twt-heap';
  const withInstrument = !args.includes('--no-instrument');
  const atArg = args.indexOf('--at');
  const at = (atArg >= 0 ? args[atArg + 1] : '1,2,10,50').split(',').map(Number);
  const flagsAt = args.indexOf('--js-flags');
  const jsFlags = flagsAt >= 0 ? args[flagsAt + 1] : '';
  mkdirSync(dir, { recursive: true });
  const server = await startServerProcess({ maxSeconds: 200 });
  const host = await startHostServer(server.url);
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--disable-extensions', ...(jsFlags ? [`--js-flags=${jsFlags}`] : [])] });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (withInstrument) await page.addInitScript({ content: `${NAME_HELPER}\n(${instrument.toString()})(${JSON.stringify(host.origin)});` });
    // Without the bench's instrumentation, wait for the widget's own event (the helper is for tsx's __name).
    await page.addInitScript({ content: `${NAME_HELPER} document.addEventListener('twt-bridge-ready', () => { window.__ready = true; }, true);` });
    await page.goto(`${host.origin}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).__ready === true, null, { timeout: 20_000, polling: 50 });
    await sleep(1500);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    const used: Array<[string, number]> = [];
    used.push(['init', await snapshot(cdp, join(dir, 'init.heapsnapshot'))]);
    let done = 0;
    for (const target of at) {
      const ok = await destroyInitCycles(page, target - done, 'bridge-ready');
      if (ok !== target - done) console.error(`only ${ok}/${target - done} cycles reached bridge_ready`);
      done = target;
      await sleep(1500);
      used.push([`c${target}`, await snapshot(cdp, join(dir, `c${target}.heapsnapshot`))]);
      console.log(`${`c${target}`.padEnd(5)} heap used ${(used[used.length - 1][1] / 1024).toFixed(1)} KB`);
    }
    console.log(JSON.stringify({ instrument: withInstrument, jsFlags, used: Object.fromEntries(used.map(([k, v]) => [k, +(v / 1024).toFixed(1)])) }));
    await context.close();
  } finally {
    await browser.close().catch(() => {});
    await host.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
