// Named to run before journeys.test.js, which turns on two-factor login for Lucas Moreau.
// The skills grid and the projection tools (issue 11, items 6–7) in the real SPA: on Lucas Moreau's demo
// bilan, the consultant adds a skill and a career path picked from the ROME with the keyboard, and sees
// the decision matrix rank it, and adds a step to the action plan; Lucas reaches the same project from his
// home. The pictures are the consultant's and the beneficiary's guides' (docs/guide).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, capture, tid, loginAs as login, openTab, BASE } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

test('the consultant records a skill and a path with a ROME code, and sees the matrix rank it', async () => {
  const page = await login(browser, 'consultant@boussole.test');
  await page.goto(`${BASE}/consultant`);
  await page.locator(tid('bilan-link')).filter({ hasText: 'Lucas Moreau' }).first().click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);

  await openTab(page, 'competences');
  await page.locator(tid('skill-row')).first().waitFor();
  const before = await page.locator(tid('skill-row')).count();
  await page.locator(tid('skill-name')).fill('Lecture de plans');
  await page.locator(tid('skill-level')).selectOption('3');
  await page.locator(tid('skill-transferable')).check();
  await page.locator(tid('skill-submit')).click();
  await page.locator(tid('skill-row')).filter({ hasText: 'Lecture de plans' }).waitFor();
  assert.equal(await page.locator(tid('skill-row')).count(), before + 1);
  await capture(page, 'bilan-competences');

  await openTab(page, 'projet');
  await page.locator(tid('path-item')).first().waitFor();
  await page.locator(tid('path-title')).fill('Dessinateur en menuiserie');
  await page.locator(tid('rome-input')).fill('menuisier');
  await page.locator(tid('rome-option')).first().waitFor();
  await page.locator(tid('rome-input')).press('ArrowDown');
  await page.locator(tid('rome-input')).press('Enter');
  await page.locator(tid('rome-chosen')).filter({ hasText: 'Menuisier' }).waitFor();
  await page.locator(tid('path-required')).fill('Lecture de plans : 2');
  await page.locator(tid('path-submit')).click();
  const path = page.locator(tid('path-item')).filter({ hasText: 'Dessinateur en menuiserie' });
  await path.waitFor();
  assert.match(await path.locator(tid('gap-list')).innerText(), /acquise/);

  // Scored 5 everywhere, the new path takes the first rank.
  const row = page.locator(tid('matrix-row')).filter({ hasText: 'Dessinateur en menuiserie' });
  await row.waitFor();
  for (const select of await row.locator(tid('matrix-score')).all()) await select.selectOption('5');
  await page.locator(tid('matrix-save')).click();
  await page.locator(tid('matrix-row')).first().filter({ hasText: 'Dessinateur en menuiserie' }).waitFor();
  assert.equal(await page.locator(tid('matrix-rank')).first().innerText(), '1');
  await capture(page, 'bilan-projet');
  // The "?" follows the open tab: the guide's section on paths and the matrix.
  assert.equal(await page.locator(tid('help-link')).getAttribute('href'), '/aide/consultant#pistes');

  // The action plan: a step added, saved with the plan (the guide's picture of the plan).
  await page.locator(tid('step-label')).fill('Visiter un atelier de menuiserie');
  await page.locator(tid('step-add')).click();
  await page.locator(tid('plan-steps')).filter({ hasText: 'Visiter un atelier de menuiserie' }).waitFor();
  await page.locator(tid('plan-steps')).scrollIntoViewIfNeeded();
  await capture(page, 'bilan-plan-action');
});

test('Lucas opens his skills and project from his home, on a phone-sized screen', async () => {
  const page = await login(browser, 'lucas.moreau@boussole.test');
  await page.setViewportSize({ width: 360, height: 780 });
  await page.locator(tid('ben-project-link')).click();
  await page.locator(tid('plan-steps')).waitFor();
  assert.ok((await page.locator(tid('experience-item')).count()) >= 2);
  assert.equal(await page.locator(tid('help-link')).getAttribute('href'), '/aide/beneficiaire#mon-projet');
  await capture(page, 'beneficiaire-projet-360');
  await page.setViewportSize({ width: 1280, height: 800 });
});
