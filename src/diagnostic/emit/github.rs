//! Findings as GitHub Actions workflow commands: one `::error …::message` line per finding, which
//! a workflow run shows as an annotation on the model's line (and in the pull request's diff).
//!
//! ```text
//! ::warning file=architecture.yaml,line=64,col=19,endLine=64,endColumn=20,title=A010 single-task-service::service `goals` runs a single task…
//! ```
//!
//! Escaping follows the workflow-commands spec: in the message `%`, `\r` and `\n` become `%25`,
//! `%0D` and `%0A`; in property values `:` and `,` become `%3A` and `%2C` as well. The help, when
//! there is one, follows the message on a second line.

use std::fmt::Write as _;

use super::report_path;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;
use crate::text::{self, Control};

/// One annotation line per finding (nothing when there is none).
#[must_use]
pub fn render(source: &Source, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    let path = (source.path != "<stdin>").then(|| report_path(&source.path));
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = Vec::new();
        if let Some(path) = &path {
            let start = source.line_col(d.primary.span.start);
            let end = source.line_col(d.primary.span.end.max(d.primary.span.start));
            properties.push(format!("file={}", escape_property(path)));
            properties.push(format!("line={}", start.line));
            properties.push(format!("col={}", start.column));
            properties.push(format!("endLine={}", end.line));
            properties.push(format!("endColumn={}", end.column));
        }
        properties.push(format!(
            "title={}",
            escape_property(&format!("{} {}", d.code, d.name))
        ));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            // Line breaks are escaped here; other control characters and bidi controls are
            // shown as `<U+…>`.
            escape_data(&text::visible(&message, &['\r', '\n', '\t'], Control::Show))
        );
    }
    out
}

/// Escape a command's message.
#[must_use]
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property's value.
#[must_use]
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_the_workflow_commands_spec() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
    }
}
