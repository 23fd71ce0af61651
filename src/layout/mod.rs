//! Layout stage: positions for every node and cluster box of a [`View`], and routes for its
//! edges. Pure and deterministic; renderers (SVG, HTML) draw from it.
//!
//! A layered (Sugiyama) layout of the whole drawing at once, with clusters as boxes that span
//! the columns of their members, and orthogonal edge routes. Its phases, one file each:
//!
//! 1. `rank`: every node gets a column. Edges that close a real cycle are reversed; layers are
//!    a longest path, balanced so that edges are short (a load balancer sits between its
//!    callers and its listeners, internal ones too); node columns are even, and the odd
//!    columns between them carry the edges passing by and their labels. The model's tiers
//!    (`layout: {tier}`) come one after the other.
//! 2. `segment`: every edge is cut into one piece per column it passes (dummy vertices, one of
//!    them carrying its label, sized like a node), each belonging to a cluster.
//! 3. `order`: the vertices of each column are ordered by barycenter sweeps and transposes,
//!    cluster by cluster, so members stay together and sibling clusters keep one order; the
//!    model's orders (`layout: {order}`) rank nodes of one cluster in a column, and sibling
//!    clusters.
//! 4. `place`: edges of one kind share a port on a node side (bundles); each cluster is a
//!    rectangle whose items are stacked per column (so no boxes overlap and clusters hold their
//!    members by construction), then moved within their room to line edges up.
//! 5. `route`: gaps between columns hold the vertical tracks (they hold no boxes), ordered so
//!    nets do not cross needlessly and never run on top of each other; columns and gaps get
//!    their lengths, clusters their borders; each edge becomes a polyline.
//! 6. `assemble`: everything in screen coordinates.
//!
//! Every phase reads the block tree (`tree`) and shared lengths (`metrics`). Coordinates are
//! computed on a *main* axis (columns: x for LR, y for TB) and a *cross* axis, and mapped to
//! x/y at the end. By construction no edge runs through a node or on top of another edge, no
//! label overlaps anything, edges run backwards only to close a cycle, and none turns back.
//!
//! [`quality`] measures a layout (crossings, overlaps, bends, length, area, backwards edges),
//! and [`graphviz`] reads Graphviz's layout of the same view so it can be measured the same way.
//!
//! Work is near-linear in nodes and edges plus their spans (a fixed number of sweeps and
//! alignment rounds, sorting), so 10,000 services lay out in about a second.

use serde::Serialize;

use crate::view::View;
use tree::Tree;

/// Which way the tiers run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, clap::ValueEnum)]
pub enum Direction {
    /// Left to right: callers on the left, storage on the right.
    #[default]
    #[value(name = "LR", alias = "lr")]
    LR,
    /// Top to bottom.
    #[value(name = "TB", alias = "tb")]
    TB,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct LayoutOptions {
    pub direction: Direction,
}

/// The box around everything added to it, rectangles and points (what is not finite is left
/// out): the extent of a drawing, of an edge and its label, of a tile's parts.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Bounds(Option<(f64, f64, f64, f64)>);

impl Bounds {
    pub(crate) fn point(&mut self, p: Point) {
        self.rect(&Rect {
            x: p.x,
            y: p.y,
            w: 0.0,
            h: 0.0,
        });
    }

    pub(crate) fn rect(&mut self, r: &Rect) {
        if !(r.x.is_finite() && r.y.is_finite() && r.w.is_finite() && r.h.is_finite()) {
            return;
        }
        self.0 = Some(match self.0 {
            None => (r.x, r.y, r.right(), r.bottom()),
            Some((x0, y0, x1, y1)) => (
                x0.min(r.x),
                y0.min(r.y),
                x1.max(r.right()),
                y1.max(r.bottom()),
            ),
        });
    }

    /// `(x0, y0, x1, y1)`, or `None` when nothing was added.
    pub(crate) fn get(&self) -> Option<(f64, f64, f64, f64)> {
        self.0
    }

    /// The box as a rectangle (empty at the origin when nothing was added).
    pub(crate) fn to_rect(self) -> Rect {
        self.0.map_or_else(Rect::default, |(x0, y0, x1, y1)| Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        })
    }
}

/// An axis-aligned rectangle; `x`, `y` is the top-left corner.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    #[must_use]
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    #[must_use]
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    #[must_use]
    pub fn center(&self) -> Point {
        Point {
            x: self.x + self.w / 2.0,
            y: self.y + self.h / 2.0,
        }
    }

    /// Whether the two rectangles share interior area. Touching edges do not count, nor does a
    /// sliver thinner than a millionth of a pixel: a shared edge reached by two different sums
    /// (`28 + 472.84` and `500.84`) can differ in its last bit.
    #[must_use]
    pub fn overlaps(&self, other: &Rect) -> bool {
        const SLIVER: f64 = 1e-6;
        self.x < other.right() - SLIVER
            && other.x < self.right() - SLIVER
            && self.y < other.bottom() - SLIVER
            && other.y < self.bottom() - SLIVER
    }

    /// Whether `other` lies entirely inside this rectangle.
    #[must_use]
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Where everything goes. Vectors are parallel to the view's: `nodes[i]` is `view.nodes[i]`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<Rect>,
    pub clusters: Vec<Rect>,
    pub edges: Vec<EdgeRoute>,
    /// Which way the tiers run.
    pub direction: Direction,
}

/// An edge's polyline, from the source box's border to the target box's border, and where its
/// label goes.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EdgeRoute {
    pub points: Vec<Point>,
    pub label: Option<Rect>,
}

/// The [`Quality`] of the view's layout with `options` (what the SVG and HTML draw), as
/// pretty-printed JSON: what `render --stats` prints.
#[must_use]
pub fn stats_json(view: &View, options: LayoutOptions) -> String {
    let measured = quality(view, &layout(view, options));
    let mut json = serde_json::to_string_pretty(&measured).unwrap_or_default();
    json.push('\n');
    json
}

/// Lay out a view.
#[must_use]
pub fn layout(view: &View, options: LayoutOptions) -> Layout {
    let tree = Tree::new(view, options.direction);
    let ranks = rank::rank(&tree);
    let layered = segment::split(&tree, &ranks);
    let columns = order::order(&tree, &layered);
    let placed = place::place(&tree, &layered, &columns);
    let routed = route::route(&tree, &layered, &placed);
    assemble::assemble(&tree, &layered, &placed, &routed)
}

pub use quality::{Quality, quality};

mod assemble;
pub mod graphviz;
mod metrics;
mod order;
mod place;
mod quality;
mod rank;
mod route;
mod rows;
mod segment;
mod tree;

#[cfg(test)]
mod tests {
    use super::Rect;

    #[test]
    fn boxes_that_touch_do_not_overlap_whatever_the_rounding() {
        let rect = |x, w| Rect {
            x,
            y: 0.0,
            w,
            h: 10.0,
        };
        // A layout placed one box at 500.8399999999999, where the other ends at 28 + 472.84.
        let (left, right) = (rect(28.0, 472.84), rect(500.839_999_999_999_9, 120.0));
        assert!(left.right() > right.x);
        assert!(!left.overlaps(&right) && !right.overlaps(&left));
        // A hundredth of a pixel is an overlap.
        let right = rect(500.83, 120.0);
        assert!(left.overlaps(&right) && right.overlaps(&left));
    }
}
