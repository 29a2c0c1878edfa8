import type { TextLanguage } from './languages.js';

/**
 * Why a claim is being sent: a new account, a key reset, a planned rotation
 * (the current key works on for a while), a resend of a pending claim, or a
 * key found in public and revoked (`context.leak` says where).
 *
 * @example
 * ```ts
 * const sms: SmsTemplate = (context, code) => context.reason === 'reset' ? `New key code: ${code}` : `Code: ${code}`;
 * ```
 */
export type ClaimReason = 'created' | 'reset' | 'rotated' | 'resent' | 'leaked';

/** What the default claim messages say, in one language. */
export interface ClaimWording {
  /** SMS texts from the fullest to the shortest; the first that fits one segment is sent. */
  readonly sms: (system: string, code: string, username: string, expires: string) => string[];
  readonly smsFallback: (code: string) => string;
  readonly subject: (system: string, username: string) => string;
  /** The subject when the key was found in public. */
  readonly leakedSubject: (system: string, username: string) => string;
  readonly intro: (reason: ClaimReason, username: string, system: string) => string;
  /** Where a leaked key was found, and what to do: it goes after the intro. */
  readonly leakedWhere: (source: string, url: string | null) => string;
  readonly steps: string;
  readonly linkText: string;
  readonly expiresLine: (expires: string) => string;
  readonly once: string;
  readonly ignore: string;
}

/** What the default reminders say, in one language. */
export interface ReminderWording {
  readonly subject: (system: string, username: string, expires: string) => string;
  readonly expiry: (system: string, username: string, expires: string) => string;
  readonly rotationOpened: string;
  readonly askForNewKey: (system: string) => string;
  readonly sms: (system: string, username: string, expires: string) => string[];
  readonly smsFallback: (expires: string) => string;
}

export const CLAIM_WORDING: Readonly<Record<TextLanguage, ClaimWording>> = {
  en: {
    sms: (system, code, username, expires) => [
      `${system}: ${code} is your code to claim the API key of "${username}". Expires ${expires}. Shown once. Never share it.`,
      `${system}: ${code} is your code to claim your API key. Expires ${expires}. Shown once. Never share it.`,
      `${system}: ${code} is your API key claim code. Expires ${expires}.`,
      `${code} is your API key claim code. Expires ${expires}. Never share it.`,
    ],
    smsFallback: (code) => `${code} is your API key claim code.`,
    subject: (system, username) => `${system}: claim the API key of "${username}"`,
    leakedSubject: (system, username) =>
      `${system}: the API key of "${username}" was found in public and has been revoked`,
    intro: (reason, username, system) => {
      switch (reason) {
        case 'created':
          return `An API account "${username}" was created for you on ${system}.`;
        case 'reset':
          return `The API key of "${username}" on ${system} was reset. The old key no longer works.`;
        case 'rotated':
          return `A new API key for "${username}" on ${system} is ready to claim. The current key keeps working for a grace period after you claim the new one, so you can switch over without downtime.`;
        case 'resent':
          return `Here is a new link to claim the API key of "${username}" on ${system}. Earlier links no longer work.`;
        case 'leaked':
          return `The API key of "${username}" on ${system} was found in public, so we revoked it: it no longer works. A new key is on its way.`;
      }
    },
    leakedWhere: (source, url) =>
      `It was reported by ${source}${url ? `, found at ${url}` : ''}. Remove it from there (and from the history of any repository that held it), then put the new key where your integration reads it, never in code.`,
    steps: 'Open this secure page and enter the code we sent to your mobile phone by SMS:',
    linkText: 'Claim your API key',
    expiresLine: (expires) => `The link works once and expires on ${expires}.`,
    once: 'The API key will be shown only once, so keep it somewhere safe.',
    ignore: 'If you did not expect this email, you can ignore it.',
  },
  de: {
    sms: (system, code, username, expires) => [
      `${system}: ${code} ist Ihr Code, um den API-Schlüssel von "${username}" abzuholen. Gültig bis ${expires}. Nur einmal angezeigt. Nie weitergeben.`,
      `${system}: ${code} ist Ihr Code, um Ihren API-Schlüssel abzuholen. Gültig bis ${expires}. Nur einmal angezeigt. Nie weitergeben.`,
      `${system}: ${code} ist Ihr Code für den API-Schlüssel. Gültig bis ${expires}.`,
      `${code} ist Ihr Code für den API-Schlüssel. Gültig bis ${expires}. Nie weitergeben.`,
    ],
    smsFallback: (code) => `${code} ist Ihr Code für den API-Schlüssel.`,
    subject: (system, username) => `${system}: API-Schlüssel von "${username}" abholen`,
    leakedSubject: (system, username) =>
      `${system}: Der API-Schlüssel von "${username}" wurde öffentlich gefunden und gesperrt`,
    intro: (reason, username, system) => {
      switch (reason) {
        case 'created':
          return `Für Sie wurde das API-Konto "${username}" bei ${system} angelegt.`;
        case 'reset':
          return `Der API-Schlüssel von "${username}" bei ${system} wurde zurückgesetzt. Der alte Schlüssel funktioniert nicht mehr.`;
        case 'rotated':
          return `Ein neuer API-Schlüssel für "${username}" bei ${system} liegt zur Abholung bereit. Der aktuelle Schlüssel funktioniert nach der Abholung des neuen noch eine Übergangszeit lang, sodass Sie ohne Unterbrechung umstellen können.`;
        case 'resent':
          return `Hier ist ein neuer Link, um den API-Schlüssel von "${username}" bei ${system} abzuholen. Frühere Links funktionieren nicht mehr.`;
        case 'leaked':
          return `Der API-Schlüssel von "${username}" bei ${system} wurde öffentlich gefunden. Wir haben ihn deshalb gesperrt: Er funktioniert nicht mehr. Ein neuer Schlüssel ist unterwegs.`;
      }
    },
    leakedWhere: (source, url) =>
      `Gemeldet hat ihn ${source}${url ? `, gefunden unter ${url}` : ''}. Entfernen Sie ihn dort (auch aus der Historie jedes Repositorys, das ihn enthielt), und legen Sie den neuen Schlüssel dort ab, wo Ihre Integration ihn liest, nie im Code.`,
    steps:
      'Öffnen Sie diese sichere Seite und geben Sie den Code ein, den wir Ihnen per SMS an Ihr Mobiltelefon geschickt haben:',
    linkText: 'API-Schlüssel abholen',
    expiresLine: (expires) => `Der Link funktioniert einmal und läuft am ${expires} ab.`,
    once: 'Der API-Schlüssel wird nur einmal angezeigt. Bewahren Sie ihn sicher auf.',
    ignore: 'Wenn Sie diese E-Mail nicht erwartet haben, können Sie sie ignorieren.',
  },
};

export const REMINDER_WORDING: Readonly<Record<TextLanguage, ReminderWording>> = {
  en: {
    subject: (system, username, expires) =>
      `${system}: the API key of "${username}" expires on ${expires}`,
    expiry: (system, username, expires) =>
      `The API key of "${username}" on ${system} expires on ${expires}. After that, requests made with it are refused.`,
    rotationOpened:
      'A new key is ready: we have sent a separate email with a link to claim it, and an SMS code. The current key keeps working until it expires, so switch over before then.',
    askForNewKey: (system) => `Ask your contact at ${system} for a new key before then.`,
    sms: (system, username, expires) => [
      `${system}: the API key of "${username}" expires ${expires}. Check your email.`,
      `${system}: your API key expires ${expires}.`,
    ],
    smsFallback: (expires) => `Your API key expires ${expires}.`,
  },
  de: {
    subject: (system, username, expires) =>
      `${system}: Der API-Schlüssel von "${username}" läuft am ${expires} ab`,
    expiry: (system, username, expires) =>
      `Der API-Schlüssel von "${username}" bei ${system} läuft am ${expires} ab. Danach werden Anfragen mit ihm abgelehnt.`,
    rotationOpened:
      'Ein neuer Schlüssel liegt bereit: Wir haben Ihnen eine separate E-Mail mit einem Link zur Abholung und einen SMS-Code geschickt. Der aktuelle Schlüssel funktioniert bis zu seinem Ablauf; stellen Sie also vorher um.',
    askForNewKey: (system) =>
      `Bitten Sie Ihren Ansprechpartner bei ${system} vorher um einen neuen Schlüssel.`,
    sms: (system, username, expires) => [
      `${system}: Der API-Schlüssel von "${username}" läuft am ${expires} ab. Bitte E-Mail prüfen.`,
      `${system}: Ihr API-Schlüssel läuft am ${expires} ab.`,
    ],
    smsFallback: (expires) => `Ihr API-Schlüssel läuft am ${expires} ab.`,
  },
};
