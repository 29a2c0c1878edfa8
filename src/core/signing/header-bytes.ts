/**
 * Node and Fetch hand over header values one character per byte (Latin-1). A
 * client that sent UTF-8 (a non-ASCII username) signed the UTF-8 text; this
 * reads those bytes back as that text. Bytes that are not UTF-8 stay as Latin-1 characters, and a string
 * already holding characters past U+00FF (built in process, not received)
 * is taken as it is.
 */
export function textFromLatin1Bytes(raw: string): string {
  // Characters past U+00FF cannot have come off the wire: the string was built in process.
  if (isAscii(raw) || /[\u0100-\uffff]/.test(raw)) return raw;
  try {
    return strictUtf8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    return raw;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The other way: text as its UTF-8 bytes, one character per byte, which Fetch
 * `Headers` and Node's `http` both send unchanged. ASCII is unchanged.
 */
export function latin1BytesOfText(text: string): string {
  return isAscii(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

function isAscii(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  return /^[\x00-\x7f]*$/.test(text);
}
