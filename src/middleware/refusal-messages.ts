import type { TextLanguage } from '../core/messages/languages.js';

/**
 * What the middleware tells a client it refused, one text per answer. Each
 * can be replaced (`MiddlewareOptions.messages`); `refusalMessages.de`
 * holds the German ones. Texts never say whether a key or username exists.
 *
 * @example
 * ```ts
 * const messages: Partial<RefusalMessages> = { invalidToken: 'This key does not open our API.' };
 * ```
 */
export interface RefusalMessages {
  readonly missingCredentials: string;
  /** An unknown key (and, for signed requests, an unknown user or a bad signature: `invalidSignature`). */
  readonly invalidToken: string;
  readonly malformedKey: string;
  readonly keyExpired: string;
  readonly accountInactive: string;
  readonly malformedHeader: string;
  readonly missingDate: string;
  readonly malformedDate: string;
  readonly staleDate: string;
  readonly invalidSignature: string;
  /** Given the scopes the key lacks. */
  readonly insufficientScope: (missing: readonly string[]) => string;
  readonly ipNotAllowed: string;
  /** Given the budget and when to come back. */
  readonly rateLimited: (limit: number, windowSeconds: number, retryAfterSeconds: number) => string;
  /** Given the quota, its UTC period and when the next one starts. */
  readonly quotaExceeded: (limit: number, period: 'day' | 'month', resetsAt: Date) => string;
  /** Given the largest body read, in bytes. */
  readonly bodyTooLarge: (limit: number) => string;
  readonly unreadableBody: string;
  readonly temporarilyUnavailable: string;
}

const english: RefusalMessages = {
  missingCredentials: 'Send an API key (Authorization: Bearer <key>) or a SpektrixAPI3 signature.',
  invalidToken: 'The API key is not valid.',
  malformedKey: 'The API key is malformed; check that it was copied whole.',
  keyExpired: 'This API key has expired; ask the box office for a new one.',
  accountInactive: 'This API account is switched off; ask the box office to switch it on.',
  malformedHeader:
    'The Authorization header must read: SpektrixAPI3 <username>:<base64 signature>.',
  missingDate: 'Send the Date header that the signature covers.',
  malformedDate:
    'The Date header must be an HTTP date (RFC 9110), such as Wed, 21 Oct 2020 07:28:00 GMT.',
  staleDate:
    "The Date header is too far from the server's clock; sign each request with the current time.",
  invalidSignature: 'The signature could not be verified.',
  insufficientScope: (missing) =>
    `This API key lacks the scope${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that this request needs; ask the box office to grant it.`,
  ipNotAllowed:
    "This API account may not be used from this address; ask the box office to add it to the account's allowed addresses.",
  rateLimited: (limit, windowSeconds, retryAfterSeconds) =>
    `Too many requests: this API account may make ${limit} per ${windowSeconds} s. Try again in ${retryAfterSeconds} s.`,
  quotaExceeded: (limit, period, resetsAt) =>
    `This API account has used its quota of ${limit} calls this ${period} (UTC). More are allowed from ${resetsAt.toISOString()}; ask the box office for a larger plan.`,
  bodyTooLarge: (limit) =>
    `The request body is larger than the ${limit} bytes a signed request may have.`,
  unreadableBody: 'The request body could not be read.',
  temporarilyUnavailable: 'Authentication is unavailable; try again shortly.',
};

const german: RefusalMessages = {
  missingCredentials:
    'Senden Sie einen API-Schlüssel (Authorization: Bearer <Schlüssel>) oder eine SpektrixAPI3-Signatur.',
  invalidToken: 'Der API-Schlüssel ist nicht gültig.',
  malformedKey: 'Der API-Schlüssel ist fehlerhaft; prüfen Sie, ob er vollständig kopiert wurde.',
  keyExpired: 'Dieser API-Schlüssel ist abgelaufen; bitten Sie die Kasse um einen neuen.',
  accountInactive: 'Dieses API-Konto ist abgeschaltet; bitten Sie die Kasse, es einzuschalten.',
  malformedHeader:
    'Der Authorization-Header muss lauten: SpektrixAPI3 <Benutzername>:<Base64-Signatur>.',
  missingDate: 'Senden Sie den Date-Header, den die Signatur abdeckt.',
  malformedDate:
    'Der Date-Header muss ein HTTP-Datum sein (RFC 9110), etwa Wed, 21 Oct 2020 07:28:00 GMT.',
  staleDate:
    'Der Date-Header weicht zu weit von der Serveruhr ab; signieren Sie jede Anfrage mit der aktuellen Zeit.',
  invalidSignature: 'Die Signatur konnte nicht geprüft werden.',
  insufficientScope: (missing) =>
    `Diesem API-Schlüssel fehlt der Geltungsbereich ${missing.join(', ')}, den diese Anfrage braucht; bitten Sie die Kasse, ihn freizugeben.`,
  ipNotAllowed:
    'Dieses API-Konto darf von dieser Adresse aus nicht genutzt werden; bitten Sie die Kasse, sie zu den erlaubten Adressen hinzuzufügen.',
  rateLimited: (limit, windowSeconds, retryAfterSeconds) =>
    `Zu viele Anfragen: Dieses API-Konto darf ${limit} pro ${windowSeconds} s stellen. Versuchen Sie es in ${retryAfterSeconds} s erneut.`,
  quotaExceeded: (limit, period, resetsAt) =>
    `Dieses API-Konto hat sein Kontingent von ${limit} Aufrufen für diesen ${period === 'day' ? 'Tag' : 'Monat'} (UTC) verbraucht. Weitere sind ab ${resetsAt.toISOString()} möglich; bitten Sie die Kasse um ein größeres Kontingent.`,
  bodyTooLarge: (limit) =>
    `Der Anfragetext ist größer als die ${limit} Bytes, die eine signierte Anfrage haben darf.`,
  unreadableBody: 'Der Anfragetext konnte nicht gelesen werden.',
  temporarilyUnavailable:
    'Die Anmeldung ist gerade nicht verfügbar; versuchen Sie es gleich erneut.',
};

/**
 * The middleware's refusal texts in each language shipped: English (the
 * default) and German.
 *
 * @example
 * ```ts
 * expressAuth(manager, { messages: refusalMessages.de });
 * ```
 */
export const refusalMessages: Readonly<Record<TextLanguage, RefusalMessages>> = {
  en: english,
  de: german,
};
