// Opens `iisg serve`'s pages in headless Chromium, changes the plan from outside, and
// checks what a reader sees: the note that the plan changed appears (role="status", with
// a "Reload" link) on the actions page and on an edit form being filled in, the form keeps
// what was typed, Reload shows the change; no console error, no request elsewhere.
// Saves screenshots at desktop and phone width into OUT_DIR.
//
// node tests/html/live.js http://127.0.0.1:PORT/ PLAN_DIR OUT_DIR   (NODE_PATH must reach
// playwright-core; PLAN_DIR is the folder the server serves, holding plan.yaml)
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [base, plan, out] = process.argv.slice(2);
if (!base || !plan || !out) {
  console.error('usage: node tests/html/live.js http://127.0.0.1:PORT/ PLAN_DIR OUT_DIR');
  process.exit(2);
}

let failed = 0;
function check(what, ok, detail) {
  if (!ok) failed += 1;
  console.log(`${ok ? 'ok' : 'not ok'} - ${what}${ok || detail === undefined ? '' : `: ${detail}`}`);
}

/// Rewrites one action file in place, as an editor saves it.
function edit(file, from, to) {
  const full = path.join(plan, 'actions', file);
  fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(from, to));
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
      const page = await browser.newPage({ viewport });
      const problems = [];
      page.on('console', (m) => {
        if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('request', (r) => { if (!r.url().startsWith(base)) problems.push(`request to ${r.url()}`); });
      // Chromium asks for /favicon.ico on its own; the server has none (a 404 it logs).
      page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} for ${r.url()}`); });

      await page.goto(new URL('/actions', base).href);
      const note = page.getByRole('status').filter({ hasText: 'The plan changed' });
      check(`${name}: no note while nothing changed`, (await note.count()) === 0);
      edit('004-joint-operation.yaml', /^title: .*$/m, `title: Joint Operation renamed on the ${name}`);
      await note.waitFor({ timeout: 10000 });
      check(`${name}: the note offers to reload`, await note.getByRole('link', { name: 'Reload' }).isVisible());
      check(`${name}: the page was not reloaded under the reader`,
        !(await page.content()).includes(`renamed on the ${name}`));
      await page.screenshot({ path: path.join(out, `live-actions-${name}.png`) });
      await note.getByRole('link', { name: 'Reload' }).click();
      await page.waitForLoadState();
      check(`${name}: Reload shows the change`, (await page.content()).includes(`renamed on the ${name}`));
      check(`${name}: and no note after it`, (await note.count()) === 0);

      await page.goto(new URL('/actions/5/edit', base).href);
      await page.getByLabel('Scope').fill('Typed by hand, not saved yet');
      edit('005-study-visit-s-to-joo.yaml', /^status: .*$/m, 'status: in-progress');
      await note.waitFor({ timeout: 10000 });
      check(`${name}: a form being filled in keeps what was typed`,
        (await page.getByLabel('Scope').inputValue()) === 'Typed by hand, not saved yet');
      check(`${name}: and says reloading drops it`, (await note.textContent()).includes('drops what you typed'));
      await page.screenshot({ path: path.join(out, `live-edit-${name}.png`), fullPage: false });
      await note.getByRole('button', { name: 'Not now' }).click();
      check(`${name}: "Not now" puts the note aside`, (await note.count()) === 0);
      await page.waitForTimeout(2500);
      check(`${name}: and it stays aside while nothing else changes`, (await note.count()) === 0);
      check(`${name}: no console error and no request elsewhere`, problems.length === 0, problems.join('; '));
      // Put the files back for the next width.
      edit('005-study-visit-s-to-joo.yaml', /^status: .*$/m, 'status: planned');
      await page.close();
    }
  } finally {
    await browser.close();
  }
  console.log(failed ? `${failed} failed` : 'all passed');
  process.exit(failed ? 1 : 0);
})();
