// The preset catalog: searchable by vendor, name and event type; each
// preset's secrets (what to paste, where the vendor shows it), docs link,
// event catalog and a settings form generated from its JSON Schema.

import { get } from "../lib/api.js";
import { h, clear, field, input, link, table, code, guarded, section } from "../lib/dom.js";
import { schemaForm } from "../lib/schema-form.js";

export async function render(main, ctx) {
  if (ctx.params[0]) return detail(main, ctx.params[0]);
  const presets = await get("/api/v1/presets");
  const search = input({ type: "search", name: "q", placeholder: "stripe, GitHub, invoice.paid…", value: ctx.query.get("q") || "" });
  const results = h("div", { class: "preset-grid" });
  const count = h("p", { class: "muted", role: "status" });
  function draw() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = presets.filter((p) => words.every((w) => haystack(p).includes(w)));
    count.textContent = `${shown.length} of ${presets.length} presets`;
    clear(results, shown.map(card));
  }
  search.addEventListener("input", draw);
  main.append(h("h1", {}, "Preset catalog"),
    h("p", {}, "A preset is a vendor's configuration of an adapter. Pick one to see what to paste and where the vendor shows it."),
    field("Search by vendor, name or event type", search), count, results);
  draw();
}

function haystack(p) {
  return [p.name, p.display_name, p.plugin, p.description, ...(p.event_types || []).map((t) => t.name)].join(" ").toLowerCase();
}

function card(p) {
  return h("article", { class: "preset card", dataset: { preset: p.name } },
    h("h2", {}, h("a", { href: `#/presets/${encodeURIComponent(p.name)}` }, p.display_name || p.name)),
    h("p", { class: "muted" }, code(p.name), ` · adapter ${p.plugin} ${p.version}`),
    h("p", {}, p.description),
    h("p", { class: "muted" }, `${(p.event_types || []).length} event types`),
    guarded("write", () => h("a", { class: "button", href: `#/new-source?preset=${encodeURIComponent(p.name)}` }, "New source")));
}

export function secretsHelp(p) {
  if (!(p.secrets || []).length) return h("p", {}, "This preset needs no secret.");
  return h("dl", { class: "secrets-help" }, p.secrets.map((s) => [
    h("dt", {}, s.label, s.required ? " (required)" : " (optional)"),
    h("dd", {}, s.help)]));
}

async function detail(main, name) {
  const p = await get(`/api/v1/presets/${encodeURIComponent(name)}`);
  const filter = input({ type: "search", name: "types", placeholder: "filter event types" });
  const catalog = h("div");
  const drawCatalog = () => {
    const w = filter.value.toLowerCase();
    clear(catalog, table([["Event type", (t) => code(t.name)], ["Description", (t) => t.description]],
      (p.event_types || []).filter((t) => !w || t.name.toLowerCase().includes(w) || (t.description || "").toLowerCase().includes(w)),
      "This adapter lists no event types (any type is accepted).", "Event catalog"));
  };
  filter.addEventListener("input", drawCatalog);
  drawCatalog();
  const d = p.discriminator || {};
  main.append(
    h("p", { class: "crumbs" }, link("#/presets", "Presets"), " / ", p.name),
    h("h1", {}, p.display_name || p.name),
    h("p", {}, p.description),
    h("p", {}, "Adapter ", code(`${p.plugin} ${p.version}`), p.docs_url ? [" · ", h("a", { href: p.docs_url, rel: "noopener noreferrer", target: "_blank" }, "vendor documentation")] : null),
    guarded("write", () => h("a", { class: "button primary", href: `#/new-source?preset=${encodeURIComponent(p.name)}` }, "New source from this preset")),
    section("What to paste", secretsHelp(p)),
    section("Where the event type comes from", h("p", {}, `${d.location || "?"} `, code(d.path || ""), d.note ? ` — ${d.note}` : "")),
    section("Settings", h("p", { class: "muted" }, "The form a new source fills in, generated from the adapter's settings schema. This preset sets: ", code(JSON.stringify(p.settings || {}))), schemaForm(p.settings_schema, p.settings).el),
    section(`Event catalog (${(p.event_types || []).length})`, field("Filter", filter), catalog));
}
