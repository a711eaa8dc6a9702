// Money (issue 13), in the real SPA served by the real server (see ../run.sh): the admin records, on Émilie
// Rousseau's completed bilan (the demo funds Nicolas Fontaine's and Sandrine Michel's, not hers), an OPCO's agreed funding under subrogation and her employer's top-up, issues
// the two invoices, records a partial payment on the first, and downloads the accounting journal (CSV) and
// the FEC of the year, which both balance. Only the admin logs in.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, openBrowser, capture, tid, loginAs, logoutFrom, openTab, chooseOption } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

const OPCO = 'OPCO Atlas (démo e2e)';
const EMPLOYER = 'Menuiserie Rousseau (démo e2e)';

/** Adds a payer through the directory's dialog. */
async function addPayer(page, kind, name, siret) {
  await page.locator(tid('payer-new')).click();
  await page.locator(tid('payer-dialog')).waitFor();
  await page.locator(tid('payer-kind')).selectOption(kind);
  await page.locator(tid('payer-name')).fill(name);
  await page.locator(tid('payer-siret')).fill(siret);
  await page.locator(tid('payer-address')).fill('12 rue des Tanneurs\n69001 Lyon');
  await page.locator(tid('payer-contact')).fill('Service facturation');
  await page.locator(tid('payer-email')).fill('factures@example.com');
  await page.locator(tid('payer-save')).click();
  await page.locator(tid('payer-dialog')).waitFor({ state: 'hidden' });
  await page.locator(tid('payer-row')).filter({ hasText: name }).waitFor();
}

/** Adds a funding line in the open Financement tab. */
async function addFunding(page, payer, amount, status, { number = '', subrogation = false } = {}) {
  await page.locator(tid('funding-add')).click();
  await page.locator(tid('funding-dialog')).waitFor();
  await chooseOption(page, 'funding-payer', payer);
  await page.locator(tid('funding-amount')).fill(amount);
  if (number) {
    await page.locator(tid('funding-number')).fill(number);
    await page.locator(tid('funding-date')).fill(new Date().toISOString().slice(0, 10));
  }
  await page.locator(tid('funding-status')).selectOption(status);
  if (subrogation) await page.locator(tid('funding-subrogation')).check();
  await page.locator(tid('funding-save')).click();
  await page.locator(tid('funding-dialog')).waitFor({ state: 'hidden' });
  await page.locator(tid('funding-row')).filter({ hasText: payer }).waitFor();
}

/** "Facturer" on the funding line of `payer`; returns the invoice's number. */
async function invoiceLine(page, payer, amountText) {
  await page.locator(tid('funding-row')).filter({ hasText: payer }).locator(tid('funding-invoice')).click();
  await page.locator(tid('invoice-dialog')).waitFor();
  assert.match(await page.locator(tid('invoice-description')).inputValue(), /^Bilan de compétences — Émilie Rousseau$/);
  assert.equal(await page.locator(tid('invoice-amount')).inputValue(), amountText);
  await page.locator(tid('invoice-issue')).click();
  await page.locator(tid('invoice-dialog')).waitFor({ state: 'hidden' });
  const issued = await page.locator(tid('funding-issued-link')).innerText();
  const number = issued.match(/F-\d{4}-\d{6}/)?.[0];
  assert.ok(number, `an invoice number in "${issued}"`);
  // The line is invoiced in full: nothing is left to invoice on it.
  const row = page.locator(tid('funding-row')).filter({ hasText: payer });
  await row.locator(tid('funding-invoice')).waitFor({ state: 'detached' });
  return number;
}

/** The sum of the debit and of the credit columns (decimal comma) of `rows`. */
function totals(rows, debit, credit) {
  const cents = (s) => Math.round(Number((s || '0').replace(',', '.')) * 100);
  return rows.reduce(([d, c], r) => [d + cents(r[debit]), c + cents(r[credit])], [0, 0]);
}

test('the admin funds a bilan twice, invoices both, records a partial payment and exports the books', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');

  // The payer directory: the OPCO and the employer.
  await page.goto(`${BASE}/admin/payeurs`);
  await page.locator(tid('payers-filters')).waitFor();
  await addPayer(page, 'opco', OPCO, '85123456700010');
  await addPayer(page, 'company', EMPLOYER, '44219876500012');
  await page.locator(tid('payers-kind')).selectOption('opco');
  await page.locator(tid('payers-filter-submit')).click();
  await page.locator(tid('payer-row')).filter({ hasText: EMPLOYER }).waitFor({ state: 'detached' });
  await capture(page, 'payeurs');

  // Émilie Rousseau's bilan: the OPCO agreed 1 500 € under subrogation, her employer tops up 300 €.
  await page.goto(`${BASE}/admin/bilans`);
  await page.locator(tid('admin-bilan-row')).filter({ hasText: 'Émilie Rousseau' }).locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  await openTab(page, 'financement');
  await page.locator(tid('funding-empty')).waitFor();
  // A wrong amount is refused beside its field, before anything is sent.
  await page.locator(tid('funding-add')).click();
  await page.locator(tid('funding-amount')).fill('quinze cents');
  await page.locator(tid('funding-save')).click();
  await page.locator(tid('funding-amount-error')).waitFor();
  await page.keyboard.press('Escape');
  await page.locator(tid('funding-dialog')).waitFor({ state: 'hidden' });
  await addFunding(page, OPCO, '1500', 'agreed', { number: 'ATL-2026-0042', subrogation: true });
  await addFunding(page, EMPLOYER, '300', 'agreed');
  const opcoRow = page.locator(tid('funding-row')).filter({ hasText: OPCO });
  assert.match(await opcoRow.innerText(), /1\s500,00\s€/);
  assert.match(await opcoRow.innerText(), /ATL-2026-0042/);
  await capture(page, 'bilan-financement');

  const first = await invoiceLine(page, OPCO, '1500,00');
  const second = await invoiceLine(page, EMPLOYER, '300,00');
  assert.notEqual(first, second);

  // The OPCO pays 1 000 € of its 1 500 €.
  await page.locator(tid('funding-issued-link')).click(); // the last one issued: the employer's
  await page.waitForURL(/\/admin\/factures\/[0-9a-f-]{36}$/);
  await page.locator(tid('invoice-back')).click();
  await page.waitForURL(/\/admin\/factures$/);
  await page.locator(tid('invoice-row')).filter({ hasText: first }).locator(tid('invoice-link')).click();
  await page.waitForURL(/\/admin\/factures\/[0-9a-f-]{36}$/);
  await page.locator(tid('page-title')).filter({ hasText: first }).waitFor();
  assert.match(await page.locator(tid('invoice-buyer')).innerText(), /OPCO Atlas/);
  await page.locator(tid('payments-empty')).waitFor();
  await page.locator(tid('payment-amount')).fill('2000');
  await page.locator(tid('payment-record')).click();
  // More than the balance: refused, beside the field or above the form, and nothing recorded.
  await page.locator(tid('payment-amount-error')).or(page.locator(tid('payment-error')).filter({ hasText: /\S/ })).waitFor();
  assert.equal(await page.locator(tid('payment-row')).count(), 0);
  await page.locator(tid('payment-amount')).fill('1000');
  await page.locator(tid('payment-method')).selectOption('transfer');
  await page.locator(tid('payment-reference')).fill('VIR ATLAS 0042');
  await page.locator(tid('payment-record')).click();
  await page.locator(tid('payment-row')).filter({ hasText: 'VIR ATLAS 0042' }).waitFor();
  await page.locator(tid('invoice-status')).filter({ hasText: 'Partiellement payée' }).waitFor();
  assert.match(await page.locator(tid('invoice-balance')).innerText(), /500,00\s€/);
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator(tid('invoice-pdf')).click()]);
  assert.match(pdf.suggestedFilename(), /\.pdf$/);

  // The list: both invoices, and the totals of the selection (the demo's invoices are in it too).
  await page.goto(`${BASE}/admin/factures`);
  await page.locator(tid('invoice-row')).filter({ hasText: first }).filter({ hasText: 'Partiellement payée' }).waitFor();
  await page.locator(tid('invoice-row')).filter({ hasText: second }).filter({ hasText: 'Non payée' }).waitFor();
  assert.match(await page.locator(tid('invoices-total-paid')).innerText(), /\d,\d\d\s€$/);
  await page.locator(tid('invoices-status')).selectOption('partially_paid');
  await page.locator(tid('invoices-filter-submit')).click();
  await page.locator(tid('invoice-row')).filter({ hasText: second }).waitFor({ state: 'detached' });
  await page.locator(tid('invoice-row')).filter({ hasText: first }).waitFor();
  await capture(page, 'factures');

  // The exports: this month's journal and this year's FEC, each balanced.
  await page.goto(`${BASE}/admin/exports`);
  await page.locator(tid('csv-form')).waitFor();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator(tid('export-csv')).click()]);
  assert.match(csv.suggestedFilename(), /^journal-.*\.csv$/);
  const csvLines = readFileSync(await csv.path(), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
  assert.match(csvLines[0], /^Journal;Date;/);
  const csvRows = csvLines.slice(1).map((l) => l.split(';'));
  assert.ok(csvRows.length >= 6, 'two invoices and a payment, two lines each at least');
  const [csvDebit, csvCredit] = totals(csvRows, 8, 9);
  assert.equal(csvDebit, csvCredit);
  assert.ok(csvDebit >= 180_000 + 100_000);
  const [fec] = await Promise.all([page.waitForEvent('download'), page.locator(tid('export-fec')).click()]);
  assert.match(fec.suggestedFilename(), /^\d{9}FEC\d{4}1231\.txt$/);
  const fecLines = readFileSync(await fec.path(), 'latin1').split(/\r?\n/).filter(Boolean);
  assert.match(fecLines[0], /^JournalCode\|JournalLib\|EcritureNum\|EcritureDate\|CompteNum\|/);
  const fecRows = fecLines.slice(1).map((l) => l.split('|'));
  assert.ok(fecRows.every((r) => r.length === 18));
  const [fecDebit, fecCredit] = totals(fecRows, 11, 12);
  assert.equal(fecDebit, fecCredit);
  assert.ok(fecDebit >= 180_000 + 100_000);
  await capture(page, 'exports');
  await logoutFrom(page);
});
