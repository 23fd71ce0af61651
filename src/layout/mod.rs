//! Layout stage: positions for every node and cluster box of a [`View`], and routes for its
//! edges. Pure and deterministic; renderers (SVG, HTML) draw from it.
//!
//! A recursive layered layout for nested clusters, with orthogonal edge routes. Each cluster
//! (ECS cluster, service, task) is a *block* laid out on its own, bottom-up: its items (nodes
//! and child blocks) get columns by longest path over the edges between them (`rank`), are
//! ordered inside each column by barycenter sweeps (`order`), and are stacked with fixed gaps
//! (`place`). A block is then one item, of its computed size, in its parent's columns. So
//! boxes can never overlap, every node lies inside its clusters, and clusters are nested or
//! disjoint by construction.
//!
//! Edges are routed block by block (`route`). At the block where an edge's ends meet it runs
//! from its source item's side into the gap after that item's column, along a vertical *track*
//! of that gap (tracks hold no boxes), and into the target item. Edges that skip columns first
//! rise to a *lane* reserved above the block's content, run along it, and drop in the target's
//! gap. Inside a block, an edge that leaves it runs to the block's border the same way, and the
//! border point is the block's *port* for that edge, where the parent block picks it up
//! (`segment`). Every segment therefore lies in a gap, a lane or a block's padding: no route
//! crosses a node box. Labels sit above the first horizontal segment, inside the gap, which is
//! widened to hold them. Finally the blocks' local results are put together in screen
//! coordinates (`assemble`). Every phase reads the block tree (`tree`) and shared lengths
//! (`metrics`).
//!
//! Work is linear in nodes and edges per block (plus sorting), so 10,000 services lay out in
//! well under a second.
//!
//! Coordinates are computed on a *main* axis (columns: x for LR, y for TB) and a *cross* axis,
//! and mapped to x/y at the end.

use serde::Serialize;

use crate::view::View;
use segment::Segments;
use tree::{Block, Tree};

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

    /// Whether the two rectangles share interior area (touching edges do not count).
    #[must_use]
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
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
    // Ranks do not depend on sizes: every block's items get their columns at once.
    let ranks = rank::rank(&tree);
    // Each edge cut into one segment per block it passes through.
    let Segments { by_block, paths } = segment::split(&tree, &ranks);
    // Deepest blocks first: a block's size and ports are known before its parent is placed.
    let mut blocks: Vec<Block> = (0..=tree.root()).map(|_| Block::default()).collect();
    for b in tree.bottom_up() {
        let (columns, segments) = (&ranks[b], &by_block[b]);
        let order = order::order(columns, segments);
        // The tracks, lanes and label room the routes need: placing widens gaps to hold them.
        let reserved = route::reserve(&tree, columns, segments);
        let placed = place::place(&tree, b, columns, &order, segments, &reserved, &blocks);
        blocks[b] = route::route(&tree, b, columns, segments, &reserved, placed);
    }
    assemble::assemble(&tree, &blocks, &paths)
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
mod segment;
mod tree;
