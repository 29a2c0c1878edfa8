/**
 * The demo's account page offers a planned rotation beside the reset: a
 * confirmation page, then a new claim while the old key works on.
 */
import { describe, expect, it } from 'vitest';
import { startDemo } from './demo-app.js';

describe('the demo: rotating a key', () => {
  it('asks for confirmation, then opens a rotation and says the current key keeps working', async () => {
    const demo = await startDemo();
    const send = (path: string, init: RequestInit = {}) =>
      demo(path, { ...init, headers: { cookie: 'demo_user=sam', ...(init.headers ?? {}) } });
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      body: new URLSearchParams(fields),
    });
    const created = await send(
      '/settings/api-accounts/new',
      form({ username: 'ACME', email: 'dev@acme.example', phone: '+447894123456' }),
    );
    expect(created.status).toBe(303);
    const accountPath = created.headers.get('location') ?? '';
    const page = await (await send(accountPath)).text();
    expect(page).toContain(`${accountPath}/rotate`);
    const confirm = await (await send(`${accountPath}/rotate`)).text();
    expect(confirm).toContain('keeps working');
    expect(confirm).toContain('name="graceMs"');
    const unconfirmed = await send(`${accountPath}/rotate`, form({}));
    expect(unconfirmed.status).not.toBe(303);
    const rotated = await send(
      `${accountPath}/rotate`,
      form({ confirm: 'yes', graceMs: '3600000' }),
    );
    expect(rotated.status).toBe(303);
    const history = await (await send(rotated.headers.get('location') ?? '')).text();
    // No key was claimed yet, so this rotation is a reset.
    expect(history).toContain('key.reset');
  });
});

describe('the demo: the list and due tasks', () => {
  it('filters by state, search and "unused for 90 days", shows the total, and runs due tasks', async () => {
    const demo = await startDemo();
    const send = (path: string, init: RequestInit = {}) =>
      demo(path, { ...init, headers: { cookie: 'demo_user=sam', ...(init.headers ?? {}) } });
    for (const [username, email] of [
      ['Alpha Arts', 'dev@alpha.example'],
      ['Bravo Box', 'ops@bravo.example'],
    ]) {
      const created = await send('/settings/api-accounts/new', {
        method: 'POST',
        body: new URLSearchParams({
          username: username ?? '',
          email: email ?? '',
          phone: '+447894123456',
        }),
      });
      expect(created.status).toBe(303);
    }
    const list = async (query: string) => (await send(`/settings/api-accounts?${query}`)).text();
    expect(await list('')).toContain('2 accounts');
    const searched = await list('q=bravo');
    expect(searched).toContain('1 account<');
    expect(searched).toContain('Bravo Box');
    expect(searched).not.toContain('Alpha Arts');
    expect(await list('state=key_issued')).toContain('No API accounts match.');
    expect(await list('state=claim_pending')).toContain('2 accounts');
    expect(await list('unused=90')).toContain('2 accounts');
    expect(await list('')).toContain('Run due tasks');
    const ran = await send('/settings/api-accounts/run-due-tasks', { method: 'POST' });
    expect(ran.status).toBe(303);
    const notice = (ran.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const after = await (
      await demo(ran.headers.get('location') ?? '', {
        headers: { cookie: `demo_user=sam; ${notice}` },
      })
    ).text();
    expect(after).toContain('Due tasks run: 0 reminder(s) sent');
  });
});
