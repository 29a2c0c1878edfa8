import type { Clock, EmailMessage, EmailSender, SmsMessage, SmsSender } from 'api-accounts';

/** One message the demo "sent", as the development inbox shows it. */
export type InboxItem =
  | ({ readonly channel: 'email'; readonly at: Date } & EmailMessage)
  | ({ readonly channel: 'sms'; readonly at: Date } & SmsMessage);

/**
 * Senders that deliver into a list the demo shows at /dev/inbox, so the claim
 * link and code can be followed by hand. Development only: a real deployment
 * wires `api-accounts/nodemailer` and `api-accounts/sms`.
 */
export function devInbox(clock: Clock) {
  const items: InboxItem[] = [];
  const sms: SmsSender = {
    async send(message) {
      items.push({ channel: 'sms', at: clock.now(), to: message.to, text: message.text });
    },
  };
  const email: EmailSender = {
    async send(message) {
      items.push({ channel: 'email', at: clock.now(), ...message });
    },
  };
  return { sms, email, items: () => [...items].reverse() };
}
