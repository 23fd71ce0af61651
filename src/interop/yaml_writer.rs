//! Writing tidy, commented YAML: the output side of `import`. Build a [`Node`] tree with keys in
//! the order they should appear, attach comments where the importer guessed, and [`write`] it.
//!
//! Strings are written plain when that reads back as the same string, else double-quoted with
//! escapes, so `"512"`, `"yes"`, `"on"`, `"1.4.0"` or `"a: b"` stay strings.
//!
//! Why our own writer: importers put a comment above the key it explains (`# was arn:…`,
//! `# guessed: …`), and no maintained YAML crate writes comments (serde-based writers see only
//! values; serde-saphyr, which archflow reads with, does not serialize comments either).

use std::fmt::Write as _;

/// A YAML value with optional comments.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A string (quoted when needed).
    Str(String),
    Int(i64),
    /// A JSON number that is not an `i64` (a fraction, a large unsigned number), as JSON writes
    /// it; YAML reads it back as the same number.
    Number(serde_json::Number),
    Bool(bool),
    Null,
    /// A sequence; written in block style, or in flow style (`[a, b]`) when every item is a short
    /// scalar.
    Seq(Vec<Node>),
    /// A mapping in insertion order.
    Map(Vec<Entry>),
}

/// One key of a mapping, with a comment written on the line above it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Node,
    pub comment: Option<String>,
}

impl Node {
    /// An empty mapping.
    #[must_use]
    pub fn map() -> Self {
        Self::Map(Vec::new())
    }

    /// A string node.
    #[must_use]
    pub fn str(s: impl Into<String>) -> Self {
        Self::Str(s.into())
    }

    /// Add `key: value` to a mapping (no effect on other nodes). Returns `self` for chaining.
    #[must_use]
    pub fn with(mut self, key: &str, value: Node) -> Self {
        self.insert(key, value, None);
        self
    }

    /// Add `key: value` with a comment line above it.
    #[must_use]
    pub fn with_comment(mut self, key: &str, value: Node, comment: &str) -> Self {
        self.insert(key, value, Some(comment.to_owned()));
        self
    }

    /// Add `key: value` when `value` is `Some`.
    #[must_use]
    pub fn with_opt(self, key: &str, value: Option<Node>) -> Self {
        match value {
            Some(v) => self.with(key, v),
            None => self,
        }
    }

    /// Add `key: value` to a mapping.
    pub fn insert(&mut self, key: &str, value: Node, comment: Option<String>) {
        if let Self::Map(entries) = self {
            entries.push(Entry {
                key: key.to_owned(),
                value,
                comment,
            });
        }
    }

    /// A JSON value as YAML: objects become mappings (keys in the value's order), arrays
    /// sequences.
    #[must_use]
    pub fn from_json(value: &serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Number(n) => n
                .as_i64()
                .map_or_else(|| Self::Number(n.clone()), Self::Int),
            Value::String(s) => Self::Str(s.clone()),
            Value::Array(items) => Self::Seq(items.iter().map(Self::from_json).collect()),
            Value::Object(map) => Self::Map(
                map.iter()
                    .map(|(k, v)| Entry {
                        key: k.clone(),
                        value: Self::from_json(v),
                        comment: None,
                    })
                    .collect(),
            ),
        }
    }

    fn is_scalar(&self) -> bool {
        matches!(
            self,
            Self::Str(_) | Self::Int(_) | Self::Number(_) | Self::Bool(_) | Self::Null
        )
    }
}

/// The YAML text of a document, with an optional header comment, ending in a newline.
#[must_use]
pub fn write(root: &Node, header: &[&str]) -> String {
    let mut out = String::new();
    for line in header {
        comment(&mut out, 0, line);
    }
    match root {
        Node::Map(entries) => write_entries(&mut out, entries, 0),
        other => {
            write_value_inline_or_block(&mut out, other, 0);
        }
    }
    out
}

/// A character a YAML comment can hold as it is; others (controls, DEL, line breaks other than
/// `\n`, a BOM) would end the comment or make the file invalid YAML, and become U+FFFD.
fn comment_char(c: char) -> char {
    let printable = matches!(c, '\t' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}';
    if printable && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') {
        c
    } else {
        '\u{fffd}'
    }
}

fn comment(out: &mut String, indent: usize, text: &str) {
    for line in text.lines() {
        let line: String = line.trim_end().chars().map(comment_char).collect();
        let line = line.as_str();
        if line.is_empty() {
            let _ = writeln!(out, "{:indent$}#", "");
        } else {
            let _ = writeln!(out, "{:indent$}# {line}", "");
        }
    }
}

fn write_entries(out: &mut String, entries: &[Entry], indent: usize) {
    for e in entries {
        if let Some(c) = &e.comment {
            comment(out, indent, c);
        }
        let _ = write!(out, "{:indent$}{}:", "", key(&e.key));
        write_value_inline_or_block(out, &e.value, indent);
    }
}

/// Write a value after `key:` (or at the top): scalars and short flow sequences on the same
/// line, collections on the following lines.
fn write_value_inline_or_block(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Node::Map(entries) => {
            out.push('\n');
            write_entries(out, entries, indent + 2);
        }
        Node::Seq(items) if items.is_empty() => out.push_str(" []\n"),
        Node::Seq(items) if flow_ok(items) => {
            let parts: Vec<String> = items.iter().map(scalar).collect();
            let _ = writeln!(out, " [{}]", parts.join(", "));
        }
        Node::Seq(items) => {
            out.push('\n');
            write_seq(out, items, indent + 2);
        }
        scalar_node => {
            let _ = writeln!(out, " {}", scalar(scalar_node));
        }
    }
}

fn write_seq(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        match item {
            Node::Map(entries) if !entries.is_empty() => {
                // The first key shares the dash's line; the rest align under it.
                let (first, rest) = entries.split_at(1);
                let first = &first[0];
                if let Some(c) = &first.comment {
                    comment(out, indent, c);
                }
                let _ = write!(out, "{:indent$}- {}:", "", key(&first.key));
                write_value_inline_or_block(out, &first.value, indent + 2);
                write_entries(out, rest, indent + 2);
            }
            Node::Seq(inner) if !inner.is_empty() && !flow_ok(inner) => {
                let _ = writeln!(out, "{:indent$}-", "");
                write_seq(out, inner, indent + 2);
            }
            other => {
                let _ = write!(out, "{:indent$}-", "");
                write_value_inline_or_block(out, other, indent);
            }
        }
    }
}

fn flow_ok(items: &[Node]) -> bool {
    items.iter().all(Node::is_scalar)
        && items.iter().map(|i| scalar(i).len() + 2).sum::<usize>() <= 72
}

fn scalar(node: &Node) -> String {
    match node {
        Node::Str(s) => string(s),
        Node::Int(i) => i.to_string(),
        Node::Number(n) => n.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Seq(items) if items.is_empty() => "[]".to_owned(),
        Node::Map(entries) if entries.is_empty() => "{}".to_owned(),
        // Collections are never written through here by `write`; keep output valid anyway.
        Node::Null | Node::Seq(_) | Node::Map(_) => "null".to_owned(),
    }
}

fn key(k: &str) -> String {
    string(k)
}

/// A string as a YAML scalar that reads back as exactly this string.
#[must_use]
pub fn string(s: &str) -> String {
    if is_plain_safe(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || crate::text::is_bidi_control(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s != s.trim() {
        return false;
    }
    // Words and numbers YAML 1.1/1.2 would read as something else.
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | "null"
            | "~"
            | ".nan"
            | ".inf"
            | "-.inf"
            | "+.inf"
    ) {
        return false;
    }
    if s.parse::<f64>().is_ok()
        || s.starts_with("0x")
        || s.starts_with("0o")
        || s.contains(|c: char| c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '_' | ':' | '-' | '+' | 'e' | 'E'))
    {
        return false;
    }
    if !(first.is_alphanumeric() || matches!(first, '/' | '.' | '_' | '$')) {
        return false;
    }
    s.chars().all(|c| {
        c.is_alphanumeric()
            || matches!(
                c,
                '-' | '_' | '.' | '/' | ':' | '@' | '+' | '=' | ' ' | '(' | ')' | '$' | '*'
            )
    }) && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip_through_yaml() {
        for s in [
            "plain",
            "512",
            "1.4.0",
            "yes",
            "on",
            "null",
            "",
            " lead",
            "a: b",
            "a #b",
            "quote\"s",
            "back\\slash",
            "line\nbreak",
            "-dash",
            "*star",
            "&amp",
            "!tag",
            "{x}",
            "[y]",
            "ü中",
            "0x1F",
            "1e5",
            "12:30",
            "http://x:80/a",
            "mongodb://db:27017",
            "CMD-SHELL",
            "/data/db",
        ] {
            let doc = write(&Node::map().with("k", Node::str(s)), &[]);
            let back: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&doc).unwrap();
            assert_eq!(back["k"], s, "{doc}");
        }
    }

    #[test]
    fn json_values_round_trip_through_yaml() {
        let value = serde_json::json!({
            "a": [1, -2, 2.5, 0.0, 1e100, 18_446_744_073_709_551_615_u64, null, true],
            "": {"<<": "x", "nested": [[], {}, [["deep"]]], "key: colon": "1.0"},
            "s": ["yes", "", " x", "0x10", "~", "null", "a\u{7f}b"]
        });
        let doc = write(&Node::map().with("k", Node::from_json(&value)), &[]);
        let back: std::collections::BTreeMap<String, serde_json::Value> =
            serde_saphyr::from_str(&doc).unwrap();
        assert_eq!(back["k"], value, "{doc}");
    }

    #[test]
    fn writes_nested_blocks_and_comments() {
        let doc = Node::map()
            .with("version", Node::Int(1))
            .with_comment("name", Node::str("shop"), "guessed from the file name")
            .with(
                "services",
                Node::Seq(vec![
                    Node::map()
                        .with("serviceName", Node::str("web"))
                        .with("ports", Node::Seq(vec![Node::Int(80), Node::Int(443)])),
                ]),
            );
        assert_eq!(
            write(&doc, &["header"]),
            "# header\nversion: 1\n# guessed from the file name\nname: shop\nservices:\n  - serviceName: web\n    ports: [80, 443]\n"
        );
    }
}
