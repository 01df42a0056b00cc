// The management API client: the bearer token from this tab's
// sessionStorage in the Authorization header (never in a URL), JSON in and
// out, refusals as ApiError with the server's {error, message, field}.

const TOKEN_KEY = "hookyard.token";

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.field = body && body.field;
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

function headers(extra) {
  return { Authorization: `Bearer ${token.get() || ""}`, ...extra };
}

/// Calls `method path` with an optional JSON body (or raw bytes with
/// `{raw: ArrayBuffer}`); resolves to the JSON answer (null for 204).
export async function api(method, path, body) {
  const init = { method, headers: headers(), cache: "no-store" };
  if (body && body.raw !== undefined) {
    init.headers["Content-Type"] = "application/octet-stream";
    init.body = body.raw;
  } else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (_) {
    json = { message: text };
  }
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent("hookyard:unauthorized"));
    throw new ApiError(response.status, json);
  }
  return json;
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body === undefined ? {} : body);
export const patch = (path, body) => api("PATCH", path, body);
export const put = (path, body) => api("PUT", path, body);
export const del = (path) => api("DELETE", path);

/// A query string from an object, leaving out empty values.
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/// Reads the server-sent events of `path` with fetch (EventSource cannot
/// send the Authorization header) and calls `onEvent(data, id)` for each
/// `event` message. Returns a function that stops it.
export function stream(path, onEvent, onState) {
  const controller = new AbortController();
  (async () => {
    try {
      const response = await fetch(path, { headers: headers({ Accept: "text/event-stream" }), signal: controller.signal, cache: "no-store" });
      if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
      onState && onState("live");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let data = "", id = null, kind = "message";
          for (const line of block.split("\n")) {
            if (line.startsWith("data:")) data += line.slice(5).trimStart();
            else if (line.startsWith("id:")) id = line.slice(3).trim();
            else if (line.startsWith("event:")) kind = line.slice(6).trim();
          }
          if (kind === "event" && data) onEvent(JSON.parse(data), id);
        }
      }
      onState && onState("ended");
    } catch (error) {
      if (error.name !== "AbortError") onState && onState("error", error);
    }
  })();
  return () => controller.abort();
}
