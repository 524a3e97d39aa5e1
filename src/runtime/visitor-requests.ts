/**
 * The chat UI's requests for away hours, the follow-up email and a new conversation (server/http/away-api.ts).
 * Loaded with the chat UI, never at boot: they go through the session's SessionApi with its current token.
 */
import type { AwayResponse, FollowUpEmailResponse, NewConversationResponse } from '../shared/wire-protocol.js';
import type { PanelSession } from './panel-session.js';

type Session = Pick<PanelSession, 'api' | 'token' | 'conversationId' | 'moveTo'>;

const authorized = (s: Session, json = false): HeadersInit => ({ authorization: `Bearer ${s.token}`, ...(json ? { 'content-type': 'application/json' } : {}) });

/** Whether the team is in by the app's hours, and the follow-up email left on the current conversation. */
export function awayState(s: Session): Promise<AwayResponse> {
  const q = s.conversationId ? `?conversation=${encodeURIComponent(s.conversationId)}` : '';
  return s.api.request<AwayResponse>(`/v1/visitor/away${q}`, { headers: authorized(s) }, (b) => typeof b.hours === 'object' && b.hours !== null);
}

/** Leaves an email on the current conversation so the team can follow up; resolves with the address stored. */
export async function leaveFollowUpEmail(s: Session, email: string): Promise<string> {
  const id = s.conversationId;
  if (!id) throw new Error('no conversation yet');
  const answer = await s.api.request<FollowUpEmailResponse>(
    `/v1/visitor/conversations/${encodeURIComponent(id)}/email`,
    { method: 'POST', headers: authorized(s, true), body: JSON.stringify({ email }) },
    (b) => typeof b.followUpEmail === 'string',
  );
  return answer.followUpEmail;
}

/** Starts a new conversation on the server and moves the panel there (its socket resumes on it). */
export async function startConversation(s: Session): Promise<void> {
  const answer = await s.api.request<NewConversationResponse>('/v1/visitor/conversations', { method: 'POST', headers: authorized(s, true), body: '{}' }, (b) =>
    typeof (b.conversation as { id?: unknown } | undefined)?.id === 'string',
  );
  s.moveTo(answer.conversation.id);
}
