// Keyboard only (issue 16, item 4): Camille Durand logs in, books her next session, gives a consent and
// logs out without a single mouse or pointer event. At every Tab the focused element shows a visible
// focus ring, and focus keeps moving (no trap): each target is reached by Tab alone. Then the
// accessibility statement, reached from the footer by keyboard too.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, tid, checkA11y } from './lib.js';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.context.close(); });

/** Counts the pointer and mouse presses the page receives (a keyboard journey must make none). */
function countPointer() {
  window.__pointer = 0;
  for (const type of ['pointerdown', 'mousedown', 'mouseup', 'pointerup']) {
    window.addEventListener(type, () => { window.__pointer += 1; }, true);
  }
}

/** What has focus, and whether it is visibly marked (an outline or a box shadow). */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { none: true };
    const cs = getComputedStyle(el);
    const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
    return {
      none: false,
      visible: ring && el.getClientRects().length > 0,
      what: `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} “${(el.innerText || el.value || '').slice(0, 30)}”`,
      testid: el.dataset.testid || '',
    };
  });
}

/** Presses Tab until `matches(focus)` (at most `max` times; none when it already has focus), checking
 *  the focus ring at each step. */
async function tabUntil(page, matches, label, max = 80) {
  const seen = [];
  const now = await focused(page);
  if (!now.none && await matches(now)) return;
  for (let n = 0; n < max; n += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.none) continue; // between the end of the page and its start
    seen.push(f.what);
    assert.ok(f.visible, `focus not visible on ${f.what} (on the way to ${label})`);
    if (await matches(f)) return;
  }
  assert.fail(`${label} not reached by Tab in ${max} presses; focus went through: ${seen.join(', ')}`);
}

const tabTo = (page, testid) => tabUntil(page, (f) => f.testid === testid, testid);
const tabToLink = (page, text) => tabUntil(page, (f) => f.what.startsWith('a') && f.what.includes(text), text);

test('keyboard only: log in, book a session, give a consent, log out — focus always visible, never trapped', async () => {
  const page = browser.page;
  await browser.context.addInitScript(countPointer);
  await page.goto(`${BASE}/connexion`);
  await page.locator(tid('login-form')).waitFor();

  await tabTo(page, 'login-email');
  await page.keyboard.type('beneficiaire@boussole.test');
  await tabTo(page, 'login-password');
  await page.keyboard.type('boussole-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/beneficiaire$/);
  await page.locator(tid('header-user-name')).filter({ hasText: 'Camille Durand' }).waitFor();

  // Her appointments, then a free slot of her consultant, remote.
  await tabToLink(page, 'Mes rendez-vous');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/beneficiaire\/rendez-vous$/);
  await page.locator(tid('book-link')).waitFor();
  await tabTo(page, 'book-link');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/rendez-vous\/nouveau$/);
  await page.locator(`${tid('slot')}, ${tid('no-slot')}`).first().waitFor();
  for (let week = 0; week < 5 && (await page.locator(tid('slot')).count()) === 0; week += 1) {
    await tabTo(page, 'slot-next');
    await page.keyboard.press('Enter');
    await page.locator(`${tid('slot')}, ${tid('no-slot')}`).first().waitFor();
  }
  await tabTo(page, 'slot');
  await page.keyboard.press('Enter');
  await page.locator(tid('book-summary')).waitFor();
  const slot = page.locator(`${tid('slot')}[aria-pressed="true"]`);
  if ((await slot.getAttribute('data-mode')) === 'either') {
    await tabTo(page, 'book-mode-remote');
    await page.keyboard.press('Space');
  }
  await tabTo(page, 'book-confirm');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/rendez-vous\/[0-9a-f-]{36}$/);
  await page.locator(`${tid('apt-status')}[data-status="booked"]`).waitFor();

  // Home, and her agreement to keep the documents for a year after the bilan.
  await tabToLink(page, 'Accueil');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/beneficiaire$/);
  await page.locator(tid('retention-open')).waitFor();
  await tabTo(page, 'retention-open');
  await page.keyboard.press('Enter');
  await page.locator(tid('retention-dialog')).waitFor();
  await tabTo(page, 'retention-months');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('12');
  await tabUntil(page, async () => page.evaluate(() =>
    document.activeElement?.dataset.testid === 'agreement-submit'
    && document.activeElement.closest('[data-testid="retention-dialog"]') !== null), 'agreement-submit');
  await page.keyboard.press('Enter');
  await page.locator(`${tid('consent-row')}[data-kind="retention"]`).filter({ hasText: '12 mois' }).waitFor();
  await checkA11y(page, 'beneficiary home after the keyboard journey');

  // The footer's accessibility statement, then log out.
  await tabTo(page, 'footer-accessibility');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/accessibilite$/);
  await page.locator(tid('accessibility-statement')).filter({ hasText: 'Défenseur des droits' }).waitFor();
  await checkA11y(page, 'accessibility statement');
  await tabTo(page, 'logout-button');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/connexion/);

  assert.equal(await page.evaluate(() => window.__pointer), 0, 'a pointer event was fired');
});

test('on a phone the header folds behind Menu: Enter opens it on its first link, Escape closes it back on the button', async () => {
  const page = browser.page;
  await page.setViewportSize({ width: 375, height: 800 });
  try {
    await page.goto(`${BASE}/connexion`);
    await page.locator(tid('login-form')).waitFor();
    const toggle = page.locator(tid('menu-toggle'));
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#site-menu').isVisible(), false);
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.waitForFunction(() => document.activeElement?.closest('#site-menu') !== null);
    assert.ok((await focused(page)).visible, 'focus visible in the open menu');
    await checkA11y(page, 'phone menu open');
    await page.keyboard.press('Escape');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-toggle');
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});
