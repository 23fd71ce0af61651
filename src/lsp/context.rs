//! Where the cursor is in the YAML, read from the text alone (by indentation), so that it works
//! on a half-typed document that does not parse: the path of keys and list items from the root
//! to the cursor, whether a key or a value is being typed, and the partial word.
//!
//! Block style is read (what models are written in); inside a flow sequence on one line
//! (`connectsTo: [a, b]`) the value is found too. Anything else gives no context.

use super::text::LineIndex;

/// One step of the path from the document's root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    /// A list item; the line its `-` is on.
    Item(usize),
}

/// What is being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A key of the mapping at the end of the path.
    Key,
    /// The value of `key` in the mapping at the end of the path (or an item of the list `key`
    /// holds: `key: [a, |]`, or `key:` then `- |` on a line of its own).
    Value { key: String },
}

/// The cursor's context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// From the root to the mapping the cursor's key or value is in.
    pub path: Vec<Seg>,
    pub place: Place,
    /// The partial word before the cursor.
    pub prefix: String,
    /// The byte range of the whole word under the cursor (what a completion replaces).
    pub word: (usize, usize),
}

/// One line, split into its parts.
#[derive(Clone, Debug, Default)]
struct Line<'t> {
    /// Columns (bytes) of the `-` list markers, outermost first.
    dashes: Vec<usize>,
    /// Column of the content after the markers.
    content: usize,
    /// The key, when the content is `key:` or `key: value`.
    key: Option<&'t str>,
    /// The value after `key:`, comment removed, unquoted.
    value: Option<&'t str>,
    /// Whether the line holds nothing but spaces or a comment.
    blank: bool,
}

impl Line<'_> {
    /// Indentation: the column of the first `-` or of the content.
    fn indent(&self) -> usize {
        self.dashes.first().copied().unwrap_or(self.content)
    }
}

fn parse(line: &str) -> Line<'_> {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut dashes = Vec::new();
    loop {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if bytes.get(i) == Some(&b'-') && matches!(bytes.get(i + 1), None | Some(b' ')) {
            dashes.push(i);
            i += 1;
        } else {
            break;
        }
    }
    let rest = line.get(i..).unwrap_or("");
    let blank = rest.trim().is_empty() || rest.starts_with('#');
    let (key, value) = split_key(rest);
    Line {
        dashes,
        content: i,
        key,
        value,
        blank: blank && key.is_none(),
    }
}

/// `key: value # comment` → (`key`, `value`).
fn split_key(rest: &str) -> (Option<&str>, Option<&str>) {
    let first = rest.chars().next();
    if matches!(first, None | Some('{' | '[' | '#' | '|' | '>')) {
        return (None, None);
    }
    let colon = rest
        .char_indices()
        .find(|&(i, c)| c == ':' && matches!(rest.as_bytes().get(i + 1), None | Some(b' ')))
        .map(|(i, _)| i);
    let Some(colon) = colon else {
        return (None, None);
    };
    let key = unquote(rest[..colon].trim());
    if key.is_empty() || key.contains(' ') {
        return (None, None);
    }
    let mut value = rest[colon + 1..].trim();
    if let Some(hash) = value.find(" #") {
        value = value[..hash].trim_end();
    }
    if value.starts_with('#') {
        value = "";
    }
    (Some(key), Some(unquote(value)))
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

fn is_word_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ']' | '[' | '{' | '}' | '#')
}

/// The context at byte `offset` of `text`.
#[must_use]
pub fn at(text: &str, lines: &LineIndex, offset: usize) -> Option<Context> {
    let line_no = lines.line_of(offset);
    let (start, end) = lines.line_range(text, line_no)?;
    let line = text.get(start..end)?;
    let col = offset.checked_sub(start)?.min(line.len());
    let before = line.get(..col)?;
    let parsed = parse(line);
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| is_word_end(c) || c == ':')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word_start = word_start.max(parsed.content.min(col));
    let after = &line[col..];
    let word_end = col + after.find(is_word_end).unwrap_or(after.len());
    let word = (start + word_start, start + word_end);
    let prefix = line.get(word_start..col).unwrap_or("").to_owned();

    // Where the content of this line starts, and what is before the cursor in it.
    let content = before.get(parsed.content.min(col)..).unwrap_or("");
    if let Some((flow_path, place)) = flow(content, line_no) {
        let mut path = ancestors(text, lines, line_no, &parsed);
        path.extend(flow_path);
        return Some(Context {
            path,
            place,
            prefix,
            word,
        });
    }
    let place = match content
        .find(": ")
        .or_else(|| content.strip_suffix(':').map(str::len))
    {
        Some(colon) => {
            let key = unquote(content[..colon].trim()).to_owned();
            if key.is_empty() || key.contains(' ') {
                return None;
            }
            let value = &content[colon + 1..];
            // Inside a block scalar's indicator, a mapping or a closed flow sequence: nothing.
            if value.trim_start().starts_with(['|', '>', '{', '"', '\''])
                || (value.contains('[') && value.contains(']'))
            {
                return None;
            }
            Place::Value { key }
        }
        None if content.contains(':') => return None,
        None => Place::Key,
    };
    let mut path = ancestors(text, lines, line_no, &parsed);
    // `- |` in a list of scalars is a value of the list's key, not a key of a new item.
    let place = match (place, path.last(), path.len()) {
        (Place::Key, Some(Seg::Item(l)), n) if *l == line_no && n >= 2 => match path.get(n - 2) {
            Some(Seg::Key(k)) if !parsed.dashes.is_empty() && holds_scalars(k) => {
                let key = k.clone();
                path.truncate(n - 2);
                Place::Value { key }
            }
            _ => Place::Key,
        },
        (place, _, _) => place,
    };
    Some(Context {
        path,
        place,
        prefix,
        word,
    })
}

/// One open `{` or `[` of a flow collection (or the line itself, first).
struct Frame {
    opener: char,
    /// The key whose value the collection is (`mountPoints` in `mountPoints: [`).
    key_before: Option<String>,
    /// The key of the entry being written, once its `:` is seen.
    key: Option<String>,
    /// Where the entry being written starts.
    entry: usize,
}

/// The path and place inside flow collections open before the cursor on this line
/// (`- {name: x, mountPoints: [{sourceVolume: |`); `None` when none is open.
fn flow(content: &str, line_no: usize) -> Option<(Vec<Seg>, Place)> {
    let mut frames = vec![Frame {
        opener: ' ',
        key_before: None,
        key: None,
        entry: 0,
    }];
    let mut quote: Option<char> = None;
    let bytes = content.as_bytes();
    for (i, c) in content.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        let depth = frames.len();
        let top = frames.last_mut()?;
        match c {
            '"' | '\''
                if content[top.entry..i].trim().is_empty() || content[..i].ends_with(": ") =>
            {
                quote = Some(c);
            }
            ':' if matches!(bytes.get(i + 1), None | Some(b' ')) => {
                let key = unquote(content[top.entry..i].trim()).to_owned();
                top.key = Some(key);
            }
            '{' | '[' => {
                let key_before = top.key.take();
                frames.push(Frame {
                    opener: c,
                    key_before,
                    key: None,
                    entry: i + 1,
                });
            }
            '}' | ']' if depth > 1 => {
                frames.pop();
            }
            ',' => {
                top.key = None;
                top.entry = i + 1;
            }
            '#' if content[..i].ends_with(' ') => return None,
            _ => {}
        }
    }
    if frames.len() < 2 || quote.is_some() {
        return None;
    }
    let last = frames.len() - 1;
    let mut path = Vec::new();
    for (i, frame) in frames.iter().enumerate().skip(1) {
        let innermost = i == last;
        if innermost && frame.opener == '[' {
            break;
        }
        if let Some(k) = &frame.key_before {
            path.push(Seg::Key(k.clone()));
        }
        if frame.opener == '[' {
            path.push(Seg::Item(line_no));
        }
    }
    let frame = &frames[last];
    let place = match (frame.opener, &frame.key) {
        ('[', _) => Place::Value {
            key: frame.key_before.clone()?,
        },
        (_, Some(key)) => Place::Value { key: key.clone() },
        (_, None) => Place::Key,
    };
    Some((path, place))
}

/// Keys whose value is a list of names or words (not of mappings).
fn holds_scalars(key: &str) -> bool {
    matches!(
        key,
        "connectsTo"
            | "links"
            | "command"
            | "entryPoint"
            | "subnets"
            | "securityGroups"
            | "requiresCompatibilities"
            | "unknown"
    )
}

/// The path from the root to the mapping that line `line_no` is in.
fn ancestors(text: &str, lines: &LineIndex, line_no: usize, line: &Line<'_>) -> Vec<Seg> {
    let mut rev = Vec::new();
    let mut col = line.content;
    let mut after_item = false;
    for &dash in line.dashes.iter().rev() {
        rev.push(Seg::Item(line_no));
        col = dash;
        after_item = true;
    }
    for n in (0..line_no).rev() {
        if col == 0 && !after_item {
            break;
        }
        let l = parse(lines.line(text, n));
        if l.blank {
            continue;
        }
        let indent = l.indent();
        if indent > col {
            continue;
        }
        if indent == col {
            // A list written at the same indentation as its key (`key:` then `- item`).
            if after_item
                && l.dashes.is_empty()
                && let Some(key) = l.key
            {
                rev.push(Seg::Key(key.to_owned()));
                after_item = false;
            }
            continue;
        }
        // indent < col: a parent.
        if l.dashes.is_empty() {
            if let Some(key) = l.key {
                rev.push(Seg::Key(key.to_owned()));
                col = indent;
                after_item = false;
            }
            continue;
        }
        if !after_item && l.content < col {
            // `- key:` whose value is the mapping we are in.
            if let Some(key) = l.key {
                rev.push(Seg::Key(key.to_owned()));
            }
        }
        for _ in &l.dashes {
            rev.push(Seg::Item(n));
        }
        col = indent;
        after_item = true;
    }
    rev.reverse();
    rev
}

/// The value of `key` among the direct keys of the list item whose `-` is on line `item`.
#[must_use]
pub fn item_value(text: &str, lines: &LineIndex, item: usize, key: &str) -> Option<String> {
    block(text, lines, item, |l, depth| {
        (depth == 0 && l.key == Some(key)).then(|| l.value.unwrap_or("").to_owned())
    })
}

/// The value of `key` anywhere inside the list item whose `-` is on line `item`.
#[must_use]
pub fn nested_value(text: &str, lines: &LineIndex, item: usize, key: &str) -> Option<String> {
    block(text, lines, item, |l, _| {
        (l.key == Some(key)).then(|| l.value.unwrap_or("").to_owned())
    })
}

/// Visit the lines of the list item starting on line `item` (with their depth below the item's
/// own keys) until `found` returns something.
fn block<T>(
    text: &str,
    lines: &LineIndex,
    item: usize,
    mut found: impl FnMut(&Line<'_>, usize) -> Option<T>,
) -> Option<T> {
    let first = parse(lines.line(text, item));
    let dash = *first.dashes.last()?;
    let content = first.content;
    if let Some(v) = found(&first, 0) {
        return Some(v);
    }
    for n in item + 1..lines.len() {
        let l = parse(lines.line(text, n));
        if l.blank {
            continue;
        }
        if l.indent() <= dash {
            break;
        }
        let depth = usize::from(l.indent() > content || !l.dashes.is_empty());
        if let Some(v) = found(&l, depth) {
            return Some(v);
        }
    }
    None
}

/// The keys already written in the mapping whose keys sit at the column of line `line_no`'s
/// content (for key completion: not to offer them again).
#[must_use]
pub fn sibling_keys(text: &str, lines: &LineIndex, line_no: usize) -> Vec<String> {
    let here = parse(lines.line(text, line_no));
    let col = here.content;
    let mut keys = Vec::new();
    // Upwards, to the mapping's first key (or the `-` that starts it).
    for n in (0..line_no).rev() {
        let l = parse(lines.line(text, n));
        if l.blank || l.indent() > col {
            continue;
        }
        if l.content == col
            && let Some(k) = l.key
        {
            keys.push(k.to_owned());
        }
        if l.indent() < col || !l.dashes.is_empty() {
            break;
        }
    }
    // Downwards, until the mapping ends.
    for n in line_no + 1..lines.len() {
        let l = parse(lines.line(text, n));
        if l.blank || l.indent() > col {
            continue;
        }
        if l.indent() < col || !l.dashes.is_empty() {
            break;
        }
        if let Some(k) = l.key {
            keys.push(k.to_owned());
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text_with_cursor: &str) -> Context {
        let offset = text_with_cursor.find('|').unwrap();
        let text = text_with_cursor.replacen('|', "", 1);
        at(&text, &LineIndex::new(&text), offset).unwrap()
    }

    fn keys(path: &[Seg]) -> Vec<&str> {
        path.iter()
            .map(|s| match s {
                Seg::Key(k) => k.as_str(),
                Seg::Item(_) => "-",
            })
            .collect()
    }

    #[test]
    fn value_in_a_nested_list_item() {
        let c = ctx(
            "services:\n  - serviceName: goals\n    taskDefinition:\n      containerDefinitions:\n        - name: db\n          mountPoints:\n            - sourceVolume: da|\n",
        );
        assert_eq!(
            keys(&c.path),
            [
                "services",
                "-",
                "taskDefinition",
                "containerDefinitions",
                "-",
                "mountPoints",
                "-"
            ]
        );
        assert_eq!(
            c.place,
            Place::Value {
                key: "sourceVolume".into()
            }
        );
        assert_eq!(c.prefix, "da");
        let Seg::Item(service) = c.path[1] else {
            panic!()
        };
        let text = "services:\n  - serviceName: goals\n    taskDefinition:\n";
        assert_eq!(
            item_value(text, &LineIndex::new(text), service, "serviceName").as_deref(),
            Some("goals")
        );
    }

    #[test]
    fn lists_at_their_key_indentation_and_keys() {
        let c = ctx(
            "containerDefinitions:\n- name: a\n  mountPoints:\n  - sourceVolume: x\n    con|\n",
        );
        assert_eq!(
            keys(&c.path),
            ["containerDefinitions", "-", "mountPoints", "-"]
        );
        assert_eq!(c.place, Place::Key);
        assert_eq!(c.prefix, "con");
    }

    #[test]
    fn scalar_lists_and_flow_sequences_are_values() {
        let c = ctx("actors:\n  - name: u\n    connectsTo:\n      - go|\n");
        assert_eq!(keys(&c.path), ["actors", "-"]);
        assert_eq!(
            c.place,
            Place::Value {
                key: "connectsTo".into()
            }
        );
        let c = ctx("actors:\n  - name: u\n    connectsTo: [alb, we|\n");
        assert_eq!(
            c.place,
            Place::Value {
                key: "connectsTo".into()
            }
        );
        assert_eq!(c.prefix, "we");
    }

    #[test]
    fn flow_collections_on_one_line() {
        let c = ctx(
            "services:\n  - serviceName: s\n    taskDefinition:\n      containerDefinitions:\n        - {name: db, mountPoints: [{sourceVolume: da|",
        );
        assert_eq!(
            keys(&c.path),
            [
                "services",
                "-",
                "taskDefinition",
                "containerDefinitions",
                "-",
                "mountPoints",
                "-"
            ]
        );
        assert_eq!(
            c.place,
            Place::Value {
                key: "sourceVolume".into()
            }
        );
        assert_eq!(c.prefix, "da");
        let c = ctx("actors:\n  - {name: u, connectsTo: [a, \"b\", c|");
        assert_eq!(keys(&c.path), ["actors", "-"]);
        assert_eq!(
            c.place,
            Place::Value {
                key: "connectsTo".into()
            }
        );
        let c = ctx("x:\n  - {name: u, hea|");
        assert_eq!(keys(&c.path), ["x", "-"]);
        assert_eq!(c.place, Place::Key);
        let c = ctx("x:\n  - {name: u, healthCheck: {command: [a], inter|");
        assert_eq!(keys(&c.path), ["x", "-", "healthCheck"]);
        assert_eq!(c.place, Place::Key);
    }

    #[test]
    fn half_typed_lines_give_a_context() {
        let c = ctx("services:\n  - serviceName: s\n    launchType: |");
        assert_eq!(keys(&c.path), ["services", "-"]);
        assert_eq!(
            c.place,
            Place::Value {
                key: "launchType".into()
            }
        );
        let c = ctx("na|");
        assert!(c.path.is_empty());
        assert_eq!(c.place, Place::Key);
    }

    #[test]
    fn siblings_of_a_mapping() {
        let text = "a:\n  - name: x\n    image: y\n    \n    role: db\n  - name: z\n";
        let lines = LineIndex::new(text);
        let mut k = sibling_keys(text, &lines, 3);
        k.sort();
        assert_eq!(k, ["image", "name", "role"]);
    }
}
