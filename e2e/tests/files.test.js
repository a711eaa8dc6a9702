// A bilan's files (issue 12 item 5), in the real SPA: Karim Benali uploads a PDF to Camille Durand's bilan
// from the "Fichiers" tab of her file (the progress shows, the row appears, it downloads back); Camille
// finds it from her home at /bilans/:id/fichiers, on a phone-sized screen too, and uploads her own; a file
// the API does not accept (its first bytes are not a known type) is refused with the reason shown.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, capture, tid, loginAs, logoutFrom, openTab, PDF } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

const rows = (page) => page.locator(tid('file-row'));

test('the consultant uploads a file to the bilan and downloads it back', async () => {
  const page = await loginAs(browser, 'consultant@boussole.test');
  await page.waitForURL(/\/consultant$/);
  await page.locator(tid('portfolio-row')).filter({ hasText: 'Camille Durand' }).locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  await openTab(page, 'fichiers');
  await page.locator(tid('bilan-files')).waitFor();
  await page.locator(`${tid('files-table')}, ${tid('files-empty')}`).first().waitFor();
  const before = await rows(page).count();
  await page.locator(tid('bilan-file-input')).setInputFiles({ name: 'compte-rendu-entretien.pdf', mimeType: 'application/pdf', buffer: PDF });
  const row = rows(page).filter({ hasText: 'compte-rendu-entretien.pdf' });
  await row.waitFor();
  assert.equal(await rows(page).count(), before + 1);
  assert.match(await row.innerText(), /vous/);
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator(tid('file-download')).click()]);
  assert.equal(download.suggestedFilename(), 'compte-rendu-entretien.pdf');
  // Not a document type the API accepts: refused, said, nothing added.
  await page.locator(tid('bilan-file-input')).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('juste du texte') });
  await page.locator(tid('bilan-file-error')).filter({ hasText: /./ }).waitFor();
  assert.equal(await rows(page).count(), before + 1);
  await capture(page, 'bilan-fichiers');
  await logoutFrom(page);
});

test('the beneficiary finds the files from her home and adds one, on a phone too', async () => {
  const page = await loginAs(browser, 'beneficiaire@boussole.test');
  await page.waitForURL(/\/beneficiaire$/);
  await page.locator(tid('ben-files-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}\/fichiers$/);
  const theirs = rows(page).filter({ hasText: 'compte-rendu-entretien.pdf' });
  await theirs.waitFor();
  assert.match(await theirs.innerText(), /un autre participant/);
  const before = await rows(page).count();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.locator(tid('bilan-file-input')).setInputFiles({ name: 'mon-cv.pdf', mimeType: 'application/pdf', buffer: PDF });
  await rows(page).filter({ hasText: 'mon-cv.pdf' }).waitFor();
  assert.equal(await rows(page).count(), before + 1);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the files screen fits a phone (${width} px)`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await capture(page, 'mes-fichiers');
  await logoutFrom(page);
});
