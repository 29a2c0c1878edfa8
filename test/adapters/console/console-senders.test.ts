import { consoleSenders } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, admin, world } from '../../helpers.js';

describe('consoleSenders (development only)', () => {
  it('prints each claim message whole, with its code and its link, under a not-sent banner', async () => {
    const printed: string[] = [];
    const w = world({ ...consoleSenders({ write: (block) => printed.push(block) }) });
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.delivery).toEqual({
      sms: { status: 'sent', attempts: 1 },
      email: { status: 'sent', attempts: 1 },
    });
    expect(printed).toHaveLength(2);
    for (const block of printed) {
      expect(block).toContain('DEVELOPMENT ONLY');
      expect(block).toContain('nothing was sent; not for production');
    }
    const [sms, email] = printed;
    const code = /\b(\d{6})\b/.exec(sms ?? '')?.[1] ?? '';
    const token = /token=([A-Za-z0-9_-]{43})/.exec(email ?? '')?.[1] ?? '';
    expect(sms).toContain(`SMS to ${created.account.phone}`);
    expect(email).toContain(`Email to ${created.account.email}`);
    // What was printed is enough to claim the key.
    const claimed = await w.manager.claimApiKey({ token, code });
    expect(claimed.isOk()).toBe(true);
  });

  it('prints with console.log by default', async () => {
    const logged: unknown[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void logged.push(args.join(' '));
    try {
      await consoleSenders().sms.send({ to: '+447894123456', text: 'Your code is 123456' });
    } finally {
      console.log = original;
    }
    expect(String(logged[0])).toContain('Your code is 123456');
  });
});
