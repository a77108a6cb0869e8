// `iisg serve` in a real browser (headless Chromium through playwright-core), as the
// people who never open a terminal use it: a colleague is let in with a token, logs in,
// filters the actions, opens one, changes its status and presses Save; then the file on
// disk differs by that one line and a commit by her exists. Every page has no console
// error, makes no request outside the server, and has no serious or critical axe-core
// violation. Screenshots at desktop and phone width go to OUT/.
//
// node tests/html/serve.js IISG DATA OUT   (NODE_PATH must reach playwright-core, axe-core)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

const [iisg, data, out] = process.argv.slice(2).map((a) => a && path.resolve(a));
if (!iisg || !data || !out) {
  console.error('usage: node tests/html/serve.js IISG DATA OUT');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });

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

// A copy of the plan in a git repository of its own, and a users file beside it.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iisg-browser-'));
fs.cpSync(data, path.join(root, 'data'), { recursive: true });
const git = (...args) => execFileSync('git', args, {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
});
git('init', '-q', '-b', 'main');
git('add', '.');
git('-c', 'user.name=Secretariat', '-c', 'user.email=s@example.org', 'commit', '-q', '-m', 'The plan');
const users = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iisg-users-')), 'users.yaml');
const added = execFileSync(iisg, ['serve', 'user', 'add', 'Ana Novak', '--email', 'ana@example.org',
  '--role', 'editor', '--users', users], { cwd: root, encoding: 'utf8' });
const token = added.split('\n').map((l) => l.trim()).find((l) => l.startsWith('iisg-'));

function start() {
  const child = spawn(iisg, ['serve', '--bind', '127.0.0.1:0', '--users', users, '--commit'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let first = '';
    child.stdout.on('data', (chunk) => {
      first += chunk;
      const match = first.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) resolve({ child, base: match[1] });
    });
    child.on('exit', (code) => reject(new Error(`iisg serve stopped: ${code}`)));
  });
}

/// A page that notes console errors and requests that leave the server.
async function watched(context, base, problems) {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e}`));
  page.on('request', (r) => { if (!r.url().startsWith(base)) problems.push(`request outside: ${r.url()}`); });
  return page;
}

async function logIn(page, base, next) {
  await page.goto(base + next.slice(1));
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForLoadState('load');
}

(async () => {
  const { child, base } = await start();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // The main flow, under the server's own Content-Security-Policy.
    const problems = [];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await watched(context, base, problems);
    await page.goto(base + 'actions');
    check('a visitor not logged in is sent to the login page', page.url().startsWith(base + 'login'), page.url());
    await page.screenshot({ path: path.join(out, 'login.png') });
    await logIn(page, base, '/actions');
    check('logging in leads back to the actions', page.url() === base + 'actions', page.url());
    check('the page names who is logged in', await page.getByText('Ana Novak (editor)').isVisible());

    await page.getByLabel('Status').selectOption('completed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForLoadState('load');
    const rows = await page.locator('table tbody tr').count();
    check('filtering by status Completed keeps the 4 completed actions', rows === 4, rows);
    check('the count says so', (await page.getByRole('status').first().textContent()).includes('4 actions'));
    await page.screenshot({ path: path.join(out, 'actions-filtered.png'), fullPage: true });

    await page.getByRole('link', { name: 'Clear the filters' }).click();
    await page.getByRole('link', { name: '4', exact: true }).click();
    await page.waitForLoadState('load');
    check('the action opens', page.url() === base + 'actions/4', page.url());
    await page.screenshot({ path: path.join(out, 'action-4.png'), fullPage: true });
    await page.getByRole('link', { name: /^Edit/ }).click();
    await page.waitForLoadState('load');
    check('its edit form opens', page.url() === base + 'actions/4/edit', page.url());
    const status = page.getByLabel('Status', { exact: true });
    const before = await status.inputValue();
    await status.selectOption('completed');
    await page.screenshot({ path: path.join(out, 'edit-4.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState('load');
    check('Save leads back to the action', page.url().startsWith(base + 'actions/4?saved'), page.url());
    check('the action now shows completed', (await page.locator('main').textContent()).includes('completed'));

    const stat = git('diff', '--numstat', 'HEAD~1', 'HEAD', '--', 'data').trim();
    check('the change is one line of one file', /^1\t1\tdata\/actions\/004-/.test(stat), stat);
    const diff = git('diff', 'HEAD~1', 'HEAD', '--', 'data').split('\n').filter((l) => /^[-+][^-+]/.test(l));
    check('that line is the status', diff.length === 2 && diff[0] === `-status: ${before}` && diff[1] === '+status: completed', diff.join(' | '));
    const log = git('log', '-1', '--format=%an <%ae>|%s').trim();
    check('a commit by her says what changed', log === `Ana Novak <ana@example.org>|action 4: status ${before} → completed`, log);
    check('the working tree is clean after it', git('status', '--porcelain').trim() === '', git('status', '--porcelain'));

    // A refused change comes back with the message beside its field, as 422 (which the
    // browser notes on its console: that one line is expected).
    await page.goto(base + 'actions/4/edit');
    const seen = problems.length;
    await page.getByLabel('Timeline').fill('sometime soon');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState('load');
    const described = await page.getByLabel('Timeline').getAttribute('aria-describedby');
    check('a refused timeline is marked invalid', (await page.getByLabel('Timeline').getAttribute('aria-invalid')) === 'true');
    check('its message is beside it', described !== null, described);
    check('nothing was written', git('status', '--porcelain').trim() === '');
    const refused = problems.splice(seen);
    check('the refusal is a 422', refused.length === 1 && refused[0].includes('422'), refused.join(' | '));

    // The phone width.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const small = await watched(phone, base, problems);
    await logIn(small, base, '/actions');
    await small.screenshot({ path: path.join(out, 'phone-actions.png'), fullPage: false });
    const wide = await small.evaluate(() => document.documentElement.scrollWidth);
    check('the actions page fits a phone, its table scrolling inside', wide <= 390, wide);
    await small.goto(base + 'actions/4');
    await small.screenshot({ path: path.join(out, 'phone-action-4.png'), fullPage: true });
    await small.goto(base + 'actions/4/edit');
    await small.screenshot({ path: path.join(out, 'phone-edit-4.png'), fullPage: true });
    await small.goto(base);
    await small.screenshot({ path: path.join(out, 'phone-summary.png'), fullPage: false });
    for (const where of ['annex', 'logframe', 'report/timeline']) {
      await page.goto(base + where);
      await page.screenshot({ path: path.join(out, `${where.replace('/', '-')}.png`) });
    }

    check('no console error on any page', problems.length === 0, problems.join(' | '));

    // axe-core on every page. Its script is injected, which the server's policy forbids
    // (as it should): this context alone looks past it.
    const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const audit = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const auditPage = await audit.newPage();
    await auditPage.goto(base + 'login');
    const pages = ['login', '', 'actions', 'actions?status=completed', 'actions/4', 'actions/4/edit',
      'actions/new', 'findings', 'report/by-partner', 'report/by-status', 'report/by-financing',
      'report/by-location', 'report/timeline', 'report/coverage', 'report/overlaps', 'report/overdue', 'report/results',
      'annex', 'logframe', 'logframe/new', 'logframe/2/progress', 'partners', 'partners/DCAF', 'locations', 'funding', 'plan', 'no-such-page'];
    for (const [index, where] of pages.entries()) {
      if (index === 1) await logIn(auditPage, base, '/');
      await auditPage.goto(base + where);
      await auditPage.addScriptTag({ content: axe });
      const found = await auditPage.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
      check(`axe: /${where} has no serious or critical violation`, found.length === 0, found.join(' | '));
    }
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
  console.log(`${passed} passed, ${failed} failed; screenshots in ${out}`);
  process.exit(failed === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
