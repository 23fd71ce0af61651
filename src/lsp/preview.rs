//! The live preview: the model drawn as SVG (archflow's own layout, as `render --format svg`),
//! and which element of it is the component the cursor is on, so an editor can show the diagram
//! beside the text and light up what is being edited.
//!
//! Custom requests (the VS Code extension in `editors/vscode` uses them):
//! - `archflow/preview` `{textDocument, position?}` → [`PreviewResult`];
//! - `archflow/focus` `{textDocument, position}` → [`FocusResult`];
//! - `archflow/explain` `{code}` → [`ExplainResult`] (a finding's `codeDescription` link).

use std::collections::HashMap;

use lsp_types::{Position, TextDocumentIdentifier};
use serde::{Deserialize, Serialize};

use super::index::{Target, Token};
use super::snapshot::Snapshot;
use crate::model::{ComponentId, Kind};

pub const PREVIEW: &str = "archflow/preview";
pub const FOCUS: &str = "archflow/focus";
pub const EXPLAIN: &str = "archflow/explain";

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewParams {
    pub text_document: TextDocumentIdentifier,
    #[serde(default)]
    pub position: Option<Position>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewResult {
    /// The diagram; `None` when no version of the document has loaded yet.
    pub svg: Option<String>,
    /// The document version the diagram is of.
    pub version: Option<i32>,
    /// Whether the newest text does not load, so the diagram is of an older version.
    pub stale: bool,
    /// Why there is no diagram, or why it is stale (the load error).
    pub message: Option<String>,
    /// The `id` of the SVG element of the component at `position`.
    pub focus: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FocusParams {
    pub text_document: TextDocumentIdentifier,
    pub position: Position,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FocusResult {
    /// The `id` of the SVG element (`af-n3`, `af-c1`).
    pub focus: Option<String>,
    /// The component's name as drawn.
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct ExplainParams {
    /// A code (`A001`) or rule name.
    pub code: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct ExplainResult {
    /// The explanation, in Markdown (what `archflow explain` prints).
    pub markdown: String,
}

/// A drawn snapshot: the SVG and the element id of every node and cluster.
#[derive(Debug)]
pub struct Drawing {
    pub svg: String,
    /// Node id (the component's name as drawn) → element id.
    nodes: HashMap<String, String>,
    /// Cluster id (`service:NAME`, `task:FAMILY`) → element id.
    clusters: HashMap<String, String>,
}

/// Draw a loaded snapshot.
#[must_use]
pub fn draw(snapshot: &Snapshot) -> Option<Drawing> {
    let view = snapshot.analysis.view()?;
    let laid_out = crate::layout::layout(&view, crate::layout::LayoutOptions::default());
    let svg = crate::render::svg::render(&view, &laid_out);
    let nodes = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.clone(), format!("af-n{i}")))
        .collect();
    let clusters = view
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), format!("af-c{i}")))
        .collect();
    Some(Drawing {
        svg,
        nodes,
        clusters,
    })
}

/// The element of the component at byte `offset` of the snapshot's text: the name under the
/// cursor, or else the innermost component whose lines hold the cursor.
#[must_use]
pub fn focus(snapshot: &Snapshot, drawing: &Drawing, offset: usize) -> FocusResult {
    let (Some(index), Some(model)) = (snapshot.index(), snapshot.analysis.model.as_ref()) else {
        return FocusResult::default();
    };
    let text = snapshot.text();
    let target = index
        .at(offset)
        .and_then(|e| index.target_of(e.token))
        .or_else(|| {
            // The nearest definition above the cursor whose item holds it.
            let entries = index.entries();
            let before = entries.partition_point(|e| e.span.start <= offset);
            entries[..before]
                .iter()
                .rev()
                .filter(|e| matches!(e.token, Token::Definition(_)))
                .take(64)
                .find(|e| encloses(snapshot, text, e.span.start, offset))
                .and_then(|e| index.target_of(e.token))
        });
    let Some(Target::Component(id)) = target else {
        return FocusResult::default();
    };
    element(model, drawing, id)
}

fn element(model: &crate::model::Model, drawing: &Drawing, id: &ComponentId) -> FocusResult {
    let (name, element) = match id.kind {
        Kind::Service => {
            let key = format!("service:{}", id.name);
            (id.name.clone(), drawing.clusters.get(&key))
        }
        Kind::Task => {
            let key = format!("task:{}", id.name);
            (id.name.clone(), drawing.clusters.get(&key))
        }
        _ => {
            let name = model.reference_name(id).to_owned();
            let element = drawing.nodes.get(&name);
            (name, element)
        }
    };
    FocusResult {
        focus: element.cloned(),
        name: Some(name),
    }
}

/// Whether the mapping whose name is at `name` runs down to `offset` (the lines between are
/// indented at least as deep as the name's key).
fn encloses(snapshot: &Snapshot, text: &str, name: usize, offset: usize) -> bool {
    let lines = &snapshot.lines;
    let first = lines.line_of(name);
    let last = lines.line_of(offset);
    let key_col = {
        let line = lines.line(text, first);
        let start = lines.line_range(text, first).map_or(0, |r| r.0);
        name.saturating_sub(start).min(line.len())
    };
    let col_of_key = |line: &str| {
        let t = line.trim_start();
        line.len() - t.len()
    };
    // The name's key starts before its value: the key's column is that of the line's content
    // after any `- ` markers.
    let key_indent = {
        let line = lines.line(text, first);
        let mut col = col_of_key(line);
        let mut rest = &line[col..];
        while let Some(r) = rest.strip_prefix("- ") {
            col += 2 + (r.len() - r.trim_start().len());
            rest = r.trim_start();
        }
        col.min(key_col)
    };
    (first + 1..=last).all(|n| {
        let l = lines.line(text, n);
        let t = l.trim_start();
        t.is_empty() || t.starts_with('#') || col_of_key(l) >= key_indent
    })
}
