// Loads HTML pages archflow wrote in Debian's Chromium and checks them; exits 1 if any check fails.
// Usage: node check.mjs [--screenshots DIR] PAGE.html...   (the Rust test `html::browser` runs it)
//
// For each page:
// - no console error, no uncaught exception, no dialog, no request but the page itself, and no
//   script of the model's ever runs (alert/confirm/prompt set a `__pwned` trap);
// - the DOM has no element or attribute that runs code besides the page's own two script tags;
// - every flow walks with the Next button, then back with ArrowLeft, then forward with
//   ArrowRight, and at each step exactly the diagram's #af-n…/#af-e… elements the step's data
//   names carry the `lit` class;
// - each step has an address (#flow-F-step-N), kept in sync both ways; arrow keys act only while
//   the flow or the diagram has the focus; diagram nodes are focusable, named, Enter opens them;
// - axe-core finds no accessibility violation, light or dark;
// - with scripts off, every flow and every step's explanation is visible;
// - PAGE.expect.json, when present, lists [selector, text] pairs whose textContent must match
//   exactly (user text shown as text, not markup).
// With --screenshots, full-page PNGs in light and dark, mid-walk, without scripts, and as printed.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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
  console.error('usage: node check.mjs [--screenshots DIR] PAGE.html...');
  process.exit(2);
}
if (shots) mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

let failures = 0;
function check(ok, file, what) {
  if (!ok) {
    failures += 1;
    console.log(`FAIL ${file}: ${what}`);
  }
  return ok;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/// A page with listeners that record everything that must not happen.
async function open(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('dialog', async (d) => {
    problems.push(`dialog ${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  await page.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested === url) return route.continue();
    problems.push(`request (routed): ${requested}`);
    return route.abort();
  });
  await page.addInitScript(() => {
    for (const name of ['alert', 'confirm', 'prompt', 'print']) {
      window[name] = () => { window.__pwned = name; };
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

/// The ids that should be lit at `step`, and the ids that are.
async function litState(page, step) {
  return page.evaluate((s) => {
    const expected = [...s.nodes.map((i) => `af-n${i}`), ...s.edges.map((i) => `af-e${i}`)];
    const missing = expected.filter((id) => !document.getElementById(id));
    const lit = [...document.querySelectorAll('.lit')].map((e) => e.id).sort();
    const panel = document.querySelector('.flow.is-current .walk-current .step-num');
    const number = document.querySelector('.flow.is-current [data-role=number]');
    return {
      expected: [...expected].sort(),
      missing,
      lit,
      panel: panel ? panel.textContent.trim() : null,
      number: number ? number.textContent.trim() : null,
    };
  }, step);
}

async function expectStep(page, file, flow, k, how) {
  const state = await litState(page, flow.steps[k]);
  const where = `flow ${JSON.stringify(flow.name)} step ${k + 1} (${how})`;
  check(!state.missing.length, file, `${where}: the diagram has no ${state.missing.join(', ')}`);
  check(same(state.lit, state.expected), file,
    `${where}: lit ${JSON.stringify(state.lit)}, expected ${JSON.stringify(state.expected)}`);
  check(state.number === String(k + 1), file, `${where}: counter shows ${state.number}`);
  check(state.panel === String(k + 1), file, `${where}: explanation shows step ${state.panel}`);
}

for (const file of files) {
  const path = resolve(file);
  const url = pathToFileURL(path).href;
  const name = basename(path, '.html');
  const failedBefore = failures;

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
  context.setDefaultTimeout(10_000);
  const { page, problems } = await open(context, url);

  // Only the page's own code: one data block and one script; nothing else that runs code.
  const dom = await page.evaluate(() => {
    const scripts = [...document.querySelectorAll('script')].map((s) => s.type || 'classic');
    const active = [...document.querySelectorAll('img, iframe, object, embed, frame, link, base, meta[http-equiv=refresh], form')]
      .map((e) => e.tagName.toLowerCase());
    const handlers = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) handlers.push(`${el.tagName.toLowerCase()}[${attr.name}]`);
        if (/^\s*(javascript|data|vbscript):/i.test(attr.value) && /^(href|src|xlink:href|action)$/i.test(attr.name)) {
          handlers.push(`${el.tagName.toLowerCase()}[${attr.name}=${attr.value}]`);
        }
      }
    }
    return { scripts, active, handlers, csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null };
  });
  check(same(dom.scripts, ['application/json', 'classic']), file, `script elements: ${JSON.stringify(dom.scripts)}`);
  check(!dom.active.length, file, `elements that load or submit: ${dom.active.join(', ')}`);
  check(!dom.handlers.length, file, `event handlers or script URLs: ${dom.handlers.join(', ')}`);
  check(/^default-src 'none'; /.test(dom.csp ?? ''), file, `CSP: ${dom.csp}`);
  const scripted = check(await page.evaluate(() => document.documentElement.classList.contains('js')), file,
    'the page script did not run (blocked by its CSP hash?)');

  // Walk every flow: Next, back with ArrowLeft, forward with ArrowRight.
  const data = await page.evaluate(() => JSON.parse(document.getElementById('af-data').textContent));
  for (const [f, flow] of (scripted ? data.flows : []).entries()) {
    if (data.flows.length > 1) await page.selectOption('#af-flow-select', String(f));
    const visible = await page.evaluate((i) => [...document.querySelectorAll('.flow')]
      .map((el, j) => [j, getComputedStyle(el).display !== 'none'])
      .every(([j, shown]) => shown === (j === i)), f);
    check(visible, file, `flow ${f}: only its article should be shown`);
    if (!flow.steps.length) continue;
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await expectStep(page, file, flow, 0, 'start');
    const next = page.locator('.flow.is-current [data-action=next]');
    for (let k = 1; k < flow.steps.length; k += 1) {
      await next.click();
      await expectStep(page, file, flow, k, 'Next');
    }
    check(await next.isDisabled(), file, `flow ${f}: Next stays enabled on the last step`);
    await page.locator('.flow.is-current .walk-pos').click();
    for (let k = flow.steps.length - 2; k >= 0; k -= 1) {
      await page.keyboard.press('ArrowLeft');
      await expectStep(page, file, flow, k, 'ArrowLeft');
    }
    for (let k = 1; k < flow.steps.length; k += 1) {
      await page.keyboard.press('ArrowRight');
      await expectStep(page, file, flow, k, 'ArrowRight');
    }
    // A click on a step in the list jumps there, and the address names the step.
    await page.locator(`.flow.is-current .steps > .step[data-step="0"] .step-link`).click();
    await expectStep(page, file, flow, 0, 'click on step 1');
    check(await page.evaluate(() => window.location.hash) === `#flow-${f}-step-1`, file,
      `flow ${f}: the address after a click on step 1 is ${await page.evaluate(() => window.location.hash)}`);
    // A later change of the address is followed.
    const last = flow.steps.length;
    await page.evaluate((h) => { window.location.hash = h; }, `#flow-${f}-step-${last}`);
    await page.waitForFunction((n) => document.querySelector('.flow.is-current [data-role=number]')?.textContent.trim() === String(n), last);
    await expectStep(page, file, flow, last - 1, 'address changed');
    // A response (its edges run against it) lights its edges as a return arrow.
    const backs = await page.evaluate(() => [...document.querySelectorAll('.edge.lit-back')].length);
    check(backs === (flow.steps[last - 1].back ? flow.steps[last - 1].edges.length : 0), file,
      `flow ${f} step ${last}: ${backs} edges drawn as a return arrow`);
    // Arrow keys do nothing while the focus is outside the flow and the diagram.
    await page.locator('h1').click();
    await page.keyboard.press('ArrowLeft');
    await expectStep(page, file, flow, last - 1, 'ArrowLeft outside the flow');
    await page.locator(`.flow.is-current .steps > .step[data-step="0"] .step-link`).click();
  }

  // Every component in the diagram is focusable, named, and Enter opens its entry.
  const nodes = await page.evaluate(() => [...document.querySelectorAll('#diagram .node[id^="af-n"]')]
    .map((n) => ({ id: n.id, tab: n.tabIndex, name: n.getAttribute('aria-label') || '' })));
  check(nodes.length > 0 && nodes.every((n) => n.tab === 0 && n.name.length > 0), file,
    `diagram nodes not focusable or unnamed: ${JSON.stringify(nodes.filter((n) => n.tab !== 0 || !n.name))}`);
  if (scripted && nodes.length) {
    await page.focus(`#${nodes[0].id}`);
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement?.id);
    check(focused === `component-${nodes[0].id.slice(4)}`, file, `Enter on ${nodes[0].id} focused ${focused}`);
  }

  // User text shows as text.
  const expectFile = path.replace(/\.html$/, '.expect.json');
  if (existsSync(expectFile)) {
    const expected = JSON.parse(readFileSync(expectFile, 'utf8'));
    for (const [selector, text] of expected.text) {
      const actual = await page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.textContent.trim()), selector);
      check(actual.length === 1 && actual[0] === text, file,
        `${selector}: textContent ${JSON.stringify(actual)}, expected ${JSON.stringify(text)}`);
    }
  }

  if (shots) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${shots}/${name}-light.png`, fullPage: true });
    if (data.flows.length && data.flows[0].steps.length > 2) {
      if (data.flows.length > 1) await page.selectOption('#af-flow-select', '0');
      await page.locator('.flow.is-current .steps > .step[data-step="2"] .step-link').click();
      await page.locator('#flows').scrollIntoViewIfNeeded();
      await page.evaluate(() => document.getElementById('flows').scrollIntoView());
      await page.screenshot({ path: `${shots}/${name}-walk-light.png` });
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${shots}/${name}-walk-dark.png` });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${shots}/${name}-dark.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: `${shots}/${name}-narrow.png`, fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light', media: 'print' });
    await page.screenshot({ path: `${shots}/${name}-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  }

  // axe-core: no violation, light and dark (its script is added to a copy of the page that
  // allows it; the page's own policy allows only its own script).
  for (const scheme of ['light', 'dark']) {
    const a11y = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true, colorScheme: scheme, reducedMotion: 'reduce' });
    const ap = await a11y.newPage();
    await ap.goto(url, { waitUntil: 'load' });
    await ap.addScriptTag({ content: readFileSync(AXE, 'utf8') });
    const result = await ap.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    });
    check(!result.length, file, `axe-core (${scheme}): ${result.length} violations\n  ${result.join('\n  ')}`);
    await a11y.close();
  }

  check(!(await page.evaluate(() => window.__pwned)), file, 'a script from the model ran');
  check(!problems.length, file, problems.join('\n  '));
  await context.close();

  // Scripts off: every flow, every step and its explanation are there to read.
  const still = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const off = await open(still, url);
  const shown = await off.page.evaluate(() => {
    const isShown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    return {
      flows: [...document.querySelectorAll('.flow')].map(isShown),
      steps: [...document.querySelectorAll('.steps > .step')].map(isShown),
      notes: [...document.querySelectorAll('.steps .step-note')].map(isShown),
      walk: [...document.querySelectorAll('.walk')].map(isShown),
    };
  });
  const stepCount = data.flows.reduce((n, f) => n + f.steps.length, 0);
  check(shown.flows.length === data.flows.length && shown.flows.every(Boolean), file, `scripts off: flows shown ${JSON.stringify(shown.flows)}`);
  check(shown.steps.length === stepCount && shown.steps.every(Boolean), file, `scripts off: steps shown ${JSON.stringify(shown.steps)}`);
  check(shown.notes.every(Boolean), file, 'scripts off: a step note is hidden');
  check(!shown.walk.some(Boolean), file, 'scripts off: the Next/Previous controls show but cannot work');
  if (shots) await off.page.screenshot({ path: `${shots}/${name}-noscript.png`, fullPage: true });
  check(!off.problems.length, file, off.problems.join('\n  '));
  await still.close();

  if (failures === failedBefore) console.log(`ok ${file} (${data.flows.length} flows, ${stepCount} steps)`);
}

await browser.close();
process.exit(failures ? 1 : 0);
