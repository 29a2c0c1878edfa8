/** Characters of standard base64, as a table by char code (a regex costs more per request). */
const BASE64_CHARACTER = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  BASE64_CHARACTER[c.charCodeAt(0)] = 1;

/**
 * Whether the characters of `text` from `start` up to `end` (exclusive) are
 * all standard base64 (`A–Z a–z 0–9 + /`), without padding.
 */
export function isBase64Run(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || BASE64_CHARACTER[code] !== 1) return false;
  }
  return true;
}
