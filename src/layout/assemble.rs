//! Assemble: the blocks' local results put together in screen coordinates.
//!
//! Each block's origin is its parent's origin plus its position there, top-down from the root.
//! Node and cluster boxes move by their block's origin; each edge's segments, taken in the order
//! of its path, join into one polyline, without repeated points or the middle of three collinear
//! ones. An edge from a node to itself is a small loop on the node's end side. Finally (main,
//! cross) becomes (x, y) in LR and (y, x) in TB.
//!
//! Input: the [`Tree`], every [`Block`], and each edge's path of blocks. Output: the [`Layout`].

use super::tree::{Block, Item, Tree};
use super::{Direction, EdgeRoute, Layout, Point, Rect};

pub(super) fn assemble(tree: &Tree, blocks: &[Block], paths: &[Vec<usize>]) -> Layout {
    let root = tree.root();
    let dir = tree.dir;
    // Origin of each block, top-down.
    let mut origin = vec![(0.0, 0.0); root + 1];
    let mut stack = vec![root];
    while let Some(l) = stack.pop() {
        for (i, item) in tree.children[l].iter().enumerate() {
            if let Item::Cluster(c) = *item {
                let (x, y) = blocks[l].pos[i];
                origin[c] = (origin[l].0 + x, origin[l].1 + y);
                stack.push(c);
            }
        }
    }
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
        .map(|n| {
            let l = tree.block_of(n);
            let (x, y) = blocks[l].pos[tree.slot(Item::Node(n))];
            rect((origin[l].0 + x, origin[l].1 + y), tree.node_size[n])
        })
        .collect();
    let clusters: Vec<Rect> = (0..root)
        .map(|c| rect(origin[c], (blocks[c].main, blocks[c].cross)))
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
            let mut points: Vec<(f64, f64)> = Vec::new();
            for &l in &paths[e] {
                let o = origin[l];
                if let Some(seg) = blocks[l].routes.get(&e) {
                    points.extend(seg.iter().map(|&(m, c)| (o.0 + m, o.1 + c)));
                }
                if let Some(&[m, c, lm, lc]) = blocks[l].labels.get(&e) {
                    route.label = Some(rect((o.0 + m, o.1 + c), (lm, lc)));
                }
            }
            route.points = simplify(&points).into_iter().map(screen).collect();
            route
        })
        .collect();
    let (w, h) = match dir {
        Direction::LR => (blocks[root].main, blocks[root].cross),
        Direction::TB => (blocks[root].cross, blocks[root].main),
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
