// CPF files (issue 13, item 2), in the real SPA: the demo's CPF-funded bilan (Camille Durand's) shows its EDOF
// file on the summary, with its state, its history and, for an admin, the form that records the next move; the
// admin's home lists the CPF deadlines.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, capture, tid, loginAs, logoutFrom } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

test('the admin reads a CPF file on the bilan summary and the deadlines on the home page', async () => {
  const page = await loginAs(browser, 'admin@boussole.test');
  await page.goto(`${BASE}/admin`);
  await page.locator(tid('cpf-alerts')).waitFor();

  await page.goto(`${BASE}/admin/bilans`);
  await page.locator(tid('admin-bilan-row')).filter({ hasText: 'Camille Durand' }).locator(tid('bilan-link')).click();
  await page.waitForURL(/\/bilans\/[0-9a-f-]{36}$/);
  await page.locator(tid('cpf-panel')).waitFor();
  const state = page.locator(tid('cpf-state'));
  await state.waitFor();
  assert.ok((await state.getAttribute('data-state'))?.length > 0);
  assert.ok(await page.locator(`${tid('cpf-history')} li`).count() >= 1);
  await page.locator(tid('cpf-form')).waitFor();
  await capture(page, 'bilan-cpf');
  await logoutFrom(page);
});
