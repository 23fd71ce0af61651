//! Graphviz's layout of a view, read back as a [`Layout`], so that [`super::quality`] measures it
//! exactly as it measures archflow's own.
//!
//! Input: the view and the output of `dot -Tjson` on its DOT (`render --format dot`, without a
//! flow). Graphviz's coordinates are points with y growing upwards; they are turned so that y
//! grows downwards from the top of its bounding box, like SVG's. Nodes and clusters are the boxes
//! Graphviz gives (`pos` ± `width`/`height` in inches × 72, cluster `bb`). An edge is its `pos`
//! B-spline, each cubic piece flattened into [`PIECES`] straight segments, with the straight
//! stretch to the arrow tip (`e,x,y`) or from the tail arrow (`s,x,y`) added. A label is the box
//! of its text: `lp` is its centre, the width is the text's width in `_ldraw_`, the height 1.2 ×
//! the font size.

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

use super::{Direction, EdgeRoute, Layout, Point, Rect};
use crate::view::View;

/// Straight pieces per cubic Bézier piece of a Graphviz edge.
pub const PIECES: usize = 16;

/// Read `dot -Tjson` output for `view` as a layout of it.
pub fn from_json(view: &View, json: &str) -> Result<Layout, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let bb = numbers(doc.get("bb").and_then(Value::as_str).ok_or("no bb")?);
    let [x0, y0, x1, y1] = bb[..] else {
        return Err("bb is not four numbers".to_owned());
    };
    let top = y1;
    let flip = |x: f64, y: f64| Point {
        x: x - x0,
        y: top - y,
    };
    let node_index: HashMap<&str, usize> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let cluster_index: HashMap<String, usize> = view
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("cluster_{}", c.id), i))
        .collect();
    let mut layout = Layout {
        width: x1 - x0,
        height: y1 - y0,
        nodes: vec![Rect::default(); view.nodes.len()],
        clusters: vec![Rect::default(); view.clusters.len()],
        edges: vec![EdgeRoute::default(); view.edges.len()],
        direction: Direction::LR,
    };
    let objects = doc
        .get("objects")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    // Object names by `_gvid`, for edge ends.
    let mut names: HashMap<u64, &str> = HashMap::new();
    for o in objects {
        let name = o.get("name").and_then(Value::as_str).unwrap_or_default();
        if let Some(id) = o.get("_gvid").and_then(Value::as_u64) {
            names.insert(id, name);
        }
        if let Some(&c) = cluster_index.get(name) {
            let b = numbers(o.get("bb").and_then(Value::as_str).unwrap_or_default());
            if let [bx0, by0, bx1, by1] = b[..] {
                let p = flip(bx0, by1);
                layout.clusters[c] = Rect {
                    x: p.x,
                    y: p.y,
                    w: bx1 - bx0,
                    h: by1 - by0,
                };
            }
        } else if let Some(&n) = node_index.get(name) {
            let pos = numbers(o.get("pos").and_then(Value::as_str).unwrap_or_default());
            let inches = |k: &str| {
                o.get(k)
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse::<f64>().ok())
                    .unwrap_or(0.0)
            };
            let (w, h) = (inches("width") * 72.0, inches("height") * 72.0);
            if let [cx, cy] = pos[..] {
                let c = flip(cx, cy);
                layout.nodes[n] = Rect {
                    x: c.x - w / 2.0,
                    y: c.y - h / 2.0,
                    w,
                    h,
                };
            } else {
                return Err(format!("node {name} has no position"));
            }
        }
    }
    let edges = doc
        .get("edges")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if edges.len() != view.edges.len() {
        return Err(format!(
            "{} edges in Graphviz's output, {} in the view",
            edges.len(),
            view.edges.len()
        ));
    }
    // Graphviz does not keep the DOT's edge order: match each edge to the view's by its ends and
    // label, in order among edges with the same ones.
    let mut unmatched: HashMap<(&str, &str, &str), VecDeque<usize>> = HashMap::new();
    for (k, e) in view.edges.iter().enumerate() {
        unmatched
            .entry((&e.from, &e.to, e.label.as_deref().unwrap_or_default()))
            .or_default()
            .push_back(k);
    }
    let mut by_id: Vec<&Value> = edges.iter().collect();
    by_id.sort_by_key(|e| e.get("_gvid").and_then(Value::as_u64));
    for e in by_id {
        let end = |key: &str| {
            e.get(key)
                .and_then(Value::as_u64)
                .and_then(|id| names.get(&id).copied())
                .unwrap_or_default()
        };
        let (tail, head) = (end("tail"), end("head"));
        let label = e.get("label").and_then(Value::as_str).unwrap_or_default();
        // A label Graphviz wrote differently (escapes) still matches on the ends alone.
        let k = unmatched
            .get_mut(&(tail, head, label))
            .and_then(VecDeque::pop_front)
            .or_else(|| {
                unmatched
                    .iter_mut()
                    .filter(|((t, h, _), q)| *t == tail && *h == head && !q.is_empty())
                    .min_by_key(|(_, q)| q.front().copied())
                    .and_then(|(_, q)| q.pop_front())
            })
            .ok_or_else(|| {
                format!("Graphviz drew an edge {tail} → {head} the view does not have")
            })?;
        let pos = e.get("pos").and_then(Value::as_str).unwrap_or_default();
        layout.edges[k].points = spline(pos).into_iter().map(|(x, y)| flip(x, y)).collect();
        if let Some(lp) = e.get("lp").and_then(Value::as_str) {
            let (width, size) = text_box(e.get("_ldraw_"));
            if let [lx, ly] = numbers(lp)[..] {
                let c = flip(lx, ly);
                let h = size * 1.2;
                layout.edges[k].label = Some(Rect {
                    x: c.x - width / 2.0,
                    y: c.y - h / 2.0,
                    w: width,
                    h,
                });
            }
        }
    }
    Ok(layout)
}

/// The numbers in a Graphviz list such as `"1,2,3.5,4"` or `"1,2 3,4"`.
fn numbers(text: &str) -> Vec<f64> {
    text.split([',', ' '])
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// An edge's `pos` (`[s,x,y ][e,x,y ]p0 p1 p2 p3 …`) as a polyline from tail to head.
fn spline(pos: &str) -> Vec<(f64, f64)> {
    let mut start = None;
    let mut end = None;
    let mut control = Vec::new();
    for token in pos.split_whitespace() {
        let (marker, rest) = match token.split_once(',') {
            Some(("s", rest)) => (Some('s'), rest),
            Some(("e", rest)) => (Some('e'), rest),
            _ => (None, token),
        };
        let [x, y] = numbers(rest)[..] else { continue };
        match marker {
            Some('s') => start = Some((x, y)),
            Some('e') => end = Some((x, y)),
            _ => control.push((x, y)),
        }
    }
    let mut out = Vec::new();
    out.extend(start);
    if let Some(&first) = control.first() {
        out.push(first);
    }
    for piece in control.windows(4).step_by(3) {
        let [p0, p1, p2, p3] = [piece[0], piece[1], piece[2], piece[3]];
        for k in 1..=PIECES {
            let t = k as f64 / PIECES as f64;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            out.push((
                a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
                a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
            ));
        }
    }
    out.extend(end);
    out
}

/// The width of a label's text and its font size, from `_ldraw_`.
fn text_box(ldraw: Option<&Value>) -> (f64, f64) {
    let mut width: f64 = 0.0;
    let mut size: f64 = 14.0;
    for op in ldraw
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
    {
        match op.get("op").and_then(Value::as_str) {
            Some("F") => size = op.get("size").and_then(Value::as_f64).unwrap_or(size),
            Some("T") => width = width.max(op.get("width").and_then(Value::as_f64).unwrap_or(0.0)),
            _ => {}
        }
    }
    (width, size)
}

#[cfg(test)]
mod tests {
    use super::spline;

    #[test]
    fn a_spline_runs_from_tail_to_the_arrow_tip() {
        let pts = spline("e,30,0 0,0 10,0 20,0 25,0");
        assert_eq!(pts.first(), Some(&(0.0, 0.0)));
        assert_eq!(pts.last(), Some(&(30.0, 0.0)));
        assert_eq!(pts.len(), 1 + super::PIECES + 1);
    }
}
