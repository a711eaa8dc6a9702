// The users' guides (issue 16, item 2): each screen's "?" opens its section of the role's guide, served by
// the app under /aide, and the guide shows the screenshots this very run takes.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DEMO_PASSWORD, openBrowser, capture, tid } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

test('the "?" beside a title opens that screen\'s section of the guide, with this run\'s screenshot', async () => {
  const page = browser.page;
  await page.goto(`${BASE}/connexion`);
  await page.locator(tid('login-form')).waitFor();
  await capture(page, 'connexion'); // the picture the beneficiary's guide shows for logging in

  const help = page.locator(tid('help-link'));
  assert.equal(await help.getAttribute('aria-label'), 'Aide sur cette page');
  await help.click();
  await page.waitForURL(/\/aide\/beneficiaire#se-connecter$/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  const section = page.locator('h2#se-connecter');
  assert.equal((await section.textContent()).trim(), 'Se connecter');
  const shot = page.locator('img[src="/aide/captures/connexion-1280.png"]');
  await shot.waitFor();
  // Really loaded from the run's folder: a broken image has no natural width.
  await page.waitForFunction((el) => el.complete && el.naturalWidth === 1280, await shot.elementHandle());

  // A consultant's "?" leads to the consultant's guide.
  await page.goto(`${BASE}/connexion`);
  await page.locator(tid('login-email')).fill('consultant@boussole.test');
  await page.locator(tid('login-password')).fill(DEMO_PASSWORD);
  await page.locator(tid('login-submit')).click();
  await page.waitForURL(/\/consultant$/);
  assert.equal(await page.locator(tid('help-link')).getAttribute('href'), '/aide/consultant#portefeuille');
  await page.locator(tid('help-link')).click();
  await page.waitForURL(/\/aide\/consultant#portefeuille$/);
  assert.match(await page.locator('h2#portefeuille').textContent(), /portefeuille/);
  // The English version is one link away.
  await page.locator('a[lang="en"]').click();
  await page.waitForURL(/\/aide\/en$/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
});
