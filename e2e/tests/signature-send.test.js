// Sending for signature from the documents tab (issue 12): Karim Benali issues a new version of Nicolas
// Fontaine's tripartite convention, sends it with its signers in order (Nicolas from his account, the
// organisation's representative, the employer's contact), cancels and sends again, and follows each
// signer's status; Nicolas signs on a phone-sized screen, then the organisation and the employer through
// the links that reach them in turn; Karim downloads the signed original, which the API recognises as a
// signed original (the document and its evidence page).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, capture, tid, loginAs, logoutFrom, openTab, mailbox, signAs, settledCount } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

const NICOLAS = 'nicolas.fontaine@boussole.test';
const ORG = 'direction@cap-horizons.example';
const EMPLOYER = 'rh@transports-leroy.example';

/** How many signing links were emailed to `to`. */
const links = (to) => mailbox().filter((m) => m.to === to && m.text.includes('/signer?token=')).length;

async function waitLinks(to, n) {
  for (let i = 0; i < 150 && links(to) < n; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(links(to) >= n, `${n} signing link(s) emailed to ${to}`);
}

async function openNicolasDocuments(page) {
  await page.waitForURL(/\/consultant$/);
  await page.locator(tid('portfolio-row')).filter({ hasText: 'Nicolas Fontaine' }).locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  await openTab(page, 'documents');
}

test('the consultant sends the convention for signature, the parties sign in turn, the signed original downloads', async () => {
  let page = await loginAs(browser, 'consultant@boussole.test');
  await openNicolasDocuments(page);
  // The demo's convention (v1) was signed by all three: its request says so.
  const v1 = page.locator(tid('signature-request')).filter({ hasText: 'Signée par tous' });
  await v1.waitFor();
  assert.equal(await v1.locator(tid('signer')).count(), 3);
  // A new version, sent with its signers in order.
  await page.locator(tid('document-kind')).selectOption('tripartite_convention');
  await page.locator(tid('document-issue')).click();
  await page.locator(tid('signature-requests')).filter({ hasText: 'version 2' }).waitFor();
  const form = page.locator(tid('signature-form'));
  assert.match(await form.locator(tid('signer-beneficiary')).innerText(), /Nicolas Fontaine/);
  // The organisation's representative comes from its identity; the employer's contact is typed.
  assert.notEqual(await page.locator(tid('signer-org-name')).inputValue(), '');
  await page.locator(tid('signer-org-email')).fill(ORG);
  await page.locator(tid('signer-employer-name')).fill('Mme Leroy');
  await page.locator(tid('signer-employer-email')).fill('pas-une-adresse');
  await page.locator(tid('signature-send')).click();
  // The API names the wrong field (the employer is the third signer), next to it.
  await page.locator('#signer-employer-email-erreur').waitFor();
  assert.equal(await page.locator('#signer-employer-email').getAttribute('aria-invalid'), 'true');
  await page.locator(tid('signer-employer-email')).fill(EMPLOYER);
  const before = links(NICOLAS);
  await page.locator(tid('signature-send')).click();
  const v2 = page.locator(tid('signature-requests')).filter({ hasText: 'version 2' });
  const pending = v2.locator(tid('signature-request')).filter({ hasText: 'En cours' });
  await pending.waitFor();
  // Nicolas's link is sent; the others wait for their turn.
  // (the list is redrawn once the request is reloaded: wait for the signer's state, then count)
  await pending.locator(`${tid('signer')}[data-state="invited"]`).waitFor();
  assert.equal(await settledCount(pending.locator(`${tid('signer')}[data-state="invited"]`), 1), 1);
  assert.equal(await settledCount(pending.locator(`${tid('signer')}[data-state="waiting"]`), 2), 2);
  await pending.getByText('sans réponse').waitFor();
  await waitLinks(NICOLAS, before + 1);
  // Cancelled, then sent again: the first link stops working, a new one goes out.
  await pending.locator(tid('signature-cancel')).click();
  await v2.locator(tid('signature-request')).filter({ hasText: 'Annulée' }).waitFor();
  // The form starts afresh after each sending.
  await page.locator(tid('signer-org-email')).fill(ORG);
  await page.locator(tid('signer-employer-name')).fill('Mme Leroy');
  await page.locator(tid('signer-employer-email')).fill(EMPLOYER);
  await page.locator(tid('signature-send')).click();
  await v2.locator(tid('signature-request')).filter({ hasText: 'En cours' }).waitFor();
  // A reminder right after the link was sent is too early (one an hour): said, nothing sent.
  await v2.locator(tid('signature-remind')).click();
  await v2.locator(tid('signature-error')).filter({ hasText: /./ }).waitFor();
  await capture(page, 'bilan-signature');
  await waitLinks(NICOLAS, before + 2);
  await logoutFrom(page);

  // Nicolas signs on his phone, then the organisation, then the employer.
  await browser.context.clearCookies();
  page = browser.page;
  await page.setViewportSize({ width: 360, height: 740 });
  await signAs(page, NICOLAS);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the signing page fits a phone (${width} px)`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await waitLinks(ORG, 1);
  await signAs(page, ORG);
  await waitLinks(EMPLOYER, 1);
  await signAs(page, EMPLOYER);

  // Back in the tab: signed by all, each signer's date; the signed original downloads.
  page = await loginAs(browser, 'consultant@boussole.test');
  await openNicolasDocuments(page);
  const done = page.locator(tid('signature-requests')).filter({ hasText: 'version 2' })
    .locator(tid('signature-request')).filter({ hasText: 'Signée par tous' });
  await done.waitFor();
  assert.equal(await settledCount(done.locator(`${tid('signer')}[data-state="signed"]`), 3), 3);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    done.locator(tid('signature-download')).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'tripartite-convention-v2-signe.pdf');
  const { readFileSync } = await import('node:fs');
  const pdf = readFileSync(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  // The API recognises it as the signed original of version 2 (the document followed by its evidence page).
  const res = await fetch(`${BASE}/api/v1/documents/verify`, {
    method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: pdf,
  });
  const verified = await res.json();
  assert.equal(verified.issued, true);
  assert.equal(verified.signed, true);
  assert.equal(verified.kind, 'tripartite_convention');
  assert.equal(verified.version, 2);
  await logoutFrom(page);
});
