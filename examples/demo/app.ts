import {
  type AccountStore,
  type ApiAccountError,
  ApiAccountManager,
  aesGcmSealer,
  type Clock,
  defaultEmailTemplate,
  defaultSmsTemplate,
} from 'api-accounts';
import { claimPage, clientAddress } from 'api-accounts/claim-page';
import { type ApiAccountsEnv, honoAuth } from 'api-accounts/middleware';
import { type GitHubPublicKey, githubSecretScanning } from 'api-accounts/secret-scanning';
import { inMemoryUserDirectory } from 'api-accounts/testing';
import { type Context, Hono } from 'hono';
import { type AccessForm, DEMO_QUOTA, DEMO_RATE_LIMIT, DEMO_SCOPES } from './access.js';
import { devInbox } from './inbox.js';
import { DEMO_CSS, layout } from './layout.js';
import { noticeShown, takeNotice, withNotice } from './notice.js';
import { DEMO_USERS, type DemoUser, userFromCookie, VENUES } from './users.js';
import {
  type AccountForm,
  accountListPage,
  accountPage,
  deliveryNotice,
  errorPage,
  forbiddenPage,
  inboxPage,
  type ListFilters,
  newAccountPage,
  resetConfirmPage,
  rotateConfirmPage,
  signInPage,
} from './views.js';

/** A day in milliseconds. */
const DAY_MS = 86_400_000;

/** A claim message's context, signed by the account's own venue. */
function inVenue<C extends { readonly tenant: string; readonly systemName: string }>(
  context: C,
): C {
  return { ...context, systemName: VENUES[context.tenant] ?? context.systemName };
}

/** What the demo is built from; the tests pass an in-memory database and a settable clock. */
export interface DemoOptions {
  readonly store: AccountStore;
  readonly clock: Clock;
  /** 32 bytes that seal keys for SpektrixAPI3 signed requests. */
  readonly sealingKey: Uint8Array;
  /** Where the server is reached, for the claim links in emails. */
  readonly origin: () => string;
  /**
   * The base URL partners sign against, when the demo runs behind a proxy
   * (`PUBLIC_BASE_URL`), and the `Date` window (`DATE_WINDOW_MS`).
   */
  readonly signedRequests?: { readonly publicBaseUrl?: string; readonly dateWindowMs?: number };
  /** Told of every refused API call, with its precise reason (the terminal, in `npm start`). */
  readonly onRefused?: (line: string) => void;
  /**
   * The keys that sign leak reports at `POST /github/secret-scanning`: in the
   * demo a local stand-in for GitHub's (`examples/secret-scanning/report.mjs`
   * signs with its private half). Without it, the receiver is not mounted.
   */
  readonly secretScanningKeys?: () => Promise<readonly GitHubPublicKey[]>;
}

type Env = ApiAccountsEnv;

/**
 * The demo box office: the administrator's "Settings › Users › API Accounts"
 * screens, a development inbox, the SDK's claim page, and a protected sample
 * API, as one fetch-style handler.
 */
export function createDemoApp(options: DemoOptions) {
  const inbox = devInbox(options.clock);
  const manager = new ApiAccountManager({
    store: options.store,
    clock: options.clock,
    directory: inMemoryUserDirectory(),
    sms: inbox.sms,
    email: inbox.email,
    sealer: aesGcmSealer({ keys: { demo: options.sealingKey }, current: 'demo' }),
    claimUrl: (token) => `${options.origin()}/api-access/claim?token=${token}`,
    ...(options.signedRequests ? { signedRequests: options.signedRequests } : {}),
    systemName: 'Riverside Theatre',
    // One deployment, two venues: each partner hears from the venue its account belongs to.
    messages: {
      sms: (context, code) => defaultSmsTemplate(inVenue(context), code),
      email: (context, link) => defaultEmailTemplate(inVenue(context), link),
    },
    phone: {},
    delivery: { attempts: 1 },
    // Keys live a year, with reminders; the "Run due tasks" button stands in for the host's cron.
    keyLifetime: { ms: 365 * DAY_MS, reminders: [30 * DAY_MS, 7 * DAY_MS] },
    // Last use shows within seconds in the demo (hosts keep the default minute).
    usage: { flushIntervalMs: 5_000 },
    // Least privilege: what a key may call, and how fast (an account can have its own limit).
    scopes: DEMO_SCOPES,
    defaultScopes: ['customers:read'],
    rateLimit: DEMO_RATE_LIMIT,
    // Partners buy a plan: calls per month, metered in this process (redisQuotaCounter behind several).
    quota: DEMO_QUOTA,
  });
  const page = claimPage(manager, {
    systemName: 'Riverside Theatre',
    theme: { primaryColor: '#5a2d82' },
    clientIp: clientAddress,
  });

  const app = new Hono<Env>();
  const html = (user: DemoUser | null, title: string, body: string, status = 200) =>
    new Response(layout(title, user, body), {
      status,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    });
  const refused = (user: DemoUser, error: ApiAccountError) =>
    error.type === 'Forbidden'
      ? html(user, 'Forbidden', forbiddenPage(error), 403)
      : html(
          user,
          'Error',
          errorPage('Something went wrong', error),
          error.type === 'AccountNotFound' ? 404 : 500,
        );
  const see = (path: string) => new Response(null, { status: 303, headers: { location: path } });

  // No page of the demo may be framed (clickjacking of the admin forms); the claim page sets its own.
  app.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('content-security-policy')) {
      c.res.headers.set('content-security-policy', "frame-ancestors 'none'");
    }
    c.res.headers.set('x-frame-options', 'DENY');
  });
  app.get('/demo.css', () => new Response(DEMO_CSS, { headers: { 'content-type': 'text/css' } }));
  app.all('/api-access/claim', (c) => page(c.req.raw));
  // Every route of the sample API names the scopes it needs; the rest of the options are shared.
  // Each venue's API lives under its own path, as Spektrix serves /{client}/api/v3: a key of
  // another venue is refused there as an unknown key, and signatures are checked within the venue.
  const apiAuth = (scopes: readonly string[]) =>
    honoAuth(manager, {
      scopes,
      tenant: (c: Context<Env>) => c.req.param('client'),
      // Partners debugging a client see what the server signed; the terminal says why each call was refused.
      explainSignatureFailures: true,
      onRefused: ({ error, response }) => {
        const why = 'reason' in error ? `${error.type} (${error.reason})` : error.type;
        const signed =
          'stringToSign' in error && error.stringToSign
            ? ` signed: ${JSON.stringify(error.stringToSign)}`
            : '';
        options.onRefused?.(`api: refused ${response.status} ${why}${signed}`);
      },
    });
  const CUSTOMERS = [
    { id: 'I-AK11-1ATK', firstName: 'Ada', lastName: 'Lovelace' },
    { id: 'I-BX42-7QPM', firstName: 'Alan', lastName: 'Turing' },
  ];
  // A sample API to try keys and signatures on: reads list the customers, writes echo what arrived.
  app.on(
    ['GET', 'POST', 'PUT', 'DELETE'],
    '/:client/api/v3/customers',
    apiAuth(['customers:read']),
    async (c) => {
      const principal = c.get('principal');
      if (c.req.method === 'GET') return c.json({ principal, customers: CUSTOMERS });
      const received = (await c.req.raw.arrayBuffer()).byteLength;
      return c.json({ principal, method: c.req.method, bodyBytes: received });
    },
  );
  // Creating orders needs a scope accounts do not get by default.
  app.post('/:client/api/v3/orders', apiAuth(['orders:write']), async (c) =>
    c.json({ principal: c.get('principal'), order: { id: 'O-1', status: 'created' } }, 201),
  );
  // Leaked keys, as GitHub's secret scanning reports them (signed; no sign-in, no Origin check).
  if (options.secretScanningKeys) {
    const receiver = githubSecretScanning(manager, {
      publicKeys: options.secretScanningKeys,
      onLeak: (leak) =>
        options.onRefused?.(
          `leak: the ${leak.keyState} key of ${leak.accountId} (${leak.tenant}) was found at ${leak.url ?? leak.source}; stopped`,
        ),
    });
    app.post('/github/secret-scanning', (c) => receiver(c.req.raw));
  }

  // Admin screens: a signed-in demo user, and POSTs only from this origin.
  app.use('*', async (c, next) => {
    if (c.req.method === 'POST') {
      const origin = c.req.header('origin');
      if (origin && origin !== new URL(c.req.url).origin)
        return c.text('Cross-site request refused', 403);
    }
    await next();
  });
  app.get('/', (c) =>
    see(userFromCookie(c.req.header('cookie') ?? null) ? '/settings/api-accounts' : '/sign-in'),
  );
  app.get('/sign-in', () => html(null, 'Sign in', signInPage()));
  app.post('/sign-in', async (c) => {
    const key = String((await c.req.parseBody())['user'] ?? '');
    if (!DEMO_USERS[key]) return see('/sign-in');
    const response = see('/settings/api-accounts');
    response.headers.append('set-cookie', `demo_user=${key}; Path=/; HttpOnly; SameSite=Strict`);
    response.headers.append(
      'set-cookie',
      'demo_venue=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict',
    );
    return response;
  });
  // Sam runs both venues: the switcher shows one at a time, as a multi-venue host's screens would.
  app.post('/venue', async (c) => {
    const user = userFromCookie(c.req.header('cookie') ?? null);
    const venue = String((await c.req.parseBody())['venue'] ?? '');
    if (!user?.venues.includes(venue)) return see('/settings/api-accounts');
    const response = see('/settings/api-accounts');
    response.headers.set('set-cookie', `demo_venue=${venue}; Path=/; HttpOnly; SameSite=Strict`);
    return response;
  });
  app.post('/sign-out', () => {
    const response = see('/sign-in');
    response.headers.set('set-cookie', 'demo_user=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
    return response;
  });
  // Every code and link sent: only for someone signed in to the demo.
  app.get('/dev/inbox', (c) => {
    const user = userFromCookie(c.req.header('cookie') ?? null);
    if (!user) return see('/sign-in');
    return html(user, 'Inbox', inboxPage(inbox.items()));
  });

  const admin = new Hono<Env>();
  admin.use('*', async (c, next) => {
    if (!userFromCookie(c.req.header('cookie') ?? null)) return see('/sign-in');
    await next();
  });
  const userOf = (cookie: string | undefined) => userFromCookie(cookie ?? null) as DemoUser;

  admin.get('/', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const cursor = c.req.query('cursor');
    const state = c.req.query('state');
    const filters: ListFilters = {
      state: state === 'claim_pending' || state === 'key_issued' || state === 'no_key' ? state : '',
      unused90: c.req.query('unused') === '90',
      search: (c.req.query('q') ?? '').slice(0, 100),
    };
    const listed = await manager.listAccounts(user, {
      tenant: user.venue,
      limit: 20,
      ...(cursor ? { cursor } : {}),
      ...(filters.state ? { state: filters.state } : {}),
      ...(filters.unused90
        ? { unusedSince: new Date(options.clock.now().getTime() - 90 * DAY_MS) }
        : {}),
      ...(filters.search ? { search: filters.search } : {}),
    });
    if (listed.isErr()) return refused(user, listed.error);
    const { items, nextCursor, total } = listed.value;
    const notice = takeNotice(c.req.header('cookie') ?? null);
    const page = html(
      user,
      'API Accounts',
      accountListPage(items, nextCursor, total, filters, notice),
    );
    return notice === null ? page : noticeShown(page);
  });
  admin.post('/run-due-tasks', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const allowed = await manager.listAccounts(user, { limit: 1 });
    if (allowed.isErr()) return refused(user, allowed.error);
    const done = await manager.runDueTasks();
    if (done.isErr()) return refused(user, done.error);
    const { remindersSent, rotationsOpened, graceEnded, keysExpired } = done.value;
    return withNotice(
      see('/settings/api-accounts'),
      `Due tasks run: ${remindersSent} reminder(s) sent, ${rotationsOpened} rotation(s) opened, ${graceEnded} grace period(s) ended, ${keysExpired} key(s) expired.`,
    );
  });
  admin.get('/new', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const allowed = await manager.listAccounts(user, { limit: 1 });
    if (allowed.isErr()) return refused(user, allowed.error);
    return html(user, 'New API Account', newAccountPage(emptyForm()));
  });
  admin.post('/new', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const body = await c.req.parseBody();
    const input = {
      username: field(body, 'username'),
      email: field(body, 'email'),
      phone: field(body, 'phone'),
    };
    // New accounts go into the venue on screen.
    const created = await manager.createAccount(user, { ...input, tenant: user.venue });
    if (created.isErr()) {
      const errors = fieldErrors(created.error);
      if (!errors) return refused(user, created.error);
      return html(user, 'New API Account', newAccountPage({ ...input, active: true, errors }), 422);
    }
    return withNotice(
      see(`/settings/api-accounts/${created.value.account.id}`),
      deliveryNotice('API account created.', created.value),
    );
  });
  admin.get('/:id', async (c) => {
    const cookie = c.req.header('cookie') ?? null;
    const notice = takeNotice(cookie);
    const page = await showAccount(
      userOf(cookie ?? undefined),
      c.req.param('id'),
      notice,
      null,
      new URL(c.req.url).origin,
    );
    return notice === null ? page : noticeShown(page);
  });
  admin.post('/:id', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const id = c.req.param('id');
    const body = await c.req.parseBody();
    const patch = {
      username: field(body, 'username'),
      email: field(body, 'email'),
      phone: field(body, 'phone'),
      active: body['active'] === 'on',
      expectedVersion: Number(field(body, 'version')),
    };
    const updated = await manager.updateAccount(user, id, patch);
    if (updated.isOk()) return withNotice(see(`/settings/api-accounts/${id}`), 'Saved.');
    const errors = fieldErrors(updated.error);
    if (!errors) return refused(user, updated.error);
    return showAccount(user, id, null, { ...patch, errors }, new URL(c.req.url).origin);
  });
  admin.post('/:id/access', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const id = c.req.param('id');
    const body = await c.req.parseBody({ all: true });
    const access = accessFromForm(body);
    const updated = await manager.updateAccount(user, id, {
      scopes: access.scopes,
      allowedIps: access.allowedIps,
      rateLimit: access.rateLimit,
      quota: access.quota,
      expectedVersion: Number(field(body, 'version')),
    });
    if (updated.isOk()) return withNotice(see(`/settings/api-accounts/${id}`), 'Access saved.');
    const errors = fieldErrors(updated.error);
    if (!errors) return refused(user, updated.error);
    return showAccount(user, id, null, null, new URL(c.req.url).origin, { ...access.form, errors });
  });
  admin.get('/:id/reset', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const account = await manager.getAccount(user, c.req.param('id'));
    if (account.isErr()) return refused(user, account.error);
    return html(user, 'Reset API Key', resetConfirmPage(account.value));
  });
  admin.post('/:id/reset', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const id = c.req.param('id');
    const confirm = (await c.req.parseBody())['confirm'] === 'yes';
    const reset = await manager.resetApiKey(user, id, { confirm } as { confirm: true });
    if (reset.isErr()) return refused(user, reset.error);
    return withNotice(
      see(`/settings/api-accounts/${id}`),
      deliveryNotice('API key reset: the old key no longer works.', reset.value),
    );
  });
  admin.get('/:id/rotate', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const account = await manager.getAccount(user, c.req.param('id'));
    if (account.isErr()) return refused(user, account.error);
    return html(user, 'Rotate API Key', rotateConfirmPage(account.value));
  });
  admin.post('/:id/rotate', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const id = c.req.param('id');
    const body = await c.req.parseBody();
    const confirm = body['confirm'] === 'yes';
    const graceMs = Number(body['graceMs'] ?? 86_400_000);
    const rotated = await manager.rotateApiKey(user, id, { confirm, graceMs } as {
      confirm: true;
      graceMs: number;
    });
    if (rotated.isErr()) return refused(user, rotated.error);
    return withNotice(
      see(`/settings/api-accounts/${id}`),
      deliveryNotice('Rotation opened: the current key keeps working for now.', rotated.value),
    );
  });
  admin.post('/:id/end-grace', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const id = c.req.param('id');
    const ended = await manager.endGracePeriod(user, id);
    if (ended.isErr()) return refused(user, ended.error);
    return withNotice(see(`/settings/api-accounts/${id}`), 'The previous key no longer works.');
  });
  admin.post('/:id/resend', async (c) => {
    const user = userOf(c.req.header('cookie'));
    const id = c.req.param('id');
    const resent = await manager.resendClaim(user, id);
    if (resent.isErr()) return refused(user, resent.error);
    return withNotice(
      see(`/settings/api-accounts/${id}`),
      deliveryNotice('Claim resent.', resent.value),
    );
  });
  app.route('/settings/api-accounts', admin);

  async function showAccount(
    user: DemoUser,
    id: string,
    notice: string | null,
    form: AccountForm | null,
    origin: string,
    accessForm: AccessForm | null = null,
  ): Promise<Response> {
    const account = await manager.getAccount(user, id);
    if (account.isErr()) return refused(user, account.error);
    const history = await manager.accountHistory(user, id);
    if (history.isErr()) return refused(user, history.error);
    const quota = await manager.quotaStatus(user, id);
    if (quota.isErr()) return refused(user, quota.error);
    const usage = await manager.accountUsage(user, id);
    if (usage.isErr()) return refused(user, usage.error);
    const a = account.value;
    const shown = form ?? {
      username: a.username,
      email: a.email,
      phone: a.phone,
      active: a.active,
      errors: {},
    };
    const access = accessForm ?? {
      scopes: a.scopes,
      allowedIps: a.allowedIps.join('\n'),
      limit: a.rateLimit ? String(a.rateLimit.limit) : '',
      windowSeconds: a.rateLimit ? String(a.rateLimit.windowMs / 1000) : '',
      quotaLimit: a.quota ? String(a.quota.limit) : '',
      quotaPeriod: a.quota?.period ?? 'month',
      errors: {},
    };
    return html(
      user,
      a.username,
      accountPage(a, shown, access, history.value.items, notice, origin, {
        quota: quota.value,
        days: usage.value.items,
        today: options.clock.now(),
      }),
      form || accessForm ? 422 : 200,
    );
  }

  return {
    manager,
    inbox,
    fetch: async (request: Request): Promise<Response> => app.fetch(request),
  };
}

function emptyForm(): AccountForm {
  return { username: '', email: '', phone: '', active: true, errors: {} };
}

function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The access form as posted: the ticked scopes, one address or range per
 * line, an own rate limit when both its boxes are filled and an own quota
 * when its box is (empty: the defaults). Numbers are passed on as typed, for the SDK to judge.
 */
function accessFromForm(body: Record<string, unknown>) {
  const ticked = body['scopes'];
  const scopes = (Array.isArray(ticked) ? ticked : ticked === undefined ? [] : [ticked]).filter(
    (scope): scope is string => typeof scope === 'string',
  );
  const allowedIps = field(body, 'allowedIps');
  const limit = field(body, 'limit').trim();
  const windowSeconds = field(body, 'windowSeconds').trim();
  const quotaLimit = field(body, 'quotaLimit').trim();
  const quotaPeriod = field(body, 'quotaPeriod');
  return {
    scopes,
    allowedIps: allowedIps
      .split(/[\s,]+/)
      .map((line) => line.trim())
      .filter(Boolean),
    rateLimit:
      limit === '' && windowSeconds === ''
        ? null
        : { limit: Number(limit), windowMs: Number(windowSeconds) * 1000 },
    quota: quotaLimit === '' ? null : { limit: Number(quotaLimit), period: quotaPeriod as 'month' },
    form: { scopes, allowedIps, limit, windowSeconds, quotaLimit, quotaPeriod },
  };
}

/** The errors that belong beside a field of the form; `null` for any other error. */
function fieldErrors(error: ApiAccountError): Partial<Record<string, string>> | null {
  switch (error.type) {
    case 'InvalidUsername':
    case 'UsernameTaken':
      return { username: error.message };
    case 'InvalidEmail':
    case 'EmailTaken':
      return { email: error.message };
    case 'InvalidPhone':
      return { phone: error.message };
    case 'Conflict':
      return { form: 'Someone else changed this account meanwhile. Reload and try again.' };
    case 'InvalidInput':
      // Several fields at once: mark each on the form.
      return error.fields
        ? Object.fromEntries(error.fields.map(({ field, message }) => [field, message]))
        : { [error.field]: error.message };
    default:
      return null;
  }
}
