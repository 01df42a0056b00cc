// A settings form generated from a preset's JSON Schema (draft 2020-12):
// one labelled control per top-level property (strings, numbers, booleans,
// enums, string arrays); anything else as JSON text. `value()` returns the
// settings object (only the fields set).

import { h, field, input, select } from "./dom.js";

export function schemaForm(schema, initial) {
  if (typeof schema === "string") {
    try { schema = JSON.parse(schema); } catch (_) { schema = {}; }
  }
  const props = (schema && schema.properties) || {};
  const required = new Set((schema && schema.required) || []);
  const readers = [];
  const fields = Object.entries(props).map(([name, prop]) => {
    const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== "null") : prop.type;
    const start = initial && initial[name] !== undefined ? initial[name] : prop.default;
    const label = `${prop.title || name}${required.has(name) ? " (required)" : ""}`;
    let control, read;
    if (prop.enum) {
      control = select([["", "(default)"], ...prop.enum.map((v) => [String(v)])], { name });
      if (start !== undefined) control.value = String(start);
      read = () => control.value === "" ? undefined : prop.enum.find((v) => String(v) === control.value);
    } else if (type === "boolean") {
      control = h("input", { type: "checkbox", name, checked: !!start });
      const initialState = !!start;
      read = () => control.checked === initialState && start === undefined ? undefined : control.checked;
    } else if (type === "integer" || type === "number") {
      control = input({ type: "number", name, value: start ?? "", min: prop.minimum, max: prop.maximum, step: type === "integer" ? 1 : "any" });
      read = () => control.value === "" ? undefined : Number(control.value);
    } else if (type === "array" && prop.items && prop.items.type === "string") {
      control = h("textarea", { name, rows: 2 }, (start || []).join("\n"));
      read = () => {
        const items = control.value.split("\n").map((s) => s.trim()).filter(Boolean);
        return items.length ? items : undefined;
      };
    } else if (type === "string") {
      control = input({ name, value: start ?? "", maxlength: prop.maxLength, pattern: prop.pattern });
      read = () => control.value === "" ? undefined : control.value;
    } else {
      control = h("textarea", { name, rows: 3 }, start === undefined ? "" : JSON.stringify(start, null, 2));
      read = () => {
        if (control.value.trim() === "") return undefined;
        try { return JSON.parse(control.value); } catch (_) { throw new Error(`${name} is not valid JSON`); }
      };
    }
    readers.push([name, read]);
    return field(label, control, prop.description);
  });
  const el = h("fieldset", { class: "schema-form" }, h("legend", {}, "Settings"),
    fields.length ? fields : h("p", { class: "empty" }, "This preset has no settings."));
  return {
    el,
    value() {
      const out = {};
      for (const [name, read] of readers) {
        const v = read();
        if (v !== undefined) out[name] = v;
      }
      return out;
    },
  };
}
