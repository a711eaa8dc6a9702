// A bilan from opening to completion, in the real SPA served by the real server (see ../run.sh):
// the admin opens it, the beneficiary consents, the consultant runs every phase, the admin never sees content.
// Paul Girard is the demo's beneficiary who has no bilan yet (the others' stand in every state: seed/story.rs).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, capture, tid, loginAs as login, logoutFrom as logout, chooseOption, openTab } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

const loginAs = (email) => login(browser, email);

async function recordFact(page, kind) {
  await page.locator(tid('fact-kind')).selectOption(kind);
  await page.locator(tid('fact-submit')).click();
  await page.locator(`${tid('fact-row')}[data-kind="${kind}"]`).waitFor();
}

async function nextStep(page, statusText) {
  await page.locator(tid('transition-next')).click();
  await page.locator(tid('bilan-status')).filter({ hasText: statusText }).waitFor();
}

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

test('a bilan goes from opening to completion, each role in its own screens', async () => {
  // The admin opens the bilan and records the administrative facts.
  let page = await loginAs('admin@boussole.test');
  await page.goto(`${BASE}/admin/bilans`);
  await page.locator(tid('new-bilan-open')).waitFor();
  await capture(page, 'admin-bilans-demo');
  await page.locator(tid('new-bilan-open')).click();
  await page.locator(tid('new-bilan-dialog')).waitFor();
  // Submitting empty says what to fix, next to each field.
  await page.locator(tid('new-bilan-hours')).fill('');
  await page.locator(tid('new-bilan-submit')).click();
  await page.locator(`${tid('new-bilan-beneficiary')}[aria-invalid="true"]`).waitFor();
  await chooseOption(page, 'new-bilan-beneficiary', 'paul.girard@boussole.test');
  await chooseOption(page, 'new-bilan-consultant', 'consultant@boussole.test');
  await page.locator(tid('new-bilan-funding')).selectOption('employer');
  await page.locator(tid('new-bilan-format')).selectOption('mixed');
  await page.locator(tid('new-bilan-hours')).fill('24');
  // A planned end in ten days: the consultant's portfolio will say the deadline is near.
  const end = new Date(Date.now() + 10 * 86_400_000);
  await page.locator(tid('new-bilan-end')).fill(end.toISOString().slice(0, 10));
  const endFr = end.toISOString().slice(0, 10).split('-').reverse().join('/');
  await capture(page, 'admin-nouveau-bilan');
  await page.locator(tid('new-bilan-submit')).click();
  const row = page.locator(tid('admin-bilan-row')).filter({ hasText: 'Paul Girard' });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(endFr));
  await capture(page, 'admin-bilans');
  await row.locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  const bilanUrl = page.url();
  await page.locator(tid('next-step-missing')).waitFor();
  assert.equal(await page.locator(tid('bilan-planned-end')).innerText(), endFr);
  await capture(page, 'bilan-admin-resume');
  await openTab(page, 'faits');
  await recordFact(page, 'pre_contract_info');
  await recordFact(page, 'tripartite_convention_signed');
  await capture(page, 'bilan-admin-faits');
  await openTab(page, 'resume');
  // Only the beneficiary's consent is still missing.
  assert.match(await page.locator(tid('next-step-missing')).innerText(), /Consentement/);
  assert.doesNotMatch(await page.locator(tid('next-step-missing')).innerText(), /Convention tripartite/);
  await logout(page);

  // The beneficiary reads the statement and gives consent to start.
  page = await loginAs('paul.girard@boussole.test');
  await page.waitForURL(/\/beneficiaire$/);
  await page.locator(tid('consent-start-open')).waitFor();
  await capture(page, 'beneficiaire-bilan');
  await page.locator(tid('consent-start-open')).click();
  await page.locator(tid('consent-start-dialog')).waitFor();
  assert.match(await page.locator(tid('consent-statement')).innerText(), /L6313-4/);
  await capture(page, 'beneficiaire-consentement');
  await page.locator(tid('consent-start-confirm')).click();
  await page.locator(`${tid('consent-row')}[data-kind="start"]`).waitFor();
  await page.locator(tid('ben-next-text')).waitFor();
  await logout(page);

  // The consultant runs the phases from the portfolio.
  page = await loginAs('consultant@boussole.test');
  await page.waitForURL(/\/consultant$/);
  const mine = page.locator(tid('portfolio-row')).filter({ hasText: 'Paul Girard' });
  await mine.waitFor();
  await mine.locator('[data-alert="deadline-soon"]').waitFor();
  await capture(page, 'consultant-portefeuille');
  await page.locator(tid('portfolio-status')).selectOption('completed');
  await mine.waitFor({ state: 'detached' });
  await page.locator(tid('portfolio-status')).selectOption('');
  await mine.locator(tid('bilan-link')).click();
  await page.waitForURL(bilanUrl);
  await page.locator(tid('next-step-ready')).waitFor();
  await capture(page, 'bilan-consultant-resume');
  await nextStep(page, 'Phase préliminaire');

  // Too early: the investigation needs the preliminary phase's facts, and the screen lists them.
  await page.locator(tid('transition-next')).click();
  const missing = page.locator(tid('transition-error-missing'));
  await missing.waitFor();
  assert.match(await missing.innerText(), /Analyse de la demande/);
  assert.equal(await missing.locator('li').count(), 3);
  await capture(page, 'bilan-etape-refusee');

  await openTab(page, 'seances');
  await page.locator(tid('session-start')).fill(`${yesterday()}T09:00`);
  await page.locator(tid('session-end')).fill(`${yesterday()}T11:30`);
  await page.locator(tid('session-submit')).click();
  // Typed and shown in Paris time.
  await page.locator(tid('session-row')).filter({ hasText: '09:00' }).waitFor();
  await capture(page, 'bilan-seances');

  await openTab(page, 'notes');
  await page.locator(tid('note-body')).fill('Premier entretien : attentes et contraintes clarifiées.');
  await page.locator(tid('note-shared')).check();
  await page.locator(tid('note-submit')).click();
  await page.locator(tid('note-item')).waitFor();
  await capture(page, 'bilan-notes');

  await openTab(page, 'faits');
  for (const kind of ['needs_analysis', 'personalised_objectives', 'agreed_arrangements']) await recordFact(page, kind);
  await openTab(page, 'resume');
  await page.locator(tid('hours-bar')).filter({ hasText: '2 h 30' }).waitFor();
  await nextStep(page, 'Phase d’investigation');
  await nextStep(page, 'Phase de conclusions');
  await openTab(page, 'faits');
  for (const kind of ['results_appropriated', 'project_conditions', 'project_steps', 'synthese_delivered']) {
    await recordFact(page, kind);
  }
  await capture(page, 'bilan-faits');
  await openTab(page, 'resume');
  await nextStep(page, 'Terminé');
  await capture(page, 'bilan-termine');
  await openTab(page, 'historique');
  await page.locator(tid('timeline-row')).filter({ hasText: 'Phase de conclusions → Terminé' }).waitFor();
  await capture(page, 'bilan-historique');
  await openTab(page, 'consentements');
  await page.locator(`${tid('consent-row')}[data-kind="start"]`).waitFor();
  await capture(page, 'bilan-consentements');
  await logout(page);

  // The beneficiary reads the shared note.
  page = await loginAs('paul.girard@boussole.test');
  await page.locator(tid('note-item')).filter({ hasText: 'Premier entretien' }).waitFor();
  await capture(page, 'beneficiaire-bilan-termine');
  await logout(page);

  // The admin sees the completed bilan, without any notes tab or content.
  page = await loginAs('admin@boussole.test');
  await page.goto(`${BASE}/admin/bilans`);
  await page.locator(tid('admin-bilan-row')).filter({ hasText: 'Paul Girard' }).filter({ hasText: 'Terminé' }).waitFor();
  await page.goto(bilanUrl);
  await page.locator(tid('bilan-status')).filter({ hasText: 'Terminé' }).waitFor();
  await page.locator(tid('admin-no-content')).waitFor();
  assert.equal(await page.locator(tid('tab-notes')).count(), 0);
  assert.equal(await page.locator(tid('note-item')).count(), 0);
  await openTab(page, 'historique');
  assert.equal(await page.locator(tid('timeline-row')).filter({ hasText: 'Note' }).count(), 0);
  assert.doesNotMatch(await page.locator('main').innerText(), /Premier entretien/);
  await capture(page, 'bilan-admin-historique');
  // Reassignment: the admin hands the bilan over to the second consultant.
  await page.goto(`${BASE}/admin/bilans`);
  await page.locator(tid('admin-bilan-row')).filter({ hasText: 'Paul Girard' }).locator(tid('reassign-open')).click();
  await page.locator(tid('reassign-dialog')).waitFor();
  await chooseOption(page, 'reassign-consultant', 'consultante2@boussole.test');
  await capture(page, 'admin-reaffectation');
  await page.locator(tid('reassign-submit')).click();
  await page.locator(tid('reassign-dialog')).waitFor({ state: 'hidden' });
  await page.locator(tid('admin-bilan-row')).filter({ hasText: 'Paul Girard' }).filter({ hasNotText: 'Karim Benali' }).waitFor();
});
