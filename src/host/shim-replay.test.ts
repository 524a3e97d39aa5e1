import { expect } from '@open-wc/testing';
import { replayStubQueue, type TWTChatWidgetApi } from './shim.js';

describe('replayStubQueue', () => {
  it('replays on/once/off/call in order and ignores anything else', async () => {
    const log: string[] = [];
    const api = {
      on: (e: string) => log.push(`on ${e}`),
      once: (e: string) => log.push(`once ${e}`),
      off: (e: string) => log.push(`off ${e}`),
      call: (m: string) => (log.push(`call ${m}`), Promise.reject(new Error('refused'))),
    } as unknown as TWTChatWidgetApi;
    const h = () => {};
    const stub = {
      _q: [
        ['on', ['initialized', h]],
        ['call', ['maximize']],
        ['once', ['bridge_ready', h]],
        ['off', ['initialized', h]],
        ['init', []],
        ['__proto__', []],
        'garbage',
        ['on', 'not-args'],
        null,
      ],
    };
    replayStubQueue(stub, api);
    await Promise.resolve();
    expect(log).to.deep.equal(['on initialized', 'call maximize', 'once bridge_ready', 'off initialized']);
  });

  it('copes with no stub, a stub without _q, and an inherited _q', () => {
    const api = {} as TWTChatWidgetApi;
    replayStubQueue(undefined, api);
    replayStubQueue({}, api);
    replayStubQueue(Object.create({ _q: [['on', ['x']]] }), api);
  });
});
