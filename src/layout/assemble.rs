//! Assemble: the phases' results put together in screen coordinates.
//!
//! Node boxes come from their column (centred in it) and their placed top; cluster boxes from
//! their main extent and their placed top and size. Each edge's polyline loses repeated points
//! and the middle of three collinear ones. An edge from a node to itself is a small loop on the
//! node's end side (its gap has room for it). Finally (main, cross) becomes (x, y) in LR and
//! (y, x) in TB.
//!
//! Input: the [`Tree`], the [`Layered`] graph, the [`Placement`] and the [`Routed`] result.
//! Output: the [`Layout`].

use super::place::Placement;
use super::route::Routed;
use super::segment::Layered;
use super::tree::Tree;
use super::{Direction, EdgeRoute, Layout, Point, Rect};

pub(super) fn assemble(tree: &Tree, g: &Layered, p: &Placement, r: &Routed) -> Layout {
    let root = tree.root();
    let dir = tree.dir;
    let screen = |(m, c): (f64, f64)| match dir {
        Direction::LR => Point { x: m, y: c },
        Direction::TB => Point { x: c, y: m },
    };
    let rect = |(m, c): (f64, f64), (lm, lc): (f64, f64)| match dir {
        Direction::LR => Rect {
            x: m,
            y: c,
            w: lm,
            h: lc,
        },
        Direction::TB => Rect {
            x: c,
            y: m,
            w: lc,
            h: lm,
        },
    };
    let nodes: Vec<Rect> = (0..tree.view.nodes.len())
        .map(|v| {
            let c = g.vertices[v].column;
            let (lm, lc) = tree.node_size[v];
            let m = r.col_start[c] + (r.col_main[c] - lm) / 2.0;
            rect((m, p.top[v]), (lm, lc))
        })
        .collect();
    let clusters: Vec<Rect> = (0..root)
        .map(|b| {
            let (s, e) = r.block_main[b];
            rect((s, p.block_top[b]), (e - s, p.block_cross[b]))
        })
        .collect();
    let edges = tree
        .ends
        .iter()
        .enumerate()
        .map(|(e, ends)| {
            let mut route = EdgeRoute::default();
            let Some((a, b)) = *ends else { return route };
            if a == b {
                route.points = self_loop(&nodes[a], dir);
                return route;
            }
            route.points = simplify(&r.routes[e]).into_iter().map(screen).collect();
            route.label = r.labels[e].map(|[m, c, lm, lc]| rect((m, c), (lm, lc)));
            route
        })
        .collect();
    let (main, cross) = (r.block_main[root].1, p.block_cross[root]);
    let (w, h) = match dir {
        Direction::LR => (main, cross),
        Direction::TB => (cross, main),
    };
    Layout {
        width: w.ceil(),
        height: h.ceil(),
        nodes,
        clusters,
        edges,
        direction: dir,
    }
}

/// A small loop on a node's end side, for an edge from a node to itself.
fn self_loop(r: &Rect, dir: Direction) -> Vec<Point> {
    match dir {
        Direction::LR => {
            let (x, y1, y2) = (r.right(), r.y + r.h / 3.0, r.y + 2.0 * r.h / 3.0);
            vec![
                Point { x, y: y1 },
                Point { x: x + 12.0, y: y1 },
                Point { x: x + 12.0, y: y2 },
                Point { x, y: y2 },
            ]
        }
        Direction::TB => {
            let (y, x1, x2) = (r.bottom(), r.x + r.w / 3.0, r.x + 2.0 * r.w / 3.0);
            vec![
                Point { x: x1, y },
                Point { x: x1, y: y + 12.0 },
                Point { x: x2, y: y + 12.0 },
                Point { x: x2, y },
            ]
        }
    }
}

/// Drop repeated points and the middle of three collinear ones.
fn simplify(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for &p in points {
        if out.last().is_some_and(|&q| close(q, p)) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let same_x = (a.0 - b.0).abs() < 1e-6 && (b.0 - p.0).abs() < 1e-6;
            let same_y = (a.1 - b.1).abs() < 1e-6 && (b.1 - p.1).abs() < 1e-6;
            if same_x || same_y {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

fn close(a: (f64, f64), b: (f64, f64)) -> bool {
    (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6
}
