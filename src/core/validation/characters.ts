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
 */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/**
 * Whether `text` contains a lone surrogate (ill-formed UTF-16).
 */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/**
 * Characters that render as nothing, or as a space that is not a space: format
 * characters (zero-width space and joiners, soft hyphen, word joiner…), every
 * other default-ignorable code point (variation selectors, Hangul fillers…),
 * and separators other than U+0020 (no-break, em, ideographic spaces…). A name
 * holding one looks like another name.
 */
const INVISIBLE_CHARACTER = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Z}]/u;

/**
 * Whether `text` holds a character that is invisible or a look-alike space
 * (anything in {@link INVISIBLE_CHARACTER} but U+0020).
 */
export function hasInvisibleCharacter(text: string): boolean {
  return INVISIBLE_CHARACTER.test(text.replaceAll(' ', ''));
}
