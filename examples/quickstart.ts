/**
 * The whole life of an API account, in memory, narrated step by step.
 * Run it with `npm start`. The in-memory clock stands still unless moved, so
 * the script moves it to show time passing between steps.
 */
import { randomBytes } from 'node:crypto';
import {
  type Actor,
  type ApiAccountError,
  ApiAccountManager,
  aesGcmSealer,
  inMemoryPorts,
  SETTINGS_ADMINISTRATOR,
  signRequest,
} from 'api-accounts';
import { latestClaim } from 'api-accounts/testing';

const ports = inMemoryPorts();
const manager = new ApiAccountManager({
  ...ports,
  systemName: 'Riverside Theatre Box Office',
  // Seals each key's secret so SpektrixAPI3 signed requests can be verified.
  // In production the 32-byte sealing key comes from your secret store.
  sealer: aesGcmSealer({ keys: { demo: randomBytes(32) }, current: 'demo' }),
  claimUrl: (token) => `https://box-office.example/api-access/claim?token=${token}`,
});
const admin: Actor = { id: 'sam.admin', roles: [SETTINGS_ADMINISTRATOR] };

let step = 0;
function say(title: string, ...lines: string[]): void {
  step += 1;
  console.log(`\n${step}. ${title}`);
  for (const line of lines) console.log(`   ${line}`);
}
function fail(error: ApiAccountError): never {
  console.error(`\nUnexpected ${error.type}: ${error.message}`);
  process.exit(1);
}
/** What the partner would read on their phone (the code) and in their inbox (the link's token). */
const latestClaimMessages = () => latestClaim(ports);
/** Keys are secrets: show only enough to tell two apart. */
const hint = (key: string) => `${key.slice(0, 6)}… (${key.length} characters)`;

console.log('api-accounts quickstart: one API account from creation to history, all in memory.');

const created = await manager.createAccount(admin, {
  username: 'ACME Tickets',
  email: 'integrations@acme.example',
  phone: '+44 7894 123 456',
});
if (created.isErr()) fail(created.error);
const { account } = created.value;
say(
  'An administrator creates the API account "ACME Tickets".',
  `Stored as ${account.id}: active=${account.active}, claim pending=${account.claimPending}, key issued=${account.keyIssuedAt !== null}.`,
  `The phone was normalised to ${account.phone}; the claim expires ${created.value.claim.expiresAt.toUTCString()}.`,
  `Delivery: SMS ${created.value.delivery.sms.status}, email ${created.value.delivery.email.status}.`,
);

const first = latestClaimMessages();
say(
  'The partner receives two messages; each holds half of what is needed.',
  `SMS to ${ports.sms.sent.at(-1)?.to}: "${ports.sms.sent.at(-1)?.text}"`,
  `Email to ${ports.email.sent.at(-1)?.to}, subject "${ports.email.sent.at(-1)?.subject}", with a link to the secure claim page.`,
);

ports.clock.advance(4 * 60 * 1000); // the partner reads their email a few minutes later
const preview = await manager.inspectClaim(first.token);
if (preview.isErr()) fail(preview.error);
say(
  'The partner opens the link. Before the code, the page shows only:',
  `"We sent a code to ${preview.value.maskedPhone}" (expires ${preview.value.expiresAt.toUTCString()}, ${preview.value.attemptsRemaining} attempts).`,
);

const wrong = await manager.claimApiKey({
  token: first.token,
  code: first.code === '000000' ? '111111' : '000000',
});
say(
  'They mistype the code once.',
  wrong.isErr() ? `Refused: ${wrong.error.message}` : 'Unexpectedly accepted!',
);

const claimed = await manager.claimApiKey({ token: first.token, code: first.code });
if (claimed.isErr()) fail(claimed.error);
const firstKey = claimed.value.apiKey;
say(
  'They enter the right code and are shown the username and key, once.',
  `Username: ${claimed.value.username}; key: ${hint(firstKey)}`,
  `JSON.stringify of that result shows ${JSON.stringify(claimed.value)}, so a stray log line cannot leak it.`,
);

const again = await manager.claimApiKey({ token: first.token, code: first.code });
say(
  'Using the same link again does not show the key again.',
  again.isErr() ? `Refused: ${again.error.type}` : 'Unexpectedly accepted!',
);

const verified = await manager.verifyApiKey(firstKey);
if (verified.isErr()) fail(verified.error);
say(
  "The partner's requests now verify.",
  `Principal: ${verified.value.username} (${verified.value.accountId}), mode ${verified.value.mode}, scheme ${verified.value.scheme}.`,
);

ports.clock.advance(90 * 24 * 60 * 60 * 1000); // three months of use later
const url = 'https://box-office.example/api/v3/customers?sort=name';
const signed = await signRequest({
  method: 'GET',
  url,
  username: claimed.value.username,
  apiKey: firstKey,
  date: ports.clock.now(),
});
if (signed.isErr()) fail(signed.error);
const signedCheck = await manager.verifySignedRequest({
  method: 'GET',
  url,
  headers: { Authorization: signed.value.authorization, Date: signed.value.date },
});
say(
  'An existing SpektrixAPI3 client signs a request with the same key instead of sending it.',
  `Authorization: ${signed.value.authorization.replace(/:.*/, ':<signature>')}`,
  signedCheck.isOk()
    ? `Verified: ${signedCheck.value.username}, scheme ${signedCheck.value.scheme}.`
    : `Refused: ${signedCheck.error.type}`,
);

const reset = await manager.resetApiKey(admin, account.id, { confirm: true });
if (reset.isErr()) fail(reset.error);
const oldKeyAfterReset = await manager.verifyApiKey(firstKey);
say(
  'The administrator resets the key (confirming first).',
  oldKeyAfterReset.isErr()
    ? `The old key is refused at once: ${oldKeyAfterReset.error.type}.`
    : 'The old key still works: that would be a bug!',
  `A new claim went out: SMS ${reset.value.delivery.sms.status}, email ${reset.value.delivery.email.status}.`,
);

ports.clock.advance(20 * 60 * 1000);
const second = latestClaimMessages();
const reclaimed = await manager.claimApiKey({ token: second.token, code: second.code });
if (reclaimed.isErr()) fail(reclaimed.error);
const secondKey = reclaimed.value.apiKey;
const newKeyWorks = await manager.verifyApiKey(secondKey);
say(
  'The partner claims the new key with the new link and code.',
  `New key ${hint(secondKey)} verifies: ${newKeyWorks.isOk()}.`,
);

ports.clock.advance(7 * 24 * 60 * 60 * 1000);
const deactivated = await manager.deactivateAccount(admin, account.id);
if (deactivated.isErr()) fail(deactivated.error);
const whileOff = await manager.verifyApiKey(secondKey);
say(
  'The administrator unticks "This API is active".',
  whileOff.isErr()
    ? `The key is refused: ${whileOff.error.type}.`
    : 'The key still works: that would be a bug!',
);

ports.clock.advance(2 * 60 * 60 * 1000);
const reactivated = await manager.reactivateAccount(admin, account.id);
if (reactivated.isErr()) fail(reactivated.error);
const whileOn = await manager.verifyApiKey(secondKey);
say('They tick it again.', `The same key works again: ${whileOn.isOk()}.`);

const notAdmin: Actor = { id: 'pat.boxoffice', roles: ['Box Office'] };
const forbidden = await manager.listAccounts(notAdmin);
say(
  'A box-office user without the Settings Administrator role looks at the list.',
  forbidden.isErr() ? `Refused: ${forbidden.error.message}` : 'Unexpectedly allowed!',
);

const history = await manager.accountHistory(admin, account.id);
if (history.isErr()) fail(history.error);
say(
  'The account history, oldest first, ready for the audit log:',
  ...history.value.items.map(
    (event) =>
      `${event.at.toISOString()}  ${event.type.padEnd(20)} by ${event.actorId ?? 'the partner'}`,
  ),
);

console.log('\nDone. Next: read README.md, or run the tests with `npm test`.');
