//! Layout stage: positions for every node and cluster box of a [`View`], and routes for its
//! edges. Pure and deterministic; renderers (SVG, HTML) draw from it.

use serde::Serialize;

use crate::view::View;

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
}

/// An edge's polyline, from the source box's border to the target box's border, and where its
/// label goes.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EdgeRoute {
    pub points: Vec<Point>,
    pub label: Option<Rect>,
}

/// Lay out a view.
#[must_use]
pub fn layout(view: &View, options: LayoutOptions) -> Layout {
    layered::layout(view, options)
}

mod layered;
mod metrics;
