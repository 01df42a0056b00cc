// Destinations: create and edit HTTP and NATS destinations with a preview
// of which recent events the subscription (types, sources, JSONPath
// filter) would match (POST /api/v1/destinations/preview, which warns when
// a filter matches none), replay dead letters, enable after a 410.

import { get, post, patch, del, query } from "../lib/api.js";
import { h, clear, field, input, select, section, code, link, action, table, time, guarded, notice, badge, copyable, list, toast, pager } from "../lib/dom.js";

export async function render(main, ctx) {
  const [destinations, sources] = await Promise.all([get("/api/v1/destinations"), get("/api/v1/sources")]);
  const id = ctx.params[0];
  if (id === "new") return editor(main, sources, null);
  if (id) return detail(main, sources, await get(`/api/v1/destinations/${encodeURIComponent(id)}`));
  main.append(h("h1", {}, "Destinations"),
    guarded("write", () => h("a", { class: "button primary", href: "#/destinations/new" }, "New destination")),
    table([
      ["Name", (d) => link(`#/destinations/${d.id}`, d.name)],
      ["Kind", (d) => d.kind],
      ["Target", (d) => code(d.kind === "nats" ? `${d.url} ${d.subject}` : d.url)],
      ["Types", (d) => code((d.event_types || []).join(", ") || "*")],
      ["State", (d) => [badge(d.enabled ? "enabled" : "disabled"), d.disabled_reason ? ` ${d.disabled_reason}` : ""]],
      ["Pending", (d) => String(d.pending_deliveries ?? 0)],
    ], destinations, "No destination yet.", "Destinations"));
}

async function detail(main, sources, d) {
  const path = `/api/v1/destinations/${d.id}`;
  const out = h("div", { "aria-live": "polite" });
  const deliveries = h("div");
  const state = select([["", "every state"], ["pending"], ["delivered"], ["dead"]], { name: "state" });
  const load = () => pager(deliveries, (cursor) => get(`/api/v1/deliveries${query({ destination_id: d.id, state: state.value, limit: 20, cursor })}`), deliveryRows);
  state.addEventListener("change", load);
  load();
  main.append(
    h("p", { class: "crumbs" }, link("#/destinations", "Destinations"), " / ", d.name),
    h("h1", {}, d.name),
    h("p", {}, badge(d.enabled ? "enabled" : "disabled"), d.disabled_reason ? ` — ${d.disabled_reason}` : "", ` · ${d.pending_deliveries ?? 0} pending`,
      d.secret_prefix ? [" · signing secret ", code(`${d.secret_prefix}…`)] : ""),
    h("div", { class: "toolbar" },
      guarded("write", () => action(d.enabled ? "Disable" : "Enable", async () => {
        await patch(path, { enabled: !d.enabled });
        clear(main);
        await detail(main, sources, await get(path));
      })),
      guarded("write", () => action("Replay dead letters", async () => {
        const r = await post(`${path}/replay-dead`);
        clear(out, notice("ok", `${r.requeued} dead letters back in line.`));
        load();
      })),
      guarded("write", () => action("Delete", async () => {
        if (!confirm(`Delete the destination ${d.name}?`)) return;
        await del(path);
        location.hash = "#/destinations";
      }, { class: "danger" }))),
    out,
    section("Deliveries", field("State", state), deliveries));
  const edit = h("div");
  main.append(edit);
  editor(edit, sources, d);
}

export function deliveryRows(rows) {
  return table([
    ["Delivery", (x) => link(`#/deliveries/${x.id}`, x.id)],
    ["Event", (x) => link(`#/events/${x.event_id}`, x.event_id)],
    ["State", (x) => badge(x.state)],
    ["Attempts", (x) => String(x.attempts)],
    ["Last", (x) => [x.last_status ? String(x.last_status) : "", x.last_error ? ` ${x.last_error}` : ""]],
    ["Created", (x) => time(x.created_at)],
  ], rows, "No delivery.", "Deliveries");
}

/// The create (d = null) or edit form, with the subscription preview.
function editor(main, sources, d) {
  const readOnly = !guarded("write", () => h("span"));
  const kind = select([["http", "HTTP (signed CloudEvents POST)"], ["nats", "NATS JetStream"]], { name: "kind", disabled: !!d });
  kind.value = d ? d.kind : "http";
  const name = input({ name: "name", required: true, maxlength: 200, value: d ? d.name : "" });
  const url = input({ name: "url", required: true, value: d ? d.url : "", placeholder: "https://service.example.com/hooks", disabled: !!d });
  const subject = input({ name: "subject", value: d ? d.subject || "" : "hookyard.{source_id}.{type}", disabled: !!d });
  const secret = input({ type: "password", name: "secret", autocomplete: "off", placeholder: "generated when empty" });
  const types = h("textarea", { name: "event_types", rows: 2, placeholder: "invoice.*, payment_intent.succeeded" }, d ? (d.event_types || []).join(", ") : "");
  const sourceBoxes = sources.map((s) => ({ s, box: h("input", { type: "checkbox", value: s.id, name: "source_ids", checked: d && (d.source_ids || []).includes(s.id) }) }));
  const filter = input({ name: "filter", value: d ? d.filter || "" : "", placeholder: "$.pull_request.head[?search(@, '^feature/')]", maxlength: 4096 });
  const preview = h("div", { class: "preview", "aria-live": "polite" });
  const message = h("div", { "aria-live": "polite" });
  const natsOnly = field("Subject (NATS)", subject, "Template: {source_id}, {type}, {subject}, {event_id}");
  const httpOnly = d ? null : field("Signing secret (HTTP, optional)", secret, "whsec_ and base64, as your receiver's Standard Webhooks library expects; generated when empty and shown once.");
  const showKind = () => {
    natsOnly.hidden = kind.value !== "nats";
    if (httpOnly) httpOnly.hidden = kind.value !== "http";
  };
  kind.addEventListener("change", showKind);
  showKind();

  const subscription = () => {
    const globs = list(types.value);
    const body = { types: globs.length ? globs : ["*"], filter: filter.value.trim() || null };
    const picked = sourceBoxes.filter(({ box }) => box.checked).map(({ s }) => s.id);
    body.sources = picked.length ? picked : null;
    return body;
  };
  async function runPreview() {
    clear(preview, h("p", { class: "loading" }, "Looking at recent events…"));
    try {
      const r = await post("/api/v1/destinations/preview", subscription());
      clear(preview,
        r.warning ? notice("warn", r.warning) : null,
        h("p", {}, `Of the ${r.examined} most recent events of these types and sources, ${r.matched.length >= 20 ? "at least 20 (the newest shown)" : r.matched.length} would be delivered.`),
        table([["Received", (e) => time(e.received_at)], ["Type", (e) => code(e.type)], ["Event", (e) => link(`#/events/${e.id}`, e.id)]],
          r.matched, "None would be.", "Matching events"));
    } catch (error) {
      clear(preview, notice("error", error.field ? `${error.field}: ${error.message}` : error.message));
    }
  }
  async function save() {
    clear(message);
    const sub = subscription();
    const body = { name: name.value.trim(), event_types: sub.types, source_ids: sub.sources, filter: sub.filter };
    try {
      let answer;
      if (d) {
        answer = await patch(`/api/v1/destinations/${d.id}`, body);
      } else {
        Object.assign(body, { kind: kind.value, url: url.value.trim() });
        if (kind.value === "nats") body.subject = subject.value.trim();
        else if (secret.value.trim()) body.secret = secret.value.trim();
        answer = await post("/api/v1/destinations", body);
      }
      for (const w of answer.warnings || []) toast(w, "warn");
      if (!d && answer.secret) {
        clear(main, h("h1", {}, `Destination “${answer.name}” created`),
          section("Its signing secret (shown once)", copyable(answer.secret, "signing secret"),
            h("p", {}, "The receiver verifies each POST with any Standard Webhooks library and this secret.")),
          (answer.warnings || []).map((w) => notice("warn", w)),
          h("p", {}, link(`#/destinations/${answer.id}`, "Open the destination")));
      } else if (!d) {
        location.hash = `#/destinations/${answer.id}`;
      } else {
        toast("Saved");
        (answer.warnings || []).forEach((w) => message.append(notice("warn", w)));
      }
    } catch (error) {
      message.append(notice("error", error.field ? `${error.field}: ${error.message}` : error.message));
    }
  }
  main.append(
    d ? null : h("p", { class: "crumbs" }, link("#/destinations", "Destinations"), " / new"),
    h(d ? "h2" : "h1", {}, d ? "Subscription" : "New destination"),
    h("form", { class: "card", onsubmit: (e) => { e.preventDefault(); save(); } },
      h("fieldset", { disabled: readOnly }, 
        field("Name", name), field("Kind", kind), field("URL", url, d ? "The target cannot change; make a new destination." : "HTTP: where to POST; NATS: nats://host:4222"), natsOnly, httpOnly,
        field("Event types (comma-separated globs; empty: every type)", types),
        sources.length ? h("fieldset", { class: "checks" }, h("legend", {}, "Sources (none checked: every source)"),
          sourceBoxes.map(({ s, box }) => h("label", { class: "check" }, box, " ", s.name))) : null,
        field("JSONPath filter over the event's data (optional)", filter, "RFC 9535: a filter [?…] tests the children of the node before it, so $.a[?@.b == 1] matches when some child of a has b equal to 1. Preview it on recent events before saving.")),
      h("div", { class: "toolbar" },
        button2("Preview matches", runPreview),
        guarded("write", () => h("button", { type: "submit", class: "primary" }, d ? "Save" : "Create destination"))),
      preview, message));
}

function button2(label, run) {
  return h("button", { type: "button", onclick: run }, label);
}
