// Deliveries by state (server-paged), and one delivery's attempts as a
// timeline: status, error, duration, the receiver's answer.

import { get, query } from "../lib/api.js";
import { h, field, select, section, code, link, time, pager, badge } from "../lib/dom.js";
import { deliveryRows } from "./destinations.js";

export async function render(main, ctx) {
  if (ctx.params[0]) return detail(main, ctx.params[0]);
  const state = select([["", "every state"], ["pending"], ["delivered"], ["dead"]], { name: "state" });
  state.value = ctx.query.get("state") || "";
  const box = h("div");
  const load = () => {
    history.replaceState(null, "", `#/deliveries${query({ state: state.value })}`);
    pager(box, (cursor) => get(`/api/v1/deliveries${query({ state: state.value, limit: 50, cursor })}`), deliveryRows);
  };
  state.addEventListener("change", load);
  main.append(h("h1", {}, "Deliveries"), field("State", state), box);
  load();
}

async function detail(main, id) {
  const d = await get(`/api/v1/deliveries/${encodeURIComponent(id)}`);
  main.append(
    h("p", { class: "crumbs" }, link("#/deliveries", "Deliveries"), " / ", d.id),
    h("h1", {}, "Delivery ", code(d.id)),
    h("dl", { class: "facts" },
      h("dt", {}, "State"), h("dd", {}, badge(d.state)),
      h("dt", {}, "Event"), h("dd", {}, link(`#/events/${d.event_id}`, d.event_id)),
      h("dt", {}, "Destination"), h("dd", {}, link(`#/destinations/${d.destination_id}`, d.destination_id)),
      h("dt", {}, "Created"), h("dd", {}, time(d.created_at)),
      h("dt", {}, "Delivered"), h("dd", {}, d.delivered_at ? time(d.delivered_at) : "–"),
      h("dt", {}, "Next attempt"), h("dd", {}, d.next_attempt_at ? time(d.next_attempt_at) : "–")),
    section(`Attempts (${(d.attempt_log || []).length})`,
      (d.attempt_log || []).length
        ? h("ol", { class: "timeline" }, d.attempt_log.map((a) => h("li", { class: `attempt ${a.status >= 200 && a.status < 300 ? "ok" : "failed"}` },
          h("p", {}, h("strong", {}, `Attempt ${a.attempt}`), " · ", time(a.started_at), ` · ${a.duration_ms.toFixed(1)} ms · `,
            a.status ? badge(`HTTP ${a.status}`, a.status < 300 ? "delivered" : "dead") : badge("no answer", "dead")),
          a.error ? h("p", { class: "error-text" }, a.error) : null,
          a.response ? h("details", {}, h("summary", {}, a.response.status_line || "answer"), h("pre", { class: "json" }, a.response.body || "")) : null)))
        : h("p", { class: "empty" }, "No attempt yet.")));
}
