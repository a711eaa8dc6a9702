// Electronic signature (issue 12) in the real SPA, on a phone-sized screen: Julie Roux's contract waits
// for her signature (seed-demo asked for it); she opens her personal link from the development mailbox,
// asks for a code by email, is refused with a wrong one, then signs; the organisation's representative
// signs next through the link that only then reaches them, and the link does not sign twice.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, capture, checkA11y, tid, lastLink, mailbox, signAs, BASE } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

test('Julie signs her contract on her phone, then the organisation; a used link signs nothing', async () => {
  const page = browser.page;
  await page.setViewportSize({ width: 360, height: 740 });
  const link = await lastLink('julie.roux@boussole.test', '/signer?token=');
  await page.goto(`${BASE}${link}`);
  await page.locator(tid('sign-intro')).filter({ hasText: 'Contrat de bilan de compétences' }).waitFor();
  const consent = await page.locator(tid('sign-consent')).count();
  assert.equal(consent, 1, 'the consent wording is shown before signing');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the signing page fits a phone (${width} px)`);
  await checkA11y(page, 'signature');
  await capture(page, 'signature-telephone');
  // The organisation's link is sent only once Julie has signed.
  const toOrganisation = () => mailbox().filter((m) => m.to === 'admin@boussole.test' && m.text.includes('/signer?token=')
    && m.subject.includes('Contrat')).length;
  const before = toOrganisation();
  await signAs(page, 'julie.roux@boussole.test', { wrongFirst: true });
  await capture(page, 'signature-faite');
  for (let i = 0; i < 150 && toOrganisation() === before; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(toOrganisation(), before + 1, 'the next signer is invited after Julie signed');
  await signAs(page, 'admin@boussole.test');
  // Julie's link again: already signed.
  await page.goto(`${BASE}${link}`);
  await page.locator(tid('sign-done')).waitFor();
  await page.setViewportSize({ width: 1280, height: 900 });
});
