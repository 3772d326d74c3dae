/* Interactive figures of the lecture pages (neuro4ml.interactive).
 *
 * Each <figure class="n4ml-interactive"> holds its description as JSON
 * (<script type="application/json" class="n4ml-spec">). This script adds one native
 * range slider per parameter (keyboard operable: arrow keys step along the grid of
 * values) and one SVG per panel, and redraws on every slider move. Closed-form models
 * are computed below from the slider values, with the formulas of the library
 * functions named beside them; precomputed models ("grid") are looked up.
 * The data drawn last is kept on the figure element as `neuro4mlData` (for tests).
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];
  var W = 420, H = 250, M = { left: 56, right: 12, top: 24, bottom: 42 };

  function range(start, stop, step) {
    var n = Math.round((stop - start) / step), out = [];
    for (var i = 0; i <= n; i++) out.push(start + i * step);
    return out;
  }

  var MODELS = {
    // neuro4ml.neurons.lif (exact update, record then step) and lif_firing_rate_hz
    lif: function (p, c) {
      var n = Math.round(c.duration_ms / c.dt_ms), decay = Math.exp(-c.dt_ms / p.tau_ms),
        drive = -Math.expm1(-c.dt_ms / p.tau_ms), v = c.reset, t = [], V = [];
      for (var k = 0; k < n; k++) {
        t.push(k * c.dt_ms); V.push(v);
        v = decay * v + drive * p.I;
        if (v > c.threshold) v = c.reset;
      }
      var rate = function (I) {
        return I > c.threshold ? 1000 / (p.tau_ms * Math.log((I - c.reset) / (I - c.threshold))) : 0;
      };
      var I = range(0, 3, c.fi_step);
      return {
        panels: [[[t, V], [[0, c.duration_ms], [c.threshold, c.threshold]]],
                 [[I, I.map(rate)], [[p.I], [rate(p.I)]]]],
        readout: "firing rate " + rate(p.I).toFixed(1) + " Hz",
      };
    },
    // neuro4ml.synapses.exponential_kernel, alpha_kernel, biexponential_kernel,
    // biexponential_peak_time_ms, biexponential_peak_value
    kernels: function (p, c) {
      var tr = p.tau_rise_ms, td = p.tau_decay_ms, t = range(0, c.duration_ms, c.dt_ms);
      var peakT = tr * td / (td - tr) * Math.log(td / tr), peakV = Math.pow(tr / td, td / (td - tr));
      return {
        panels: [[[t, t.map(function (s) { return Math.exp(-s / td); })],
                  [t, t.map(function (s) { return s / td * Math.exp(-s / td); })],
                  [t, t.map(function (s) { return tr / (td - tr) * (Math.exp(-s / td) - Math.exp(-s / tr)); })],
                  [[peakT], [peakV]]]],
        readout: "biexponential peak at t* = " + peakT.toFixed(2) + " ms, value " + peakV.toFixed(3),
      };
    },
    // neuro4ml.synapses.tsodyks_markram for a regular train; PSP = sum of efficacy x exponential_kernel
    tsodyks_markram: function (p, c) {
      var isi = 1000 / p.rate_hz, n = c.n_spikes, u = [p.U], x = [1], times = [0], eff = [];
      var fdecay = p.tau_facil_ms > 0 ? Math.exp(-isi / p.tau_facil_ms) : 0, rdecay = Math.exp(-isi / p.tau_rec_ms);
      for (var k = 0; k < n - 1; k++) {
        u.push(p.U + u[k] * (1 - p.U) * fdecay);
        x.push(1 + (x[k] - u[k] * x[k] - 1) * rdecay);
        times.push((k + 1) * isi);
      }
      for (k = 0; k < n; k++) eff.push(u[k] * x[k]);
      var t = range(0, (n - 1) * isi + 5 * c.psp_tau_ms, c.dt_ms), psp = t.map(function (s) {
        var total = 0;
        for (var j = 0; j < n; j++) if (s >= times[j]) total += eff[j] * Math.exp(-(s - times[j]) / c.psp_tau_ms);
        return total;
      });
      var index = range(1, n, 1);
      return {
        panels: [[[t, psp]], [[index, eff], [index, u], [index, x]]],
        readout: "last/first efficacy " + (eff[n - 1] / eff[0]).toFixed(2),
      };
    },
    // neuro4ml.plasticity.stdp_window
    stdp_window: function (p, c) {
      var d = range(-c.half_width_ms, c.half_width_ms, c.dt_ms);
      var w = d.map(function (s) {
        return s > 0 ? c.A_plus * Math.exp(-s / p.tau_plus_ms) : s < 0 ? -p.A_minus * Math.exp(s / p.tau_minus_ms) : 0;
      });
      return {
        panels: [[[d, w]]],
        readout: "area ratio A₋τ₋ / A₊τ₊ = " + (p.A_minus * p.tau_minus_ms / (c.A_plus * p.tau_plus_ms)).toFixed(2),
      };
    },
  };

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function extent(values, fixed) {
    if (fixed) return fixed;
    var lo = Infinity, hi = -Infinity;
    values.forEach(function (v) { if (v < lo) lo = v; if (v > hi) hi = v; });
    if (!(hi > lo)) { lo = lo - 1; hi = lo + 2; }
    return [Math.min(lo, 0), hi * 1.05];
  }

  function ticks(lo, hi) {
    var span = hi - lo, step = Math.pow(10, Math.floor(Math.log10(span / 4)));
    if (span / step > 20) step *= 5; else if (span / step > 8) step *= 2;
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) out.push(+v.toPrecision(10));
    return out;
  }

  function drawPanel(svg, panel, series, clipId) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var xs = [], ys = [];
    series.forEach(function (s) { xs = xs.concat(s[0]); ys = ys.concat(s[1]); });
    var xr = extent(xs, panel.x_range), yr = extent(ys, panel.y_range);
    var pw = W - M.left - M.right, ph = H - M.top - M.bottom;
    var X = function (v) { return M.left + (v - xr[0]) / (xr[1] - xr[0]) * pw; };
    var Y = function (v) { return M.top + ph - (v - yr[0]) / (yr[1] - yr[0]) * ph; };
    var clip = el("clipPath", { id: clipId }, el("defs", {}, svg));
    el("rect", { x: M.left, y: M.top, width: pw, height: ph }, clip);
    el("rect", { x: M.left, y: M.top, width: pw, height: ph, fill: "none", stroke: "#888" }, svg);
    ticks(xr[0], xr[1]).forEach(function (v) {
      el("line", { x1: X(v), x2: X(v), y1: M.top + ph, y2: M.top + ph + 4, stroke: "#888" }, svg);
      el("text", { x: X(v), y: M.top + ph + 16, "text-anchor": "middle", "font-size": 11 }, svg).textContent = v;
    });
    ticks(yr[0], yr[1]).forEach(function (v) {
      el("line", { x1: M.left - 4, x2: M.left, y1: Y(v), y2: Y(v), stroke: "#888" }, svg);
      el("text", { x: M.left - 6, y: Y(v) + 4, "text-anchor": "end", "font-size": 11 }, svg).textContent = v;
    });
    el("text", { x: M.left + pw / 2, y: H - 6, "text-anchor": "middle", "font-size": 12 }, svg).textContent = panel.x_label;
    el("text", { x: 14, y: M.top + ph / 2, "text-anchor": "middle", "font-size": 12,
      transform: "rotate(-90 14 " + (M.top + ph / 2) + ")" }, svg).textContent = panel.y_label;
    el("text", { x: M.left, y: 15, "font-size": 12, "font-weight": "bold" }, svg).textContent = panel.title;
    var plot = el("g", { "clip-path": "url(#" + clipId + ")" }, svg);
    series.forEach(function (s, i) {
      var colour = COLOURS[i % COLOURS.length], style = panel.styles[i] || "line";
      var g = el("g", { "class": "n4ml-series", "data-name": panel.series[i] }, plot);
      if (style === "dots") {
        s[0].forEach(function (x, j) { el("circle", { cx: X(x), cy: Y(s[1][j]), r: 4, fill: colour }, g); });
      } else if (style === "bars") {
        var width = s[0].length > 1 ? (X(s[0][1]) - X(s[0][0])) * 0.9 : 10;
        s[0].forEach(function (x, j) {
          var top = Y(Math.max(s[1][j], 0)), base = Y(0);
          el("rect", { x: X(x) - width / 2, y: top, width: width, height: Math.max(base - top, 0), fill: colour }, g);
        });
      } else {
        var points = s[0].map(function (x, j) { return X(x).toFixed(1) + "," + Y(s[1][j]).toFixed(1); }).join(" ");
        var line = { points: points, fill: "none", stroke: colour, "stroke-width": 1.6 };
        if (style === "dashed") line["stroke-dasharray"] = "5 4";
        el("polyline", line, g);
      }
    });
    var legend = el("g", {}, svg);
    if (panel.series.length > 1) panel.series.forEach(function (name, i) {
      var y = M.top + 12 + 14 * i;
      el("rect", { x: W - M.right - 118, y: y - 8, width: 10, height: 10, fill: COLOURS[i % COLOURS.length] }, legend);
      el("text", { x: W - M.right - 104, y: y + 1, "font-size": 11 }, legend).textContent = name;
    });
  }

  // A precomputed position: x axes given by name are stored once in spec.constants.
  function lookUp(spec, index) {
    return spec.grid[index].map(function (panel) {
      return panel.map(function (s) { return [typeof s[0] === "string" ? spec.constants[s[0]] : s[0], s[1]]; });
    });
  }

  function setUp(figure) {
    var spec = JSON.parse(figure.querySelector("script.n4ml-spec").textContent);
    var controls = figure.querySelector(".n4ml-controls"), panels = figure.querySelector(".n4ml-panels");
    var inputs = spec.sliders.map(function (s, i) {
      var id = spec.id + "-" + s.name, row = document.createElement("div");
      row.className = "n4ml-slider";
      var label = document.createElement("label"), input = document.createElement("input"),
        output = document.createElement("output");
      label.htmlFor = id; label.textContent = s.label;
      input.type = "range"; input.id = id; input.min = 0; input.max = s.values.length - 1; input.step = 1;
      input.value = s.start; input.dataset.name = s.name;
      output.htmlFor = id;
      row.appendChild(label); row.appendChild(input); row.appendChild(output);
      controls.appendChild(row);
      return { slider: s, input: input, output: output };
    });
    var readout = document.createElement("p");
    readout.className = "n4ml-readout"; readout.setAttribute("aria-live", "polite");
    controls.appendChild(readout);
    var svgs = spec.panels.map(function (panel) {
      var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "class": "n4ml-panel",
        "aria-label": panel.title + ": " + panel.y_label + " against " + panel.x_label + " (" +
          panel.series.join(", ") + ")" });
      panels.appendChild(svg);
      return svg;
    });
    function update() {
      var params = {}, index = 0;
      inputs.forEach(function (item) {
        var i = +item.input.value, value = item.slider.values[i];
        params[item.slider.name] = value; index = i;
        var text = value + (item.slider.unit ? " " + item.slider.unit : "");
        item.output.textContent = text;
        item.input.setAttribute("aria-valuetext", text);
      });
      var result = spec.model === "grid" ? { panels: lookUp(spec, index), readout: "" }
        : MODELS[spec.model](params, spec.constants);
      result.panels.forEach(function (series, i) { drawPanel(svgs[i], spec.panels[i], series, spec.id + "-clip-" + i); });
      readout.textContent = result.readout;
      figure.neuro4mlData = { params: params, panels: result.panels };
      figure.dataset.ready = "true";
    }
    inputs.forEach(function (item) { item.input.addEventListener("input", update); });
    update();
  }

  function setUpAll() {
    document.querySelectorAll("figure.n4ml-interactive").forEach(function (figure) {
      if (!figure.dataset.ready) setUp(figure);
    });
  }
  window.neuro4mlInteractive = { models: MODELS, setUpAll: setUpAll };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
