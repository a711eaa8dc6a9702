// Questionnaires, in the real SPA served by the real server (see ../run.sh): the consultant offers the RIASEC
// inventory on the demo's running bilan (Lucas Moreau with Karim Benali, see `seed-demo`, which has already had
// one RIASEC inventory answered and interpreted); Lucas answers it on a phone-sized screen with the keyboard-usable
// radio groups, leaves and comes back where he stopped, sends it, and sees the hexagon and his Holland code; the
// consultant opens the same results from the bilan's "Évaluations" tab, sees the same code, and writes an
// interpretation that Lucas then reads.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, capture, tid, loginAs, logoutFrom, openTab, chooseOption } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

const LUCAS = 'Lucas Moreau';
const PHONE = { width: 360, height: 740 };
// The answers: Investigative 5, Artistic 4, Realistic 3, Social 2, Enterprising and Conventional 1 → code "IAR".
const RATING = { I: '5', A: '4', R: '3', S: '2', E: '1', C: '1' };
const CODE = 'IAR';

async function openLucasFile(page) {
  await page.waitForURL(/\/consultant$/);
  const lucas = page.locator(tid('portfolio-row')).filter({ hasText: LUCAS });
  await lucas.waitFor();
  await lucas.locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  await openTab(page, 'evaluations');
}

/** Answers every question of the part on screen; returns how many. */
async function answerPart(page) {
  const questions = page.locator(`${tid('take-part')} ${tid('question')}`);
  await questions.first().waitFor();
  const n = await questions.count();
  for (let k = 0; k < n; k++) {
    const q = questions.nth(k);
    const item = await q.getAttribute('data-item');
    await q.locator(`input[type="radio"][value="${RATING[item[0]]}"]`).check();
  }
  return n;
}

async function waitSaved(page) {
  await page.locator(`${tid('save-status')}[data-state="Saved"]`).waitFor();
}

test('the consultant offers the RIASEC inventory; the beneficiary answers it on a phone and sees the hexagon', async () => {
  let page = await loginAs(browser, 'consultant@boussole.test');
  await openLucasFile(page);
  const riasecRows = page.locator(`${tid('assessment-row')}[data-instrument="riasec-markers-48"]`);
  await riasecRows.first().waitFor();
  const before = await riasecRows.count();
  await chooseOption(page, 'assign-instrument', 'RIASEC');
  await page.locator(tid('assign-submit')).click();
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length === n,
    [`[data-testid="assessment-row"][data-instrument="riasec-markers-48"]`, before + 1]);
  assert.match(await riasecRows.last().innerText(), /À faire/);
  await capture(page, 'bilan-evaluations');
  assert.equal(await page.locator(tid('help-link')).getAttribute('href'), '/aide/consultant#proposer-questionnaire');
  await logoutFrom(page);

  page = await loginAs(browser, 'lucas.moreau@boussole.test');
  await page.setViewportSize(PHONE);
  await page.waitForURL(/\/beneficiaire$/);
  const todo = page.locator(`${tid('assessment-entry')}[data-instrument="riasec-markers-48"]`).filter({ hasText: 'Commencer' });
  await todo.locator(tid('assessment-open')).click();
  await page.waitForURL(/\/beneficiaire\/questionnaires\/[0-9a-f-]{36}$/);

  // The first part, answered with the radio groups; the status says when it is saved.
  const first = await answerPart(page);
  assert.equal(first, 8);
  await waitSaved(page);
  assert.match(await page.locator(tid('take-progress')).innerText(), /^8 réponses sur 48/);

  // Leaving and coming back opens the questionnaire where it was left (part 2), with the answers kept.
  await page.reload();
  await page.locator(tid('take-part')).waitFor();
  assert.match(await page.locator('#partie-titre').innerText(), /Partie 2 sur 6/);
  assert.match(await page.locator(tid('take-progress')).innerText(), /^8 réponses sur 48/);

  // The ranking of the screen at 360 px: nothing wider than the viewport.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the questionnaire is ${overflow} px wider than a 360 px screen`);
  await capture(page, 'questionnaire-riasec');
  assert.equal(await page.locator(tid('help-link')).getAttribute('href'), '/aide/beneficiaire#questionnaire');
  await page.setViewportSize(PHONE);

  let answered = 0;
  for (let part = 2; part <= 6; part++) {
    // Wait for the part's own heading: the previous part's questions must not be answered twice.
    await page.locator('#partie-titre').filter({ hasText: `Partie ${part} sur 6` }).waitFor();
    answered += await answerPart(page);
    if (part < 6) await page.locator(tid('part-next')).click();
  }
  assert.equal(answered, 40);
  assert.equal(await page.locator(tid('part-next')).count(), 0);
  await waitSaved(page);
  await page.locator(tid('submit-open')).click();
  await page.locator(tid('submit-dialog')).waitFor();
  await page.locator(tid('submit-confirm')).click();
  await page.waitForURL(/\/questionnaires\/[0-9a-f-]{36}\/resultats$/);

  await page.locator(tid('holland-code')).waitFor();
  assert.equal(await page.locator(tid('holland-code')).innerText(), CODE);
  assert.ok(await page.locator('svg.chart-radar').isVisible());
  // The table beside the hexagon: the six types in hexagon order, with their scores.
  const rows = page.locator(`${tid('holland')} ${tid('chart-row')}`);
  assert.equal(await rows.count(), 6);
  assert.match(await rows.nth(0).innerText(), /Réaliste\s+24 sur 40/);
  assert.match(await rows.nth(1).innerText(), /Investigateur\s+40 sur 40/);
  assert.match(await page.locator(tid('exploratory')).innerText(), /non validée/);
  assert.match(await page.locator(tid('interpretation-none')).innerText(), /pas encore écrit/);
  await capture(page, 'resultats-riasec');
  await logoutFrom(page);
});

test('the consultant sees the same code in the Assessments tab and writes the interpretation', async () => {
  let page = await loginAs(browser, 'consultant@boussole.test');
  await openLucasFile(page);
  const latest = page.locator(`${tid('assessment-row')}[data-instrument="riasec-markers-48"]`).last();
  assert.match(await latest.innerText(), /Terminé/);
  await latest.locator(tid('assessment-results')).click();
  await page.waitForURL(/\/questionnaires\/[0-9a-f-]{36}\/resultats$/);
  await page.locator(tid('holland-code')).waitFor();
  assert.equal(await page.locator(tid('holland-code')).innerText(), CODE);
  await page.locator(tid('interpretation-body')).fill('Intérêts IAR : à mettre en regard des métiers de la recherche appliquée, à explorer ensemble.');
  await page.locator(tid('interpretation-submit')).click();
  await page.locator(tid('interpretation-text')).filter({ hasText: 'recherche appliquée' }).waitFor();
  await capture(page, 'resultats-riasec-consultant');
  assert.equal(await page.locator(tid('help-link')).getAttribute('href'), '/aide/consultant#resultats');
  const url = page.url();
  await logoutFrom(page);

  page = await loginAs(browser, 'lucas.moreau@boussole.test');
  await page.goto(url);
  await page.locator(tid('interpretation-text')).filter({ hasText: 'recherche appliquée' }).waitFor();
  await logoutFrom(page);
});

test('Camille, the listed beneficiary, reads her Big-Five results and Karim\'s interpretation; her RIASEC waits', async () => {
  const page = await loginAs(browser, 'beneficiaire@boussole.test');
  await page.setViewportSize(PHONE);
  await page.waitForURL(/\/beneficiaire$/);
  const entry = (id) => page.locator(`${tid('assessment-entry')}[data-instrument="${id}"]`);
  await entry('riasec-markers-48').waitFor();
  assert.match(await entry('riasec-markers-48').innerText(), /À faire/);
  for (const id of ['transferable-skills', 'work-values']) assert.match(await entry(id).innerText(), /Terminé/);
  await entry('ipip-bffm-50').locator(tid('assessment-open')).click();
  await page.waitForURL(/\/questionnaires\/[0-9a-f-]{36}\/resultats$/);
  await page.locator(`${tid('scores')} ${tid('chart-row')}`).first().waitFor();
  assert.equal(await page.locator(`${tid('scores')} ${tid('chart-row')}`).count(), 5);
  assert.match(await page.locator(tid('interpretation-text')).innerText(), /consciencieuse/);
  assert.equal(await page.locator(tid('help-link')).getAttribute('href'), '/aide/beneficiaire#resultats');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the results are ${overflow} px wider than a 360 px screen`);
  await capture(page, 'resultats-big-five');
  await logoutFrom(page);
});
