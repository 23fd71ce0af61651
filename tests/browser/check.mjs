// Loads HTML pages archflow wrote in Debian's Chromium and checks them; exits 1 if any check fails.
// Usage: node check.mjs [--screenshots DIR] PAGE.html...   (the Rust test `html::browser` runs it)
//
// For each page:
// - no console error, no uncaught exception, no dialog, no request but the page itself, and no
//   script of the model's ever runs (alert/confirm/prompt set a `__pwned` trap);
// - the DOM has no element or attribute that runs code besides the page's own two script tags;
// - every flow walks with the Next button, then back with ArrowLeft, then forward with
//   ArrowRight, and at each step the overlay holds lit copies of exactly the diagram's
//   #af-n…/#af-e… elements the step's data names, each over its original, and the steps leave
//   the drawing itself unchanged; no step's numbered badge covers the label of a hop, a
//   component or another badge;
// - each step has an address (#flow-F-step-N), kept in sync both ways; arrow keys act only while
//   the flow or the diagram has the focus; diagram nodes are focusable, named, Enter opens them;
// - axe-core finds no accessibility violation, light or dark;
// - with scripts off, every flow and every step's explanation is visible;
// - PAGE.expect.json, when present, lists [selector, text] pairs whose textContent must match
//   exactly (user text shown as text, not markup).
// With --screenshots, full-page PNGs in light and dark, mid-walk, without scripts, and as printed.
import { launch } from './launch.mjs';
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
  // The page itself (an address's #fragment is not part of the request).
  const own = url.split('#')[0];
  page.on('request', (r) => {
    if (r.url() !== own) problems.push(`request: ${r.url()}`);
  });
  await page.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested === own) return route.continue();
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

/// Badges of the current flow that cover the label of one of its hops, a component's box or
/// another badge. (A badge may cover the label of an edge off the flow, which the walk dims,
/// when nothing else fits: two parallel edges 23 px apart in the reference diagram.)
async function badgeClashes(page, flow) {
  const hops = [...new Set(flow.steps.flatMap((s) => s.edges.map((e) => `af-e${e}`)))];
  return page.evaluate((hops) => {
    const layer = document.querySelector('.af-badges');
    if (!layer) return [];
    const svg = document.querySelector('#diagram .diagram-canvas svg:not(.af-overlay)');
    const box = (el) => { const b = el.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
    const meet = (a, b) => Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 0.5
      && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 0.5;
    const badges = [...layer.querySelectorAll('.af-badge')].map((g) => [g.textContent, box(g.querySelector('circle'))]);
    const others = [...svg.querySelectorAll('.edge > .label-bg, .node > .shape')]
      .map((el) => [el.closest('[id]')?.id || '?', box(el)])
      .filter(([id]) => !id.startsWith('af-e') || hops.includes(id));
    const clashes = [];
    badges.forEach(([n, b], i) => {
      for (const [id, o] of others) if (meet(b, o)) clashes.push(`badge ${n} covers ${id}`);
      for (const [m, c] of badges.slice(i + 1)) if (meet(b, c)) clashes.push(`badge ${n} covers badge ${m}`);
    });
    return clashes;
  }, hops);
}

/// The drawing shown (the overlay above it holds a step's lit copies and badges).
const DRAWING = '#diagram .diagram-canvas svg:not(.af-overlay)';

/// The ids that should be lit at `step`, and the ids that are: the originals of the lit copies
/// on the overlay, each of which must cover its original exactly.
async function litState(page, step) {
  return page.evaluate((s) => {
    const expected = [...s.nodes.map((i) => `af-n${i}`), ...s.edges.map((i) => `af-e${i}`)];
    const missing = expected.filter((id) => !document.getElementById(id));
    const copies = [...document.querySelectorAll('.lit')];
    const lit = copies.map((e) => e.getAttribute('data-of')).sort();
    const misplaced = copies.filter((copy) => {
      const original = document.getElementById(copy.getAttribute('data-of'));
      if (!original) return true;
      const a = copy.getBoundingClientRect();
      const b = original.getBoundingClientRect();
      return ['left', 'top', 'width', 'height'].some((k) => Math.abs(a[k] - b[k]) > 1);
    }).map((copy) => copy.getAttribute('data-of'));
    const panel = document.querySelector('.flow.is-current .walk-current .step-num');
    const number = document.querySelector('.flow.is-current [data-role=number]');
    return {
      expected: [...expected].sort(),
      missing,
      lit,
      misplaced,
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
  check(!state.misplaced.length, file, `${where}: lit copies not over their originals: ${state.misplaced.join(', ')}`);
  check(state.number === String(k + 1), file, `${where}: counter shows ${state.number}`);
  check(state.panel === String(k + 1), file, `${where}: explanation shows step ${state.panel}`);
  const off = await offCanvas(page, [...flow.steps[k].nodes.slice(0, 2).map((i) => `af-n${i}`),
    ...flow.steps[k].edges.map((i) => `af-e${i}`)]);
  check(!off.length, file, `${where}: not inside the diagram's frame: ${off.join(', ')}`);
  // However far the step zoomed out, its hop's line is at least 3 pixels wide on screen and its
  // badge about 22 across.
  const sizes = await page.evaluate(() => {
    const overlay = document.querySelector('#diagram .af-overlay');
    const scale = overlay.getScreenCTM().a;
    const lines = [...overlay.querySelectorAll('.edge.lit path')].map((p) => parseFloat(getComputedStyle(p).strokeWidth) * scale);
    const badge = overlay.querySelector('.af-badge.is-current circle');
    return { scale, lines, badge: badge ? badge.getBoundingClientRect().width : null };
  });
  const thin = sizes.lines.filter((w) => !(w >= 2.9));
  check(!thin.length, file, `${where}: the hop's line is ${thin.map((w) => w.toFixed(2)).join(', ')} px wide at scale ${sizes.scale.toFixed(3)}`);
  check(sizes.badge === null || sizes.badge >= 20, file, `${where}: the step's badge is ${sizes.badge} px across at scale ${sizes.scale.toFixed(3)}`);
}

/// The elements (by id) whose box is not inside the diagram's visible canvas.
async function offCanvas(page, ids) {
  return page.evaluate((list) => {
    const frame = document.querySelector('#diagram .diagram-canvas').getBoundingClientRect();
    return list.filter((id) => {
      const el = document.getElementById(id);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      return r.left < frame.left - 1 || r.right > frame.right + 1 || r.top < frame.top - 1 || r.bottom > frame.bottom + 1;
    });
  }, ids);
}

/// The diagram's scale (screen pixels per diagram unit), where its origin is on screen, and the
/// shown view's index.
async function zoomState(page) {
  return page.evaluate((drawing) => {
    const svg = document.querySelector(drawing);
    const m = svg.getScreenCTM();
    return { scale: m ? m.a : 0, view: document.getElementById('diagram').getAttribute('data-view'), box: m ? `${m.e.toFixed(1)},${m.f.toFixed(1)}` : '' };
  }, DRAWING);
}

/// Zoom buttons, keys, the wheel, a drag, Fit and 100%, and the search.
async function checkPanZoom(page, file) {
  const canvas = page.locator('#diagram .diagram-canvas');
  const near = (a, b) => Math.abs(a - b) < 0.02 * Math.max(a, b);
  await page.locator('[data-zoom=actual]').click();
  let z = await zoomState(page);
  check(near(z.scale, 1), file, `100%: scale ${z.scale}`);
  await page.locator('[data-zoom=in]').click();
  const zin = await zoomState(page);
  check(near(zin.scale, 1.25), file, `zoom in: scale ${zin.scale}`);
  await canvas.focus();
  await page.keyboard.press('-');
  z = await zoomState(page);
  check(near(z.scale, 1), file, `the - key: scale ${z.scale}`);
  await page.keyboard.press('+');
  z = await zoomState(page);
  check(near(z.scale, 1.25), file, `the + key: scale ${z.scale}`);
  // Arrows pan while the diagram has the focus (when there is room to pan).
  const before = z.box;
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  z = await zoomState(page);
  const pannable = await page.evaluate((drawing) => {
    const frame = document.querySelector('#diagram .diagram-canvas').getBoundingClientRect();
    const r = document.querySelector(drawing).getBoundingClientRect();
    return r.width > frame.width + 1 || r.height > frame.height + 1;
  }, DRAWING);
  if (pannable) check(z.box !== before, file, `arrow keys did not pan (${before})`);
  // The plain wheel scrolls the page; with Ctrl it zooms at the pointer.
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 100));
  const scrolled = await page.evaluate(() => window.scrollY);
  await page.mouse.wheel(0, 120);
  await page.waitForFunction((y) => window.scrollY !== y, scrolled, { timeout: 2000 }).catch(() => {});
  z = await zoomState(page);
  check(near(z.scale, 1.25), file, `the plain wheel zoomed: scale ${z.scale}`);
  const box2 = await canvas.boundingBox();
  await page.mouse.move(box2.x + box2.width / 2, box2.y + Math.min(box2.height / 2, 100));
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  const zw = await zoomState(page);
  check(zw.scale > z.scale * 1.1, file, `Ctrl + wheel did not zoom in: ${z.scale} → ${zw.scale}`);
  // A drag pans.
  const b3 = await canvas.boundingBox();
  await page.locator('[data-zoom=in]').click();
  const z0 = await zoomState(page);
  await page.mouse.move(b3.x + b3.width / 2, b3.y + 30);
  await page.mouse.down();
  await page.mouse.move(b3.x + b3.width / 2 - 80, b3.y + 60, { steps: 4 });
  await page.mouse.up();
  const z1 = await zoomState(page);
  check(z1.box !== z0.box, file, `a drag did not pan (${z0.box})`);
  // Fit shows the whole diagram.
  await page.locator('[data-zoom=fit]').click();
  const whole = await page.evaluate(() => {
    const frame = document.querySelector('#diagram .diagram-canvas').getBoundingClientRect();
    const r = document.querySelector('#diagram .diagram-canvas svg > rect.bg').getBoundingClientRect();
    return r.left >= frame.left - 1 && r.right <= frame.right + 1 && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1;
  });
  check(whole, file, 'Fit does not show the whole diagram');
  // The search finds a component by name, shows it and focuses it.
  const target = await page.evaluate(() => {
    const nodes = [...document.querySelectorAll('#diagram .diagram-canvas .node[data-name]')];
    const last = nodes[nodes.length - 1];
    return last ? { id: last.id, label: last.querySelector('.name').textContent } : null;
  });
  if (target) {
    await page.locator('[data-zoom=actual]').click();
    await page.locator('#af-search').fill(target.label);
    await page.locator('#af-search').press('Enter');
    const focused = await page.evaluate(() => document.activeElement?.id);
    check(focused === target.id, file, `search for ${JSON.stringify(target.label)} focused ${focused}, not ${target.id}`);
    const off = await offCanvas(page, [target.id]);
    check(!off.length, file, `search for ${JSON.stringify(target.label)}: the component is not on screen`);
    const options = await page.evaluate(() => document.querySelectorAll('#af-names option').length);
    check(options > 0, file, 'the search offers no names');
    await page.locator('#af-search').fill('no such component at all');
    await page.locator('#af-search').press('Enter');
    const said = await page.locator('#af-search-status').textContent();
    check(/No component/.test(said), file, `search status for a miss: ${said}`);
  }
}

/// A drawing in tiles (a big model's overview): every tile that meets the screen is drawn when
/// the drawing is shown at a readable scale, and only those (and the tiles of what a step
/// lights); zoomed out, the sketch shows the rest, no tile is drawn for it and the drawn tiles'
/// edges are hidden (the sketch has them); zoomed out so far that a device pixel holds one of the
/// sketch's far grids, that grid is shown in place of the near sketch; the search finds
/// a component whose tile is not drawn yet, draws it and focuses it.
async function checkTiles(page, file) {
  const state = () => page.evaluate((drawing) => {
    const svg = document.querySelector(drawing);
    const key = svg.getAttribute('data-tiles');
    if (!key) return null;
    const index = JSON.parse(document.getElementById(`af-tiles-${key}`).textContent);
    const frame = document.querySelector('#diagram .diagram-canvas').getBoundingClientRect();
    const m = svg.getScreenCTM().inverse();
    const a = new DOMPoint(frame.left, frame.top).matrixTransform(m);
    const b = new DOMPoint(frame.right, frame.bottom).matrixTransform(m);
    const drawn = new Set([...svg.querySelectorAll('.af-tiles-nodes > .af-tile')].map((g) => Number(g.getAttribute('data-tile'))));
    // A tile is on screen when its box is, or one of its spots (its parts' details away from it).
    const meets = (t) => t[0] < b.x && t[2] > a.x && t[1] < b.y && t[3] > a.y;
    const onScreen = [...new Set([
      ...index.boxes.map((t, k) => [t, k]).filter(([t]) => meets(t)).map(([, k]) => k),
      ...(index.spots || []).filter(meets).map((s) => s[4]),
    ])];
    const named = index.names.map((n, i) => ({ label: n[1], id: `af-n${i}`, tile: index.nodes[i] }));
    return {
      tiles: index.boxes.length,
      drawn: [...drawn],
      missing: onScreen.filter((k) => !drawn.has(k)),
      onScreen: onScreen.length,
      scale: Number(svg.getBoundingClientRect().width) / Number(svg.getAttribute('width')),
      sketch: svg.querySelectorAll('.af-sketch .af-sk-sq > path').length,
      edgesShown: getComputedStyle(svg.querySelector('.af-tiles-edges')).clipPath === 'none',
      // The units a device pixel holds, the far grids, the one shown, the near squares shown.
      perPixel: Number(svg.getAttribute('width')) / (svg.getBoundingClientRect().width * devicePixelRatio),
      farGrids: [...svg.querySelectorAll('.af-sk-far')].map((g) => Number(g.getAttribute('data-units'))),
      farShown: [...svg.querySelectorAll('.af-sk-far')].filter((g) => getComputedStyle(g).display !== 'none').map((g) => Number(g.getAttribute('data-units'))),
      squaresShown: [...svg.querySelectorAll('.af-sk-sq')].filter((g) => getComputedStyle(g).display !== 'none').length,
      undrawn: named.filter((n) => n.tile >= 0 && !drawn.has(n.tile)),
    };
  }, DRAWING);
  let s = await state();
  if (!s) return;
  check(s.sketch > 0, file, 'a drawing in tiles has no sketch');
  // The far grid shown is the coarsest a device pixel holds, and with one the near sketch's
  // squares are all hidden; without one, some are shown.
  const sketchFits = (s, when) => {
    const want = s.farGrids.filter((u) => u <= s.perPixel).sort((a, b) => b - a).slice(0, 1);
    check(JSON.stringify(s.farShown) === JSON.stringify(want), file, `${when}: far grids shown ${JSON.stringify(s.farShown)}, not ${JSON.stringify(want)} (${s.perPixel.toFixed(1)} units a pixel, grids ${s.farGrids.join(', ')})`);
    check(want.length ? s.squaresShown === 0 : s.squaresShown > 0, file, `${when}: ${s.squaresShown} near squares shown with far grid ${want[0] ?? 'none'}`);
  };
  sketchFits(s, 'at load');
  check(s.drawn.length > 0 && s.drawn.length < s.tiles, file, `tiles drawn at load: ${s.drawn.length} of ${s.tiles}`);
  const canvas = page.locator('#diagram .diagram-canvas');
  await page.locator('[data-zoom=actual]').click();
  await canvas.focus();
  for (const keys of [[], ['ArrowRight', 'ArrowRight', 'ArrowRight'], ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown'], ['ArrowLeft']]) {
    for (const key of keys) await page.keyboard.press(key);
    s = await state();
    check(s.onScreen > 0 && !s.missing.length, file, `tiles on screen at 100% not drawn: ${s.missing.join(', ')} (after ${keys.join(' ') || 'loading'})`);
    check(s.edgesShown, file, `the drawn tiles' edges are hidden at 100% (after ${keys.join(' ') || 'loading'})`);
    sketchFits(s, `at 100% (after ${keys.join(' ') || 'loading'})`);
  }
  // Zoomed out, the sketch is the drawing: no tile is drawn for it.
  const before = s.drawn.length;
  await page.locator('[data-zoom=fit]').click();
  s = await state();
  check(s.drawn.length === before, file, `Fit drew ${s.drawn.length - before} tiles (scale ${s.scale.toFixed(3)})`);
  // and the edges of the tiles drawn before are hidden: the sketch draws them, and each of a
  // long edge drawn in full costs every piece of the screen it crosses.
  check(!s.edgesShown, file, `the drawn tiles' edges are shown at Fit (scale ${s.scale.toFixed(3)})`);
  sketchFits(s, 'at Fit');
  // In a low window the whole drawing is small enough for a far grid (a 500-service overview
  // at Fit: about 50 units a pixel), and back at 100% the near sketch is the picture again.
  if (s.farGrids.length) {
    await page.setViewportSize({ width: 1440, height: 300 });
    await page.locator('[data-zoom=fit]').click();
    s = await state();
    check(s.farShown.length === 1, file, `Fit in a 300-pixel window shows no far grid (${s.perPixel.toFixed(1)} units a pixel, grids ${s.farGrids.join(', ')})`);
    sketchFits(s, 'at Fit in a 300-pixel window');
    await page.locator('[data-zoom=actual]').click();
    sketchFits(await state(), 'at 100% in a 300-pixel window');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('[data-zoom=fit]').click();
    s = await state();
  }
  // The search reaches a component not drawn yet.
  const target = s.undrawn[s.undrawn.length - 1];
  check(!!target, file, 'every tile is drawn: nothing left for the search to draw');
  if (target) {
    await page.locator('#af-search').fill(target.label);
    await page.locator('#af-search').press('Enter');
    const focused = await page.evaluate(() => document.activeElement?.id);
    const want = await page.evaluate((label) => {
      const svg = document.querySelector('#diagram .diagram-canvas svg:not(.af-overlay)');
      const index = JSON.parse(document.getElementById(`af-tiles-${svg.getAttribute('data-tiles')}`).textContent);
      return `af-n${index.names.findIndex((n) => n[1] === label)}`;
    }, target.label);
    check(focused === want, file, `search for ${JSON.stringify(target.label)} in a tile not drawn focused ${focused}, not ${want}`);
    const off = await offCanvas(page, [want]);
    check(!off.length, file, `search for ${JSON.stringify(target.label)}: the component is not on screen`);
  }
}

/// Every visible text of the page whose contrast with what is behind it misses its bound: 4.5:1
/// (AA), 3:1 for diagram text a step dims, 4.5:1 for what it lights; and SVG text drawn smaller
/// than 11 px. Each failure as a line.
async function contrastFailures(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      if (!c || c === 'none' || c === 'transparent') return null;
      let m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
      if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
      m = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)/.exec(c);
      if (m) return [Number(m[1]) * 255, Number(m[2]) * 255, Number(m[3]) * 255, m[4] === undefined ? 1 : Number(m[4])];
      return null;
    };
    const over = (top, bottom, alpha) => [0, 1, 2].map((i) => top[i] * alpha + bottom[i] * (1 - alpha)).concat(1);
    const lum = (c) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const page = parse(getComputedStyle(document.body).backgroundColor) || [255, 255, 255, 1];
    const failures = [];
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) return false;
      for (let e = el; e; e = e.parentElement) {
        const st = getComputedStyle(e);
        // `inset(50%)` clips everything away (a drawing in tiles zoomed out, its drawn edges).
        if (st.display === 'none' || st.visibility === 'hidden' || Number(st.opacity) === 0 || st.clipPath === 'inset(50%)') return false;
      }
      return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
    };
    const name = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} "${el.textContent.trim().slice(0, 30)}"`;
    // HTML text: the colour over the backgrounds of its ancestors.
    for (const el of document.querySelectorAll('body *:not(svg *)')) {
      if (el.closest('svg, script, style, template, datalist, option, [hidden], :disabled')) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !shown(el)) continue;
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg && bg[3] > 0) {
          layers.push(bg);
          if (bg[3] >= 1) break;
        }
      }
      let back = page;
      for (const layer of layers.reverse()) back = over(layer, back, layer[3]);
      const fg = parse(getComputedStyle(el).color);
      if (!fg) continue;
      const r = ratio(over(fg, back, fg[3]), back);
      if (r < 4.5) failures.push(`${name(el)}: ${r.toFixed(2)}:1`);
    }
    // SVG text in the diagram: over the shapes under its middle, and under the veil of a step.
    // The overlay's copies and badges are hit-tested (they let clicks through) while this looks.
    const svg = document.querySelector('#diagram .diagram-canvas svg:not(.af-overlay)');
    const overlay = document.querySelector('#diagram .af-overlay');
    const frame = document.querySelector('#diagram .diagram-canvas').getBoundingClientRect();
    const veilShape = overlay && overlay.querySelector('.af-veil');
    const veil = veilShape && getComputedStyle(veilShape).display !== 'none' ? veilShape : null;
    const veilColor = veil ? parse(getComputedStyle(veil).fill) : null;
    const veilAlpha = veil ? Number(getComputedStyle(veil).opacity) : 0;
    const scale = svg ? svg.getScreenCTM().a : 1;
    if (overlay) overlay.style.pointerEvents = 'auto';
    if (veil) veil.style.pointerEvents = 'none';
    const texts = svg ? [...svg.querySelectorAll('text'), ...(overlay ? overlay.querySelectorAll('text') : [])] : [];
    for (const text of texts) {
      const r = text.getBoundingClientRect();
      if (!r.width || r.left < frame.left || r.right > frame.right || r.top < frame.top || r.bottom > frame.bottom) continue;
      if (r.bottom < 0 || r.top > innerHeight || !shown(text)) continue;
      // Smaller only while the page shows a whole hop that does not fit otherwise.
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (size < 10.95 && !svg.hasAttribute('data-hop-fit')) failures.push(`${name(text)}: ${size.toFixed(1)} px`);
      const stack = document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const below = stack.slice(stack.indexOf(text) + 1).filter((e) => e instanceof SVGGeometryElement && !(e instanceof SVGTextElement));
      let back = page;
      for (const shape of below.reverse()) {
        const st = getComputedStyle(shape);
        const fill = parse(st.fill);
        if (!fill) continue;
        let alpha = fill[3] * Number(st.fillOpacity);
        for (let e = shape; e && e !== svg && e !== overlay; e = e.parentElement) alpha *= Number(getComputedStyle(e).opacity);
        back = over(fill, back, alpha);
      }
      let fg = parse(getComputedStyle(text).fill);
      if (!fg) continue;
      const lit = !!(overlay && overlay.contains(text));
      const dimmed = veil && !lit;
      if (dimmed) {
        fg = over(veilColor, fg, veilAlpha);
        back = over(veilColor, back, veilAlpha);
      }
      const ratioNow = ratio(fg, back);
      const bound = dimmed ? 3 : 4.5;
      if (ratioNow < bound) failures.push(`${name(text)}${lit ? ' (lit)' : dimmed ? ' (dimmed)' : ''}: ${ratioNow.toFixed(2)}:1 < ${bound}`);
    }
    if (overlay) overlay.style.pointerEvents = '';
    if (veil) veil.style.pointerEvents = '';
    return failures;
  });
}

/// Contrast and text size in both themes, at rest and while a step dims the rest; at 400 px the
/// current hop is on screen without scrolling sideways.
async function checkReadable(page, file, data) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => document.getElementById('diagram').scrollIntoView());
    const fails = await contrastFailures(page);
    check(!fails.length, file, `${scheme}: ${fails.length} texts too faint or small:\n  ${fails.slice(0, 12).join('\n  ')}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    const top = await contrastFailures(page);
    check(!top.length, file, `${scheme} (top): ${top.length} texts too faint or small:\n  ${top.slice(0, 12).join('\n  ')}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  const flow = data.flows.find((f) => f.steps.length > 1);
  if (!flow) return;
  await page.setViewportSize({ width: 400, height: 800 });
  const f = data.flows.indexOf(flow);
  if (data.flows.length > 1) await page.selectOption('#af-flow-select', String(f));
  for (let k = 0; k < flow.steps.length; k += 1) {
    await page.locator(`.flow.is-current .steps > .step[data-step="${k}"] .step-link`).click();
    await page.evaluate(() => document.getElementById('diagram').scrollIntoView());
    const ids = [...flow.steps[k].nodes.slice(0, 2).map((i) => `af-n${i}`), ...flow.steps[k].edges.map((i) => `af-e${i}`)];
    const off = await offCanvas(page, ids);
    check(!off.length, file, `400 px, step ${k + 1}: off the diagram's frame: ${off.join(', ')}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    check(!wide, file, `400 px, step ${k + 1}: the page scrolls sideways`);
  }
  const narrow = await page.evaluate(() => {
    const svg = document.querySelector('#diagram .diagram-canvas svg:not(.af-overlay)');
    return svg.getAttribute('data-layout') === 'narrow' || !document.getElementById('af-svg-narrow');
  });
  check(narrow, file, '400 px: the diagram is not the top-to-bottom one');
  // A service's view has its top-to-bottom twin too, when the page carries one.
  const twin = await page.evaluate(() => {
    const views = JSON.parse(document.getElementById('af-data').textContent).views || [];
    const packed = [...document.querySelectorAll('script[type="text/x-archflow-svgz"]')]
      .flatMap((b) => b.dataset.keys.split(' ').map((e) => e.slice(0, e.lastIndexOf(':'))));
    const has = (key) => document.getElementById(`af-svg-${key}`) || packed.includes(key);
    const i = views.findIndex((v, k) => k > 0 && v.kind === 'service' && has(`${k}-narrow`));
    return i > 0 ? { index: i, slug: views[i].slug } : null;
  });
  if (twin) {
    await page.evaluate((slug) => { window.location.hash = `#view-${slug}`; }, twin.slug);
    await page.waitForFunction((i) => document.getElementById('diagram').getAttribute('data-view') === String(i), twin.index);
    const layout = await page.evaluate(() => document.querySelector('#diagram .diagram-canvas svg:not(.af-overlay)').getAttribute('data-layout'));
    check(layout === 'narrow', file, `400 px: view ${twin.slug} is not the top-to-bottom one`);
    // Wider again, the same view left to right.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForFunction(() => !document.querySelector('#diagram .diagram-canvas svg:not(.af-overlay)').hasAttribute('data-layout'));
    await page.goBack();
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/// Every view besides the main one waits in the page as text, plain or packed: packed blocks,
/// unpacked here as the script does, hold exactly their views, each one SVG.
async function checkPacked(page, file, views) {
  const found = await page.evaluate(async () => {
    const out = {};
    for (const block of document.querySelectorAll('script[type="text/x-archflow-svg"]')) {
      if (block.id.startsWith('af-svg-')) out[block.id.slice(7)] = { plain: true, text: block.textContent.slice(0, 4) + block.textContent.slice(-6) };
    }
    for (const block of document.querySelectorAll('script[type="text/x-archflow-svgz"]')) {
      const bytes = Uint8Array.from(atob(block.textContent), (c) => c.charCodeAt(0));
      const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'))).text();
      let at = 0;
      for (const entry of block.dataset.keys.split(' ')) {
        const colon = entry.lastIndexOf(':');
        const view = text.slice(at, at + Number(entry.slice(colon + 1)));
        out[entry.slice(0, colon)] = { plain: false, text: view.slice(0, 4) + view.slice(-6) };
        at += Number(entry.slice(colon + 1));
      }
      if (at !== text.length) out[`block ending ${block.dataset.keys.slice(-20)}`] = { plain: false, text: `${at} of ${text.length}` };
    }
    return out;
  });
  const missing = views.map((_, i) => String(i)).slice(1).filter((k) => !found[k]);
  check(!missing.length, file, `views not in the page: ${missing.slice(0, 5).join(', ')}`);
  const odd = Object.entries(found).filter(([, v]) => v.text !== '<svg</svg>').map(([k, v]) => `${k}: ${v.text}`);
  check(!odd.length, file, `view blocks that are not one SVG: ${odd.slice(0, 5).join(', ')}`);
}

/// Views: open a service from the overview, come back with the breadcrumb, and with the back
/// button; the address names the view.
async function checkViews(page, file) {
  const views = await page.evaluate(() => JSON.parse(document.getElementById('af-data').textContent).views);
  if (!views || views.length < 2) return;
  await checkPacked(page, file, views);
  const overview = views.findIndex((v) => v.kind === 'overview');
  if (overview < 0) return;
  await expectCaption(page, file, views[Number(await page.evaluate(() => document.getElementById('diagram').getAttribute('data-view')))]);
  if (overview !== 0) {
    await page.selectOption('#af-view-select', String(overview));
    await page.waitForFunction((i) => document.getElementById('diagram').getAttribute('data-view') === String(i), overview);
    check(await page.evaluate(() => window.location.hash) === `#view-${views[overview].slug}`, file,
      `the address of the overview is ${await page.evaluate(() => window.location.hash)}`);
  }
  const service = await page.evaluate(() => {
    const node = document.querySelector('#diagram .diagram-canvas .node-service-box[data-name^="service:"]');
    return node ? { id: node.id, name: node.getAttribute('data-name') } : null;
  });
  if (!check(service, file, 'the overview shows no service')) return;
  const index = views.findIndex((v) => v.name === service.name);
  await page.locator('[data-zoom=fit]').click();
  await page.evaluate(() => document.getElementById('diagram').scrollIntoView());
  await page.locator(`#${service.id}`).click();
  await page.waitForFunction((i) => document.getElementById('diagram').getAttribute('data-view') === String(i), index);
  check(await page.evaluate(() => window.location.hash) === `#view-${views[index].slug}`, file,
    `the address of ${service.name}: ${await page.evaluate(() => window.location.hash)}`);
  const crumbs = await page.locator('#af-crumbs li').allTextContents();
  check(crumbs[crumbs.length - 1] === views[index].title && crumbs.includes(views[overview].title), file,
    `breadcrumbs ${JSON.stringify(crumbs)}`);
  await expectCaption(page, file, views[index]);
  const drawn = await page.evaluate((drawing) => document.querySelectorAll(drawing).length, DRAWING);
  check(drawn === 1, file, `${drawn} diagrams in the page at once`);
  // The service's view opens readable, in both themes.
  for (const scheme of ['dark', 'light']) {
    await page.emulateMedia({ colorScheme: scheme });
    const fails = await contrastFailures(page);
    check(!fails.length, file, `${views[index].name} (${scheme}): ${fails.length} texts too faint or small:\n  ${fails.slice(0, 12).join('\n  ')}`);
  }
  // The breadcrumb goes back to the overview (scrolled below the sticky section bar first).
  await page.evaluate(() => document.getElementById('diagram').scrollIntoView());
  await page.locator('#af-crumbs a', { hasText: views[overview].title }).click();
  await page.waitForFunction((i) => document.getElementById('diagram').getAttribute('data-view') === String(i), overview);
  await expectCaption(page, file, views[overview]);
  // Back and forward.
  await page.goBack();
  await page.waitForFunction((i) => document.getElementById('diagram').getAttribute('data-view') === String(i), index);
  await page.goForward();
  await page.waitForFunction((i) => document.getElementById('diagram').getAttribute('data-view') === String(i), overview);
  await walkInViews(page, file, views);
  // A service's view draws no flow: a flow step goes back to the main view.
  const first = page.locator('.flow.is-current .steps > .step[data-step="0"] .step-link');
  if (await first.count()) {
    await page.evaluate((slug) => { window.location.hash = `#view-${slug}`; }, views[index].slug);
    await page.waitForFunction((i) => document.getElementById('diagram').getAttribute('data-view') === String(i), index);
    await first.click();
    await page.waitForFunction(() => document.getElementById('diagram').getAttribute('data-view') === '0');
    return;
  }
  if (overview !== 0) await page.locator('#af-crumbs a').first().click();
}

/// The caption's first sentence names the view on screen: the page's pattern for its kind, with
/// its title.
async function expectCaption(page, file, view) {
  const [shown, pattern] = await page.evaluate((kind) => [
    document.getElementById('af-view-caption')?.textContent,
    JSON.parse(document.getElementById('af-data').textContent).captions?.[kind],
  ], view.kind);
  const want = pattern && pattern.split('{title}').join(view.title);
  check(want && shown === want, file, `view ${view.name}: the caption says ${JSON.stringify(shown)}, not ${JSON.stringify(want)}`);
}

/// Every view besides the main one that draws a flow (the overview, each flow's view, a custom
/// view) lights each step of it in place, in that view's own numbering: the view stays, the hop's
/// elements are lit and on screen. A flow's view, opened, walks its own flow.
async function walkInViews(page, file, views) {
  const data = await page.evaluate(() => JSON.parse(document.getElementById('af-data').textContent));
  for (const [i, v] of views.entries()) {
    if (i === 0 || !v.flows || !v.flows.length) continue;
    await page.evaluate((slug) => { window.location.hash = `#view-${slug}`; }, v.slug);
    await page.waitForFunction((n) => document.getElementById('diagram').getAttribute('data-view') === String(n), i);
    await expectCaption(page, file, v);
    const shown = await page.evaluate(() => document.querySelector('.flow.is-current')?.getAttribute('data-flow'));
    if (v.kind === 'flow') {
      const f = data.flows.findIndex((flow) => flow.name === v.flows[0].name);
      check(shown === String(f), file, `view ${v.name}: the walk shows flow ${shown}, not its own flow ${f}`);
    }
    for (const own of v.flows) {
      const f = data.flows.findIndex((flow) => flow.name === own.name);
      if (!check(f >= 0 && data.flows[f].steps.length === own.steps.length, file,
        `view ${v.name}: flow ${own.name} is not the page's flow of that name`)) continue;
      if (data.flows.length > 1) await page.selectOption('#af-flow-select', String(f));
      for (let k = 0; k < own.steps.length; k += 1) {
        await page.locator(`.flow.is-current .steps > .step[data-step="${k}"] .step-link`).click();
        const at = await page.evaluate(() => document.getElementById('diagram').getAttribute('data-view'));
        check(at === String(i), file, `view ${v.name}, flow ${own.name} step ${k + 1}: the page moved to view ${at}`);
        await expectStep(page, file, { name: `${own.name} in ${v.name}`, steps: own.steps }, k, 'in its view');
      }
      const clashes = await badgeClashes(page, own);
      check(!clashes.length, file, `view ${v.name}, flow ${own.name}: step badges overlap: ${clashes.join(', ')}`);
    }
  }
}

for (const file of files) {
  const path = resolve(file);
  const url = pathToFileURL(path).href;
  const name = basename(path, '.html');
  const failedBefore = failures;
  // Screenshots of the whole page, but of a big model's page (tens of thousands of pixels tall)
  // only the screen.
  const fullShots = !readFileSync(path, 'utf8').includes('<svg data-tiles=');

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
  // Besides the flow data and the script, only data blocks holding the other views' SVGs and
  // the tiles of a big drawing, with their index.
  const tiled = await page.evaluate(() => document.querySelectorAll('svg[data-tiles]').length);
  const ownScripts = dom.scripts.filter((t) => !['text/x-archflow-svg', 'text/x-archflow-svgz', 'text/x-archflow-tile'].includes(t));
  check(same([...ownScripts].sort(), tiled ? ['application/json', 'application/json', 'classic'] : ['application/json', 'classic']), file, `script elements: ${JSON.stringify([...new Set(dom.scripts)])}`);
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
    // A step changes the overlay, never the drawing (which would make the browser restyle and
    // lay out all of it): only its `data-hop-fit` mark may change, and in a drawing in tiles
    // whether the drawn tiles' edges are shown and which of the sketch's squares and far grids, as
    // the step's scale is readable or not.
    await page.evaluate((drawing) => {
      window.__drawingChanges = [];
      window.__watch = new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'attributes' && r.attributeName === 'data-hop-fit') continue;
          if (r.type === 'attributes' && r.attributeName === 'style' && ['af-tiles-edges', 'af-sk-sq', 'af-sk-far'].some((c) => r.target.classList.contains(c))) continue;
          // A drawing in tiles gets the tiles of what a step lights: new groups, nothing changed.
          if (r.type === 'childList' && !r.removedNodes.length && [...r.addedNodes].every((n) => n.classList?.contains('af-tile'))) continue;
          window.__drawingChanges.push(`${r.type} ${r.attributeName || ''} on ${r.target.id || r.target.nodeName}`);
        }
      });
      window.__watch.observe(document.querySelector(drawing), { subtree: true, attributes: true, childList: true, characterData: true });
    }, DRAWING);
    for (let k = 1; k < flow.steps.length; k += 1) {
      await next.click();
      await expectStep(page, file, flow, k, 'Next');
    }
    const changes = await page.evaluate(() => {
      window.__watch.takeRecords();
      window.__watch.disconnect();
      return window.__drawingChanges;
    });
    check(!changes.length, file, `flow ${f}: the steps changed the drawing: ${changes.slice(0, 5).join(', ')}`);
    check(await next.isDisabled(), file, `flow ${f}: Next stays enabled on the last step`);
    const clashes = await badgeClashes(page, flow);
    check(!clashes.length, file, `flow ${f}: step badges overlap: ${clashes.join(', ')}`);
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

  if (scripted) {
    await checkReadable(page, file, data);
    await checkPanZoom(page, file);
    await checkTiles(page, file);
    await checkViews(page, file);
    await page.locator('[data-zoom=actual]').click();
  }

  // Every component in the diagram is focusable, named, and Enter opens its entry.
  const nodes = await page.evaluate(() => [...document.querySelectorAll('#diagram .node[id^="af-n"]')]
    .map((n) => ({ id: n.id, tab: n.tabIndex, name: n.getAttribute('aria-label') || '' })));
  check(nodes.length > 0 && nodes.every((n) => n.tab === 0 && n.name.length > 0), file,
    `diagram nodes not focusable or unnamed: ${JSON.stringify(nodes.filter((n) => n.tab !== 0 || !n.name))}`);
  const described = nodes.find((n) => n.name.endsWith('open its description'));
  if (scripted && described) {
    await page.focus(`#${described.id}`);
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement?.id);
    check(focused === `component-${described.id.slice(4)}`, file, `Enter on ${described.id} focused ${focused}`);
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
    await page.screenshot({ path: `${shots}/${name}-light.png`, fullPage: fullShots });
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
    await page.screenshot({ path: `${shots}/${name}-dark.png`, fullPage: fullShots });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: `${shots}/${name}-narrow.png`, fullPage: fullShots });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light', media: 'print' });
    await page.screenshot({ path: `${shots}/${name}-print.png`, fullPage: fullShots });
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
      terms: [...document.querySelectorAll('.term')].map(isShown),
    };
  });
  // Every glossary entry shows, those the script would put in the page later included.
  check(shown.terms.every(Boolean), file, 'scripts off: a glossary entry is hidden');
  const stepCount = data.flows.reduce((n, f) => n + f.steps.length, 0);
  check(shown.flows.length === data.flows.length && shown.flows.every(Boolean), file, `scripts off: flows shown ${JSON.stringify(shown.flows)}`);
  check(shown.steps.length === stepCount && shown.steps.every(Boolean), file, `scripts off: steps shown ${JSON.stringify(shown.steps)}`);
  check(shown.notes.every(Boolean), file, 'scripts off: a step note is hidden');
  check(!shown.walk.some(Boolean), file, 'scripts off: the Next/Previous controls show but cannot work');
  if (shots) await off.page.screenshot({ path: `${shots}/${name}-noscript.png`, fullPage: fullShots });
  check(!off.problems.length, file, off.problems.join('\n  '));
  await still.close();

  // Entries that wait as text: an address naming one opens the page on it, and once the browser
  // has been idle every entry is in the page, as many as without scripts.
  const waitingIds = [...readFileSync(path, 'utf8').matchAll(/<noscript class="af-later">[\s\S]*?<\/noscript>/g)]
    .flatMap((m) => [...m[0].matchAll(/ id="(component-\d+)"/g)].map((x) => x[1]));
  if (waitingIds.length) {
    const later = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
    const wanted = waitingIds[waitingIds.length - 1];
    const { page: at, problems: laterProblems } = await open(later, `${url}#${wanted}`);
    const where = await at.evaluate((id) => {
      const el = document.getElementById(id);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    }, wanted);
    check(where && where.bottom > 0 && where.top < 900, file, `#${wanted}: the entry is ${where ? `at ${Math.round(where.top)} px` : 'not in the page'}`);
    const terms = await at.evaluate(() => document.querySelectorAll('.term').length);
    check(terms === shown.terms.length, file, `entries in the page opened at a waiting one: ${terms}, without scripts ${shown.terms.length}`);
    check(!laterProblems.length, file, laterProblems.join('\n  '));
    await later.close();

    // Opened at the top, the page keeps the waiting entries out while the reader is elsewhere;
    // a reader who scrolls down through the page meets every one of them; the browser's find
    // (Ctrl+F) puts them all in at once.
    const top = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
    const { page: read, problems: readProblems } = await open(top, url);
    await read.waitForTimeout(1500);
    const idle = await read.evaluate(() => document.querySelectorAll('.term').length);
    check(idle < shown.terms.length, file, `entries in the page after 1.5 s at the top: ${idle}, all ${shown.terms.length} (they should wait for the reader)`);
    const scrolled = await read.evaluate(async () => {
      const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (let k = 0; k < 2000; k += 1) {
        const before = window.scrollY;
        window.scrollBy(0, window.innerHeight / 2);
        await frames();
        if (window.scrollY === before && !document.querySelector('noscript.af-later')) break;
        if (window.scrollY === before) await new Promise((r) => setTimeout(r, 50));
      }
      return document.querySelectorAll('.term').length;
    });
    check(scrolled === shown.terms.length, file, `entries in the page after scrolling to its end: ${scrolled}, without scripts ${shown.terms.length}`);
    await top.close();
    const find = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
    const { page: finding, problems: findProblems } = await open(find, url);
    await finding.keyboard.press('Control+f');
    const found = await finding.evaluate(() => document.querySelectorAll('.term').length);
    check(found === shown.terms.length, file, `entries in the page after Ctrl+F: ${found}, without scripts ${shown.terms.length}`);
    check(!readProblems.length && !findProblems.length, file, readProblems.concat(findProblems).join('\n  '));
    await find.close();
  }

  if (failures === failedBefore) console.log(`ok ${file} (${data.flows.length} flows, ${stepCount} steps)`);
}

await browser.close();
process.exit(failures ? 1 : 0);
