/**
 * Characters that may hide or disguise text in an admin screen or a log line:
 * C0/C1 controls, line and paragraph separators, and the bidirectional
 * formatting marks used in "RTL override" spoofing.
 */
const CONTROL_CHARACTER = /[\p{Cc}\p{Zl}\p{Zp}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** A UTF-16 surrogate without its partner: not a Unicode character, and not storable as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether `text` contains a control or bidi-formatting character.
 *
 * @example
 * ```ts
 * hasControlCharacter('ACME\u202Eevil'); // true
 * ```
 */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/**
 * Whether `text` contains a lone surrogate (ill-formed UTF-16).
 *
 * @example
 * ```ts
 * hasLoneSurrogate('\uD800'); // true
 * ```
 */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
