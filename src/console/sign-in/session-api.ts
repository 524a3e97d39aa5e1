/** The console's sign-in calls (/v1/console/*; shapes in src/shared/agent-accounts.ts). Same origin, cookie session. */
import type { ConsoleAgent, Me, SignedIn } from '../../shared/agent-accounts.js';

export class SignInError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** Signs in; the server sets the HttpOnly session cookie. Throws SignInError with the server's reason. */
export async function signIn(email: string, password: string): Promise<ConsoleAgent> {
  let res: Response;
  try {
    res = await fetch('/v1/console/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }), credentials: 'same-origin' });
  } catch {
    throw new SignInError('Cannot reach the server. Check your connection and try again.', 'network');
  }
  const data = (await res.json().catch(() => null)) as (SignedIn & { reason?: string; message?: string }) | null;
  if (res.ok && data?.ok) return data.agent;
  const retry = Number(res.headers.get('retry-after'));
  throw new SignInError(data?.message ?? `HTTP ${res.status}`, data?.reason ?? 'http', Number.isFinite(retry) && retry > 0 ? retry : null);
}

/** The signed-in agent, or null (no session, or it expired). */
export async function currentAgent(): Promise<ConsoleAgent | null> {
  const res = await fetch('/v1/console/me', { credentials: 'same-origin' }).catch(() => null);
  if (!res?.ok) return null;
  const data = (await res.json().catch(() => null)) as Me | null;
  return data?.ok ? data.agent : null;
}

export async function signOut(): Promise<void> {
  await fetch('/v1/console/session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => {});
}
