// The questionnaire builder (issue 11: staff build their own questionnaires), in the real SPA served by the
// real server (see ../run.sh): the consultant Karim Benali builds a short questionnaire (two agreement items, the
// second reverse-keyed, a single choice with values, one summed scale), is stopped by a field error shown beside
// the question, corrects it, saves, finds it in the list and offers it on Camille Durand's bilan; Camille answers
// it and her results show the scale score computed here by hand; switching the language redraws the chart in
// English. Logs in only as Karim and Camille (never as Lucas: journeys.test.js enrols his second factor).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, capture, tid, loginAs, logoutFrom, openTab, chooseOption } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

// An id no seeded or demo instrument uses.
const ID = 'e2e-atelier-cv';
const TITLE = 'Retour sur l’atelier CV';
// Camille's answers: 4 to the first statement, 2 to the reverse-keyed one (counts 1 + 5 − 2 = 4), "Souvent" (3)
// to the choice: the sum is 4 + 4 + 3 = 11, out of 5 + 5 + 3 = 13.
const ANSWERS = { q1: '4', q2: '2', q3: 'o3' };
const SCORE = /Satisfaction\s+11 sur 13/;

test('the consultant builds a questionnaire, offers it, and the beneficiary\'s score is the one computed by hand', async () => {
  let page = await loginAs(browser, 'consultant@boussole.test');
  await page.locator('nav a', { hasText: 'Questionnaires' }).click();
  await page.waitForURL(/\/outils\/questionnaires$/);
  // The shipped instruments are listed with their source and licence.
  await page.locator(`${tid('instrument-row')}[data-instrument="riasec-markers-48"]`).filter({ hasText: 'Licence' }).waitFor();
  await page.locator(tid('instrument-new')).click();
  await page.waitForURL(/\/outils\/questionnaires\/nouveau$/);

  await page.locator(tid('ed-title')).fill(TITLE);
  assert.equal(await page.locator(tid('ed-id')).inputValue(), 'retour-sur-l-atelier-cv');
  await page.locator(tid('ed-id')).fill(ID);
  await page.locator(tid('ed-instructions')).fill('Répondez en pensant à l’atelier de la semaine dernière.');
  const section = page.locator(tid('ed-section')).first();
  await section.locator('input[id$="-title"]').fill('Votre avis');
  const items = page.locator(tid('ed-item'));
  await items.nth(0).locator('textarea[id$="-text"]').fill('J’ai appris des choses utiles.');
  await page.locator(tid('ed-add-item')).click();
  // The new question's text has the focus, so the keyboard user types straight on. The focus moves once the row
  // is drawn (next frame): wait for it, or the first keystrokes land on the button.
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('[data-testid="ed-item"]');
    return rows.length === 2 && document.activeElement === rows[1].querySelector('textarea[id$="-text"]');
  });
  await page.keyboard.type('L’atelier était trop long.');
  assert.equal(await items.nth(1).locator('textarea[id$="-text"]').inputValue(), 'L’atelier était trop long.');
  await page.locator(tid('ed-add-item')).click();
  await items.nth(2).locator('textarea[id$="-text"]').fill('Utiliserez-vous ces conseils ?');
  await items.nth(2).locator(tid('ed-kind')).selectOption('single_choice');
  await items.nth(2).locator('textarea[id$="-options"]').fill('Jamais = 1');

  await page.locator(tid('ed-add-scale')).click();
  const scale = page.locator(tid('ed-scale'));
  await scale.locator('input[id$="-name"]').fill('Satisfaction');
  const keys = scale.locator(tid('ed-key'));
  assert.equal(await keys.count(), 3);
  for (let k = 0; k < 3; k++) await keys.nth(k).locator(tid('ed-key-count')).check();
  await keys.nth(1).locator(tid('ed-key-reverse')).check();

  // One option only: the error is said in the live summary and beside the question.
  await page.locator(tid('ed-save')).click();
  await page.locator(tid('builder-error')).filter({ hasText: 'pas enregistré' }).waitFor();
  assert.match(await items.nth(2).locator(tid('block-error')).innerText(), /Au moins deux options/);
  await items.nth(2).locator('textarea[id$="-options"]').fill('Jamais = 1\nParfois = 2\nSouvent = 3');

  // The preview shows the three questions with the beneficiary's controls.
  await page.locator(tid('ed-preview-toggle')).click();
  assert.equal(await page.locator(`${tid('ed-preview')} ${tid('question')}`).count(), 3);
  await capture(page, 'questionnaire-editeur');

  await page.locator(tid('ed-save')).click();
  await page.waitForURL(/\/outils\/questionnaires$/);
  const row = page.locator(`${tid('instrument-row')}[data-instrument="${ID}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /Créé par l’équipe/);
  assert.equal(await row.locator(tid('instrument-version')).innerText(), '1');
  await capture(page, 'questionnaires-liste');

  // Editing it says that saving makes version 2.
  await row.locator(tid('instrument-open')).click();
  assert.match(await page.locator(tid('editor-note')).innerText(), /version 2/);

  // Offered on Camille's bilan: the assign control lists the custom questionnaire.
  await page.goto(page.url().replace(/\/outils.*$/, '/consultant'));
  const camille = page.locator(tid('portfolio-row')).filter({ hasText: 'Camille Durand' });
  await camille.waitFor();
  await camille.locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  await openTab(page, 'evaluations');
  await chooseOption(page, 'assign-instrument', TITLE);
  await page.locator(tid('assign-submit')).click();
  await page.locator(`${tid('assessment-row')}[data-instrument="${ID}"]`).waitFor();
  await logoutFrom(page);

  page = await loginAs(browser, 'beneficiaire@boussole.test');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.waitForURL(/\/beneficiaire$/);
  await page.locator(`${tid('assessment-entry')}[data-instrument="${ID}"]`).locator(tid('assessment-open')).click();
  await page.waitForURL(/\/beneficiaire\/questionnaires\/[0-9a-f-]{36}$/);
  const questions = page.locator(`${tid('take-part')} ${tid('question')}`);
  await questions.first().waitFor();
  assert.equal(await questions.count(), 3);
  for (const [item, value] of Object.entries(ANSWERS)) {
    await page.locator(`${tid('question')}[data-item="${item}"] input[type="radio"][value="${value}"]`).check();
  }
  await page.locator(`${tid('save-status')}[data-state="Saved"]`).waitFor();
  await page.locator(tid('submit-open')).click();
  await page.locator(tid('submit-dialog')).waitFor();
  await page.locator(tid('submit-confirm')).click();
  await page.waitForURL(/\/questionnaires\/[0-9a-f-]{36}\/resultats$/);
  const scores = page.locator(tid('scores'));
  await scores.waitFor();
  assert.match(await scores.locator(tid('chart-row')).first().innerText(), SCORE);

  // The chart follows the language (it used to keep the first one), then back to French for the next specs.
  // (At 360 px the switch is in the folded menu: a wide screen shows it.)
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator(tid('language-switch')).click();
  await scores.locator('figcaption').filter({ hasText: 'Score of each dimension' }).waitFor();
  assert.match(await scores.locator(tid('chart-row')).first().innerText(), /11 of 13|11 out of 13/);
  await page.locator(tid('language-switch')).click();
  await scores.locator('figcaption').filter({ hasText: 'Score de chaque dimension' }).waitFor();
  await logoutFrom(page);
});
