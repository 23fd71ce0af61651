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

  function light(ids) {
    lit.forEach(function (el) { el.classList.remove('lit'); });
    lit = [];
    ids.forEach(function (id) {
      var el = document.getElementById(id);
      if (el) {
        el.classList.add('lit');
        lit.push(el);
      }
    });
    diagram.classList.toggle('is-walking', lit.length > 0);
    centerLit();
  }

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
      .concat(step.edges.map(function (i) { return 'af-e' + i; })));
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

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target instanceof Element ? event.target : null;
    if (target && target.closest('input, select, textarea, [contenteditable]')) return;
    if (event.key === 'ArrowRight') {
      go(1);
      event.preventDefault();
    } else if (event.key === 'ArrowLeft') {
      go(-1);
      event.preventDefault();
    }
  });

  // A click on a component in the diagram opens its glossary entry.
  diagram.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var node = target && target.closest('.node[id^="af-n"]');
    var entry = node && document.getElementById('component-' + node.id.slice(4));
    if (entry) entry.scrollIntoView({ block: 'center' });
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

  // Start where the address points (#flow-2, #flow-2-step-3), else at the first flow's first step.
  var match = /^#flow-(\d+)(?:-step-(\d+))?$/.exec(window.location.hash);
  var startFlow = match ? Number(match[1]) : 0;
  var startStep = match && match[2] ? Number(match[2]) - 1 : 0;
  if (!data.flows[startFlow]) startFlow = 0;
  if (data.flows.length) show(startFlow, startStep);
})();
