// Events: filter by source, type glob and time (server-paged, oldest first
// from `since`), a live tail over the SSE stream, and one event's JSON with
// replay to one or every destination.

import { get, post, query } from "../lib/api.js";
import { h, clear, field, input, select, section, code, link, action, table, time, pager, guarded, json, notice } from "../lib/dom.js";
import { liveTail } from "../lib/tail.js";

export async function render(main, ctx) {
  if (ctx.params[0]) return detail(main, ctx.params[0]);
  const sources = await get("/api/v1/sources");
  const q = ctx.query;
  const source = select([["", "every source"], ...sources.map((s) => [s.id, s.name])], { name: "source_id" });
  source.value = q.get("source_id") || "";
  const type = input({ name: "type", placeholder: "e.g. invoice.* ", value: q.get("type") || "" });
  const hourAgo = new Date(Date.now() - 3600e3);
  const since = input({ type: "datetime-local", name: "since", value: q.get("since") ? localValue(new Date(q.get("since"))) : localValue(hourAgo) });
  const list = h("div");
  const tail = liveTail(() => ({ source_id: source.value, type: type.value.trim() }));
  ctx.onLeave(tail.stop);
  const form = h("form", { class: "filters row", onsubmit: (e) => { e.preventDefault(); apply(); } },
    field("Source", source), field("Type (glob)", type), field("Received since", since),
    h("button", { type: "submit" }, "Filter"));
  function apply() {
    const sinceIso = since.value ? new Date(since.value).toISOString() : "";
    history.replaceState(null, "", `#/events${query({ source_id: source.value, type: type.value.trim(), since: sinceIso })}`);
    pager(list, (cursor) => get(`/api/v1/events${query({ source_id: source.value, type: type.value.trim(), since: sinceIso, limit: 50, cursor })}`), (rows) => table([
      ["Received", (e) => time(e.received_at)],
      ["Type", (e) => code(e.type)],
      ["Source", (e) => (sources.find((s) => s.id === e.source_id) || {}).name || e.source_id],
      ["Subject", (e) => e.subject || ""],
      ["Event", (e) => link(`#/events/${e.id}`, e.id)],
    ], rows, "No event matches.", "Events"));
    if (tail.running) tail.stop();
  }
  main.append(h("h1", {}, "Events"), form,
    section("Live tail", h("p", { class: "muted" }, "New events matching the source and type above, as they are stored."), tail.el),
    section("Stored events (oldest first from the time above)", list));
  apply();
}

function localValue(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function detail(main, id) {
  const [e, destinations] = await Promise.all([get(`/api/v1/events/${encodeURIComponent(id)}`), get("/api/v1/destinations")]);
  const out = h("div", { "aria-live": "polite" });
  const target = select([["", "every matching destination"], ...destinations.map((d) => [d.id, d.name])], { name: "destination_id" });
  const deliveries = h("div");
  pager(deliveries, (cursor) => get(`/api/v1/deliveries${query({ event_id: id, limit: 20, cursor })}`), (rows) => table([
    ["Delivery", (d) => link(`#/deliveries/${d.id}`, d.id)],
    ["Destination", (d) => (destinations.find((x) => x.id === d.destination_id) || {}).name || d.destination_id],
    ["State", (d) => h("span", { class: `badge ${d.state}` }, d.state)],
    ["Attempts", (d) => String(d.attempts)],
  ], rows, "No delivery of this event.", "Deliveries"));
  main.append(
    h("p", { class: "crumbs" }, link("#/events", "Events"), " / ", e.id),
    h("h1", {}, code(e.type)),
    h("dl", { class: "facts" },
      h("dt", {}, "Received"), h("dd", {}, time(e.received_at)),
      h("dt", {}, "Occurred"), h("dd", {}, e.occurred_at ? time(e.occurred_at) : "–"),
      h("dt", {}, "Source"), h("dd", {}, link(`#/sources/${e.source_id}`, e.source_id)),
      h("dt", {}, "Subject"), h("dd", {}, e.subject || "–"),
      h("dt", {}, "Vendor id"), h("dd", {}, code(e.dedup_id)),
      h("dt", {}, "Adapter"), h("dd", {}, code(`${e.plugin} ${e.plugin_version}`), " ", h("small", { class: "muted" }, e.plugin_hash))),
    guarded("write", () => section("Replay", h("div", { class: "row" }, field("To", target), action("Replay", async () => {
      const r = await post(`/api/v1/events/${encodeURIComponent(id)}/replay`, target.value ? { destination_id: target.value } : {});
      clear(out, notice("ok", `${r.deliveries} new deliveries.`));
    })), out)),
    section("Data", json(e.data)),
    section("Deliveries", deliveries));
}
