// Loads the evolution page (`archflow build --history`) and the diff page (`archflow diff
// --format html`) in Debian's Chromium and checks them; exits 1 if any check fails.
// Usage: node history.mjs [--screenshots DIR] PAGE.html...   (the Rust test `history::browser` runs it)
//
// Every page: no console error or warning, no uncaught exception, no dialog, no request but the
// page itself, no element that loads or submits, no event-handler attribute, a CSP that starts
// with `default-src 'none'`, and axe-core finds no accessibility violation, light or dark.
// A page with #hx-data (the evolution page) is also stepped through:
// - Next walks every version; at each, exactly the diagram elements the version's data marks
//   added, removed or changed carry that class, absent ones are hidden, the marks differ from
//   the version before, only that version's text is shown, and the address is #version-N;
// - ArrowLeft and ArrowRight step while the stepper has the focus, and do nothing elsewhere;
// - a change of the address is followed, and a page opened at #version-N starts there.
import { launch } from './launch.mjs';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const AXE = resolve(fileURLToPath(new URL('.', import.meta.url)), 'node_modules/axe-core/axe.min.js');

const args = process.argv.slice(2);
let shots = null;
const files = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--screenshots') shots = args[(i += 1)];
  else files.push(args[i]);
}
if (!files.length) {
  console.error('usage: node history.mjs [--screenshots DIR] PAGE.html...');
  process.exit(2);
}
if (shots) mkdirSync(shots, { recursive: true });

const browser = await launch();

let failures = 0;
function check(ok, file, what) {
  if (!ok) {
    failures += 1;
    console.log(`FAIL ${file}: ${what}`);
  }
  return ok;
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

async function open(context, url) {
  const page = await context.newPage();
  const problems = [];
  const base = url.replace(/#.*$/, '');
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('dialog', async (d) => {
    problems.push(`dialog ${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  await page.route('**/*', (route) => {
    const requested = route.request().url().replace(/#.*$/, '');
    if (requested === base) return route.continue();
    problems.push(`request: ${requested}`);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

/// What the page shows now: the marked, hidden and current elements.
async function state(page) {
  return page.evaluate(() => {
    const ids = (cls) => [...document.querySelectorAll(`.archflow g.${cls}[id^="af-"]`)].map((e) => e.id).sort();
    const shown = [...document.querySelectorAll('.hx-version')]
      .map((a, i) => [i, a.getClientRects().length > 0]).filter(([, s]) => s).map(([i]) => i);
    const hiddenOk = [...document.querySelectorAll('.archflow g.hx-absent[id^="af-"]')]
      .every((e) => getComputedStyle(e).visibility === 'hidden' && getComputedStyle(e).opacity === '0');
    return {
      added: ids('hx-added'),
      removed: ids('hx-removed'),
      changed: ids('hx-changed'),
      absent: ids('hx-absent'),
      shown,
      hiddenOk,
      hash: window.location.hash,
      number: document.querySelector('.hx-pos [data-role=number]')?.textContent.trim(),
    };
  });
}

/// The ids the data says are in `letter` state in version `v`.
function expected(v, letter) {
  const out = [];
  for (const [prefix, states] of [['af-c', v.clusters], ['af-n', v.nodes], ['af-e', v.edges]]) {
    [...states].forEach((s, i) => { if (s === letter) out.push(`${prefix}${i}`); });
  }
  return out.sort();
}

async function expectVersion(page, file, data, k, how) {
  const s = await state(page);
  const v = data.versions[k];
  const where = `version ${k + 1} (${how})`;
  for (const [name, letter] of [['added', 'a'], ['removed', 'r'], ['changed', 'c'], ['absent', 'x']]) {
    check(same(s[name], expected(v, letter)), file,
      `${where}: ${name} ${JSON.stringify(s[name])}, expected ${JSON.stringify(expected(v, letter))}`);
  }
  check(s.hiddenOk, file, `${where}: an absent element is still visible`);
  check(same(s.shown, [k]), file, `${where}: versions shown ${JSON.stringify(s.shown)}`);
  check(s.hash === `#version-${k + 1}`, file, `${where}: address ${s.hash}`);
  check(s.number === String(k + 1), file, `${where}: counter shows ${s.number}`);
  return s;
}

async function axe(url, file, what) {
  for (const scheme of ['light', 'dark']) {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true, colorScheme: scheme, reducedMotion: 'reduce' });
    const p = await ctx.newPage();
    await p.goto(url, { waitUntil: 'load' });
    await p.addScriptTag({ content: readFileSync(AXE, 'utf8') });
    const result = await p.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    });
    check(!result.length, file, `axe-core (${scheme}, ${what}): ${result.length} violations\n  ${result.join('\n  ')}`);
    await ctx.close();
  }
}

for (const file of files) {
  const path = resolve(file);
  const url = pathToFileURL(path).href;
  const name = basename(path, '.html');
  const failedBefore = failures;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
  context.setDefaultTimeout(10_000);
  const { page, problems } = await open(context, url);

  const dom = await page.evaluate(() => {
    const scripts = [...document.querySelectorAll('script')].map((s) => s.type || 'classic');
    const active = [...document.querySelectorAll('img, iframe, object, embed, frame, link, base, meta[http-equiv=refresh], form')]
      .map((e) => e.tagName.toLowerCase());
    const handlers = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) handlers.push(`${el.tagName.toLowerCase()}[${attr.name}]`);
      }
    }
    return {
      scripts,
      active,
      handlers,
      history: !!document.getElementById('hx-data'),
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null,
    };
  });
  check(!dom.active.length, file, `elements that load or submit: ${dom.active.join(', ')}`);
  check(!dom.handlers.length, file, `event handlers: ${dom.handlers.join(', ')}`);
  check(/^default-src 'none'; /.test(dom.csp ?? ''), file, `CSP: ${dom.csp}`);
  let versions = 0;

  if (dom.history) {
    check(same(dom.scripts, ['application/json', 'classic']), file, `script elements: ${JSON.stringify(dom.scripts)}`);
    check(await page.evaluate(() => document.documentElement.classList.contains('js')), file,
      'the page script did not run (blocked by its CSP hash?)');
    const data = await page.evaluate(() => JSON.parse(document.getElementById('hx-data').textContent));
    versions = data.versions.length;
    check(versions >= 2, file, `${versions} versions`);
    let before = await expectVersion(page, file, data, 0, 'start');
    const next = page.locator('[data-action=next]');
    for (let k = 1; k < versions; k += 1) {
      await next.click();
      const now = await expectVersion(page, file, data, k, 'Next');
      const marks = (s) => JSON.stringify([s.added, s.removed, s.changed, s.absent]);
      check(marks(now) !== marks(before), file, `version ${k + 1}: the highlighted elements did not change`);
      check(now.added.length + now.removed.length + now.changed.length > 0, file,
        `version ${k + 1}: nothing is highlighted`);
      if (shots) await page.screenshot({ path: `${shots}/${name}-version-${k + 1}.png`, fullPage: true });
      before = now;
    }
    check(await next.isDisabled(), file, 'Next stays enabled on the last version');
    // The arrow keys step while the stepper has the focus…
    await page.focus('#hx-stepper');
    for (let k = versions - 2; k >= 0; k -= 1) {
      await page.keyboard.press('ArrowLeft');
      await expectVersion(page, file, data, k, 'ArrowLeft');
    }
    await page.keyboard.press('ArrowRight');
    await expectVersion(page, file, data, 1, 'ArrowRight');
    // …and do nothing elsewhere.
    await page.locator('h1').click();
    await page.keyboard.press('ArrowLeft');
    await expectVersion(page, file, data, 1, 'ArrowLeft outside the stepper');
    // The address leads too.
    await page.evaluate((h) => { window.location.hash = h; }, `#version-${versions}`);
    await page.waitForFunction((n) => document.querySelector('.hx-pos [data-role=number]')?.textContent.trim() === String(n), versions);
    await expectVersion(page, file, data, versions - 1, 'address changed');
    await page.locator('.hx-version-link[data-version="0"]').click();
    await expectVersion(page, file, data, 0, 'click on version 1');
    // A page opened at a version starts there.
    const opened = await open(context, `${url}#version-2`);
    await expectVersion(opened.page, file, data, 1, 'opened at #version-2');
    problems.push(...opened.problems);
    await axe(`${url}#version-${versions}`, file, `version ${versions}`);
  } else {
    check(!dom.scripts.length, file, `script elements: ${JSON.stringify(dom.scripts)}`);
    if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  }
  await axe(url, file, 'as opened');
  check(!problems.length, file, problems.join('\n  '));
  await context.close();
  if (failures === failedBefore) console.log(`ok ${file} (${versions} versions)`);
}

await browser.close();
process.exit(failures ? 1 : 0);
