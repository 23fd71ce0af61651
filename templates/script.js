// archflow explainer: shows one request flow at a time and walks the diagram through its steps.
// Reads the flows from #af-data (per step: the indices of the diagram's #af-n… nodes and #af-e…
// edges to light up) and loads nothing. Without it, every step of every flow is listed.
(function () {
  'use strict';
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

  // Zoom: a diagram much wider than the window starts at its actual size, scrolled to the
  // highlighted part; a button switches between that and fitting the width.
  var canvas = diagram.querySelector('.diagram-canvas');
  var svg = canvas && canvas.querySelector('svg');
  var zoom = diagram.querySelector('[data-action=zoom]');
  var box = svg && svg.viewBox && svg.viewBox.baseVal;
  var svgWidth = svg ? Number(svg.getAttribute('width')) || (box ? box.width : 0) : 0;

  function setActualSize(on) {
    diagram.classList.toggle('is-actual-size', on);
    if (zoom) {
      zoom.setAttribute('aria-pressed', String(on));
      zoom.textContent = on ? 'Fit to width' : 'Actual size';
    }
    centerLit();
  }

  // Scroll the diagram (not the page) so the highlighted part is in the middle of its frame.
  function centerLit() {
    if (!canvas || !lit.length) return;
    var wide = canvas.scrollWidth > canvas.clientWidth;
    var tall = canvas.scrollHeight > canvas.clientHeight;
    if (!wide && !tall) return;
    var a = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    lit.forEach(function (el) {
      var r = el.getBoundingClientRect();
      a.left = Math.min(a.left, r.left);
      a.right = Math.max(a.right, r.right);
      a.top = Math.min(a.top, r.top);
      a.bottom = Math.max(a.bottom, r.bottom);
    });
    var frame = canvas.getBoundingClientRect();
    if (wide) canvas.scrollLeft += (a.left + a.right) / 2 - (frame.left + frame.right) / 2;
    if (tall) canvas.scrollTop += (a.top + a.bottom) / 2 - (frame.top + frame.bottom) / 2;
  }

  if (zoom && svgWidth && canvas && svgWidth > canvas.clientWidth) {
    zoom.hidden = false;
    zoom.addEventListener('click', function () {
      setActualSize(!diagram.classList.contains('is-actual-size'));
    });
    if (canvas.clientWidth / svgWidth < 0.6) diagram.classList.add('is-actual-size');
    setActualSize(diagram.classList.contains('is-actual-size'));
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  // The highlighted edge's arrowhead: its colour, a fixed size (not scaled by the wider stroke).
  if (svg) {
    var defs = svg.querySelector('defs') || svg.insertBefore(document.createElementNS(SVG_NS, 'defs'), svg.firstChild);
    var marker = document.createElementNS(SVG_NS, 'marker');
    [['id', 'af-arrow-lit'], ['viewBox', '0 0 10 10'], ['refX', '9'], ['refY', '5'], ['markerWidth', '10'],
      ['markerHeight', '10'], ['markerUnits', 'userSpaceOnUse'], ['orient', 'auto-start-reverse']]
      .forEach(function (a) { marker.setAttribute(a[0], a[1]); });
    var head = document.createElementNS(SVG_NS, 'path');
    head.setAttribute('d', 'M0,0 L10,5 L0,10 z');
    head.setAttribute('class', 'arrow-lit');
    marker.appendChild(head);
    defs.appendChild(marker);
  }
  var badges = null;

  // Numbered badges on the hops of the current flow, the current one emphasised.
  function drawBadges(flow, current) {
    if (!svg) return;
    if (badges) badges.remove();
    badges = document.createElementNS(SVG_NS, 'g');
    badges.setAttribute('class', 'af-badges');
    badges.setAttribute('aria-hidden', 'true');
    var used = {};
    flow.steps.forEach(function (step, k) {
      if (!step.edges.length) return;
      var edge = document.getElementById('af-e' + step.edges[Math.floor(step.edges.length / 2)]);
      var path = edge && edge.querySelector('path');
      if (!path || !path.getTotalLength) return;
      var n = used[edge.id] = (used[edge.id] || 0) + 1;
      var length = path.getTotalLength();
      var at = path.getPointAtLength(length * Math.min(0.85, 0.2 + 0.3 * (n - 1)));
      var g = document.createElementNS(SVG_NS, 'g');
      g.setAttribute('class', 'af-badge' + (k === current ? ' is-current' : '') + (step.back ? ' is-back' : ''));
      var circle = document.createElementNS(SVG_NS, 'circle');
      circle.setAttribute('cx', at.x);
      circle.setAttribute('cy', at.y);
      circle.setAttribute('r', k === current ? 11 : 9);
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
    svg.appendChild(badges);
  }

  function light(ids, back) {
    lit.forEach(function (el) { el.classList.remove('lit', 'lit-back'); });
    lit = [];
    ids.forEach(function (id) {
      var el = document.getElementById(id);
      if (el) {
        el.classList.add('lit');
        if (back && el.classList.contains('edge')) el.classList.add('lit-back');
        lit.push(el);
      }
    });
    diagram.classList.toggle('is-walking', lit.length > 0);
    centerLit();
  }

  var updateUrl = false;

  function show(flowIndex, stepIndex) {
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
    light(step.nodes.map(function (i) { return 'af-n' + i; })
      .concat(step.edges.map(function (i) { return 'af-e' + i; })), step.back);
    drawBadges(flow, stepIndex);
    // The address names the step (#flow-F-step-N), so it can be shared and the back button works.
    var hash = '#flow-' + flowIndex + '-step-' + (stepIndex + 1);
    if (updateUrl && window.location.hash !== hash && window.history && window.history.replaceState) {
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

  // The arrow keys step through the flow only while the flow or the diagram has the focus (or was
  // the last thing clicked, when the click left the focus on the page itself).
  var engaged = false;
  function engage(event) {
    var target = event.target instanceof Element ? event.target : null;
    engaged = !!(target && target.closest('.flow.is-current, #diagram'));
  }
  document.addEventListener('pointerdown', engage, true);
  document.addEventListener('focusin', engage, true);
  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target instanceof Element ? event.target : null;
    if (!target || target.closest('input, select, textarea, [contenteditable]')) return;
    var inside = target.closest('.flow.is-current, #diagram');
    if (!inside && !(engaged && (target === document.body || target === document.documentElement))) return;
    if (event.key === 'ArrowRight') {
      go(1);
      event.preventDefault();
    } else if (event.key === 'ArrowLeft') {
      go(-1);
      event.preventDefault();
    }
  });

  // A click on a component in the diagram, or Enter on it, opens its glossary entry. Every
  // component is reachable with the Tab key and named for screen readers.
  function openEntry(node) {
    var entry = node && document.getElementById('component-' + node.id.slice(4));
    if (!entry) return;
    entry.scrollIntoView({ block: 'center' });
    entry.setAttribute('tabindex', '-1');
    entry.focus({ preventScroll: true });
  }
  // The diagram holds controls now: a group, not an image.
  if (svg) svg.setAttribute('role', 'group');
  Array.prototype.forEach.call(diagram.querySelectorAll('.node[id^="af-n"]'), function (node) {
    var entry = document.getElementById('component-' + node.id.slice(4));
    var label = entry && entry.querySelector('.term-label');
    var kind = entry && entry.querySelector('.kind');
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    node.setAttribute('aria-label', (label ? label.textContent : node.getAttribute('data-name') || '') +
      (kind ? ' (' + kind.textContent + ')' : '') + ': open its description');
  });
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
    opened = Array.prototype.filter.call(document.querySelectorAll('details:not([open])'), function (d) {
      d.open = true;
      return true;
    });
    lit.forEach(function (el) { el.classList.remove('lit'); });
    diagram.classList.remove('is-walking');
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
    if (at.flow >= 0) show(at.flow, at.step);
  });

  // Start where the address points (#flow-2, #flow-2-step-3), else at the first flow's first
  // step; follow the address when it changes later (a link, the back button).
  function follow(initial) {
    var match = /^#flow-(\d+)(?:-step-(\d+))?$/.exec(window.location.hash);
    if (!match && !initial) return;
    var startFlow = match ? Number(match[1]) : 0;
    var startStep = match && match[2] ? Number(match[2]) - 1 : 0;
    if (!data.flows[startFlow]) startFlow = 0;
    if (data.flows.length) show(startFlow, startStep);
  }
  follow(true);
  updateUrl = true;
  window.addEventListener('hashchange', function () { follow(false); });
})();
