// Small DOM helpers: an element builder, tables, paging, forms, a JSON
// viewer, notices. No inline styles or handlers (the CSP forbids them):
// classes from style.css and listeners added here.

import { session } from "./session.js";

/// h("button", {class: "primary", onclick: fn}, "Save")
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "value") el.value = value;
    else if (key === "checked") el.checked = !!value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/// A control that changes something: created only when the session's scope
/// covers `scope` ("write" or "admin"), else nothing at all. Marked
/// data-needs so the browser tests can count them.
export function guarded(scope, build) {
  if (!session.can(scope)) return null;
  const el = build();
  el.dataset.needs = scope;
  return el;
}

let nextId = 0;
/// A labelled field: label + control (+ help), the control's id generated.
export function field(label, control, help) {
  const id = control.id || `f${++nextId}`;
  control.id = id;
  const helpEl = help ? h("small", { id: `${id}-help`, class: "help" }, help) : null;
  if (helpEl) control.setAttribute("aria-describedby", helpEl.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), control, helpEl);
}

export function input(attrs) {
  return h("input", { type: "text", ...attrs });
}

export function select(options, attrs) {
  return h("select", attrs || {}, options.map(([value, label]) => h("option", { value }, label ?? value)));
}

export function button(label, onclick, attrs) {
  return h("button", { type: "button", onclick, ...attrs }, label);
}

/// A button that runs an async action, shows it busy and reports failure
/// (in `notice`, else as a toast).
export function action(label, run, attrs) {
  const el = button(label, async () => {
    el.disabled = true;
    try {
      await run();
    } catch (error) {
      toast(error.message, "error");
    } finally {
      el.disabled = false;
    }
  }, attrs);
  return el;
}

export function toast(message, kind) {
  const box = document.getElementById("toasts");
  const el = h("div", { class: `toast ${kind || ""}`, role: kind === "error" ? "alert" : "status" }, message);
  box.append(el);
  setTimeout(() => el.remove(), 6000);
}

export function notice(kind, ...children) {
  return h("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, ...children);
}

/// A table: columns [[heading, row => cell]], rows; an empty note.
export function table(columns, rows, empty, caption) {
  if (!rows.length) return h("p", { class: "empty" }, empty || "Nothing yet.");
  return h("div", { class: "table-wrap" }, h("table", {},
    caption ? h("caption", { class: "sr-only" }, caption) : null,
    h("thead", {}, h("tr", {}, columns.map(([heading]) => h("th", { scope: "col" }, heading)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, columns.map(([heading, cell]) => h("td", { "data-label": heading }, cell(row))))))));
}

/// A server-paged list: `load(cursor)` resolves to {data, next_cursor};
/// `render(rows)` draws a page. Older pages are kept for "Previous".
export function pager(container, load, render) {
  const stack = [];
  let current = null;
  async function show(cursor) {
    clear(container, h("p", { class: "loading" }, "Loading…"));
    try {
      const page = await load(cursor);
      current = cursor;
      clear(container, render(page.data), h("nav", { class: "pager", "aria-label": "Pages" },
        button("Previous", () => show(stack.pop()), { disabled: stack.length === 0 }),
        button("Next", () => { stack.push(current); show(page.next_cursor); }, { disabled: !page.next_cursor || page.data.length === 0 })));
    } catch (error) {
      clear(container, notice("error", error.message));
    }
  }
  show(null);
  return { reload: () => show(current) };
}

export function time(text) {
  if (!text) return "";
  const date = new Date(text);
  return h("time", { datetime: text, title: text }, date.toLocaleString());
}

export function code(text) {
  return h("code", {}, text);
}

export function badge(text, kind) {
  return h("span", { class: `badge ${kind || text}` }, text);
}

export function link(href, text) {
  return h("a", { href }, text);
}

/// A collapsible JSON viewer.
export function json(value) {
  return h("pre", { class: "json", tabindex: "0" }, JSON.stringify(value, null, 2));
}

/// A read-only value with a copy button.
export function copyable(value, label) {
  const box = input({ value, readonly: true, "aria-label": label, class: "copy-value" });
  const copy = button("Copy", async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch (_) {
      box.select();
      document.execCommand("copy");
    }
    toast("Copied");
  }, { "aria-label": `Copy ${label}` });
  return h("div", { class: "copyable" }, box, copy);
}

export function section(title, ...children) {
  return h("section", { class: "card" }, h("h2", {}, title), ...children);
}

/// Comma- or line-separated text as a list (empty strings dropped).
export function list(text) {
  return text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}
