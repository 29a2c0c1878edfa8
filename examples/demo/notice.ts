/**
 * The one-line notice shown after an action ("API account created. SMS sent;
 * email sent."), carried to the next page in a short-lived cookie. Not in the
 * URL: a link could then make an administrator's screen say anything.
 */
const NOTICE_COOKIE = 'demo_notice';
const PATH = '/settings/api-accounts';

/** `response` (a redirect) with `notice` set for the page it leads to. */
export function withNotice(response: Response, notice: string): Response {
  return withNoticeCookie(response, encodeURIComponent(notice), 60);
}

/** The notice waiting in the request's cookies, if any, read once. */
export function takeNotice(cookieHeader: string | null): string | null {
  const match = new RegExp(`(?:^|;\\s*)${NOTICE_COOKIE}=([^;]*)`).exec(cookieHeader ?? '');
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]).slice(0, 300);
  } catch {
    return null;
  }
}

/** `response` with the notice cookie cleared, once it has been shown. */
export function noticeShown(response: Response): Response {
  return withNoticeCookie(response, '', 0);
}

function withNoticeCookie(response: Response, value: string, maxAgeSeconds: number): Response {
  response.headers.append(
    'set-cookie',
    `${NOTICE_COOKIE}=${value}; Path=${PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict`,
  );
  return response;
}
