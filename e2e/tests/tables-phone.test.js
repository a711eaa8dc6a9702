// On a phone (360 px) no list of records scrolls sideways (issue 16, item 5): each data table shows as
// cards, one per row, every cell under its column's name. Visits the admin's and the consultant's
// screens with tables and measures each table's region: nothing wider than what is shown.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, capture, tid, loginAs, logoutFrom, openTab } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

const PHONE = { width: 360, height: 740 };

/** Every table region on screen fits its width, and so does the page. */
async function fits(page, what) {
  const wide = await page.evaluate(() => [...document.querySelectorAll('.table-wrap')]
    .filter((el) => el.scrollWidth - el.clientWidth > 1)
    .map((el) => `${el.getAttribute('aria-label')}: ${el.scrollWidth} px in ${el.clientWidth}`));
  assert.deepEqual(wide, [], `${what}: a table scrolls sideways`);
  const page_ = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(page_ <= 0, `${what}: the page is ${page_} px wider than the screen`);
}

async function visit(page, path, testid, what) {
  await page.goto(`${BASE}${path}`);
  await page.setViewportSize(PHONE);
  await page.locator(tid(testid)).first().waitFor();
  await fits(page, what);
}

test('the admin\'s tables show as cards at 360 px', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');
  await visit(page, '/admin/utilisateurs', 'user-row', 'users');
  await visit(page, '/admin/cles-api', 'api-key-form', 'API keys');
  await visit(page, '/admin/journal', 'audit-row', 'audit journal');
  await capture(page, 'journal-telephone');
  await visit(page, '/admin/bilans', 'admin-bilans-table', 'bilans');
  await visit(page, '/admin/messages', 'outbox-row', 'outbox');
  await visit(page, '/admin/beneficiaires', 'records-table', 'records');
  // Money (issue 13): the demo's invoices and payers.
  await visit(page, '/admin/factures', 'invoice-row', 'invoices');
  await visit(page, '/admin/payeurs', 'payer-row', 'payers');
  await page.setViewportSize({ width: 1280, height: 900 });
  await logoutFrom(page);
});

test('the consultant\'s tables show as cards at 360 px', async () => {
  const page = await loginAs(browser, 'consultant@boussole.test');
  await visit(page, '/consultant', 'portfolio-row', 'portfolio');
  await page.locator(tid('bilan-link')).filter({ hasText: 'Camille Durand' }).first().click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  for (const [tab, testid] of [['competences', 'skill-row'], ['projet', 'matrix-row'], ['consentements', 'consent-row'], ['historique', 'timeline-row'], ['documents', 'document-row']]) {
    await openTab(page, tab);
    await page.locator(tid(testid)).first().waitFor();
    await fits(page, `bilan file, ${tab}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await logoutFrom(page);
});

test('the beneficiary\'s home, with her documents, fits 360 px', async () => {
  const page = await loginAs(browser, 'beneficiaire@boussole.test');
  await visit(page, '/beneficiaire', 'document-row', 'beneficiary home');
  await page.setViewportSize({ width: 1280, height: 900 });
  await logoutFrom(page);
});
