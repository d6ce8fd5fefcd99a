// anyloop report: opens a host's plan on click, filters hosts and services by the search box. Plain, no library:
// everything it shows comes from the JSON block below and is set as text, never parsed as markup.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('anyloop-data').textContent);
  var plan = document.getElementById('plan');
  var search = document.getElementById('search');
  var count = document.getElementById('search-count');
  var selected = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function openHost(i) {
    var h = data.hosts[i];
    if (!h) return;
    plan.replaceChildren();
    var head = el('div', 'plan-head');
    head.appendChild(el('h2', null, h.name));
    var close = el('button', 'close', '\u00d7');
    close.type = 'button';
    close.setAttribute('aria-label', 'close the plan');
    close.addEventListener('click', closePlan);
    head.appendChild(close);
    plan.appendChild(head);
    plan.appendChild(el('p', 'role', h.role + (h.comment ? ' \u2014 ' + h.comment : '')));
    h.sections.forEach(function (s) {
      plan.appendChild(el('h3', null, s.title));
      plan.appendChild(el('pre', null, s.lines.join('\n')));
    });
    plan.hidden = false;
    plan.setAttribute('data-host', h.name);
    if (selected) selected.classList.remove('selected');
    selected = document.getElementById('h-' + i);
    if (selected) selected.classList.add('selected');
    plan.focus();
  }

  function closePlan() {
    plan.hidden = true;
    if (selected) selected.classList.remove('selected');
    selected = null;
  }

  function openSegment(name) {
    document.querySelectorAll('details.group').forEach(function (d) {
      if (d.getAttribute('data-segment') === name) {
        d.open = true;
        d.scrollIntoView({block: 'start'});
      }
    });
  }

  function activate(target) {
    var link = target.closest('[data-h]');
    if (link) return openHost(Number(link.getAttribute('data-h'))), true;
    var node = target.closest('g.host');
    if (node) return openHost(Number(node.id.slice(2))), true;
    var fold = target.closest('g.fold');
    if (fold) return openSegment(fold.getAttribute('data-segment')), true;
    return false;
  }

  document.addEventListener('click', function (ev) { activate(ev.target); });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') return closePlan();
    if ((ev.key === 'Enter' || ev.key === ' ') && ev.target.closest && ev.target.closest('g.host, g.fold')) {
      ev.preventDefault();
      activate(ev.target);
    }
  });

  function filter() {
    var q = search.value.trim().toLowerCase();
    var hosts = 0, services = 0, first = -1;
    data.hosts.forEach(function (h, i) {
      var hit = q !== '' && h.search.indexOf(q) >= 0;
      if (hit) { hosts++; if (first < 0) first = i; }
      var node = document.getElementById('h-' + i);
      if (node) {
        node.classList.toggle('match', hit);
        node.classList.toggle('dim', q !== '' && !hit);
      }
    });
    document.querySelectorAll('[data-h-item]').forEach(function (li) {
      var h = data.hosts[Number(li.getAttribute('data-h-item'))];
      li.classList.toggle('hidden-by-search', q !== '' && h.search.indexOf(q) < 0);
    });
    document.querySelectorAll('details.group').forEach(function (d) {
      var shown = d.querySelectorAll('[data-h-item]:not(.hidden-by-search)').length;
      d.classList.toggle('hidden-by-search', q !== '' && shown === 0);
      if (q !== '' && shown > 0) d.open = true;
    });
    document.querySelectorAll('details.service').forEach(function (d) {
      var hit = q === '' || data.services[Number(d.getAttribute('data-s'))].indexOf(q) >= 0;
      if (hit && q !== '') services++;
      d.classList.toggle('hidden-by-search', !hit);
    });
    count.textContent = q === '' ? '' : hosts + (hosts === 1 ? ' host, ' : ' hosts, ') + services
        + (services === 1 ? ' service match' : ' services match');
    return first;
  }

  search.addEventListener('input', filter);
  search.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') {
      var first = filter();
      if (first >= 0) openHost(first);
    }
  });
}());
