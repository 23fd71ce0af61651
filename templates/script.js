// archflow explainer: shows one request flow at a time and walks the diagram through its steps.
// Reads the flows from #af-data (per step: the indices of the diagram's #af-n… nodes and #af-e…
// edges to light up; each other view that draws a flow has its own indices) and loads nothing.
// Without it, every step of every flow is listed.
(function () {
  'use strict';
  // Long lists come with most of their entries as text (`<noscript class="af-later">`, which a
  // browser without scripts shows as it is): a list's next chunk goes in the page when the reader
  // nears the end of what it shows, so that a page of thousands of entries stays small (the
  // browser checks every entry in the page on each frame that changes something), and all at
  // once when something needs them (a link to an entry, a click on a component, the browser's
  // find, printing). Without IntersectionObserver they go in while the browser is idle.
  var later = Array.prototype.slice.call(document.querySelectorAll('noscript.af-later'));
  var whenIdle = window.requestIdleCallback
    ? function (f) { window.requestIdleCallback(f, { timeout: 1000 }); }
    : function (f) { setTimeout(f, 30); };
  var relabel = null; // set below: what to do once every entry is in the page
  function unpack(holder) {
    var i = later.indexOf(holder);
    if (i >= 0) later.splice(i, 1);
    if (holder.parentNode) {
      var t = document.createElement('template');
      t.innerHTML = holder.textContent;
      holder.parentNode.replaceChild(t.content, holder);
    }
    if (!later.length && relabel) relabel();
  }
  function unpackAll() {
    if (!later.length) return;
    if (near) near.disconnect();
    later.slice().forEach(unpack);
  }
  function unpackSome(deadline) {
    while (later.length && (!deadline || !deadline.timeRemaining || deadline.timeRemaining() > 4)) {
      unpack(later[0]);
      if (!deadline) break;
    }
    if (later.length) whenIdle(unpackSome);
  }
  // The entry just before each list's first waiting chunk is watched: once it is within a screen
  // of the window, the chunk goes in, and the new last entry is watched.
  var near = null;
  function watchList(list) {
    var holder = list.querySelector(':scope > noscript.af-later');
    if (!holder) return;
    if (holder.previousElementSibling) {
      near.observe(holder.previousElementSibling);
    } else {
      unpack(holder);
      watchList(list);
    }
  }
  // The id `hash` (#id) names when it is that of an entry still waiting as text, else ''
  // (ids are made of indices).
  function waiting(hash) {
    var id = hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* as it is */ }
    if (!id || document.getElementById(id)) return '';
    var attr = 'id="' + id + '"';
    return later.some(function (holder) { return holder.textContent.indexOf(attr) >= 0; }) ? id : '';
  }
  if (later.length) {
    if (window.IntersectionObserver) {
      near = new IntersectionObserver(function (seen) {
        seen.forEach(function (e) {
          if (!e.isIntersecting) return;
          near.unobserve(e.target);
          var list = e.target.parentNode;
          var holder = e.target.nextElementSibling;
          if (holder && holder.matches('noscript.af-later')) unpack(holder);
          if (list) watchList(list);
        });
      }, { rootMargin: '0px 0px 100% 0px' });
      later.map(function (holder) { return holder.parentNode; })
        .filter(function (list, i, all) { return list && all.indexOf(list) === i; })
        .forEach(watchList);
    } else {
      whenIdle(unpackSome);
    }
    // The browser's find (Ctrl+F, ⌘F) searches what is in the page.
    document.addEventListener('keydown', function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === 'f' || event.key === 'F')) unpackAll();
    }, true);
    // A link to an entry not in the page yet: all of them, before the browser follows it.
    document.addEventListener('click', function (event) {
      var link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
      if (link && later.length && waiting(link.getAttribute('href'))) unpackAll();
    }, true);
    window.addEventListener('beforeprint', unpackAll);
    // An address that names such an entry (not a flow's step or a view, which are no ids).
    var wanted = waiting(window.location.hash);
    if (wanted) {
      unpackAll();
      var target = document.getElementById(wanted);
      if (target) target.scrollIntoView();
    }
  }
  var source = document.getElementById('af-data');
  var diagram = document.getElementById('diagram');
  if (!source || !diagram) return;
  var data = JSON.parse(source.textContent);
  var articles = Array.prototype.slice.call(document.querySelectorAll('.flow[data-flow]'));
  var select = document.getElementById('af-flow-select');
  var picker = document.getElementById('af-flow-picker');
  var lit = [];
  var at = { flow: -1, step: 0 };

  document.documentElement.classList.add('js');
  if (picker) picker.hidden = false;
  articles.forEach(function (article) {
    var walk = article.querySelector('.walk');
    if (walk) walk.hidden = false;
  });

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var canvas = diagram.querySelector('.diagram-canvas');
  var bar = diagram.querySelector('.diagram-bar');
  var keysHint = diagram.querySelector('.diagram-keys');
  var level = document.getElementById('af-zoom-level');
  var search = document.getElementById('af-search');
  var names = document.getElementById('af-names');
  var status = document.getElementById('af-search-status');
  var viewSelect = document.getElementById('af-view-select');
  var crumbs = document.getElementById('af-crumbs');
  // The caption's first sentence says which view is shown.
  var viewCaption = document.getElementById('af-view-caption');
  var captions = data.captions || {};
  var views = data.views || [];
  var svg = canvas && canvas.querySelector('svg');
  var mainSvg = svg;
  var sharedStyle = svg && svg.querySelector('style');
  var drawn = {};   // view index (or 'narrow') → its SVG element, once drawn
  var current = 0;  // the view shown
  if (!canvas || !svg) return;
  drawn[0] = svg;
  if (bar) bar.hidden = false;
  if (keysHint) keysHint.hidden = false;
  diagram.classList.add('is-interactive');

  // The drawing sits at its own size on a stage, with an overlay of the same size above it that
  // holds what a step lights (copies of its elements over a veil) and the step badges. Panning and
  // zooming move the stage by a CSS transform and a step changes only the overlay, so neither
  // makes the browser lay out or restyle the drawing, which costs hundreds of milliseconds for a
  // big one. `vb` is the part of the diagram the canvas shows, at the canvas's own aspect.
  var READABLE = 1.1; // the smallest text (10 px) reads at 11 px
  var natural = { w: 1, h: 1 };
  var vb = { x: 0, y: 0, w: 1, h: 1 };
  var lastScale = 1; // the scale last shown (a resize keeps it)
  // The page puts the drawing on its stage (moving it there would make the browser lay it out
  // again); a page from an older template gets one here.
  var stage = svg.parentNode;
  if (!stage.classList || !stage.classList.contains('diagram-stage')) {
    stage = document.createElement('div');
    stage.className = 'diagram-stage';
    canvas.insertBefore(stage, svg);
    stage.appendChild(svg);
  }
  var overlay = document.createElementNS(SVG_NS, 'svg');
  overlay.setAttribute('class', 'archflow af-overlay');
  overlay.setAttribute('aria-hidden', 'true');
  var veil = document.createElementNS(SVG_NS, 'rect');
  veil.setAttribute('class', 'af-veil');
  veil.style.display = 'none';
  overlay.appendChild(veil);
  var litLayer = document.createElementNS(SVG_NS, 'g');
  overlay.appendChild(litLayer);
  stage.appendChild(overlay);
  // The canvas's size in CSS pixels, read again only when it may have changed: reading it right
  // after a change to the page makes the browser lay the page out at once.
  var size = { w: 0, h: 0 };
  function measure() {
    size.w = canvas.clientWidth;
    size.h = canvas.clientHeight;
  }

  function naturalSize(el) {
    var box = el.viewBox && el.viewBox.baseVal;
    var w = Number(el.getAttribute('data-w')) || (box && box.width) || Number(el.getAttribute('width')) || 1;
    var h = Number(el.getAttribute('data-h')) || (box && box.height) || Number(el.getAttribute('height')) || 1;
    el.setAttribute('data-w', w);
    el.setAttribute('data-h', h);
    return { w: w, h: h };
  }
  function scale() { return (size.w || natural.w) / vb.w; }
  function fitScale() { return Math.min(size.w / natural.w, size.h / natural.h); }
  function clampView() {
    ['x', 'y'].forEach(function (axis) {
      var size = axis === 'x' ? 'w' : 'h';
      var room = natural[size] - vb[size];
      if (room <= 0) vb[axis] = room / 2;
      else vb[axis] = Math.max(0, Math.min(room, vb[axis]));
    });
  }
  function apply() {
    if (![vb.x, vb.y, vb.w, vb.h].every(isFinite) || vb.w <= 0 || vb.h <= 0) {
      vb = { x: 0, y: 0, w: natural.w, h: natural.h };
    }
    clampView();
    svg.removeAttribute('data-hop-fit');
    var s = scale();
    var r = function (v) { return Math.round(v * 100) / 100; };
    stage.style.transform = 'translate(' + r(-vb.x * s) + 'px,' + r(-vb.y * s) + 'px) scale(' + s + ')';
    // The overlay's lines and badges keep their size on screen when zoomed out (style.css).
    var px = String(Math.max(1, Math.round(1000 / s) / 1000));
    if (overlay.style.getPropertyValue('--af-px') !== px) overlay.style.setProperty('--af-px', px);
    lastScale = s;
    if (level) level.textContent = Math.round(s * 100) + '%';
    drawVisible();
    if (s !== layerScale) {
      // Zoomed in a little: the layer's pixels, scaled up, until the zoom rests. Else draw the
      // stage at the new scale now (a layer drawn bigger than it is shown would make the
      // browser draw far more than the screen holds).
      if (!(layerScale && s > layerScale && s <= 2 * layerScale)) layer(false);
      sharpenLater();
    }
  }
  // The stage and the overlay are layers of their own (`will-change: transform`, drawn once and
  // then moved: a pan draws nothing again), drawn at the scale they had when made. So a zoom
  // drops them, and once it has rested for a moment they are made again at the new scale.
  var layerScale = 0; // the scale the layers were drawn at; 0 while there are none
  var sharpTimer = 0;
  function layer(on) {
    stage.style.willChange = on ? '' : 'auto';
    overlay.style.willChange = on ? '' : 'auto';
    layerScale = on ? lastScale : 0;
  }
  function sharpenLater() {
    clearTimeout(sharpTimer);
    sharpTimer = setTimeout(function () {
      if (layerScale === lastScale) return;
      if (!layerScale) {
        layer(true);
        return;
      }
      layer(false);
      requestAnimationFrame(function () { requestAnimationFrame(function () { layer(true); }); });
    }, 250);
  }
  // The smallest scale: a little smaller than the whole drawing.
  function lowestScale() { return Math.min(fitScale(), 1) * 0.8; }
  // Show the diagram at scale `s`, the diagram point (cx, cy) staying where it is on screen.
  function zoomTo(s, cx, cy) {
    s = Math.max(lowestScale(), Math.min(8, s));
    if (cx === undefined) { cx = vb.x + vb.w / 2; cy = vb.y + vb.h / 2; }
    var fx = (cx - vb.x) / vb.w;
    var fy = (cy - vb.y) / vb.h;
    var w = size.w / s;
    var h = size.h / s;
    vb = { x: cx - fx * w, y: cy - fy * h, w: w, h: h };
    apply();
  }
  function centerOn(cx, cy, s) {
    var w = size.w / s;
    var h = size.h / s;
    vb = { x: cx - w / 2, y: cy - h / 2, w: w, h: h };
    apply();
  }
  function fit() { centerOn(natural.w / 2, natural.h / 2, fitScale()); }
  // The canvas is as tall as the diagram at its first scale, within the window.
  function sizeCanvas() {
    var width = canvas.clientWidth || 1;
    var first = Math.max(READABLE, Math.min(width / natural.w, 1.5));
    var tall = Math.max(220, Math.min(natural.h * first + 2, window.innerHeight * 0.72));
    canvas.style.height = Math.round(tall) + 'px';
    measure();
    return first;
  }
  // The view as it opens: readable, from the top left, or whole when it fits.
  function reset() {
    var first = sizeCanvas();
    vb = { x: 0, y: 0, w: size.w / first, h: size.h / first };
    apply();
  }
  // Pan and, when it does not fit, zoom out so the box (in diagram units) is on screen.
  function reveal(box, margin) {
    if (!size.w || !size.h) return;
    margin = margin === undefined ? 24 : margin;
    box = { x: box.x, y: box.y, w: Math.max(box.w, 1), h: Math.max(box.h, 1) };
    var s = scale();
    var cw = size.w - 2 * margin;
    var ch = size.h - 2 * margin;
    if (box.w * s > cw || box.h * s > ch) s = Math.max(lowestScale(), Math.min(cw / box.w, ch / box.h));
    var m = margin / s;
    var inside = box.x - m >= vb.x && box.y - m >= vb.y && box.x + box.w + m <= vb.x + vb.w && box.y + box.h + m <= vb.y + vb.h;
    if (inside && s === scale()) return;
    centerOn(box.x + box.w / 2, box.y + box.h / 2, s);
    // Smaller than readable only to show a whole hop; the next view or zoom reads again.
    if (s < READABLE) svg.setAttribute('data-hop-fit', '1');
  }
  function boxOf(elements) {
    var a = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
    elements.forEach(function (el) {
      if (!el.getBBox) return;
      var b = el.getBBox();
      a.left = Math.min(a.left, b.x);
      a.top = Math.min(a.top, b.y);
      a.right = Math.max(a.right, b.x + b.width);
      a.bottom = Math.max(a.bottom, b.y + b.height);
    });
    return a.left === Infinity ? null : { x: a.left, y: a.top, w: a.right - a.left, h: a.bottom - a.top };
  }

  // A big drawing comes in tiles (`data-tiles` on its SVG): a shell with a sketch of every node
  // and edge, no text, and data blocks holding the real ones (#af-t-KEY-K), each drawn the first
  // time it meets the screen at a scale its text can be read at, or holds what a step lights.
  // The index (#af-tiles-KEY) has each tile's box, the tile of each node and edge, and the
  // nodes' names for the search box.
  var DETAIL = 0.3; // below this scale the sketch shows the drawing: its text could not be read
  function tilesOf(el) {
    if (!el) return null;
    if (el.afTiles !== undefined) return el.afTiles;
    var key = el.getAttribute('data-tiles');
    var source = key && document.getElementById('af-tiles-' + key);
    var t = null;
    try {
      if (source) t = { key: key, index: JSON.parse(source.textContent), done: [] };
    } catch (e) { t = null; }
    if (t) {
      t.edges = el.querySelector('.af-tiles-edges');
      t.nodes = el.querySelector('.af-tiles-nodes');
      if (!t.edges || !t.nodes || !t.index.boxes) t = null;
    }
    if (t) {
      // The sketch's squares, each shown while it is near the screen, and its far grids,
      // coarsest first, one shown when the whole drawing is small on the screen.
      t.squares = Array.prototype.map.call(el.querySelectorAll('.af-sk-sq'), function (g) {
        return { el: g, box: (g.getAttribute('data-box') || '').split(' ').map(Number), on: true };
      }).filter(function (q) { return q.box.length === 4 && q.box.every(isFinite); });
      t.far = Array.prototype.map.call(el.querySelectorAll('.af-sk-far'), function (g) {
        return { el: g, units: Number(g.getAttribute('data-units')) };
      }).filter(function (f) { return f.units > 0; }).sort(function (a, b) { return b.units - a.units; });
      t.farShown = null;
      t.edgesClipped = false;
      t.loaded = false;
      // Once the page has loaded, when the browser is idle, the squares away from the screen.
      var rest = function () {
        whenIdle(function () {
          t.loaded = true;
          if (tilesOf(svg) === t) drawVisible();
        });
      };
      if (document.readyState === 'complete') rest();
      else window.addEventListener('load', rest, { once: true });
    }
    el.afTiles = t;
    return t;
  }
  function drawTile(t, k) {
    if (t.done[k]) return;
    t.done[k] = true;
    var block = document.getElementById('af-t-' + t.key + '-' + k);
    if (!block) return;
    var holder = document.createElementNS(SVG_NS, 'g');
    holder.innerHTML = block.textContent;
    var parts = holder.children;
    if (parts.length < 2) return;
    var nodes = parts[1];
    parts[0].setAttribute('data-tile', String(k));
    nodes.setAttribute('data-tile', String(k));
    // Ready before it is drawn: a change after would make the browser style it twice.
    prepareNodes(nodes, isMain(svg));
    t.edges.appendChild(parts[0]);
    t.nodes.appendChild(nodes);
  }
  // Draw the tiles of the shown drawing that meet `box` ([x0, y0, x1, y1], diagram units): whose
  // box does, or one of whose spots (a long edge's label or end, away from its tile) does.
  function drawTilesIn(box) {
    var t = tilesOf(svg);
    if (!t) return;
    var b = t.index.boxes;
    for (var k = 0; k < b.length; k += 1) {
      if (!t.done[k] && overlap(b[k], box) > 0) drawTile(t, k);
    }
    var spots = t.index.spots || [];
    for (var i = 0; i < spots.length; i += 1) {
      if (!t.done[spots[i][4]] && overlap(spots[i], box) > 0) drawTile(t, spots[i][4]);
    }
  }
  // Show the sketch's squares that meet `near` (none when it is null), and when `hide`, hide the
  // others. The browser paints every square shown, on screen or not, each time it paints the
  // drawing; but a square hidden and shown again is laid out again. So until the page has
  // loaded (it shows its first view, then a step's) and the browser is idle, none is hidden but
  // for a far grid.
  function showSquares(t, near, hide) {
    for (var i = 0; i < t.squares.length; i += 1) {
      var q = t.squares[i];
      var on = (!!near && overlap(q.box, near) > 0) || (q.on && !hide);
      if (on !== q.on) {
        q.on = on;
        q.el.style.display = on ? '' : 'none';
      }
    }
  }
  // What the canvas shows and a quarter of a screen around it: the tiles there, when the text
  // can be read, and the sketch's picture.
  // - Zoomed out so far that a device pixel holds one of the sketch's far grids (the whole
  //   drawing of 10,000 services on a screen), that grid is the picture and the near sketch's
  //   squares are hidden: drawn, they would be the whole near sketch at full detail, lines far
  //   thinner than a pixel (at 10,000 services, most of a step's time, for a picture in which
  //   none shows). Otherwise the squares near the screen are shown (see `showSquares`).
  // - Smaller than a readable scale, the drawn tiles' edges are clipped away: a tile holds every
  //   edge whose middle is in it, and a long one (a load balancer's route across the drawing)
  //   would cross every piece of the screen the browser draws, each time it draws it. A clip is
  //   one style on one group; hiding them restyled each of them (about 0.1 s at 10,000
  //   services). Their nodes, which are short and can be clicked, stay.
  function drawVisible() {
    var t = tilesOf(svg);
    if (!t) return;
    var s = scale();
    var perPixel = 1 / (s * (window.devicePixelRatio || 1));
    var far = null;
    t.far.forEach(function (f) { if (!far && f.units <= perPixel) far = f; });
    if (far !== t.farShown) {
      if (t.farShown) t.farShown.el.style.display = '';
      if (far) far.el.style.display = 'inline';
      t.farShown = far;
    }
    // A far grid's lines are 0.6 of a device pixel wide at any scale: set on its group, in its
    // squares, which restyles its four paths, not the drawing.
    if (far) {
      var width = String(Math.round(600 * perPixel / far.units) / 1000);
      if (far.el.style.strokeWidth !== width) far.el.style.strokeWidth = width;
    }
    var mx = vb.w / 4;
    var my = vb.h / 4;
    var near = [vb.x - mx, vb.y - my, vb.x + vb.w + mx, vb.y + vb.h + my];
    showSquares(t, far ? null : near, !!far || t.loaded);
    var sketched = s < DETAIL;
    if (sketched !== t.edgesClipped) {
      t.edgesClipped = sketched;
      t.edges.style.clipPath = sketched ? 'inset(50%)' : '';
    }
    if (!sketched) drawTilesIn(near);
  }
  // The element `af-nI` or `af-eI` of the shown drawing, its tile drawn first when it has one.
  function element(id) {
    var el = document.getElementById(id);
    if (el && svg.contains(el)) return el;
    var t = tilesOf(svg);
    var m = /^af-([ne])(\d+)$/.exec(id);
    if (!t || !m) return null;
    var k = (m[1] === 'n' ? t.index.nodes : t.index.edges)[Number(m[2])];
    if (typeof k !== 'number' || k < 0) return null;
    drawTile(t, k);
    el = document.getElementById(id);
    return el && svg.contains(el) ? el : null;
  }

  diagram.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('[data-zoom]') : null;
    if (!button) return;
    var what = button.getAttribute('data-zoom');
    if (what === 'in') zoomTo(scale() * 1.25);
    else if (what === 'out') zoomTo(scale() / 1.25);
    else if (what === 'fit') fit();
    else zoomTo(1);
  });

  // Ctrl (or ⌘) and the wheel, and a pinch on a touchpad, zoom at the pointer; a sideways wheel
  // pans; the plain wheel scrolls the page as everywhere else.
  function point(clientX, clientY) {
    var r = canvas.getBoundingClientRect();
    return { x: vb.x + (clientX - r.left) / scale(), y: vb.y + (clientY - r.top) / scale() };
  }
  canvas.addEventListener('wheel', function (event) {
    var unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? size.h : 1;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      var p = point(event.clientX, event.clientY);
      zoomTo(scale() * Math.exp(-event.deltaY * unit * 0.002), p.x, p.y);
    } else if ((event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) && vb.w < natural.w) {
      event.preventDefault();
      vb.x += (event.shiftKey && !event.deltaX ? event.deltaY : event.deltaX) * unit / scale();
      apply();
    }
  }, { passive: false });

  // Drag to pan (mouse, pen, one finger sideways); two fingers pinch to zoom.
  var pointers = {};
  var drag = null;
  var dragged = false;
  canvas.addEventListener('pointerdown', function (event) {
    if (event.button !== 0) return;
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    drag = { x: event.clientX, y: event.clientY, vx: vb.x, vy: vb.y, moving: false, id: event.pointerId };
    dragged = false;
  });
  canvas.addEventListener('pointermove', function (event) {
    if (!pointers[event.pointerId]) return;
    var ids = Object.keys(pointers);
    var before = ids.length === 2 ? pinchState() : null;
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    if (before) {
      var after = pinchState();
      var p = point(before.cx, before.cy);
      zoomTo(scale() * after.d / before.d, p.x, p.y);
      dragged = true;
      return;
    }
    if (!drag || drag.id !== event.pointerId) return;
    var dx = event.clientX - drag.x;
    var dy = event.clientY - drag.y;
    if (!drag.moving && Math.abs(dx) + Math.abs(dy) < 5) return;
    if (!drag.moving) {
      drag.moving = true;
      dragged = true;
      canvas.classList.add('is-dragging');
      try { canvas.setPointerCapture(event.pointerId); } catch (e) { /* already released */ }
    }
    vb.x = drag.vx - dx / scale();
    vb.y = drag.vy - dy / scale();
    apply();
  });
  function pinchState() {
    var ps = Object.keys(pointers).map(function (k) { return pointers[k]; });
    return {
      cx: (ps[0].x + ps[1].x) / 2,
      cy: (ps[0].y + ps[1].y) / 2,
      d: Math.max(1, Math.hypot(ps[0].x - ps[1].x, ps[0].y - ps[1].y)),
    };
  }
  function release(event) {
    delete pointers[event.pointerId];
    if (drag && drag.id === event.pointerId) drag = null;
    canvas.classList.remove('is-dragging');
  }
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
  // A drag is not a click on what it started on.
  canvas.addEventListener('click', function (event) {
    if (dragged) {
      event.stopPropagation();
      event.preventDefault();
      dragged = false;
    }
  }, true);

  // Keys while the diagram has the focus: + and − zoom, 0 fits, 1 is 100%, arrows pan.
  canvas.setAttribute('tabindex', '0');
  canvas.setAttribute('role', 'group');
  canvas.setAttribute('aria-label', 'Diagram: drag or use the arrow keys to pan, + and − to zoom, 0 to fit, 1 for 100%');
  canvas.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var step = 60 / scale();
    var done = true;
    switch (event.key) {
      case '+': case '=': zoomTo(scale() * 1.25); break;
      case '-': case '_': zoomTo(scale() / 1.25); break;
      case '0': fit(); break;
      case '1': zoomTo(1); break;
      case 'ArrowLeft': vb.x -= step; apply(); break;
      case 'ArrowRight': vb.x += step; apply(); break;
      case 'ArrowUp': vb.y -= step; apply(); break;
      case 'ArrowDown': vb.y += step; apply(); break;
      default: done = false;
    }
    if (done) event.preventDefault();
  });

  // Search: the names of the shown view's components; Enter or a pick goes to the component,
  // shows it readable and focuses it.
  function nodeLabel(node) {
    var name = node.querySelector('.name');
    return name ? name.textContent : node.getAttribute('data-name') || '';
  }
  // The shown drawing's components: their names, labels and ids (and the element, when drawn).
  function components() {
    var t = tilesOf(svg);
    if (t) {
      var all = [];
      (t.index.names || []).forEach(function (pair, i) {
        if (t.index.nodes[i] >= 0) all.push({ name: pair[0], label: pair[1], id: 'af-n' + i });
      });
      return all;
    }
    return Array.prototype.map.call(svg.querySelectorAll('.node[data-name]'), function (node) {
      return { name: node.getAttribute('data-name') || '', label: nodeLabel(node), id: node.id, node: node };
    });
  }
  function fillNames() {
    if (!names) return;
    var seen = {};
    var options = document.createDocumentFragment();
    components().forEach(function (c) {
      var label = c.label;
      if (seen[label]) return;
      seen[label] = true;
      var option = document.createElement('option');
      option.value = label;
      options.appendChild(option);
    });
    names.replaceChildren(options);
  }
  function find(text) {
    var q = text.trim().toLowerCase();
    if (!q) return null;
    var nodes = components();
    var tests = [
      function (l, n) { return l === q || n === q; },
      function (l, n) { return l.indexOf(q) === 0 || n.indexOf(q) === 0; },
      function (l, n) { return l.indexOf(q) >= 0 || n.indexOf(q) >= 0; },
    ];
    for (var t = 0; t < tests.length; t += 1) {
      for (var i = 0; i < nodes.length; i += 1) {
        if (tests[t](nodes[i].label.toLowerCase(), nodes[i].name.toLowerCase())) return nodes[i].node || element(nodes[i].id);
      }
    }
    return null;
  }
  function goTo(node) {
    var box = boxOf([node]);
    if (!box) return;
    var s = Math.max(scale(), READABLE);
    var cw = size.w - 48;
    var ch = size.h - 48;
    if (box.w * s > cw || box.h * s > ch) s = Math.min(cw / box.w, ch / box.h);
    centerOn(box.x + box.w / 2, box.y + box.h / 2, s);
    node.focus({ preventScroll: true });
  }
  function runSearch() {
    var node = find(search.value);
    if (status) status.textContent = node ? 'Found ' + nodeLabel(node) + '.' : 'No component called “' + search.value.trim() + '” in this view.';
    if (node) goTo(node);
  }
  if (search) {
    search.addEventListener('focus', fillNames);
    search.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        event.preventDefault();
        runSearch();
      }
    });
    // A pick from the list (an exact name) goes there at once.
    search.addEventListener('input', function (event) {
      var q = search.value.trim().toLowerCase();
      if (!q || !names || (event.inputType && event.inputType !== 'insertReplacementText')) return;
      var exact = Array.prototype.some.call(names.options, function (o) { return o.value.toLowerCase() === q; });
      if (exact) runSearch();
    });
  }

  // Make a drawn view ready: its style sheet, the highlighted edge's arrowhead (its colour, a
  // fixed size, not scaled by the wider stroke), and every component focusable and named.
  function prepare(el) {
    if (el.getAttribute('data-ready')) return;
    el.setAttribute('data-ready', '1');
    if (!el.querySelector('style') && sharedStyle) el.insertBefore(sharedStyle.cloneNode(true), el.firstChild);
    var defs = el.querySelector('defs') || el.insertBefore(document.createElementNS(SVG_NS, 'defs'), el.firstChild);
    var marker = document.createElementNS(SVG_NS, 'marker');
    [['id', 'af-arrow-lit'], ['viewBox', '0 0 10 10'], ['refX', '9'], ['refY', '5'], ['markerWidth', '10'],
      ['markerHeight', '10'], ['markerUnits', 'userSpaceOnUse'], ['orient', 'auto-start-reverse']]
      .forEach(function (a) { marker.setAttribute(a[0], a[1]); });
    var head = document.createElementNS(SVG_NS, 'path');
    head.setAttribute('d', 'M0,0 L10,5 L0,10 z');
    head.setAttribute('class', 'arrow-lit');
    marker.appendChild(head);
    defs.appendChild(marker);
    // The diagram holds controls: a group, not an image.
    el.setAttribute('role', 'group');
    // The drawing keeps its size (`width` and `height`): a new size would make the browser lay
    // out all of it again.
    naturalSize(el);
    prepareNodes(el, isMain(el));
  }
  // Whether `el` draws the main view (either way), whose nodes have their glossary entries by
  // index.
  function isMain(el) { return el === mainSvg || el === drawn.narrow; }
  // Every component in `root` focusable, a button named for what it opens.
  function prepareNodes(root, main) {
    Array.prototype.forEach.call(root.querySelectorAll('.node[id^="af-n"]'), function (node) {
      var name = node.getAttribute('data-name') || '';
      var opens = viewOf(name);
      var entry = main ? document.getElementById('component-' + node.id.slice(4)) : entryNamed(name);
      var label = entry && entry.querySelector('.term-label');
      var kind = entry && entry.querySelector('.kind');
      node.setAttribute('tabindex', '0');
      node.setAttribute('role', 'button');
      node.setAttribute('aria-label', (label ? label.textContent : nodeLabel(node)) +
        (kind ? ' (' + kind.textContent + ')' : '') + (opens >= 0 ? ': open its view' : ': open its description'));
    });
  }

  // Views: the main one is drawn in the page; the others wait as text in data blocks
  // (#af-svg-N, or packed: below) and are drawn the first time they are opened. One view is in
  // the page at a time.
  var byName = {};
  views.forEach(function (v, i) { if (i > 0 && v.kind === 'service') byName[v.name] = i; });
  function viewOf(name) {
    return Object.prototype.hasOwnProperty.call(byName, name) ? byName[name] : -1;
  }
  function entryNamed(name) {
    var all = document.querySelectorAll('.term[data-name]');
    for (var i = 0; i < all.length; i += 1) if (all[i].getAttribute('data-name') === name) return all[i];
    return null;
  }
  var narrowQuery = window.matchMedia ? window.matchMedia('(max-width: 700px)') : null;
  // A big model's views come packed, many to a block (text/x-archflow-svgz): compressed (zlib),
  // in base64, their keys and lengths in its data-keys. A block is unpacked the first time one of
  // its views is wanted, and kept; `packed` is read then too.
  var packed = null;
  function packedAt(key) {
    if (!packed) {
      packed = {};
      Array.prototype.forEach.call(document.querySelectorAll('script[type="text/x-archflow-svgz"]'), function (block) {
        var at = 0;
        var held = { block: block, text: null, wait: null };
        (block.getAttribute('data-keys') || '').split(' ').forEach(function (entry) {
          var colon = entry.lastIndexOf(':');
          var length = Number(entry.slice(colon + 1));
          packed[entry.slice(0, colon)] = { held: held, from: at, to: at + length };
          at += length;
        });
      });
    }
    return Object.prototype.hasOwnProperty.call(packed, key) ? packed[key] : null;
  }
  function unpackViews(held) {
    if (!held.wait) {
      var text = window.atob(held.block.textContent);
      var bytes = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
      var stream = new Blob([bytes]).stream().pipeThrough(new window.DecompressionStream('deflate'));
      held.wait = new Response(stream).text().then(function (all) { held.text = all; },
        function () { held.text = ''; });
    }
    return held.wait;
  }
  // Whether view `index` can be drawn now; if not, its block is being unpacked and `then` runs
  // once it is.
  function drawable(index, then) {
    var waits = [];
    [index + '-narrow', String(index)].forEach(function (key) {
      var at = index > 0 && window.DecompressionStream && packedAt(key);
      if (at && at.held.text === null) waits.push(unpackViews(at.held));
    });
    if (!waits.length) return true;
    Promise.all(waits).then(then);
    return false;
  }
  // The text of the view drawn by `key`, from its plain block or its unpacked one.
  function sourceOf(key) {
    var block = document.getElementById('af-svg-' + key);
    if (block) return block.textContent;
    var at = packedAt(key);
    return at && at.held.text ? at.held.text.slice(at.from, at.to) : null;
  }
  function draw(key) {
    if (drawn[key]) return drawn[key];
    var source = sourceOf(key);
    if (!source) return null;
    var holder = document.createElement('div');
    holder.innerHTML = source;
    var el = holder.querySelector('svg');
    if (!el) return null;
    if (/narrow$/.test(String(key))) el.setAttribute('data-layout', 'narrow');
    drawn[key] = el;
    return el;
  }
  // The element to show for view `index`: on a narrow screen the view top to bottom, when the
  // page has that twin (`af-svg-narrow` for the main view, `af-svg-N-narrow` for the others).
  function drawingOf(index) {
    var narrow = narrowQuery && narrowQuery.matches;
    if (index === 0) return (narrow && draw('narrow')) || mainSvg;
    return (narrow && draw(index + '-narrow')) || draw(index);
  }
  function crumbTrail(index) {
    var trail = [0];
    var overview = -1;
    for (var i = 0; i < views.length; i += 1) if (views[i].kind === 'overview') overview = i;
    if (index !== 0 && views[index].kind === 'service' && overview > 0) trail.push(overview);
    if (index !== 0) trail.push(index);
    return trail;
  }
  function drawCrumbs(index) {
    if (!crumbs) return;
    var items = crumbTrail(index).map(function (i, k, all) {
      var li = document.createElement('li');
      var last = k === all.length - 1;
      var el = document.createElement(last ? 'span' : 'a');
      el.textContent = views[i] ? views[i].title : '';
      if (last) el.setAttribute('aria-current', 'page');
      else el.setAttribute('href', '#view-' + views[i].slug);
      li.appendChild(el);
      return li;
    });
    crumbs.replaceChildren.apply(crumbs, items);
  }
  // The stage and its overlay take the shown drawing's own size, font and coordinates.
  function fitStage() {
    // The stage is as big as the drawing, which says its size (archflow's drawings do).
    if (!svg.getAttribute('width') || !svg.getAttribute('height')) {
      svg.setAttribute('width', String(natural.w));
      svg.setAttribute('height', String(natural.h));
    }
    overlay.setAttribute('viewBox', '0 0 ' + natural.w + ' ' + natural.h);
    var font = svg.getAttribute('style');
    if (font) overlay.setAttribute('style', font);
    else overlay.removeAttribute('style');
    veil.setAttribute('width', String(natural.w));
    veil.setAttribute('height', String(natural.h));
  }
  function openView(index, keepPlace) {
    var el = drawingOf(index);
    if (!el) return false;
    var changed = el !== svg;
    if (changed) {
      prepare(el);
      if (svg && svg.parentNode === stage) stage.replaceChild(el, svg);
      else stage.insertBefore(el, overlay);
      svg = el;
      if (badges) { badges.remove(); badges = null; }
      light([]);
    }
    natural = naturalSize(svg);
    fitStage();
    current = index;
    diagram.setAttribute('data-view', String(index));
    // A service's view of a big model is not in the menu (its box opens it).
    if (viewSelect) viewSelect.value = viewSelect.querySelector('option[value="' + index + '"]') ? String(index) : '';
    drawCrumbs(index);
    var pattern = views[index] && captions[views[index].kind];
    if (viewCaption && pattern) viewCaption.textContent = pattern.split('{title}').join(views[index].title);
    if (names && names.childElementCount) names.replaceChildren();
    if (changed || !keepPlace) reset();
    return true;
  }
  function goView(index) {
    if (!views[index]) return;
    var hash = '#view-' + views[index].slug;
    if (window.location.hash !== hash) window.location.hash = hash;
    else if (drawable(index, function () { goView(index); })) openView(index);
  }
  if (viewSelect) viewSelect.addEventListener('change', function () { goView(Number(viewSelect.value)); });

  var badges = null;

  // What a badge should not cover: edge labels and component boxes, each as
  // {box: [x0, y0, x1, y1], edge: the label's edge id or ''}, in the drawing's coordinates; read
  // once per drawing.
  var obstacleCache = null;
  function obstacles() {
    if (obstacleCache && obstacleCache.svg === svg) return obstacleCache.items;
    var items = [];
    // A drawing in tiles lists them all, drawn or not.
    var t = tilesOf(svg);
    if (t && t.index.obstacles) {
      items = t.index.obstacles.map(function (o) { return { box: o.slice(0, 4), edge: o[4] >= 0 ? 'af-e' + o[4] : '' }; });
      obstacleCache = { svg: svg, items: items };
      return items;
    }
    svg.querySelectorAll('.edge > .label-bg, .node > .shape').forEach(function (el) {
      var b;
      if (el.tagName.toLowerCase() === 'rect') {
        b = { x: +el.getAttribute('x'), y: +el.getAttribute('y'), width: +el.getAttribute('width'), height: +el.getAttribute('height') };
      } else if (el.getBBox) {
        b = el.getBBox();
      }
      if (!b || !isFinite(b.x + b.y + b.width + b.height)) return;
      var edge = el.parentNode.classList.contains('edge') ? el.parentNode.id : '';
      items.push({ box: [b.x, b.y, b.x + b.width, b.y + b.height], edge: edge });
    });
    obstacleCache = { svg: svg, items: items };
    return items;
  }
  function overlap(a, b) {
    var w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    var h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    return w > 0 && h > 0 ? w * h : 0;
  }
  // Boxes (`{ box: [x0, y0, x1, y1] }`) in squares of CELL units, so that what meets a small box
  // is found among a few: a hop across a big drawing has thousands of boxes around it, and each
  // of its 175 candidate places was checked against all of them (30 to 50 ms of a 1,000-service
  // page's load, in CPU profiles). `near(box)` gives the indices of the boxes in the squares
  // `box` meets, in ascending order, each once.
  var CELL = 64;
  function cellsOf(items) {
    var cells = {};
    var seen = [];
    var stamp = 0;
    items.forEach(function (item, i) {
      var b = item.box;
      for (var cx = Math.floor(b[0] / CELL); cx <= Math.floor(b[2] / CELL); cx += 1) {
        for (var cy = Math.floor(b[1] / CELL); cy <= Math.floor(b[3] / CELL); cy += 1) {
          var key = cx + ',' + cy;
          (cells[key] || (cells[key] = [])).push(i);
        }
      }
      seen.push(0);
    });
    return {
      near: function (box) {
        stamp += 1;
        var found = [];
        for (var cx = Math.floor(box[0] / CELL); cx <= Math.floor(box[2] / CELL); cx += 1) {
          for (var cy = Math.floor(box[1] / CELL); cy <= Math.floor(box[3] / CELL); cy += 1) {
            var list = cells[cx + ',' + cy];
            if (!list) continue;
            for (var k = 0; k < list.length; k += 1) {
              if (seen[list[k]] !== stamp) {
                seen[list[k]] = stamp;
                found.push(list[k]);
              }
            }
          }
        }
        return found.sort(function (a, b) { return a - b; });
      },
    };
  }
  var BADGE_R = 11;
  // Where a step's badge goes: on one of its edges, the point nearest the wanted fraction of
  // the edge's length whose circle covers nothing; beside the line (up to three badges out)
  // when every point on it covers something; else the place that covers least, where another badge and the label of
  // a hop of the flow count most, then a component, then the label of an edge off the flow.
  function badgePlace(paths, want, placed, onFlow) {
    var r = BADGE_R + 1;
    var best = null;
    var SAMPLES = 24;
    paths.forEach(function (path) {
      var length = path.getTotalLength();
      var b = path.getBBox();
      var near = [b.x - 3 * r, b.y - 3 * r, b.x + b.width + 3 * r, b.y + b.height + 3 * r];
      var around = obstacles().filter(function (o) { return overlap(o.box, near) > 0; }).map(function (o) {
        return { box: o.box, weight: o.edge ? (onFlow[o.edge] ? 50 : 5) : 10 };
      }).concat(placed.map(function (box) { return { box: box, weight: 100 }; }));
      var grid = cellsOf(around);
      for (var i = 0; i <= SAMPLES; i += 1) {
        var t = 0.04 + 0.92 * i / SAMPLES;
        var p = path.getPointAtLength(length * t);
        var q = path.getPointAtLength(Math.min(length, length * t + 1));
        var o = path.getPointAtLength(Math.max(0, length * t - 1));
        var dx = q.x - o.x, dy = q.y - o.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        // On the line, then beside it, then further out (many hops on one edge).
        for (var side = -3; side <= 3; side += 1) {
          var x = p.x + side * (-dy / d) * (r + 3), y = p.y + side * (dx / d) * (r + 3);
          var c = [x - r, y - r, x + r, y + r];
          // The sum over every item around, in its order: those that miss the circle add 0.
          var covered = 0;
          var meet = grid.near(c);
          for (var k = 0; k < meet.length; k += 1) covered += overlap(c, around[meet[k]].box) * around[meet[k]].weight;
          var cost = covered * 100 + Math.abs(t - want) * 100 + Math.abs(side) * 40;
          if (!best || cost < best.cost) best = { x: x, y: y, cost: cost };
        }
      }
    });
    if (best) placed.push([best.x - r, best.y - r, best.x + r, best.y + r]);
    return best;
  }

  // Where each step's badge goes in the shown drawing (null for a step with no edge in it);
  // placed once per flow and drawing, as every step of the flow shows them all.
  var spots = { svg: null, flows: {} };
  function badgeSpots(flowIndex, steps) {
    if (spots.svg !== svg) spots = { svg: svg, flows: {} };
    if (spots.flows[flowIndex]) return spots.flows[flowIndex];
    var used = {};
    var placed = [];
    var onFlow = {};
    steps.forEach(function (step) {
      step.edges.forEach(function (e) { onFlow['af-e' + e] = true; });
    });
    spots.flows[flowIndex] = steps.map(function (step) {
      var paths = step.edges.map(function (e) {
        var edge = element('af-e' + e);
        return edge && edge.querySelector('path');
      }).filter(function (path) { return path && path.getTotalLength; });
      if (!paths.length) return null;
      var key = step.edges.join(' ');
      var n = used[key] = (used[key] || 0) + 1;
      return badgePlace(paths, Math.min(0.85, 0.2 + 0.3 * (n - 1)), placed, onFlow);
    });
    return spots.flows[flowIndex];
  }

  // Numbered badges on the hops of the current flow, the current one emphasised.
  function drawBadges(flowIndex, current, steps) {
    if (!svg) return;
    if (badges) badges.remove();
    badges = document.createElementNS(SVG_NS, 'g');
    badges.setAttribute('class', 'af-badges');
    badgeSpots(flowIndex, steps).forEach(function (at, k) {
      if (!at) return;
      var g = document.createElementNS(SVG_NS, 'g');
      g.setAttribute('class', 'af-badge' + (k === current ? ' is-current' : '') + (steps[k].back ? ' is-back' : ''));
      var circle = document.createElementNS(SVG_NS, 'circle');
      circle.setAttribute('cx', at.x);
      circle.setAttribute('cy', at.y);
      circle.setAttribute('r', k === current ? BADGE_R : BADGE_R - 2);
      var text = document.createElementNS(SVG_NS, 'text');
      text.setAttribute('x', at.x);
      text.setAttribute('y', at.y);
      text.setAttribute('dy', '0.35em');
      text.setAttribute('text-anchor', 'middle');
      text.textContent = String(k + 1);
      g.appendChild(circle);
      g.appendChild(text);
      badges.appendChild(g);
    });
    overlay.appendChild(badges);
  }

  // Light a step: copies of its elements, with the `lit` class, go on the overlay above a veil
  // that dims the drawing. The drawing itself is not touched, so a step costs the same in a
  // diagram of any size. Each copy names its original in `data-of`.
  function light(ids, back) {
    lit = [];
    ids.forEach(function (id) {
      var el = element(id);
      if (el) lit.push(el);
    });
    var copies = document.createElementNS(SVG_NS, 'g');
    copies.setAttribute('class', 'af-lit');
    lit.filter(function (el) { return el.classList.contains('edge'); })
      .concat(lit.filter(function (el) { return !el.classList.contains('edge'); }))
      .forEach(function (el) {
        var copy = el.cloneNode(true);
        ['id', 'data-name', 'tabindex', 'role', 'aria-label'].forEach(function (a) { copy.removeAttribute(a); });
        Array.prototype.forEach.call(copy.querySelectorAll('[id]'), function (d) { d.removeAttribute('id'); });
        copy.setAttribute('data-of', el.id);
        copy.classList.add('lit');
        if (back && copy.classList.contains('edge')) copy.classList.add('lit-back');
        copies.appendChild(copy);
      });
    overlay.replaceChild(copies, litLayer);
    litLayer = copies;
    veil.style.display = lit.length ? '' : 'none';
    diagram.classList.toggle('is-walking', lit.length > 0);
  }
  // Both ends of the hop and the way between them on screen.
  function revealLit() {
    var box = boxOf(lit);
    if (box) reveal(box);
  }

  // The steps of flow `flowIndex` as view `index` draws them, in that view's own numbering of its
  // elements (a flow's view and the overview number them differently from the main view); null
  // when the view does not draw the flow (a service's view).
  function stepsIn(flowIndex, index) {
    var flow = data.flows[flowIndex];
    if (!flow) return null;
    if (index === 0) return flow.steps;
    var own = (views[index] && views[index].flows) || [];
    for (var i = 0; i < own.length; i += 1) {
      if (own[i].name === flow.name && own[i].steps.length === flow.steps.length) return own[i].steps;
    }
    return null;
  }
  // The flow that view `index` is about (a flow's view draws one flow), else -1.
  function flowOfView(index) {
    var v = views[index];
    if (!v || v.kind !== 'flow' || !v.flows || v.flows.length !== 1) return -1;
    for (var i = 0; i < data.flows.length; i += 1) if (data.flows[i].name === v.flows[0].name) return i;
    return -1;
  }

  var updateUrl = false;

  function show(flowIndex, stepIndex, quiet) {
    var flow = data.flows[flowIndex];
    var article = articles[flowIndex];
    if (!flow || !article) return;
    var count = flow.steps.length;
    stepIndex = Math.max(0, Math.min(stepIndex, count - 1));
    at = { flow: flowIndex, step: stepIndex };
    articles.forEach(function (el, i) { el.classList.toggle('is-current', i === flowIndex); });
    if (select) select.value = String(flowIndex);
    var step = flow.steps[stepIndex];
    if (!step) {
      light([]);
      return;
    }
    // The step lights in the view on screen when that view draws the flow (the main view, the
    // overview, the flow's own view); a view that does not (a service's) gives way to the main one.
    var steps = stepsIn(flowIndex, current);
    if (!steps && !quiet) {
      openView(0);
      steps = stepsIn(flowIndex, 0);
    }
    var here = steps && steps[stepIndex];
    if (here) {
      light(here.nodes.map(function (i) { return 'af-n' + i; })
        .concat(here.edges.map(function (i) { return 'af-e' + i; })), here.back);
      drawBadges(flowIndex, stepIndex, steps);
      revealLit();
    }
    // The address names the step (#flow-F-step-N), so it can be shared and the back button works.
    var hash = '#flow-' + flowIndex + '-step-' + (stepIndex + 1);
    if (updateUrl && !quiet && window.location.hash !== hash && window.history && window.history.replaceState) {
      try { window.history.replaceState(null, '', hash); } catch (e) { /* a file: URL may refuse */ }
    }
    var items = article.querySelectorAll('.steps > .step');
    Array.prototype.forEach.call(items, function (li, i) {
      li.classList.toggle('is-current', i === stepIndex);
      if (i === stepIndex) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    });
    var panel = article.querySelector('[data-role=current]');
    var item = items[stepIndex];
    if (panel && item) {
      var copy = document.createElement('div');
      copy.className = 'step is-featured';
      Array.prototype.forEach.call(item.children, function (child) {
        copy.appendChild(child.cloneNode(true));
      });
      var link = copy.querySelector('.step-link');
      if (link) link.removeAttribute('href');
      panel.replaceChildren(copy);
    }
    var number = article.querySelector('[data-role=number]');
    if (number) number.textContent = String(stepIndex + 1);
    var prev = article.querySelector('[data-action=prev]');
    var next = article.querySelector('[data-action=next]');
    var focused = document.activeElement;
    if (prev) prev.disabled = stepIndex === 0;
    if (next) next.disabled = stepIndex === count - 1;
    // Keep the keyboard focus on a button that still works.
    if (focused === prev && prev.disabled && next) next.focus();
    if (focused === next && next.disabled && prev) prev.focus();
  }

  function go(delta) {
    if (at.flow >= 0) show(at.flow, at.step + delta);
  }

  articles.forEach(function (article, flowIndex) {
    article.addEventListener('click', function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (!target) return;
      var button = target.closest('[data-action]');
      if (button) {
        go(button.getAttribute('data-action') === 'next' ? 1 : -1);
        return;
      }
      var link = target.closest('.steps .step-link');
      if (link) {
        event.preventDefault();
        var li = link.closest('.step');
        show(flowIndex, Number(li.getAttribute('data-step')));
      }
    });
  });

  if (select) {
    select.addEventListener('change', function () { show(Number(select.value), 0); });
  }

  // The arrow keys step through the flow only while the flow has the focus (or was the last thing
  // clicked, when the click left the focus on the page itself); in the diagram they pan.
  var engaged = false;
  function engage(event) {
    var target = event.target instanceof Element ? event.target : null;
    engaged = !!(target && target.closest('.flow.is-current'));
  }
  document.addEventListener('pointerdown', engage, true);
  document.addEventListener('focusin', engage, true);
  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target instanceof Element ? event.target : null;
    if (!target || target.closest('input, select, textarea, [contenteditable]')) return;
    var inside = target.closest('.flow.is-current');
    if (!inside && !(engaged && (target === document.body || target === document.documentElement))) return;
    if (event.key === 'ArrowRight') {
      go(1);
      event.preventDefault();
    } else if (event.key === 'ArrowLeft') {
      go(-1);
      event.preventDefault();
    }
  });

  // A click on a component in the diagram, or Enter on it, opens its glossary entry; on a
  // service's box, that service's view. Every component is reachable with the Tab key and named.
  function openEntry(node) {
    if (!node) return;
    var name = node.getAttribute('data-name') || '';
    var opens = viewOf(name);
    if (opens >= 0) {
      goView(opens);
      return;
    }
    unpackAll();
    var entry = current === 0 ? document.getElementById('component-' + node.id.slice(4)) : entryNamed(name);
    if (!entry) return;
    entry.scrollIntoView({ block: 'center' });
    entry.setAttribute('tabindex', '-1');
    entry.focus({ preventScroll: true });
  }
  diagram.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    openEntry(target && target.closest('.node[id^="af-n"]'));
  });
  diagram.addEventListener('keydown', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var node = target && target.closest('.node[id^="af-n"]');
    if (node && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      openEntry(node);
    }
  });

  // Printing shows every flow (the styles do that) and every rule's documentation, without a
  // highlighted step; the screen comes back as it was.
  var opened = [];
  window.addEventListener('beforeprint', function () {
    var t = tilesOf(svg);
    if (t) t.index.boxes.forEach(function (box, k) { drawTile(t, k); });
    opened = Array.prototype.filter.call(document.querySelectorAll('details:not([open])'), function (d) {
      d.open = true;
      return true;
    });
    // The whole diagram, as wide as the paper (the style sheet undoes the stage's transform and
    // hides the overlay, so no step is lit on paper).
    canvas.style.height = '';
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
    sizeCanvas();
    apply();
  });

  // Start where the address points (#flow-2, #flow-2-step-3, #view-service-api), else at the
  // first flow's first step; follow the address when it changes later (a link, the back button).
  function follow(initial) {
    var hash = window.location.hash;
    var view = /^#view-(.+)$/.exec(hash);
    if (view) {
      var slug = view[1];
      try { slug = decodeURIComponent(slug); } catch (e) { /* as it is */ }
      for (var i = 0; i < views.length; i += 1) {
        if (views[i].slug !== slug) continue;
        if (initial && data.flows.length) show(0, 0, true);
        if (!drawable(i, function () { follow(false); })) return;
        openView(i);
        // A flow's view walks its flow; another view keeps the step, lit where it draws the flow.
        var own = flowOfView(i);
        if (own >= 0 && own !== at.flow) show(own, 0, true);
        else if (at.flow >= 0 && stepsIn(at.flow, i)) show(at.flow, at.step, true);
        return;
      }
    }
    var match = /^#flow-(\d+)(?:-step-(\d+))?$/.exec(hash);
    if (!match && !initial) {
      if (current !== 0 && !hash) {
        openView(0);
        if (at.flow >= 0) show(at.flow, at.step, true);
      }
      return;
    }
    var startFlow = match ? Number(match[1]) : 0;
    var startStep = match && match[2] ? Number(match[2]) - 1 : 0;
    if (!data.flows[startFlow]) startFlow = 0;
    if (data.flows.length) show(startFlow, startStep);
  }
  if (views.length) {
    prepare(svg);
    openView(0);
    if (narrowQuery) {
      var onNarrow = function () {
        if (!drawable(current, onNarrow) || drawingOf(current) === svg) return;
        openView(current);
        if (at.flow >= 0 && stepsIn(at.flow, current)) show(at.flow, at.step, true);
      };
      if (narrowQuery.addEventListener) narrowQuery.addEventListener('change', onNarrow);
    }
  }
  // Once every entry is in the page, the components' names say their kinds too.
  relabel = function () { prepareNodes(svg, isMain(svg)); };
  follow(true);
  updateUrl = true;
  window.addEventListener('hashchange', function () { follow(false); });
  // A new window size, or a canvas that changed size for another reason (a scroll bar came):
  // the same scale, about the same middle.
  function refit() {
    var s = lastScale;
    var cx = vb.x + vb.w / 2;
    var cy = vb.y + vb.h / 2;
    sizeCanvas();
    centerOn(cx, cy, s);
  }
  window.addEventListener('resize', refit);
  if (window.ResizeObserver) {
    new window.ResizeObserver(function () {
      if (canvas.clientWidth !== size.w) refit();
    }).observe(canvas);
  }
})();
