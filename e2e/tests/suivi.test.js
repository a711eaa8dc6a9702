// Following bilans, in the real SPA served by the real server (see ../run.sh): the consultant's portfolio filters
// and alerts on the demo's bilan (Lucas Moreau with Karim Benali, see `seed-demo`), a note about a session; then a
// bilan the admin opens for Inès Garcia: her share and retention agreements and their withdrawal, her own record,
// and the beneficiary records as the consultant and the admin see them.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, capture, tid, loginAs, logoutFrom, openTab, daysAgoAt, chooseOption } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

const LUCAS = 'Lucas Moreau';
const INES = 'Inès Garcia';

test('a consultant filters the portfolio by funding and silence, and notes a session', async () => {
  const page = await loginAs(browser, 'consultant@boussole.test');
  await page.waitForURL(/\/consultant$/);
  const lucas = page.locator(tid('portfolio-row')).filter({ hasText: LUCAS });
  await lucas.waitFor();

  // A session held three weeks ago, typed in Paris time: the portfolio then says nobody met Lucas since.
  await lucas.locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  await openTab(page, 'seances');
  // 02:30 on the last Sunday of March does not exist in Paris: refused before reaching the API.
  await page.locator(tid('session-start')).fill('2026-03-29T02:30');
  await page.locator(tid('session-end')).fill('2026-03-29T04:00');
  await page.locator(tid('session-submit')).click();
  assert.match(await page.locator(tid('session-start-error')).innerText(), /n’existe pas/);
  await page.locator(tid('session-start')).fill(daysAgoAt(21, '09:00'));
  await page.locator(tid('session-end')).fill(daysAgoAt(21, '10:00'));
  await page.locator(tid('session-submit')).click();
  await page.locator(tid('session-row')).filter({ hasText: '09:00' }).waitFor();

  // A note about that session: the picker lists it in Paris time.
  await openTab(page, 'notes');
  const option = page.locator(`${tid('note-session')} option`, { hasText: '09:00' });
  await option.first().waitFor({ state: 'attached' });
  await page.locator(tid('note-session')).selectOption(await option.first().getAttribute('value'));
  await page.locator(tid('note-body')).fill('Entretien de cadrage : contraintes horaires notées.');
  await page.locator(tid('note-submit')).click();
  await page.locator(tid('note-item')).filter({ hasText: 'séance du' }).waitFor();
  await capture(page, 'bilan-note-seance');

  await page.goto(`${BASE}/consultant`);
  await lucas.waitFor();
  await lucas.locator('[data-alert="no-contact"]').filter({ hasText: /depuis 2[01] jours/ }).waitFor();
  await page.locator(tid('portfolio-contact')).selectOption('14');
  await lucas.waitFor();
  await page.locator(tid('portfolio-funding')).selectOption('employer');
  await lucas.waitFor({ state: 'detached' });
  await page.locator(tid('portfolio-funding')).selectOption('cpf');
  await lucas.waitFor();
  await capture(page, 'consultant-portefeuille-filtres');
  // Every row left is CPF-funded and silent for two weeks or more; Lucas's bilan is not near 20 hours.
  const rows = page.locator(tid('portfolio-row'));
  for (let n = 0; n < await rows.count(); n++) {
    assert.equal(await rows.nth(n).locator('[data-alert="no-contact"]').count(), 1);
  }
  await page.locator(tid('portfolio-hours')).selectOption('near_max');
  await lucas.waitFor({ state: 'detached' });
  await logoutFrom(page);
});

test('the beneficiary gives and withdraws a share agreement, agrees to keep documents, and fills in the record', async () => {
  // The admin opens a bilan for Inès with Karim Benali.
  let page = await loginAs(browser, 'admin@boussole.test');
  await page.goto(`${BASE}/admin/bilans`);
  await page.locator(tid('new-bilan-open')).click();
  await page.locator(tid('new-bilan-dialog')).waitFor();
  await chooseOption(page, 'new-bilan-beneficiary', 'ines.garcia@boussole.test');
  await chooseOption(page, 'new-bilan-consultant', 'consultant@boussole.test');
  await page.locator(tid('new-bilan-submit')).click();
  await page.locator(tid('admin-bilan-row')).filter({ hasText: INES }).waitFor();
  await logoutFrom(page);

  page = await loginAs(browser, 'ines.garcia@boussole.test');
  await page.waitForURL(/\/beneficiaire$/);
  await page.locator(tid('share-open')).click();
  await page.locator(tid('share-dialog')).waitFor();
  await page.locator(tid('share-recipient-kind')).selectOption('employer');
  await page.locator(tid('share-recipient-name')).fill('ACME, service RH');
  await page.locator(tid('share-scope')).selectOption('results');
  const statement = page.locator(`${tid('share-dialog')} ${tid('agreement-statement')}`);
  assert.equal(await statement.innerText(),
    'J\'accepte que soit communiqué à « Employeur : ACME, service RH » : les résultats détaillés du bilan. '
    + 'Je peux retirer cet accord à tout moment.');
  await capture(page, 'beneficiaire-accord-partage');
  await page.locator(`${tid('share-dialog')} ${tid('agreement-submit')}`).click();
  const share = page.locator(`${tid('consent-row')}[data-kind="share"]`);
  await share.filter({ hasText: 'ACME, service RH' }).waitFor();

  await page.locator(tid('retention-open')).click();
  await page.locator(tid('retention-dialog')).waitFor();
  await page.locator(tid('retention-months')).fill('40');
  await page.locator(`${tid('retention-dialog')} ${tid('agreement-submit')}`).click();
  await page.locator(tid('retention-months-error')).waitFor();
  await page.locator(tid('retention-months')).fill('24');
  await page.locator(`${tid('retention-dialog')} ${tid('agreement-submit')}`).click();
  await page.locator(`${tid('consent-row')}[data-kind="retention"]`).filter({ hasText: '24 mois' }).waitFor();

  // Withdrawing keeps the record, marked withdrawn, and leaves no withdraw button on it.
  await share.locator(tid('consent-revoke')).click();
  await share.filter({ hasText: 'Retiré le' }).waitFor();
  assert.equal(await share.locator(tid('consent-revoke')).count(), 0);
  await capture(page, 'beneficiaire-accords');

  await page.goto(`${BASE}/beneficiaire/dossier`);
  await page.locator(tid('record-form')).waitFor();
  await page.locator(tid('record-situation')).selectOption('job_seeker');
  await page.locator(tid('record-cep')).fill('Mme Leroy, Apec');
  await page.locator(tid('record-consent')).check();
  await page.locator(tid('record-needs')).fill('Séances le matin, salle accessible en fauteuil.');
  await capture(page, 'beneficiaire-dossier');
  await page.locator(tid('record-submit')).click();
  await page.locator(`${tid('toasts')} .toast`).filter({ hasText: 'Dossier enregistré' }).waitFor();
  await logoutFrom(page);
});

test('staff open the beneficiary records: the consultant reads, the admin edits without the accessibility needs', async () => {
  let page = await loginAs(browser, 'consultant@boussole.test');
  await page.locator('nav a', { hasText: 'Bénéficiaires' }).click();
  await page.waitForURL(/\/consultant\/beneficiaires$/);
  const row = page.locator(tid('beneficiary-row')).filter({ hasText: INES });
  await row.waitFor();
  await capture(page, 'consultant-beneficiaires');
  await row.locator(tid('beneficiary-link')).click();
  await page.locator(tid('record-view')).waitFor();
  // The beneficiary consented: their consultant reads the accessibility needs.
  assert.match(await page.locator(tid('record-needs-view')).innerText(), /fauteuil/);
  await capture(page, 'consultant-dossier-beneficiaire');
  await logoutFrom(page);

  page = await loginAs(browser, 'admin@boussole.test');
  await page.goto(`${BASE}/admin/beneficiaires`);
  await page.locator(tid('records-q')).fill('Garcia');
  await page.locator(tid('records-search-submit')).click();
  const found = page.locator(tid('beneficiary-row')).filter({ hasText: INES });
  await found.waitFor();
  // The unfiltered list may still be on screen for a moment: wait for the search's answer.
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 1, tid('beneficiary-row'));
  assert.equal(await page.locator(tid('beneficiary-row')).count(), 1);
  await found.locator(tid('beneficiary-link')).click();
  await page.locator(tid('record-form')).waitFor();
  await page.locator(tid('record-employer')).fill('ACME');
  await page.locator(tid('record-siret')).fill('732 829 320 00075');
  await page.locator(tid('record-submit')).click();
  await page.locator(tid('record-siret-error')).waitFor();
  await page.locator(tid('record-siret')).fill('732 829 320 00074');
  await page.locator(tid('record-submit')).click();
  await page.locator(`${tid('toasts')} .toast`).filter({ hasText: 'Dossier enregistré' }).waitFor();
  // The admin learns that consent was given, never the needs themselves.
  assert.equal(await page.locator(tid('record-needs')).count(), 0);
  assert.match(await page.locator(tid('record-accessibility-admin')).innerText(), /consenti/);
  assert.doesNotMatch(await page.locator('main').innerText(), /fauteuil/);
  await capture(page, 'admin-dossier-beneficiaire');
  await logoutFrom(page);
});
