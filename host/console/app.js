// The console's entry point: sign-in state, the navigation and a router
// over `#/...` fragments (no server route per page). Each page module
// exports `render(main, ctx)`; ctx has the route's `params`, its `query`
// and `onLeave(fn)` for what must stop when the page is left (live tails).

import { get, token } from "./lib/api.js";
import { session } from "./lib/session.js";
import { h, clear, notice, button } from "./lib/dom.js";

const PAGES = [
  // [pattern, module, nav label (or null), scope needed to see it]
  [/^overview$/, "overview", "Overview", "read"],
  [/^presets$/, "presets", "Presets", "read"],
  [/^presets\/([^/]+)$/, "presets", null, "read"],
  [/^new-source$/, "new-source", null, "write"],
  [/^sources$/, "sources", "Sources", "read"],
  [/^sources\/([^/]+)$/, "source", null, "read"],
  [/^events$/, "events", "Events", "read"],
  [/^events\/([^/]+)$/, "events", null, "read"],
  [/^destinations$/, "destinations", "Destinations", "read"],
  [/^destinations\/([^/]+)$/, "destinations", null, "read"],
  [/^deliveries$/, "deliveries", "Deliveries", "read"],
  [/^deliveries\/([^/]+)$/, "deliveries", null, "read"],
  [/^adapters$/, "adapters", "Adapters", "read"],
  [/^adapters\/([^/]+)$/, "adapters", null, "read"],
  [/^access$/, "access", "Access", "admin"],
];

const main = document.getElementById("main");
const nav = document.getElementById("nav");
let leaving = [];

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, search] = raw.split("?");
  return { path: path || "overview", query: new URLSearchParams(search || "") };
}

function drawNav(current) {
  clear(nav, h("ul", {}, PAGES.filter(([, , label, scope]) => label && session.can(scope)).map(([pattern, , label]) => {
    const name = pattern.source.replace(/[\^$]/g, "");
    const here = current.split("/")[0] === name;
    return h("li", {}, h("a", { href: `#/${name}`, "aria-current": here ? "page" : false }, label));
  })));
  clear(document.getElementById("who"),
    h("span", { class: "actor" }, `${session.actor} · ${session.scope}`),
    button("Sign out", signOut, { class: "link" }));
}

function signOut() {
  token.clear();
  session.clear();
  location.hash = "#/overview";
  route();
}

let generation = 0;

async function route() {
  // A newer navigation makes this one stale: it must not draw over it.
  const mine = ++generation;
  for (const stop of leaving) stop();
  leaving = [];
  nav.hidden = true;
  document.getElementById("menu-toggle").setAttribute("aria-expanded", "false");
  if (!token.get() || !session.scope) {
    document.body.classList.add("signed-out");
    clear(document.getElementById("who"));
    clear(nav);
    const signin = await import("./pages/signin.js");
    if (mine === generation) signin.render(main, { done: route });
    return;
  }
  document.body.classList.remove("signed-out");
  nav.hidden = false;
  const { path, query } = parseHash();
  drawNav(path);
  const match = PAGES.find(([pattern, , , scope]) => pattern.test(path) && session.can(scope));
  if (!match) {
    clear(main, h("h1", {}, "Not found"), notice("error", `No page #/${path} for this token.`));
    main.dataset.renderedMs = 0;
    return;
  }
  const params = path.match(match[0]).slice(1).map(decodeURIComponent);
  const started = performance.now();
  const module = await import(`./pages/${match[1]}.js`);
  if (mine !== generation) return;
  // The page draws into a view of its own, shown once its render is done.
  const view = h("div", { class: "view" });
  try {
    await module.render(view, { params, query, onLeave: (fn) => leaving.push(fn) });
  } catch (error) {
    view.append(notice("error", error.message));
  }
  if (mine !== generation) return;
  clear(main, view);
  main.dataset.renderedMs = Math.round(performance.now() - started);
  document.title = `${(main.querySelector("h1") || {}).textContent || "Hookyard"} · Hookyard console`;
  main.focus({ preventScroll: true });
}

/// Resumes a session kept in this tab (sessionStorage) after a reload.
async function boot() {
  document.getElementById("menu-toggle").addEventListener("click", (event) => {
    const open = event.currentTarget.getAttribute("aria-expanded") !== "true";
    event.currentTarget.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("menu-open", open);
  });
  nav.addEventListener("click", () => document.body.classList.remove("menu-open"));
  window.addEventListener("hashchange", () => {
    document.body.classList.remove("menu-open");
    route();
  });
  window.addEventListener("hookyard:unauthorized", () => {
    token.clear();
    session.clear();
    route();
  });
  if (token.get()) {
    try {
      session.set(await get("/api/v1/session"));
    } catch (_) {
      token.clear();
    }
  }
  route();
}

boot();
