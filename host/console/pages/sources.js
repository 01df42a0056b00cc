// Sources: every source with its preset, state and secrets count.

import { get } from "../lib/api.js";
import { h, table, link, code, badge, guarded } from "../lib/dom.js";

export async function render(main) {
  const sources = await get("/api/v1/sources");
  main.append(h("h1", {}, "Sources"),
    guarded("write", () => h("a", { class: "button primary", href: "#/new-source" }, "New source")),
    table([
      ["Name", (s) => link(`#/sources/${s.id}`, s.name)],
      ["Preset", (s) => code(s.preset)],
      ["State", (s) => badge(s.enabled ? "enabled" : "disabled")],
      ["Secrets", (s) => String(s.secret_count)],
      ["Adapter", (s) => `${s.plugin}${s.adapter_version ? ` (pinned ${s.adapter_version})` : ""}`],
    ], sources, "No source yet: create one from a preset.", "Sources"));
}
