/**
 * Telling the agent about new work while they look elsewhere: the unread
 * count in the tab title, an optional sound (off by default; made with
 * WebAudio, no asset), and desktop notifications (Notification API; the
 * permission is asked for only from a click on the "enable" control). The
 * sound and desktop choices are remembered in localStorage.
 */
const SOUND_KEY = 'twt:console-sound';
const DESKTOP_KEY = 'twt:console-desktop-notifications';

export type DesktopState = 'unsupported' | 'off' | 'on' | 'blocked';

export class Notifier {
  private audio: AudioContext | null = null;

  constructor(private readonly baseTitle = document.title) {}

  /** "(3) TWT agent console" while there are unread visitor messages. */
  setUnread(count: number): void {
    document.title = count > 0 ? `(${count}) ${this.baseTitle}` : this.baseTitle;
  }

  restoreTitle(): void {
    document.title = this.baseTitle;
  }

  get soundOn(): boolean {
    return read(SOUND_KEY) === 'on';
  }

  /** Called from a click: the AudioContext is made (and allowed to play) there. */
  setSound(on: boolean): void {
    write(SOUND_KEY, on ? 'on' : 'off');
    if (on) this.audioContext();
  }

  get desktop(): DesktopState {
    if (typeof Notification === 'undefined') return 'unsupported';
    if (Notification.permission === 'denied') return 'blocked';
    return Notification.permission === 'granted' && read(DESKTOP_KEY) === 'on' ? 'on' : 'off';
  }

  /** Called from a click only: asks for the permission when it has not been given yet. */
  async setDesktop(on: boolean): Promise<DesktopState> {
    if (typeof Notification === 'undefined') return 'unsupported';
    if (on && Notification.permission === 'default') await Notification.requestPermission();
    write(DESKTOP_KEY, on && Notification.permission === 'granted' ? 'on' : 'off');
    return this.desktop;
  }

  /** New work: a desktop notification (if on) and the sound (if on). `onClick`: what clicking the notification does. */
  notify(title: string, body: string, tag: string, onClick: () => void): void {
    if (this.desktop === 'on') {
      try {
        const n = new Notification(title, { body, tag });
        n.onclick = () => {
          window.focus();
          onClick();
          n.close();
        };
      } catch {
        /* a browser that allows notifications only from a service worker: the title and sound still tell */
      }
    }
    if (this.soundOn) this.chime();
  }

  private audioContext(): AudioContext | null {
    if (typeof AudioContext === 'undefined') return null;
    this.audio ??= new AudioContext();
    if (this.audio.state === 'suspended') void this.audio.resume().catch(() => {});
    return this.audio;
  }

  /** Two short rising tones, quiet. */
  private chime(): void {
    const ctx = this.audioContext();
    if (!ctx) return;
    const t = ctx.currentTime;
    for (const [i, freq] of [660, 880].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, t + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.12 + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t + i * 0.12);
      osc.stop(t + i * 0.12 + 0.2);
    }
  }
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* storage unavailable: the choice lasts for this page only */
  }
}
