import type { TextLanguage } from '../core/messages/languages.js';

/**
 * Every sentence the claim page shows, so a host can reword or translate it
 * without forking. Plain text: the page escapes it.
 *
 * @example
 * ```ts
 * const texts: Partial<ClaimPageTexts> = { title: 'Récupérer votre clé API', submit: 'Valider' };
 * ```
 */
export interface ClaimPageTexts {
  readonly title: string;
  readonly intro: string;
  readonly codeLabel: string;
  /** Under the field: where the code went, e.g. `Sent to +44 ••••••• 456.` */
  readonly codeHint: (maskedPhone: string) => string;
  /** When the link stops working; `formatted` is the time as the messages write it (page `lang`, `timeZone`). */
  readonly expires: (expiresAt: Date, formatted: string) => string;
  readonly submit: string;
  /** After a wrong code, with the attempts left (at least 1). */
  readonly wrongCode: (attemptsRemaining: number) => string;
  readonly successTitle: string;
  readonly usernameLabel: string;
  readonly keyLabel: string;
  readonly keyWarning: string;
  readonly copy: string;
  readonly copied: string;
  readonly askAdministrator: string;
  readonly notFoundTitle: string;
  readonly notFound: string;
  readonly expiredTitle: string;
  readonly expired: string;
  readonly lockedTitle: string;
  readonly locked: string;
  readonly inactiveTitle: string;
  readonly inactive: string;
  readonly missingTitle: string;
  readonly missing: string;
  readonly formExpiredTitle: string;
  readonly formExpired: string;
  readonly tooManyTitle: string;
  readonly tooMany: string;
  readonly unavailableTitle: string;
  readonly unavailable: string;
}

/**
 * The default English texts.
 *
 * @example
 * ```ts
 * defaultClaimPageTexts.wrongCode(2); // 'That code is not right. 2 attempts left.'
 * ```
 */
export const defaultClaimPageTexts: ClaimPageTexts = {
  title: 'Claim your API key',
  intro: 'Enter the 6-digit code we sent by SMS to collect your API key.',
  codeLabel: 'Code from the SMS',
  codeHint: (maskedPhone) => `Sent to ${maskedPhone}.`,
  expires: (_expiresAt, formatted) => `This link expires on ${formatted}.`,
  submit: 'Show my API key',
  wrongCode: (n) =>
    n === 1
      ? 'That code is not right. 1 attempt left.'
      : `That code is not right. ${n} attempts left.`,
  successTitle: 'Your API key',
  usernameLabel: 'Username',
  keyLabel: 'API key',
  keyWarning:
    'Copy the key now and keep it somewhere safe. It will not be shown again, here or anywhere else.',
  copy: 'Copy key',
  copied: 'Copied',
  askAdministrator: 'Ask your administrator to send you a new link.',
  notFoundTitle: 'This link does not work',
  notFound: 'The link is not valid, was already used, or was replaced by a newer one.',
  expiredTitle: 'This link has expired',
  expired: 'Links to claim an API key work for a limited time.',
  lockedTitle: 'Too many wrong codes',
  locked: 'This link is locked because the code was entered wrongly too many times.',
  inactiveTitle: 'This API account is switched off',
  inactive: 'The key cannot be collected while the account is switched off.',
  missingTitle: 'Open the link from your email',
  missing:
    'This page needs the link from the email we sent you. Open that link again, in a browser that accepts cookies from this site (the page keeps the link in one while you enter the code).',
  formExpiredTitle: 'Please try again',
  formExpired: 'The form had expired. Open the link from your email again.',
  tooManyTitle: 'Too many tries',
  tooMany: 'Please wait a few minutes, then try again.',
  unavailableTitle: 'Something went wrong on our side',
  unavailable: 'Please try again in a few minutes. Your link still works.',
};

/**
 * The German texts, chosen when the page's `lang` is `de` or one of its
 * regions.
 *
 * @example
 * ```ts
 * germanClaimPageTexts.wrongCode(2); // 'Der Code stimmt nicht. Noch 2 Versuche.'
 * ```
 */
export const germanClaimPageTexts: ClaimPageTexts = {
  title: 'API-Schlüssel abholen',
  intro:
    'Geben Sie den 6-stelligen Code ein, den wir Ihnen per SMS geschickt haben, um Ihren API-Schlüssel abzuholen.',
  codeLabel: 'Code aus der SMS',
  codeHint: (maskedPhone) => `Gesendet an ${maskedPhone}.`,
  expires: (_expiresAt, formatted) => `Dieser Link läuft am ${formatted} ab.`,
  submit: 'API-Schlüssel anzeigen',
  wrongCode: (n) =>
    n === 1
      ? 'Der Code stimmt nicht. Noch 1 Versuch.'
      : `Der Code stimmt nicht. Noch ${n} Versuche.`,
  successTitle: 'Ihr API-Schlüssel',
  usernameLabel: 'Benutzername',
  keyLabel: 'API-Schlüssel',
  keyWarning:
    'Kopieren Sie den Schlüssel jetzt und bewahren Sie ihn sicher auf. Er wird nie wieder angezeigt, weder hier noch anderswo.',
  copy: 'Schlüssel kopieren',
  copied: 'Kopiert',
  askAdministrator: 'Bitten Sie Ihren Administrator, Ihnen einen neuen Link zu schicken.',
  notFoundTitle: 'Dieser Link funktioniert nicht',
  notFound: 'Der Link ist ungültig, wurde schon benutzt oder durch einen neueren ersetzt.',
  expiredTitle: 'Dieser Link ist abgelaufen',
  expired: 'Links zum Abholen eines API-Schlüssels gelten nur eine begrenzte Zeit.',
  lockedTitle: 'Zu viele falsche Codes',
  locked: 'Dieser Link ist gesperrt, weil der Code zu oft falsch eingegeben wurde.',
  inactiveTitle: 'Dieses API-Konto ist abgeschaltet',
  inactive: 'Der Schlüssel kann nicht abgeholt werden, solange das Konto abgeschaltet ist.',
  missingTitle: 'Öffnen Sie den Link aus Ihrer E-Mail',
  missing:
    'Diese Seite braucht den Link aus der E-Mail, die wir Ihnen geschickt haben. Öffnen Sie ihn erneut, in einem Browser, der Cookies dieser Seite annimmt (die Seite hält den Link in einem, während Sie den Code eingeben).',
  formExpiredTitle: 'Bitte versuchen Sie es erneut',
  formExpired: 'Das Formular war abgelaufen. Öffnen Sie den Link aus Ihrer E-Mail erneut.',
  tooManyTitle: 'Zu viele Versuche',
  tooMany: 'Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.',
  unavailableTitle: 'Bei uns ist etwas schiefgegangen',
  unavailable: 'Bitte versuchen Sie es in einigen Minuten erneut. Ihr Link funktioniert weiterhin.',
};

/**
 * The page's texts for each language it ships: English and German.
 *
 * @example
 * ```ts
 * claimPage(manager, { lang: 'de-AT', texts: { title: 'Schlüssel holen' } }); // German, one sentence replaced
 * ```
 */
export const claimPageTexts: Readonly<Record<TextLanguage, ClaimPageTexts>> = {
  en: defaultClaimPageTexts,
  de: germanClaimPageTexts,
};
