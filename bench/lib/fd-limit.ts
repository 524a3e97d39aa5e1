/**
 * The open-file limit of this process (Linux /proc/self/limits): every socket
 * is a file descriptor, so it bounds how many sockets one process can hold.
 * Child processes inherit it. Raising the hard limit needs CAP_SYS_RESOURCE,
 * which a container may not grant even to root.
 */
import { readFileSync } from 'node:fs';

export interface FileLimit {
  soft: number;
  hard: number;
}

/** null where /proc is not there (not Linux) or says "unlimited". */
export function openFileLimit(): FileLimit | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const m = line && /Max open files\s+(\d+)\s+(\d+)/.exec(line);
    return m ? { soft: Number(m[1]), hard: Number(m[2]) } : null;
  } catch {
    return null;
  }
}
