/**
 * Typing indicators, coalesced: at most one state change per conversation
 * and typist (the visitor; each agent, so two agents typing are both shown to
 * the other agents, see agents-typing.ts for the visitor's one line) per window, however many
 * typing frames arrive. The first change goes out at once; changes within the
 * window only update the wanted state, which goes out at the end of the
 * window if it differs from what was last shown. So a flood costs one NOTIFY
 * per second per conversation, and the indicator still ends in the state the
 * typist last asked for (a `false` is never lost).
 */
import type { ServerEvent } from './events.js';

type TypingEvent = Extract<ServerEvent, { kind: 'typing' }>;

/** At most one typing state change per conversation and typist in this long. */
export const TYPING_WINDOW_MS = 1000;

interface Entry {
  shown: TypingEvent;
  wanted: TypingEvent;
}

export class TypingGate {
  /** Typists whose window is open, by conversation, direction and agent. Emptied as windows close. */
  private open = new Map<string, Entry>();
  private timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly publish: (e: TypingEvent) => void,
    private readonly windowMs = TYPING_WINDOW_MS,
  ) {}

  offer(e: TypingEvent): void {
    const key = `${e.from}\n${e.conversationId}\n${e.agentId ?? ''}`;
    const entry = this.open.get(key);
    if (entry) {
      entry.wanted = e;
      return;
    }
    this.show(key, { shown: e, wanted: e });
  }

  /** Drops pending changes (the server is stopping). */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.open.clear();
  }

  private show(key: string, entry: Entry): void {
    this.open.set(key, entry);
    this.publish(entry.shown);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (entry.wanted.typing !== entry.shown.typing) this.show(key, { shown: entry.wanted, wanted: entry.wanted });
      else this.open.delete(key);
    }, this.windowMs);
    timer.unref?.();
    this.timers.add(timer);
  }
}
