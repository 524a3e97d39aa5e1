/**
 * Spawning bench child processes: a raised file-descriptor limit (10k sockets
 * need 10k descriptors on each side), an IPC channel for commands, and a hard
 * kill after a deadline so nothing outlives the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Pauses } from './pauses.js';

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Sends a command and resolves with the first message matching `until`. */
  request<T>(msg: object, until: (m: any) => boolean, timeoutMs: number): Promise<T>;
  next<T>(until: (m: any) => boolean, timeoutMs: number): Promise<T>;
  kill(): void;
  exited: Promise<number | null>;
}

/** Starts `node [nodeArgs] --import tsx <script> [args]` under `ulimit -n <hard limit>`. */
export function spawnChild(script: string, args: string[], { nodeArgs = [] as string[], deadlineMs = 240_000, label = script } = {}): Child {
  const node = process.execPath;
  const argv = [...nodeArgs, '--import', 'tsx', script, ...args].map(shellQuote).join(' ');
  // exec keeps the pid, so /proc/<pid> is the node process itself.
  const proc = spawn('bash', ['-c', `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${shellQuote(node)} ${argv}`], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const deadline = setTimeout(() => {
    process.stderr.write(`[bench] ${label}: deadline passed, killing pid ${proc.pid}\n`);
    proc.kill('SIGKILL');
  }, deadlineMs);
  deadline.unref();
  proc.on('exit', () => clearTimeout(deadline));

  const next = <T>(until: (m: any) => boolean, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const onMsg = (m: any) => {
        if (m?.type === 'error') {
          cleanup();
          reject(new Error(`${label}: ${m.message}`));
        } else if (until(m)) {
          cleanup();
          resolve(m as T);
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`${label} exited (code ${code}) before answering`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${label}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        proc.off('message', onMsg);
        proc.off('exit', onExit);
      };
      proc.on('message', onMsg);
      proc.on('exit', onExit);
    });
  return {
    proc,
    pid: proc.pid!,
    next,
    request(msg, until, timeoutMs) {
      const p = next<any>(until, timeoutMs);
      proc.send(msg);
      return p;
    },
    kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
    exited,
  };
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Resident set size of a process from /proc (bytes), or null if it is gone. */
export function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms. */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] = utime, fields[12] = stime (after pid and comm), in clock ticks (100/s on Linux)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Starts the widget server in its own process; resolves once it listens. */
/** `oneAddressManyVisitors`: lift the per-address limits (capacity runs, where every visitor is on loopback); else the defaults hold. */
/** `cpuProfDir`: run it under `node --cpu-prof`, the profile written there when it stops. */
export async function startServerProcess({ maxSeconds = 240, oneAddressManyVisitors = false, cpuProfDir = null as string | null, databaseUrl = null as string | null, label = 'server' } = {}): Promise<{ url: string; port: number; child: Child; mem(): Promise<{ rss: number; heapUsed: number; external: number }>; pauses(): Promise<Pauses>; stop(): Promise<void> }> {
  const child = spawnChild('bench/lib/server-child.ts', ['--max-seconds', String(maxSeconds), ...(oneAddressManyVisitors ? ['--one-address-many-visitors'] : []), ...(databaseUrl ? ['--database-url', databaseUrl] : [])], {
    nodeArgs: ['--expose-gc', ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [])],
    deadlineMs: (maxSeconds + 10) * 1000,
    label,
  });
  const ready = await child.next<{ url: string; port: number }>((m) => m?.type === 'ready', 60_000);
  return {
    url: ready.url,
    port: ready.port,
    child,
    mem: () => child.request({ type: 'mem' }, (m) => m?.type === 'mem', 30_000),
    pauses: () => child.request({ type: 'pauses' }, (m) => m?.type === 'pauses', 30_000),
    async stop() {
      if (child.proc.connected) child.proc.send({ type: 'stop' });
      const t = setTimeout(() => child.kill(), 8000);
      await child.exited;
      clearTimeout(t);
    },
  };
}
