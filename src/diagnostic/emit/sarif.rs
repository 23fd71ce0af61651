//! Findings as SARIF 2.1.0 (the Static Analysis Results Interchange Format), for GitHub code
//! scanning and other SARIF viewers.
//!
//! One run: `tool.driver` describes every rule (rules, configuration findings and load errors),
//! each result points at its rule by `ruleId` and `ruleIndex`. Columns count characters
//! (`columnKind: unicodeCodePoints`), like the rest of archflow. The model's path is kept as
//! given, relative to `%SRCROOT%` (the folder archflow ran in), so no machine path leaks into
//! the log. `partialFingerprints` hash the rule, the subject and the message, not positions, so a
//! finding keeps its identity when lines move.

use std::collections::BTreeMap;

use serde::Serialize;

use super::report_path;
use crate::diagnostic::code::{Code, Kind};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::Source;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id of relative artifact paths: the folder archflow ran in.
const SRCROOT: &str = "%SRCROOT%";

/// The key of archflow's fingerprint in `partialFingerprints`.
const FINGERPRINT: &str = "archflow/v1";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct BaseId {
    description: Message,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: &'static str,
    short_description: Message,
    full_description: Multiformat,
    help: Multiformat,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Multiformat {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: Properties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(rename = "physicalLocation")]
    physical: PhysicalLocation,
    message: Message,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// What SARIF has no field for: the rule name, the subject, the help and the notes.
#[derive(Serialize)]
struct Properties {
    rule: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

/// A SARIF 2.1.0 log of `diagnostics` on `source`, pretty-printed, ending with a newline.
/// `explain` gives each code's Markdown explanation (`check::explanation`), which becomes its
/// descriptor's help.
#[must_use]
pub fn render(
    source: &Source,
    diagnostics: &[Diagnostic],
    explain: fn(&Code) -> &'static str,
) -> String {
    let rules = descriptors(explain);
    let (uri, base) = artifact_uri(&source.path);
    let location = |label: &Label, id: Option<usize>| {
        let start = source.line_col(label.span.start);
        let end = source.line_col(label.span.end.max(label.span.start));
        Location {
            id,
            physical: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri.clone(),
                    uri_base_id: base,
                },
                region: Region {
                    start_line: start.line,
                    start_column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                },
            },
            message: Message {
                text: label.message.clone(),
            },
        }
    };
    let mut seen: BTreeMap<u64, usize> = BTreeMap::new();
    let results = diagnostics
        .iter()
        .map(|d| {
            let hash = fingerprint(d);
            let occurrence = seen.entry(hash).or_insert(0);
            *occurrence += 1;
            SarifResult {
                rule_id: d.code,
                rule_index: rules.iter().position(|r| r.id == d.code),
                level: level(d.severity),
                message: Message {
                    text: d.message.clone(),
                },
                locations: vec![location(&d.primary, None)],
                related_locations: d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(i, l)| location(l, Some(i + 1)))
                    .collect(),
                partial_fingerprints: BTreeMap::from([(
                    FINGERPRINT,
                    format!("{hash:016x}:{occurrence}"),
                )]),
                properties: Properties {
                    rule: d.name,
                    subject: d.subject.clone(),
                    help: d.help.clone(),
                    notes: d.notes.clone(),
                },
            }
        })
        .collect();
    let mut original_uri_base_ids = BTreeMap::new();
    if base.is_some() {
        original_uri_base_ids.insert(
            SRCROOT,
            BaseId {
                description: Message {
                    text: "The folder archflow ran in; the model's path is relative to it."
                        .to_owned(),
                },
            },
        );
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "archflow",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules,
                },
            },
            original_uri_base_ids,
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    // Serializing plain structs of strings and integers cannot fail.
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// Where to read about archflow: `repository` (else `homepage`) from `Cargo.toml`; none when
/// neither is set, rather than a made-up address.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|uri| !uri.is_empty())
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Every rule, configuration finding and load error, in that order.
fn descriptors(explain: fn(&Code) -> &'static str) -> Vec<Descriptor> {
    [Kind::Rule, Kind::Config, Kind::Load]
        .into_iter()
        .flat_map(Code::of_kind)
        .map(|code| {
            let doc = explain(code);
            let checks = section(doc, "What it checks");
            Descriptor {
                id: code.id,
                name: code.name,
                short_description: Message {
                    text: code.summary.to_owned(),
                },
                full_description: Multiformat {
                    text: plain(&checks)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    markdown: Some(checks),
                },
                help: Multiformat {
                    text: plain(doc),
                    markdown: Some(doc.to_owned()),
                },
                default_configuration: Configuration {
                    level: level(code.severity),
                },
            }
        })
        .collect()
}

/// The text of a `## heading` section of a rule's Markdown doc (without the heading); the first
/// line of the doc when there is no such section.
fn section(doc: &str, heading: &str) -> String {
    let mut lines = doc.lines().skip_while(|l| {
        l.strip_prefix("## ")
            .is_none_or(|h| h.trim_end() != heading)
    });
    if lines.next().is_none() {
        return doc.lines().next().unwrap_or_default().to_owned();
    }
    let body: Vec<&str> = lines.take_while(|l| !l.starts_with("## ")).collect();
    body.join("\n").trim().to_owned()
}

/// Markdown made plain: no heading marks, no code fences (their contents stay).
fn plain(markdown: &str) -> String {
    markdown
        .lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .map(|l| {
            if l.starts_with('#') {
                l.trim_start_matches('#').trim_start()
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// The artifact's URI and base id: a relative path stays relative to `%SRCROOT%`; an absolute
/// one becomes a `file://` URI.
fn artifact_uri(path: &str) -> (String, Option<&'static str>) {
    let path = report_path(path);
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if path.starts_with('/') {
        (format!("file://{}", encode(&path, true)), None)
    } else if drive {
        (format!("file:///{}", encode(&path, true)), None)
    } else {
        (encode(&path, false), Some(SRCROOT))
    }
}

/// Percent-encode everything but unreserved characters and `/` (and `:` in absolute paths).
fn encode(path: &str, keep_colon: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (keep_colon && b == b':')
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// FNV-1a (64 bit) of the finding's code, subject and message: the same finding hashes the same
/// wherever its lines move.
fn fingerprint(d: &Diagnostic) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let subject = d.subject.as_deref().unwrap_or_default();
    [d.code, "\0", subject, "\0", d.message.as_str()]
        .iter()
        .flat_map(|part| part.bytes())
        .fold(OFFSET, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(PRIME)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        // Known FNV-1a 64 values: "" and "a".
        let d = |code: &'static Code, message: &str| {
            Diagnostic::new(
                code,
                message,
                Label::new(crate::source::Span::default(), ""),
            )
        };
        // code "" is impossible in practice; build the input by hand to check the function.
        let hash = |s: &str| {
            s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            })
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        let a001 = &crate::diagnostic::code::A001;
        assert_eq!(fingerprint(&d(a001, "m")), hash("A001\0\0m"));
        assert_ne!(
            fingerprint(&d(a001, "m")),
            fingerprint(&d(a001, "m").about("x"))
        );
    }

    #[test]
    fn uris_are_relative_or_file_uris() {
        assert_eq!(
            artifact_uri("./deploy/arch model.yaml"),
            ("deploy/arch%20model.yaml".to_owned(), Some(SRCROOT))
        );
        assert_eq!(
            artifact_uri("<stdin>"),
            ("%3Cstdin%3E".to_owned(), Some(SRCROOT))
        );
        assert_eq!(
            artifact_uri("/home/x/a.yaml"),
            ("file:///home/x/a.yaml".to_owned(), None)
        );
        assert_eq!(
            artifact_uri(r"C:\x\a.yaml"),
            ("file:///C:/x/a.yaml".to_owned(), None)
        );
    }

    #[test]
    fn sections_and_plain_text_of_a_doc() {
        let doc =
            "# r (A1)\n\n## What it checks\nOne `thing`,\nwrapped.\n\n## Why\n```yaml\na: 1\n```\n";
        assert_eq!(section(doc, "What it checks"), "One `thing`,\nwrapped.");
        assert_eq!(section(doc, "Nope"), "# r (A1)");
        assert_eq!(
            plain(doc),
            "r (A1)\n\nWhat it checks\nOne `thing`,\nwrapped.\n\nWhy\na: 1"
        );
    }
}
