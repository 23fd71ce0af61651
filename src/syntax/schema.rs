//! The JSON Schema of `architecture.yaml`, derived from the [`Document`] types with schemars.
//!
//! Editors use it for completion, hover text and validation as you type (yaml-language-server
//! reads the `# yaml-language-server: $schema=…` comment on a model's first line). The loader is
//! still the authority: the schema cannot see references between names, which the rules check.
//! `archflow schema` prints it; `archflow.schema.json` at the repository root is its output, kept
//! in sync by a test.

use schemars::Schema;
use serde_json::Value;

use super::Document;

/// The schema's `$id`: a stable name for version 1 of the model format.
pub const SCHEMA_ID: &str = "urn:archflow:architecture:v1";

/// The schema's `title`.
pub const SCHEMA_TITLE: &str = "archflow model (architecture.yaml)";

/// The JSON Schema (draft 2020-12) of a model.
#[must_use]
pub fn json_schema() -> Schema {
    let mut schema = schemars::schema_for!(Document);
    schema.insert("$id".to_owned(), SCHEMA_ID.into());
    schema.insert("title".to_owned(), SCHEMA_TITLE.into());
    let mut value = Value::from(schema);
    tidy_descriptions(&mut value);
    Schema::try_from(value).unwrap_or_default()
}

/// The schema as `archflow schema` prints it: pretty JSON with a trailing newline.
#[must_use]
pub fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// Doc comments are wrapped for the source and written for rustdoc; in an editor's hover text a
/// paragraph reads best as one line, and an intra-doc link (``[`Suppression`]``) as plain code.
fn tidy_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(text) if key == "description" => *text = tidy(text),
                    _ => tidy_descriptions(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy_descriptions),
        _ => {}
    }
}

fn tidy(text: &str) -> String {
    let joined = text
        .split("\n\n")
        .map(|paragraph| paragraph.split('\n').collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n");
    // ``[`Name`]`` not followed by `(` (a Markdown link) → ``Name``.
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(start) = rest.find("[`") {
        let after = &rest[start + 2..];
        match after.find("`]") {
            Some(end) if !after[..end].contains('`') && !after[end + 2..].starts_with('(') => {
                out.push_str(&rest[..start]);
                out.push('`');
                out.push_str(&after[..end]);
                out.push('`');
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str(&rest[..start + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn paragraphs_become_lines_and_doc_links_become_code() {
        assert_eq!(
            tidy("Findings of these rules\nare not reported (see [`Suppression`]).\n\nNext."),
            "Findings of these rules are not reported (see `Suppression`).\n\nNext."
        );
        assert_eq!(tidy("[`a`](https://x) and [`b"), "[`a`](https://x) and [`b");
    }
}
