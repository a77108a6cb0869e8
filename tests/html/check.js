// Opens the exported dashboard in headless Chromium and checks it as a reader would: it
// loads with no console errors and no network request, shows every action, the filter and
// the status select narrow the rows, a header click sorts them; saves a screenshot.
//
// node tests/html/check.js PAGE.html SCREENSHOT.png   (NODE_PATH must reach playwright-core)
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

const [page_file, screenshot] = process.argv.slice(2);
if (!page_file || !screenshot) {
  console.error('usage: node tests/html/check.js PAGE.html SCREENSHOT.png');
  process.exit(2);
}

let failed = 0;
let passed = 0;
function check(what, ok, detail) {
  if (ok) {
    passed += 1;
    console.log(`ok - ${what}`);
  } else {
    failed += 1;
    console.log(`not ok - ${what}${detail === undefined ? '' : `: ${detail}`}`);
  }
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    const requests = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });

    await page.goto('file://' + path.resolve(page_file), { waitUntil: 'load' });
    const visible = () => page.locator('#actions-table tbody tr:visible').count();

    check('the page loads with no console errors', problems.length === 0, problems.join(' | '));
    check('the page makes no network request', requests.length === 0, requests.join(' '));
    check('the page shows 28 actions', (await visible()) === 28, await visible());
    check('the count says so', (await page.textContent('#count')) === '28 of 28 actions', await page.textContent('#count'));
    check('the timeline is drawn', (await page.locator('#timeline svg g[data-id]').count()) === 28);

    await page.fill('#filter', 'DRINO');
    check('typing DRINO keeps 2 rows', (await visible()) === 2, await visible());
    await page.fill('#filter', '');
    await page.selectOption('#status', 'completed');
    check('the status select keeps the 4 completed actions', (await visible()) === 4, await visible());
    await page.fill('#filter', 'joo');
    check('filter and status together keep 1 row', (await visible()) === 1, await visible());
    await page.fill('#filter', '');
    await page.selectOption('#status', '');

    await page.click('#actions-table thead th:nth-child(1)');
    await page.click('#actions-table thead th:nth-child(1)');
    const first = await page.getAttribute('#actions-table tbody tr:first-child', 'data-id');
    check('clicking # twice sorts by id descending', first === '28', first);
    await page.click('#actions-table thead th:nth-child(1)');
    const again = await page.getAttribute('#actions-table tbody tr:first-child', 'data-id');
    check('a third click sorts ascending again', again === '1', again);

    check('gaps of Annex 1 are highlighted', (await page.locator('#coverage-table tr.gap').count()) > 0);
    check('still no console errors', problems.length === 0, problems.join(' | '));
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`screenshot: ${screenshot}`);
  } finally {
    await browser.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
