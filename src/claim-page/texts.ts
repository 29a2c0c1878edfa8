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
  /** When the link stops working. */
  readonly expires: (expiresAt: Date) => string;
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
  expires: (expiresAt) => `This link expires on ${expiresAt.toUTCString()}.`,
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
