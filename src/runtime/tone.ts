/**
 * The new-message tone (config `sound`): two short sine notes made with WebAudio, so there is no audio file to
 * fetch, decode or cache.
 *
 * Browsers start an AudioContext only after a user activation. Chromium checks the panel's own frame and, because
 * the host element gives the panel iframe `allow="autoplay"`, every ancestor frame too (AutoplayPolicy::
 * IsDocumentAllowedToPlay walks up the frame tree while the autoplay permission is granted): a visitor who has
 * clicked, tapped or pressed a key anywhere on the host page, or in the widget, since the page loaded hears the
 * tone. Before that the context stays suspended and the tone is skipped: its `resume()` stays pending until the
 * context may start, so only the newest request plays when it settles (no burst of stale tones later).
 */
let context: AudioContext | undefined;
let requested = 0;

/** Plays the tone once the context runs (at once when it may start); a request overtaken by a newer one plays nothing. */
export function playTone(): Promise<void> {
  const c = (context ??= new AudioContext());
  const mine = ++requested;
  return c.resume().then(() => {
    if (mine !== requested) return;
    const t = c.currentTime;
    [880, 1320].forEach((hz, i) => {
      const start = t + i * 0.13;
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.08, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.12);
      osc.connect(gain).connect(c.destination);
      osc.start(start);
      osc.stop(start + 0.13);
    });
  });
}
