/**
 * Request headers: a Fetch `Headers`, or a plain record such as Node's
 * `IncomingHttpHeaders` (names matched without regard to case).
 *
 * @example
 * ```ts
 * const headers: HeaderSource = { authorization: 'SpektrixAPI3 ACME:…', date: 'Wed, 21 Oct 2020 07:28:00 GMT' };
 * ```
 */
export type HeaderSource =
  | {
      /** The header's value, or `null` (as Fetch `Headers.get` answers). */
      get(name: string): string | null;
    }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * One header's value, whatever shape the headers come in; the first of
 * repeated values. `null` when absent.
 */
export function headerValue(headers: HeaderSource, name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name);
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let value = record[name];
  if (value === undefined) {
    const wanted = name.toLowerCase();
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === wanted) {
        value = record[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : null;
  return typeof value === 'string' ? value : null;
}
