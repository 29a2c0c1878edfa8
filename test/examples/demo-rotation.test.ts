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
    const unconfirmed = await send(`${accountPath}/rotate`, form({}));
    expect(unconfirmed.status).not.toBe(303);
    const rotated = await send(`${accountPath}/rotate`, form({ confirm: 'yes' }));
    expect(rotated.status).toBe(303);
    const history = await (await send(rotated.headers.get('location') ?? '')).text();
    // No key was claimed yet, so this rotation is a reset.
    expect(history).toContain('key.reset');
  });
});
