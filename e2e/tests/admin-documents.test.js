// The documents' legal screens (issue 12), in the real SPA served by the real server: the admin words a paragraph
// of the pre-contract information with a merge field (the demo saved version 1: this is version 2), is told of an
// unknown field next to its paragraph and of a save from a stale version; moves a retention period and is told
// when it is out of its bounds; downloads the demo's destruction record (Sandrine Michel's bilan, closed after her
// follow-up) and downloads its procès-verbal. Julie Roux, whose règlement intérieur the demo issued, says she has
// read it.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, openBrowser, capture, tid, loginAs, logoutFrom } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

test('the admin edits a template paragraph and finds the new version in the history', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');
  await page.locator('nav a[href="/admin/modeles"]').click();
  await page.locator(tid('templates-table')).waitFor();
  const pre = page.locator(`${tid('template-row')}[data-kind="pre_contract_info"]`);
  assert.match(await pre.textContent(), /Information préalable/);
  await page.locator(tid('template-fixed')).waitFor();
  await capture(page, 'admin-modeles');

  await pre.locator(tid('template-edit')).click();
  await page.waitForURL(/\/admin\/modeles\/pre_contract_info$/);
  await page.locator(tid('template-version')).filter({ hasText: 'Version en cours : 1' }).waitFor();
  // The merge fields are listed as help.
  await page.locator(tid('template-fields')).getByText('{{organisation.name}}').waitFor();
  await page.locator(tid('template-version-row')).nth(1).waitFor();
  assert.equal(await page.locator(tid('template-version-row')).count(), 2);

  // An unknown merge field: nothing saved, the paragraph says which.
  const intro = page.locator('#paragraphe-1');
  await intro.fill('Bonjour {{beneficiary.age}}.');
  await page.locator(tid('template-save')).click();
  const err = page.locator('#paragraphe-1-erreur');
  await err.waitFor();
  assert.match(await err.textContent(), /champ de fusion inconnu : \{\{beneficiary\.age\}\}/);
  assert.equal(await intro.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator(tid('template-error')).textContent(), /pas enregistré/);

  await intro.fill('Bienvenue {{beneficiary.full_name}} chez {{organisation.name}}.');
  await page.locator(tid('template-save')).click();
  await page.locator(tid('template-version')).filter({ hasText: 'Version en cours : 2' }).waitFor();
  await err.waitFor({ state: 'detached' });
  await page.locator(tid('template-version-row')).nth(2).waitFor();
  const newest = page.locator(tid('template-version-row')).first();
  assert.equal((await newest.locator('th').textContent()).trim(), '2');
  await capture(page, 'admin-modele');

  // Another tab (the same admin) saves version 3 meanwhile: this page's save is refused, and says so.
  const other = await browser.context.newPage();
  await other.goto(`${BASE}/admin/modeles/pre_contract_info`);
  await other.locator(tid('template-version')).filter({ hasText: 'Version en cours : 2' }).waitFor();
  await other.locator('#paragraphe-2').fill('Objectifs revus dans un autre onglet.');
  await other.locator(tid('template-save')).click();
  await other.locator(tid('template-version')).filter({ hasText: 'Version en cours : 3' }).waitFor();
  await other.close();
  await page.locator('#paragraphe-3').fill('Évaluation revue ici.');
  await page.locator(tid('template-save')).click();
  const conflict = page.locator(tid('template-conflict'));
  await conflict.waitFor();
  assert.match(await page.locator(tid('template-error')).textContent(), /la version courante est la 3/);
  await conflict.locator(tid('template-reload')).click();
  await page.locator(tid('template-version')).filter({ hasText: 'Version en cours : 3' }).waitFor();
  assert.equal(await page.locator('#paragraphe-2').inputValue(), 'Objectifs revus dans un autre onglet.');
  await logoutFrom(page);
});

test('the admin edits a retention period within its bounds', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');
  await page.goto(`${BASE}/admin`);
  await page.locator('.cards a[href="/admin/conservation"]').click();
  const admin = page.locator(`${tid('retention-rule')}[data-class="administrative_documents"]`);
  await admin.waitFor();
  // The bilan's content is destroyed at the end of the action: the law fixes it.
  await page.locator(`${tid('retention-rule')}[data-class="bilan_content"] ${tid('retention-fixed')}`).waitFor();
  assert.equal(await page.locator(`${tid('retention-rule')}[data-class="bilan_content"] input`).count(), 0);

  const months = admin.locator(tid('retention-months'));
  assert.equal(await months.inputValue(), '36');
  await months.fill('12');
  await admin.locator(tid('retention-save')).click();
  const err = admin.locator(tid('retention-months-error'));
  await err.waitFor();
  assert.match(await err.textContent(), /entre 36 et 120 mois/);
  assert.equal(await months.getAttribute('aria-invalid'), 'true');

  await months.fill('60');
  await admin.locator(tid('retention-save')).click();
  await admin.locator(tid('retention-changed')).waitFor();
  await err.waitFor({ state: 'detached' });
  await page.reload();
  await admin.waitFor();
  assert.equal(await admin.locator(tid('retention-months')).inputValue(), '60');
  await capture(page, 'admin-conservation');

  // "Lancer maintenant" asks first; cancelled here, so that the other journeys keep the demo's documents.
  await page.locator(tid('run-now')).click();
  const dialog = page.locator(tid('run-now-dialog'));
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /définitivement/);
  await dialog.getByRole('button', { name: 'Fermer' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await logoutFrom(page);
});

test('the admin opens the demo destruction record and downloads its procès-verbal', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');
  await page.goto(`${BASE}/admin/conservation`);
  // Sandrine Michel's bilan, closed after her follow-up by the job: its content destroyed.
  const run = page.locator(tid('run-row')).filter({ hasText: 'La destruction automatique' }).last();
  await run.waitFor();
  assert.match(await run.textContent(), /La destruction automatique/);
  // The record is its procès-verbal (its text is read back by the API tests).
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    run.locator(tid('run-pdf')).click(),
  ]);
  assert.match(download.suggestedFilename(), /^proces-verbal-destruction-\d{4}-\d{2}-\d{2}\.pdf$/);
  const pdf = readFileSync(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await capture(page, 'admin-destruction');
  await logoutFrom(page);
});

test('the beneficiary says she has read the règlement intérieur', async () => {
  const page = await loginAs(browser, 'julie.roux@boussole.test');
  await page.waitForURL(/\/beneficiaire$/);
  const mine = page.locator(tid('my-documents'));
  await mine.locator(tid('document-row')).filter({ hasText: 'Règlement intérieur' }).waitFor();
  const ack = mine.locator(tid('reglement-ack'));
  await ack.waitFor();
  assert.equal((await ack.locator(tid('reglement-ack-done')).textContent()).trim(), '');
  await ack.locator(tid('reglement-ack-button')).click();
  const done = ack.locator(tid('reglement-ack-done'));
  await done.filter({ hasText: /Vous avez pris connaissance du règlement intérieur le \d{2}\/\d{2}\/\d{4}\./ }).waitFor();
  assert.equal(await ack.locator(tid('reglement-ack-button')).count(), 0);
  // Said once, kept: a reload shows the same date, with no button.
  const said = await done.textContent();
  await page.reload();
  await ack.locator(tid('reglement-ack-done')).filter({ hasText: said }).waitFor();
  assert.equal(await ack.locator(tid('reglement-ack-button')).count(), 0);
  await ack.scrollIntoViewIfNeeded();
  await capture(page, 'reglement-interieur');
  await logoutFrom(page);
});
