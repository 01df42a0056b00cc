//! How commands print what the server answered: for people by default,
//! as the API's own JSON with `--json`.
//!
//! A person reading a terminal wants a list as an aligned table and one
//! object as a short `key: value` block; a script wants the exact JSON the
//! API returned, which the API reference documents. [`Output::print`] is the
//! one place that chooses, so no command prints JSON by itself. Times are
//! shown one way everywhere: RFC 3339 in UTC, to the second
//! (`2026-11-23T10:00:00Z`), which reads the same in every time zone and can
//! be pasted back into `--since`.

use anyhow::Result;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;

/// `--json` or not.
#[derive(Clone, Copy)]
pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Output {
        Output { json }
    }

    /// Whether `--json` was given.
    pub fn json(self) -> bool {
        self.json
    }

    /// Prints an answer of the API: as is with `--json`, else as `human`
    /// renders it.
    pub fn print(self, answer: &Value, human: impl FnOnce(&Value) -> String) -> Result<()> {
        if self.json {
            println!("{}", serde_json::to_string_pretty(answer)?);
        } else {
            let text = human(answer);
            print!("{text}");
            if !text.is_empty() && !text.ends_with('\n') {
                println!();
            }
        }
        Ok(())
    }
}

/// Rows under headers, each column as wide as its widest cell.
pub struct Table {
    /// What the rows are, for the line printed instead of an empty table.
    what: &'static str,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(what: &'static str, headers: &[&'static str]) -> Table {
        Table {
            what,
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.headers.len(), "{:?}", self.headers);
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        if self.rows.is_empty() {
            return format!("no {}\n", self.what);
        }
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let headers = self.headers.iter().map(|h| h.to_string());
        for cells in std::iter::once(headers.collect::<Vec<_>>()).chain(self.rows.clone()) {
            let mut line = String::new();
            for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let _ = write!(line, "{cell:<width$}");
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// One object as `key: value` lines, keys aligned; a value of several lines
/// continues under the first.
#[derive(Default)]
pub struct Fields {
    pairs: Vec<(&'static str, String)>,
}

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }

    pub fn add(&mut self, key: &'static str, value: impl Into<String>) -> &mut Fields {
        self.pairs.push((key, value.into()));
        self
    }

    pub fn render(&self) -> String {
        let width = self
            .pairs
            .iter()
            .map(|(k, _)| k.len() + 1)
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        for (key, value) in &self.pairs {
            let mut lines = value.lines();
            let first = lines.next().unwrap_or_default();
            let _ = writeln!(out, "{:<width$} {first}", format!("{key}:"));
            for line in lines {
                let _ = writeln!(out, "{:<width$} {line}", "");
            }
        }
        out
    }
}

/// A JSON value as a cell: strings without quotes, `-` for null, lists
/// joined with commas, objects as compact JSON.
pub fn text(value: &Value) -> String {
    match value {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "-".into(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Value::Object(map) if map.is_empty() => "-".into(),
        other => other.to_string(),
    }
}

/// An RFC 3339 time of the API, in UTC to the second; `-` for none.
pub fn time(value: &Value) -> String {
    let Some(text) = value.as_str() else {
        return "-".into();
    };
    match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(t) => t
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        Err(_) => text.to_string(),
    }
}

/// `text`, cut to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A source or destination by its name where `names` knows it, else by id.
pub fn named(names: &HashMap<String, String>, id: &Value) -> String {
    id.as_str()
        .and_then(|id| names.get(id))
        .cloned()
        .unwrap_or_else(|| text(id))
}

/// `yes` or `no`.
pub fn yes_no(value: &Value) -> String {
    if value == true { "yes" } else { "no" }.into()
}

/// The rows of a list answer: a JSON array, or the `data` of a page.
pub fn rows(answer: &Value) -> &[Value] {
    answer
        .as_array()
        .or_else(|| answer["data"].as_array())
        .map_or(&[], Vec::as_slice)
}

/// Where the next page starts, said on stderr, when `answer` filled a page
/// of `limit` and has a `next_cursor`.
pub fn more(answer: &Value, limit: u32) {
    if rows(answer).len() >= limit as usize
        && let Some(cursor) = answer["next_cursor"].as_str()
    {
        eprintln!("more: add --cursor {cursor}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tables_align_columns_and_say_when_empty() {
        let mut table = Table::new("sources", &["ID", "NAME", "URL"]);
        table.row(vec!["src_1".into(), "payments".into(), "http://a".into()]);
        table.row(vec!["src_22".into(), "gh".into(), "-".into()]);
        assert_eq!(
            table.render(),
            "ID      NAME      URL\nsrc_1   payments  http://a\nsrc_22  gh        -\n"
        );
        assert_eq!(Table::new("sources", &["ID"]).render(), "no sources\n");
    }

    #[test]
    fn fields_align_keys_and_indent_continued_lines() {
        let mut fields = Fields::new();
        fields.add("id", "src_1").add("settings", "a\nb");
        assert_eq!(
            fields.render(),
            "id:       src_1\nsettings: a\n          b\n"
        );
    }

    #[test]
    fn values_and_times_print_plainly() {
        assert_eq!(text(&json!(null)), "-");
        assert_eq!(text(&json!("x")), "x");
        assert_eq!(text(&json!(["a", "b"])), "a,b");
        assert_eq!(text(&json!({"k": 1})), "{\"k\":1}");
        assert_eq!(text(&json!(500)), "500");
        assert_eq!(
            time(&json!("2026-11-23T10:00:00.123Z")),
            "2026-11-23T10:00:00Z"
        );
        assert_eq!(
            time(&json!("2026-11-23T11:00:00+01:00")),
            "2026-11-23T10:00:00Z"
        );
        assert_eq!(time(&json!(null)), "-");
        assert_eq!(shorten("a  b\nc", 10), "a b c");
        assert_eq!(shorten("abcdefghij", 5), "abcd…");
    }
}
