// Adapters: the loaded ones with version and hash, their kept versions
// (roll back), the sources pinned to a version, uploading a .wasm (the
// validation error shown when refused), and shadow runs with their counts
// and differences side by side.

import { get, put, post, patch, del, query } from "../lib/api.js";
import { h, clear, field, input, select, section, code, link, action, table, time, guarded, notice, badge, json, toast, pager } from "../lib/dom.js";

export async function render(main, ctx) {
  if (ctx.params[0]) return detail(main, ctx.params[0]);
  const plugins = await get("/api/v1/plugins");
  main.append(h("h1", {}, "Adapters"),
    guarded("admin", () => upload("Upload an adapter", (name) => `/api/v1/plugins/${encodeURIComponent(name)}`, null, (r) => `Serving ${r.name} ${r.version} (${r.hash.slice(0, 12)}…)`)),
    table([
      ["Adapter", (p) => link(`#/adapters/${p.name}`, p.name)],
      ["Version", (p) => code(p.version)],
      ["Hash", (p) => h("code", { class: "hash", title: p.hash }, `${p.hash.slice(0, 16)}…`)],
      ["Kept versions", (p) => String((p.versions || []).length)],
    ], plugins, "No adapter loaded.", "Adapters"));
}

/// A .wasm upload form: `path(name)` is where it is PUT; the server's
/// refusal (validation) is shown as it came.
function upload(title, path, fixedName, describe, after) {
  const name = input({ name: "adapter_name", required: true, value: fixedName || "", placeholder: "stripe", readonly: !!fixedName });
  const file = h("input", { type: "file", name: "wasm", accept: ".wasm,application/wasm", required: true });
  const out = h("div", { class: "upload-result", "aria-live": "polite" });
  file.addEventListener("change", () => {
    if (!fixedName && !name.value && file.files[0]) name.value = file.files[0].name.replace(/\.wasm$/, "").replace(/_/g, "-");
  });
  return section(title, h("form", { class: "row", onsubmit: (e) => e.preventDefault() },
    field("Adapter name", name), field(".wasm component", file),
    action("Upload", async () => {
      clear(out);
      if (!file.files[0] || !name.value.trim()) {
        out.append(notice("error", "Choose a name and a .wasm file."));
        return;
      }
      try {
        const r = await put(path(name.value.trim()), { raw: await file.files[0].arrayBuffer() });
        out.append(notice("ok", describe(r)));
        if (after) after();
      } catch (error) {
        out.append(notice("error", h("strong", {}, "Refused: "), error.message));
      }
    }, { class: "primary" })), out);
}

async function detail(main, name) {
  const [plugins, sources] = await Promise.all([get("/api/v1/plugins"), get("/api/v1/sources")]);
  const p = plugins.find((x) => x.name === name);
  if (!p) {
    main.append(h("h1", {}, name), notice("error", "No adapter of this name is loaded."));
    return;
  }
  const reload = () => { clear(main); return detail(main, name); };
  const base = `/api/v1/plugins/${encodeURIComponent(name)}`;
  const using = sources.filter((s) => s.plugin === name);
  main.append(
    h("p", { class: "crumbs" }, link("#/adapters", "Adapters"), " / ", name),
    h("h1", {}, name, " ", code(p.version)),
    h("p", { class: "muted" }, "Hash ", code(p.hash)),
    section("Kept versions (newest first)", table([
      ["Version", (v) => code(v.version)],
      ["Hash", (v) => h("code", { class: "hash", title: v.hash }, `${v.hash.slice(0, 16)}…`)],
      ["First seen", (v) => time(v.first_seen)],
      ["", (v) => v.live ? badge("live") : guarded("admin", () => action(`Roll back to ${v.version}`, async () => {
        await post(`${base}/rollback`, { to: v.hash });
        toast(`${name} serves ${v.version}`);
        await reload();
      }))],
    ], p.versions || [], "No kept version.", "Kept versions")),
    section("Sources using it (pin one to a version)", table([
      ["Source", (s) => link(`#/sources/${s.id}`, s.name)],
      ["Pinned", (s) => s.adapter_version ? code(s.adapter_version) : "latest"],
      ["", (s) => guarded("write", () => {
        const pick = select([["", "latest"], ...[...new Set((p.versions || []).map((v) => v.version))].map((v) => [v])], { "aria-label": `Version for ${s.name}` });
        pick.value = s.adapter_version || "";
        return h("span", { class: "row" }, pick, action("Pin", async () => {
          await patch(`/api/v1/sources/${s.id}`, { adapter_version: pick.value || null });
          await reload();
        }));
      })],
    ], using, "No source uses this adapter.", "Sources")),
    guarded("admin", () => upload("Upload a new version", () => base, name, (r) => `Serving ${r.name} ${r.version}`, reload)),
    await shadow(base, name, reload));
}

async function shadow(base, name, reload) {
  const box = h("div");
  const report = await get(`${base}/shadow${query({ limit: 1 })}`);
  const s = report.shadow;
  const diffs = h("div");
  pager(diffs, (cursor) => get(`${base}/shadow${query({ cursor, limit: 10 })}`).then((r) => ({ data: r.differences, next_cursor: r.next_cursor })), (rows) =>
    rows.length ? h("div", {}, rows.map((d) => h("article", { class: "diff card" },
      h("p", {}, time(d.recorded_at), " · source ", link(`#/sources/${d.source_id}`, d.source_id), " · request ", code(d.request_id || "")),
      h("div", { class: "side-by-side" },
        h("div", {}, h("h3", {}, `live ${d.live_version}`), json(d.live)),
        h("div", {}, h("h3", {}, `shadow ${d.shadow_version}`), json(d.shadow)))))) : h("p", { class: "empty" }, "No difference recorded."));
  box.append(
    s ? h("p", {}, "Candidate ", code(s.version), ` · compared ${s.compared} · differed ${s.differed} · skipped ${s.skipped} `,
      guarded("admin", () => action("End the shadow run", async () => { await del(`${base}/shadow`); await reload(); })))
      : h("p", { class: "muted" }, "No shadow run. A candidate in shadow answers every request beside the live adapter; differences are recorded, nothing it says is used."),
    guarded("admin", () => upload("Start a shadow run with a candidate", () => `${base}/shadow`, name, (r) => `Shadowing ${r.version}`, reload)),
    h("h3", {}, "Differences"), diffs);
  return section("Shadow runs", box);
}
