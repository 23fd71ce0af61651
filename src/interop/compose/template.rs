//! Compose's variable interpolation in one string, as compose-go's `template` package does it:
//!
//! - `$NAME` and `${NAME}`: the value, or an empty string (with a warning) when it is not set;
//! - `${NAME:-default}` (unset or empty) and `${NAME-default}` (unset): a default;
//! - `${NAME:?message}` (unset or empty) and `${NAME?message}` (unset): an error;
//! - `${NAME:+alt}` (set and not empty) and `${NAME+alt}` (set): an alternative value;
//! - defaults, messages and alternatives are interpolated in turn, so `${A:-${B:-c}}` nests;
//! - `$$` is one `$`; any other `$` (a `$` at the end, `$1`, `${}`, `${A B}`, a `${` without its
//!   `}`) makes the template invalid, as it does for compose.
//!
//! Names are ASCII letters, digits and `_`, not starting with a digit. Like compose, a default is
//! interpolated even when the variable is set (so an error inside it is an error).

/// How deep `${…}` may nest in one value (compose has no limit; deeper than this is not a real
/// file).
const MAX_DEPTH: usize = 32;

/// Why a template cannot be interpolated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TemplateError {
    /// A `$` that starts nothing compose knows (the help says to write `$$`).
    Invalid,
    /// `${NAME:?message}` or `${NAME?message}` with the variable missing (or empty).
    Required { name: String, message: String },
    /// Defaults nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// The result of interpolating `template`, and the names of the variables that were not set
/// (each once, in order of appearance).
pub(super) fn substitute(
    template: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, Vec<String>), TemplateError> {
    let mut unset = Vec::new();
    let out = Substituter {
        lookup,
        unset: &mut unset,
    }
    .run(template, 0)?;
    Ok((out, unset))
}

struct Substituter<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    unset: &'a mut Vec<String>,
}

fn name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The end (exclusive) of the name that starts at `from`.
fn name_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() && name_char(bytes[i]) {
        i += 1;
    }
    i
}

/// The index of the `}` that closes the `${` at `open` (the `$`), counting nested `${` (a `{`
/// alone does not open anything, as in compose).
fn closing_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{') {
            depth += 1;
            i += 2;
            continue;
        }
        if bytes[i] == b'}' {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

impl Substituter<'_> {
    fn value(&mut self, name: &str) -> Option<String> {
        (self.lookup)(name)
    }

    fn missing(&mut self, name: &str) -> String {
        if !self.unset.iter().any(|n| n == name) {
            self.unset.push(name.to_owned());
        }
        String::new()
    }

    fn run(&mut self, template: &str, depth: usize) -> Result<String, TemplateError> {
        if depth > MAX_DEPTH {
            return Err(TemplateError::TooDeep);
        }
        let bytes = template.as_bytes();
        let mut out = String::with_capacity(template.len());
        let mut i = 0;
        let mut literal_from = 0;
        while i < bytes.len() {
            if bytes[i] != b'$' {
                i += 1;
                continue;
            }
            out.push_str(&template[literal_from..i]);
            match bytes.get(i + 1) {
                Some(b'$') => {
                    out.push('$');
                    i += 2;
                }
                Some(&b) if name_start(b) => {
                    let end = name_end(bytes, i + 1);
                    let name = &template[i + 1..end];
                    let v = self.value(name).unwrap_or_else(|| self.missing(name));
                    out.push_str(&v);
                    i = end;
                }
                Some(b'{') => {
                    let close = closing_brace(bytes, i).ok_or(TemplateError::Invalid)?;
                    out.push_str(&self.braced(&template[i + 2..close], depth)?);
                    i = close + 1;
                }
                _ => return Err(TemplateError::Invalid),
            }
            literal_from = i;
        }
        out.push_str(&template[literal_from..]);
        Ok(out)
    }

    /// The value of `${inner}`.
    fn braced(&mut self, inner: &str, depth: usize) -> Result<String, TemplateError> {
        let bytes = inner.as_bytes();
        if !bytes.first().copied().is_some_and(name_start) {
            return Err(TemplateError::Invalid);
        }
        let end = name_end(bytes, 0);
        let name = &inner[..end];
        let rest = &inner[end..];
        if rest.is_empty() {
            return Ok(self.value(name).unwrap_or_else(|| self.missing(name)));
        }
        let (op, arg) = [":-", ":?", ":+", "-", "?", "+"]
            .iter()
            .find_map(|op| rest.strip_prefix(op).map(|arg| (*op, arg)))
            .ok_or(TemplateError::Invalid)?;
        let arg = self.run(arg, depth + 1)?;
        let value = self.value(name);
        let empty = value.as_deref().is_none_or(str::is_empty);
        Ok(match op {
            ":-" if empty => arg,
            "-" if value.is_none() => arg,
            ":?" if empty => {
                return Err(TemplateError::Required {
                    name: name.to_owned(),
                    message: arg,
                });
            }
            "?" if value.is_none() => {
                return Err(TemplateError::Required {
                    name: name.to_owned(),
                    message: arg,
                });
            }
            ":+" if !empty => arg,
            "+" if value.is_some() => arg,
            _ => value.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "SET" => Some("value".to_owned()),
            "EMPTY" => Some(String::new()),
            "PORT" => Some("9000".to_owned()),
            "lower_1" => Some("low".to_owned()),
            _ => None,
        }
    }

    fn sub(t: &str) -> Result<String, TemplateError> {
        substitute(t, &env).map(|(s, _)| s)
    }

    fn ok(t: &str) -> String {
        sub(t).unwrap_or_else(|e| panic!("{t}: {e:?}"))
    }

    #[test]
    fn plain_variables() {
        assert_eq!(ok("$SET"), "value");
        assert_eq!(ok("${SET}"), "value");
        assert_eq!(ok("a-$SET-b"), "a-value-b");
        assert_eq!(ok("$SET.x"), "value.x");
        assert_eq!(ok("${lower_1}"), "low");
        assert_eq!(ok("no variables"), "no variables");
        assert_eq!(ok(""), "");
        assert_eq!(ok("ünïcode ${SET} ✓"), "ünïcode value ✓");
    }

    #[test]
    fn unset_variables_are_empty_and_reported_once() {
        let (s, unset) = substitute("${NOPE}:$NOPE:${OTHER}", &env).unwrap();
        assert_eq!(s, "::");
        assert_eq!(unset, ["NOPE", "OTHER"]);
        // A set but empty variable is not reported.
        assert_eq!(
            substitute("${EMPTY}", &env).unwrap().1,
            Vec::<String>::new()
        );
    }

    #[test]
    fn defaults() {
        assert_eq!(ok("${NOPE:-8080}"), "8080");
        assert_eq!(ok("${EMPTY:-8080}"), "8080");
        assert_eq!(ok("${SET:-8080}"), "value");
        assert_eq!(ok("${NOPE-8080}"), "8080");
        assert_eq!(ok("${EMPTY-8080}"), "");
        assert_eq!(ok("${SET-8080}"), "value");
        // The case: a default inside a port.
        assert_eq!(ok("${NOPE:-8080}:80"), "8080:80");
        assert_eq!(ok("${PORT:-8080}:80"), "9000:80");
        // Defaults may hold what a name cannot.
        assert_eq!(ok("${NOPE:-a b:c/d}"), "a b:c/d");
        assert_eq!(ok("${NOPE:-}"), "");
    }

    #[test]
    fn nested_defaults() {
        assert_eq!(ok("${NOPE:-${SET}}"), "value");
        assert_eq!(ok("${NOPE:-${ALSO_NOPE:-deep}}"), "deep");
        assert_eq!(ok("${SET:-${NOPE:-deep}}"), "value");
        assert_eq!(ok("${NOPE:-$SET}"), "value");
        assert_eq!(ok("${NOPE:-${SET}-x}-${PORT}"), "value-x-9000");
        // A `}` after the closing brace is text.
        assert_eq!(ok("${NOPE:-x}}"), "x}");
        // An error inside a default is an error even when the default is not used, as in compose.
        assert!(matches!(
            sub("${SET:-${NOPE:?needed}}"),
            Err(TemplateError::Required { .. })
        ));
    }

    #[test]
    fn alternatives() {
        assert_eq!(ok("${SET:+on}"), "on");
        assert_eq!(ok("${EMPTY:+on}"), "");
        assert_eq!(ok("${NOPE:+on}"), "");
        assert_eq!(ok("${EMPTY+on}"), "on");
        assert_eq!(ok("${NOPE+on}"), "");
    }

    #[test]
    fn required_variables() {
        assert_eq!(ok("${SET:?must be set}"), "value");
        assert_eq!(
            sub("${NOPE:?must be set}"),
            Err(TemplateError::Required {
                name: "NOPE".to_owned(),
                message: "must be set".to_owned()
            })
        );
        assert!(matches!(
            sub("${EMPTY:?x}"),
            Err(TemplateError::Required { .. })
        ));
        assert_eq!(ok("${EMPTY?x}"), "");
        assert_eq!(
            sub("${NOPE?port of $SET}"),
            Err(TemplateError::Required {
                name: "NOPE".to_owned(),
                message: "port of value".to_owned()
            })
        );
        assert_eq!(
            sub("${NOPE:?}"),
            Err(TemplateError::Required {
                name: "NOPE".to_owned(),
                message: String::new()
            })
        );
    }

    #[test]
    fn dollar_dollar_is_a_dollar() {
        assert_eq!(ok("$$"), "$");
        assert_eq!(ok("$$SET"), "$SET");
        assert_eq!(ok("$${SET}"), "${SET}");
        assert_eq!(ok("echo $$$SET"), "echo $value");
        assert_eq!(ok("a$$$$b"), "a$$b");
    }

    #[test]
    fn invalid_templates() {
        for t in [
            "$", "a $", "$ x", "$1", "${}", "${1A}", "${A B}", "${A", "${A:-x", "${A%x}", "$-",
            "${A:-$}",
        ] {
            assert_eq!(sub(t), Err(TemplateError::Invalid), "{t}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}x{}", "${A:-".repeat(100), "}".repeat(100));
        assert_eq!(sub(&deep), Err(TemplateError::TooDeep));
        let fine = format!("{}x{}", "${A:-".repeat(20), "}".repeat(20));
        assert_eq!(ok(&fine), "x");
    }
}
