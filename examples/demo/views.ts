import type { AccountEvent, ApiAccount, ApiAccountError, ClaimIssued } from 'api-accounts';
import {
  type AccessForm,
  DEMO_QUOTA,
  DEMO_RATE_LIMIT,
  DEMO_SCOPES,
  describeChanges,
} from './access.js';
import type { InboxItem } from './inbox.js';
import { h } from './layout.js';
import { type UsageView, usageCard } from './usage-card.js';
import { DEMO_USERS } from './users.js';

/** The form's values and the errors to show beside each field. */
export interface AccountForm {
  readonly username: string;
  readonly email: string;
  readonly phone: string;
  readonly active: boolean;
  readonly errors: Partial<Record<'username' | 'email' | 'phone' | 'form', string>>;
}

const when = (date: Date | null) => (date ? h(date.toUTCString()) : '—');

export function signInPage(): string {
  const buttons = Object.entries(DEMO_USERS)
    .map(
      ([key, user]) => `<form method="post" action="/sign-in" class="card">
<input type="hidden" name="user" value="${h(key)}">
<p><strong>${h(user.name)}</strong><br><span class="muted">${h(user.roleLabel)}</span></p>
<button>Sign in as ${h(user.name)}</button>
</form>`,
    )
    .join('\n');
  return `<h1>Sign in</h1>
<p>This demo runs two venues from one deployment. Sam administers both, Casey only Northgate Hall; Robin may not manage API accounts at all.</p>
${buttons}`;
}

export function forbiddenPage(error: ApiAccountError): string {
  return `<h1>Forbidden</h1>
<div class="warn" role="alert">${h(error.message)}</div>
<p>Sign out and sign in as Sam Patel (Settings Administrator) to manage API accounts.</p>`;
}

export function errorPage(title: string, error: ApiAccountError): string {
  return `<h1>${h(title)}</h1><div class="warn" role="alert">${h(error.type)}: ${h(error.message)}</div>
<p><a href="/settings/api-accounts">Back to API accounts</a></p>`;
}

/** The list's filters, as the query string carries them. */
export interface ListFilters {
  readonly state: '' | 'claim_pending' | 'key_issued' | 'no_key';
  readonly unused90: boolean;
  readonly search: string;
}

export function accountListPage(
  items: readonly ApiAccount[],
  nextCursor: string | null,
  total: number,
  filters: ListFilters,
  notice: string | null = null,
): string {
  const rows = items
    .map(
      (a) => `<tr>
<td><a href="/settings/api-accounts/${h(a.id)}">${h(a.username)}</a></td>
<td>${h(a.email)}</td>
<td><span class="pill ${a.active ? 'on' : 'off'}">${a.active ? 'Active' : 'Inactive'}</span></td>
<td>${a.keyIssuedAt ? 'Key issued' : a.claimPending ? 'Claim pending' : 'No key'}${a.previousKeyEndsAt ? ' (rotating)' : ''}</td>
<td>${when(a.keyExpiresAt)}</td>
<td>${when(a.lastUsedAt)}</td>
</tr>`,
    )
    .join('\n');
  const query = new URLSearchParams({
    ...(filters.state ? { state: filters.state } : {}),
    ...(filters.unused90 ? { unused: '90' } : {}),
    ...(filters.search ? { q: filters.search } : {}),
  });
  const more = nextCursor
    ? `<p><a href="/settings/api-accounts?${h(new URLSearchParams({ ...Object.fromEntries(query), cursor: nextCursor }).toString())}">Next page</a></p>`
    : '';
  const option = (value: ListFilters['state'], label: string) =>
    `<option value="${value}"${filters.state === value ? ' selected' : ''}>${label}</option>`;
  return `<h1>API Accounts</h1>
${notice ? `<div class="notice" role="status">${h(notice)}</div>` : ''}
<p class="actions"><a class="button" href="/settings/api-accounts/new">New API Account</a>
<form method="post" action="/settings/api-accounts/run-due-tasks" class="inline"><button class="secondary">Run due tasks</button></form></p>
<form method="get" action="/settings/api-accounts" class="card filters">
<label for="q">Search</label><input id="q" name="q" type="search" value="${h(filters.search)}" placeholder="Username or email">
<label for="state">State</label><select id="state" name="state">${option('', 'Any')}${option('claim_pending', 'Claim pending')}${option('key_issued', 'Key issued')}${option('no_key', 'No key')}</select>
<label class="check"><input type="checkbox" name="unused" value="90"${filters.unused90 ? ' checked' : ''}> Unused for 90 days</label>
<button class="secondary">Filter</button>
</form>
<p class="muted">${total} account${total === 1 ? '' : 's'}</p>
${
  items.length === 0
    ? '<p class="card">No API accounts match.</p>'
    : `<table><thead><tr><th>Username</th><th>Email</th><th>State</th><th>Key</th><th>Key expires</th><th>Last used</th></tr></thead><tbody>${rows}</tbody></table>`
}
${more}`;
}

function fields(form: AccountForm, withActive: boolean): string {
  const field = (name: 'username' | 'email' | 'phone', label: string, type: string, hint = '') => {
    const error = form.errors[name];
    const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : '']
      .filter(Boolean)
      .join(' ');
    return `<label for="${name}">${label}</label>
${hint ? `<p class="muted" id="${name}-hint">${hint}</p>` : ''}
<input id="${name}" name="${name}" type="${type}" value="${h(form[name])}" required${error ? ' aria-invalid="true"' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''}>
${error ? `<p class="field-error" id="${name}-error">${h(error)}</p>` : ''}`;
  };
  return `${form.errors.form ? `<div class="warn" role="alert">${h(form.errors.form)}</div>` : ''}
${field('username', 'Username', 'text', 'The partner’s name; the company name is recommended.')}
${field('email', 'Email', 'email')}
${field('phone', 'Mobile phone', 'tel', 'In international form, e.g. +447894123456.')}
${withActive ? `<label class="check"><input type="checkbox" name="active" value="on"${form.active ? ' checked' : ''}> This API is active</label>` : ''}`;
}

export function newAccountPage(form: AccountForm): string {
  return `<h1>New API Account</h1>
<form method="post" action="/settings/api-accounts/new" class="card" novalidate>
${fields(form, false)}
<div class="actions"><button>Create API account</button><a href="/settings/api-accounts">Cancel</a></div>
</form>`;
}

function accessForm(account: ApiAccount, form: AccessForm): string {
  const error = (name: string) =>
    form.errors[name]
      ? `<p class="field-error" id="${name}-error">${h(form.errors[name])}</p>`
      : '';
  const scopes = Object.entries(DEMO_SCOPES)
    .map(
      ([scope, description]) =>
        `<label class="check"><input type="checkbox" name="scopes" value="${h(scope)}"${form.scopes.includes(scope) ? ' checked' : ''}> <code>${h(scope)}</code> ${h(description)}</label>`,
    )
    .join('\n');
  return `<form method="post" action="/settings/api-accounts/${h(account.id)}/access" class="card" novalidate>
<h2>Access</h2>
<input type="hidden" name="version" value="${account.version}">
<fieldset><legend>Scopes: what the key may call</legend>
${scopes}
${error('scopes')}
</fieldset>
<label for="allowedIps">Allowed addresses</label>
<p class="muted" id="allowedIps-hint">One IPv4 or IPv6 address or CIDR range per line, e.g. 203.0.113.0/24 or 2001:db8::/32. Empty: from anywhere.</p>
<textarea id="allowedIps" name="allowedIps" rows="3" cols="40" aria-describedby="allowedIps-hint"${form.errors['allowedIps'] ? ' aria-invalid="true"' : ''}>${h(form.allowedIps)}</textarea>
${error('allowedIps')}
<label for="limit">Rate limit</label>
<p class="muted" id="limit-hint">Empty: the default of ${DEMO_RATE_LIMIT.limit} requests per ${DEMO_RATE_LIMIT.windowMs / 1000} seconds.</p>
<p><input id="limit" name="limit" inputmode="numeric" size="8" value="${h(form.limit)}" aria-describedby="limit-hint"> requests per
<input id="windowSeconds" name="windowSeconds" inputmode="numeric" size="6" value="${h(form.windowSeconds)}" aria-label="window in seconds"> seconds</p>
${error('rateLimit')}
<label for="quotaLimit">Quota</label>
<p class="muted" id="quotaLimit-hint">The partner's plan. Empty: the default of ${DEMO_QUOTA.limit} calls per ${DEMO_QUOTA.period}.</p>
<p><input id="quotaLimit" name="quotaLimit" inputmode="numeric" size="10" value="${h(form.quotaLimit)}" aria-describedby="quotaLimit-hint"> calls per
<select name="quotaPeriod" aria-label="quota period">${(['day', 'month'] as const)
    .map(
      (period) =>
        `<option value="${period}"${form.quotaPeriod === period ? ' selected' : ''}>${period}</option>`,
    )
    .join('')}</select> (UTC)</p>
${error('quota')}
<div class="actions"><button>Save access</button></div>
</form>`;
}

export function accountPage(
  account: ApiAccount,
  form: AccountForm,
  access: AccessForm,
  history: readonly AccountEvent[],
  notice: string | null,
  origin: string,
  usage: UsageView,
): string {
  const state = `<span class="pill ${account.active ? 'on' : 'off'}">${account.active ? 'Active' : 'Inactive'}</span>
${account.keyIssuedAt ? `Key issued ${when(account.keyIssuedAt)}` : account.claimPending ? 'Claim pending: the partner has not collected the key yet' : 'No key and no open claim'}${account.keyExpiresAt ? `; expires ${when(account.keyExpiresAt)}` : ''}${account.previousKeyEndsAt ? `<br>Rotation: the previous key works until ${when(account.previousKeyEndsAt)}` : ''}<br>Last used: ${when(account.lastUsedAt)}`;
  const events = history
    .map(
      (e) =>
        `<li><code>${h(e.type)}</code> by ${h(e.actorId ?? 'the partner')} at ${when(e.at)}${e.changes ? `: ${h(describeChanges(e))}` : ''}</li>`,
    )
    .join('\n');
  return `<h1>${h(account.username)}</h1>
${notice ? `<div class="notice" role="status">${h(notice)}</div>` : ''}
<p>${state}</p>
<form method="post" action="/settings/api-accounts/${h(account.id)}" class="card" novalidate>
<input type="hidden" name="version" value="${account.version}">
${fields(form, true)}
<div class="actions"><button>Save</button></div>
</form>
${usageCard(usage)}
${accessForm(account, access)}
<div class="card">
<h2>Key</h2>
<div class="actions">
<a class="button danger" href="/settings/api-accounts/${h(account.id)}/reset">Reset API Key</a>
<a class="button secondary" href="/settings/api-accounts/${h(account.id)}/rotate">Rotate API Key</a>
${
  account.previousKeyEndsAt
    ? `<form method="post" action="/settings/api-accounts/${h(account.id)}/end-grace" class="inline"><button class="secondary">Stop the previous key now</button></form>`
    : ''
}
${
  account.keyIssuedAt
    ? ''
    : `<form method="post" action="/settings/api-accounts/${h(account.id)}/resend" class="inline"><button class="secondary">Resend claim</button></form>`
}
</div>
<p>Call the sample API with the key the partner collected:</p>
<pre>curl -H "Authorization: Bearer $API_KEY" ${h(origin)}/${h(account.tenant)}/api/v3/customers</pre>
<p>Creating an order needs <code>orders:write</code>; without it the answer is <code>403 insufficient_scope</code>:</p>
<pre>curl -i -X POST -H "Authorization: Bearer $API_KEY" ${h(origin)}/${h(account.tenant)}/api/v3/orders</pre>
<p>Past the rate limit the answer is <code>429</code>, with <code>Retry-After</code> and <code>RateLimit</code> headers:</p>
<pre>for i in $(seq 70); do curl -s -o /dev/null -w '%{http_code}\\n' -H "Authorization: Bearer $API_KEY" ${h(origin)}/${h(account.tenant)}/api/v3/customers; done | sort | uniq -c</pre>
<p>Past its quota (the Use card above), every call is <code>429 quota_exceeded</code> until the period ends (UTC).</p>
</div>
<div class="card"><h2>History</h2><ol>${events}</ol></div>`;
}

export function resetConfirmPage(account: ApiAccount): string {
  return `<h1>Reset the API key of ${h(account.username)}?</h1>
<div class="warn">The current key stops working at once. A new claim (SMS code and email link) is sent to ${h(account.email)} and ${h(account.phone)}.</div>
<form method="post" action="/settings/api-accounts/${h(account.id)}/reset" class="actions">
<input type="hidden" name="confirm" value="yes">
<button class="danger">Yes, reset the API key</button>
<a href="/settings/api-accounts/${h(account.id)}">Cancel</a>
</form>`;
}

export function rotateConfirmPage(account: ApiAccount): string {
  const grace = [
    ['3600000', '1 hour'],
    ['86400000', '24 hours'],
    ['259200000', '3 days'],
    ['604800000', '7 days'],
  ]
    .map(
      ([ms, label]) =>
        `<option value="${ms}"${ms === '86400000' ? ' selected' : ''}>${label}</option>`,
    )
    .join('');
  return `<h1>Rotate the API key of ${h(account.username)}?</h1>
<div class="warn">A new claim (SMS code and email link) is sent to ${h(account.email)} and ${h(account.phone)}. The current key keeps working for the grace period after the partner claims the new one, and at most 14 days. For a leaked key, reset instead.</div>
<form method="post" action="/settings/api-accounts/${h(account.id)}/rotate" class="card">
<input type="hidden" name="confirm" value="yes">
<label for="grace">Grace period after the new key is claimed</label>
<select id="grace" name="graceMs">${grace}</select>
<div class="actions"><button>Yes, rotate the API key</button>
<a href="/settings/api-accounts/${h(account.id)}">Cancel</a></div>
</form>`;
}

/** A sentence about how the claim's two messages fared. */
export function deliveryNotice(prefix: string, issued: ClaimIssued): string {
  const channel = (name: string, d: ClaimIssued['delivery']['sms']) =>
    d.status === 'sent' ? `${name} sent` : `${name} failed (${d.error.reason}): use Resend claim`;
  return `${prefix} ${channel('SMS', issued.delivery.sms)}; ${channel('email', issued.delivery.email)}.`;
}

export function inboxPage(items: readonly InboxItem[]): string {
  const linkify = (text: string) =>
    h(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
  const list = items
    .map((item) =>
      item.channel === 'sms'
        ? `<article class="card"><p><span class="pill">SMS</span> to <strong>${h(item.to)}</strong> <span class="muted">${when(item.at)}</span></p><p class="message">${h(item.text)}</p></article>`
        : `<article class="card"><p><span class="pill">Email</span> to <strong>${h(item.to)}</strong> <span class="muted">${when(item.at)}</span></p><p><strong>${h(item.subject)}</strong></p><p class="message">${linkify(item.text)}</p></article>`,
    )
    .join('\n');
  return `<h1>Development inbox</h1>
<p class="muted">What the demo “sent”, newest first. A real deployment sends these through SMTP and an SMS provider.</p>
${list || '<p class="card">Nothing sent yet.</p>'}`;
}
