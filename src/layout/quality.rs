//! Quality: how readable a laid-out view is, as numbers. The same function measures archflow's
//! own layout and Graphviz's layout of the same view (read by [`super::graphviz`]), so the two
//! can be compared side by side.
//!
//! Every edge is a polyline (Graphviz's B-splines are flattened into short straight pieces
//! first). Two edges that share an end node are never counted against each other: they may
//! meet at that node and leave it on one line (a bundle). The measures:
//!
//! - **crossings**: pairs of segments of two edges that cross properly (their interiors meet
//!   in one point; touching does not count), each pair of segments once;
//! - **edge–edge overlaps**: pairs of edges with segments that run on top of each other
//!   (parallel within 3°, less than 1 unit apart, sharing more than 1 unit of length);
//! - **node–edge overlaps**: pairs (edge, node) where the edge runs through the node's box
//!   (more than 0.5 units inside it), the edge's own end nodes excluded;
//! - **label–label**, **label–node** and **label–edge overlaps**: pairs of label boxes that
//!   share area, label boxes that share area with a node box, and (label, edge) pairs where
//!   another edge runs through the label box;
//! - **bends**: the total turning of all edges in right angles (the sum of the angles between
//!   consecutive segments, divided by 90°): the number of bends of an orthogonal route, and a
//!   fair measure of a curve;
//! - **edge length**: the total length of all edges, in the drawing's units;
//! - **width**, **height**, **area** and **aspect ratio** of the box around everything drawn
//!   (nodes, clusters, edges and labels, not a title), and the summed area of the node boxes
//!   for scale;
//! - **backwards**: edges whose target's centre lies before its source's centre along the main
//!   direction (left of it in LR); **backwards outside cycles**: those of them whose two ends
//!   are not on a common directed cycle of the view (so a layered drawing could have drawn them
//!   forwards);
//! - **U-turns**: edges that travel more than 10 units both ways along the main axis.
//!
//! Edges from a node to itself count for crossings, overlaps, length and bends only. Work is
//! near-linear: segments, nodes and labels are bucketed in a uniform grid, and only items
//! sharing a cell are compared.

use std::collections::HashMap;

use serde::Serialize;

use super::{Bounds, Direction, Layout, Point, Rect};
use crate::view::View;

/// Layout quality measures of one drawing; see the module documentation for definitions.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Quality {
    pub nodes: usize,
    pub edges: usize,
    pub crossings: usize,
    pub edge_edge_overlaps: usize,
    pub node_edge_overlaps: usize,
    pub label_label_overlaps: usize,
    pub label_node_overlaps: usize,
    pub label_edge_overlaps: usize,
    pub backwards: usize,
    pub backwards_outside_cycles: usize,
    pub u_turns: usize,
    /// Total turning in right angles.
    pub bends: f64,
    pub edge_length: f64,
    pub width: f64,
    pub height: f64,
    pub area: f64,
    /// Width over height.
    pub aspect_ratio: f64,
    /// The summed area of the node boxes.
    pub node_area: f64,
}

/// Distance under which two parallel segments count as drawn on top of each other.
const ON_TOP: f64 = 1.0;
/// How far a segment must reach into a box to count as running through it.
const INSIDE: f64 = 0.5;
/// Travel along the main axis, each way, that makes an edge a U-turn.
const U_TURN: f64 = 10.0;

#[derive(Clone, Copy)]
struct Segment {
    a: Point,
    b: Point,
    edge: usize,
}

/// Measure `layout`, a drawing of `view`.
#[must_use]
pub fn quality(view: &View, layout: &Layout) -> Quality {
    let index: HashMap<&str, usize> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let ends: Vec<Option<(usize, usize)>> = view
        .edges
        .iter()
        .map(|e| Some((*index.get(e.from.as_str())?, *index.get(e.to.as_str())?)))
        .collect();
    let share_end = |e: usize, f: usize| match (ends[e], ends[f]) {
        (Some((a, b)), Some((c, d))) => a == c || a == d || b == c || b == d,
        _ => false,
    };
    let routes = &layout.edges;
    let segments: Vec<Segment> = routes
        .iter()
        .enumerate()
        .take(view.edges.len())
        .flat_map(|(e, r)| {
            r.points
                .windows(2)
                .filter(|w| dist(w[0], w[1]) > 1e-9)
                .map(move |w| Segment {
                    a: w[0],
                    b: w[1],
                    edge: e,
                })
        })
        .collect();
    let labels: Vec<(usize, Rect)> = routes
        .iter()
        .enumerate()
        .filter_map(|(e, r)| Some((e, r.label?)))
        .collect();

    let mut q = Quality {
        nodes: view.nodes.len(),
        edges: view.edges.len(),
        ..Quality::default()
    };

    // Extent of everything drawn.
    let mut bounds = Bounds::default();
    for r in layout.nodes.iter().chain(&layout.clusters) {
        bounds.rect(r);
    }
    for (_, r) in &labels {
        bounds.rect(r);
    }
    for s in &segments {
        bounds.point(s.a);
        bounds.point(s.b);
    }
    if let Some((x0, y0, x1, y1)) = bounds.get() {
        q.width = x1 - x0;
        q.height = y1 - y0;
        q.area = q.width * q.height;
        q.aspect_ratio = if q.height > 0.0 {
            q.width / q.height
        } else {
            0.0
        };
    }
    q.node_area = layout.nodes.iter().map(|r| r.w * r.h).sum();

    // Length and turning.
    for r in routes.iter().take(view.edges.len()) {
        let pts: Vec<Point> = dedup(&r.points);
        for w in pts.windows(2) {
            q.edge_length += dist(w[0], w[1]);
        }
        for w in pts.windows(3) {
            q.bends += turn(w[0], w[1], w[2]) / 90.0;
        }
    }

    let grid = Grid::new(
        bounds.get(),
        segments.len() + layout.nodes.len() + labels.len(),
    );

    // Segment pairs: crossings and overlaps.
    let seg_cells = grid.bucket(segments.iter().map(|s| seg_box(s.a, s.b)));
    let mut overlapping: Vec<(usize, usize)> = Vec::new();
    for (cell, members) in seg_cells.iter().enumerate() {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                let (s, t) = (segments[i], segments[j]);
                if s.edge == t.edge || share_end(s.edge, t.edge) {
                    continue;
                }
                // Each pair once: in the first cell that both segments touch.
                if grid.first_shared(seg_box(s.a, s.b), seg_box(t.a, t.b)) != cell {
                    continue;
                }
                if crossing(s.a, s.b, t.a, t.b) {
                    q.crossings += 1;
                } else if on_top(s.a, s.b, t.a, t.b) {
                    overlapping.push((s.edge.min(t.edge), s.edge.max(t.edge)));
                }
            }
        }
    }
    overlapping.sort_unstable();
    overlapping.dedup();
    q.edge_edge_overlaps = overlapping.len();

    // Segments through nodes and labels.
    let node_cells = grid.bucket(layout.nodes.iter().copied());
    let label_cells = grid.bucket(labels.iter().map(|(_, r)| *r));
    let mut through_nodes: Vec<(usize, usize)> = Vec::new();
    let mut through_labels: Vec<(usize, usize)> = Vec::new();
    for s in &segments {
        for cell in grid.cells(seg_box(s.a, s.b)) {
            for &n in &node_cells[cell] {
                let own = ends[s.edge].is_some_and(|(a, b)| a == n || b == n);
                if !own && through(s.a, s.b, &layout.nodes[n]) {
                    through_nodes.push((s.edge, n));
                }
            }
            for &l in &label_cells[cell] {
                let (e, r) = labels[l];
                if e != s.edge && through(s.a, s.b, &r) {
                    through_labels.push((s.edge, l));
                }
            }
        }
    }
    for v in [&mut through_nodes, &mut through_labels] {
        v.sort_unstable();
        v.dedup();
    }
    q.node_edge_overlaps = through_nodes.len();
    q.label_edge_overlaps = through_labels.len();

    // Labels against labels and nodes.
    let mut label_pairs: Vec<(usize, usize)> = Vec::new();
    let mut label_nodes: Vec<(usize, usize)> = Vec::new();
    for (l, (_, r)) in labels.iter().enumerate() {
        for cell in grid.cells(*r) {
            for &m in &label_cells[cell] {
                if m > l && r.overlaps(&labels[m].1) {
                    label_pairs.push((l, m));
                }
            }
            for &n in &node_cells[cell] {
                if r.overlaps(&layout.nodes[n]) {
                    label_nodes.push((l, n));
                }
            }
        }
    }
    for v in [&mut label_pairs, &mut label_nodes] {
        v.sort_unstable();
        v.dedup();
    }
    q.label_label_overlaps = label_pairs.len();
    q.label_node_overlaps = label_nodes.len();

    // Direction.
    let main = |p: Point| match layout.direction {
        Direction::LR => p.x,
        Direction::TB => p.y,
    };
    let component = strong_components(view.nodes.len(), &ends);
    for (e, r) in routes.iter().enumerate().take(view.edges.len()) {
        let Some((a, b)) = ends[e] else { continue };
        if a == b || r.points.len() < 2 {
            continue;
        }
        let (Some(ra), Some(rb)) = (layout.nodes.get(a), layout.nodes.get(b)) else {
            continue;
        };
        if main(rb.center()) < main(ra.center()) - 1.0 {
            q.backwards += 1;
            if component[a] != component[b] {
                q.backwards_outside_cycles += 1;
            }
        }
        let (mut forth, mut back) = (0.0, 0.0);
        for w in r.points.windows(2) {
            let d = main(w[1]) - main(w[0]);
            if d > 0.0 {
                forth += d;
            } else {
                back -= d;
            }
        }
        if forth > U_TURN && back > U_TURN {
            q.u_turns += 1;
        }
    }
    q
}

fn dist(a: Point, b: Point) -> f64 {
    (b.x - a.x).hypot(b.y - a.y)
}

fn dedup(points: &[Point]) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for &p in points {
        if out.last().is_none_or(|&q| dist(q, p) > 1e-9) {
            out.push(p);
        }
    }
    out
}

/// The angle, in degrees, between a→b and b→c.
fn turn(a: Point, b: Point, c: Point) -> f64 {
    let (ux, uy) = (b.x - a.x, b.y - a.y);
    let (vx, vy) = (c.x - b.x, c.y - b.y);
    (ux * vy - uy * vx)
        .abs()
        .atan2(ux * vx + uy * vy)
        .to_degrees()
}

fn cross(o: Point, a: Point, b: Point) -> f64 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

/// Whether segments a–b and c–d cross properly: each one's ends lie strictly on both sides of
/// the other's line.
fn crossing(a: Point, b: Point, c: Point, d: Point) -> bool {
    let side = |v: f64, len: f64| {
        let t = v / len;
        if t > 1e-6 {
            1
        } else if t < -1e-6 {
            -1
        } else {
            0
        }
    };
    let (lab, lcd) = (dist(a, b), dist(c, d));
    let (d1, d2) = (cross(c, d, a), cross(c, d, b));
    let (d3, d4) = (cross(a, b, c), cross(a, b, d));
    side(d1, lcd) * side(d2, lcd) < 0 && side(d3, lab) * side(d4, lab) < 0
}

/// Whether segments a–b and c–d run on top of each other.
fn on_top(a: Point, b: Point, c: Point, d: Point) -> bool {
    let len = dist(a, b);
    let (ux, uy) = ((b.x - a.x) / len, (b.y - a.y) / len);
    let l2 = dist(c, d);
    let (vx, vy) = ((d.x - c.x) / l2, (d.y - c.y) / l2);
    if (ux * vy - uy * vx).abs() > 0.05 {
        return false;
    }
    // Distance of c and d from the line through a and b.
    let off = |p: Point| ((p.x - a.x) * uy - (p.y - a.y) * ux).abs();
    if off(c) > ON_TOP || off(d) > ON_TOP {
        return false;
    }
    let proj = |p: Point| (p.x - a.x) * ux + (p.y - a.y) * uy;
    let (s0, s1) = (proj(c).min(proj(d)), proj(c).max(proj(d)));
    s1.min(len) - s0.max(0.0) > ON_TOP
}

/// Whether segment a–b runs through the inside of `r` (more than [`INSIDE`] from its border).
fn through(a: Point, b: Point, r: &Rect) -> bool {
    let (x0, x1) = (r.x + INSIDE, r.right() - INSIDE);
    let (y0, y1) = (r.y + INSIDE, r.bottom() - INSIDE);
    if x0 >= x1 || y0 >= y1 {
        return false;
    }
    // Liang–Barsky clipping of the segment against the shrunk box.
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.x - x0),
        (dx, x1 - a.x),
        (-dy, a.y - y0),
        (dy, y1 - a.y),
    ] {
        if p == 0.0 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t1 - t0 > 1e-9
}

fn seg_box(a: Point, b: Point) -> Rect {
    Rect {
        x: a.x.min(b.x),
        y: a.y.min(b.y),
        w: (a.x - b.x).abs(),
        h: (a.y - b.y).abs(),
    }
}

/// A uniform grid over the drawing, for finding items near each other.
struct Grid {
    x0: f64,
    y0: f64,
    cell: f64,
    nx: usize,
    ny: usize,
}

impl Grid {
    fn new(bounds: Option<(f64, f64, f64, f64)>, items: usize) -> Self {
        let (x0, y0, x1, y1) = bounds.unwrap_or((0.0, 0.0, 1.0, 1.0));
        let (w, h) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
        // About one item per cell, but cells no smaller than a short edge.
        let cell = (w * h / items.max(1) as f64).sqrt().max(24.0);
        let nx = count((w / cell).ceil()).clamp(1, 4096);
        let ny = count((h / cell).ceil()).clamp(1, 4096);
        Grid {
            x0,
            y0,
            cell,
            nx,
            ny,
        }
    }

    fn column(&self, x: f64) -> usize {
        count(((x - self.x0) / self.cell).floor()).min(self.nx - 1)
    }

    fn row(&self, y: f64) -> usize {
        count(((y - self.y0) / self.cell).floor()).min(self.ny - 1)
    }

    /// The first cell (top row first, then left) that both boxes touch, when they touch one.
    fn first_shared(&self, a: Rect, b: Rect) -> usize {
        let column = self.column(a.x).max(self.column(b.x));
        let row = self.row(a.y).max(self.row(b.y));
        row * self.nx + column
    }

    /// The cells a box touches.
    fn cells(&self, r: Rect) -> impl Iterator<Item = usize> + '_ {
        let (c0, c1) = (self.column(r.x), self.column(r.right()));
        let (r0, r1) = (self.row(r.y), self.row(r.bottom()));
        (r0..=r1).flat_map(move |row| (c0..=c1).map(move |c| row * self.nx + c))
    }

    /// For every cell, the items (by index) whose boxes touch it.
    fn bucket(&self, boxes: impl Iterator<Item = Rect>) -> Vec<Vec<usize>> {
        let mut cells = vec![Vec::new(); self.nx * self.ny];
        for (i, r) in boxes.enumerate() {
            if !(r.x.is_finite() && r.y.is_finite() && r.w.is_finite() && r.h.is_finite()) {
                continue;
            }
            for c in self.cells(r) {
                cells[c].push(i);
            }
        }
        cells
    }
}

/// A non-negative whole number as a count; anything else (negative, NaN) as 0.
#[allow(clippy::cast_sign_loss)]
fn count(v: f64) -> usize {
    if v.is_finite() && v > 0.0 {
        v as usize
    } else {
        0
    }
}

/// The strongly connected component of every node (Kosaraju, iterative).
fn strong_components(n: usize, ends: &[Option<(usize, usize)>]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut inc: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in ends.iter().flatten() {
        if a < n && b < n {
            out[a].push(b);
            inc[b].push(a);
        }
    }
    // First pass: finishing order on the graph.
    let mut seen = vec![false; n];
    let mut finished = Vec::with_capacity(n);
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = out[v].get(*next) {
                *next += 1;
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                finished.push(v);
                stack.pop();
            }
        }
    }
    // Second pass: components on the reversed graph, latest finished first.
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &start in finished.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = count;
        let mut stack = vec![start];
        while let Some(v) = stack.pop() {
            for &w in &inc[v] {
                if component[w] == usize::MAX {
                    component[w] = count;
                    stack.push(w);
                }
            }
        }
        count += 1;
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn crossing_needs_both_interiors() {
        assert!(crossing(
            p(0.0, 5.0),
            p(10.0, 5.0),
            p(5.0, 0.0),
            p(5.0, 10.0)
        ));
        // Touching at an end is not a crossing.
        assert!(!crossing(
            p(0.0, 5.0),
            p(5.0, 5.0),
            p(5.0, 0.0),
            p(5.0, 10.0)
        ));
        assert!(!crossing(
            p(0.0, 0.0),
            p(10.0, 0.0),
            p(0.0, 1.0),
            p(10.0, 1.0)
        ));
    }

    #[test]
    fn on_top_needs_shared_length() {
        assert!(on_top(p(0.0, 0.0), p(10.0, 0.0), p(5.0, 0.5), p(20.0, 0.5)));
        assert!(!on_top(
            p(0.0, 0.0),
            p(10.0, 0.0),
            p(10.0, 0.0),
            p(20.0, 0.0)
        ));
        assert!(!on_top(
            p(0.0, 0.0),
            p(10.0, 0.0),
            p(0.0, 3.0),
            p(10.0, 3.0)
        ));
    }

    #[test]
    fn through_ignores_the_border() {
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        };
        assert!(through(p(-5.0, 5.0), p(15.0, 5.0), &r));
        assert!(!through(p(-5.0, 0.0), p(15.0, 0.0), &r));
        assert!(!through(p(-5.0, 5.0), p(0.0, 5.0), &r));
        assert!(through(p(-5.0, -5.0), p(15.0, 15.0), &r));
    }

    #[test]
    fn turning_counts_right_angles() {
        assert!((turn(p(0.0, 0.0), p(1.0, 0.0), p(1.0, 1.0)) - 90.0).abs() < 1e-9);
        assert!(turn(p(0.0, 0.0), p(1.0, 0.0), p(2.0, 0.0)).abs() < 1e-9);
    }

    #[test]
    fn components_find_cycles() {
        let ends = [Some((0, 1)), Some((1, 2)), Some((2, 0)), Some((2, 3))];
        let c = strong_components(4, &ends);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[2], c[3]);
    }
}
