//! A recursive layered layout for nested clusters, with orthogonal edge routes.
//!
//! Each cluster (ECS cluster, service, task) is a *block* laid out on its own, bottom-up: its
//! children (nodes and child blocks) get columns by longest path over the edges between them,
//! are ordered inside each column by barycenter sweeps, and are stacked with fixed gaps. A block
//! is then one item, of its computed size, in its parent's columns. So boxes can never overlap,
//! every node lies inside its clusters, and clusters are nested or disjoint by construction.
//!
//! Edges are routed level by level. At the level of an edge's lowest common cluster it runs from
//! its source item's side into the gap after that item's column, along a vertical *track* of that
//! gap (tracks hold no boxes), and into the target item. Edges that skip columns first rise to a
//! *lane* reserved above the level's content, run along it, and drop in the target's gap. Inside a
//! block, an edge that leaves it runs to the block's border the same way, and the border point is
//! the block's *port* for that edge, where the parent level picks it up. Every segment therefore
//! lies in a gap, a lane or a block's padding: no route crosses a node box. Labels sit above the
//! first horizontal segment, inside the gap, which is widened to hold them.
//!
//! Work is linear in nodes and edges per level (plus sorting), so 10,000 services lay out in well
//! under a second.
//!
//! Coordinates are computed on a *main* axis (columns: x for LR, y for TB) and a *cross* axis,
//! and mapped to x/y at the end.

// Paired names (pad_ms/pad_me, lane/lanes) mirror the geometry they name.
#![allow(clippy::similar_names)]

use std::collections::BTreeMap;

use super::metrics::{
    GAP, LABEL_FONT, LABEL_HEIGHT, LANE, MARGIN, NODE_SEP, PAD, TITLE, TRACK, node_size, text_width,
};
use super::{Direction, EdgeRoute, Layout, LayoutOptions, Point, Rect};
use crate::view::View;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    Node(usize),
    Cluster(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// Toward lower main coordinates (left in LR, top in TB).
    Start,
    /// Toward higher main coordinates.
    End,
}

/// One end of a segment at a level.
#[derive(Clone, Copy, Debug)]
enum End {
    /// A child item of this level (index into the level's items), attached on `side`.
    Item(usize, Side),
    /// This level's own border: the segment leaves or enters the block.
    Border(Side),
}

/// The piece of an edge's route that lies in one level.
#[derive(Clone, Copy, Debug)]
struct Segment {
    edge: usize,
    from: End,
    to: End,
    /// The edge's segment at its lowest common level carries the label.
    labelled: bool,
}

/// A level's result, in its local (main, cross) coordinates.
#[derive(Default)]
struct Level {
    /// Local position (main, cross) of each item, parallel to `Ctx::children[level]`.
    pos: Vec<(f64, f64)>,
    main: f64,
    cross: f64,
    /// Segment polylines by edge.
    routes: BTreeMap<usize, Vec<(f64, f64)>>,
    /// Label boxes (main, cross, main length, cross length) by edge.
    labels: BTreeMap<usize, [f64; 4]>,
    /// Cross coordinate where an edge crosses this block's border, by (edge, side is End).
    ports: BTreeMap<(usize, bool), f64>,
}

struct Ctx<'v> {
    view: &'v View,
    dir: Direction,
    /// Children of each cluster; the last entry (index `clusters.len()`) is the root.
    children: Vec<Vec<Item>>,
    /// Each node's clusters from the outermost to its parent.
    chains: Vec<Vec<usize>>,
    /// Each cluster's parent level.
    cluster_parent: Vec<usize>,
    /// Index of each node and cluster among its parent's children.
    node_slot: Vec<usize>,
    cluster_slot: Vec<usize>,
    /// Edge endpoints as node indices.
    ends: Vec<Option<(usize, usize)>>,
    /// Node sizes as (main, cross).
    node_size: Vec<(f64, f64)>,
    /// Edge label sizes as (main, cross).
    label_size: Vec<Option<(f64, f64)>>,
}

pub(super) fn layout(view: &View, options: LayoutOptions) -> Layout {
    let root = view.clusters.len();
    let cluster_index: BTreeMap<&str, usize> = view
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let node_index: BTreeMap<&str, usize> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let parent_of = |p: Option<&String>| {
        p.and_then(|p| cluster_index.get(p.as_str()).copied())
            .unwrap_or(root)
    };

    // A cluster whose parent chain does not reach the root (a cycle) hangs from the root.
    let mut cluster_parent: Vec<usize> = view
        .clusters
        .iter()
        .map(|c| parent_of(c.parent.as_ref()))
        .collect();
    for i in 0..cluster_parent.len() {
        let mut at = cluster_parent[i];
        let mut steps = 0;
        while at != root && steps <= cluster_parent.len() {
            at = cluster_parent[at];
            steps += 1;
        }
        if at != root {
            cluster_parent[i] = root;
        }
    }
    let mut children = vec![Vec::new(); root + 1];
    let mut cluster_slot = vec![0; root];
    for (i, &p) in cluster_parent.iter().enumerate() {
        cluster_slot[i] = children[p].len();
        children[p].push(Item::Cluster(i));
    }
    let mut node_slot = vec![0; view.nodes.len()];
    let mut chains = Vec::with_capacity(view.nodes.len());
    for (i, n) in view.nodes.iter().enumerate() {
        let p = parent_of(n.parent.as_ref());
        node_slot[i] = children[p].len();
        children[p].push(Item::Node(i));
        let mut chain = Vec::new();
        let mut c = p;
        while c != root {
            chain.push(c);
            c = cluster_parent[c];
        }
        chain.reverse();
        chains.push(chain);
    }
    let ends = view
        .edges
        .iter()
        .map(|e| {
            Some((
                *node_index.get(e.from.as_str())?,
                *node_index.get(e.to.as_str())?,
            ))
        })
        .collect();
    let dir = options.direction;
    let node_size = view
        .nodes
        .iter()
        .map(|n| {
            let (w, h) = node_size(&n.label, n.detail.as_deref(), n.kind);
            to_abstract(dir, w, h)
        })
        .collect();
    let label_size = view
        .edges
        .iter()
        .map(|e| {
            e.label
                .as_ref()
                .map(|l| to_abstract(dir, text_width(l, LABEL_FONT) + 6.0, LABEL_HEIGHT))
        })
        .collect();
    Ctx {
        view,
        dir,
        children,
        chains,
        cluster_parent,
        node_slot,
        cluster_slot,
        ends,
        node_size,
        label_size,
    }
    .run()
}

/// Screen (w, h) → (main, cross).
fn to_abstract(dir: Direction, w: f64, h: f64) -> (f64, f64) {
    match dir {
        Direction::LR => (w, h),
        Direction::TB => (h, w),
    }
}

impl Ctx<'_> {
    fn root(&self) -> usize {
        self.view.clusters.len()
    }

    fn slot(&self, item: Item) -> usize {
        match item {
            Item::Node(n) => self.node_slot[n],
            Item::Cluster(c) => self.cluster_slot[c],
        }
    }

    /// Padding of a level as (main start, main end, cross start, cross end).
    fn padding(&self, level: usize) -> (f64, f64, f64, f64) {
        if level == self.root() {
            return (MARGIN, MARGIN, MARGIN, MARGIN);
        }
        match self.dir {
            Direction::LR => (PAD, PAD, TITLE, PAD),
            Direction::TB => (TITLE, PAD, PAD, PAD),
        }
    }

    /// The child of `level` that holds node `n` (the node itself when it is a direct child).
    fn child_toward(&self, level: usize, n: usize) -> Item {
        let chain = &self.chains[n];
        let next = if level == self.root() {
            chain.first()
        } else {
            chain
                .iter()
                .position(|&c| c == level)
                .and_then(|i| chain.get(i + 1))
        };
        next.map_or(Item::Node(n), |&c| Item::Cluster(c))
    }

    /// The lowest level holding both nodes.
    fn lca(&self, a: usize, b: usize) -> usize {
        self.chains[a]
            .iter()
            .zip(&self.chains[b])
            .take_while(|(x, y)| x == y)
            .last()
            .map_or(self.root(), |(&x, _)| x)
    }

    /// The levels strictly below `lca` on the way to node `n`, outermost first.
    fn below(&self, lca: usize, n: usize) -> &[usize] {
        let chain = &self.chains[n];
        if lca == self.root() {
            return chain;
        }
        chain
            .iter()
            .position(|&c| c == lca)
            .map_or(&[][..], |i| &chain[i + 1..])
    }

    fn run(&self) -> Layout {
        let root = self.root();
        let columns = self.columns();
        // Segments per level, and the order in which an edge's segments join up.
        let mut segments: Vec<Vec<Segment>> = vec![Vec::new(); root + 1];
        let mut paths: Vec<Vec<usize>> = vec![Vec::new(); self.ends.len()];
        for (e, ends) in self.ends.iter().enumerate() {
            let Some((a, b)) = *ends else { continue };
            if a == b {
                continue;
            }
            let l = self.lca(a, b);
            let (ia, ib) = (self.child_toward(l, a), self.child_toward(l, b));
            let (ca, cb) = (columns[l][self.slot(ia)], columns[l][self.slot(ib)]);
            let (sa, sb) = match ca.cmp(&cb) {
                std::cmp::Ordering::Less => (Side::End, Side::Start),
                std::cmp::Ordering::Greater => (Side::Start, Side::End),
                std::cmp::Ordering::Equal => (Side::End, Side::End),
            };
            let mut path = Vec::new();
            for &c in self.below(l, a).iter().rev() {
                let from = End::Item(self.slot(self.child_toward(c, a)), sa);
                segments[c].push(Segment {
                    edge: e,
                    from,
                    to: End::Border(sa),
                    labelled: false,
                });
                path.push(c);
            }
            segments[l].push(Segment {
                edge: e,
                from: End::Item(self.slot(ia), sa),
                to: End::Item(self.slot(ib), sb),
                labelled: true,
            });
            path.push(l);
            for &c in self.below(l, b) {
                let to = End::Item(self.slot(self.child_toward(c, b)), sb);
                segments[c].push(Segment {
                    edge: e,
                    from: End::Border(sb),
                    to,
                    labelled: false,
                });
                path.push(c);
            }
            paths[e] = path;
        }
        // Deeper levels first, so a block's size and ports are known before its parent's turn.
        let mut depth = vec![0usize; root + 1];
        let mut stack = vec![root];
        let mut order = Vec::with_capacity(root + 1);
        while let Some(l) = stack.pop() {
            order.push(l);
            for item in &self.children[l] {
                if let Item::Cluster(c) = *item {
                    depth[c] = depth[l] + 1;
                    stack.push(c);
                }
            }
        }
        order.sort_by_key(|&l| (std::cmp::Reverse(depth[l]), l));
        let mut levels: Vec<Level> = (0..=root).map(|_| Level::default()).collect();
        for &l in &order {
            levels[l] = self.layout_level(l, &columns[l], &segments[l], &levels);
        }
        self.assemble(&levels, &paths)
    }

    /// Columns of every level's items: longest path over the edges between them, cycles broken.
    fn columns(&self) -> Vec<Vec<usize>> {
        let root = self.root();
        let mut adjacency: Vec<Vec<Vec<usize>>> = self
            .children
            .iter()
            .map(|k| vec![Vec::new(); k.len()])
            .collect();
        for ends in &self.ends {
            let Some((a, b)) = *ends else { continue };
            if a == b {
                continue;
            }
            let l = self.lca(a, b);
            let (ia, ib) = (
                self.slot(self.child_toward(l, a)),
                self.slot(self.child_toward(l, b)),
            );
            if ia != ib {
                adjacency[l][ia].push(ib);
            }
        }
        (0..=root).map(|l| longest_path(&adjacency[l])).collect()
    }

    fn item_size(&self, item: Item, levels: &[Level]) -> (f64, f64) {
        match item {
            Item::Node(n) => self.node_size[n],
            Item::Cluster(c) => (levels[c].main, levels[c].cross),
        }
    }

    #[allow(clippy::too_many_lines)]
    fn layout_level(
        &self,
        l: usize,
        columns: &[usize],
        segments: &[Segment],
        levels: &[Level],
    ) -> Level {
        let items = &self.children[l];
        let n_cols = columns.iter().max().map_or(0, |m| m + 1);
        let sizes: Vec<(f64, f64)> = items.iter().map(|&i| self.item_size(i, levels)).collect();

        // Order inside columns: document order, then barycenter sweeps over this level's edges.
        let mut col_items: Vec<Vec<usize>> = vec![Vec::new(); n_cols];
        for (i, &c) in columns.iter().enumerate() {
            col_items[c].push(i);
        }
        let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
        for s in segments {
            if let (End::Item(a, _), End::Item(b, _)) = (s.from, s.to)
                && a != b
            {
                neighbours[a].push(b);
                neighbours[b].push(a);
            }
        }
        order_columns(&mut col_items, columns, &neighbours);

        // Attachment points: on each (item, side), one slot per segment end, in segment order.
        let mut attach_count: BTreeMap<(usize, bool), usize> = BTreeMap::new();
        let mut attach_of: Vec<[Option<(usize, usize)>; 2]> = vec![[None, None]; segments.len()];
        for (k, s) in segments.iter().enumerate() {
            for (j, end) in [s.from, s.to].into_iter().enumerate() {
                if let End::Item(i, side) = end
                    && matches!(items[i], Item::Node(_))
                {
                    let count = attach_count.entry((i, side == Side::End)).or_insert(0);
                    attach_of[k][j] = Some((*count, 0));
                    *count += 1;
                }
            }
        }

        // Gaps: gap g lies after column g; gap -1 (index 0 here) is the start padding.
        let gap_of = |end: End| -> usize {
            match end {
                End::Item(i, Side::End) => columns[i] + 1,
                End::Item(i, Side::Start) => columns[i],
                End::Border(Side::Start) => 0,
                End::Border(Side::End) => n_cols,
            }
        };
        let mut tracks = vec![0usize; n_cols + 1];
        let mut room_start = vec![0.0f64; n_cols + 1];
        let mut room_end = vec![0.0f64; n_cols + 1];
        let mut lanes = 0usize;
        // Per segment: (track in from-gap, track in to-gap, lane), None where unused.
        let mut plan: Vec<(Option<usize>, Option<usize>, Option<usize>)> =
            Vec::with_capacity(segments.len());
        for s in segments {
            let (gf, gt) = (gap_of(s.from), gap_of(s.to));
            let is_border = |e: End| matches!(e, End::Border(_));
            let mut take = |g: usize| {
                tracks[g] += 1;
                tracks[g] - 1
            };
            let entry = if gf == gt {
                if is_border(s.from) || is_border(s.to) {
                    (None, None, None)
                } else {
                    let t = take(gf);
                    (Some(t), Some(t), None)
                }
            } else {
                let tf = (!is_border(s.from)).then(|| take(gf));
                let tt = (!is_border(s.to)).then(|| take(gt));
                lanes += 1;
                (tf, tt, Some(lanes - 1))
            };
            plan.push(entry);
            if s.labelled
                && let (End::Item(_, side), Some((lm, _))) = (s.from, self.label_size[s.edge])
            {
                match side {
                    Side::End => room_start[gf] = room_start[gf].max(lm + 8.0),
                    Side::Start => room_end[gf] = room_end[gf].max(lm + 8.0),
                }
            }
        }

        // Sizes along the main axis.
        let (pad_ms, pad_me, pad_cs, pad_ce) = self.padding(l);
        let col_main: Vec<f64> = col_items
            .iter()
            .map(|c| c.iter().map(|&i| sizes[i].0).fold(0.0, f64::max))
            .collect();
        let gap_width = |g: usize| {
            let base = if g == 0 {
                pad_ms
            } else if g == n_cols {
                pad_me
            } else {
                GAP
            };
            let need = room_start[g]
                + room_end[g]
                + tracks[g] as f64 * TRACK
                + if tracks[g] > 0 { 8.0 } else { 0.0 };
            base.max(need)
        };
        let mut gap_start = vec![0.0; n_cols + 1];
        let mut col_start = vec![0.0; n_cols];
        let mut m = 0.0;
        for g in 0..=n_cols {
            gap_start[g] = m;
            m += gap_width(g);
            if g < n_cols {
                col_start[g] = m;
                m += col_main[g];
            }
        }
        let mut main = m;

        // Sizes along the cross axis: lanes first, then the tallest column.
        let lanes_cross = lanes as f64 * LANE;
        let content_start = pad_cs + lanes_cross + if lanes > 0 { 4.0 } else { 0.0 };
        let col_cross: Vec<f64> = col_items
            .iter()
            .map(|c| {
                c.iter().map(|&i| sizes[i].1).sum::<f64>()
                    + NODE_SEP * c.len().saturating_sub(1) as f64
            })
            .collect();
        let content = col_cross.iter().copied().fold(0.0, f64::max);
        let mut cross = content_start + content + pad_ce;

        // A cluster box is at least as long as its title.
        if l != self.root() {
            let c = &self.view.clusters[l];
            let title = text_width(&c.label, 13.0)
                .max(c.detail.as_deref().map_or(0.0, |d| text_width(d, 10.0)));
            let needed = title + 2.0 * PAD + 8.0;
            match self.dir {
                Direction::LR => main = main.max(needed),
                Direction::TB => cross = cross.max(needed),
            }
        }

        let mut pos = vec![(0.0, 0.0); items.len()];
        for (c, list) in col_items.iter().enumerate() {
            let mut y = content_start + (content - col_cross[c]) / 2.0;
            for &i in list {
                let x = col_start[c] + (col_main[c] - sizes[i].0) / 2.0;
                pos[i] = (x, y);
                y += sizes[i].1 + NODE_SEP;
            }
        }

        // Straighten: a column holding a single node moves along the cross axis so that its edge
        // to a neighbouring column runs straight. Right to left first (towards what it feeds),
        // then left to right for nodes that feed nothing. Blocks stay where they are.
        let offset = |k: usize, j: usize| -> Option<f64> {
            let s = segments[k];
            let End::Item(i, side) = (if j == 0 { s.from } else { s.to }) else {
                return None;
            };
            Some(match items[i] {
                Item::Node(_) => {
                    let (slot, _) = attach_of[k][j]?;
                    let count = attach_count
                        .get(&(i, side == Side::End))
                        .copied()
                        .unwrap_or(1);
                    sizes[i].1 * (slot + 1) as f64 / (count + 1) as f64
                }
                Item::Cluster(c) => *levels[c].ports.get(&(s.edge, side == Side::End))?,
            })
        };
        let mut links: Vec<Vec<(usize, usize, usize, usize)>> = vec![Vec::new(); items.len()];
        for (k, s) in segments.iter().enumerate() {
            if let (End::Item(a, _), End::Item(b, _)) = (s.from, s.to)
                && a != b
            {
                links[a].push((b, k, 0, 1));
                links[b].push((a, k, 1, 0));
            }
        }
        let mut aligned = vec![false; items.len()];
        for forward in [false, true] {
            let cols: Vec<usize> = if forward {
                (0..n_cols).collect()
            } else {
                (0..n_cols).rev().collect()
            };
            for c in cols {
                let [i] = col_items[c][..] else { continue };
                if matches!(items[i], Item::Cluster(_)) || (forward && aligned[i]) {
                    continue;
                }
                let target = links[i].iter().find_map(|&(other, k, mine, theirs)| {
                    let toward = if forward {
                        columns[other] < c
                    } else {
                        columns[other] > c
                    };
                    if !toward {
                        return None;
                    }
                    Some(pos[other].1 + offset(k, theirs)? - offset(k, mine)?)
                });
                if let Some(y) = target {
                    pos[i].1 = y.max(content_start);
                    aligned[i] = true;
                }
            }
        }
        let lowest = pos
            .iter()
            .zip(&sizes)
            .map(|(p, s)| p.1 + s.1)
            .fold(0.0, f64::max);
        cross = cross.max(lowest + pad_ce);
        // A label lies inside the level across the cross axis (in TB that is its text's width):
        // the level is at least that wide, or a long label sticks out of it.
        for s in segments.iter().filter(|s| s.labelled) {
            if let (End::Item(..), Some((_, lc))) = (s.from, self.label_size[s.edge]) {
                cross = cross.max(lc);
            }
        }

        // Routes.
        let track_main = |g: usize, t: usize| {
            gap_start[g] + room_start[g] + 4.0 + t as f64 * TRACK + TRACK / 2.0
        };
        let lane_cross = |k: usize| pad_cs + k as f64 * LANE + LANE / 2.0;
        let mut level = Level {
            pos,
            main,
            cross,
            ..Level::default()
        };
        for (k, s) in segments.iter().enumerate() {
            let point = |end: End, j: usize| -> Option<(f64, f64)> {
                let End::Item(i, side) = end else { return None };
                let (x, y) = level.pos[i];
                let (w, h) = sizes[i];
                let m = if side == Side::End { x + w } else { x };
                let c = match items[i] {
                    Item::Node(_) => {
                        let (slot, _) = attach_of[k][j]?;
                        let count = attach_count
                            .get(&(i, side == Side::End))
                            .copied()
                            .unwrap_or(1);
                        y + h * (slot + 1) as f64 / (count + 1) as f64
                    }
                    Item::Cluster(c) => {
                        y + levels[c]
                            .ports
                            .get(&(s.edge, side == Side::End))
                            .copied()
                            .unwrap_or(h / 2.0)
                    }
                };
                Some((m, c))
            };
            let border_main = |side: Side| if side == Side::End { main } else { 0.0 };
            let (from, to) = (point(s.from, 0), point(s.to, 1));
            let (tf, tt, lane) = plan[k];
            let mut pts = Vec::with_capacity(6);
            match lane {
                None => match (s.from, s.to, from, to) {
                    (End::Border(side), _, _, Some(q)) => {
                        level.ports.insert((s.edge, side == Side::End), q.1);
                        pts.extend([(border_main(side), q.1), q]);
                    }
                    (_, End::Border(side), Some(p), _) => {
                        level.ports.insert((s.edge, side == Side::End), p.1);
                        pts.extend([p, (border_main(side), p.1)]);
                    }
                    (_, _, Some(p), Some(q)) => {
                        let g = gap_of(s.from);
                        let x = track_main(g, tf.unwrap_or(0));
                        pts.extend([p, (x, p.1), (x, q.1), q]);
                    }
                    _ => {}
                },
                Some(lane) => {
                    let lc = lane_cross(lane);
                    match from {
                        Some(p) => {
                            let x = track_main(gap_of(s.from), tf.unwrap_or(0));
                            pts.extend([p, (x, p.1), (x, lc)]);
                        }
                        None => {
                            if let End::Border(side) = s.from {
                                level.ports.insert((s.edge, side == Side::End), lc);
                                pts.push((border_main(side), lc));
                            }
                        }
                    }
                    match to {
                        Some(q) => {
                            let x = track_main(gap_of(s.to), tt.unwrap_or(0));
                            pts.extend([(x, lc), (x, q.1), q]);
                        }
                        None => {
                            if let End::Border(side) = s.to {
                                level.ports.insert((s.edge, side == Side::End), lc);
                                pts.push((border_main(side), lc));
                            }
                        }
                    }
                }
            }
            if s.labelled
                && let (Some(p), End::Item(i, side), Some((lm, lc))) =
                    (from, s.from, self.label_size[s.edge])
            {
                // Start at the column's edge, not the item's: a narrower item leaves column
                // space that a neighbour in the same column may occupy across the cross axis.
                let col = columns[i];
                let m = if side == Side::End {
                    col_start[col] + col_main[col] + 4.0
                } else {
                    col_start[col] - 4.0 - lm
                };
                let c = match self.dir {
                    Direction::LR => p.1 - lc - 1.0,
                    Direction::TB => p.1 + 3.0,
                };
                let c = c.clamp(0.0, (level.cross - lc).max(0.0));
                level.labels.insert(s.edge, [m, c, lm, lc]);
            }
            level.routes.insert(s.edge, pts);
        }
        level
    }

    /// Absolute positions, screen coordinates, and each edge's joined route.
    fn assemble(&self, levels: &[Level], paths: &[Vec<usize>]) -> Layout {
        let root = self.root();
        // Origin of each level, top-down.
        let mut origin = vec![(0.0, 0.0); root + 1];
        let mut stack = vec![root];
        while let Some(l) = stack.pop() {
            for (i, item) in self.children[l].iter().enumerate() {
                if let Item::Cluster(c) = *item {
                    let (x, y) = levels[l].pos[i];
                    origin[c] = (origin[l].0 + x, origin[l].1 + y);
                    stack.push(c);
                }
            }
        }
        let screen = |(m, c): (f64, f64)| match self.dir {
            Direction::LR => Point { x: m, y: c },
            Direction::TB => Point { x: c, y: m },
        };
        let rect = |(m, c): (f64, f64), (lm, lc): (f64, f64)| match self.dir {
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
        let nodes: Vec<Rect> = (0..self.view.nodes.len())
            .map(|n| {
                let l = self.chains[n].last().copied().unwrap_or(root);
                let (x, y) = levels[l].pos[self.node_slot[n]];
                rect((origin[l].0 + x, origin[l].1 + y), self.node_size[n])
            })
            .collect();
        let clusters: Vec<Rect> = (0..root)
            .map(|c| rect(origin[c], (levels[c].main, levels[c].cross)))
            .collect();
        let edges = self
            .ends
            .iter()
            .enumerate()
            .map(|(e, ends)| {
                let mut route = EdgeRoute::default();
                let Some((a, b)) = *ends else { return route };
                if a == b {
                    route.points = self_loop(&nodes[a], self.dir);
                    return route;
                }
                let mut points: Vec<(f64, f64)> = Vec::new();
                for &l in &paths[e] {
                    let o = origin[l];
                    if let Some(seg) = levels[l].routes.get(&e) {
                        points.extend(seg.iter().map(|&(m, c)| (o.0 + m, o.1 + c)));
                    }
                    if let Some(&[m, c, lm, lc]) = levels[l].labels.get(&e) {
                        route.label = Some(rect((o.0 + m, o.1 + c), (lm, lc)));
                    }
                }
                route.points = simplify(&points).into_iter().map(screen).collect();
                route
            })
            .collect();
        let (w, h) = match self.dir {
            Direction::LR => (levels[root].main, levels[root].cross),
            Direction::TB => (levels[root].cross, levels[root].main),
        };
        let _ = &self.cluster_parent;
        Layout {
            width: w.ceil(),
            height: h.ceil(),
            nodes,
            clusters,
            edges,
        }
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

/// Longest-path layering of a directed graph given as adjacency lists. Edges that close a cycle
/// (found by an iterative depth-first search) are ignored.
fn longest_path(adjacency: &[Vec<usize>]) -> Vec<usize> {
    let n = adjacency.len();
    // 0 = unvisited, 1 = on stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut topo = Vec::with_capacity(n);
    let mut keep: Vec<Vec<usize>> = vec![Vec::new(); n];
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = adjacency[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        keep[v].push(w);
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    2 => keep[v].push(w),
                    _ => {} // back edge: closes a cycle
                }
            } else {
                state[v] = 2;
                topo.push(v);
                stack.pop();
            }
        }
    }
    // `topo` is a post-order: reversed, it is a topological order of the kept edges.
    let mut rank = vec![0usize; n];
    for &v in topo.iter().rev() {
        for &w in &keep[v] {
            rank[w] = rank[w].max(rank[v] + 1);
        }
    }
    rank
}

/// Reorder items inside columns by the mean position of their neighbours in other columns:
/// a forward and a backward sweep, twice. Ties keep document order, so the result is stable.
fn order_columns(col_items: &mut [Vec<usize>], columns: &[usize], neighbours: &[Vec<usize>]) {
    let n_items = columns.len();
    let mut position = vec![0.0f64; n_items];
    let refresh = |col_items: &[Vec<usize>], position: &mut [f64]| {
        for list in col_items {
            for (k, &i) in list.iter().enumerate() {
                position[i] = k as f64;
            }
        }
    };
    refresh(col_items, &mut position);
    let n_cols = col_items.len();
    for _ in 0..2 {
        for forward in [true, false] {
            let cols: Vec<usize> = if forward {
                (1..n_cols).collect()
            } else {
                (0..n_cols.saturating_sub(1)).rev().collect()
            };
            for c in cols {
                let mut keyed: Vec<(f64, usize, usize)> = col_items[c]
                    .iter()
                    .enumerate()
                    .map(|(k, &i)| {
                        let near: Vec<f64> = neighbours[i]
                            .iter()
                            .filter(|&&j| {
                                if forward {
                                    columns[j] < c
                                } else {
                                    columns[j] > c
                                }
                            })
                            .map(|&j| position[j])
                            .collect();
                        let key = if near.is_empty() {
                            k as f64
                        } else {
                            near.iter().sum::<f64>() / near.len() as f64
                        };
                        (key, k, i)
                    })
                    .collect();
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                col_items[c] = keyed.into_iter().map(|(_, _, i)| i).collect();
                for (k, &i) in col_items[c].iter().enumerate() {
                    position[i] = k as f64;
                }
            }
        }
    }
}
