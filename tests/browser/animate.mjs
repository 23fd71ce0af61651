// Plays animated flow SVGs (`render --format svg --flow NAME --animate`) in Debian's Chromium and
// checks them; exits 1 if any check fails.
// Usage: node animate.mjs [--screenshots DIR] FLOW.svg...   (the Rust test `animation::browser`)
//
// For each SVG, with N hops:
// - as an <img> (how a README shows it): two screenshots two hops apart differ (the lit hop
//   moved). (Playwright's reduced-motion emulation does not reach an image's own document in
//   Chromium, so reduced motion is checked on the SVG as a document below.)
// - as a document: exactly 2N CSS animations (a hop's lines, its badge and caption), looping,
//   their delays one hop apart; seeking every animation to the middle of hop k lights hop k
//   alone (opacity 1, the others 0), for every k; no script element, no external reference;
// - with reduced motion: no animation runs and every hop is shown.
import { launch } from './launch.mjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let shots = null;
const files = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--screenshots') shots = args[(i += 1)];
  else files.push(args[i]);
}
if (!files.length) {
  console.error('usage: node animate.mjs [--screenshots DIR] FLOW.svg...');
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

const HOP_MS = 1600;

for (const file of files) {
  const before = failures;
  const path = resolve(file);
  const text = readFileSync(path, 'utf8');
  check(!/<script/i.test(text), file, 'has a script element');
  check(!/(href|src)=["'](?!#)/i.test(text) && !/url\((?!#)/i.test(text), file, 'refers to something outside');
  const hops = (text.match(/<g class="af-hop" id="af-hop\d+"/g) || []).length;
  check(hops >= 2, file, `only ${hops} hops`);

  // As an image, the way a README shows it.
  const wrapper = join(dirname(path), `${basename(path, '.svg')}.img.html`);
  writeFileSync(wrapper, `<!doctype html><body style="margin:0;background:#fff"><img id="a" src="${basename(path)}"></body>`);
  for (const reducedMotion of ['no-preference']) {
    const page = await browser.newPage({ viewport: { width: 1800, height: 400 }, reducedMotion });
    await page.goto(pathToFileURL(wrapper).href);
    await page.waitForFunction(() => document.getElementById('a').complete);
    await page.waitForTimeout(HOP_MS / 2);
    const first = await page.screenshot();
    await page.waitForTimeout(2 * HOP_MS);
    const later = await page.screenshot();
    if (shots) {
      writeFileSync(join(shots, `${basename(path, '.svg')}-${reducedMotion}-1.png`), first);
      writeFileSync(join(shots, `${basename(path, '.svg')}-${reducedMotion}-2.png`), later);
    }
    check(!first.equals(later), file, 'the image shows the same thing two hops later');
    await page.close();
  }

  // As a document: seek the animations and read what is lit.
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path).href);
  const report = await page.evaluate(({ hops, HOP_MS }) => {
    const animations = document.getAnimations();
    const out = { count: animations.length, loops: true, delays: [], lit: [] };
    for (const a of animations) {
      const timing = a.effect.getComputedTiming();
      if (timing.iterations !== Infinity) out.loops = false;
      out.delays.push(timing.delay);
    }
    const groups = [...document.querySelectorAll('.af-hop')];
    for (let k = 0; k < hops; k += 1) {
      for (const a of animations) { a.pause(); a.currentTime = k * HOP_MS + HOP_MS / 2; }
      const lit = [];
      for (const g of groups) {
        if (getComputedStyle(g).opacity === '1') lit.push(groups.indexOf(g));
      }
      out.lit.push(lit.map((i) => groups[i].getAttribute('id') || `labels-${i}`));
    }
    return out;
  }, { hops, HOP_MS });
  check(report.count === 2 * hops, file, `${report.count} animations for ${hops} hops`);
  check(report.loops, file, 'an animation does not loop');
  const delays = [...new Set(report.delays)].sort((a, b) => a - b);
  check(delays.length === hops && delays.every((d, k) => d === k * HOP_MS), file, `delays ${delays}`);
  report.lit.forEach((lit, k) => {
    check(lit.length === 2 && lit.includes(`af-hop${k + 1}`), file, `at hop ${k + 1} lit: ${lit}`);
  });
  await page.close();

  const still = await browser.newPage({ reducedMotion: 'reduce' });
  await still.goto(pathToFileURL(path).href);
  const stillReport = await still.evaluate(() => ({
    running: document.getAnimations().length,
    shown: [...document.querySelectorAll('.af-hop')].every((g) => getComputedStyle(g).opacity === '1'),
  }));
  check(stillReport.running === 0, file, `${stillReport.running} animations with reduced motion`);
  check(stillReport.shown, file, 'a hop is hidden with reduced motion');
  await still.close();
  if (failures === before) console.log(`ok ${file} ${hops} hops`);
}

await browser.close();
process.exit(failures ? 1 : 0);
