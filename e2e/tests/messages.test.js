// Bilan conversations (issue 14) in the real SPA: Camille opens the thread where Karim's last message
// waits unread, and the count in her navigation goes; then she writes and Karim, on his own browser,
// sees it arrive without reloading (the live stream), and answers.
// Runs after journeys.test.js: Camille and Karim are not the accounts it changes.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, capture, tid, loginAs, BASE } from './lib.js';

let camilleBrowser;
let karimBrowser;
before(async () => {
  camilleBrowser = await openBrowser();
  karimBrowser = await openBrowser();
});
after(async () => {
  await camilleBrowser?.context.close();
  await karimBrowser?.context.close();
});

test('Camille reads the message waiting for her, and the unread count goes', async () => {
  const page = await loginAs(camilleBrowser, 'beneficiaire@boussole.test');
  const nav = page.locator('nav a[href="/messages"]');
  await nav.filter({ hasText: '1 non lu' }).waitFor();
  await nav.click();
  await page.locator(tid('thread-item')).first().waitFor();
  await capture(page, 'messages-liste');
  await page.locator(tid('thread-item')).filter({ hasText: 'Karim Benali' }).locator('a').click();
  await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
  await page.locator(tid('message-body')).filter({ hasText: 'nous en parlons jeudi' }).waitFor();
  await nav.filter({ hasNotText: 'non lu' }).waitFor();
  await page.setViewportSize({ width: 360, height: 780 });
  await page.locator(tid('message-body-input')).waitFor();
  await capture(page, 'messages-fil');
});

test('Karim sees Camille\'s message arrive live, and answers', async () => {
  const karim = await loginAs(karimBrowser, 'consultant@boussole.test');
  await karim.goto(`${BASE}/messages`);
  await karim.locator(tid('thread-item')).filter({ hasText: 'Camille Durand' }).locator('a').click();
  await karim.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
  await karim.locator(tid('messages')).waitFor();
  const before = await karim.locator(tid('message')).count();

  const camille = camilleBrowser.page;
  await camille.locator(tid('message-body-input')).fill('Bonjour Karim, j’ai préparé mes questions pour jeudi.');
  await camille.locator(tid('send-message')).click();
  await camille.locator(tid('message-body')).filter({ hasText: 'préparé mes questions' }).waitFor();

  // No reload on Karim's side: the stream brings it.
  await karim.locator(tid('message-body')).filter({ hasText: 'préparé mes questions' }).waitFor();
  assert.equal(await karim.locator(tid('message')).count(), before + 1);
  await karim.locator(tid('message-body-input')).fill('Parfait, à jeudi !');
  await karim.locator(tid('send-message')).click();
  await camille.locator(tid('message-body')).filter({ hasText: 'à jeudi' }).waitFor();
  await capture(karim, 'messages-consultant');
});
