// Shared pieces of the browser journeys: the browser, logins, the development mailbox, axe-core and screenshots.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const BASE = process.env.BASE_URL;
export const DEMO_PASSWORD = 'boussole-demo';
const SHOTS = process.env.SCREENSHOT_DIR;
const AXE = require.resolve('axe-core/axe.min.js');

/** A fresh browser profile each time: no cookie or storage carried between journeys. */
export async function openBrowser() {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'boussole-e2e-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  // axe-core comes in as an init script, which the page's Content-Security-Policy does not apply to: the
  // app itself runs under the real policy, and a script tag of ours would be (rightly) refused.
  await context.addInitScript({ path: AXE });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15000);
  return { context, page };
}

/** Runs axe-core on the current screen; fails on any serious or critical violation. */
export async function checkA11y(page, name) {
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [],
    `accessibility violations on ${name}`);
}

/** Screenshots of the current screen at 1280 px and 375 px, then the axe check at both widths. */
export async function capture(page, name) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    await checkA11y(page, `${name} at ${width} px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The development mailbox, oldest first. */
export function mailbox() {
  const dir = process.env.MAILBOX_DIR;
  let names = [];
  try { names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort(); } catch { return []; }
  return names.map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')));
}

/** The path and query of the last link emailed to `to` containing `path`, made relative to the test server.
 * Every email goes through the outbox, sent by its job: waits up to 15 s for it to arrive. */
export async function lastLink(to, path) {
  const find = () => mailbox().reverse().find((m) => m.to === to && m.text.includes(path));
  let mail = find();
  for (let i = 0; !mail && i < 150; i++) {
    await new Promise((r) => setTimeout(r, 100));
    mail = find();
  }
  assert.ok(mail, `an email to ${to} with a ${path} link`);
  const url = new URL(mail.text.match(/https?:\/\/\S+/)[0]);
  return url.pathname + url.search;
}

export const tid = (id) => `[data-testid="${id}"]`;

// How many elements `locator` finds once they are `n`, or the last count after `ms`: a list that the app
// redraws (a request reloaded) is empty for an instant, so one `count()` right after a `waitFor()` can read 0.
export async function settledCount(locator, n, ms = 5000) {
  const end = Date.now() + ms;
  let count = await locator.count();
  while (count !== n && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    count = await locator.count();
  }
  return count;
}

/** Logs in as `email` (demo password) from a clean browser state, and waits for the header to name the person. */
export async function loginAs(browser, email) {
  await browser.context.clearCookies();
  const page = browser.page;
  await page.goto(`${BASE}/connexion`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${BASE}/connexion`);
  await page.locator(tid('login-form')).waitFor();
  await page.locator(tid('login-email')).fill(email);
  await page.locator(tid('login-password')).fill(DEMO_PASSWORD);
  await page.locator(tid('login-submit')).click();
  await page.locator(tid('header-user-name')).waitFor();
  return page;
}

export async function logoutFrom(page) {
  await page.locator(tid('logout-button')).click();
  await page.waitForURL(/\/connexion/);
}

/** Picks, in a select, the option whose text contains `text` (the options may still be loading). */
export async function chooseOption(page, testid, text) {
  const option = page.locator(`${tid(testid)} option`, { hasText: text });
  await option.first().waitFor({ state: 'attached' });
  await page.locator(tid(testid)).selectOption(await option.first().getAttribute('value'));
}

/** Opens a tab of the bilan file and waits for its panel. */
export async function openTab(page, key) {
  await page.locator(tid(`tab-${key}`)).click();
  await page.locator(tid(`panel-${key}`)).waitFor();
}

/** A `datetime-local` value `days` days ago at `hh:mm` (local wall-clock, as typed). */
export function daysAgoAt(days, hhmm) {
  const d = new Date(Date.now() - days * 86_400_000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${hhmm}`;
}

/** The smallest PDF the API recognises by its first bytes (an attachment, a library file). */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** The 6-digit code of the last code email to `to`. */
export async function codeFor(to) {
  for (let i = 0; i < 150; i++) {
    const mail = mailbox().reverse().find((m) => m.to === to && m.subject.includes('code'));
    if (mail) return mail.text.match(/est : (\d{6})/)[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no code emailed to ${to}`);
}

/** Signs as `email` through the last signing link emailed to them, with a code by email (a wrong code first
 * when `wrongFirst`). */
export async function signAs(page, email, { wrongFirst = false } = {}) {
  await page.goto(`${BASE}${await lastLink(email, '/signer?token=')}`);
  await page.locator(tid('sign-intro')).waitFor();
  await page.locator(tid('sign-code-email')).click();
  await page.locator(tid('sign-code-sent')).waitFor();
  const code = await codeFor(email);
  if (wrongFirst) {
    await page.locator(tid('sign-code')).fill(code === '123456' ? '654321' : '123456');
    await page.locator(tid('sign-accept')).check();
    await page.locator(tid('sign-submit')).click();
    await page.getByText('Code incorrect').waitFor();
  }
  await page.locator(tid('sign-code')).fill(code);
  await page.locator(tid('sign-accept')).check();
  await page.locator(tid('sign-submit')).click();
  await page.locator(tid('sign-done')).waitFor();
}
