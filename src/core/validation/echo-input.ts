const ECHO_LIMIT = 256;

/**
 * The part of a rejected input that an error echoes back: whole when short,
 * otherwise its start and a note of its length, so that a 1 MB input does not
 * become a 1 MB error message or log line.
 */
export function echoInput(input: string): string {
  if (input.length <= ECHO_LIMIT) return input;
  return `${input.slice(0, ECHO_LIMIT)}…(${input.length} characters)`;
}

/**
 * A printable stand-in for a value that was not a string at all.
 */
export function describeNonString(value: unknown): string {
  return `[${value === null ? 'null' : typeof value}]`;
}
