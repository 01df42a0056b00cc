//! Event catalogs as data: a text file next to the adapter's crate instead of
//! a Rust slice that rustfmt spreads over four lines an entry.
//!
//! The format, one event type a line (`plugins/<vendor>/events.txt`):
//!
//! ```text
//! # Comments start with `#` in the first column; blank lines are skipped.
//! invoice.paid        The invoice was paid
//! customer:created    Anything at all, `quotes`, # and spaces, to the end of the line
//! ```
//!
//! The name is everything up to the first space or tab (names never contain
//! whitespace; `.`, `:`, `/`, `-` and `_` are fine), then one or more spaces or
//! tabs, then the description: the rest of the line, trailing whitespace
//! trimmed. A line that starts with whitespace, a name without a description
//! and a name given twice are errors. [`checked`] finds them at compile time
//! when the catalog is a `const` (it is, through
//! [`ManifestBuilder::events_file`](crate::manifest::ManifestBuilder::events_file)
//! in a declaration), and [`parse`] says which line at run time.

use crate::EventTypeInfo;

/// What is wrong with a catalog line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The line starts with a space or tab (a name must start the line).
    Indented,
    /// A name without a description after it.
    NoDescription,
    /// The name is already on an earlier line.
    Duplicate,
}

impl Problem {
    const fn message(self) -> &'static str {
        match self {
            Problem::Indented => "starts with whitespace (expected `name  description`)",
            Problem::NoDescription => {
                "has a name but no description (expected `name  description`)"
            }
            Problem::Duplicate => "repeats a name given on an earlier line",
        }
    }
}

/// A malformed catalog line: its number (from 1), its text and the problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogError<'a> {
    pub line: usize,
    pub text: &'a str,
    pub problem: Problem,
}

impl std::fmt::Display for CatalogError<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "event catalog line {} {}: {:?}",
            self.line,
            self.problem.message(),
            self.text
        )
    }
}

/// One line, located in the text's bytes.
#[derive(Clone, Copy)]
struct Line {
    /// Where the next line starts.
    next: usize,
    /// `(name start, name end, description start, description end)`, or
    /// `None` for a blank or comment line.
    entry: Option<(usize, usize, usize, usize)>,
    start: usize,
    end: usize,
}

const fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

const fn slice(bytes: &[u8], start: usize, end: usize) -> &[u8] {
    bytes.split_at(end).0.split_at(start).1
}

const fn text(bytes: &[u8], start: usize, end: usize) -> &str {
    match std::str::from_utf8(slice(bytes, start, end)) {
        Ok(s) => s,
        Err(_) => "",
    }
}

/// The line starting at `start`, or why it is malformed.
const fn line_at(bytes: &[u8], start: usize) -> Result<Line, (usize, usize, Problem)> {
    let mut next = start;
    while next < bytes.len() && bytes[next] != b'\n' {
        next += 1;
    }
    let mut end = next;
    while end > start && (is_space(bytes[end - 1]) || bytes[end - 1] == b'\r') {
        end -= 1;
    }
    if next < bytes.len() {
        next += 1;
    }
    let blank = Line {
        next,
        entry: None,
        start,
        end,
    };
    if end == start || bytes[start] == b'#' {
        return Ok(blank);
    }
    if is_space(bytes[start]) {
        return Err((start, end, Problem::Indented));
    }
    let mut name_end = start;
    while name_end < end && !is_space(bytes[name_end]) {
        name_end += 1;
    }
    let mut description = name_end;
    while description < end && is_space(bytes[description]) {
        description += 1;
    }
    if description == end {
        return Err((start, end, Problem::NoDescription));
    }
    Ok(Line {
        entry: Some((start, name_end, description, end)),
        ..blank
    })
}

const fn same(bytes: &[u8], a: (usize, usize), b: (usize, usize)) -> bool {
    if a.1 - a.0 != b.1 - b.0 {
        return false;
    }
    let mut i = 0;
    while i < a.1 - a.0 {
        if bytes[a.0 + i] != bytes[b.0 + i] {
            return false;
        }
        i += 1;
    }
    true
}

/// How many names [`validate`] remembers to find a repeated one without
/// reading every earlier line again (rustc bounds the steps of a `const`
/// evaluation; Plaid's 86 long lines, read again for each line, exceeded it).
const REMEMBERED: usize = 1024;

/// Whether `name` is one of the `entries` names before `at`.
const fn repeated(
    bytes: &[u8],
    names: &[(usize, usize); REMEMBERED],
    entries: usize,
    at: usize,
    name: (usize, usize),
) -> bool {
    if entries <= REMEMBERED {
        let mut i = 0;
        while i < entries {
            if same(bytes, names[i], name) {
                return true;
            }
            i += 1;
        }
        return false;
    }
    // More names than remembered: read every earlier line again.
    let mut earlier = 0;
    while earlier < at {
        let before = match line_at(bytes, earlier) {
            Ok(before) => before,
            Err(_) => unreachable!(),
        };
        if let Some((start, end, _, _)) = before.entry
            && same(bytes, (start, end), name)
        {
            return true;
        }
        earlier = before.next;
    }
    false
}

/// Checks the whole catalog: the number of event types, or the first error.
pub const fn validate(catalog: &str) -> Result<usize, CatalogError<'_>> {
    let bytes = catalog.as_bytes();
    let (mut at, mut number, mut entries) = (0, 0, 0);
    let mut names = [(0, 0); REMEMBERED];
    while at < bytes.len() {
        number += 1;
        let line = match line_at(bytes, at) {
            Ok(line) => line,
            Err((start, end, problem)) => {
                let text = text(bytes, start, end);
                return Err(CatalogError {
                    line: number,
                    text,
                    problem,
                });
            }
        };
        if let Some((name_start, name_end, _, _)) = line.entry {
            let name = (name_start, name_end);
            if repeated(bytes, &names, entries, at, name) {
                let text = text(bytes, line.start, line.end);
                let problem = Problem::Duplicate;
                return Err(CatalogError {
                    line: number,
                    text,
                    problem,
                });
            }
            if entries < REMEMBERED {
                names[entries] = name;
            }
            entries += 1;
        }
        at = line.next;
    }
    Ok(entries)
}

/// The catalog, unchanged, once [`validate`] found it well-formed; otherwise a
/// panic naming the line — at compile time in a `const`:
/// `const EVENTS: &str = catalog::checked(include_str!("../events.txt"));`
pub const fn checked(catalog: &str) -> &str {
    if let Err(error) = validate(catalog) {
        let mut message = [0u8; 200];
        let mut len = 0;
        let mut number = [0u8; 20];
        let parts = [
            "event catalog line ",
            digits(error.line, &mut number),
            " ",
            error.problem.message(),
            ": ",
            error.text,
        ];
        let mut p = 0;
        while p < parts.len() {
            let part = parts[p].as_bytes();
            let mut i = 0;
            while i < part.len() && len < message.len() {
                message[len] = part[i];
                len += 1;
                i += 1;
            }
            p += 1;
        }
        // Truncation may split a character: keep the valid prefix.
        let message = match std::str::from_utf8(slice(&message, 0, len)) {
            Ok(s) => s,
            Err(e) => text(&message, 0, e.valid_up_to()),
        };
        panic!("{}", message);
    }
    catalog
}

const fn digits(mut n: usize, buffer: &mut [u8; 20]) -> &str {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    text(buffer, start, buffer.len())
}

/// The `(name, description)` pairs of a catalog, in order, or the first
/// malformed line.
pub fn parse(catalog: &str) -> Result<Vec<(&str, &str)>, CatalogError<'_>> {
    validate(catalog)?;
    Ok(entries(catalog).collect())
}

/// The `(name, description)` pairs of a catalog [`validate`] accepts
/// (malformed lines are skipped here; [`parse`] reports them).
pub fn entries(catalog: &str) -> impl Iterator<Item = (&str, &str)> {
    let bytes = catalog.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let line = line_at(bytes, at);
            at = match line {
                Ok(line) => line.next,
                Err(_) => bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |i| at + i + 1),
            };
            if let Ok(Line {
                entry: Some((name, name_end, description, end)),
                ..
            }) = line
            {
                return Some((&catalog[name..name_end], &catalog[description..end]));
            }
        }
        None
    })
}

/// The names of a catalog's event types, in order.
pub fn names(catalog: &str) -> impl Iterator<Item = &str> {
    entries(catalog).map(|(name, _)| name)
}

/// The manifest's event types; panics on a malformed catalog (see [`parse`]),
/// which the native fixture tests (`testing::run_fixtures`) call first.
pub fn event_types(catalog: &str) -> Vec<EventTypeInfo> {
    parse(catalog)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|(name, description)| EventTypeInfo {
            name: name.to_string(),
            description: description.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = checked(
        "# Vendor events\n\
         \n\
         invoice.paid        The invoice was paid\n\
         customer:created\tA customer — with \"quotes\", # and  spaces  \r\n\
         a/b_c-d  x\n",
    );

    #[test]
    fn lines_are_names_then_descriptions() {
        assert_eq!(
            parse(CATALOG).unwrap(),
            [
                ("invoice.paid", "The invoice was paid"),
                (
                    "customer:created",
                    "A customer — with \"quotes\", # and  spaces"
                ),
                ("a/b_c-d", "x"),
            ]
        );
        assert_eq!(validate(CATALOG), Ok(3));
        assert_eq!(
            names(CATALOG).collect::<Vec<_>>(),
            ["invoice.paid", "customer:created", "a/b_c-d"]
        );
        let types = event_types("last  no newline at the end");
        assert_eq!(
            (types[0].name.as_str(), types[0].description.as_str()),
            ("last", "no newline at the end")
        );
        assert_eq!(parse("").unwrap(), []);
    }

    #[test]
    fn malformed_lines_and_duplicates_are_errors() {
        let error = |text| {
            let e = validate(text).unwrap_err();
            (e.line, e.text, e.problem)
        };
        assert_eq!(error("a  x\nb\n"), (2, "b", Problem::NoDescription));
        assert_eq!(error("a  x\nb   \n"), (2, "b", Problem::NoDescription));
        assert_eq!(error("# c\n  a  x\n"), (2, "  a  x", Problem::Indented));
        assert_eq!(
            error("a  x\n\nb  y\na  z\n"),
            (4, "a  z", Problem::Duplicate)
        );
        assert_eq!(validate("a.b  x\na  y\nab  z\n"), Ok(3));
        assert_eq!(
            parse("a  x\na  x").unwrap_err().to_string(),
            "event catalog line 2 repeats a name given on an earlier line: \"a  x\""
        );
    }

    #[test]
    fn repeats_are_found_past_the_remembered_names() {
        let mut text: String = (0..REMEMBERED + 5).map(|i| format!("e{i}  y\n")).collect();
        assert_eq!(validate(&text), Ok(REMEMBERED + 5));
        text.push_str("e3  again\n");
        let e = validate(&text).unwrap_err();
        assert_eq!((e.line, e.problem), (REMEMBERED + 6, Problem::Duplicate));
        let last = format!("e{}  again\n", REMEMBERED + 2);
        let mut text: String = (0..REMEMBERED + 5).map(|i| format!("e{i}  y\n")).collect();
        text.push_str(&last);
        assert_eq!(validate(&text).unwrap_err().problem, Problem::Duplicate);
    }

    #[test]
    #[should_panic(expected = "event catalog line 12 has a name but no description")]
    fn checked_names_the_line() {
        let mut text = "a  x\n".to_string();
        for i in 0..10 {
            text.push_str(&format!("e{i}  y\n"));
        }
        text.push_str("lonely\n");
        checked(&text);
    }

    #[test]
    #[should_panic(expected = "event catalog line 2 has a name but no description")]
    fn event_types_panic_on_a_malformed_catalog() {
        event_types("a  x\nb");
    }
}
