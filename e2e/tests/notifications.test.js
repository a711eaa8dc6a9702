// Issue 14's journeys in the real SPA (after messages.test.js, whose unread message it must not read first):
// Camille writes, Karim sees it arrive live and answers with a file, which she downloads; the bell counts
// Camille's unread notifications, the page reads them, and her profile chooses the channels per kind.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, capture, tid, loginAs, BASE, PDF } from './lib.js';

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

async function openThread(page, who) {
  await page.goto(`${BASE}/messages`);
  await page.locator(tid('thread-item')).filter({ hasText: who }).first().locator('a').click();
  await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
  await page.locator(tid('message-body-input')).waitFor();
}

test('Camille writes, Karim sees it arrive live and answers with a file that she downloads', async () => {
  const camille = await loginAs(camilleBrowser, 'beneficiaire@boussole.test');
  await openThread(camille, 'Karim Benali');
  const karim = await loginAs(karimBrowser, 'consultant@boussole.test');
  await openThread(karim, 'Camille Durand');

  await camille.locator(tid('message-body-input')).fill('Bonjour, pouvez-vous relire mon CV avant jeudi ?');
  await camille.locator(tid('send-message')).click();
  // No reload on Karim's side: the live stream brings it.
  await karim.locator(tid('message-body')).filter({ hasText: 'relire mon CV' }).waitFor();

  // The file goes to the bilan's documents first (with its progress), then the message carries it.
  await karim.locator(tid('message-file')).setInputFiles({ name: 'cv-annote.pdf', mimeType: 'application/pdf', buffer: PDF });
  await karim.locator(tid('message-attached')).filter({ hasText: 'cv-annote.pdf' }).waitFor();
  await karim.locator(tid('message-body-input')).fill('Voici votre CV annoté, à jeudi.');
  await karim.locator(tid('send-message')).click();
  await karim.locator(tid('message-attached')).waitFor({ state: 'detached' });
  await capture(karim, 'messages-piece-jointe');

  const mine = camille.locator(tid('message')).filter({ hasText: 'CV annoté' });
  const link = mine.locator(tid('message-attachment')).filter({ hasText: 'cv-annote.pdf' });
  await link.waitFor();
  const [download] = await Promise.all([camille.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'cv-annote.pdf');
});

test('the bell counts Camille\'s unread notifications; the page reads them all', async () => {
  const page = camilleBrowser.page;
  await page.goto(`${BASE}/beneficiaire`);
  const bell = page.locator(tid('notification-bell'));
  await bell.locator(tid('notification-count')).waitFor();
  assert.match(await bell.getAttribute('aria-label'), /^Notifications, \d+ non lue/);
  await bell.click();
  await page.waitForURL(/\/notifications$/);
  await page.locator(`${tid('notification')}.unread`).first().waitFor();
  await capture(page, 'notifications');
  // Each one leads to its page.
  const href = await page.locator(tid('notification-link')).first().getAttribute('href');
  assert.match(href, /^\//);

  await page.locator(tid('notifications-unread')).check();
  await page.locator(tid('notifications-read-all')).click();
  await bell.locator(tid('notification-count')).waitFor({ state: 'detached' });
  assert.equal(await bell.getAttribute('aria-label'), 'Notifications');
  await page.getByText('Aucune notification non lue.').waitFor();
  // Still listed, read.
  await page.locator(tid('notifications-unread')).uncheck();
  await page.locator(tid('notification')).first().waitFor();
  assert.equal(await page.locator(`${tid('notification')}.unread`).count(), 0);
});

test('the profile chooses the channels per kind, and SMS waits for a mobile', async () => {
  const page = camilleBrowser.page;
  await page.goto(`${BASE}/profil`);
  const row = page.locator(`${tid('pref-row')}[data-kind="resource_shared"]`);
  const email = row.locator(tid('pref-email'));
  await email.waitFor();
  const was = await email.isChecked();
  await email.setChecked(!was);
  await page.locator(tid('prefs-save')).click();
  await page.locator(tid('toasts')).filter({ hasText: 'Préférences de notification enregistrées' }).waitFor();
  await page.reload();
  await email.waitFor();
  assert.equal(await email.isChecked(), !was);
  // Back as it was, for the other journeys.
  await email.setChecked(was);
  await page.locator(tid('prefs-save')).click();
  await page.locator(tid('toasts')).filter({ hasText: 'Préférences de notification enregistrées' }).last().waitFor();
  const sms = row.locator(tid('pref-sms'));
  if (await page.locator(tid('prefs-sms-unavailable')).count()) {
    assert.equal(await sms.isDisabled(), true);
  }
});
