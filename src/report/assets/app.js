/*
 * The HTML report's page: renders window.XENOPORT_REPORT (data.js, the ReportData of
 * src/report/data.ts) into the sections of index.html. Runs from file:// with no
 * network: uPlot (window.uPlot) draws the hypercall timeline, jsdiff (window.Diff)
 * makes the diffs. Each section sets data-rendered="yes" when drawn, or shows why it
 * is empty; an error in one section is reported on the console and in the section,
 * and the others still render.
 */
(function () {
  'use strict';
  var D = window.XENOPORT_REPORT;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function secs(ms) { return ms == null ? '' : (ms / 1000).toFixed(1) + ' s'; }
  function empty(sec, why) { sec.appendChild(el('p', { class: 'empty', text: why })); }
  function section(id, render) {
    var sec = document.getElementById(id);
    try {
      render(sec);
      sec.setAttribute('data-rendered', 'yes');
    } catch (e) {
      console.error('report section ' + id + ': ' + (e && e.stack || e));
      sec.appendChild(el('p', { class: 'error', text: 'this section could not be drawn: ' + e }));
    }
  }
  /** Lines of a unified diff, coloured. */
  function patchView(patch) {
    var pre = el('pre', { class: 'diff' });
    patch.split('\n').forEach(function (l) {
      var cls = /^(\+\+\+|---)/.test(l) ? 'meta' : l[0] === '+' ? 'add' : l[0] === '-' ? 'del' : l[0] === '@' ? 'hunk' : '';
      pre.appendChild(el('span', { class: cls, text: l + '\n' }));
    });
    return pre;
  }

  document.getElementById('title').textContent = D.title;
  document.getElementById('subtitle').textContent = 'written ' + D.generated + ' by xenoport ' + D.tool +
    (D.timings ? '; stages: ' + D.timings.map(function (t) { return t.stage + ' ' + secs(t.ms); }).join(', ') : '');
  var toc = document.getElementById('toc');
  Array.prototype.forEach.call(document.querySelectorAll('main > section'), function (s) {
    toc.appendChild(el('a', { href: '#' + s.id, text: s.querySelector('h2').textContent }));
  });

  section('steps', function (sec) {
    var t = el('table', { class: 'steps' }, [el('tr', {}, ['step', 'what the plan says', 'what xenoport did', 'status', 'time'].map(function (h) { return el('th', { text: h }); }))]);
    D.steps.forEach(function (s) {
      t.appendChild(el('tr', { class: 'step-row' }, [
        el('td', { text: String(s.n) }), el('td', { text: s.plan }), el('td', { text: s.did }),
        el('td', {}, [el('span', { class: 'badge ' + s.status.replace(' ', '-'), text: s.status })]),
        el('td', { class: 'num', text: secs(s.ms) }),
      ]));
    });
    sec.appendChild(t);
  });

  section('findings', function (sec) {
    var S = D.scan;
    if (!S || !S.findings.length) return empty(sec, 'no scan findings in this run');
    var byFile = {};
    S.findings.forEach(function (f) { (byFile[f.file] = byFile[f.file] || []).push(f); });
    var files = Object.keys(byFile).sort(function (a, b) { return byFile[b].length - byFile[a].length || (a < b ? -1 : 1); });
    var max = byFile[files[0]].length;
    var cats = {};
    S.findings.forEach(function (f) { cats[f.category] = (cats[f.category] || 0) + 1; });
    sec.appendChild(el('p', { text: S.findings.length + ' findings in ' + files.length + ' of ' + S.files + ' files. A tile is a file, its colour the number of findings; click one for its findings.' }));
    if (S.audit) sec.appendChild(el('p', { class: 'audit-summary', text: 'Audit (' + S.audit.file + '): ' + S.audit.open + ' open, ' + S.audit.ported + ' ported, ' + S.audit.accepted + ' accepted' + (S.audit.stale ? '; ' + S.audit.stale + ' stale entries' : '') + '.' }));
    sec.appendChild(el('div', { class: 'chips' }, Object.keys(cats).sort().map(function (c) {
      return el('span', { class: 'chip cat-' + c, text: c + ' ' + cats[c] });
    })));
    var tiles = el('div', { class: 'tiles' });
    var list = el('div', { class: 'finding-list' });
    function show(file) {
      list.textContent = '';
      Array.prototype.forEach.call(tiles.children, function (t) { t.classList.toggle('selected', t.getAttribute('data-file') === file); });
      list.appendChild(el('h3', { text: file }));
      byFile[file].forEach(function (f) {
        var frame = el('pre', { class: 'frame' });
        if (f.frame) f.frame[1].forEach(function (l, i) {
          var n = f.frame[0] + i;
          frame.appendChild(el('span', { class: n === f.line ? 'here' : '', text: String(n).padStart(5) + '  ' + l + '\n' }));
        });
        list.appendChild(el('div', { class: 'finding' }, [
          el('div', { class: 'finding-head' }, [el('span', { class: 'chip cat-' + f.category, text: f.category }), ' ', el('code', { text: f.rule }), ' at ' + f.file + ':' + f.line + ':' + f.col].concat(f.audit ? [' ', el('span', { class: 'chip audit-' + f.audit.status, title: f.audit.reason || '', text: f.audit.status + (f.audit.reason ? ': ' + f.audit.reason : '') })] : [])),
          frame,
          el('p', { class: 'use', text: 'under Xen: ' + f.message }),
        ]));
      });
    }
    files.forEach(function (file) {
      var n = byFile[file].length;
      var heat = Math.round(40 + 180 * (n / max));
      var per = {};
      byFile[file].forEach(function (f) { per[f.category] = (per[f.category] || 0) + 1; });
      var t = el('button', { class: 'tile', 'data-file': file, title: Object.keys(per).map(function (c) { return c + ': ' + per[c]; }).join('\n'), style: 'background: rgb(255,' + (255 - heat) + ',' + (235 - heat) + ')' }, [
        el('span', { class: 'tile-name', text: file.split('/').slice(-2).join('/') }), el('span', { class: 'tile-count', text: String(n) }),
      ]);
      t.addEventListener('click', function () { show(file); });
      tiles.appendChild(t);
    });
    sec.appendChild(tiles);
    sec.appendChild(list);
    show(files[0]);
  });

  section('iterations', function (sec) {
    var P = D.port;
    if (!P) return empty(sec, 'the port loop did not run');
    sec.appendChild(el('p', { text: P.iterations.length + ' boots, ' + P.switched.length + ' rules switched to hypercall mode; ' + P.outcome + ': ' + P.message }));
    P.iterations.forEach(function (it) {
      var d = el('details', { class: 'iteration' });
      if (it.n === 1) d.setAttribute('open', '');
      var what = it.sites.length ? [el('code', { text: it.rule }), ' stub hit at ' + (it.original || '?') + ': switched to hypercall mode'] : [it.line.replace(/^\d+: /, '')];
      var summary = el('summary', {}, [el('b', { text: '#' + it.n + ' ' })].concat(what, [el('span', { class: 'label', text: '  xenify ' + secs(it.ms.xenify) + ', compile ' + secs(it.ms.build) + ', boot ' + secs(it.ms.boot) + (it.cached ? ' (from the cache)' : '') })]));
      d.appendChild(summary);
      if (it.original) d.appendChild(el('div', { class: 'where' }, [el('span', { class: 'label', text: 'original ' }), el('code', { text: it.original }), el('pre', { text: it.originalLine || '' })]));
      if (it.generated) d.appendChild(el('div', { class: 'where' }, [el('span', { class: 'label', text: 'i386-xeno ' }), el('code', { text: it.generated }), el('pre', { text: it.generatedLine || '' })]));
      if (it.sites.length) {
        d.appendChild(el('p', { text: 'switching ' + it.rule + ' changed ' + it.sites.length + ' site(s):' }));
        it.sites.forEach(function (s) {
          d.appendChild(patchView(Diff.createTwoFilesPatch(s.file + ' (breakpoint)', s.file + ' (hypercall)', s.before + '\n', s.after + '\n', s.where, s.where)));
        });
      }
      sec.appendChild(d);
    });
  });

  function walkPicture(lines) {
    var pic = el('div', { class: 'walk' });
    lines.forEach(function (l, i) {
      if (i) pic.appendChild(el('div', { class: 'arrow', text: '\u2193' }));
      var cls = /^VA /.test(l) ? 'va' : /^L2/.test(l) ? 'l2' : /^L1/.test(l) ? 'l1' : /^=>/.test(l) ? 'fail' : 'frame';
      pic.appendChild(el('div', { class: 'walk-box ' + cls, text: l }));
    });
    return pic;
  }

  section('reports', function (sec) {
    var its = (D.port ? D.port.iterations : []).filter(function (it) { return it.report; });
    if (!its.length) return empty(sec, 'no boot was terminated: the final boot ended cleanly');
    its.forEach(function (it, k) {
      var r = it.report;
      var d = el('details', { class: 'report' + (k === its.length - 1 ? ' last' : '') });
      if (k === its.length - 1) d.setAttribute('open', '');
      d.appendChild(el('summary', {}, ['boot ' + it.n + ': ', el('b', { text: r.kind }), ' ' + r.reason]));
      var facts = el('dl', {});
      [['rule', r.rule], ['instruction', r.instruction], ['function', r.function], ['original', r.original], ['generated', r.generated], ['last exception', r.lastException], ['after', r.steps + ' steps']].forEach(function (p) {
        if (p[1]) { facts.appendChild(el('dt', { text: p[0] })); facts.appendChild(el('dd', { text: String(p[1]) })); }
      });
      d.appendChild(facts);
      var regs = el('div', { class: 'regs' });
      Object.keys(r.registers).forEach(function (n) { regs.appendChild(el('span', { text: n + '=' + ('0000000' + (r.registers[n] >>> 0).toString(16)).slice(-8) })); });
      d.appendChild(regs);
      d.appendChild(el('h4', { text: 'page-table walk' }));
      if (r.walk && r.walk.length) d.appendChild(walkPicture(r.walk));
      else d.appendChild(el('p', { class: 'empty', text: 'no faulting address, no walk (a ' + r.kind + ' stops at an instruction, not at an access)' }));
      if (r.hypercalls && r.hypercalls.length) {
        d.appendChild(el('h4', { text: 'last ' + r.hypercalls.length + ' hypercalls' }));
        d.appendChild(el('pre', { class: 'calls', text: r.hypercalls.map(function (c) { return '#' + c.seq + ' ' + c.name + ' = ' + c.result + (c.detail ? '  [' + c.detail + ']' : ''); }).join('\n') }));
      }
      sec.appendChild(d);
    });
  });

  section('timeline', function (sec) {
    var T = D.timeline;
    if (!T || !T.steps.length) return empty(sec, 'no boot events recorded');
    // One row per hypercall kind (most frequent at the bottom), then traps, upcalls and the end.
    var rows = [];
    var rowOf = {};
    var seen = {};
    T.steps.forEach(function (_, i) { var key = T.kinds[i] + ':' + T.names[T.nameIds[i]]; seen[key] = (seen[key] || 0) + 1; });
    Object.keys(seen).sort(function (a, b) {
      var ka = a.split(':')[0] === 'hypercall' ? 0 : 1, kb = b.split(':')[0] === 'hypercall' ? 0 : 1;
      return ka - kb || seen[b] - seen[a];
    }).forEach(function (key) { rowOf[key] = rows.length; rows.push(key); });
    var xs = [], ys = [], hypercalls = 0;
    T.steps.forEach(function (s, i) {
      xs.push(s);
      ys.push(rowOf[T.kinds[i] + ':' + T.names[T.nameIds[i]]]);
      if (T.kinds[i] === 'hypercall') hypercalls++;
    });
    var palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
    // uPlot needs one y array per series over the shared x: a series per row, null elsewhere.
    var data = [xs];
    var series = [{ label: 'guest instructions' }];
    rows.forEach(function (key, r) {
      data.push(ys.map(function (y) { return y === r ? r : null; }));
      series.push({ label: key.replace(/^hypercall:/, ''), stroke: palette[r % palette.length], paths: function () { return null; }, points: { show: true, size: 5, fill: palette[r % palette.length] } });
    });
    var box = el('div', { id: 'timeline-chart' });
    sec.appendChild(el('p', { text: hypercalls + ' hypercalls and ' + (T.steps.length - hypercalls) + ' other events over ' + T.total + ' guest instructions (x); a row per kind.' }));
    sec.appendChild(box);
    var width = Math.max(600, Math.min(1400, sec.clientWidth || 1000));
    new uPlot({
      width: width,
      height: Math.max(180, 70 + 26 * rows.length),
      scales: { x: { time: false }, y: { range: [-0.5, rows.length - 0.5] } },
      axes: [{ label: 'guest instructions', values: function (u, vals) { return vals.map(function (v) { return v >= 1e6 ? +(v / 1e6).toFixed(2) + 'M' : v >= 1e3 ? +(v / 1e3).toFixed(1) + 'k' : String(v); }); } }, { size: 150, splits: function () { return rows.map(function (_, i) { return i; }); }, values: function (u, vals) { return vals.map(function (v) { return (rows[v] || '').replace(/^hypercall:/, ''); }); } }],
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      series: series,
    }, data, box);
    sec.setAttribute('data-points', String(xs.length));
    sec.setAttribute('data-hypercalls', String(hypercalls));
  });

  section('counts', function (sec) {
    var T = D.timeline;
    if (!T) return empty(sec, 'no final boot');
    var rows = Object.keys(T.counts).map(function (k) { return [k, T.counts[k]]; }).sort(function (a, b) { return b[1] - a[1]; });
    var max = rows.length ? rows[0][1] : 1;
    var total = rows.reduce(function (n, r) { return n + r[1]; }, 0);
    var chart = el('div', { class: 'bars' });
    rows.forEach(function (r) {
      chart.appendChild(el('div', { class: 'bar-row' }, [
        el('span', { class: 'bar-label', text: r[0] }),
        el('span', { class: 'bar', style: 'width:' + Math.max(0.5, 100 * Math.log(1 + r[1]) / Math.log(1 + max)).toFixed(1) + '%' }),
        el('span', { class: 'bar-value', text: String(r[1]) }),
      ]));
    });
    sec.appendChild(el('p', { text: total + ' hypercalls in all (bar lengths on a log scale)' }));
    sec.appendChild(chart);
  });

  section('consoles', function (sec) {
    var C = D.consoles;
    if (!C || (C.native == null && C.xen == null)) return empty(sec, 'no consoles in this run');
    var parts = Diff.diffLines(C.native || '', C.xen || '');
    var left = el('pre', { class: 'console' }), right = el('pre', { class: 'console' });
    var changed = 0;
    parts.forEach(function (p) {
      var cls = p.added ? 'add' : p.removed ? 'del' : '';
      if (cls) changed += p.count || 0;
      if (!p.added) left.appendChild(el('span', { class: cls, text: p.value }));
      if (!p.removed) right.appendChild(el('span', { class: cls, text: p.value }));
    });
    sec.appendChild(el('p', { text: changed + ' lines differ; marked in red (only in the native boot) and green (only under Xen).' }));
    sec.appendChild(el('div', { class: 'side-by-side' }, [
      el('div', {}, [el('h3', { text: C.nativeLabel || 'native' }), left]),
      el('div', {}, [el('h3', { text: 'Xen (the ported kernel)' }), right]),
    ]));
  });
  section('suite', function (sec) {
    var S = D.suite;
    if (!S || !S.parts.length) return empty(sec, 'the validation suite did not run in this run');
    var total = function (h) { var n = 0; for (var k in h) n += h[k]; return n; };
    var kinds = {};
    S.parts.forEach(function (p) { for (var k in p.hypercalls) kinds[k] = (kinds[k] || 0) + p.hypercalls[k]; });
    // The three kinds the suite makes most of get a column each; the rest are in "all".
    var top = Object.keys(kinds).sort(function (a, b) { return kinds[b] - kinds[a]; }).slice(0, 3);
    var maxSteps = Math.max.apply(null, S.parts.map(function (p) { return p.steps; }).concat([1]));
    sec.appendChild(el('p', { class: 'suite-summary', text: (S.summary || 'the suite did not finish') + ' (root: ' + S.root + '). A row per program as /sbin/init ran it; the bar is its guest instructions.' }));
    var head = ['program', 'result', 'guest instructions', ''].concat(top, ['all hypercalls']);
    var t = el('table', { class: 'steps suite' }, [el('tr', {}, head.map(function (h) { return el('th', { text: h }); }))]);
    S.parts.forEach(function (p) {
      var status = p.passed === undefined ? '' : p.passed ? 'done' : 'failed';
      t.appendChild(el('tr', { class: 'suite-row' }, [
        el('td', { class: 'mono', text: p.name }),
        el('td', {}, [status ? el('span', { class: 'badge ' + status, text: p.passed ? 'PASS' : 'FAIL' }) : null]),
        el('td', { class: 'num', text: String(p.steps) }),
        el('td', { class: 'bar-cell' }, [el('span', { class: 'bar', style: 'width:' + Math.max(0.5, 100 * p.steps / maxSteps).toFixed(1) + '%' })]),
      ].concat(top.map(function (k) { return el('td', { class: 'num', text: String(p.hypercalls[k] || 0) }); }), [el('td', { class: 'num', text: String(total(p.hypercalls)) })])));
    });
    sec.appendChild(t);
  });
})();
