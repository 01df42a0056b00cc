// Stacked bar charts as inline SVG (no library, no inline style: colours
// come from classes in style.css).

import { h } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, value);
  for (const child of children) if (child) el.append(child);
  return el;
}

/// The outcomes in a stable order: the known ones first, then the rest.
const KNOWN = ["accepted", "duplicate", "throttled", "adapter_failed"];
export function outcomeOrder(names) {
  const rest = [...names].filter((n) => !KNOWN.includes(n)).sort();
  return [...KNOWN.filter((n) => names.has(n)), ...rest];
}

/// A class for an outcome's colour: known outcomes their own, rejections one
/// of a few shades.
export function outcomeClass(name) {
  if (KNOWN.includes(name)) return `o-${name}`;
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) % 997;
  return `o-rejected-${hash % 5}`;
}

/// `buckets` [{start, counts}] oldest first, `bucketSeconds` wide.
export function stackedBars(title, buckets, bucketSeconds) {
  const names = new Set();
  for (const b of buckets) for (const k of Object.keys(b.counts || {})) names.add(k);
  const order = outcomeOrder(names);
  const width = 600, height = 160, pad = 24;
  const max = Math.max(1, ...buckets.map((b) => Object.values(b.counts || {}).reduce((a, n) => a + n, 0)));
  const barW = (width - pad) / Math.max(1, buckets.length);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height + 18}`, role: "img", "aria-label": title, class: "chart" });
  svg.append(s("title", {}, document.createTextNode(title)));
  svg.append(s("line", { x1: pad, y1: height, x2: width, y2: height, class: "axis" }));
  svg.append(s("text", { x: 0, y: 10, class: "tick" }, document.createTextNode(String(max))));
  svg.append(s("text", { x: 0, y: height, class: "tick" }, document.createTextNode("0")));
  buckets.forEach((bucket, i) => {
    let y = height;
    const x = pad + i * barW;
    for (const name of order) {
      const n = (bucket.counts || {})[name] || 0;
      if (!n) continue;
      const barH = (n / max) * (height - 4);
      y -= barH;
      const rect = s("rect", { x: x + 0.5, y, width: Math.max(1, barW - 1), height: barH, class: outcomeClass(name) });
      rect.append(s("title", {}, document.createTextNode(`${new Date(bucket.start).toLocaleTimeString()} – ${name}: ${n}`)));
      svg.append(rect);
    }
  });
  if (buckets.length) {
    const first = new Date(buckets[0].start), last = new Date(new Date(buckets[buckets.length - 1].start).getTime() + bucketSeconds * 1000);
    const format = last - first > 12 * 3600e3 ? { weekday: "short", hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
    svg.append(s("text", { x: pad, y: height + 14, class: "tick" }, document.createTextNode(first.toLocaleString([], format))));
    svg.append(s("text", { x: width, y: height + 14, class: "tick end" }, document.createTextNode(last.toLocaleString([], format))));
  }
  const legend = h("ul", { class: "legend" }, order.map((name) => h("li", {}, h("span", { class: `swatch ${outcomeClass(name)}` }), name)));
  return h("figure", { class: "chart-box" }, h("figcaption", {}, title), svg, order.length ? legend : h("p", { class: "empty" }, "No requests in this window."));
}
