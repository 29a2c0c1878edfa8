import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../core/crypto/constant-time-equal.js';

/**
 * The form's CSRF token for one claim link: an HMAC of the link's token under
 * the page's secret. Only a page that was shown the link can post its form.
 */
export function csrfTokenFor(secret: string, claimToken: string): string {
  return createHmac('sha256', secret).update(`claim-page:${claimToken}`).digest('base64url');
}

/**
 * Whether `presented` is the CSRF token for `claimToken`, compared in constant time.
 */
export function isCsrfTokenFor(secret: string, claimToken: string, presented: unknown): boolean {
  return (
    typeof presented === 'string' && constantTimeEqual(presented, csrfTokenFor(secret, claimToken))
  );
}
