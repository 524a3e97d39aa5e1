/**
 * In-page instrumentation, injected with page.addInitScript into every frame
 * before any page script runs. In the host page it records the widget's
 * lifecycle events (its `twt-*` DOM events), long tasks, long animation
 * frames and layout shifts; in the widget's own frames it records paint
 * timing. Everything is stored on `window.__bench` for the harness to read.
 *
 * This function is serialised into the page: it must not close over anything.
 */
export function instrument(hostOrigin: string): void {
  const w = window as unknown as { __bench?: Record<string, unknown> };
  if (w.__bench) return;
  const epoch = (t: number) => performance.timeOrigin + t;
  const observe = (type: string, cb: (e: PerformanceEntry) => void) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(cb)).observe({ type, buffered: true } as PerformanceObserverInit);
    } catch {
      /* entry type not supported by this browser */
    }
  };
  if (location.origin === hostOrigin && window.top === window) {
    const b = {
      marks: {} as Record<string, number>,
      longtasks: [] as Array<[number, number]>,
      loafs: [] as Array<{ start: number; duration: number; blocking: number; scripts: Array<{ url: string; duration: number; invoker: string }> }>,
      shifts: [] as Array<{ value: number; hadRecentInput: boolean; at: number }>,
      timeOrigin: performance.timeOrigin,
    };
    w.__bench = b;
    const mark = (name: string) => {
      if (!(name in b.marks)) b.marks[name] = performance.now();
    };
    for (const name of ['initialized', 'iframe-loaded', 'bridge-ready', 'runtime-mounted', 'visitor-auth-ready', 'runtime-activated', 'session-connected', 'visibility-changed', 'destroyed', 'bootstrap-failed', 'auth-closed']) {
      document.addEventListener(
        `twt-${name}`,
        (e) => {
          const detail = (e as CustomEvent).detail;
          mark(name === 'iframe-loaded' && detail?.surface ? `iframe-loaded:${detail.surface}` : name);
        },
        true,
      );
    }
    // core.js finished evaluating = its script element's load event.
    document.addEventListener(
      'load',
      (e) => {
        const t = e.target as HTMLScriptElement;
        if (t?.tagName === 'SCRIPT' && /\/install\/core\.js/.test(t.src)) mark('core-evaluated');
      },
      true,
    );
    // Launcher painted (host-side approximation): the launcher iframe's load, then two frames.
    new MutationObserver(() => {
      const f = document.querySelector('iframe[data-twt-widget-surface="launcher"]');
      if (!f || (f as HTMLElement & { __benchSeen?: boolean }).__benchSeen) return;
      (f as HTMLElement & { __benchSeen?: boolean }).__benchSeen = true;
      mark('launcher-inserted');
      f.addEventListener('load', () => {
        mark('launcher-load');
        requestAnimationFrame(() => requestAnimationFrame(() => mark('launcher-load-2raf')));
      });
    }).observe(document, { subtree: true, childList: true });
    observe('longtask', (e) => b.longtasks.push([e.startTime, e.duration]));
    observe('long-animation-frame', (e) => {
      const l = e as PerformanceEntry & { blockingDuration: number; scripts: Array<{ sourceURL: string; duration: number; invoker: string }> };
      b.loafs.push({ start: l.startTime, duration: l.duration, blocking: l.blockingDuration, scripts: (l.scripts ?? []).map((s) => ({ url: s.sourceURL, duration: s.duration, invoker: s.invoker })) });
    });
    observe('layout-shift', (e) => {
      const s = e as PerformanceEntry & { value: number; hadRecentInput: boolean };
      b.shifts.push({ value: s.value, hadRecentInput: s.hadRecentInput, at: s.startTime });
    });
  } else if (location.pathname.startsWith('/widget/')) {
    const b = { paint: {} as Record<string, number>, pointerdown: 0, timeOrigin: performance.timeOrigin };
    w.__bench = b;
    observe('paint', (e) => {
      b.paint[e.name] = epoch(e.startTime);
    });
    addEventListener('pointerdown', () => (b.pointerdown ||= epoch(performance.now())), true);
  }
}
