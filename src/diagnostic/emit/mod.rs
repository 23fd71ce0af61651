//! Printers for findings: rustc-style text, JSON, SARIF 2.1.0 and GitHub workflow annotations.
//! They return strings; the CLI prints.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

/// The model's path as reports name it: forward slashes, without a leading `./`.
pub(crate) fn report_path(path: &str) -> String {
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_owned();
    }
    path
}

/// A message made safe for a terminal or a log: control characters (but line breaks and tabs)
/// and Unicode bidi controls are shown as `<U+001B>`, `<U+202E>`, so a name in the model cannot
/// send escape sequences to the terminal or make a finding read differently from the model.
pub(crate) fn display_safe(text: &str) -> std::borrow::Cow<'_, str> {
    display_safe_keeping(text, &['\n', '\t'])
}

/// [`display_safe`], keeping the control characters in `keep` (which the caller escapes).
pub(crate) fn display_safe_keeping<'a>(text: &'a str, keep: &[char]) -> std::borrow::Cow<'a, str> {
    use std::fmt::Write as _;
    let unsafe_char =
        |c: char| (c.is_control() && !keep.contains(&c)) || crate::render::is_bidi_control(c);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::report_path;

    #[test]
    fn report_paths_use_forward_slashes() {
        assert_eq!(report_path("./architecture.yaml"), "architecture.yaml");
        assert_eq!(report_path(r"deploy\arch.yaml"), "deploy/arch.yaml");
        assert_eq!(report_path("/abs/a.yaml"), "/abs/a.yaml");
    }
}
