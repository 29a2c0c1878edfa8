import { defaultEmailTemplate, defaultSmsTemplate, escapeHtml } from 'api-accounts';
import { describe, expect, it } from 'vitest';

const context = {
  reason: 'created' as const,
  systemName: 'Box Office',
  username: `O'Brien & <Co>`,
  expiresAt: new Date('2026-03-02T09:00:00Z'),
};

describe('default claim messages', () => {
  it('put the code in the SMS and no link', () => {
    const text = defaultSmsTemplate(context, '123456');
    expect(text).toContain('123456');
    expect(text).not.toMatch(/https?:/);
    expect(text.length).toBeLessThanOrEqual(160);
  });

  it('put the link in the email, escaped in HTML, with the expiry and the once-only warning', () => {
    const link = 'https://bo.example/claim?token=abc&x="y"';
    const email = defaultEmailTemplate(context, link);
    expect(email.text).toContain(link);
    expect(email.html).toContain('href="https://bo.example/claim?token=abc&amp;x=&quot;y&quot;"');
    expect(email.html).toContain('O&#39;Brien &amp; &lt;Co&gt;');
    expect(email.html).not.toContain('<Co>');
    expect(email.text).toContain('Mon, 02 Mar 2026 09:00:00 GMT');
    expect(email.text).toMatch(/shown only once/);
  });

  it('say why the claim was sent', () => {
    expect(defaultEmailTemplate({ ...context, reason: 'reset' }, 'l').text).toMatch(/was reset/);
    expect(defaultEmailTemplate({ ...context, reason: 'resent' }, 'l').text).toMatch(/new link/);
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
