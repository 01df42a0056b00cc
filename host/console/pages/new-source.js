// New source from a preset, a wizard: name, secret(s), settings (a form
// from the preset's schema), event types from the catalog and the
// unknown-type policy, limits; then the webhook URL with a copy button,
// "Send a test event" (the adapter's `sign` makes a realistic signed
// request that the server sends to the source) and a live tail of the
// source's events.

import { get, post, query } from "../lib/api.js";
import { h, clear, field, input, select, notice, copyable, section, code, link, action, list, badge } from "../lib/dom.js";
import { schemaForm } from "../lib/schema-form.js";
import { liveTail } from "../lib/tail.js";
import { secretsHelp } from "./presets.js";

export async function render(main, ctx) {
  const presets = await get("/api/v1/presets");
  const chosen = ctx.query.get("preset");
  const preset = presets.find((p) => p.name === chosen);
  main.append(h("p", { class: "crumbs" }, link("#/presets", "Presets"), " / new source"), h("h1", {}, "New source"));
  if (!preset) {
    const pick = select([["", "Choose a preset…"], ...presets.map((p) => [p.name, `${p.display_name} (${p.name})`])], { name: "preset" });
    pick.addEventListener("change", () => { location.hash = `#/new-source${query({ preset: pick.value })}`; });
    main.append(section("1. Preset", field("Preset", pick), h("p", {}, "Or search the ", link("#/presets", "catalog"), ".")));
    return;
  }
  const name = input({ name: "name", required: true, maxlength: 200, value: `${preset.name}` });
  const secretInputs = (preset.secrets || []).map((s) => ({ spec: s, el: input({ type: "password", name: "secret", autocomplete: "off", spellcheck: "false" }) }));
  const settings = schemaForm(preset.settings_schema, preset.settings);
  const types = (preset.event_types || []).map((t) => ({ t, box: h("input", { type: "checkbox", value: t.name, name: "event_type" }) }));
  const unknown = select([["accept", "accept (store events of types the catalog does not list)"], ["reject", "reject (answer 422)"], ["drop", "drop (answer 200, store nothing)"]], { name: "unknown_types" });
  const rate = input({ type: "number", name: "rate_per_second", min: 0, placeholder: "server default" });
  const burst = input({ type: "number", name: "burst", min: 0, placeholder: "server default" });
  const bodyBytes = input({ type: "number", name: "body_bytes", min: 1, placeholder: "server default" });
  const allowIps = input({ name: "allow_ips", placeholder: "e.g. 3.18.12.63/32, 3.130.192.231/32" });
  const message = h("div", { "aria-live": "polite" });

  const form = h("form", { class: "wizard", onsubmit: (event) => { event.preventDefault(); create(); } },
    section("1. Preset", h("p", {}, h("strong", {}, preset.display_name), " ", code(preset.name), " — ", preset.description), secretsHelp(preset)),
    section("2. Name and secret",
      field("Source name", name),
      secretInputs.map(({ spec, el }) => field(`${spec.label}${spec.required ? "" : " (optional)"}`, el, spec.help)),
      h("p", { class: "muted" }, "Secrets are sealed at rest and never shown again; more can be added later with an expiry (rotation).")),
    section("3. Settings", settings.el),
    section("4. Event types",
      types.length
        ? h("fieldset", { class: "checks" }, h("legend", {}, "Keep only these types (none checked: all of them)"),
          types.map(({ t, box }) => h("label", { class: "check" }, box, " ", code(t.name), h("small", { class: "muted" }, ` ${t.description}`))))
        : h("p", { class: "muted" }, "This adapter has no event catalog."),
      field("Types the catalog does not list", unknown)),
    section("5. Limits (optional)",
      h("div", { class: "row" }, field("Requests per second", rate), field("Burst", burst), field("Largest body (bytes)", bodyBytes)),
      field("Allowed client networks (comma-separated CIDR)", allowIps)),
    h("button", { type: "submit", class: "primary" }, "Create source"), message);
  main.append(form);

  async function create() {
    clear(message);
    const body = { name: name.value.trim(), preset: preset.name, unknown_types: unknown.value };
    try {
      body.secrets = secretInputs.map(({ el }) => el.value.trim()).filter(Boolean);
      const s = settings.value();
      if (Object.keys(s).length) body.settings = s;
      const picked = types.filter(({ box }) => box.checked).map(({ t }) => t.name);
      if (picked.length) body.event_types = picked;
      const limits = {};
      if (rate.value !== "") limits.rate_per_second = Number(rate.value);
      if (burst.value !== "") limits.burst = Number(burst.value);
      if (bodyBytes.value !== "") limits.body_bytes = Number(bodyBytes.value);
      if (allowIps.value.trim()) limits.allow_ips = list(allowIps.value);
      if (Object.keys(limits).length) body.limits = limits;
      const source = await post("/api/v1/sources", body);
      created(main, source, preset, ctx);
    } catch (error) {
      message.append(notice("error", error.field ? `${error.field}: ${error.message}` : error.message));
    }
  }
}

function created(main, source, preset, ctx) {
  const eventType = select([["", "the catalog's first"], ...(source.event_types || (preset.event_types || []).map((t) => t.name)).map((t) => [t])], { name: "test_event_type" });
  const result = h("div", { class: "test-result", "aria-live": "polite" });
  const tail = liveTail({ source_id: source.id }, { autostart: true });
  ctx.onLeave(tail.stop);
  clear(main,
    h("p", { class: "crumbs" }, link("#/sources", "Sources"), " / ", source.name),
    h("h1", {}, `Source “${source.name}” is ready`),
    section("6. Paste this URL into the vendor's webhook settings",
      copyable(source.url, "webhook URL"),
      h("p", { class: "muted" }, "Behind a proxy or on another host, start the server with --public-url so this shows your public address."),
      secretsHelp(preset)),
    section("7. Try it",
      h("p", {}, "The adapter signs a realistic request with this source's secret, and the server sends it to the URL above, as the vendor would."),
      h("div", { class: "row" }, field("Event type", eventType),
        action("Send a test event", async () => {
          clear(result, h("p", { class: "loading" }, "Sending…"));
          const answer = await post(`/api/v1/sources/${source.id}/test-event`, eventType.value ? { event_type: eventType.value } : {});
          clear(result, testResult(answer));
        }, { class: "primary", dataset: { needs: "write" } })),
      result),
    section("Events from this source, live", tail.el),
    h("p", {}, link(`#/sources/${source.id}`, "Open the source page"), " · ", link("#/new-source", "Create another")));
}

export function testResult(answer) {
  const ok = answer.outcome === "accepted" || answer.outcome === "duplicate";
  return notice(ok ? "ok" : "error",
    h("p", {}, "HTTP ", String(answer.status), " · ", badge(answer.outcome), answer.reason ? ` — ${answer.reason}` : ""),
    (answer.event_ids || []).length ? h("p", {}, "Events: ", answer.event_ids.map((id) => [link(`#/events/${id}`, id), " "])) : null,
    answer.request_id ? h("p", { class: "muted" }, "Request ", code(answer.request_id)) : null);
}
