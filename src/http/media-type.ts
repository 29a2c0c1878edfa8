/**
 * Whether a `Content-Type` names JSON: `application/json` or a
 * `application/<something>+json` type, with parameters after a `;` and
 * nothing else (not `application/json-evil`).
 */
export function isJsonMediaType(contentType: string | null): boolean {
  const essence = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/.test(essence);
}
