const SECRET_FIELD =
  /(api_?key|apikey|secret|token|^code$|password|passphrase|authorization|cookie|sealed|signature|^key$|^text$|^html$)/i;

// Shapes of the SDK's secrets inside free text: base64 keys (44 characters
// ending in =), prefixed keys, base64url claim tokens (43 characters), and
// six-digit codes standing alone.
const SECRET_SHAPES: readonly RegExp[] = [
  /[A-Za-z0-9+/]{43}=/g,
  /\b[A-Za-z][A-Za-z0-9_]{0,31}_[0-9A-Za-z]{49}\b/g,
  // Lookarounds, not \b: a token may begin or end with '-', which \b treats
  // as a boundary character and so would let such a token through.
  /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  /(?<![\d+])\d{6}(?!\d)/g,
];

const MAX_DEPTH = 5;
const MAX_STRING = 2_000;

/**
 * A copy of `value` safe to log: fields named like secrets (`apiKey`,
 * `token`, `code`, `authorization`, message `text`/`html`…) become
 * `[redacted]`, strings shaped like keys, tokens or codes are masked, errors
 * become `{ name, message, code }`, and depth, length and cycles are bounded.
 *
 * @example
 * ```ts
 * redactSecrets({ token: 'abc', note: 'key dGhpcyBpcyBhIHRlc3QgdGhpcyBpcyBhIHRlc3QgMTIzNDU=' });
 * // { token: '[redacted]', note: 'key [redacted]' }
 * ```
 */
export function redactSecrets(value: unknown): unknown {
  return redact(value, 0, new WeakSet());
}

/**
 * Masks the shapes of keys, tokens and codes in free text.
 *
 * @example
 * ```ts
 * redactText('code 123456 for +447894123456'); // 'code [redacted] for +447894123456'
 * ```
 */
export function redactText(text: string): string {
  let out = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
  for (const shape of SECRET_SHAPES) out = out.replace(shape, '[redacted]');
  return out;
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? `[${typeof value}]` : value;
  }
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[deep]';
  seen.add(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return '[bytes]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redactText(value.message),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      ...('cause' in value ? { cause: redact(value.cause, depth + 1, seen) } : {}),
    };
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    out[name] = SECRET_FIELD.test(name) ? '[redacted]' : redact(field, depth + 1, seen);
  }
  return out;
}
