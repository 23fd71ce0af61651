//! Lengths every phase shares: spacing constants, an approximate text width for the SVG fonts,
//! and the size of a node's box.
//!
//! Input: text and node kinds. Output: lengths in screen units (SVG user units), width before
//! height; the phases turn them into (main, cross) pairs.

use crate::view::NodeKind;

/// Narrowest gap between two columns.
pub(super) const GAP: f64 = 8.0;
/// Space between two nodes (or a node and a cluster box) stacked in one column; half of it is
/// each one's margin.
pub(super) const NODE_SEP: f64 = 16.0;
/// Space between two edges passing through one column.
pub(super) const EDGE_SEP: f64 = 8.0;
/// Distance between two vertical tracks in one gap, and the room left on either side of them.
pub(super) const TRACK: f64 = 6.0;
/// Distance between a label and its edge's line.
pub(super) const LABEL_LINE: f64 = 2.0;
/// Room in the gap after a node for its loop, when it has an edge to itself.
pub(super) const LOOP: f64 = 16.0;
/// Padding inside a cluster box, screen space.
pub(super) const PAD: f64 = 12.0;
/// Height of a cluster's title band (label + detail).
pub(super) const TITLE: f64 = 34.0;
/// Margin around the whole drawing.
pub(super) const MARGIN: f64 = 16.0;
/// Label font metrics (SVG renderer uses the same sizes).
pub(crate) const LABEL_FONT: f64 = 10.0;
pub(crate) const LABEL_HEIGHT: f64 = 13.0;

/// An approximate text width for the SVG fonts: wide enough for most sans-serif faces.
pub(crate) fn text_width(text: &str, font_size: f64) -> f64 {
    let mut units = 0.0;
    for c in text.chars() {
        units += match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.32,
            'm' | 'w' | 'M' | 'W' | '@' => 0.9,
            c if c.is_ascii_uppercase() => 0.68,
            c if c.is_ascii() => 0.56,
            // CJK and other wide scripts.
            c if u32::from(c) >= 0x2E80 => 1.0,
            _ => 0.6,
        };
    }
    units * font_size
}

/// The size of a node's box (screen space).
pub(crate) fn node_size(label: &str, detail: Option<&str>, kind: NodeKind) -> (f64, f64) {
    let text = text_width(label, 12.0).max(detail.map_or(0.0, |d| text_width(d, 10.0)));
    let extra = match kind {
        NodeKind::LoadBalancer => 36.0,
        NodeKind::Database | NodeKind::FileSystem => 28.0,
        NodeKind::Actor => 32.0,
        _ => 24.0,
    };
    let w = (text + extra).max(96.0).ceil();
    let h = if detail.is_some() { 42.0 } else { 32.0 };
    let h = if kind == NodeKind::Database {
        h + 10.0
    } else {
        h
    };
    (w, h)
}
