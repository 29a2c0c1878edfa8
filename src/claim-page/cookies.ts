/**
 * The value of cookie `name` in a `Cookie` header, or `undefined`.
 */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * A `Set-Cookie` value for the claim cookie: HttpOnly, `SameSite=Lax` (sent
 * when the emailed link is opened from a mail client, not on cross-site
 * POSTs), scoped to the page's path.
 */
export function claimCookie(
  name: string,
  value: string,
  options: { readonly path: string; readonly secure: boolean; readonly maxAgeSeconds: number },
): string {
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
