// Issued documents (issue 12), in the real SPA served by the real server (see ../run.sh): the admin reads and
// saves the organisation's identity that `seed-demo` set; Karim Benali issues Camille Durand's attendance sheet
// from the documents tab of her file and downloads it; Camille finds her documents on her home and downloads one.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, capture, tid, loginAs, logoutFrom, openTab } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

test('the admin edits the organisation identity the documents print', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');
  await page.goto(`${BASE}/admin/organisme`);
  await page.locator(tid('organisation-form')).waitFor();
  await page.locator('#name').waitFor();
  assert.equal(await page.locator('#name').inputValue(), 'Cap Horizons Conseil');
  assert.equal(await page.locator(tid('organisation-price')).inputValue(), '1800,00');
  // A wrong SIRET is named by the API; a right one saves.
  await page.locator('#siret').fill('81234567800014');
  await page.locator(tid('organisation-save')).click();
  await page.locator('#siret-erreur').waitFor();
  await page.locator('#siret').fill('81234567800013');
  await page.locator('#contact').fill('Accueil : contact@cap-horizons.example, 04 72 00 00 09');
  await page.locator(tid('organisation-save')).click();
  await page.locator('#siret-erreur').waitFor({ state: 'detached' });
  await capture(page, 'admin-organisme');
  await logoutFrom(page);
});

test('a consultant issues and downloads an attendance sheet from the documents tab', async () => {
  const page = await loginAs(browser, 'consultant@boussole.test');
  await page.waitForURL(/\/consultant$/);
  const camille = page.locator(tid('portfolio-row')).filter({ hasText: 'Camille Durand' });
  await camille.locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  await openTab(page, 'documents');
  // The demo issued her pre-contract information.
  await page.locator(tid('document-row')).filter({ hasText: 'Information préalable' }).waitFor();
  await page.locator(tid('document-kind')).selectOption('attendance_sheet');
  await page.locator(tid('document-issue')).click();
  const sheet = page.locator(tid('document-row')).filter({ hasText: 'Feuille d’émargement' });
  await sheet.waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    sheet.locator(tid('document-download')).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'attendance-sheet-v1.pdf');
  await capture(page, 'bilan-documents');
  await logoutFrom(page);
});

test('the beneficiary finds and downloads her documents', async () => {
  const page = await loginAs(browser, 'beneficiaire@boussole.test');
  await page.waitForURL(/\/beneficiaire$/);
  const mine = page.locator(tid('my-documents'));
  const row = mine.locator(tid('document-row')).filter({ hasText: 'Information préalable' });
  await row.waitFor();
  assert.equal(await mine.locator(tid('document-row')).count(), 2);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.locator(tid('document-download')).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'pre-contract-info-v1.pdf');
  await mine.scrollIntoViewIfNeeded();
  await capture(page, 'mes-documents');
  await logoutFrom(page);
});
