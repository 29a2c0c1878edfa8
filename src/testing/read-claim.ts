import type { EmailMessage } from '../ports/email-sender.js';
import type { SmsMessage } from '../ports/sms-sender.js';

/**
 * The claim a partner would hold after reading the latest SMS and the latest
 * email with a claim link (a reminder has none): the code from the SMS and
 * the token from the link. `{ token: '', code: '' }`
 * parts when nothing matching was sent.
 *
 * The token is read from the first URL with a `token` query parameter, as the
 * `claimUrl` in the README builds it; pass `tokenFrom` for another shape.
 *
 * @example
 * ```ts
 * const ports = inMemoryPorts();
 * // … manager.createAccount(…) …
 * const claim = latestClaim(ports);
 * await manager.claimApiKey(claim);
 * ```
 */
export function latestClaim(
  sent: {
    readonly sms: { readonly sent: readonly SmsMessage[] };
    readonly email: { readonly sent: readonly EmailMessage[] };
  },
  options: {
    /** Only messages to this phone (E.164) and email. */
    readonly to?: { readonly phone?: string; readonly email?: string };
    readonly tokenFrom?: (emailText: string) => string;
  } = {},
): { token: string; code: string } {
  const { to, tokenFrom = tokenFromFirstUrl } = options;
  const sms = sent.sms.sent.filter((m) => to?.phone === undefined || m.to === to.phone).at(-1);
  // The latest email that carries a token: a reminder sent after the claim has none.
  let token = '';
  for (let i = sent.email.sent.length - 1; i >= 0 && token === ''; i--) {
    const message = sent.email.sent[i];
    if (message && (to?.email === undefined || message.to === to.email)) {
      token = tokenFrom(message.text);
    }
  }
  return {
    token,
    code: /\b(\d{6})\b/.exec(sms?.text ?? '')?.[1] ?? '',
  };
}

/** The `token` of the first URL that has one: a leak message names the leak's address before the link. */
function tokenFromFirstUrl(text: string): string {
  for (const [url] of text.matchAll(/https?:\/\/\S+/g)) {
    try {
      const token = new URL(url).searchParams.get('token');
      if (token) return token;
    } catch {
      // Not a URL after all: read on.
    }
  }
  return '';
}
