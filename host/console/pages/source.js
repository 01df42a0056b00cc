// One source: its URL and key rotation (with grace), enable/disable,
// secrets (add with expiry, remove; values never shown), limits, the test
// event, recent requests with their outcome and reason in words, events,
// and quarantined requests with "reprocess".

import { get, post, patch, del, query } from "../lib/api.js";
import { h, clear, field, input, notice, copyable, section, code, link, action, badge, table, time, pager, guarded, toast, select } from "../lib/dom.js";
import { testResult } from "./new-source.js";

export async function render(main, ctx) {
  const id = ctx.params[0];
  const s = await get(`/api/v1/sources/${encodeURIComponent(id)}`);
  const reload = () => { clear(main); return render(main, ctx); };
  const path = `/api/v1/sources/${encodeURIComponent(id)}`;

  const grace = input({ type: "number", name: "grace_seconds", min: 0, value: 3600 });
  const keySection = section("Webhook URL", copyable(s.url, "webhook URL"),
    s.previous_key_expires_at ? h("p", { class: "muted" }, "The previous URL keeps working until ", time(s.previous_key_expires_at), ".") : null,
    guarded("write", () => h("div", { class: "row" }, field("Old URL keeps working for (seconds)", grace),
      action("Rotate the URL", async () => {
        await post(`${path}/rotate-key`, { grace_seconds: Number(grace.value || 0) });
        toast("New URL made");
        await reload();
      }))));

  const secretValue = input({ type: "password", name: "new_secret", autocomplete: "off" });
  const expiry = input({ type: "number", name: "expires_in_seconds", min: 0, placeholder: "never" });
  const secrets = section(`Secrets (${s.secret_count} active)`,
    table([
      ["Prefix", (x) => code(`${x.prefix}…`)],
      ["Added", (x) => time(x.created_at)],
      ["Expires", (x) => x.expires_at ? time(x.expires_at) : "never"],
      ["State", (x) => badge(x.active ? "active" : "expired")],
      ["", (x) => guarded("write", () => action("Remove", async () => {
        if (!confirm(`Remove the secret ${x.prefix}…?`)) return;
        await del(`${path}/secrets/${x.id}`);
        await reload();
      }, { "aria-label": `Remove secret ${x.prefix}` }))],
    ], s.secrets || [], "No secret: this source refuses every request (fail closed).", "Secrets"),
    guarded("write", () => h("form", { class: "row", onsubmit: (e) => e.preventDefault() },
      field("New secret value", secretValue), field("Expires in (seconds, optional)", expiry),
      action("Add secret", async () => {
        const body = { secret: secretValue.value.trim() };
        if (expiry.value !== "") body.expires_in_seconds = Number(expiry.value);
        await post(`${path}/secrets`, body);
        await reload();
      }))));

  const limits = s.limits || {};
  const limitInputs = {
    rate_per_second: input({ type: "number", name: "rate_per_second", min: 0, value: limits.rate_per_second ?? "" }),
    burst: input({ type: "number", name: "burst", min: 0, value: limits.burst ?? "" }),
    body_bytes: input({ type: "number", name: "body_bytes", min: 1, value: limits.body_bytes ?? "" }),
    max_concurrent: input({ type: "number", name: "max_concurrent", min: 0, value: limits.max_concurrent ?? "" }),
  };
  const limitsSection = section("Limits (empty: the server's default)",
    h("div", { class: "row" },
      field("Requests per second", limitInputs.rate_per_second), field("Burst", limitInputs.burst),
      field("Largest body (bytes)", limitInputs.body_bytes), field("Requests at once", limitInputs.max_concurrent)),
    limits.allow_ips ? h("p", {}, "Allowed networks: ", code(limits.allow_ips.join(", "))) : null,
    guarded("write", () => action("Save limits", async () => {
      const body = { ...limits };
      for (const [k, el] of Object.entries(limitInputs)) {
        if (el.value === "") delete body[k]; else body[k] = Number(el.value);
      }
      await patch(path, { limits: body });
      toast("Limits saved");
      await reload();
    })));

  const testType = select([["", "the catalog's first"], ...(s.event_types || []).map((t) => [t])], { name: "test_event_type" });
  const testOut = h("div", { "aria-live": "polite" });
  const test = guarded("write", () => section("Send a test event",
    h("div", { class: "row" }, field("Event type", testType), action("Send a test event", async () => {
      clear(testOut, testResult(await post(`${path}/test-event`, testType.value ? { event_type: testType.value } : {})));
      requests.reload();
    }, { class: "primary" })), testOut));

  const requestsBox = h("div");
  const requests = pager(requestsBox, (cursor) => get(`/api/v1/requests${query({ source_id: id, limit: 20, cursor })}`), requestTable);
  const eventsBox = h("div");
  const since = new Date(Date.now() - 7 * 86400e3).toISOString();
  pager(eventsBox, (cursor) => get(`/api/v1/events${query({ source_id: id, since, limit: 20, cursor })}`), (rows) => table([
    ["Received", (e) => time(e.received_at)], ["Type", (e) => code(e.type)], ["Event", (e) => link(`#/events/${e.id}`, e.id)],
  ], rows, "No event in the last 7 days.", "Events"));
  const quarantineBox = h("div");
  pager(quarantineBox, (cursor) => get(`/api/v1/requests${query({ source_id: id, outcome: "adapter_failed", limit: 20, cursor })}`), requestTable);
  const reprocessSince = input({ type: "datetime-local", name: "since" });
  const reprocessOut = h("div", { "aria-live": "polite" });

  main.append(
    h("p", { class: "crumbs" }, link("#/sources", "Sources"), " / ", s.name),
    h("h1", {}, s.name),
    h("p", {}, "Preset ", link(`#/presets/${s.preset}`, s.preset), " · adapter ", code(s.plugin), s.adapter_version ? ` pinned to ${s.adapter_version}` : "", " · ", badge(s.enabled ? "enabled" : "disabled"),
      " · unknown types: ", code(s.unknown_types), s.event_types ? [" · types: ", code(s.event_types.join(", "))] : ""),
    h("div", { class: "toolbar" },
      guarded("write", () => action(s.enabled ? "Disable" : "Enable", async () => { await patch(path, { enabled: !s.enabled }); await reload(); })),
      guarded("write", () => action("Delete source", async () => {
        if (!confirm(`Delete the source ${s.name}? Its URL stops working.`)) return;
        await del(path);
        location.hash = "#/sources";
      }, { class: "danger" }))),
    keySection, test, secrets, limitsSection,
    section("Recent requests", requestsBox),
    section("Events", eventsBox),
    section("Quarantined requests (adapter failed, raw request kept)", quarantineBox,
      guarded("write", () => h("div", { class: "row" }, field("Received since", reprocessSince),
        action("Reprocess", async () => {
          const since = reprocessSince.value ? new Date(reprocessSince.value) : new Date(Date.now() - 30 * 86400e3);
          const r = await post(`${path}/reprocess`, { since: since.toISOString() });
          clear(reprocessOut, notice(r.still_failing ? "error" : "ok", `Reprocessed ${r.reprocessed}: ${r.accepted} accepted, ${r.duplicate} duplicate, ${r.rejected} rejected, ${r.still_failing} still failing.`));
        }))), reprocessOut));
}

export function requestTable(rows) {
  return table([
    ["Received", (r) => time(r.received_at)],
    ["Outcome", (r) => badge(r.outcome)],
    ["Status", (r) => String(r.status)],
    ["Reason", (r) => r.reason || ""],
    ["Events", (r) => String(r.event_count)],
    ["From", (r) => r.remote_ip || ""],
  ], rows, "No request.", "Requests");
}
