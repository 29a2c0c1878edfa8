import { randomBytes } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { inMemoryRateLimiter } from '../core/access/in-memory-rate-limiter.js';
import { textLanguageOf } from '../core/messages/languages.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { RateLimit } from './rate-limit.js';
import { type ClaimPageTexts, claimPageTexts } from './texts.js';

/**
 * Colours and branding, checked at start-up so nothing a host passes can
 * break out of the page's CSS or HTML.
 *
 * @example
 * ```ts
 * const theme: ClaimPageTheme = { primaryColor: '#7a1f5c', logoUrl: 'https://cdn.riverside.example/logo.svg' };
 * ```
 */
export interface ClaimPageTheme {
  /** Buttons, links and the focus ring. Default `#1f5c99`. */
  readonly primaryColor?: string;
  readonly backgroundColor?: string;
  readonly textColor?: string;
  /** An absolute http(s) URL; its origin is added to the page's `img-src`. */
  readonly logoUrl?: string;
}

/**
 * How {@link claimPage} looks and protects itself.
 *
 * @example
 * ```ts
 * const options: ClaimPageOptions = {
 *   systemName: 'Riverside Theatre',
 *   clientIp: (request) => request.headers.get('x-real-ip') ?? undefined,
 *   csrfSecret: process.env.CLAIM_PAGE_SECRET,
 * };
 * ```
 */
export interface ClaimPageOptions {
  /** Shown in the header and the title. Default `'Box Office'`. */
  readonly systemName?: string;
  readonly theme?: ClaimPageTheme;
  /** Replace any sentence of the page. */
  readonly texts?: Partial<ClaimPageTexts>;
  /**
   * The page's language (a BCP 47 tag): its `lang`, its texts (German for
   * `de` and its regions, English otherwise) and how it writes the link's
   * expiry, as the claim messages do. Default `'en'`.
   */
  readonly lang?: string;
  /** The IANA time zone the expiry is shown in, as in the messages (`messages.timeZone`). Default `'UTC'`. */
  readonly timeZone?: string;
  /**
   * The client's address, for the per-IP limit. A Web `Request` does not
   * carry it: pass it from your server (`req.socket.remoteAddress`, or a header
   * your proxy sets). Without it only the per-link limit applies.
   */
  readonly clientIp?: (request: Request) => string | undefined;
  /** Code submissions per IP. Default 30 per 15 minutes. */
  readonly perIpLimit?: RateLimit;
  /** Code submissions per link. Default 10 per 15 minutes (the claim itself allows 5 wrong codes). */
  readonly perLinkLimit?: RateLimit;
  /**
   * Where the per-IP and per-link limits are counted. Default
   * `inMemoryRateLimiter()`: each instance counts alone, so behind N instances
   * an address gets N times the budget. Give every instance one shared
   * limiter, such as `redisRateLimiter({ client })` from `api-accounts/redis`.
   */
  readonly rateLimiter?: RateLimiter;
  /**
   * Keys the form's CSRF tokens. Give the same secret (32+ characters) to every
   * instance behind a load balancer; default a random one per process.
   */
  readonly csrfSecret?: string;
  /**
   * Whether the link cookie is `Secure`. Default: yes, unless the page is
   * served over plain HTTP on a loopback address (local development). Set it
   * to `true` behind a proxy that terminates TLS.
   */
  readonly secureCookie?: boolean;
  /**
   * The origin browsers see, e.g. `https://box-office.example`, when a proxy
   * in front of the page changes the scheme or host the handler receives.
   * Browsers that do not send `Sec-Fetch-Site` have their `Origin` compared
   * with it; it also makes the link cookie `Secure` when it is https. Default:
   * the origin of `request.url`.
   */
  readonly publicOrigin?: string;
  /** The cookie that holds the link's token after the first load. Default `api_accounts_claim`. */
  readonly cookieName?: string;
  /** Told about failures the page answers with 500/503. Never given a token, code or key. */
  readonly onError?: (error: { readonly type: string; readonly message: string }) => void;
  /** Milliseconds since the epoch, for the rate limits. Default `Date.now`. */
  readonly now?: () => number;
}

/** The options with defaults applied and checked. */
export interface ResolvedClaimPageOptions {
  readonly systemName: string;
  readonly texts: ClaimPageTexts;
  readonly lang: string;
  readonly timeZone: string;
  readonly colors: { readonly primary: string; readonly background: string; readonly text: string };
  readonly logoUrl: string | null;
  readonly clientIp: (request: Request) => string | undefined;
  readonly perIpLimit: RateLimit;
  readonly perLinkLimit: RateLimit;
  readonly rateLimiter: RateLimiter;
  readonly csrfSecret: string;
  /** `undefined` when only each request's own URL can tell (no option, no `publicOrigin`). */
  readonly secureCookie: boolean | undefined;
  readonly publicOrigin: string | null;
  readonly cookieName: string;
  readonly onError: (error: { readonly type: string; readonly message: string }) => void;
  readonly now: () => number;
}

const COLOR = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(rgb|hsl)a?\([0-9.,%\s]{5,40}\))$/;

/**
 * Applies defaults; throws a `TypeError` naming the option a host got wrong.
 */
export function resolveClaimPageOptions(options: ClaimPageOptions): ResolvedClaimPageOptions {
  const theme = options.theme ?? {};
  const color = (name: keyof ClaimPageTheme, fallback: string) => {
    const value = theme[name] ?? fallback;
    if (!COLOR.test(value)) throw new TypeError(`claimPage: theme.${name} is not a colour`);
    return value;
  };
  let logoUrl: string | null = null;
  if (theme.logoUrl !== undefined) {
    const url = URL.canParse(theme.logoUrl) ? new URL(theme.logoUrl) : null;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new TypeError('claimPage: theme.logoUrl must be an absolute http(s) URL');
    }
    logoUrl = url.href;
  }
  if (options.csrfSecret !== undefined && options.csrfSecret.length < 32) {
    throw new TypeError('claimPage: csrfSecret must be at least 32 characters');
  }
  let publicUrl: URL | null = null;
  if (options.publicOrigin !== undefined) {
    publicUrl = URL.canParse(options.publicOrigin) ? new URL(options.publicOrigin) : null;
    if (!publicUrl || (publicUrl.protocol !== 'https:' && publicUrl.protocol !== 'http:')) {
      throw new TypeError(
        'claimPage: publicOrigin must be an http(s) origin such as https://box-office.example',
      );
    }
  }
  const lang = options.lang ?? 'en';
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/.test(lang)) {
    throw new TypeError('claimPage: lang must be a language tag such as en-GB');
  }
  const cookieName = options.cookieName ?? 'api_accounts_claim';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cookieName)) {
    throw new TypeError('claimPage: cookieName may hold only letters, digits, _ and -');
  }
  for (const [name, limit] of Object.entries({
    perIpLimit: options.perIpLimit,
    perLinkLimit: options.perLinkLimit,
  })) {
    if (
      limit &&
      !(
        Number.isSafeInteger(limit.max) &&
        limit.max > 0 &&
        Number.isSafeInteger(limit.windowMs) &&
        limit.windowMs > 0
      )
    ) {
      throw new TypeError(`claimPage: ${name} needs a positive max and windowMs`);
    }
  }
  return {
    systemName: options.systemName ?? 'Box Office',
    texts: { ...claimPageTexts[textLanguageOf(lang)], ...options.texts },
    lang,
    timeZone: checkedTimeZone(options.timeZone ?? 'UTC'),
    colors: {
      primary: color('primaryColor', '#1f5c99'),
      background: color('backgroundColor', '#f6f7f9'),
      text: color('textColor', '#1d2330'),
    },
    logoUrl,
    clientIp: options.clientIp ?? (() => undefined),
    perIpLimit: options.perIpLimit ?? { max: 30, windowMs: 15 * 60_000 },
    perLinkLimit: options.perLinkLimit ?? { max: 10, windowMs: 15 * 60_000 },
    rateLimiter: options.rateLimiter ?? inMemoryRateLimiter({ now: options.now ?? Date.now }),
    csrfSecret: options.csrfSecret ?? randomBytes(32).toString('base64url'),
    secureCookie:
      options.secureCookie ?? (publicUrl === null ? undefined : !isPlainHttpLoopback(publicUrl)),
    publicOrigin: publicUrl?.origin ?? null,
    cookieName,
    onError: options.onError ?? (() => undefined),
    now: options.now ?? Date.now,
  };
}

/**
 * Whether `url` is plain HTTP on a loopback address: local development, the
 * one place the link cookie may go without `Secure`.
 */
export function isPlainHttpLoopback(url: URL): boolean {
  const host = url.hostname;
  // Only an IP literal in 127.0.0.0/8 is loopback: a name such as
  // `127.box-office.example` resolves wherever its owner likes.
  return (
    url.protocol === 'http:' &&
    (host === 'localhost' || host === '[::1]' || (isIPv4(host) && host.startsWith('127.')))
  );
}

function checkedTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    throw new TypeError(`claimPage: timeZone '${timeZone}' is not a known time zone`);
  }
}
