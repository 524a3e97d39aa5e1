/**
 * Test double of a runtime surface (served by test/helpers/wtr/host-double-plugin.mjs at
 * http://127.0.0.1:<port>/widget/<surface>.html). Speaks the real bridge
 * protocol and is steered by the test page through `{double: …}` messages:
 *   emit {name, payload}  send a bridge event over the port
 *   raw {data}            send anything over the port (malformed messages)
 *   hello {nonce?}        post a hello to the parent again (re-handshake / wrong nonce)
 *   refuse {command, reason} / accept {command}
 *   report {id}           answer {double:'report', id, surface, commands, boot, connects}
 * The panel emits the lifecycle on connect unless the appid contains "quiet". With an appid containing
 * "dying-words" a connected surface reports `bootstrap_failed` as its document is unloaded (as the real panel
 * does when its iframe is taken out of the page mid-request: the request fails). With an appid containing
 * "navigate-away" the surface says hello, then at once navigates its frame to recorder.html on the host
 * page's origin (a surface navigated elsewhere before the host answered).
 */
import { BRIDGE_TAG, BRIDGE_VERSION } from '../../../src/shared/bridge-protocol.js';
import { LOCALES } from '../../../src/shared/locales.js';
import { decodeSurfaceFragment, parseConnect, parsePortMessage, type SurfaceBoot } from '../../../src/shared/bridge-protocol.js';

const frag = decodeSurfaceFragment(location.hash);
const appid = new URLSearchParams(location.search).get('appid') ?? '';
let port: MessagePort | undefined;
let boot: SurfaceBoot | undefined;
let connects = 0;
const commands: Array<{ name: string; payload: unknown }> = [];
const refuse = new Map<string, string>();
if (appid.includes('refuse-login')) refuse.set('login', 'login_failed');

const envelope = { tag: BRIDGE_TAG, v: BRIDGE_VERSION };
const emit = (name: string, payload: unknown = {}) => port?.postMessage({ ...envelope, type: 'event', name, payload });

function hello(nonce = frag!.nonce) {
  parent.postMessage({ ...envelope, type: 'hello', nonce, surface: frag!.surface }, frag!.host);
}

function onCommand(data: unknown) {
  const m = parsePortMessage(data);
  if (!m || m.type !== 'command') return;
  commands.push({ name: m.name, payload: m.payload });
  const p = (m.payload ?? {}) as Record<string, unknown>;
  let reason = refuse.get(m.name);
  if (!reason && m.name === 'login' && !(p.sbs && p.sbs_mm && p.ranstr)) reason = 'login_failed';
  if (!reason && m.name === 'set_language' && !(LOCALES as readonly string[]).includes(p.locale as string)) reason = 'unsupported_locale';
  port!.postMessage(reason ? { ...envelope, type: 'result', id: m.id, ok: false, reason, message: `double refused ${m.name}` } : { ...envelope, type: 'result', id: m.id, ok: true });
}

addEventListener('message', (e) => {
  if (e.source !== parent || !frag || e.origin !== frag.host) return;
  const c = parseConnect(e.data);
  if (c && c.nonce === frag.nonce && e.ports[0]) {
    port = e.ports[0];
    boot = c.boot;
    connects++;
    port.onmessage = (m) => onCommand(m.data);
    if (frag.surface === 'panel' && !appid.includes('quiet')) {
      emit('runtime_mounted');
      const clue = boot.clue;
      emit('visitor_auth_ready', { bs: clue?.bs ?? 'bs-new', bs_mm: clue?.bs_mm ?? 'bsmm-new', fk_id: clue?.fk_id ?? 'fk-new', fkid: clue?.fk_id ?? 'fk-new', hasToken: true, source: clue ? 'resolved' : 'initial', visitorUid: 'v-1' });
      emit('runtime_activated');
      emit('connection_state_changed', { status: 'connected' });
      emit('session_connected', { status: 'connected' });
    }
    return;
  }
  const d = e.data as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || typeof d.double !== 'string') return;
  if (d.double === 'emit') emit(d.name as string, d.payload);
  else if (d.double === 'raw') port?.postMessage(d.data);
  else if (d.double === 'hello') hello((d.nonce as string) ?? undefined);
  else if (d.double === 'refuse') refuse.set(d.command as string, d.reason as string);
  else if (d.double === 'accept') refuse.delete(d.command as string);
  else if (d.double === 'report') parent.postMessage({ double: 'report', id: d.id, surface: frag.surface, commands, boot, connects }, frag.host);
});

if (frag) hello();
if (appid.includes('dying-words')) addEventListener('pagehide', () => emit('bootstrap_failed', { reason: 'invalid_bootstrap', source: 'visitor_session', mode: 'embedded', message: 'Failed to fetch' }));
if (frag && appid.includes('navigate-away')) location.replace(`${frag.host}/test/helpers/browser/recorder.html`);
