// Appointments, in the real SPA served by the real server (see ../run.sh): the consultant's availability with
// the API's field errors; a beneficiary books a free slot; the consultant's week and month calendar; a session
// happening now, booked by the consultant for the beneficiary and signed by both; the calendar feed and the SMS
// opt-in; the admin's outbox with the confirmations. Thomas Petit gets the bilan, so the other journeys'
// beneficiaries stay as they expect.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DEMO_PASSWORD, openBrowser, capture, tid, loginAs, logoutFrom, chooseOption } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

const THOMAS = 'Thomas Petit';
const UUID = /\/rendez-vous\/[0-9a-f-]{36}$/;

async function call(path, token, body) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

/** Paris wall-clock time `minutes` from now, rounded up to the 5-minute grid, as a `datetime-local` value. */
function parisSoon(minutes) {
  const step = 5 * 60_000;
  const at = new Date(Math.ceil((Date.now() + minutes * 60_000) / step) * step);
  return at.toLocaleString('sv-SE', { timeZone: 'Europe/Paris' }).slice(0, 16).replace(' ', 'T');
}

async function navTo(page, name, url) {
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name, exact: true }).click();
  await page.waitForURL(url);
}

test('appointments: availability, booking, calendar, attendance by both, feed and outbox', async () => {
  // Setup through the API: a bilan for Thomas Petit with Karim Benali.
  const admin = await call('/auth/login', null, { email: 'admin@boussole.test', password: DEMO_PASSWORD });
  const find = async (q) => (await call(`/users?q=${encodeURIComponent(q)}`, admin.access_token)).items[0].id;
  const bilan = await call('/bilans', admin.access_token, {
    beneficiary_id: await find('thomas.petit@boussole.test'),
    consultant_id: await find('consultant@boussole.test'),
    funding: 'self_funded', format: 'mixed', planned_hours: 24,
  });
  // Sessions are booked only once the bilan runs: information given, the contract signed more than
  // 10 days ago (withdrawal period over), Thomas's consent, then the preliminary phase.
  const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const facts = `/bilans/${bilan.id}/facts`;
  await call(facts, admin.access_token, { kind: 'pre_contract_info', occurred_on: daysAgo(20) });
  await call(facts, admin.access_token, { kind: 'individual_contract_signed', occurred_on: daysAgo(15) });
  const thomas = await call('/auth/login', null, { email: 'thomas.petit@boussole.test', password: DEMO_PASSWORD });
  await call(`/bilans/${bilan.id}/consents`, thomas.access_token, { kind: 'start' });
  await call(`/bilans/${bilan.id}/transitions`, admin.access_token, { to: 'preliminary' });

  // The consultant's availability: an inverted range is refused by the API, next to its row.
  let page = await loginAs(browser, 'consultant@boussole.test');
  await navTo(page, 'Disponibilités', /\/consultant\/disponibilites$/);
  await page.locator(tid('av-rule')).first().waitFor();
  await capture(page, 'consultant-disponibilites');
  const end = await page.locator('#r0-end').inputValue();
  await page.locator('#r0-end').fill('08:00');
  await page.locator(tid('availability-save')).click();
  const rowError = page.locator(tid('av-rule')).first().locator(tid('av-row-error'));
  assert.match(await rowError.innerText(), /suivre le début/);
  await capture(page, 'consultant-disponibilites-erreur');
  await page.locator('#r0-end').fill(end);
  await page.locator(tid('availability-save')).click();
  await page.locator(tid('toasts')).filter({ hasText: 'Disponibilités enregistrées' }).waitFor();
  await logoutFrom(page);

  // Thomas books the first free slot of his consultant, remote.
  page = await loginAs(browser, 'thomas.petit@boussole.test');
  await navTo(page, 'Mes rendez-vous', /\/beneficiaire\/rendez-vous$/);
  await page.locator(tid('a-venir')).waitFor();
  await capture(page, 'beneficiaire-rendez-vous-vide');
  await page.locator(tid('book-link')).click();
  await page.waitForURL(/\/rendez-vous\/nouveau$/);
  // From next week on: far enough from the 24-hour cut-off for Thomas to move it later.
  const slot = page.locator(tid('slot')).first();
  await page.locator(tid('slot-next')).click();
  for (let week = 0; week < 5; week += 1) {
    await page.locator(`${tid('slot')}, ${tid('no-slot')}`).first().waitFor();
    if (await slot.count()) break;
    await page.locator(tid('slot-next')).click();
  }
  await capture(page, 'beneficiaire-creneaux');
  await slot.click();
  assert.equal(await slot.getAttribute('aria-pressed'), 'true');
  if ((await slot.getAttribute('data-mode')) === 'either') await page.locator(tid('book-mode-remote')).check();
  await page.locator(tid('book-summary')).waitFor();
  await capture(page, 'beneficiaire-confirmer');
  await page.locator(tid('book-confirm')).click();
  await page.waitForURL(UUID);
  const booked = page.url();
  await page.locator(`${tid('apt-status')}[data-status="booked"]`).waitFor();
  const start = await page.locator(tid('apt-details')).getAttribute('data-start');
  // The lobby shows the room without loading it (the Jitsi server is outside these machines).
  const room = await page.locator(tid('video')).getAttribute('data-room');
  assert.match(await page.locator(tid('video-room-url')).getAttribute('href'), new RegExp(`/${room}`));
  assert.equal(await page.locator(tid('video-frame')).count(), 0);
  await capture(page, 'rendez-vous-beneficiaire');
  await navTo(page, 'Mes rendez-vous', /\/beneficiaire\/rendez-vous$/);
  await page.locator(tid('a-venir')).locator(tid('apt-row')).first().waitFor();
  await capture(page, 'beneficiaire-mes-rendez-vous');
  await logoutFrom(page);

  // Karim sees it in his week and month, and the same video room.
  page = await loginAs(browser, 'consultant@boussole.test');
  await navTo(page, 'Agenda', /\/consultant\/agenda$/);
  await page.goto(`${BASE}/consultant/agenda?vue=semaine&du=${start.slice(0, 10)}`);
  const item = page.locator(tid('agenda-item')).filter({ hasText: THOMAS });
  await item.waitFor();
  await capture(page, 'consultant-agenda-semaine');
  await page.locator(tid('agenda-month-link')).click();
  await page.locator(tid('agenda-month')).locator(tid('agenda-item')).filter({ hasText: THOMAS }).waitFor();
  await capture(page, 'consultant-agenda-mois');
  await page.goto(booked);
  assert.equal(await page.locator(tid('video')).getAttribute('data-room'), room);

  // Karim books a remote session starting in about ten minutes for Thomas, and signs it.
  await navTo(page, 'Agenda', /\/consultant\/agenda$/);
  await page.locator(tid('book-for-open')).click();
  await page.locator(tid('book-for-dialog')).waitFor();
  await chooseOption(page, 'book-for-bilan', THOMAS);
  await page.locator(tid('book-for-start')).fill(parisSoon(10));
  await page.locator(tid('book-for-duration')).fill('30');
  await page.locator(tid('book-for-mode')).selectOption('remote');
  await capture(page, 'consultant-reserver');
  await page.locator(tid('book-for-submit')).click();
  await page.waitForURL(UUID);
  const now = page.url();
  await page.locator(tid('attendance-sign')).click();
  await page.locator(`${tid('signature')}[data-party="consultant"]`).waitFor();
  await page.locator(tid('attendance-mine')).waitFor();
  await capture(page, 'rendez-vous-emargement-consultant');
  await logoutFrom(page);

  // Thomas signs too: the session is held.
  page = await loginAs(browser, 'thomas.petit@boussole.test');
  await navTo(page, 'Mes rendez-vous', /\/beneficiaire\/rendez-vous$/);
  await page.locator(tid('a-venir')).locator(tid('apt-link')).first().click();
  await page.waitForURL(now);
  await page.locator(tid('attendance-sign')).click();
  await page.locator(tid('attendance-held')).waitFor();
  await page.locator(`${tid('apt-status')}[data-status="held"]`).waitFor();
  assert.equal(await page.locator(tid('signature')).count(), 2);
  await capture(page, 'rendez-vous-tenu');

  // He moves his other appointment a week later, then cancels it with a reason.
  await page.goto(booked);
  await page.locator(tid('apt-move-open')).click();
  await page.locator(tid('slot-next')).click();
  await page.locator(tid('slot-picker')).locator(tid('slot')).first().click();
  await page.locator(tid('apt-move-confirm')).click();
  await page.locator(tid('toasts')).filter({ hasText: 'Rendez-vous déplacé' }).waitFor();
  await page.locator(`${tid('apt-details')}:not([data-start="${start}"])`).waitFor();
  await page.locator(tid('apt-cancel-open')).click();
  await page.locator(tid('apt-cancel-reason')).fill('Empêchement professionnel');
  await capture(page, 'rendez-vous-annuler');
  await page.locator(tid('apt-cancel-confirm')).click();
  await page.locator(`${tid('apt-status')}[data-status="cancelled"]`).waitFor();
  await page.locator(tid('apt-details')).filter({ hasText: 'Empêchement professionnel' }).waitFor();

  // His calendar feed answers until revoked; SMS reminders need a mobile number first.
  await navTo(page, 'Mon profil', /\/profil$/);
  await page.locator(tid('feed-create')).click();
  const feed = await page.locator(tid('feed-url')).inputValue();
  assert.match(feed, /\/api\/v1\/calendar\/[0-9a-f]+\.ics$/);
  const ics = await fetch(feed.replace(/^https?:\/\/[^/]+/, BASE));
  assert.equal(ics.status, 200);
  assert.match(await ics.text(), /BEGIN:VCALENDAR/);
  await page.locator(tid('sms-checkbox')).check();
  await page.locator(tid('sms-save')).click();
  await page.locator(tid('sms-field-error')).waitFor();
  await capture(page, 'profil-agenda-sms');
  await page.locator(tid('feed-revoke')).click();
  await page.locator(tid('feed-url')).waitFor({ state: 'detached' });
  assert.equal((await fetch(feed.replace(/^https?:\/\/[^/]+/, BASE))).status, 404);
  await logoutFrom(page);

  // The admin's outbox holds the confirmations, with their text.
  page = await loginAs(browser, 'admin@boussole.test');
  await navTo(page, 'Messages', /\/admin\/messages$/);
  const confirmed = page.locator(`${tid('outbox-row')}[data-kind="appointment_confirmed"]`);
  await confirmed.first().waitFor();
  assert.ok((await confirmed.count()) >= 2);
  await page.locator(`${tid('outbox-row')}[data-kind="appointment_cancelled"]`).first().waitFor();
  await capture(page, 'admin-messages');
  await confirmed.first().locator(tid('outbox-view')).click();
  await page.locator(tid('outbox-body')).filter({ hasText: /\S/ }).waitFor();
  await capture(page, 'admin-message');
});
