// Loads big HTML pages archflow wrote in Debian's Chromium and times them; exits 1 when a bound
// is missed. Usage: node perf.mjs [--load-under MS] [--step-under MS] PAGE.html...
// (the Rust test `html::big_page_loads_fast` runs it; BENCHMARKS.md quotes its figures).
//
// For each page, as one JSON line: the time from navigation to the first frame after the load
// event (median of 3 loads); the DOM size; each step of the first flow (up to 8) from a click on
// Next, made in the page, to the frame that shows it (`steps_ms`; the bound holds the slowest, and
// a step starts 0.5 s after the last, as a reader's would); a pan by the arrow key, timed alike;
// and opening a service's view from a click on its box.
import { launch } from './launch.mjs';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let loadUnder = Infinity;
let stepUnder = Infinity;
let nodesUnder = Infinity;
const files = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--load-under') loadUnder = Number(args[(i += 1)]);
  else if (args[i] === '--step-under') stepUnder = Number(args[(i += 1)]);
  else if (args[i] === '--nodes-under') nodesUnder = Number(args[(i += 1)]);
  else files.push(args[i]);
}
const browser = await launch();
let failures = 0;
for (const file of files) {
  const url = pathToFileURL(resolve(file)).href;
  const loads = [];
  let page;
  let context;
  for (let k = 0; k < 3; k += 1) {
    if (context) await context.close();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    context.setDefaultTimeout(120_000);
    page = await context.newPage();
    const started = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    // Two frames later the first paint after the load is done.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    loads.push(Date.now() - started);
  }
  loads.sort((a, b) => a - b);
  const load = loads[1];
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  const timed = async (action) => {
    const t = Date.now();
    await action();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    return Date.now() - t;
  };
  // Timed in the page: from the click to the second animation frame after it (the first frame
  // that has painted what the click changed).
  const inPage = (what) => page.evaluate(async (what) => {
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await new Promise((r) => setTimeout(r, 500));
    await frames();
    const start = performance.now();
    if (what === 'next') document.querySelector('.flow.is-current [data-action=next]').click();
    else document.querySelector('#diagram .diagram-canvas').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await frames();
    return Math.round(performance.now() - start);
  }, what);
  const steps = [];
  const next = page.locator('.flow.is-current [data-action=next]');
  while (steps.length < 8 && await next.count() && !(await next.isDisabled())) steps.push(await inPage('next'));
  const step = steps.length ? Math.max(...steps) : null;
  const pans = [];
  if (await page.locator('#diagram .diagram-canvas').count()) for (let k = 0; k < 3; k += 1) pans.push(await inPage('pan'));
  let view = null;
  const service = page.locator('#diagram .diagram-canvas .node-service-box').first();
  if (await service.count()) view = await (async () => timed(async () => {
      await page.evaluate(() => document.querySelector('#diagram .diagram-canvas .node-service-box').dispatchEvent(new MouseEvent('click', { bubbles: true })));
      await page.waitForFunction(() => document.getElementById('diagram').getAttribute('data-view') !== '0', null, { timeout: 10_000 });
    }))().catch(() => null);
  const result = { file, bytes: statSync(file).size, nodes, load_ms: load, loads_ms: loads, steps_ms: steps, pans_ms: pans, open_view_ms: view };
  console.log(JSON.stringify(result));
  const ok = load < loadUnder && (step === null || step < stepUnder) && nodes < nodesUnder;
  if (!ok) {
    failures += 1;
    console.log(`FAIL ${file}: load ${load} ms (bound ${loadUnder}), slowest step ${step} ms (bound ${stepUnder}), ${nodes} elements (bound ${nodesUnder})`);
  } else {
    console.log(`ok ${file}`);
  }
  await context.close();
}
await browser.close();
process.exit(failures ? 1 : 0);
