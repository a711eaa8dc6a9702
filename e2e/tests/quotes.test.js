// Quotes (devis, issue 13 item 3), in the real SPA served by the real server (see ../run.sh): the admin adds a
// company's funding line to Nicolas Fontaine's bilan, issues a quote for it from the Financement tab, records
// the signed copy that came back ("Bon pour accord"), then converts the accepted quote into an invoice, whose
// page opens. Then the beneficiary side: a self-funded beneficiary accepts online, from "Mes devis", a quote
// the admin addressed to her.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, capture, tid, loginAs, logoutFrom, openTab, chooseOption, checkA11y } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

const COMPANY = 'Transports Garnier (devis e2e)';

test('the admin issues a quote, records its signed copy and invoices it', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');

  await page.goto(`${BASE}/admin/payeurs`);
  await page.locator(tid('payer-new')).click();
  await page.locator(tid('payer-dialog')).waitFor();
  await page.locator(tid('payer-kind')).selectOption('company');
  await page.locator(tid('payer-name')).fill(COMPANY);
  await page.locator(tid('payer-siret')).fill('53219876500002');
  await page.locator(tid('payer-address')).fill('3 quai Saint-Vincent\n69001 Lyon');
  await page.locator(tid('payer-contact')).fill('Service RH');
  await page.locator(tid('payer-email')).fill('rh@example.com');
  await page.locator(tid('payer-save')).click();
  await page.locator(tid('payer-dialog')).waitFor({ state: 'hidden' });

  // The company's funding line on Nicolas Fontaine's bilan, then "Nouveau devis" on it.
  await page.goto(`${BASE}/admin/bilans`);
  await page.locator(tid('admin-bilan-row')).filter({ hasText: 'Nicolas Fontaine' }).locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  await openTab(page, 'financement');
  await page.locator(tid('funding-add')).click();
  await page.locator(tid('funding-dialog')).waitFor();
  await chooseOption(page, 'funding-payer', COMPANY);
  await page.locator(tid('funding-amount')).fill('450');
  // Agreed: the invoice that the accepted quote becomes follows every invoice rule (a line must be agreed).
  await page.locator(tid('funding-status')).selectOption('agreed');
  await page.locator(tid('funding-save')).click();
  await page.locator(tid('funding-dialog')).waitFor({ state: 'hidden' });
  const row = page.locator(tid('funding-row')).filter({ hasText: COMPANY });
  await row.locator(tid('funding-quote')).click();
  await page.locator(tid('quote-dialog')).waitFor();
  assert.match(await page.locator(tid('quote-description')).inputValue(), /^Bilan de compétences — Nicolas Fontaine$/);
  assert.equal(await page.locator(tid('quote-amount')).inputValue(), '450,00');
  await page.locator(tid('quote-days')).fill('45');
  await checkA11y(page, 'nouveau devis');
  await page.locator(tid('quote-issue')).click();
  await page.locator(tid('quote-dialog')).waitFor({ state: 'hidden' });
  const issued = await page.locator(tid('funding-issued-link')).innerText();
  const number = issued.match(/D-\d{4}-\d{6}/)?.[0];
  assert.ok(number, `a quote number in "${issued}"`);

  // The quote's page: pending, then the signed copy recorded.
  await page.locator(tid('funding-issued-link')).click();
  await page.waitForURL(/\/admin\/devis\/[0-9a-f-]{36}$/);
  await page.locator(tid('page-title')).filter({ hasText: number }).waitFor();
  await page.locator(tid('quote-status')).filter({ hasText: 'En attente' }).waitFor();
  assert.match(await page.locator(tid('quote-buyer')).innerText(), /Transports Garnier/);
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator(tid('quote-pdf')).click()]);
  assert.match(pdf.suggestedFilename(), /\.pdf$/);
  await capture(page, 'devis');
  await page.locator(tid('record-name')).fill('Claire Garnier');
  await page.locator(tid('record-role')).fill('Directrice des ressources humaines');
  await page.locator(tid('record-submit')).click();
  await page.locator(tid('quote-status')).filter({ hasText: 'Accepté' }).waitFor();
  assert.match(await page.locator(tid('quote-acceptance')).innerText(), /Claire Garnier \(Directrice des ressources humaines\)/);

  // "Facturer": the invoice is issued and opens.
  await page.locator(tid('quote-invoice')).click();
  await page.waitForURL(/\/admin\/factures\/[0-9a-f-]{36}$/);
  await page.locator(tid('page-title')).filter({ hasText: /F-\d{4}-\d{6}/ }).waitFor();
  assert.match(await page.locator(tid('invoice-buyer')).innerText(), /Transports Garnier/);
  assert.match(await page.locator(tid('invoice-total')).innerText(), /450,00\s€/);

  // The list: the quote is invoiced; the totals are above.
  await page.goto(`${BASE}/admin/devis`);
  await page.locator(tid('quote-row')).filter({ hasText: number }).filter({ hasText: 'Facturé' }).waitFor();
  assert.match(await page.locator(tid('quotes-total-invoiced')).innerText(), /\d,\d\d\s€$/);
  await page.locator(tid('quotes-status')).selectOption('pending');
  await page.locator(tid('quotes-filter-submit')).click();
  await page.locator(tid('quote-row')).filter({ hasText: number }).waitFor({ state: 'detached' });
  await capture(page, 'devis-liste');
  await logoutFrom(page);
});

test('a self-funded beneficiary accepts her quote online from "Mes devis"', async () => {
  // The demo addresses a pending quote to Julie Roux, who pays for her own bilan.
  const page = await loginAs(browser, 'julie.roux@boussole.test');
  const mine = page.locator(tid('my-quotes'));
  await mine.waitFor();
  const pending = page.locator(tid('my-quote-row')).filter({ has: page.locator(tid('my-quote-accept')) }).first();
  const number = (await pending.locator('th').innerText()).trim();
  // Unticked "Bon pour accord": refused before anything is sent.
  await pending.locator(tid('my-quote-accept')).click();
  await page.locator(tid('accept-dialog')).waitFor();
  await page.locator(tid('accept-name')).fill('Julie Roux');
  await page.locator(tid('accept-confirm')).click();
  await page.locator(tid('accept-agree-error')).waitFor();
  await checkA11y(page, 'accepter le devis');
  await page.locator(tid('accept-agree')).check();
  await page.locator(tid('accept-confirm')).click();
  await page.locator(tid('accept-dialog')).waitFor({ state: 'hidden' });
  const row = page.locator(tid('my-quote-row')).filter({ hasText: number });
  await row.locator(tid('my-quote-status')).filter({ hasText: 'Accepté' }).waitFor();
  assert.equal(await row.locator(tid('my-quote-accept')).count(), 0);
  await capture(page, 'mes-devis');
  await logoutFrom(page);

  // The admin sees the online acceptance on the quote's page.
  const admin = await loginAs(browser, 'admin@boussole.test');
  await admin.goto(`${BASE}/admin/devis`);
  await admin.locator(tid('quote-row')).filter({ hasText: number }).locator(tid('quote-link')).click();
  await admin.waitForURL(/\/admin\/devis\/[0-9a-f-]{36}$/);
  assert.match(await admin.locator(tid('quote-acceptance')).innerText(), /en ligne par Julie Roux/);
  await admin.locator(tid('quote-invoice')).waitFor();
  await logoutFrom(admin);
});
