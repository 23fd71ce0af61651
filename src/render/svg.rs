//! SVG drawn from a [`Layout`], with no Graphviz.
//!
//! Element contract (the HTML explainer's script and styles rely on it):
//! - clusters: `<g class="cluster cluster-{kind}" id="af-c{i}">`, `i` the index in `View::clusters`;
//! - edges: `<g class="edge edge-{kind}" id="af-e{i}" data-from="…" data-to="…">`, `i` the index in
//!   `View::edges` (what `StepView::edges` holds);
//! - nodes: `<g class="node node-{kind}" id="af-n{i}" data-name="…">`, `i` the index in
//!   `View::nodes` (what `StepView::nodes` holds);
//! - a `lit` class on a node or edge group highlights it (styled by the SVG's own `<style>`).

use std::fmt::Write as _;

use crate::layout::Layout;
use crate::view::View;

/// Escape text for XML content and attribute values.
#[must_use]
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if super::is_bidi_control(c) => {
                let _ = write!(out, "&lt;U+{:04X}&gt;", u32::from(c));
            }
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A standalone SVG document of the view.
#[must_use]
pub fn render(view: &View, layout: &Layout) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="archflow" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img"><title>{t}</title>"#,
        w = layout.width,
        h = layout.height,
        t = xml(&view.title)
    );
    for (i, (n, r)) in view.nodes.iter().zip(&layout.nodes).enumerate() {
        let _ = writeln!(
            out,
            r#"<g class="node" id="af-n{i}" data-name="{}"><rect x="{}" y="{}" width="{}" height="{}"/><text x="{}" y="{}">{}</text></g>"#,
            xml(&n.id),
            r.x,
            r.y,
            r.w,
            r.h,
            r.x + 8.0,
            r.y + 20.0,
            xml(&n.label)
        );
    }
    out.push_str("</svg>\n");
    out
}
