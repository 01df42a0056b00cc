// Access: named tokens (the token shown once at creation; revoke) and the
// audit log of every call that could change something.

import { get, post, del, query } from "../lib/api.js";
import { h, clear, field, input, select, section, code, action, table, time, guarded, notice, badge, copyable, pager } from "../lib/dom.js";

export async function render(main) {
  const tokens = await get("/api/v1/tokens");
  const name = input({ name: "token_name", required: true, maxlength: 200 });
  const scope = select([["read", "read: see everything"], ["write", "write: also change sources, destinations, replays"], ["admin", "admin: also adapters, tokens, audit log"]], { name: "scope" });
  const created = h("div", { "aria-live": "polite" });
  const audit = h("div");
  const redraw = async () => { clear(main); await render(main); };
  main.append(h("h1", {}, "Access"),
    section("Named tokens", created,
      guarded("admin", () => h("form", { class: "row", onsubmit: (e) => e.preventDefault() }, field("Name", name), field("Scope", scope),
        action("Create token", async () => {
          const t = await post("/api/v1/tokens", { name: name.value.trim(), scope: scope.value });
          clear(created, notice("ok", h("p", {}, `Token “${t.name}” (${t.scope}). Copy it now: it is shown once.`), copyable(t.token, "new token")));
          name.value = "";
        }, { class: "primary" }))),
      table([
        ["Name", (t) => t.name],
        ["Scope", (t) => badge(t.scope)],
        ["Prefix", (t) => code(`${t.prefix}…`)],
        ["Created", (t) => [time(t.created_at), ` by ${t.created_by}`]],
        ["State", (t) => t.revoked_at ? ["revoked ", time(t.revoked_at)] : badge("active")],
        ["", (t) => t.revoked_at ? null : guarded("admin", () => action("Revoke", async () => {
          if (!confirm(`Revoke the token ${t.name}?`)) return;
          await del(`/api/v1/tokens/${encodeURIComponent(t.id)}`);
          await redraw();
        }, { class: "danger", "aria-label": `Revoke ${t.name}` }))],
      ], tokens, "No named token.", "Tokens")),
    section("Audit log (newest first)", audit));
  pager(audit, (cursor) => get(`/api/v1/audit${query({ limit: 50, cursor })}`), (rows) => table([
    ["At", (a) => time(a.at)], ["Actor", (a) => a.actor], ["Call", (a) => code(`${a.method} ${a.path}`)],
    ["Status", (a) => String(a.status)], ["From", (a) => a.remote_ip || ""],
  ], rows, "Nothing audited yet.", "Audit log"));
}
