import type { ApiAccount } from '../core/account.js';
import type { Actor } from '../core/actor.js';
import type { ApiAccountError } from '../core/errors.js';
import type { ApiAccountManager } from '../core/manager.js';
import type { QuotaStatus } from '../core/operations/account-usage.js';
import { listQueryFromText } from '../core/operations/list-query-text.js';
import type { AccountInput } from '../core/operations/validate-profile.js';
import type { ResultAsync } from '../core/result.js';
import { type LoadedConfig, UsageError } from './config.js';

type Values = Readonly<Record<string, string | boolean | undefined>>;

/** What a command is run with. */
export interface CommandCall {
  readonly config: LoadedConfig;
  /** The operator, administering `tenant` alone. */
  readonly actor: Actor;
  /** The tenant the command acts in (`--tenant`, default `'default'`). */
  readonly tenant: string;
  readonly id: string;
  readonly values: Values;
  /** Progress and prompts, for people: stderr. */
  readonly progress: (line: string) => void;
  /** Asks on a terminal; `null` when there is none to ask on. */
  readonly ask: ((question: string) => Promise<string>) | null;
}

/** What a command gives back: a value for `--json`, and the same for people. */
export type Outcome =
  | { readonly ok: true; readonly value: unknown; readonly text: string }
  | { readonly ok: false; readonly error: ApiAccountError };

/** One command of the command line. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Whether it takes an account id as its argument. */
  readonly takesId: boolean;
  readonly options: Readonly<
    Record<string, { readonly type: 'string' | 'boolean'; readonly help: string }>
  >;
  readonly run: (call: CommandCall) => Promise<Outcome>;
}

const when = (date: Date | null) => (date ? date.toISOString() : '-');

function stateOf(account: ApiAccount): string {
  return account.keyIssuedAt ? 'key issued' : account.claimPending ? 'claim pending' : 'no key';
}

/** An account as lines of `field: value`, for people; with its quota's use when known. */
export function describeAccount(
  account: ApiAccount & { readonly quotaStatus?: QuotaStatus | null },
): string {
  const { quotaStatus } = account;
  return [
    ['id', account.id],
    ['tenant', account.tenant],
    ['username', account.username],
    ['email', account.email],
    ['phone', account.phone],
    ['active', account.active ? 'yes' : 'no'],
    ['state', stateOf(account)],
    ['key issued', when(account.keyIssuedAt)],
    ['key expires', when(account.keyExpiresAt)],
    ['previous key ends', when(account.previousKeyEndsAt)],
    ['last used', when(account.lastUsedAt)],
    ['scopes', account.scopes.join(', ') || '-'],
    ['allowed addresses', account.allowedIps.join(', ') || 'anywhere'],
    [
      'rate limit',
      account.rateLimit
        ? `${account.rateLimit.limit} per ${account.rateLimit.windowMs / 1000} s`
        : 'default',
    ],
    ['quota', account.quota ? `${account.quota.limit} per ${account.quota.period}` : 'default'],
    ...(quotaStatus === undefined
      ? []
      : [
          [
            'quota used',
            quotaStatus
              ? `${quotaStatus.used} of ${quotaStatus.limit} this ${quotaStatus.period} (UTC), until ${quotaStatus.resetsAt.toISOString()}`
              : 'no quota applies',
          ],
        ]),
    ['version', String(account.version)],
  ]
    .map(([field, value]) => `${`${field}:`.padEnd(19)}${value}`)
    .join('\n');
}

/** An error for people: its type and message, and each invalid field on a line of its own. */
export function describeError(error: ApiAccountError): string {
  const lines = [`${error.type}: ${error.message}`];
  if (error.type === 'InvalidInput' && error.fields) {
    for (const { field, reason, message } of error.fields) {
      lines.push(`  ${field} (${reason}): ${message}`);
    }
  }
  return lines.join('\n');
}

/** A whole number the option must hold, or a usage error naming it. */
function wholeNumber(values: Values, name: string): number | undefined {
  const value = values[name];
  if (typeof value !== 'string') return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw new UsageError(`--${name} takes a whole number, not ${JSON.stringify(value)}.`);
  }
  return Number(value);
}

/** A date the option must hold (ISO 8601), or a usage error naming it. */
function dateOption(values: Values, name: string): Date | undefined {
  const value = values[name];
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  if (value.trim() === '' || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--${name} takes a date such as 2026-12-01, not ${JSON.stringify(value)}.`,
    );
  }
  return date;
}

/** Rows as an aligned table, with a header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The outcome of a manager call, with how people see its value. */
async function outcome<T>(
  result: ResultAsync<T, ApiAccountError>,
  text: (value: T) => string,
): Promise<Outcome> {
  const settled = await result;
  return settled.isOk()
    ? { ok: true, value: settled.value, text: text(settled.value) }
    : { ok: false, error: settled.error };
}

const issued = (value: {
  account: ApiAccount;
  claim: { expiresAt: Date };
  delivery: { sms: { status: string }; email: { status: string } };
}) =>
  `${describeAccount(value.account)}\n${'claim expires:'.padEnd(19)}${value.claim.expiresAt.toISOString()}\n${'SMS:'.padEnd(19)}${value.delivery.sms.status}\n${'email:'.padEnd(19)}${value.delivery.email.status}`;

const list = (value: string | boolean | undefined) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : undefined;

/** `600/60`: 600 per 60 seconds; `default`: the manager's. */
function rateLimitOf(value: string): { limit: number; windowMs: number } | null {
  if (value === 'default') return null;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  if (!match) throw new UsageError('--rate-limit takes LIMIT/SECONDS (600/60) or default.');
  return { limit: Number(match[1]), windowMs: Number(match[2]) * 1000 };
}

/** `1000/month` or `500/day`: a quota per UTC period; `default`: the manager's. */
function quotaOf(value: string): { limit: number; period: 'day' | 'month' } | null {
  if (value === 'default') return null;
  const match = /^(\d+)\/(day|month)$/.exec(value);
  if (!match)
    throw new UsageError('--quota takes LIMIT/day or LIMIT/month (100000/month) or default.');
  return { limit: Number(match[1]), period: match[2] as 'day' | 'month' };
}

/** Asks for the confirmation a reset or rotation needs: `--yes`, or "yes" typed on a terminal. */
async function confirmed(call: CommandCall, what: string): Promise<boolean> {
  if (call.values['yes'] === true) return true;
  if (!call.ask) return false;
  const answer = await call.ask(`${what} Type yes to go on: `);
  return answer.trim().toLowerCase() === 'yes';
}

const PROFILE_OPTIONS = {
  username: { type: 'string', help: "The partner's name (the company name is recommended)" },
  email: { type: 'string', help: 'Its email address (a change cancels a pending claim)' },
  phone: {
    type: 'string',
    help: 'Its mobile phone, international form (a change cancels a pending claim)',
  },
} as const;

/** The profile fields given on the command line. */
function profileFrom(values: Values): { username?: string; email?: string; phone?: string } {
  const given = (name: string) =>
    typeof values[name] === 'string' ? { [name]: values[name] } : {};
  return { ...given('username'), ...given('email'), ...given('phone') };
}

const ACCESS_OPTIONS = {
  scopes: { type: 'string', help: 'Declared scopes it may use, comma-separated' },
  'allowed-ips': {
    type: 'string',
    help: 'Addresses and CIDR ranges, comma-separated (empty: anywhere)',
  },
  'rate-limit': { type: 'string', help: 'Its own rate limit, LIMIT/SECONDS (600/60), or default' },
  quota: { type: 'string', help: 'Its own quota, LIMIT/day or LIMIT/month (UTC), or default' },
} as const;

function accessFrom(values: Values) {
  const scopes = list(values['scopes']);
  const allowedIps =
    typeof values['allowed-ips'] === 'string' ? (list(values['allowed-ips']) ?? []) : undefined;
  const rateLimit =
    typeof values['rate-limit'] === 'string' ? rateLimitOf(values['rate-limit']) : undefined;
  const quota = typeof values['quota'] === 'string' ? quotaOf(values['quota']) : undefined;
  return {
    ...(scopes === undefined ? {} : { scopes }),
    ...(allowedIps === undefined ? {} : { allowedIps }),
    ...(rateLimit === undefined ? {} : { rateLimit }),
    ...(quota === undefined ? {} : { quota }),
  };
}

const manager = (call: CommandCall): ApiAccountManager => call.config.manager;

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'migrate',
    summary: "Create or upgrade the store's tables (idempotent)",
    takesId: false,
    options: {},
    run: async (call) => {
      const { store } = call.config;
      if (!store) {
        throw new UsageError(
          'The configuration has no store to migrate: export the manager options (with store), or a named export store.',
        );
      }
      call.progress('Migrating the store…');
      await store.migrate();
      call.progress('Migrated.');
      return { ok: true, value: { migrated: true }, text: 'The store is migrated.' };
    },
  },
  {
    name: 'list',
    summary: 'List API accounts, filtered and sorted',
    takesId: false,
    options: {
      active: { type: 'boolean', help: 'Only switched-on accounts' },
      inactive: { type: 'boolean', help: 'Only switched-off accounts' },
      state: { type: 'string', help: 'claim_pending, key_issued or no_key' },
      search: { type: 'string', help: 'Username or email prefix' },
      'unused-since': {
        type: 'string',
        help: 'Never used, or last used before this date (ISO 8601)',
      },
      sort: { type: 'string', help: 'username, createdAt or lastUsedAt' },
      limit: { type: 'string', help: 'Accounts per page (default 50)' },
      cursor: { type: 'string', help: 'Where a previous page ended' },
      all: { type: 'boolean', help: 'Every page' },
    },
    run: async (call) => {
      const { values } = call;
      const flag = (name: string) => {
        const value = values[name];
        return typeof value === 'string' ? value : undefined;
      };
      const limit = wholeNumber(values, 'limit');
      const unusedSince = dateOption(values, 'unused-since');
      const query = listQueryFromText((name) => {
        if (name === 'limit') return String(limit ?? 50);
        if (name === 'unusedSince') return unusedSince?.toISOString();
        if (name === 'active') {
          return values['active'] === true
            ? 'true'
            : values['inactive'] === true
              ? 'false'
              : undefined;
        }
        return flag(name);
      });
      const items: ApiAccount[] = [];
      let cursor = query.cursor;
      let page = 0;
      for (;;) {
        const listed = await manager(call).listAccounts(call.actor, {
          ...query,
          ...(cursor ? { cursor } : {}),
        });
        if (listed.isErr()) return { ok: false, error: listed.error };
        items.push(...listed.value.items);
        page += 1;
        cursor = listed.value.nextCursor ?? undefined;
        if (values['all'] !== true || !cursor) {
          const value = { items, nextCursor: cursor ?? null, total: listed.value.total };
          const rows = items.map((a) => [
            a.id,
            a.username,
            a.email,
            stateOf(a),
            a.active ? 'yes' : 'no',
            when(a.lastUsedAt),
          ]);
          const more = cursor ? `\nMore: --cursor ${cursor}` : '';
          return {
            ok: true,
            value,
            text: `${table(['ID', 'USERNAME', 'EMAIL', 'STATE', 'ACTIVE', 'LAST USED'], rows)}\n${items.length} of ${listed.value.total}${more}`,
          };
        }
        call.progress(`Page ${page}: ${items.length} of ${listed.value.total} accounts…`);
      }
    },
  },
  {
    name: 'show',
    summary: "Show one API account, with its quota's use this period",
    takesId: true,
    options: {},
    run: (call) =>
      outcome(
        manager(call)
          .getAccount(call.actor, call.id)
          .andThen((account) =>
            manager(call)
              .quotaStatus(call.actor, call.id)
              .map((quotaStatus) => ({ ...account, quotaStatus })),
          ),
        describeAccount,
      ),
  },
  {
    name: 'create',
    summary: 'Create an API account; the claim goes out by SMS and email',
    takesId: false,
    options: { ...PROFILE_OPTIONS, ...ACCESS_OPTIONS },
    run: (call) =>
      outcome(
        // What is left out is for the SDK to refuse, with every missing field named.
        manager(call).createAccount(call.actor, {
          tenant: call.tenant,
          ...profileFrom(call.values),
          ...accessFrom(call.values),
        } as AccountInput),
        issued,
      ),
  },
  {
    name: 'update',
    summary: 'Edit username, email, phone or access (deactivate and reactivate switch it)',
    takesId: true,
    options: { ...PROFILE_OPTIONS, ...ACCESS_OPTIONS },
    run: (call) =>
      outcome(
        manager(call).updateAccount(call.actor, call.id, {
          ...profileFrom(call.values),
          ...accessFrom(call.values),
        }),
        describeAccount,
      ),
  },
  {
    name: 'reset',
    summary: 'Reset the key: it stops at once, and a new claim goes out',
    takesId: true,
    options: { yes: { type: 'boolean', help: 'Confirm without asking' } },
    run: async (call) => {
      const confirm = await confirmed(
        call,
        `Reset the key of ${call.id}? It stops working at once.`,
      );
      return outcome(
        manager(call).resetApiKey(call.actor, call.id, { confirm } as { confirm: true }),
        issued,
      );
    },
  },
  {
    name: 'rotate',
    summary: 'Rotate the key: a new claim goes out, the old key works for a grace period',
    takesId: true,
    options: {
      yes: { type: 'boolean', help: 'Confirm without asking' },
      'grace-hours': {
        type: 'string',
        help: 'How long the old key works after the new one is claimed',
      },
    },
    run: async (call) => {
      const grace = wholeNumber(call.values, 'grace-hours');
      const confirm = await confirmed(call, `Rotate the key of ${call.id}?`);
      const options = {
        confirm,
        ...(grace === undefined ? {} : { graceMs: grace * 3_600_000 }),
      } as { confirm: true };
      return outcome(manager(call).rotateApiKey(call.actor, call.id, options), issued);
    },
  },
  {
    name: 'deactivate',
    summary: 'Switch access off: the key stops, nothing is deleted',
    takesId: true,
    options: {},
    run: (call) => outcome(manager(call).deactivateAccount(call.actor, call.id), describeAccount),
  },
  {
    name: 'reactivate',
    summary: 'Switch access on again: the same key works',
    takesId: true,
    options: {},
    run: (call) => outcome(manager(call).reactivateAccount(call.actor, call.id), describeAccount),
  },
  {
    name: 'resend-claim',
    summary: 'Send a fresh claim in place of the pending one; earlier links stop working',
    takesId: true,
    options: {},
    run: (call) => outcome(manager(call).resendClaim(call.actor, call.id), issued),
  },
  {
    name: 'end-grace',
    summary: 'Stop the previous key of a rotation now',
    takesId: true,
    options: {},
    run: (call) => outcome(manager(call).endGracePeriod(call.actor, call.id), describeAccount),
  },
  {
    name: 'delete',
    summary: 'Delete the account: its keys stop at once; the history keeps an anonymised entry',
    takesId: true,
    options: { yes: { type: 'boolean', help: 'Confirm without asking' } },
    run: async (call) => {
      const confirm = await confirmed(
        call,
        `Delete ${call.id}? Its keys stop at once and it cannot be undone.`,
      );
      return outcome(
        manager(call).deleteAccount(call.actor, call.id, { confirm } as { confirm: true }),
        ({ accountId, deletedAt }) => `Deleted ${accountId} at ${deletedAt.toISOString()}.`,
      );
    },
  },
  {
    name: 'usage',
    summary: 'Accepted and refused verifications per UTC day (default: the last 30 days)',
    takesId: true,
    options: {
      from: { type: 'string', help: 'The first day (ISO 8601; default 29 days before --to)' },
      to: { type: 'string', help: 'The last day (ISO 8601; default today)' },
    },
    run: (call) => {
      const from = dateOption(call.values, 'from');
      const to = dateOption(call.values, 'to');
      return outcome(
        manager(call).accountUsage(call.actor, call.id, {
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        }),
        ({ items }) =>
          table(
            ['DAY', 'ACCEPTED', 'REFUSED'],
            items.map((day) => [day.day, String(day.accepted), String(day.refused)]),
          ),
      );
    },
  },
  {
    name: 'history',
    summary: "The account's events, oldest first",
    takesId: true,
    options: {},
    run: (call) =>
      outcome(manager(call).accountHistory(call.actor, call.id), ({ items }) =>
        table(
          ['AT', 'EVENT', 'BY'],
          items.map((event) => [
            event.at.toISOString(),
            event.type,
            event.actorId ?? 'the partner',
          ]),
        ),
      ),
  },
  {
    name: 'run-due-tasks',
    summary: 'Send expiry reminders, open automatic rotations, end grace periods',
    takesId: false,
    options: {},
    run: async (call) => {
      call.progress('Running due tasks…');
      const done = await manager(call).runDueTasks({
        onProgress: (p) =>
          call.progress(
            `${p.accountsChecked} accounts checked: ${p.remindersSent} reminders, ${p.rotationsOpened} rotations, ${p.graceEnded} grace periods ended, ${p.keysExpired} keys expired…`,
          ),
      });
      if (done.isErr()) return { ok: false, error: done.error };
      call.progress('Done.');
      const counts = done.value as unknown as Record<string, number>;
      return {
        ok: true,
        value: counts,
        text: Object.entries(counts)
          .map(([name, count]) => `${`${name}:`.padEnd(19)}${count}`)
          .join('\n'),
      };
    },
  },
];
