// Explorables: controls over a grid of settings that a snippet computed at build time with
// PyTorch. This file only looks values up and draws them; it computes no model, loss or
// gradient. The data is the snippet's EXPLORABLE dict (README: "Adding an explorable"):
//
//   controls  [{name, label, values, default, kind?: "range" | "radio" | "select",
//               labels?, pick?: true}]
//   settings  {"<i>,<j>,...": {field: value}}: one entry per combination of the indices of the
//             controls that are not `pick` controls, in the order they are listed
//   shared    {field: value}: fields common to every setting
//   charts    [{kind, title, xlabel, ylabel, xlog?, ylog?, xrange?, yrange?, ...}]:
//             "lines": x, series [{y, label}], marks [{x | y, label}], cursor (a control:
//             a line at its value), until (a control: the series up to its value);
//             "bars": edges, y (a histogram); "heatmap": z (rows, lowest y first), xrange,
//             yrange, zrange?, colours? ("diverging"), points? ([x, y, class]), path? ([x, y])
//   readouts  [{label, key}]: the field `key` holds the text to show, formatted by the snippet
//             as it prints it
//
// A field name may be followed by `pick: "<control>"`: the field is a list, and the entry at
// that control's index is shown (a layer to look at, say, without a grid per layer).
// The state of every explorable on the page that is off its defaults is kept in the URL hash,
// `#<id>=<control>:<value>,...&<id>=...`, so a link or a reload shows what the reader saw.
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 320, HEIGHT = 224, PAD = {left: 50, right: 10, top: 26, bottom: 40};
  const latencies = (window.explorableLatencies = []);  // input event to next frame, ms
  const drawTimes = (window.explorableDrawTimes = []);  // this script's share of it, ms

  function el(tag, attrs = {}, parent = null, ns = null) {
    const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  function colours() {
    const style = getComputedStyle(document.body);
    const get = (name) => style.getPropertyValue(name).trim();
    return {ink: get("--xp-ink"), grid: get("--xp-grid"), paper: get("--xp-paper"),
            series: [0, 1, 2, 3, 4, 5, 6].map((i) => get(`--xp-c${i}`))};
  }

  function tickValues(lo, hi, log) {
    if (log) {  // 1, 10, 100...; with 2 and 5 between when that is too few
      for (const steps of [[1], [1, 2, 5]]) {
        const ticks = [];
        for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
          for (const m of steps) {
            const t = m * 10 ** p;
            if (t >= lo * 0.999 && t <= hi * 1.001) ticks.push(t);
          }
        }
        if (ticks.length >= 2) return ticks;
      }
    }
    const raw = (hi - lo) / 4, mag = 10 ** Math.floor(Math.log10(raw || 1));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
    const ticks = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
      ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    }
    return ticks;
  }

  function tickLabel(t) {
    if (t !== 0 && (Math.abs(t) >= 1e4 || Math.abs(t) < 1e-3)) return t.toExponential(0);
    return String(Number(t.toPrecision(6)));
  }

  // --- one chart: axes, then what its kind draws ---------------------------------------------
  class Axes {
    constructor(svg, spec, xr, yr, c) {
      this.svg = svg; this.c = c;
      this.xlog = !!spec.xlog; this.ylog = !!spec.ylog;
      this.xr = xr; this.yr = yr;
      const [x0, x1] = [PAD.left, WIDTH - PAD.right], [y0, y1] = [HEIGHT - PAD.bottom, PAD.top];
      const scale = (lo, hi, a, b, log) => (v) => {
        const f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
                      : (v - lo) / (hi - lo || 1);
        return a + f * (b - a);
      };
      this.x = scale(xr[0], xr[1], x0, x1, this.xlog);
      this.y = scale(yr[0], yr[1], y0, y1, this.ylog);
      const grid = el("g", {stroke: c.grid, "stroke-width": 1}, svg, SVG);
      const labels = el("g", {fill: c.ink, "font-size": 12}, svg, SVG);
      for (const t of tickValues(xr[0], xr[1], this.xlog)) {
        el("line", {x1: this.x(t), x2: this.x(t), y1: y0, y2: y1}, grid, SVG);
        el("text", {x: this.x(t), y: y0 + 14, "text-anchor": "middle"}, labels, SVG)
          .textContent = tickLabel(t);
      }
      for (const t of tickValues(yr[0], yr[1], this.ylog)) {
        el("line", {x1: x0, x2: x1, y1: this.y(t), y2: this.y(t)}, grid, SVG);
        el("text", {x: x0 - 5, y: this.y(t) + 4, "text-anchor": "end"}, labels, SVG)
          .textContent = tickLabel(t);
      }
      el("path", {d: `M${x0},${y1}V${y0}H${x1}`, stroke: c.ink, fill: "none"}, svg, SVG);
      el("text", {x: (x0 + x1) / 2, y: HEIGHT - 6, "text-anchor": "middle"}, labels, SVG)
        .textContent = spec.xlabel || "";
      el("text", {x: 12, y: (y0 + y1) / 2, "text-anchor": "middle",
                  transform: `rotate(-90 12 ${(y0 + y1) / 2})`}, labels, SVG)
        .textContent = spec.ylabel || "";
      el("text", {x: (x0 + x1) / 2, y: 15, "text-anchor": "middle", "font-weight": "bold"},
         labels, SVG).textContent = spec.title || "";
    }

    clipped() {  // data is drawn inside the plot area only
      const id = `${this.svg.id}-clip`;
      const clip = el("clipPath", {id}, el("defs", {}, this.svg, SVG), SVG);
      el("rect", {x: PAD.left, y: PAD.top, width: WIDTH - PAD.left - PAD.right,
                  height: HEIGHT - PAD.top - PAD.bottom}, clip, SVG);
      return el("g", {"clip-path": `url(#${id})`}, this.svg, SVG);
    }
  }

  function range(values, log, fixed) {
    if (fixed) return fixed;
    const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
    if (!finite.length) return [0, 1];
    let lo = Math.min(...finite), hi = Math.max(...finite);
    if (lo === hi) { lo = log ? lo / 2 : lo - 1; hi = log ? hi * 2 : hi + 1; }
    return log || lo < 0 ? [lo, hi] : [0, hi];  // a linear axis of positive values starts at 0
  }

  const draw = {
    lines(svg, spec, get, c, state) {
      const x = get(spec.x);
      const series = spec.series.map((s) => ({...s, y: get(s.y)}));
      const until = spec.until ? state.value(spec.until) : Infinity;
      const shown = (ys) => ys.filter((_, i) => x[i] <= until);
      const ax = new Axes(svg, spec, range(x, spec.xlog, spec.xrange),
                          range(series.flatMap((s) => shown(s.y)), spec.ylog, spec.yrange), c);
      const g = ax.clipped();
      const marks = [...(spec.marks || [])];
      if (spec.cursor) marks.push({x: state.value(spec.cursor)});
      for (const mark of marks) {
        if (typeof mark.y !== "number" && spec.xlog && !(mark.x > 0)) continue;  // no place on a log axis
        const at = typeof mark.y === "number" ? {y1: ax.y(mark.y), y2: ax.y(mark.y), x1: PAD.left,
                                                  x2: WIDTH - PAD.right}
                                              : {x1: ax.x(mark.x), x2: ax.x(mark.x), y1: PAD.top,
                                                 y2: HEIGHT - PAD.bottom};
        el("line", {...at, stroke: c.ink, "stroke-dasharray": "4 3", "stroke-width": 1}, g, SVG);
        el("text", {x: (at.x1 + at.x2) / 2 + 3, y: Math.min(at.y1, at.y2) + 11, fill: c.ink,
                    "font-size": 10}, g, SVG).textContent = mark.label || "";
      }
      series.forEach((s, k) => {
        const points = x.map((xi, i) => [xi, s.y[i]])
          .filter(([xi, yi]) => xi <= until && Number.isFinite(yi) && (!spec.ylog || yi > 0)
                                && (!spec.xlog || xi > 0));
        const d = points.map(([xi, yi], i) => `${i ? "L" : "M"}${ax.x(xi).toFixed(1)},${ax.y(yi).toFixed(1)}`).join("");
        el("path", {d, fill: "none", stroke: c.series[k % 7], "stroke-width": 1.8}, g, SVG);
      });
      legend(svg, series.map((s) => s.label), c);
    },

    bars(svg, spec, get, c) {
      const edges = get(spec.edges), heights = get(spec.y);
      const ax = new Axes(svg, spec, [edges[0], edges[edges.length - 1]],
                          range(heights, false, spec.yrange), c);
      const g = ax.clipped();
      heights.forEach((h, i) => {
        const left = ax.x(edges[i]), right = ax.x(edges[i + 1]);
        el("rect", {x: left, width: Math.max(right - left - 0.5, 0.5), y: ax.y(h),
                    height: Math.max(ax.y(0) - ax.y(h), 0), fill: c.series[0]}, g, SVG);
      });
    },

    heatmap(svg, spec, get, c) {
      const z = get(spec.z), [ny, nx] = [z.length, z[0].length];
      const ax = new Axes(svg, spec, spec.xrange, spec.yrange, c);
      const flat = z.flat().filter(Number.isFinite);
      const [lo, hi] = spec.zrange || [Math.min(...flat), Math.max(...flat)];
      const canvas = document.createElement("canvas");
      canvas.width = nx; canvas.height = ny;
      const ctx = canvas.getContext("2d"), image = ctx.createImageData(nx, ny);
      const ends = spec.colours === "diverging" ? [c.series[0], c.paper, c.series[1]]
                                                 : [c.paper, c.series[0]];
      const rgb = ends.map(hexToRgb);
      z.forEach((row, j) => row.forEach((v, i) => {
        const f = Math.min(Math.max((v - lo) / (hi - lo || 1), 0), 1);
        const seg = f * (rgb.length - 1), k = Math.min(Math.floor(seg), rgb.length - 2);
        const t = seg - k, at = 4 * ((ny - 1 - j) * nx + i);  // row 0 is the lowest y
        for (let ch = 0; ch < 3; ch++) image.data[at + ch] = rgb[k][ch] + t * (rgb[k + 1][ch] - rgb[k][ch]);
        image.data[at + 3] = 255;
      }));
      ctx.putImageData(image, 0, 0);
      const g = ax.clipped();
      const [x0, x1] = [ax.x(spec.xrange[0]), ax.x(spec.xrange[1])];
      const [y0, y1] = [ax.y(spec.yrange[1]), ax.y(spec.yrange[0])];
      el("image", {href: canvas.toDataURL(), x: x0, y: y0, width: x1 - x0, height: y1 - y0,
                   preserveAspectRatio: "none"}, g, SVG);
      if (spec.points) {
        for (const [px, py, cls] of get(spec.points)) {
          el("circle", {cx: ax.x(px), cy: ax.y(py), r: 2.2, fill: c.series[cls ? 1 : 0],
                        stroke: c.ink, "stroke-width": 0.5}, g, SVG);
        }
      }
      if (spec.path) {
        const path = get(spec.path);
        const d = path.map(([px, py], i) => `${i ? "L" : "M"}${ax.x(px).toFixed(1)},${ax.y(py).toFixed(1)}`).join("");
        el("path", {d, fill: "none", stroke: c.ink, "stroke-width": 1.6}, g, SVG);
        el("circle", {cx: ax.x(path[0][0]), cy: ax.y(path[0][1]), r: 3, fill: c.ink}, g, SVG);
      }
    },
  };

  function legend(svg, labels, c) {
    const named = labels.filter(Boolean);
    if (named.length < 2) return;
    const g = el("g", {"font-size": 11, fill: c.ink}, svg, SVG);
    // a box in the page's colour, as the static figures' legends have, over the lines below it
    el("rect", {x: WIDTH - PAD.right - 104, y: PAD.top - 2, width: 102, height: 14 * named.length + 2,
                fill: c.paper, "fill-opacity": 0.85, stroke: c.grid}, g, SVG);
    named.forEach((label, k) => {
      const y = PAD.top + 6 + 14 * k;
      el("line", {x1: WIDTH - PAD.right - 100, x2: WIDTH - PAD.right - 86, y1: y, y2: y,
                  stroke: c.series[k % 7], "stroke-width": 2}, g, SVG);
      el("text", {x: WIDTH - PAD.right - 82, y: y + 3.5}, g, SVG).textContent = label;
    });
  }

  function hexToRgb(hex) {
    const h = hex.replace("#", "");
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  }

  // --- one explorable: controls, charts, readouts --------------------------------------------
  class Explorable {
    constructor(root, data) {
      this.root = root; this.data = data; this.id = root.id;
      this.index = Object.fromEntries(data.controls.map((ctl) => [ctl.name, this.defaultIndex(ctl)]));
      this.build();
    }

    defaultIndex(ctl) {
      const i = ctl.values.indexOf(ctl.default);
      return i < 0 ? 0 : i;
    }

    text(ctl, i) { return ctl.labels ? ctl.labels[i] : String(ctl.values[i]); }

    value(name) {
      const ctl = this.data.controls.find((c) => c.name === name);
      return ctl.values[this.index[name]];
    }

    build() {
      const live = el("div", {class: "explorable-live"});
      const form = el("form", {class: "explorable-controls", "aria-label": `Controls: ${this.root.querySelector("img")?.alt || this.id}`}, live);
      form.addEventListener("submit", (e) => e.preventDefault());
      this.inputs = {};
      for (const ctl of this.data.controls) this.addControl(form, ctl);
      this.charts = el("div", {class: "explorable-charts"}, live);
      this.readouts = el("dl", {class: "explorable-readouts", "aria-live": "polite"}, live);
      this.root.prepend(live);
      this.root.classList.add("explorable--live");
    }

    addControl(form, ctl) {
      const kind = ctl.kind || (typeof ctl.values[0] === "number" ? "range" : "radio");
      const id = `${this.id}-${ctl.name}`;
      const box = el("div", {class: `explorable-control explorable-control--${kind}`}, form);
      const changed = (i, event) => {
        this.index[ctl.name] = i;
        this.render(event);
        this.writeHash();
      };
      if (kind === "range") {
        el("label", {for: id}, box).textContent = ctl.label;
        const input = el("input", {type: "range", id, min: 0, max: ctl.values.length - 1, step: 1,
                                   value: this.index[ctl.name]}, box);
        const shown = el("output", {for: id}, box);
        input.addEventListener("input", (e) => changed(Number(input.value), e));
        this.inputs[ctl.name] = {
          set: (i) => { input.value = i; },
          show: (i) => { shown.textContent = this.text(ctl, i); input.setAttribute("aria-valuetext", this.text(ctl, i)); },
        };
      } else if (kind === "select") {
        el("label", {for: id}, box).textContent = ctl.label;
        const select = el("select", {id}, box);
        ctl.values.forEach((_, i) => { el("option", {value: i}, select).textContent = this.text(ctl, i); });
        select.addEventListener("input", (e) => changed(Number(select.value), e));
        this.inputs[ctl.name] = {set: (i) => { select.value = i; }, show: () => {}};
      } else {
        const fieldset = el("fieldset", {}, box);
        el("legend", {}, fieldset).textContent = ctl.label;
        const radios = ctl.values.map((_, i) => {
          const label = el("label", {}, fieldset);
          const radio = el("input", {type: "radio", name: id, value: i}, label);
          label.append(` ${this.text(ctl, i)}`);
          radio.addEventListener("input", (e) => changed(i, e));
          return radio;
        });
        this.inputs[ctl.name] = {set: (i) => { radios[i].checked = true; }, show: () => {}};
      }
      this.inputs[ctl.name].set(this.index[ctl.name]);
    }

    setting() {
      const key = this.data.controls.filter((c) => !c.pick).map((c) => this.index[c.name]).join(",");
      const setting = this.data.settings[key];
      if (!setting) throw new Error(`explorable ${this.id}: no setting ${key}`);
      return setting;
    }

    render(event) {
      const began = performance.now();
      const setting = this.setting(), shared = this.data.shared || {};
      const get = (field, pick) => {
        const value = typeof field === "string" ? (field in setting ? setting[field] : shared[field]) : field;
        if (value === undefined) throw new Error(`explorable ${this.id}: no field ${field}`);
        return pick ? value[this.index[pick]] : value;
      };
      const c = colours();
      this.charts.replaceChildren();
      for (const [k, spec] of this.data.charts.entries()) {
        const svg = el("svg", {viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", id: `${this.id}-chart-${k}`,
                               "aria-label": spec.title || spec.kind, class: "explorable-chart"}, null, SVG);
        draw[spec.kind](svg, spec, (f) => get(f, spec.pick), c, this);
        this.charts.appendChild(svg);
      }
      this.readouts.replaceChildren();
      for (const r of this.data.readouts || []) {
        el("dt", {}, this.readouts).textContent = r.label;
        el("dd", {}, this.readouts).textContent = get(r.key, r.pick);
      }
      for (const ctl of this.data.controls) this.inputs[ctl.name].show(this.index[ctl.name]);
      if (event) {  // the frame after this change is painted once rAF's callbacks are done
        drawTimes.push(performance.now() - began);
        const start = event.timeStamp, channel = new MessageChannel();
        channel.port1.onmessage = () => latencies.push(performance.now() - start);
        requestAnimationFrame(() => channel.port2.postMessage(null));
      }
    }

    // The hash holds `<id>=<control>:<value>,...` for this explorable when off its defaults.
    stateText() {
      const off = this.data.controls.filter((ctl) => this.index[ctl.name] !== this.defaultIndex(ctl));
      return off.map((ctl) => `${ctl.name}:${this.text(ctl, this.index[ctl.name])}`).join(",");
    }

    applyState(text) {
      for (const pair of text.split(",")) {
        const [name, value] = pair.split(":");
        const ctl = this.data.controls.find((c) => c.name === name);
        const i = ctl ? ctl.values.findIndex((_, k) => this.text(ctl, k) === value) : -1;
        if (i >= 0) { this.index[name] = i; this.inputs[name].set(i); }
      }
    }

    writeHash() {
      const others = readHash();
      delete others[this.id];
      const mine = this.stateText();
      if (mine) others[this.id] = mine;
      const hash = Object.entries(others).map(([id, s]) => `${id}=${s}`).join("&");
      history.replaceState(history.state, "", hash ? `#${hash}` : location.pathname + location.search);
    }
  }

  function readHash() {
    const text = decodeURIComponent(location.hash.slice(1));
    if (!text.includes("=")) return {};  // a heading's anchor
    return Object.fromEntries(text.split("&").map((part) => part.split("=")).filter((p) => p.length === 2));
  }

  const mounted = new Set();

  async function mount(root) {
    try {
      const src = root.querySelector("a.explorable-data").href;
      const response = await fetch(src);
      if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`);
      const explorable = new Explorable(root, await response.json());
      const state = readHash()[explorable.id];
      if (state) explorable.applyState(state);
      explorable.render();
      mounted.add(explorable);
      if (state) root.scrollIntoView();
    } catch (error) {
      console.error(`explorable ${root.id}:`, error);  // the static figure stays in place
    }
  }

  function mountAll() {
    for (const e of mounted) if (!e.root.isConnected) mounted.delete(e);
    document.querySelectorAll(".explorable:not([data-mounted])").forEach((root) => {
      root.dataset.mounted = "";
      mount(root);
    });
  }

  // The palette toggle changes body[data-md-color-scheme]: redraw in the new colours.
  new MutationObserver(() => mounted.forEach((e) => e.render()))
    .observe(document.body, {attributes: true, attributeFilter: ["data-md-color-scheme"]});

  if (typeof document$ !== "undefined") document$.subscribe(mountAll);  // instant navigation
  else document.addEventListener("DOMContentLoaded", mountAll);
})();
