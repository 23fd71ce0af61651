// archflow evolution page: shows one version at a time over the one diagram. Reads each
// version's element states from #hx-data (a letter per cluster #af-c…, node #af-n… and edge
// #af-e…: x absent, s same, a added, r removed, c changed) and loads nothing. Without it,
// every version is listed under the diagram.
(function () {
  'use strict';
  var source = document.getElementById('hx-data');
  var stepper = document.getElementById('hx-stepper');
  if (!source || !stepper) return;
  var data = JSON.parse(source.textContent);
  var count = data.versions.length;
  if (!count) return;
  var STATES = { x: 'hx-absent', s: 'hx-same', a: 'hx-added', r: 'hx-removed', c: 'hx-changed' };
  var BADGES = { a: '+', r: '\u2212', c: '~' };
  var CLASSES = Object.keys(STATES).map(function (k) { return STATES[k]; });
  var articles = Array.prototype.slice.call(document.querySelectorAll('.hx-version[data-version]'));
  var links = Array.prototype.slice.call(document.querySelectorAll('.hx-version-link[data-version]'));
  var prev = stepper.querySelector('[data-action=prev]');
  var next = stepper.querySelector('[data-action=next]');
  var number = stepper.querySelector('[data-role=number]');
  var title = stepper.querySelector('[data-role=title]');
  var at = -1;

  document.documentElement.classList.add('js');
  // The address names a version, not a place to scroll to: the articles give up their ids
  // (without the script, #version-N jumps to the version's text).
  articles.forEach(function (a) {
    a.dataset.anchor = a.id;
    a.removeAttribute('id');
  });
  stepper.querySelector('.hx-walk').hidden = false;
  stepper.querySelector('.hx-hint').hidden = false;

  // The diagram's elements, and the texts whose words change between versions (the union's
  // own words are kept to come back to).
  function byId(prefix, n) {
    var out = [];
    for (var i = 0; i < n; i += 1) out.push(document.getElementById(prefix + i));
    return out;
  }
  var first = data.versions[0];
  var clusters = byId('af-c', first.clusters.length);
  var nodes = byId('af-n', first.nodes.length);
  var edges = byId('af-e', first.edges.length);
  var titles = clusters.map(function (_, i) {
    return Array.prototype.slice.call(document.querySelectorAll('.titles [data-c="' + i + '"]'));
  });
  function remember(el) {
    if (el && !('base' in el.dataset)) el.dataset.base = el.textContent;
    return el;
  }
  var nodeTexts = nodes.map(function (n) {
    return n ? [remember(n.querySelector('text.name')), remember(n.querySelector('text.detail'))] : [null, null];
  });
  var clusterTexts = titles.map(function (list) {
    return [remember(list.filter(function (t) { return t.classList.contains('title'); })[0] || null),
      remember(list.filter(function (t) { return t.classList.contains('detail'); })[0] || null)];
  });

  function mark(el, letter) {
    if (!el) return;
    CLASSES.forEach(function (c) { el.classList.remove(c); });
    el.classList.add(STATES[letter] || 'hx-same');
  }
  function badge(id, letter) {
    var el = document.getElementById(id);
    if (!el) return;
    mark(el, letter);
    el.textContent = BADGES[letter] || '';
  }
  function words(texts, labels) {
    texts.forEach(function (pair) {
      pair.forEach(function (t) { if (t) t.textContent = t.dataset.base; });
    });
    labels.forEach(function (l) {
      var pair = texts[l.index];
      if (!pair) return;
      if (pair[0]) pair[0].textContent = l.label;
      if (pair[1]) pair[1].textContent = l.detail === null ? '' : l.detail;
    });
  }

  function show(k, how) {
    k = Math.max(0, Math.min(count - 1, k));
    var v = data.versions[k];
    at = k;
    clusters.forEach(function (el, i) {
      var s = v.clusters.charAt(i);
      mark(el, s);
      titles[i].forEach(function (t) { mark(t, s); });
      badge('hx-bc' + i, s);
    });
    nodes.forEach(function (el, i) {
      mark(el, v.nodes.charAt(i));
      badge('hx-bn' + i, v.nodes.charAt(i));
      // A hidden component cannot be reached with the keyboard or read out.
      if (el) el.setAttribute('aria-hidden', String(v.nodes.charAt(i) === 'x'));
    });
    edges.forEach(function (el, i) {
      mark(el, v.edges.charAt(i));
      badge('hx-be' + i, v.edges.charAt(i));
    });
    words(nodeTexts, v.node_labels);
    words(clusterTexts, v.cluster_labels);
    articles.forEach(function (a, i) { a.classList.toggle('is-current', i === k); });
    links.forEach(function (a, i) {
      if (i === k) a.setAttribute('aria-current', 'step');
      else a.removeAttribute('aria-current');
    });
    if (number) number.textContent = String(k + 1);
    var heading = articles[k] && articles[k].querySelector('h2');
    if (title && heading) title.textContent = heading.textContent.replace(/^\s*\d+\s*/, '');
    if (prev) prev.disabled = k === 0;
    if (next) next.disabled = k === count - 1;
    var hash = '#version-' + (k + 1);
    if (how !== 'hash' && window.location.hash !== hash) {
      window.history.replaceState(null, '', hash);
    }
  }

  // The version the address names, or -1.
  function fromHash() {
    var m = /^#version-(\d+)$/.exec(window.location.hash);
    if (!m) return -1;
    var k = Number(m[1]) - 1;
    return k >= 0 && k < count ? k : -1;
  }

  if (prev) prev.addEventListener('click', function () { show(at - 1); });
  if (next) next.addEventListener('click', function () { show(at + 1); });
  links.forEach(function (a, i) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      show(i);
    });
  });
  stepper.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (!stepper.contains(document.activeElement)) return;
    var tag = document.activeElement && document.activeElement.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
    if (e.key === 'ArrowLeft' && at > 0) {
      e.preventDefault();
      show(at - 1);
    } else if (e.key === 'ArrowRight' && at < count - 1) {
      e.preventDefault();
      show(at + 1);
    }
  });
  window.addEventListener('hashchange', function () {
    var k = fromHash();
    if (k >= 0 && k !== at) show(k, 'hash');
  });
  var start = fromHash();
  show(start >= 0 ? start : 0, start >= 0 ? 'hash' : 'start');
}());
