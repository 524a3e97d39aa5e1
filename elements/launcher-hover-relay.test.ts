import { expect } from '@open-wc/testing';
import { sendMouse, resetMouse } from '@web/test-runner-commands';
import { LauncherHoverRelay } from './launcher-hover-relay.js';

const TYPES = ['mouseover', 'mouseenter', 'mouseout', 'mouseleave'];

/**
 * A same-origin iframe at (100, 100), 64 px square: in-process, so a real pointer (sendMouse) makes
 * the browser fire trusted boundary events on it, like a launcher in an in-process frame.
 */
async function launcherFrame() {
  const iframe = document.createElement('iframe');
  iframe.srcdoc = '<body style="margin:0;background:#cde">launcher</body>';
  iframe.style.cssText = 'position:fixed;left:100px;top:100px;width:64px;height:64px;border:0';
  const relay = new LauncherHoverRelay(iframe);
  relay.hostConnected();
  document.body.append(iframe);
  // The initial about:blank may fire a load of its own first: wait for the srcdoc document.
  while (iframe.contentDocument?.body?.textContent !== 'launcher') await new Promise((r) => iframe.addEventListener('load', r, { once: true }));
  // What a page listening like the spec's example sees, with where it saw it.
  const seen: string[] = [];
  for (const type of TYPES) {
    iframe.addEventListener(type, (e) => seen.push(`${type}${e.isTrusted ? '' : ' (relayed)'}`));
    document.addEventListener(type, (e) => e.target === iframe && seen.push(`document:${type}`));
  }
  return { iframe, relay, seen };
}

/** Resolves after the next trusted event of `type` reaches `target` (real input is asynchronous). */
function trusted(target: EventTarget, type: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (e: Event) => {
      if (!e.isTrusted) return;
      target.removeEventListener(type, on, true);
      resolve();
    };
    target.addEventListener(type, on, true);
  });
}

describe('LauncherHoverRelay', () => {
  let current: { iframe: HTMLIFrameElement; relay: LauncherHoverRelay } | undefined;
  afterEach(async () => {
    current?.relay.hostDisconnected();
    current?.iframe.remove();
    current = undefined;
    await resetMouse();
  });

  it('relays a reported enter and leave as boundary events that bubble like the browser\'s (over/out bubble, enter/leave do not)', async () => {
    const { iframe, relay, seen } = (current = await launcherFrame());
    relay.report(true);
    relay.report(true); // the launcher reports every move: repeats change nothing
    relay.report(false);
    relay.report(false);
    expect(seen).to.deep.equal([
      'mouseover (relayed)',
      'document:mouseover',
      'mouseenter (relayed)',
      'mouseout (relayed)',
      'document:mouseout',
      'mouseleave (relayed)',
    ]);
    const events: MouseEvent[] = [];
    iframe.addEventListener('mouseenter', (e) => events.push(e));
    relay.report(true);
    expect(events[0].bubbles).to.equal(false);
    expect(events[0].view).to.equal(window);
  });

  it('relays nothing once the browser fires the events itself (in-process frame)', async () => {
    const { relay, seen } = (current = await launcherFrame());
    const entered = trusted(current.iframe, 'mouseenter');
    await sendMouse({ type: 'move', position: [132, 132] });
    await entered;
    relay.report(true);
    const left = trusted(current.iframe, 'mouseleave');
    await sendMouse({ type: 'move', position: [400, 400] });
    await left;
    relay.report(false);
    relay.report(true);
    expect(seen).to.deep.equal(['mouseover', 'document:mouseover', 'mouseenter', 'mouseout', 'document:mouseout', 'mouseleave']);
  });

  it('stops the browser\'s echo of a transition it already relayed: the page sees each once', async () => {
    const { iframe, relay, seen } = (current = await launcherFrame());
    relay.report(true); // the surface's report came first
    // The relay stops the iframe's echo before any listener of ours: wait on the frame's own document,
    // which the browser serves after the parent's boundary events.
    const entered = trusted(iframe.contentDocument!, 'mouseover');
    await sendMouse({ type: 'move', position: [132, 132] });
    await entered;
    const left = trusted(iframe, 'mouseleave');
    await sendMouse({ type: 'move', position: [400, 400] });
    await left;
    expect(seen).to.deep.equal(['mouseover (relayed)', 'document:mouseover', 'mouseenter (relayed)', 'mouseout', 'document:mouseout', 'mouseleave']);
  });

  it('ends a relayed hover when the page gets the pointer back (a trusted mousemove on its document)', async () => {
    const { relay, seen } = (current = await launcherFrame());
    await sendMouse({ type: 'move', position: [400, 400] });
    relay.report(true);
    const moved = trusted(document, 'mousemove');
    await sendMouse({ type: 'move', position: [420, 420] });
    await moved;
    expect(seen).to.deep.equal(['mouseover (relayed)', 'document:mouseover', 'mouseenter (relayed)', 'mouseout (relayed)', 'document:mouseout', 'mouseleave (relayed)']);
    // An untrusted mousemove (the page's own) is no evidence.
    relay.report(true);
    document.dispatchEvent(new MouseEvent('mousemove'));
    expect(seen.at(-1)).to.equal('mouseenter (relayed)');
  });

  it('ends a relayed hover when the launcher is hidden, reloads or is removed, and only once', async () => {
    const { iframe, relay, seen } = (current = await launcherFrame());
    relay.report(true);
    relay.end(); // hidden
    relay.end();
    relay.report(true);
    const reloaded = new Promise((r) => iframe.addEventListener('load', r, { once: true }));
    iframe.srcdoc = '<body>reloaded</body>';
    await reloaded;
    relay.report(true);
    relay.hostDisconnected(); // destroy
    relay.report(false);
    const leaves = seen.filter((t) => t === 'mouseleave (relayed)').length;
    const enters = seen.filter((t) => t === 'mouseenter (relayed)').length;
    expect([enters, leaves]).to.deep.equal([3, 3]);
    expect(seen.at(-1)).to.equal('mouseleave (relayed)');
  });
});
