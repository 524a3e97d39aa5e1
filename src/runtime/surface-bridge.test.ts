// The surface end of the bridge (src/runtime/surface-bridge.ts) with a fake window:
// hello goes to the exact host origin; connect is accepted only from the
// parent, from the host origin, with the nonce and a port.
import { expect } from '@open-wc/testing';
import { BRIDGE_TAG, BRIDGE_VERSION, encodeSurfaceFragment } from '../shared/bridge-protocol.js';
import { connectSurface, runCommand } from './surface-bridge.js';
import { Refusal } from './refusal.js';
import { sleep } from '../../test/helpers/browser/runtime-doubles.js';

const HOST = 'https://shop.example.com';
const NONCE = 'abcdefghijklmnop1234';

function fakeWindow(hash = '#' + encodeSurfaceFragment({ nonce: NONCE, host: HOST, surface: 'panel', locale: 'en', theme: 'light' })) {
  const posted: Array<{ data: any; origin: string }> = [];
  const parent = { postMessage: (data: unknown, origin: string) => posted.push({ data, origin }) };
  const target = new EventTarget();
  const win = Object.assign(target, { location: { hash }, parent }) as unknown as Window;
  const deliver = (data: unknown, { origin = HOST, source = parent as unknown, ports = [] as MessagePort[] } = {}) =>
    target.dispatchEvent(Object.defineProperty(new MessageEvent('message', { data, origin, ports }), 'source', { value: source }));
  return { win, posted, parent, deliver };
}

const connectMsg = (over: Record<string, unknown> = {}) => ({
  tag: BRIDGE_TAG,
  v: BRIDGE_VERSION,
  type: 'connect',
  nonce: NONCE,
  boot: { appid: 'demo', hostOrigin: HOST, locale: 'en', theme: 'light', visibility: 'minimized', sdkVersion: 't', scriptTagVersion: 'v1.2' },
  ...over,
});

describe('surface bridge', () => {
  it('posts hello to the exact host origin and ignores impostors', async () => {
    const f = fakeWindow();
    const handlers = new Map();
    let done = false;
    const p = connectSurface({ handlers, win: f.win, timeoutMs: 2000 }).then((b) => ((done = true), b));
    expect(f.posted).to.deep.equal([{ data: { tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'hello', nonce: NONCE, surface: 'panel' }, origin: HOST }]);
    const ch = new MessageChannel();
    f.deliver(connectMsg(), { origin: 'https://shop.example.com.evil.io', ports: [ch.port2] });
    f.deliver(connectMsg(), { source: {}, ports: [ch.port2] });
    f.deliver(connectMsg({ nonce: 'x'.repeat(20) }), { ports: [ch.port2] });
    f.deliver(connectMsg(), { ports: [] });
    f.deliver(connectMsg({ boot: { appid: 'demo', hostOrigin: 'https://other.example', locale: 'en' } }), { ports: [ch.port2] });
    for (const junk of [null, 'x', [], { __proto__: { tag: BRIDGE_TAG } }, new Blob(['x'])]) f.deliver(junk, { ports: [ch.port2] });
    await sleep(20);
    expect(done).to.equal(false);
    f.deliver(connectMsg(), { ports: [ch.port2] });
    const bridge = await p;
    expect(bridge.boot.appid).to.equal('demo');
    bridge.close();
  });

  it('runs commands over the port and answers every outcome', async () => {
    const f = fakeWindow();
    const handlers = new Map<any, any>([
      ['set_theme', (p: any) => ({ theme: p.theme })],
      ['set_language', () => { throw new Refusal('unsupported_locale', 'no'); }],
    ]);
    const p = connectSurface({ handlers, win: f.win, timeoutMs: 2000 });
    const ch = new MessageChannel();
    f.deliver(connectMsg(), { ports: [ch.port2] });
    const bridge = await p;
    const results: any[] = [];
    ch.port1.onmessage = (e) => results.push(e.data);
    const cmd = (id: number, name: string, payload: unknown) => ch.port1.postMessage({ tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'command', id, name, payload });
    cmd(1, 'set_theme', { theme: 'dark' });
    cmd(2, 'set_language', { locale: 'xx' });
    cmd(3, 'login', {});
    cmd(4, '__proto__', {});
    ch.port1.postMessage({ type: 'command', id: 5 });
    bridge.emit('request_toggle', {});
    await sleep(50);
    const byId = Object.fromEntries(results.filter((r) => r.type === 'result').map((r) => [r.id, r]));
    expect(byId[1]).to.include({ ok: true });
    expect(byId[1].value).to.deep.equal({ theme: 'dark' });
    expect(byId[2]).to.include({ ok: false, reason: 'unsupported_locale' });
    expect(byId[3]).to.include({ ok: false, reason: 'unsupported_command' });
    expect(Object.keys(byId).sort()).to.deep.equal(['1', '2', '3']);
    expect(results.find((r) => r.type === 'event')).to.deep.equal({ tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'event', name: 'request_toggle', payload: {} });
    bridge.close();
  });

  it('rejects without a valid fragment, or when the host never connects', async () => {
    let err = await connectSurface({ handlers: new Map(), win: fakeWindow('#n=short&h=x').win }).catch((e) => e);
    expect(String(err)).to.include('fragment');
    err = await connectSurface({ handlers: new Map(), win: fakeWindow().win, timeoutMs: 30 }).catch((e) => e);
    expect(String(err)).to.include('never connected');
  });

  it('runCommand turns thrown errors into internal refusals', async () => {
    const r = await runCommand({ tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'command', id: 9, name: 'set_view', payload: {} as never }, new Map([['set_view', () => { throw new Error('boom'); }]]));
    expect(r).to.deep.equal({ id: 9, ok: false, reason: 'internal', message: 'boom' });
  });
});
