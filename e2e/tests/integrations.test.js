// Integrations from the office's side (issue 15, item 7 and item 2), in the real SPA served by the real server
// (see ../run.sh): the admin creates an API key with bilans:write and an end date and sees it listed; registers a
// webhook endpoint and sees its signing secret once; imports a CSV file of beneficiaries whose dry run names the
// bad line, fixes it and imports; creates a beneficiary with the form, and a second try with the same address
// leads to the existing record.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, capture, tid, loginAs } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

const stamp = Date.now();

test('the admin creates an API key with bilans:write and an end date, and sees it listed', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');
  await page.goto(`${BASE}/admin/cles-api`);
  await page.locator(tid('api-key-form')).waitFor();
  const name = `CRM e2e ${stamp}`;
  await page.locator(tid('api-key-name')).fill(name);
  await page.locator(tid('scope-bilans-write')).check();
  await page.locator(tid('scope-beneficiaries-write')).check();
  // Each scope says what it allows, tied to its checkbox.
  const hint = await page.locator(tid('scope-bilans-write')).getAttribute('aria-describedby');
  assert.match(await page.locator(`#${hint}`).innerText(), /bilans:write/);
  const year = new Date().getFullYear() + 1;
  await page.locator(tid('api-key-expires-input')).fill(`${year}-06-30`);
  await page.locator(tid('api-key-create')).click();
  await page.locator(tid('api-key-created')).waitFor();
  assert.ok((await page.locator(tid('api-key-created-value')).innerText()).length > 20);
  await page.locator(tid('api-key-created-copy')).waitFor();
  const row = page.locator(tid('api-key-row')).filter({ hasText: name });
  await row.waitFor();
  assert.match(await row.innerText(), /bilans:write/);
  // It works until 30 June included: it ends at the Paris midnight after it.
  assert.match(await row.locator(tid('api-key-expires')).innerText(), new RegExp(`01/07/${year} 00:00`));
  assert.match(await row.locator(tid('api-key-status')).innerText(), /Actif/);
  await capture(page, 'admin-cles-api-portees');
});

test('the admin registers a webhook endpoint and sees its secret once', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');
  await page.goto(`${BASE}/admin/webhooks`);
  await page.locator(tid('webhook-form')).waitFor();
  // No event ticked: the form says so before sending.
  const url = `http://127.0.0.1:9/crm-${stamp}`;
  await page.locator(tid('webhook-url')).fill(url);
  await page.locator(tid('webhook-create')).click();
  await page.locator('#events-erreur').waitFor();
  await page.locator(tid('webhook-description')).fill('CRM de test');
  await page.locator(tid('event-bilan-created')).check();
  await page.locator(tid('event-appointment-booked')).check();
  await page.locator(tid('webhook-create')).click();
  await page.locator(tid('webhook-secret')).waitFor();
  assert.match(await page.locator(tid('webhook-secret-value')).innerText(), /^whsec_/);
  const row = page.locator(tid('webhook-row')).filter({ hasText: url });
  await row.waitFor();
  assert.match(await row.innerText(), /Bilan ouvert/);
  assert.match(await row.locator(tid('webhook-state')).innerText(), /Active/);
  await capture(page, 'admin-webhooks');

  // Shown once: after a reload the secret is gone; the endpoint's page has its delivery log.
  await page.reload();
  await page.locator(tid('webhook-row')).filter({ hasText: url }).waitFor();
  assert.equal(await page.locator(tid('webhook-secret')).count(), 0);
  await page.locator(tid('webhook-row')).filter({ hasText: url }).locator(tid('webhook-link')).click();
  await page.waitForURL(/\/admin\/webhooks\/[0-9a-f-]{36}$/);
  await page.locator(tid('webhook-detail')).waitFor();
  await page.locator('#deliveries-title').waitFor();
  // Disabled by hand, then enabled again.
  await page.locator(tid('webhook-disable')).click();
  await page.locator(tid('webhook-enable')).waitFor();
  assert.match(await page.locator(tid('webhook-detail-state')).innerText(), /Désactivée/);
  await page.locator(tid('webhook-enable')).click();
  await page.locator(tid('webhook-disable')).waitFor();
  await capture(page, 'admin-webhook');
});

test('the admin checks a CSV file, sees the bad line, fixes it and imports', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');
  await page.goto(`${BASE}/admin/import`);
  await page.locator(tid('import-form')).waitFor();
  await page.locator(tid('import-kind')).selectOption('beneficiaries');
  const header = 'email;first_name;last_name;situation;employer_name;external_ref';
  const good = `lea.import.${stamp}@example.org;Léa;Import;job_seeker;;CRM-A-${stamp}`;
  const bad = `pas-une-adresse;Hugo;Import;other;Garnier SA;CRM-B-${stamp}`;
  const fixed = `hugo.import.${stamp}@example.org;Hugo;Import;other;Garnier SA;CRM-B-${stamp}`;
  const file = (lines) => ({ name: 'beneficiaires.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });

  await page.locator(tid('import-file')).setInputFiles(file([header, good, bad]));
  // Nothing checked yet: "Importer" waits for a clean dry run.
  assert.equal(await page.locator(tid('import-run')).isDisabled(), true);
  await page.locator(tid('import-check')).click();
  const errorRow = page.locator(tid('import-error-row')).first();
  await errorRow.waitFor();
  // The second data line is line 3 of the file (line 1 is the header), its column named.
  assert.match(await errorRow.locator('th').innerText(), /^3$/);
  assert.match(await errorRow.innerText(), /email/);
  assert.equal(await page.locator(tid('import-run')).isDisabled(), true);
  await capture(page, 'admin-import');

  await page.locator(tid('import-file')).setInputFiles(file([header, good, fixed]));
  await page.locator(tid('import-check')).click();
  await page.locator(tid('import-ok')).waitFor();
  await page.locator(tid('import-run')).click();
  await page.locator(tid('import-done')).waitFor();
  assert.match(await page.locator(tid('import-done')).innerText(), /2 créé/);

  await page.goto(`${BASE}/admin/beneficiaires`);
  await page.locator(tid('records-q')).fill(`hugo.import.${stamp}`);
  await page.locator(tid('records-search-submit')).click();
  await page.locator(tid('beneficiary-row')).filter({ hasText: 'Hugo Import' }).waitFor();
});

test('the admin creates a beneficiary with the form; the same address again leads to the record', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');
  await page.goto(`${BASE}/admin/beneficiaires`);
  await page.locator(tid('new-beneficiary')).click();
  await page.locator(tid('new-beneficiary-dialog')).waitFor();
  const email = `camille.form.${stamp}@example.org`;
  const fill = async () => {
    await page.locator(tid('new-beneficiary-first')).fill('Camille');
    await page.locator(tid('new-beneficiary-last')).fill('Formulaire');
    await page.locator(tid('new-beneficiary-email')).fill(email);
    await page.locator(tid('new-beneficiary-situation')).selectOption('employee_cdi');
    await page.locator(tid('new-beneficiary-employer')).fill('Garnier SA');
  };
  await fill();
  await page.locator(tid('new-beneficiary-ref')).fill(`CRM-F-${stamp}`);
  await capture(page, 'admin-nouveau-beneficiaire');
  await page.locator(tid('new-beneficiary-submit')).click();
  await page.locator(tid('new-beneficiary-dialog')).waitFor({ state: 'hidden' });
  await page.locator(tid('records-q')).fill(email);
  await page.locator(tid('records-search-submit')).click();
  const row = page.locator(tid('beneficiary-row')).filter({ hasText: 'Camille Formulaire' });
  await row.waitFor();
  const href = await row.locator(tid('beneficiary-link')).getAttribute('href');

  // The same address again: nothing is created, the existing record is one click away.
  await page.locator(tid('new-beneficiary')).click();
  await page.locator(tid('new-beneficiary-dialog')).waitFor();
  await fill();
  await page.locator(tid('new-beneficiary-submit')).click();
  await page.locator(tid('new-beneficiary-exists')).waitFor();
  assert.equal(await page.locator(tid('new-beneficiary-existing')).getAttribute('href'), href);
  await page.locator(tid('new-beneficiary-existing')).click();
  await page.waitForURL(new RegExp(`${href}$`));
  await page.locator(tid('record-form')).waitFor();
});
