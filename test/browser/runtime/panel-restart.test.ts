// The panel across a real server restart (same port, same store): it reconnects
// by itself, resumes from its last seq, and misses or doubles no message.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { agentApi, conversationOf, destroyHosts, sleep, TestHost } from '../../helpers/browser/host-harness.js';

describe('panel surface across a server restart', () => {
  afterEach(destroyHosts);

  it('reconnects after the server restarts and keeps every message exactly once', async () => {
    const host = new TestHost('panel');
    await host.mount();
    await host.waitForEvent('session_connected');
    const id = await conversationOf(host.last('visitor_auth_ready').visitorUid);

    await agentApi(`/v1/agent/conversations/${id}/messages`, { text: 'before the restart' });
    await host.waitForEvent('unread_count_changed', (p) => p.count === 1);
    const connectedBefore = host.names().filter((n) => n === 'session_connected').length;

    await executeServerCommand('twt-restart-server', { downMs: 300 });
    // Sent while the panel may still be reconnecting: it must arrive through the resume.
    await agentApi(`/v1/agent/conversations/${id}/messages`, { text: 'after the restart' });

    await host.waitFor((evs) => evs.filter((e) => e.name === 'session_connected').length > connectedBefore, 20_000, 'a second session_connected');
    await host.waitForEvent('unread_count_changed', (p) => p.count === 2, 10_000);
    const statuses = host.events.filter((e) => e.name === 'connection_state_changed').map((e) => e.payload.status);
    expect(statuses).to.include('reconnecting');
    expect(host.last('session_disconnected')).to.have.property('status');
    // card_content follows unread_count_changed as a separate port message.
    await host.waitForEvent('card_content', (p) => p.card?.text === 'after the restart', 5_000);

    // Nothing doubled: the count stays at 2 once the socket has settled.
    await sleep(500);
    expect(host.last('unread_count_changed')).to.deep.equal({ count: 2 });
  });
});
