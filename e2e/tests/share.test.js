// Sending the synthèse (issue 12) in the real SPA, on a phone-sized screen: Émilie Rousseau agreed to share
// her issued synthèse with her CEP adviser; her consultant sends it again from the synthèse page's form
// (the demo's first sending shows as downloaded); the adviser opens the personal link from the development mailbox, gets a
// code by email, is refused with a wrong one, downloads the PDF once; the link then no longer works.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, capture, checkA11y, tid, lastLink, codeFor, loginAs, logoutFrom, DEMO_PASSWORD, BASE } from './lib.js';

const ADVISER = 'o.garnier@apec.example';
let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

async function call(method, path, token, body) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

test('the CEP adviser downloads Émilie’s synthèse once, on a phone', async () => {
  const { access_token: token } = await call('POST', '/auth/login', null,
    { email: 'consultant@boussole.test', password: DEMO_PASSWORD });
  const bilans = await call('GET', '/bilans?per_page=100', token);
  const bilan = bilans.items.find((b) => b.beneficiary.last_name === 'Rousseau');
  assert.ok(bilan, 'Émilie’s bilan is the demo consultant’s');
  const sendings = await call('GET', `/bilans/${bilan.id}/synthesis/sendings`, token);
  assert.equal(sendings[0].status, 'downloaded', 'the demo already sent it to her CEP adviser');

  // Karim sends it from the synthèse page; a wrong address is named at its field first.
  let page = await loginAs(browser, 'consultant@boussole.test');
  await page.goto(`${BASE}/bilans/${bilan.id}/synthese`);
  await page.locator(`${tid('synthesis-sending')}[data-status="downloaded"]`).waitFor();
  await page.locator(tid('synthesis-send-email')).fill('pas-une-adresse');
  await page.locator(tid('synthesis-send')).click();
  await page.locator('#envoi-email-erreur').waitFor();
  await page.locator(tid('synthesis-send-email')).fill(ADVISER);
  await page.locator(tid('synthesis-send-cep')).check();
  await page.locator(tid('synthesis-send')).click();
  await page.locator(`${tid('synthesis-sending')}[data-status="pending"]`).waitFor();
  await capture(page, 'synthese-envoi');
  await logoutFrom(page);

  page = browser.page;
  await page.setViewportSize({ width: 360, height: 740 });
  const link = await lastLink(ADVISER, '/partage?token=');
  await page.goto(`${BASE}${link}`);
  await page.locator(tid('share-intro')).filter({ hasText: 'Émilie' }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the download page fits a phone (${width} px)`);
  await checkA11y(page, 'partage');
  await capture(page, 'partage-telephone');
  await page.locator(tid('share-code-email')).click();
  await page.locator(tid('share-code-sent')).waitFor();
  const code = await codeFor(ADVISER);
  await page.locator(tid('share-code')).fill(code === '123456' ? '654321' : '123456');
  await page.locator(tid('share-download')).click();
  await page.getByText('Code incorrect').waitFor();
  await page.locator(tid('share-code')).fill(code);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(tid('share-download')).click(),
  ]);
  assert.match(download.suggestedFilename(), /^synthese-v\d+\.pdf$/);
  await page.locator(tid('share-done')).waitFor();
  await capture(page, 'partage-telecharge');
  // The same link again: spent.
  await page.goto(`${BASE}${link}`);
  await page.getByText('Ce lien a déjà servi').waitFor();
  await page.setViewportSize({ width: 1280, height: 900 });
});
