/**
 * How the launcher looks, without a DOM: its rules, its label and its first
 * paint. The live element (launcher-app.ts) draws from these, and so does the
 * build, which writes `launcherFirstPaint()` into launcher.html.
 */
import { msg, str } from '@lit/localize';
import type { ViewState } from '../shared/bridge-protocol.js';
import { iconMarkup, ICONS } from './icon-shapes.js';
import { BARE_PAGE, DARK, declarations, LIGHT } from './tokens.js';

export const LAUNCHER_CSS = `
:host{display:flex;align-items:center;justify-content:center;width:100%;height:100vh}
button{position:relative;width:56px;height:56px;border:0;border-radius:50%;background:var(--twt-accent);color:var(--twt-accent-fg);display:grid;place-items:center;box-shadow:0 2px 8px rgb(0 0 0/.25)}
button.custom{padding:0;background:transparent}
.icon{width:100%;height:100%;border-radius:50%;object-fit:cover}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:var(--twt-badge-bg);color:var(--twt-badge-fg);font-size:12px;font-weight:700;line-height:20px;text-align:center}`;
/* ^ The site's own launcher image (config icon), `.custom`, is the whole round button. */

/** The button's accessible name for a view. */
export function launcherLabel(view: ViewState): string {
  const n = view.unreadCount;
  if (view.visibility === 'maximized') return msg('Close chat', { id: 'launcher.close' });
  if (n === 1) return msg('Open chat, 1 unread message', { id: 'launcher.unread.one' });
  if (n > 1) return msg(str`Open chat, ${n} unread messages`, { id: 'launcher.unread.other' });
  return msg('Open chat', { id: 'launcher.open' });
}

/**
 * The launcher page's first paint, before any script runs: the closed button (in `theme`'s colours, English, no
 * unread count; launcher.html and its dark twin, see surfacePage()) as a declarative shadow root for <twt-launcher-app>, with just the rules it draws with (LAUNCHER_CSS's
 * `:host` and `button`) and, for the page's <head>, the tokens those name on a bare page. The page paints it as
 * soon as it is parsed instead of after surface.js has been fetched and run (a round trip and the script's run
 * earlier on a real network); TwtLauncherApp's attachShadow() then takes that root over (emptied) and draws the
 * live button in its place, with the host's theme, locale, icon and count. A browser without declarative shadow
 * DOM leaves the template inert and paints once the script runs, as before.
 */
export function launcherFirstPaint(theme: 'light' | 'dark'): { documentStyle: string; shadowRoot: string } {
  const rules = (LAUNCHER_CSS.match(/^(:host|button)\{[^}]*\}/gm) ?? []).join('');
  // Rewritten rules the pattern no longer finds would paint an unstyled button: the build stops instead.
  if (!rules.startsWith(':host{') || !rules.includes('button{')) throw new Error('launcher-look.ts: LAUNCHER_CSS has no one-line :host and button rules to paint first');
  const tokens = declarations(theme === 'dark' ? DARK : LIGHT, new Set(rules.match(/--twt-[\w-]+/g)));
  const label = launcherLabel({ visibility: 'minimized', unreadCount: 0 }).replace(/[&"<]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    documentStyle: `<style>html{${tokens}color-scheme:${theme}}html,body{${BARE_PAGE}}</style>`,
    shadowRoot: `<template shadowrootmode="open"><style>${rules}</style><button type="button" aria-label="${label}" aria-expanded="false">${iconMarkup(ICONS.chat)}</button></template>`,
  };
}
