/**
 * The browser script of the stats page (the CLI's HTML report and the VS Code dashboard):
 * it reads the statistics from the page's JSON element, draws the plots with Chart.js, and
 * redraws when the dashboard posts `groundwork/stats` with fresh figures. Plain ES2020 in a
 * string: it runs in the page, never in Node, and io code compiles without DOM types.
 */

/** The page script; expects `Chart` (the inlined library) and `#gw-stats` (JSON data). */
export const STATS_PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var charts = [];
  var COLORS = ['#2e7d32', '#f9a825', '#c62828', '#90a4ae', '#1565c0', '#6a1b9a', '#00838f', '#ef6c00'];
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function fmt(v, digits) {
    return v === null || v === undefined ? '-' : Number(v).toFixed(digits === undefined ? 2 : digits);
  }
  function table(head, rows) {
    var t = el('table');
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', {}, h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) { row.appendChild(el('td', {}, c)); });
      t.appendChild(row);
    });
    return t;
  }
  function section(root, id, title, note) {
    var s = el('section', { id: id });
    s.appendChild(el('h2', {}, title));
    if (note) s.appendChild(el('p', { class: 'note' }, note));
    root.appendChild(s);
    return s;
  }
  function chart(parent, config) {
    var box = el('div', { class: 'chart' });
    var canvas = el('canvas');
    box.appendChild(canvas);
    parent.appendChild(box);
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options || {});
    charts.push(new Chart(canvas, config));
  }
  function empty(parent, text) { parent.appendChild(el('p', { class: 'empty' }, text)); }
  function draw(data) {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    var st = data.stats;
    var root = document.getElementById('gw-root');
    root.textContent = '';
    var head = el('header');
    head.appendChild(el('h1', {}, 'Groundwork statistics'));
    head.appendChild(el('p', { class: 'file' }, data.title));
    var status = Object.keys(st.sampleStatus).map(function (k) { return k + ' ' + st.sampleStatus[k]; }).join(', ');
    head.appendChild(el('p', { class: 'summary' }, st.samples + ' samples (' + (status || 'none') + '), ' + st.entities + ' entities, ' + st.drawnWithoutProposal + ' drawn without a proposal'));
    root.appendChild(head);

    var rows = st.proposals.filter(function (r) { return r.kind === 'all'; });
    var s1 = section(root, 'outcomes', 'Proposal outcomes per model', 'How each source\'s proposals ended: accepted as is, edited, not groundable, or still open.');
    if (!rows.length) empty(s1, 'No proposals in this dataset.');
    else {
      var parts = [['accepted', 'accepted as is'], ['edited', 'edited'], ['notGroundable', 'not groundable'], ['open', 'open']];
      chart(s1, { type: 'bar', data: { labels: rows.map(function (r) { return r.source; }), datasets: parts.map(function (p, i) {
        return { label: p[1], data: rows.map(function (r) { return r[p[0]]; }), backgroundColor: COLORS[i] };
      }) }, options: { indexAxis: 'y', scales: { x: { stacked: true, ticks: { precision: 0 }, title: { display: true, text: 'proposals' } }, y: { stacked: true } } } });
      s1.appendChild(table(['source', 'kind', 'proposals', 'accepted', 'edited', 'not groundable', 'open', 'acceptance', 'IoU median', 'moved px median', 'moved norm median'],
        st.proposals.map(function (r) { return [r.source, r.kind, r.proposals, r.accepted, r.edited, r.notGroundable, r.open, fmt(r.acceptanceRate), fmt(r.iou.median), fmt(r.displacementPx.median, 1), fmt(r.displacementNorm.median, 1)]; })));
    }

    var s2 = section(root, 'iou', 'IoU between proposal and final box', 'Object boxes on the same frame; a proposal accepted as is counts 1.');
    var withIou = rows.filter(function (r) { return r.iou.count > 0; });
    if (!withIou.length) empty(s2, 'No proposal boxes were decided yet.');
    else chart(s2, { type: 'bar', data: { labels: withIou[0].iou.bins.map(function (b) { return fmt(b.from, 1) + '-' + fmt(b.to, 1); }), datasets: withIou.map(function (r, i) {
      return { label: r.source + ' (median ' + fmt(r.iou.median) + ', n=' + r.iou.count + ')', data: r.iou.bins.map(function (b) { return b.count; }), backgroundColor: COLORS[(i + 4) % COLORS.length] };
    }) }, options: { scales: { x: { title: { display: true, text: 'IoU' } }, y: { title: { display: true, text: 'entities' }, ticks: { precision: 0 } } } } });

    var people = st.people;
    var s3 = section(root, 'time', 'Time per entity per person', 'Seconds spent on one entity: median and 90th percentile.');
    if (!people.timePerEntity.length) empty(s3, 'No timed entities yet.');
    else {
      chart(s3, { type: 'bar', data: { labels: people.timePerEntity.map(function (p) { return p.person; }), datasets: [
        { label: 'median (s)', data: people.timePerEntity.map(function (p) { return p.timeMs.median / 1000; }), backgroundColor: COLORS[4] },
        { label: 'p90 (s)', data: people.timePerEntity.map(function (p) { return p.timeMs.p90 / 1000; }), backgroundColor: COLORS[5] }
      ] }, options: { scales: { y: { title: { display: true, text: 'seconds' } } } } });
      s3.appendChild(table(['person', 'entities', 'median s', 'p90 s', 'total min'], people.timePerEntity.map(function (p) {
        return [p.person, p.entities, fmt(p.timeMs.median / 1000, 1), fmt(p.timeMs.p90 / 1000, 1), fmt(p.totalMs / 60000, 1)];
      })));
    }

    var s4 = section(root, 'throughput', 'Throughput per person per day', 'Entities decided per UTC day.');
    if (!people.throughput.length) empty(s4, 'No dated work yet (files before identity was recorded have no times).');
    else {
      var days = Array.from(new Set(people.throughput.map(function (t) { return t.day; }))).sort();
      var who = Array.from(new Set(people.throughput.map(function (t) { return t.person; }))).sort();
      chart(s4, { type: 'bar', data: { labels: days, datasets: who.map(function (p, i) {
        return { label: p, data: days.map(function (d) { var hit = people.throughput.find(function (t) { return t.person === p && t.day === d; }); return hit ? hit.entities : 0; }), backgroundColor: COLORS[(i + 4) % COLORS.length] };
      }) }, options: { scales: { y: { title: { display: true, text: 'entities' }, ticks: { precision: 0 } } } } });
    }

    var s5 = section(root, 'reviews', 'Reviewer rejection rate', 'Review decisions per reviewer (approved, rejected); the label gives the rejection rate.');
    var reviewers = people.reviews.filter(function (r) { return r.reviewer !== 'all'; });
    if (!reviewers.length) empty(s5, 'No reviews yet.');
    else {
      // Counts stacked, the rate in the label: a reviewer who rejects nothing still shows a bar.
      chart(s5, { type: 'bar', data: { labels: reviewers.map(function (r) { return r.reviewer + ' (rate ' + fmt(r.rejectionRate) + ')'; }), datasets: [
        { label: 'approved', data: reviewers.map(function (r) { return r.approved; }), backgroundColor: COLORS[0] },
        { label: 'rejected', data: reviewers.map(function (r) { return r.rejected; }), backgroundColor: COLORS[2] }
      ] }, options: { scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 }, title: { display: true, text: 'review decisions' } } } } });
      s5.appendChild(table(['reviewer', 'reviewed', 'approved', 'rejected', 'rate'], people.reviews.map(function (r) {
        return [r.reviewer, r.reviewed, r.approved, r.rejected, fmt(r.rejectionRate)];
      })));
    }

    if (data.agreement) {
      var a = data.agreement;
      var s6 = section(root, 'agreement', 'Agreement between ' + data.agreementWith, a.samples + ' shared samples, ' + a.entities + ' shared entities, ' + a.compared + ' boxes compared: IoU mean ' + fmt(a.iou.mean) + ', median ' + fmt(a.iou.median) + '.');
      if (a.perEntity.length) {
        var bins = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        a.perEntity.forEach(function (p) { bins[Math.min(9, Math.floor(p.iou * 10))]++; });
        chart(s6, { type: 'bar', data: { labels: bins.map(function (_b, k) { return fmt(k / 10, 1) + '-' + fmt((k + 1) / 10, 1); }), datasets: [
          { label: 'entities grounded in both', data: bins, backgroundColor: COLORS[6] }
        ] }, options: { scales: { x: { title: { display: true, text: 'IoU between the two files' } }, y: { ticks: { precision: 0 } } } } });
      }
      s6.appendChild(table(['both not groundable', 'groundable differs', 'frame differs', 'not boxes', 'undecided'], [[a.bothNotGroundable, a.groundableDiffers, a.frameDiffers, a.notBoxes, a.undecided]]));
    }
    document.body.setAttribute('data-drawn', String(charts.length));
  }
  var data = JSON.parse(document.getElementById('gw-stats').textContent);
  draw(data);
  window.addEventListener('message', function (event) {
    var msg = event.data;
    if (msg && msg.type === 'groundwork/stats') draw(msg.data);
  });
})();
`;
