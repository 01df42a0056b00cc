// Sign-in: the admin token or a named token, checked with
// GET /api/v1/session and kept in this tab's sessionStorage only.

import { get, token, ApiError } from "../lib/api.js";
import { session } from "../lib/session.js";
import { h, clear, field, input, notice } from "../lib/dom.js";

export async function render(main, ctx) {
  const tokenInput = input({ type: "password", name: "token", autocomplete: "current-password", required: true, spellcheck: "false" });
  const message = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card signin", onsubmit: async (event) => {
    event.preventDefault();
    clear(message);
    token.set(tokenInput.value.trim());
    try {
      session.set(await get("/api/v1/session"));
      if (!location.hash || location.hash === "#/") location.hash = "#/overview"; // routes
      else ctx.done();
    } catch (error) {
      token.clear();
      session.clear();
      const why = error instanceof ApiError && error.status === 401
        ? "This token is not valid (revoked, mistyped, or for another server)."
        : error.message;
      message.append(notice("error", why));
    }
  } },
  h("h1", {}, "Sign in"),
  h("p", {}, "Paste the admin token (", h("code", {}, "hookyard.db.admin-token"), ", or ", h("code", {}, "HOOKYARD_ADMIN_TOKEN"),
    ") or a named token (", h("code", {}, "hookyard token add"), "). It stays in this browser tab and is sent only as an Authorization header."),
  field("API token", tokenInput),
  h("button", { type: "submit", class: "primary" }, "Sign in"),
  message);
  clear(main, form);
  tokenInput.focus();
}
