/*
 * The one way secrets are taken out of what leaves the core: log fields, a
 * sender's failure handed back to the host, and the serialised form of an
 * object that carries a key or claim secrets to its caller.
 */

const REDACTED = '[redacted]';

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
const MAX_ITEMS = 50;

/**
 * A plain copy of `value` safe to log or hand back: fields named like
 * secrets (`apiKey`, `token`, `code`, `authorization`, message
 * `text`/`html`…) become `[redacted]`; in text, the `known` secrets (the
 * claim's code and token while its messages go out) and anything shaped like
 * a key, token or code are masked, and so is a number whose digits hold a
 * known secret; errors become `{ name, message, …their own fields, cause }`;
 * depth, length and cycles are bounded.
 */
export function redactSecrets(value: unknown, known: readonly string[] = []): unknown {
  const secrets = known.filter((secret) => secret.length > 0);
  const text = (raw: string): string => {
    let out = raw.length > MAX_STRING ? `${raw.slice(0, MAX_STRING)}…` : raw;
    for (const secret of secrets) out = out.replaceAll(secret, REDACTED);
    for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
    return out;
  };
  const seen = new WeakSet<object>();
  const walk = (field: unknown, depth: number): unknown => {
    if (typeof field === 'string') return text(field);
    if (typeof field === 'number' || typeof field === 'bigint') {
      // A code can travel as a number too (`{ sent: 482913 }`).
      const digits = String(field);
      if (secrets.some((secret) => digits.includes(secret))) return REDACTED;
      return typeof field === 'bigint' ? digits : field;
    }
    if (typeof field === 'function' || typeof field === 'symbol') return `[${typeof field}]`;
    if (field === null || typeof field !== 'object') return field;
    if (seen.has(field)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[deep]';
    seen.add(field);
    if (field instanceof Date) return Number.isNaN(field.getTime()) ? null : field.toISOString();
    if (field instanceof Uint8Array) return '[bytes]';
    if (Array.isArray(field)) return field.slice(0, MAX_ITEMS).map((item) => walk(item, depth + 1));
    const isError = field instanceof Error;
    const out: Record<string, unknown> = isError
      ? { name: text(field.name), message: text(field.message) }
      : {};
    for (const name of Object.keys(field)) {
      // An error's `code` is a status such as ECONNRESET; anywhere else it may be the claim's.
      const hidden = SECRET_FIELD.test(name) && !(isError && name === 'code');
      out[text(name)] = hidden ? REDACTED : walk(readField(field, name), depth + 1);
    }
    // An error's own cause is not enumerable; one assigned later is, and was walked above.
    if (isError && 'cause' in field && !('cause' in out))
      out['cause'] = walk(field.cause, depth + 1);
    return out;
  };
  return walk(value, 0);
}

// A getter that throws counts as absent.
function readField(value: object, name: string): unknown {
  try {
    return (value as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

/**
 * Gives an object that carries secrets to its caller (a claim's code and
 * token) a `toJSON` and a Node `inspect` that redact them, so a stray log
 * line cannot leak them; reading the fields is unchanged. With `json:
 * 'keep'` only `inspect` redacts: for the claimed key, whose JSON is how a
 * host hands it to the partner's screen (a redacted one would lose the key
 * for good).
 */
export function hideFromSerialisation<T extends object>(
  value: T,
  options: { readonly json?: 'redact' | 'keep' } = {},
): T {
  const redacted = () => redactSecrets({ ...value });
  if (options.json !== 'keep') {
    Object.defineProperty(value, 'toJSON', { value: redacted, enumerable: false });
  }
  Object.defineProperty(value, Symbol.for('nodejs.util.inspect.custom'), {
    value: redacted,
    enumerable: false,
  });
  return value;
}
