// The resource library (issue 14, item 5) and direct threads between colleagues, in the real SPA: Karim
// adds a link and a file, shares the link with Camille; she finds it and opens it; Karim sees the opening
// (Qualiopi indicator 19). Then Karim writes to Agnès, the admin, who reads it in her conversations.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, capture, tid, loginAs, chooseOption, BASE, PDF } from './lib.js';

const TITLE = 'Fiche métier : chargé de recrutement';
let karimBrowser;
let otherBrowser;
before(async () => {
  karimBrowser = await openBrowser();
  otherBrowser = await openBrowser();
});
after(async () => {
  await karimBrowser?.context.close();
  await otherBrowser?.context.close();
});

const card = (page, title) => page.locator(tid('resource')).filter({ hasText: title });

test('Karim adds a link and a file to the library, and shares the link with Camille', async () => {
  const page = await loginAs(karimBrowser, 'consultant@boussole.test');
  await page.locator('nav a[href="/ressources"]').click();
  await page.locator(tid('resource-new')).click();
  const form = page.locator(tid('resource-form'));
  await form.locator(tid('resource-title')).fill(TITLE);
  await form.locator(tid('resource-url')).fill('https://candidat.francetravail.fr/metierscope/fiche-metier/M1502');
  await form.locator(tid('resource-tags')).fill('métiers, RH');
  await form.locator(tid('resource-save')).click();
  await card(page, TITLE).waitFor();

  // A bad address is refused next to its field, and nothing is created.
  await page.locator(tid('resource-new')).click();
  await form.locator(tid('resource-title')).fill('Adresse fausse');
  await form.locator(tid('resource-url')).fill('javascript:alert(1)');
  await form.locator(tid('resource-save')).click();
  await form.locator(tid('resource-url-error')).waitFor();
  await page.keyboard.press('Escape');

  // A file, uploaded with its progress once the resource exists.
  await page.locator(tid('resource-new')).click();
  await form.locator(tid('resource-title')).fill('Guide : réussir son CV');
  await form.locator(tid('resource-kind')).selectOption('file');
  await form.locator(tid('resource-file')).setInputFiles({ name: 'guide-cv.pdf', mimeType: 'application/pdf', buffer: PDF });
  await form.locator(tid('resource-save')).click();
  await card(page, 'réussir son CV').locator(tid('resource-download')).waitFor();
  assert.equal(await card(page, 'Adresse fausse').count(), 0);

  await card(page, TITLE).locator(tid('resource-share')).click();
  const dialog = page.locator(tid('share-dialog'));
  await chooseOption(page, 'share-beneficiary', 'Camille Durand');
  await dialog.locator(tid('share-submit')).click();
  await dialog.locator(tid('resource-share-row')).filter({ hasText: 'Camille Durand' }).waitFor();
  await page.keyboard.press('Escape');
  await card(page, TITLE).locator(tid('resource-stats')).filter({ hasText: 'Partagée 1 fois' }).waitFor();
  await capture(page, 'ressources-consultant');
});

test('Camille finds the resource, opens it, and Karim sees the opening', async () => {
  const page = await loginAs(otherBrowser, 'beneficiaire@boussole.test');
  await page.locator('nav a[href="/ressources"]').click();
  const open = card(page, TITLE).locator(tid('resource-open'));
  await open.waitFor();
  assert.equal(await open.getAttribute('target'), '_blank');
  // Staff-only figures are not shown to her.
  assert.equal(await page.locator(tid('resource-stats')).count(), 0);
  await capture(page, 'ressources-beneficiaire');
  const [tab] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
  await tab.close();

  const karim = karimBrowser.page;
  const row = karim.locator(tid('access-row')).filter({ hasText: TITLE }).filter({ hasText: 'Camille Durand' });
  for (let i = 0; i < 10 && !(await row.count()); i++) {
    await karim.reload();
    await karim.locator(tid('accesses-table')).or(karim.getByText('Aucune consultation')).first().waitFor();
  }
  await row.first().waitFor();
});

test('Karim writes to Agnès, a colleague, who reads it in her conversations', async () => {
  const karim = karimBrowser.page;
  await karim.goto(`${BASE}/messages`);
  await karim.locator(`${tid('new-conversation')} summary`).click();
  await chooseOption(karim, 'conversation-with', 'Agnès Martin');
  await karim.locator(tid('conversation-start')).click();
  await karim.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
  // A thread between colleagues carries no file.
  assert.equal(await karim.locator(tid('message-file')).count(), 0);
  await karim.locator(tid('message-body-input')).fill('Agnès, peux-tu valider la fiche métier que j’ai ajoutée ?');
  await karim.locator(tid('send-message')).click();
  await karim.locator(tid('message-body')).filter({ hasText: 'valider la fiche' }).waitFor();

  const agnes = await loginAs(otherBrowser, 'admin@boussole.test');
  await agnes.locator('nav a[href="/messages"]').click();
  await agnes.locator(tid('thread-item')).filter({ hasText: 'Karim Benali' }).first().locator('a').click();
  await agnes.locator(tid('message-body')).filter({ hasText: 'valider la fiche' }).waitFor();
  await capture(agnes, 'conversations-admin');
});
