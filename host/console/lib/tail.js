// The live tail: events as they are committed, over the SSE stream
// (GET /api/v1/events/stream, read with fetch so the token stays in a
// header). Newest on top; at most 200 rows kept on screen.

import { stream, query } from "./api.js";
import { h, clear, button, code, json } from "./dom.js";

export function liveTail(filter, options) {
  const rows = h("ol", { class: "tail", "aria-live": "polite", "aria-label": "Live events" });
  const state = h("span", { class: "tail-state", role: "status" }, "stopped");
  let stop = null;
  const toggle = button("Start live tail", () => (stop ? halt() : start()), { class: "tail-toggle" });

  function start() {
    const params = typeof filter === "function" ? filter() : filter;
    state.textContent = "connecting…";
    stop = stream(`/api/v1/events/stream${query(params)}`, (event) => {
      const detail = h("details", {}, h("summary", {}, code(event.type), " ", h("span", { class: "muted" }, new Date(event.received_at).toLocaleTimeString()), " ", h("a", { href: `#/events/${event.id}` }, event.id)), json(event.data));
      const item = h("li", { class: "tail-row", dataset: { eventId: event.id, type: event.type } }, detail);
      rows.prepend(item);
      while (rows.children.length > 200) rows.lastChild.remove();
    }, (s, error) => {
      state.textContent = s === "error" ? `error: ${error.message}` : s;
      if (s !== "live") stopped();
    });
    toggle.textContent = "Stop live tail";
  }
  function stopped() {
    stop = null;
    toggle.textContent = "Start live tail";
  }
  function halt() {
    if (stop) stop();
    stopped();
    state.textContent = "stopped";
  }
  const el = h("div", { class: "live-tail" }, h("div", { class: "toolbar" }, toggle, state), rows);
  if (options && options.autostart) start();
  return { el, start, stop: halt, clear: () => clear(rows) };
}
