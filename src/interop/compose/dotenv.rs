//! `.env` files as compose reads them: the project's `.env` (or `--env-file`), an `include`'s
//! `env_file`, and a service's `env_file`. The rules are compose-go's `dotenv` parser's:
//!
//! - blank lines and lines starting with `#` are skipped; `export ` before a name is ignored;
//! - `NAME=value` or `NAME: value`; a line with a name alone takes the value from the lookup,
//!   or is skipped when the lookup has none;
//! - an unquoted value ends at the end of the line, loses a ` #…` comment and trailing blanks,
//!   and is interpolated (`${VAR}`, `${VAR:-default}`, …);
//! - a single-quoted value is taken as it is; a double-quoted one may span lines, reads `\n`,
//!   `\t`, `\"`, `\\`, `\$` and the other C escapes, and is interpolated; in both, the quote
//!   escaped with a backslash is a quote;
//! - a variable refers first to the file's own earlier variables, then to the lookup.
//!
//! Format `raw` (a service's `env_file: {format: raw}`) takes `NAME=value` lines literally.

use std::collections::HashMap;

use super::template::{self, TemplateError};

/// A problem in a `.env` file, at its 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct DotenvError {
    pub line: usize,
    pub message: String,
}

/// Variables in the order they were first set, each with its last value.
#[derive(Debug, Default)]
pub(super) struct Vars {
    pub list: Vec<(String, String)>,
    index: HashMap<String, usize>,
}

impl Vars {
    pub fn set(&mut self, name: String, value: String) {
        if let Some(&i) = self.index.get(&name) {
            self.list[i].1 = value;
        } else {
            self.index.insert(name.clone(), self.list.len());
            self.list.push((name, value));
        }
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.index.get(name).map(|&i| self.list[i].1.clone())
    }
}

/// A parsed file: its variables in order (a name set twice keeps its first place and its last
/// value).
pub(super) type Parsed = Vars;

/// Blanks that are not line breaks (compose-go's `isSpace`).
fn is_blank(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']')
}

/// The variables of a `.env` text.
///
/// # Errors
/// A name with a character compose refuses, a quote that is not closed, or a value whose
/// interpolation fails (`${VAR:?…}`, an invalid `$`).
pub(super) fn parse(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Parsed, DotenvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Parsed::default();
    let mut rest = text;
    let line_of = |rest: &str| text[..text.len() - rest.len()].matches('\n').count() + 1;
    loop {
        // The start of the next statement: skip blanks, line breaks and comment lines.
        rest = rest.trim_start_matches(|c: char| c.is_whitespace());
        if rest.is_empty() {
            break;
        }
        if rest.starts_with('#') {
            rest = rest.find('\n').map_or("", |i| &rest[i..]);
            continue;
        }
        let line = line_of(rest);
        if let Some(after) = rest.strip_prefix("export")
            && after.starts_with(is_blank)
        {
            rest = after.trim_start_matches(is_blank);
        }
        // The name ends at `=`, `:` or the end of the line (a name alone).
        let mut end = None;
        for (i, c) in rest.char_indices() {
            if is_blank(c) || is_name_char(c) {
                continue;
            }
            if matches!(c, '=' | ':' | '\n') {
                end = Some((i, c));
                break;
            }
            return Err(DotenvError {
                line,
                message: format!(
                    "unexpected character `{c}` in variable name `{}`",
                    rest.lines().next().unwrap_or_default()
                ),
            });
        }
        let (name, after, inherited) = match end {
            Some((i, c)) => (&rest[..i], &rest[i + c.len_utf8()..], c == '\n'),
            None => (rest, "", true),
        };
        let name = name.trim_end_matches(|c: char| c.is_whitespace());
        if name.contains(is_blank) {
            return Err(DotenvError {
                line,
                message: format!("a variable name cannot contain a space: `{name}`"),
            });
        }
        if name.is_empty() {
            return Err(DotenvError {
                line,
                message: "a line starts with `=` or `:`, without a variable name".to_owned(),
            });
        }
        if inherited {
            if let Some(v) = lookup(name) {
                out.set(name.to_owned(), v);
            }
            rest = after;
            continue;
        }
        let after = after.trim_start_matches(is_blank);
        let (value, left) = value(after, &out, lookup, line)?;
        out.set(name.to_owned(), value);
        rest = left;
    }
    Ok(out)
}

/// The value that starts `src`, and what follows it.
fn value<'a>(
    src: &'a str,
    file: &Parsed,
    lookup: &dyn Fn(&str) -> Option<String>,
    line: usize,
) -> Result<(String, &'a str), DotenvError> {
    let quote = src.chars().next().filter(|c| matches!(c, '"' | '\''));
    let Some(quote) = quote else {
        let (raw, rest) = src.split_once('\n').unwrap_or((src, ""));
        let raw = raw.split_once(" #").map_or(raw, |(v, _)| v);
        let raw = raw.trim_end_matches(|c: char| c.is_whitespace());
        return Ok((expand(raw, file, lookup, line)?, rest));
    };
    let mut chars = String::new();
    let mut escaped = false;
    for (i, c) in src.char_indices().skip(1) {
        if escaped {
            escaped = false;
            if c != quote {
                chars.push('\\');
            }
            chars.push(c);
            continue;
        }
        if c == '\\' {
            escaped = true;
        } else if c == quote {
            let rest = &src[i + 1..];
            let value = if quote == '"' {
                expand(&unescape(&chars), file, lookup, line)?
            } else {
                chars
            };
            return Ok((value, rest));
        } else {
            chars.push(c);
        }
    }
    Err(DotenvError {
        line,
        message: format!(
            "the quoted value `{}` is not closed",
            src.lines().next().unwrap_or_default()
        ),
    })
}

/// The C escapes of a double-quoted value; `\$` stays a literal `$` (written `$$` for the
/// interpolation that follows).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&next) = chars.peek() else {
            out.push('\\');
            break;
        };
        let replacement = match next {
            'a' => "\u{7}",
            'b' => "\u{8}",
            'f' => "\u{c}",
            'n' => "\n",
            'r' => "\r",
            't' => "\t",
            'v' => "\u{b}",
            '"' => "\"",
            '\\' => "\\",
            '$' => "$$",
            _ => {
                out.push('\\');
                continue;
            }
        };
        chars.next();
        out.push_str(replacement);
    }
    out
}

fn expand(
    raw: &str,
    file: &Parsed,
    lookup: &dyn Fn(&str) -> Option<String>,
    line: usize,
) -> Result<String, DotenvError> {
    let both = |name: &str| file.get(name).or_else(|| lookup(name));
    match template::substitute(raw, &both) {
        Ok((s, _unset)) => Ok(s),
        Err(e) => Err(DotenvError {
            line,
            message: match e {
                TemplateError::Invalid => format!(
                    "invalid interpolation in `{raw}`: write `$$` for a `$` that starts no variable"
                ),
                TemplateError::Required { name, message } => {
                    format!("required variable `{name}` is missing a value: {message}")
                }
                TemplateError::TooDeep => format!("`{raw}`: variables nested too deeply"),
            },
        }),
    }
}

/// The variables of a `format: raw` env file: `NAME=value` lines taken literally (comments and
/// blank lines skipped).
pub(super) fn parse_raw(text: &str) -> Parsed {
    let mut out = Parsed::default();
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=') {
            Some((k, v)) => out.set(k.trim().to_owned(), v.to_owned()),
            None => out.set(line.trim().to_owned(), String::new()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    fn vars(text: &str) -> Vec<(String, String)> {
        parse(text, &none)
            .unwrap_or_else(|e| panic!("{text}: {e:?}"))
            .list
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn names_values_comments_and_export() {
        let text = "# a comment\n\nA=1\nexport B=two words \nC = spaced\n  # indented comment\nD=x # comment\nE=x#not-a-comment\nF=\nG: yaml style\n";
        assert_eq!(
            vars(text),
            pairs(&[
                ("A", "1"),
                ("B", "two words"),
                ("C", "spaced"),
                ("D", "x"),
                ("E", "x#not-a-comment"),
                ("F", ""),
                ("G", "yaml style"),
            ])
        );
        // CRLF line ends, a byte order mark, no final line break.
        assert_eq!(vars("\u{feff}A=1\r\nB=2"), pairs(&[("A", "1"), ("B", "2")]));
        // Later lines win, in the first one's place.
        assert_eq!(vars("A=1\nB=2\nA=3\n"), pairs(&[("A", "3"), ("B", "2")]));
        // `export` is a name when nothing follows it.
        assert_eq!(vars("export=1\n"), pairs(&[("export", "1")]));
    }

    #[test]
    fn quotes() {
        assert_eq!(
            vars(
                "A='single $NOPE # kept'\nB=\"double\\nline\"\nC=\"say \\\"hi\\\"\"\nD='it\\'s'\n"
            ),
            pairs(&[
                ("A", "single $NOPE # kept"),
                ("B", "double\nline"),
                ("C", "say \"hi\""),
                ("D", "it's"),
            ])
        );
        // Double quotes may span lines; `\$` is a literal dollar.
        assert_eq!(
            vars("A=\"one\ntwo\"\nB=\"cost: \\$5\"\n"),
            pairs(&[("A", "one\ntwo"), ("B", "cost: $5")])
        );
        let e = parse("A=1\nB=\"open\n", &none).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("not closed"), "{e:?}");
    }

    #[test]
    fn interpolation_uses_the_file_then_the_lookup() {
        let lookup = |n: &str| (n == "HOME").then(|| "/home/me".to_owned());
        let p = parse(
            "BASE=/srv\nDATA=${BASE}/data\nCACHE=$HOME/.cache\nQ='$BASE'\nD=${NOPE:-dflt}\nE=$$literal\n",
            &lookup,
        )
        .unwrap();
        assert_eq!(
            p.list,
            pairs(&[
                ("BASE", "/srv"),
                ("DATA", "/srv/data"),
                ("CACHE", "/home/me/.cache"),
                ("Q", "$BASE"),
                ("D", "dflt"),
                ("E", "$literal"),
            ])
        );
        let e = parse("A=1\nB=${NEED:?set it}\n", &none).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("`NEED`") && e.message.contains("set it"),
            "{e:?}"
        );
    }

    #[test]
    fn a_name_alone_takes_the_lookup_value() {
        let lookup = |n: &str| (n == "FROM_SHELL").then(|| "yes".to_owned());
        let p = parse("FROM_SHELL\nNOT_SET\nA=1", &lookup).unwrap();
        assert_eq!(p.list, pairs(&[("FROM_SHELL", "yes"), ("A", "1")]));
    }

    #[test]
    fn bad_names_are_errors_with_their_line() {
        let e = parse("A=1\nB C=2\n", &none).unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("A=1\n\nB!=2\n", &none).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains('!'), "{e:?}");
        assert!(parse("=1\n", &none).is_err());
    }

    #[test]
    fn raw_format_takes_lines_literally() {
        let p = parse_raw("# c\nA=\"quoted\" $X\nB\n");
        assert_eq!(p.list, pairs(&[("A", "\"quoted\" $X"), ("B", "")]));
    }
}
