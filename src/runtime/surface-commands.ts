/**
 * The commands every surface accepts from the host: set_language, set_theme,
 * set_view. Each validates its payload and refuses with a reason.
 */
import type { CardContent, ViewState, Visibility } from '../shared/bridge-protocol.js';
import { PROFILE_CAPS, PROFILE_FIELDS, type LoginTriple, type VisitorProfile } from '../shared/wire-protocol.js';
import { payloadObject, type CommandHandlers } from './surface-bridge.js';
import { Refusal } from './refusal.js';
import { applyLocale } from './localization.js';
import { isThemeSetting, type ThemeController } from './theme.js';

const VISIBILITIES: readonly Visibility[] = ['maximized', 'minimized', 'hidden'];

export function commonHandlers(theme: ThemeController, onView: (view: ViewState) => void): CommandHandlers {
  return new Map([
    [
      'set_language',
      async (payload: unknown) => {
        const { locale } = payloadObject('set_language', payload);
        const applied = await applyLocale(locale);
        if (!applied) throw new Refusal('unsupported_locale', `unsupported locale: ${String(locale).slice(0, 40)}`);
        return { locale: applied };
      },
    ],
    [
      'set_theme',
      (payload: unknown) => {
        const { theme: value } = payloadObject('set_theme', payload);
        if (!isThemeSetting(value)) throw new Refusal('invalid_payload', 'theme must be light, dark or system');
        theme.set(value);
        return { theme: value, resolved: theme.resolved };
      },
    ],
    [
      'set_view',
      (payload: unknown) => {
        onView(parseViewState(payload));
      },
    ],
  ]);
}

export function parseViewState(payload: unknown): ViewState {
  const p = payloadObject('set_view', payload);
  if (typeof p.visibility !== 'string' || !(VISIBILITIES as readonly string[]).includes(p.visibility)) {
    throw new Refusal('invalid_payload', 'visibility must be maximized, minimized or hidden');
  }
  const unread = p.unreadCount;
  if (typeof unread !== 'number' || !Number.isInteger(unread) || unread < 0) {
    throw new Refusal('invalid_payload', 'unreadCount must be a non-negative integer');
  }
  const view: ViewState = { visibility: p.visibility as Visibility, unreadCount: unread };
  if ('card' in p) view.card = parseCard(p.card);
  if ('fullScreen' in p) {
    if (typeof p.fullScreen !== 'boolean') throw new Refusal('invalid_payload', 'fullScreen must be a boolean');
    view.fullScreen = p.fullScreen;
  }
  if ('sound' in p) {
    if (typeof p.sound !== 'boolean') throw new Refusal('invalid_payload', 'sound must be a boolean');
    view.sound = p.sound;
  }
  return view;
}

function parseCard(card: unknown): CardContent | null {
  if (card === null || card === undefined) return null;
  if (typeof card !== 'object' || Array.isArray(card)) throw new Refusal('invalid_payload', 'card must be an object or null');
  const c = card as Record<string, unknown>;
  if ((c.kind !== 'greeting' && c.kind !== 'message') || typeof c.text !== 'string') {
    throw new Refusal('invalid_payload', 'card needs kind (greeting|message) and text');
  }
  return { kind: c.kind, text: c.text.slice(0, 4000), ...(typeof c.author === 'string' ? { author: c.author.slice(0, 200) } : {}) };
}

/** The panel's `login` payload: the full triple (refused `login_failed` otherwise) and the profile fields, capped as the server caps them. */
export function parseLogin(payload: unknown): { triple: LoginTriple; profile: VisitorProfile } {
  const p = payloadObject('login', payload) as Record<string, unknown>;
  const triple = {} as LoginTriple;
  for (const k of ['sbs', 'sbs_mm', 'ranstr'] as const) {
    const v = p[k];
    if (typeof v !== 'string' || !v.trim()) throw new Refusal('login_failed', 'login needs sbs, sbs_mm and ranstr');
    triple[k] = v;
  }
  const profile: VisitorProfile = {};
  for (const k of PROFILE_FIELDS) if (typeof p[k] === 'string') profile[k] = (p[k] as string).slice(0, PROFILE_CAPS[k]);
  return { triple, profile };
}
