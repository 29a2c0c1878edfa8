/**
 * Node and Fetch hand over header values and request targets one character
 * per byte (Latin-1). A client that sent UTF-8 (a non-ASCII username, a raw
 * `é` in a path) signed the UTF-8 text; this reads those bytes back as that
 * text. Bytes that are not UTF-8 stay as Latin-1 characters, and a string
 * already holding characters past U+00FF (built in process, not received)
 * is taken as it is.
 *
 * @example
 * ```ts
 * textFromLatin1Bytes('ThÃ©Ã¢tre'); // 'Théâtre'
 * textFromLatin1Bytes('Th\u00e9'); // 'Thé' (not UTF-8: read as Latin-1)
 * ```
 */
export function textFromLatin1Bytes(raw: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (/^[\x00-\x7f]*$/.test(raw) || /[^\x00-\xff]/.test(raw)) return raw;
  try {
    return strictUtf8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    return raw;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
