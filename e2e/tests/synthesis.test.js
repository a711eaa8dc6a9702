// The document de synthèse (issue 12), in the real SPA. Needs the synthèse API (the `synth` branch).
// Karim Benali drafts Camille Durand's synthèse (prefilled sections, an action plan row added and one
// removed, saved with its revision; submitting with an empty section names it); Nicolas Fontaine, whose
// synthèse the demo submitted to him, reads it from his home, comments on his project and approves it on a
// phone-sized screen; Karim sees the comment and issues the synthèse.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, capture, tid, loginAs, logoutFrom } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

async function openSynthesisOf(page, name) {
  await page.waitForURL(/\/consultant$/);
  await page.locator(tid('portfolio-row')).filter({ hasText: name }).locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  await page.locator(tid('bilan-synthesis-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}\/synthese$/);
  await page.locator(tid('synthesis-form')).waitFor();
}

test('the consultant drafts a synthèse: sections, action plan rows, save with revision, empty section named', async () => {
  const page = await loginAs(browser, 'consultant@boussole.test');
  await openSynthesisOf(page, 'Camille Durand');
  await page.locator(`${tid('synthesis-status')}[data-status="draft"]`).waitFor();
  await page.locator('#synthese-skills').fill('Gestion de projet, animation d’équipe.');
  await page.locator('#synthese-follow_up').fill('');
  await page.locator(tid('synthesis-step-add')).click();
  await page.locator(tid('synthesis-step-add')).click();
  assert.equal(await page.locator(tid('synthesis-step')).count() >= 2, true);
  const last = page.locator(tid('synthesis-step')).last();
  await last.locator(tid('synthesis-step-text')).fill('Supprimée ensuite');
  await last.locator(tid('synthesis-step-remove')).click();
  await page.locator(tid('synthesis-step')).last().locator(tid('synthesis-step-text')).fill('Suivre une formation de formateur');
  await page.locator(tid('synthesis-step')).last().locator(tid('synthesis-step-horizon')).fill('d’ici 3 mois');
  await page.locator(tid('synthesis-save')).click();
  await page.locator(tid('synthesis-status')).filter({ hasText: 'Révision 1' }).waitFor();
  // Submitting with the follow-up empty: refused, the section is named next to its field.
  await page.locator(tid('synthesis-submit')).click();
  await page.locator('#synthese-follow_up-erreur').waitFor();
  assert.equal(await page.locator('#synthese-follow_up').getAttribute('aria-invalid'), 'true');
  await capture(page, 'synthese-redaction');
  await logoutFrom(page);
});

test('the beneficiary reads, comments on and approves the synthèse; the consultant issues it', async () => {
  let page = await loginAs(browser, 'nicolas.fontaine@boussole.test');
  await page.waitForURL(/\/beneficiaire$/);
  await page.locator(tid('ben-synthesis-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}\/synthese$/);
  const project = page.locator(`${tid('synthesis-section')}[data-key="project"]`);
  await project.waitFor();
  await page.setViewportSize({ width: 360, height: 740 });
  await project.locator('summary').click();
  await project.locator(tid('synthesis-comment-body')).fill('Je préfère commencer dans mon entreprise actuelle.');
  await project.locator(tid('synthesis-comment-send')).click();
  await project.locator(tid('synthesis-comment')).filter({ hasText: 'mon entreprise actuelle' }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the synthèse fits a phone (${width} px)`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator(tid('synthesis-approve')).click();
  await page.locator(tid('synthesis-approved')).waitFor();
  await capture(page, 'synthese-lecture');
  await logoutFrom(page);

  page = await loginAs(browser, 'consultant@boussole.test');
  await openSynthesisOf(page, 'Nicolas Fontaine');
  await page.locator(tid('synthesis-comment')).filter({ hasText: 'mon entreprise actuelle' }).waitFor();
  await page.locator(`${tid('synthesis-status')}[data-status="approved"]`).waitFor();
  await page.locator(tid('synthesis-issue')).click();
  await page.locator(tid('synthesis-issued')).waitFor();
  await logoutFrom(page);
});
