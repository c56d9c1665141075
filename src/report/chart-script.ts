// The one browser script that draws the charts of the report and of the live page, with uPlot, from chart specs
// (chart-spec.ts): the report inlines it, the dashboard serves it at /assets/charts.js.

/**
 * JavaScript (ES2020, no modules) defining `window.autotuneCharts.draw(container, specs)`, which replaces the charts
 * in a container, and drawing every `figure.chart` of the page that carries its spec as inline JSON. Needs the
 * global `uPlot`.
 */
export const CHART_SCRIPT = `
(function () {
  'use strict';
  var plots = new WeakMap();
  var HINT = 'Point at a mark to see its trial.';
  function number(v) {
    if (typeof v !== 'number' || !isFinite(v)) return '';
    var a = Math.abs(v);
    return a >= 1000 ? Math.round(v).toLocaleString('en-US') : a >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3)));
  }
  function noPath() { return null; }
  function series(s) {
    var points = s.kind === 'points' || s.marked === true;
    return {
      label: s.label,
      stroke: s.color,
      width: s.kind === 'points' ? 1.2 : 2,
      dash: s.dash,
      spanGaps: true,
      paths: s.kind === 'points' ? noPath : s.kind === 'step' ? uPlot.paths.stepped({ align: 1 }) : undefined,
      points: { show: points, size: s.size || 6, width: 1.2, stroke: s.color, fill: s.hollow ? '#fff' : s.color },
    };
  }
  // Round ticks of a log axis: 1, 2 and 5 times powers of ten inside the range.
  function logSplits(u, axis, min, max) {
    var ticks = [];
    for (var e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      [1, 2, 5].forEach(function (m) {
        var v = Number((m * Math.pow(10, e)).toPrecision(6));
        if (v >= min && v <= max) ticks.push(v);
      });
    }
    return ticks;
  }
  function tickLabels(u, splits) { return splits.map(number); }
  function xAxis(spec) {
    var names = spec.x.categories;
    if (names) {
      return {
        label: spec.x.label,
        splits: function () { return names.map(function (_, i) { return i; }); },
        values: function (u, splits) { return splits.map(function (i) { return names[i] === undefined ? '' : names[i]; }); },
      };
    }
    return spec.x.log ? { label: spec.x.label, splits: logSplits, values: tickLabels } : { label: spec.x.label, values: tickLabels };
  }
  // A note across an empty plot.
  function note(spec) {
    return function (u) {
      if (!spec.note) return;
      var ctx = u.ctx;
      var ratio = window.devicePixelRatio || 1;
      ctx.save();
      ctx.fillStyle = '#6b7280';
      ctx.font = 12 * ratio + 'px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText(spec.note, u.bbox.left + u.bbox.width / 2, u.bbox.top + u.bbox.height / 2);
      ctx.restore();
    };
  }
  // Vertical rules (SLO bounds) across the plot box.
  function rules(spec) {
    return function (u) {
      var ctx = u.ctx;
      var ratio = window.devicePixelRatio || 1;
      (spec.rules || []).forEach(function (rule) {
        var x = u.valToPos(rule.x, 'x', true);
        if (!(x >= u.bbox.left && x <= u.bbox.left + u.bbox.width)) return;
        ctx.save();
        ctx.strokeStyle = rule.color;
        ctx.lineWidth = 1.5 * ratio;
        ctx.setLineDash([6 * ratio, 3 * ratio]);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.restore();
      });
    };
  }
  function draw(figure, spec) {
    var old = plots.get(figure);
    if (old) old.destroy();
    Array.prototype.forEach.call(figure.querySelectorAll('.chart-tip'), function (t) { t.remove(); });
    var room = figure.parentElement ? figure.parentElement.clientWidth - 16 : 0;
    var width = Math.max(280, Math.min(spec.width || 560, room > 0 ? room : 560));
    var shown = 0;
    spec.series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null) shown++; }); });
    var tip = document.createElement('div');
    tip.className = 'chart-tip';
    tip.textContent = HINT;
    var plot = new uPlot({
      title: spec.title,
      width: width,
      height: spec.height || 320,
      scales: {
        x: { time: false, distr: spec.x.log ? 3 : 1, range: function () { return spec.x.range; } },
        y: { range: function () { return spec.y.range; } },
      },
      axes: [xAxis(spec), { label: spec.y.label, size: 56, values: tickLabels }],
      cursor: { points: { show: false } },
      legend: { live: false },
      series: [{}].concat(spec.series.map(series)),
      hooks: {
        draw: [rules(spec), note(spec)],
        // The trial under the pointer, in words, below the plot.
        setCursor: [function (u) {
          var i = u.cursor.idx;
          tip.textContent = i === null || i === undefined ? HINT : spec.tips[i] || HINT;
        }],
      },
    }, [spec.xs].concat(spec.series.map(function (s) { return s.values; })), figure);
    figure.appendChild(tip);
    plots.set(figure, plot);
    figure.dataset.points = String(shown);
  }
  function figureFor(spec) {
    var figure = document.createElement('figure');
    figure.className = 'chart';
    figure.dataset.chart = spec.name;
    figure.setAttribute('aria-label', spec.title);
    return figure;
  }
  // Replaces the charts of a container with these.
  function drawAll(container, specs) {
    Array.prototype.forEach.call(container.querySelectorAll('figure.chart'), function (figure) {
      var old = plots.get(figure);
      if (old) old.destroy();
      figure.remove();
    });
    specs.forEach(function (spec) {
      var figure = figureFor(spec);
      container.appendChild(figure);
      draw(figure, spec);
    });
  }
  window.autotuneCharts = { draw: drawAll };
  Array.prototype.forEach.call(document.querySelectorAll('figure.chart > script[type="application/json"]'), function (source) {
    draw(source.parentElement, JSON.parse(source.textContent));
  });
})();
`;
