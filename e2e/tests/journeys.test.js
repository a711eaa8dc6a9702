// The journeys of issue 3, in the real SPA served by the real server (see ../run.sh).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import { BASE, DEMO_PASSWORD, openBrowser, capture, lastLink, tid } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

/** A clean start for each journey: no session cookie, no stored state. */
async function fresh() {
  await browser.context.clearCookies();
  const page = browser.page;
  await page.goto(`${BASE}/connexion`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${BASE}/connexion`);
  await page.locator(tid('login-form')).waitFor();
  return page;
}

async function login(page, email, password = DEMO_PASSWORD) {
  await page.locator(tid('login-email')).fill(email);
  await page.locator(tid('login-password')).fill(password);
  await page.locator(tid('login-submit')).click();
}

async function logout(page) {
  await page.locator(tid('logout-button')).click();
  await page.waitForURL(/\/connexion/);
  await page.locator(tid('login-form')).waitFor();
}

test('each demo role logs in, lands on its area, and logs out', async () => {
  const page = await fresh();
  await capture(page, 'connexion');
  const roles = [
    ['admin@boussole.test', /\/admin$/, 'Agnès Martin', 'admin-accueil'],
    ['consultant@boussole.test', /\/consultant$/, 'Karim Benali', 'consultant-accueil'],
    ['beneficiaire@boussole.test', /\/beneficiaire$/, 'Camille Durand', 'beneficiaire-accueil'],
  ];
  for (const [email, home, name, shot] of roles) {
    await login(page, email);
    await page.waitForURL(home);
    await assert.doesNotReject(page.locator(tid('header-user-name')).filter({ hasText: name }).waitFor());
    await capture(page, shot);
    // A reload keeps the session (refresh cookie), and stays in the role's area.
    await page.reload();
    await page.locator(tid('header-user-name')).filter({ hasText: name }).waitFor();
    assert.match(page.url(), home);
    const area = new URL(page.url()).pathname;
    await logout(page);
    // After logout, the role's area sends back to the login page.
    await page.goto(`${BASE}${area}`);
    await page.locator(tid('login-form')).waitFor();
  }
});

test('a wrong password shows the error next to the form, and the area stays closed', async () => {
  const page = await fresh();
  await login(page, 'admin@boussole.test', 'pas le bon mot de passe');
  const error = page.locator('[role="alert"]').filter({ hasText: /incorrect/i });
  await error.first().waitFor();
  assert.match(page.url(), /\/connexion/);
  await capture(page, 'connexion-erreur');
  // Missing fields: each error stands next to its field, tied to it for screen readers.
  await page.locator(tid('login-email')).fill('');
  await page.locator(tid('login-password')).fill('');
  await page.locator(tid('login-submit')).click();
  await page.locator(tid('login-email-error')).waitFor();
  const describedBy = await page.locator(tid('login-email')).getAttribute('aria-describedby');
  const errorId = await page.locator(tid('login-email-error')).getAttribute('id');
  assert.ok(describedBy?.split(' ').includes(errorId), 'the email field is described by its error');
  await page.goto(`${BASE}/admin/utilisateurs`);
  await page.locator(tid('login-form')).waitFor();
});

test('a new beneficiary signs up, verifies the email from the mailbox, and logs in', async () => {
  const page = await fresh();
  await page.goto(`${BASE}/inscription`);
  await page.locator(tid('register-form')).waitFor();
  await capture(page, 'inscription');
  const email = `lea.${Date.now()}@example.org`;
  await page.locator(tid('register-first-name')).fill('Léa');
  await page.locator(tid('register-last-name')).fill('Fontaine');
  await page.locator(tid('register-email')).fill(email);
  await page.locator(tid('register-password')).fill('trop court');
  await page.locator(tid('register-submit')).click();
  await page.locator(`${tid('register-password')}[aria-invalid="true"]`).waitFor();
  // French shows the API's own message; in English the API says the rule it names beside it (the app
  // asks with Accept-Language, whatever the browser's setting, which is French here).
  const passwordError = page.locator(tid('register-password-error'));
  assert.match(await passwordError.innerText(), /caractères/);
  await page.locator(tid('language-switch')).click();
  await page.locator('html[lang="en"]').waitFor();
  await page.locator(tid('register-submit')).click();
  await passwordError.filter({ hasText: 'Too short.' }).waitFor();
  await page.locator(tid('language-switch')).click();
  await page.locator('html[lang="fr"]').waitFor();
  await page.locator(tid('register-password')).fill('des cerfs-volants sur la plage');
  await page.locator(tid('register-submit')).click();
  await page.locator(tid('register-done')).waitFor();

  await page.goto(`${BASE}${await lastLink(email, '/verifier-email')}`);
  await page.locator(tid('verify-done')).waitFor();
  await capture(page, 'email-verifie');
  await page.goto(`${BASE}/connexion`);
  await login(page, email, 'des cerfs-volants sur la plage');
  await page.waitForURL(/\/beneficiaire$/);
  await page.locator(tid('header-user-name')).filter({ hasText: 'Léa Fontaine' }).waitFor();
});

test('a beneficiary enrols TOTP and logs in with a code', async () => {
  const page = await fresh();
  await login(page, 'lucas.moreau@boussole.test');
  await page.waitForURL(/\/beneficiaire$/);
  await page.goto(`${BASE}/profil`);
  await page.locator(tid('profile-form')).waitFor();
  await capture(page, 'profil');
  await page.locator(tid('totp-setup')).click();
  const secret = (await page.locator(tid('totp-secret')).innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]+=*$/);
  const qr = page.locator(tid('totp-qr'));
  await qr.waitFor();
  // The SVG from the API decodes as an image (a broken data URL has no natural width).
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await qr.elementHandle());
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
  await page.locator(tid('totp-enable-code')).fill(totp.generate());
  await page.locator(tid('totp-enable')).click();
  await page.locator(tid('recovery-codes')).waitFor();
  await capture(page, 'profil-totp-active');
  await logout(page);

  await login(page, 'lucas.moreau@boussole.test');
  await page.locator(tid('totp-form')).waitFor();
  await capture(page, 'connexion-totp');
  // The enrolment used the current period: the next one is accepted (one step of clock skew).
  await page.locator(tid('totp-code')).fill(totp.generate({ timestamp: Date.now() + 30_000 }));
  await page.locator(tid('totp-submit')).click();
  await page.waitForURL(/\/beneficiaire$/);
});

test('an admin invites a consultant, who accepts the invitation and logs in', async () => {
  const page = await fresh();
  await login(page, 'admin@boussole.test');
  await page.waitForURL(/\/admin$/);
  await page.goto(`${BASE}/admin/utilisateurs`);
  await page.locator(tid('users-table')).waitFor();
  await capture(page, 'admin-utilisateurs');
  await page.locator(tid('invite-open')).click();
  await page.locator(tid('invite-dialog')).waitFor();
  const email = `nadia.${Date.now()}@example.org`;
  await page.locator(tid('invite-first-name')).fill('Nadia');
  await page.locator(tid('invite-last-name')).fill('Roux');
  await page.locator(tid('invite-email')).fill(email);
  await page.locator(tid('invite-role')).selectOption('consultant');
  await capture(page, 'admin-invitation');
  await page.locator(tid('invite-submit')).click();
  await page.locator(tid('user-row')).filter({ hasText: email }).waitFor();

  for (const [path, wait, shot] of [['/admin/cles-api', 'api-key-form', 'admin-cles-api'],
    ['/admin/journal', 'audit-table', 'admin-journal'], ['/admin/securite', 'security-form', 'admin-securite']]) {
    await page.goto(`${BASE}${path}`);
    await page.locator(tid(wait)).waitFor();
    await capture(page, shot);
  }
  await logout(page);

  await page.goto(`${BASE}${await lastLink(email, '/invitation')}`);
  await page.locator(tid('invitation-form')).waitFor();
  await capture(page, 'invitation');
  await page.locator(tid('invitation-password')).fill('un jardin de lavande en juin');
  await page.locator(tid('invitation-submit')).click();
  await page.locator(tid('invitation-done')).waitFor();
  await page.goto(`${BASE}/connexion`);
  await login(page, email, 'un jardin de lavande en juin');
  await page.waitForURL(/\/consultant$/);
  await page.locator(tid('header-user-name')).filter({ hasText: 'Nadia Roux' }).waitFor();
});
