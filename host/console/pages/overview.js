// Overview: requests per minute by outcome over the last hour and day
// (GET /api/v1/stats, which reads aggregates), and the store's gauges.

import { get, query } from "../lib/api.js";
import { h, clear, notice, section, table } from "../lib/dom.js";
import { stackedBars, outcomeOrder, outcomeClass } from "../lib/chart.js";

export async function render(main) {
  const charts = h("div", { class: "charts" });
  const gauges = h("div", { class: "gauges" });
  main.append(h("h1", {}, "Overview"), gauges, charts);
  const [hour, day] = await Promise.all([
    get(`/api/v1/stats${query({ window: "hour" })}`),
    get(`/api/v1/stats${query({ window: "day" })}`),
  ]);
  const gauge = (label, value, href, warn) =>
    h("a", { class: `gauge ${warn && value > 0 ? "warn" : ""}`, href }, h("span", { class: "value" }, String(value ?? "–")), h("span", { class: "label" }, label));
  clear(gauges,
    gauge("events stored", hour.events_stored, "#/events"),
    gauge("outbox pending", hour.outbox_pending, "#/deliveries"),
    gauge("dead letters", hour.dead_letters, "#/deliveries?state=dead", true),
    gauge("quarantined adapters", Array.isArray(hour.quarantined_adapters) ? hour.quarantined_adapters.length : hour.quarantined_adapters, "#/adapters", true));
  clear(charts,
    stackedBars(`Requests per minute, last hour (by outcome)`, hour.buckets, hour.bucket_seconds),
    stackedBars(`Requests per ${Math.round(day.bucket_seconds / 60)} minutes, last day (by outcome)`, day.buckets, day.bucket_seconds),
    section("Totals", totals(hour.totals, day.totals)));
  if (Array.isArray(hour.quarantined_adapters) && hour.quarantined_adapters.length) {
    charts.append(notice("error", `Quarantined adapters: ${hour.quarantined_adapters.join(", ")}`));
  }
}

function totals(hour, day) {
  const names = new Set([...Object.keys(hour || {}), ...Object.keys(day || {})]);
  return table([
    ["Outcome", (n) => h("span", {}, h("span", { class: `swatch ${outcomeClass(n)}` }), n)],
    ["Last hour", (n) => String((hour || {})[n] || 0)],
    ["Last day", (n) => String((day || {})[n] || 0)],
  ], outcomeOrder(names), "No requests in the last day.", "Requests by outcome");
}
