import { SETTINGS_ADMINISTRATOR, signRequest } from 'api-accounts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, screenshot, startDemo } from './browser.js';

if (!hasChromium) {
  console.warn(
    'Browser tests skipped: no Chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH).',
  );
}

describe.skipIf(!hasChromium)('the demo box office in a real browser', () => {
  let browser: Browser;
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let adminContext: BrowserContext;
  let admin: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    demo = await startDemo();
    adminContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    admin = await adminContext.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  /** The latest claim sent to `email`/`phone`, read from the dev inbox the way a person would. */
  async function readInbox(page: Page, email: string, phone: string) {
    await page.goto(`${demo.url}/dev/inbox`);
    const mail = page.locator('article', { hasText: email }).first();
    const link = (await mail.locator('a').first().getAttribute('href')) ?? '';
    const sms = (await page.locator('article', { hasText: phone }).first().textContent()) ?? '';
    const code = /\b(\d{6})\b/.exec(sms)?.[1] ?? '';
    return { link, code };
  }

  /** A partner, in a browser of their own, claims the key with the link and code. */
  async function claimAs(link: string, code: string, options: { javaScript?: boolean } = {}) {
    const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true });
    const page = await context.newPage();
    await page.goto(link);
    await page.getByLabel('Code from the SMS').fill(code);
    await page.getByRole('button', { name: 'Show my API key' }).click();
    const apiKey = (await page.locator('#api-key').textContent()) ?? '';
    return { context, page, apiKey };
  }

  const callApi = (apiKey: string) =>
    fetch(`${demo.url}/riverside/api/v3/customers`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });

  async function createAccount(
    username: string,
    email: string,
    phone: string,
    expectErrors = false,
  ) {
    await admin.goto(`${demo.url}/settings/api-accounts/new`);
    await admin.getByLabel('Username').fill(username);
    await admin.getByLabel('Email').fill(email);
    await admin.getByLabel('Mobile phone').fill(phone);
    await admin.getByRole('button', { name: 'Create API account' }).click();
    if (!expectErrors) expect(await admin.locator('.field-error').allTextContents()).toEqual([]);
  }

  it('signs the administrator in', async () => {
    await admin.goto(demo.url);
    await screenshot(admin, 'sign-in');
    await admin.getByRole('button', { name: 'Sign in as Sam Patel' }).click();
    await expect.poll(() => admin.url()).toBe(`${demo.url}/settings/api-accounts`);
    expect(await admin.locator('h1').textContent()).toBe('API Accounts');
  });

  it('runs the whole life of a key as a person would', async () => {
    // Create, first with the national number the spec says to refuse.
    await createAccount('ACME Tickets', 'dev@acme.example', '07894 123 456', true);
    const phoneError = admin.locator('#phone-error');
    expect(await phoneError.textContent()).toContain('+447894123456');
    expect(await admin.getByLabel('Username').inputValue()).toBe('ACME Tickets');
    await screenshot(admin, 'new-account-error');
    await admin.getByLabel('Mobile phone').fill('+447894123456');
    await admin.getByRole('button', { name: 'Create API account' }).click();
    expect(await admin.getByRole('status').textContent()).toContain('SMS sent; email sent');
    const accountUrl = admin.url();

    // The partner follows the emailed link, gets one code wrong, then right.
    const first = await readInbox(admin, 'dev@acme.example', '+447894123456');
    await screenshot(admin, 'dev-inbox');
    const partner = await browser.newContext();
    const claimPage = await partner.newPage();
    const landed = await claimPage.goto(first.link);
    expect(claimPage.url()).not.toContain('token=');
    expect(landed?.headers()['cache-control']).toBe('no-store');
    expect(await claimPage.locator('body').textContent()).toContain('+44 ••••••• 456');
    expect(await claimPage.locator('body').textContent()).not.toContain('ACME');
    await screenshot(claimPage, 'claim-page');
    await claimPage
      .getByLabel('Code from the SMS')
      .fill(first.code === '000000' ? '111111' : '000000');
    await claimPage.getByRole('button', { name: 'Show my API key' }).click();
    expect(await claimPage.getByRole('alert').textContent()).toContain('4 attempts left');
    await claimPage.getByLabel('Code from the SMS').fill(first.code);
    await claimPage.getByRole('button', { name: 'Show my API key' }).click();
    expect(await claimPage.locator('#username').textContent()).toBe('ACME Tickets');
    const firstKey = (await claimPage.locator('#api-key').textContent()) ?? '';
    expect(firstKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(await claimPage.locator('#copy').isVisible()).toBe(true);
    await screenshot(claimPage, 'claim-key-shown');
    await partner.close();

    // The key opens the protected endpoint.
    const ok = await callApi(firstKey);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { principal: { username: string } }).principal.username).toBe(
      'ACME Tickets',
    );
    expect((await callApi('not-a-key')).status).toBe(401);
    const url = `${demo.url}/riverside/api/v3/customers`;
    const signed = (
      await signRequest({ method: 'GET', url, username: 'ACME Tickets', apiKey: firstKey })
    )._unsafeUnwrap();
    const viaSignature = await fetch(url, {
      headers: { authorization: signed.authorization, date: signed.date },
    });
    expect(viaSignature.status).toBe(200);

    // Reset, with its confirmation step; the old key dies at once.
    await admin.goto(`${accountUrl}?notice=Call%20us%20on%20%2B44%20000`);
    // The notice was shown once; none can be planted through a link.
    expect(await admin.getByRole('status').count()).toBe(0);
    expect(await admin.locator('body').textContent()).not.toContain('Call us');
    await admin.goto(accountUrl);
    expect(await admin.locator('pre').first().textContent()).toContain(
      '/riverside/api/v3/customers',
    );

    // Access: orders need a scope the account lacks; granting it on the account page opens them.
    const order = () =>
      fetch(`${demo.url}/riverside/api/v3/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${firstKey}` },
      });
    expect((await order()).status).toBe(403);
    await admin.getByLabel('Allowed addresses').fill('10.0.0.0/33');
    await admin.getByRole('button', { name: 'Save access' }).click();
    expect(await admin.locator('#allowedIps-error').textContent()).toContain('10.0.0.0/33');
    expect(await admin.getByLabel('Allowed addresses').getAttribute('aria-invalid')).toBe('true');
    await admin.getByRole('checkbox', { name: /orders:write/ }).check();
    await admin.getByLabel('Allowed addresses').fill('');
    await admin.getByRole('button', { name: 'Save access' }).click();
    expect(await admin.getByRole('status').textContent()).toContain('Access saved');
    expect((await order()).status).toBe(201);
    // The Use card: this month's calls against the plan, and the last 30 days as bars.
    await admin.reload();
    expect(await admin.locator('.card', { hasText: 'calls this month' }).textContent()).toMatch(
      /\d+ of 1,000 calls this month \(UTC\)/,
    );
    expect(
      await admin.getByRole('meter', { name: 'Quota used' }).getAttribute('aria-valuenow'),
    ).toMatch(/^[1-9]\d*$/);
    expect(
      await admin
        .getByRole('img', { name: /Calls per day, last 30 days/ })
        .getAttribute('aria-label'),
    ).toMatch(/: [1-9]\d* accepted, \d+ refused$/);
    await screenshot(admin, 'account');
    await admin.getByRole('link', { name: 'Reset API Key' }).click();
    await screenshot(admin, 'reset-confirm');
    await admin.getByRole('button', { name: 'Yes, reset the API key' }).click();
    expect(await admin.getByRole('status').textContent()).toContain('old key no longer works');
    expect((await callApi(firstKey)).status).toBe(401);
    const second = await readInbox(admin, 'dev@acme.example', '+447894123456');
    expect(second.link).not.toBe(first.link);
    const claimed = await claimAs(second.link, second.code);
    await claimed.context.close();
    expect((await callApi(claimed.apiKey)).status).toBe(200);

    // Switch off, then on: the same key stops and works again.
    await admin.goto(accountUrl);
    await admin.getByLabel('This API is active').uncheck();
    await admin.getByRole('button', { name: 'Save', exact: true }).click();
    expect(await admin.getByRole('status').textContent()).toContain('Saved');
    expect((await callApi(claimed.apiKey)).status).toBe(401);
    await admin.getByLabel('This API is active').check();
    await admin.getByRole('button', { name: 'Save', exact: true }).click();
    expect((await callApi(claimed.apiKey)).status).toBe(200);

    // A planned rotation: a grace choice and a confirmation; the current key works on, marked deprecated.
    await admin.goto(accountUrl);
    await admin.getByRole('link', { name: 'Rotate API Key' }).click();
    await admin.getByLabel('Grace period after the new key is claimed').selectOption('3600000');
    await screenshot(admin, 'rotate-confirm');
    await admin.getByRole('button', { name: 'Yes, rotate the API key' }).click();
    expect(await admin.getByRole('status').textContent()).toContain('Rotation opened');
    expect(await admin.locator('body').textContent()).toContain('the previous key works until');
    await screenshot(admin, 'account-rotating');
    const rotating = await callApi(claimed.apiKey);
    expect(rotating.status).toBe(200);
    expect(rotating.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(rotating.headers.get('sunset')).toMatch(/GMT$/);

    // The list shows the state, expiry and last use, and filters; the history shows every step.
    await admin.goto(`${demo.url}/settings/api-accounts`);
    const row = admin.locator('tr', { hasText: 'ACME Tickets' });
    expect(await row.textContent()).toMatch(/Active[\s\S]*Claim pending \(rotating\)/);
    await admin.getByLabel('State').selectOption('claim_pending');
    await admin.getByRole('button', { name: 'Filter' }).click();
    expect(await admin.locator('tr', { hasText: 'ACME Tickets' }).count()).toBe(1);
    await admin.goto(`${demo.url}/settings/api-accounts`);
    await screenshot(admin, 'account-list');
    await admin.goto(accountUrl);
    const history = await admin.locator('ol').textContent();
    for (const event of [
      'account.created',
      'key.claimed',
      'key.reset',
      'account.deactivated',
      'account.reactivated',
      'key.rotation_opened',
    ]) {
      expect(history).toContain(event);
    }
  });

  it('shows an expired link as expired', async () => {
    await createAccount('Late Partner', 'late@partner.example', '+447911123456');
    const { link } = await readInbox(admin, 'late@partner.example', '+447911123456');
    demo.clock.advance(25 * 60 * 60 * 1000);
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(link);
    expect(response?.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('This link has expired');
    expect(await page.locator('body').textContent()).toContain('Ask your administrator');
    await context.close();
  });

  it('locks a claim after five wrong codes', async () => {
    await createAccount('Guesser Ltd', 'guess@partner.example', '+447911222334');
    const { link, code } = await readInbox(admin, 'guess@partner.example', '+447911222334');
    const wrong = code === '000000' ? '111111' : '000000';
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    for (let attempt = 0; attempt < 5; attempt++) {
      await page.getByLabel('Code from the SMS').fill(wrong);
      await page.getByRole('button', { name: 'Show my API key' }).click();
    }
    expect(await page.locator('h1').textContent()).toBe('Too many wrong codes');
    await page.goto(page.url());
    expect(await page.locator('h1').textContent()).toBe('Too many wrong codes');
    await context.close();
  });

  it('claims without JavaScript (no copy button), and reads well at 320 px', async () => {
    await createAccount('No Script Co', 'noscript@partner.example', '+447911222333');
    const { link, code } = await readInbox(admin, 'noscript@partner.example', '+447911222333');
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
    });
    const page = await context.newPage();
    const response = await page.goto(link);
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    const input = page.getByLabel('Code from the SMS');
    expect(await input.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await input.getAttribute('inputmode')).toBe('numeric');
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(320);
    await screenshot(page, 'claim-page-phone');
    await input.fill(code);
    await page.getByRole('button', { name: 'Show my API key' }).click();
    const apiKey = (await page.locator('#api-key').textContent()) ?? '';
    expect((await callApi(apiKey)).status).toBe(200);
    expect(await page.locator('#copy').isVisible()).toBe(false);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    await context.close();
  });

  it("runs two venues: Sam switches between them, Casey sees only her own, a key works at its venue's path only", async () => {
    // Sam creates a partner in Northgate Hall too, with the name Riverside already uses.
    await admin.goto(`${demo.url}/settings/api-accounts`);
    await admin.getByLabel('Venue').selectOption('northgate');
    await admin.getByRole('button', { name: 'Switch venue' }).click();
    expect(await admin.locator('.brand').textContent()).toContain('Northgate Hall');
    expect(await admin.locator('tbody tr').count()).toBe(0);
    await createAccount('ACME Tickets', 'dev@acme.example', '+447894123457');
    await screenshot(admin, 'northgate-account');
    const sent = await readInbox(admin, 'dev@acme.example', '+447894123457');
    // The partner hears from the venue its account belongs to.
    expect(await admin.locator('article').first().textContent()).toContain('Northgate Hall');
    const { context, apiKey } = await claimAs(sent.link, sent.code);
    await context.close();
    const at = (venue: string, key: string) =>
      fetch(`${demo.url}/${venue}/api/v3/customers`, {
        headers: { authorization: `Bearer ${key}` },
      });
    const own = await at('northgate', apiKey);
    expect(own.status).toBe(200);
    expect(((await own.json()) as { principal: { tenant: string } }).principal.tenant).toBe(
      'northgate',
    );
    // At the other venue's path the key is no key at all: the answer an unknown key gets.
    const elsewhere = await at('riverside', apiKey);
    const unknown = await at('riverside', 'Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm8=');
    expect(elsewhere.status).toBe(401);
    expect(await elsewhere.text()).toBe(await unknown.text());

    // Casey administers Northgate Hall only: no switcher, and Riverside's accounts are not hers to see.
    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByRole('button', { name: 'Sign in as Casey Jones' }).click();
    expect(await admin.locator('.brand').textContent()).toContain('Northgate Hall');
    expect(await admin.getByLabel('Venue').count()).toBe(0);
    const rows = await admin.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('ACME Tickets');
    await screenshot(admin, 'casey-northgate');
    const riversideId = await demo.manager
      .listAccounts({ id: 'test', roles: [SETTINGS_ADMINISTRATOR], tenants: ['riverside'] }, {})
      .map((page) => page.items[0]?.id ?? '');
    const foreign = await admin.goto(
      `${demo.url}/settings/api-accounts/${riversideId._unsafeUnwrap()}`,
    );
    expect(foreign?.status()).toBe(404);
  });

  it('shows Forbidden to a user without the Settings Administrator role', async () => {
    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByRole('button', { name: 'Sign in as Robin Lee' }).click();
    expect(await admin.locator('h1').textContent()).toBe('Forbidden');
    expect(await admin.getByRole('alert').textContent()).toContain('Settings Administrator');
    await screenshot(admin, 'forbidden');
    const direct = await admin.goto(`${demo.url}/settings/api-accounts/new`);
    expect(direct?.status()).toBe(403);
  });
});
