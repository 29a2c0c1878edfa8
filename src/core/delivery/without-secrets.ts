const MAX_DEPTH = 4;
const REDACTED = '[redacted]';
const IN_PROGRESS = Symbol('in progress');

/**
 * `value` with every occurrence of the given secrets replaced by
 * `[redacted]`, in strings, in errors (message and stack included) and in
 * objects and arrays, down to a bounded depth. A number whose digits hold a
 * secret becomes `[redacted]` as a whole.
 *
 * A sender's failure is outside the SDK's control: a host's adapter may quote
 * the message it was sending ("could not send 'Your code is 123456'"). The
 * core knows the claim's code and token exactly, so it takes them out of what
 * it reports instead of guessing at their shape. What holds no secret comes
 * back as the very same object, so hosts keep their error's identity, class
 * and stack.
 *
 * @example
 * ```ts
 * withoutSecrets(new Error('SMS "code 123456" refused'), ['123456']).message;
 * // 'SMS "code [redacted]" refused'
 * ```
 */
export function withoutSecrets<T>(value: T, secrets: readonly string[]): T {
  const present = secrets.filter((secret) => secret.length > 0);
  return scrub(value, present, 0, new Map()) as T;
}

function scrub(
  value: unknown,
  secrets: readonly string[],
  depth: number,
  copies: Map<object, unknown>,
): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (typeof value === 'number' || typeof value === 'bigint') {
    // A code can travel as a number too (`{ code: 482913 }`).
    const digits = String(value);
    return secrets.some((secret) => digits.includes(secret)) ? REDACTED : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (copies.has(value)) {
    const copy = copies.get(value);
    // A cycle back into an object still being scrubbed: keep it only if clean.
    return copy === IN_PROGRESS ? (mentionsAny(value, secrets) ? REDACTED : value) : copy;
  }
  if (depth >= MAX_DEPTH) return mentionsAny(value, secrets) ? REDACTED : value;
  copies.set(value, IN_PROGRESS);
  const names = Object.getOwnPropertyNames(value);
  // Field names too: `{ "482913": "sent" }` would otherwise carry the code.
  const scrubbed = new Map<string, { readonly name: string; readonly value: unknown }>();
  for (const name of names) {
    const field = readField(value, name);
    const clean = scrub(field, secrets, depth + 1, copies);
    const cleanName = scrubText(name, secrets);
    if (clean !== field || cleanName !== name)
      scrubbed.set(name, { name: cleanName, value: clean });
  }
  if (scrubbed.size === 0) {
    copies.set(value, value);
    return value;
  }
  // A copy with the same prototype, so `instanceof DeliveryError` still holds.
  const copy: object = Array.isArray(value) ? [] : Object.create(Object.getPrototypeOf(value));
  copies.set(value, copy);
  for (const name of names) {
    const descriptor = Object.getOwnPropertyDescriptor(value, name) as PropertyDescriptor;
    const change = scrubbed.get(name);
    Object.defineProperty(
      copy,
      change?.name ?? name,
      // A getter that gave a secret away is replaced by its scrubbed value.
      change
        ? {
            value: change.value,
            enumerable: descriptor.enumerable === true,
            configurable: true,
            writable: true,
          }
        : descriptor,
    );
  }
  return copy;
}

function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.replaceAll(secret, REDACTED);
  return out;
}

// An own field's value, getters included; a getter that throws counts as absent.
function readField(value: object, name: string): unknown {
  try {
    return (value as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

// Past the depth limit, or on a cycle, a cheap check decides whether to drop
// the whole value; what cannot be serialised is dropped to be safe.
function mentionsAny(value: object, secrets: readonly string[]): boolean {
  const seen = new WeakSet<object>();
  let text: string;
  try {
    text = JSON.stringify(value, function visible(this: unknown, _name, field: unknown) {
      if (typeof field === 'bigint') return String(field);
      if (typeof field !== 'object' || field === null) return field;
      if (seen.has(field)) return undefined;
      seen.add(field);
      // JSON leaves out an error's message and stack: they are not enumerable.
      return field instanceof Error
        ? { ...field, message: field.message, stack: field.stack, cause: field.cause }
        : field;
    });
  } catch {
    return true;
  }
  return secrets.some((secret) => text.includes(secret));
}
