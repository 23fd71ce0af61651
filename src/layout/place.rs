//! Place: where every vertex and block goes across the columns (the cross axis), and where each
//! link meets its vertices.
//!
//! **Ports.** A node's links leave it on its end side and reach it on its start side. On each
//! side, the links of one kind (and direction) share one port, so edges of a kind fan out from
//! one point and merge into one point (bundles); the ports are spread evenly along the side in
//! the order of the vertices they lead to. A dummy's link runs along its line.
//!
//! **Blocks.** Each block is a rectangle laid out in its own coordinates, deepest first: its
//! items (its own vertices and its child blocks, which span several columns) are merged into one
//! sequence that agrees with every column's order, then stacked per column: an item starts below
//! what the earlier items left in each of its columns, plus the margins of both (nodes and
//! blocks 10 units each, dummies 5). That gives each item its highest position and the block
//! its height; stacking the sequence backwards from the bottom gives each item its lowest. So
//! boxes never overlap, clusters hold their members, and the layout is as compact as the order
//! allows.
//!
//! **Alignment.** Then, a few times over, from the root down, every item moves as close as its
//! bounds allow to the median position its links want: where its neighbours' lines are (on the
//! start side, the end side, or both, alternating), so edges run straight and a node sits in the
//! middle of what it fans out to. A block moves as one, by the median of what its members'
//! links to the outside want.
//!
//! Input: the [`Tree`], the [`Layered`] graph and each column's order. Output: a [`Placement`].

use std::collections::BinaryHeap;

use super::Direction;
use super::metrics::{EDGE_SEP, LABEL_HEIGHT, LABEL_LINE, NODE_SEP};
use super::rows::Rows;
use super::segment::Layered;
use super::tree::Tree;
use crate::view::EdgeKind;

/// One block's child: a vertex or a child block.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    Vertex(usize),
    Block(usize),
}

pub(super) struct Placement {
    /// Cross coordinate of the top of each vertex.
    pub(super) top: Vec<f64>,
    /// Cross coordinate of the top of each block, and its size.
    pub(super) block_top: Vec<f64>,
    pub(super) block_cross: Vec<f64>,
    /// Per link: where its line meets its left and its right vertex, from the vertex's top.
    pub(super) offset: Vec<[f64; 2]>,
    /// Per link: the port it uses at its left and its right vertex, when that is a node.
    pub(super) port: Vec<[Option<usize>; 2]>,
}

/// Alignment rounds.
const ROUNDS: usize = 4;

pub(super) fn place(tree: &Tree, g: &Layered, cols: &[Vec<usize>]) -> Placement {
    let root = tree.root();
    let n = g.vertices.len();
    let mut pos = vec![0usize; n];
    for col in cols {
        for (k, &v) in col.iter().enumerate() {
            pos[v] = k;
        }
    }
    // Each vertex's block, column, size across and margin, packed small: the alignment rounds
    // read them for every vertex several times.
    let block_of: Vec<usize> = g.vertices.iter().map(|x| x.block).collect();
    let column_of: Vec<usize> = g.vertices.iter().map(|x| x.column).collect();
    let cross_of: Vec<f64> = g.vertices.iter().map(|x| x.cross).collect();
    let margin_of: Vec<f64> = (0..n).map(|v| margin(g, v)).collect();
    let kinds: Vec<EdgeKind> = tree.view.edges.iter().map(|e| e.kind).collect();
    let (offset, port) = ports(g, &kinds, &pos);
    let sequences = sequences(tree, g, cols);

    // Bounds, deepest blocks first.
    let mut low = vec![0.0; n];
    let mut high = vec![0.0; n];
    let mut block_low = vec![0.0; root + 1];
    let mut block_high = vec![0.0; root + 1];
    let mut block_cross = vec![0.0; root + 1];
    let order = tree.top_down();
    // One skyline (and one for stacking upwards), reset for each block.
    let mut sky = Skyline::new(0, 0.0);
    let mut floor = Skyline::new(0, 0.0);
    let mut lows = Vec::new();
    for &b in order.iter().rev() {
        let (lo, hi) = g.span[b];
        let (_, _, pad_start, pad_end) = tree.padding(b);
        let width = hi - lo + 1;
        sky.reset(width, pad_start);
        let seq = &sequences[b];
        lows.clear();
        for &item in seq {
            let (a, z, size, margin) = geometry(g, &block_cross, lo, item);
            let top = sky.lowest_top(a, z, margin);
            sky.put(a, z, top + size, margin);
            lows.push(top);
        }
        let mut cross = sky.bottom() + pad_end;
        if tree.dir == Direction::TB {
            cross = cross.max(tree.title_length(b));
        }
        block_cross[b] = cross;
        floor.reset(width, -(cross - pad_end));
        for (k, &item) in seq.iter().enumerate().rev() {
            let (a, z, size, margin) = geometry(g, &block_cross, lo, item);
            // Stacking upwards: the same skyline on negated coordinates.
            let bottom = -floor.lowest_top(a, z, margin);
            let top = (bottom - size).max(lows[k]);
            floor.put(a, z, -top, margin);
            match item {
                Item::Vertex(v) => (low[v], high[v]) = (lows[k], top),
                Item::Block(c) => (block_low[c], block_high[c]) = (lows[k], top),
            }
        }
    }

    // Alignment.
    let boundary = boundary_links(tree, g, &offset);
    let mut local = low.clone();
    let mut block_local = block_low.clone();
    let mut block_top = vec![0.0; root + 1];
    for &b in &order {
        if b != root {
            block_top[b] = block_top[tree.parent[b]] + block_local[b];
        }
    }
    // How free each vertex is to move: its own slack in its block plus its blocks' slack in
    // theirs. A vertex follows the end side unless the neighbours on its start side are
    // clearly less free, so what floats lines up with what is held in place.
    let mut block_freedom = vec![0.0; root + 1];
    for &b in &order {
        if b != root {
            block_freedom[b] = block_freedom[tree.parent[b]] + (block_high[b] - block_low[b]);
        }
    }
    let freedom: Vec<f64> = (0..n)
        .map(|v| block_freedom[block_of[v]] + (high[v] - low[v]))
        .collect();
    let follows_end: Vec<bool> = (0..n)
        .map(|v| {
            let least = |left: bool| {
                g.incident[v]
                    .iter()
                    .filter(|&&(_, mine_left)| mine_left == left)
                    .map(|&(l, mine_left)| {
                        let link = &g.links[l];
                        freedom[if mine_left { link.right } else { link.left }]
                    })
                    .fold(f64::INFINITY, f64::min)
            };
            let (ahead, behind) = (least(true), least(false));
            // The start side wins only when it is clearly less free.
            behind.is_infinite() || (ahead.is_finite() && behind >= ahead / 2.0)
        })
        .collect();
    let mut desired: Vec<f64> = (0..n).map(|v| block_top[block_of[v]] + local[v]).collect();
    // Per vertex, what its links on each side pull towards: the vertex at the other end and
    // where the link meets that vertex and this one, in one flat array per side (the rounds read
    // them many times over).
    let pulls = [false, true].map(|end| {
        Rows::new(
            n,
            g.links.iter().enumerate().map(|(l, link)| {
                let (mine, other, j) = if end {
                    (link.left, link.right, 1)
                } else {
                    (link.right, link.left, 0)
                };
                (mine, (other, [offset[l][j], offset[l][1 - j]]))
            }),
        )
    });
    let mut values: Vec<f64> = Vec::new();
    for _ in 0..ROUNDS {
        // Where each vertex wants its top: end-side followers from the last column back, then
        // start-side followers from the first column on, so an alignment travels along a whole
        // chain in one round.
        for end in [true, false] {
            let columns: Vec<usize> = if end {
                (0..cols.len()).rev().collect()
            } else {
                (0..cols.len()).collect()
            };
            for c in columns {
                for &v in &cols[c] {
                    if follows_end[v] != end {
                        continue;
                    }
                    values.clear();
                    let side = if end { &pulls[1] } else { &pulls[0] };
                    values.extend(
                        side.of(v)
                            .iter()
                            .map(|&(other, [there, here])| desired[other] + there - here),
                    );
                    let base = block_top[block_of[v]];
                    if let Some(d) = median(&mut values) {
                        desired[v] = d.min(base + high[v]).max(base + low[v]);
                    }
                }
            }
        }
        let actual = |v: usize, local: &[f64], block_top: &[f64]| block_top[block_of[v]] + local[v];
        // Then each block, from the root down, puts its items as close to that as it can.
        for &b in &order {
            block_top[b] = if b == root {
                0.0
            } else {
                block_top[tree.parent[b]] + block_local[b]
            };
            let (lo, hi) = g.span[b];
            let (_, _, pad_cs, _) = tree.padding(b);
            sky.reset(hi - lo + 1, pad_cs);
            for &item in &sequences[b] {
                match item {
                    Item::Vertex(v) => {
                        let c = column_of[v] - lo;
                        let margin = margin_of[v];
                        let top = sky.lowest_top(c, c, margin);
                        let y = (desired[v] - block_top[b]).min(high[v]).max(top);
                        local[v] = y;
                        sky.put(c, c, y + cross_of[v], margin);
                    }
                    Item::Block(k) => {
                        let shift = |l: &Boundary| {
                            desired[l.other] + l.other_off
                                - (actual(l.member, &local, &block_top) + l.member_off)
                        };
                        values.clear();
                        values.extend(
                            boundary[k]
                                .iter()
                                .filter(|l| follows_end[l.member] == l.member_left)
                                .map(shift),
                        );
                        if values.is_empty() {
                            values.extend(boundary[k].iter().map(shift));
                        }
                        let wish = block_local[k] + median(&mut values).unwrap_or(0.0);
                        let (a, z) = (g.span[k].0 - lo, g.span[k].1 - lo);
                        let top = sky.lowest_top(a, z, NODE_SEP / 2.0);
                        let y = wish.min(block_high[k]).max(top);
                        block_local[k] = y;
                        sky.put(a, z, y + block_cross[k], NODE_SEP / 2.0);
                    }
                }
            }
        }
    }
    for &b in &order {
        block_top[b] = if b == root {
            0.0
        } else {
            block_top[tree.parent[b]] + block_local[b]
        };
    }
    let top = (0..n).map(|v| block_top[block_of[v]] + local[v]).collect();
    Placement {
        top,
        block_top,
        block_cross,
        offset,
        port,
    }
}

/// An item's first and last column (from the block's first), size across and margin.
fn geometry(g: &Layered, block_cross: &[f64], lo: usize, item: Item) -> (usize, usize, f64, f64) {
    match item {
        Item::Vertex(v) => {
            let x = &g.vertices[v];
            (x.column - lo, x.column - lo, x.cross, margin(g, v))
        }
        Item::Block(k) => (
            g.span[k].0 - lo,
            g.span[k].1 - lo,
            block_cross[k],
            NODE_SEP / 2.0,
        ),
    }
}

fn margin(g: &Layered, v: usize) -> f64 {
    if g.vertices[v].node.is_some() {
        NODE_SEP / 2.0
    } else {
        EDGE_SEP / 2.0
    }
}

/// The median; of an even number of values, the lower middle one.
fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(values[(values.len() - 1) / 2])
}

/// Per column: how far down the items so far reach, and the margin of the last one.
struct Skyline {
    reach: Vec<f64>,
    margin: Vec<f64>,
    start: f64,
}

impl Skyline {
    fn new(width: usize, start: f64) -> Self {
        Skyline {
            reach: vec![start; width],
            margin: vec![0.0; width],
            start,
        }
    }

    /// Empty again, `width` columns wide, starting at `start`.
    fn reset(&mut self, width: usize, start: f64) {
        self.reach.clear();
        self.reach.resize(width, start);
        self.margin.clear();
        self.margin.resize(width, 0.0);
        self.start = start;
    }

    /// The highest top for an item over columns `a..=z` with `margin`.
    fn lowest_top(&self, a: usize, z: usize, margin: f64) -> f64 {
        (a..=z)
            .map(|c| {
                if self.margin[c] > 0.0 {
                    self.reach[c] + self.margin[c] + margin
                } else {
                    self.reach[c]
                }
            })
            .fold(self.start, f64::max)
    }

    fn put(&mut self, a: usize, z: usize, bottom: f64, margin: f64) {
        for c in a..=z {
            self.reach[c] = bottom;
            self.margin[c] = margin;
        }
    }

    fn bottom(&self) -> f64 {
        self.reach.iter().copied().fold(self.start, f64::max)
    }
}

/// A link with one end inside a block: that end (`member`) and the other.
struct Boundary {
    member: usize,
    member_off: f64,
    other: usize,
    other_off: f64,
    /// Whether the member is the link's left end.
    member_left: bool,
}

fn boundary_links(tree: &Tree, g: &Layered, offset: &[[f64; 2]]) -> Vec<Vec<Boundary>> {
    let mut out: Vec<Vec<Boundary>> = (0..=tree.root()).map(|_| Vec::new()).collect();
    for (l, link) in g.links.iter().enumerate() {
        let (a, b) = (link.left, link.right);
        let ca = tree.chain(g.vertices[a].block);
        let cb = tree.chain(g.vertices[b].block);
        let shared = ca.iter().zip(cb).take_while(|(x, y)| x == y).count();
        for &k in &ca[shared..] {
            out[k].push(Boundary {
                member: a,
                member_off: offset[l][0],
                other: b,
                other_off: offset[l][1],
                member_left: true,
            });
        }
        for &k in &cb[shared..] {
            out[k].push(Boundary {
                member: b,
                member_off: offset[l][1],
                other: a,
                other_off: offset[l][0],
                member_left: false,
            });
        }
    }
    out
}

/// Where each link meets its vertices, and the ports it uses on nodes.
fn ports(
    g: &Layered,
    kinds: &[EdgeKind],
    pos: &[usize],
) -> (Vec<[f64; 2]>, Vec<[Option<usize>; 2]>) {
    let mut offset = vec![[0.0; 2]; g.links.len()];
    let mut port = vec![[None; 2]; g.links.len()];
    let mut next = 0;
    let mut groups: Vec<((EdgeKind, bool), f64, usize)> = Vec::new();
    for (v, vertex) in g.vertices.iter().enumerate() {
        if vertex.node.is_none() {
            // A dummy's line runs along its far side.
            for &(l, left) in &g.incident[v] {
                offset[l][usize::from(!left)] = vertex.cross;
            }
            continue;
        }
        for end_side in [true, false] {
            // Groups of links of one kind and direction on this side, with the summed position
            // of what they lead to and their number.
            groups.clear();
            for &(l, left) in &g.incident[v] {
                if left != end_side {
                    continue;
                }
                let link = &g.links[l];
                let key = (kinds[link.edge], g.reversed[link.edge]);
                let other = if left { link.right } else { link.left };
                match groups.iter_mut().find(|(k, _, _)| *k == key) {
                    Some((_, sum, count)) => {
                        *sum += pos[other] as f64;
                        *count += 1;
                    }
                    None => groups.push((key, pos[other] as f64, 1)),
                }
            }
            groups.sort_by(|a, b| {
                let ma = a.1 / a.2 as f64;
                let mb = b.1 / b.2 as f64;
                ma.total_cmp(&mb).then(a.0.cmp(&b.0))
            });
            // Ports as far apart as two labelled edges passing a column, so both can run
            // straight, when the side is long enough; else spread evenly.
            let k = groups.len();
            let pitch = LABEL_HEIGHT + LABEL_LINE + EDGE_SEP;
            let fits = (k as f64 - 1.0) * pitch <= vertex.cross - pitch / 2.0;
            let j = usize::from(!end_side);
            for &(l, left) in &g.incident[v] {
                if left != end_side {
                    continue;
                }
                let edge = g.links[l].edge;
                let key = (kinds[edge], g.reversed[edge]);
                let i = groups.iter().position(|(k, _, _)| *k == key).unwrap_or(0);
                offset[l][j] = if fits {
                    vertex.cross / 2.0 + (i as f64 - (k as f64 - 1.0) / 2.0) * pitch
                } else {
                    vertex.cross * (i + 1) as f64 / (k + 1) as f64
                };
                port[l][j] = Some(next + i);
            }
            next += k;
        }
    }
    (offset, port)
}

/// Each block's items in one sequence that agrees with the order of every column: the
/// neighbouring items of each column give the arcs of a graph, sorted topologically, earliest
/// first seen first.
fn sequences(tree: &Tree, g: &Layered, cols: &[Vec<usize>]) -> Vec<Vec<Item>> {
    let root = tree.root();
    let mut items: Vec<Vec<Item>> = vec![Vec::new(); root + 1];
    let mut vertex_slot = vec![0; g.vertices.len()];
    let mut block_slot = vec![0; root + 1];
    for (b, slot) in block_slot.iter_mut().enumerate().take(root) {
        let p = tree.parent[b];
        *slot = items[p].len();
        items[p].push(Item::Block(b));
    }
    for (v, vertex) in g.vertices.iter().enumerate() {
        if !vertex.skeleton {
            vertex_slot[v] = items[vertex.block].len();
            items[vertex.block].push(Item::Vertex(v));
        }
    }
    let slot = |item: Item| match item {
        Item::Vertex(v) => vertex_slot[v],
        Item::Block(b) => block_slot[b],
    };
    // The block and item at every level of a vertex's chain.
    let level = |v: usize, i: usize| -> (usize, Item) {
        let chain = tree.chain(g.vertices[v].block);
        let block = if i == 0 { root } else { chain[i - 1] };
        let item = chain.get(i).map_or(Item::Vertex(v), |&b| Item::Block(b));
        (block, item)
    };
    let mut first: Vec<Vec<(usize, usize)>> = items
        .iter()
        .map(|list| vec![(usize::MAX, usize::MAX); list.len()])
        .collect();
    let mut arcs: Vec<Vec<(usize, usize)>> = vec![Vec::new(); root + 1];
    for (c, col) in cols.iter().enumerate() {
        for (k, &v) in col.iter().enumerate() {
            for i in 0..=tree.chain(g.vertices[v].block).len() {
                let (block, item) = level(v, i);
                if item == Item::Vertex(v) && g.vertices[v].skeleton {
                    continue;
                }
                let f = &mut first[block][slot(item)];
                *f = (*f).min((c, k));
            }
        }
        for pair in col.windows(2) {
            let (v, w) = (pair[0], pair[1]);
            let cv = tree.chain(g.vertices[v].block);
            let cw = tree.chain(g.vertices[w].block);
            let shared = cv.iter().zip(cw).take_while(|(x, y)| x == y).count();
            let (block, iv) = level(v, shared);
            let (_, iw) = level(w, shared);
            let stand_in = |item: Item| matches!(item, Item::Vertex(x) if g.vertices[x].skeleton);
            if iv != iw && !stand_in(iv) && !stand_in(iw) {
                arcs[block].push((slot(iv), slot(iw)));
            }
        }
    }
    // Kahn's algorithm per block, with buffers shared by all blocks; each item's successors are
    // in `next[start[i]..start[i + 1]]`.
    let (mut waiting, mut start, mut next, mut done) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut ready = BinaryHeap::new();
    let mut sequences = Vec::with_capacity(items.len());
    for (b, list) in items.iter().enumerate() {
        let m = list.len();
        waiting.clear();
        waiting.resize(m, 0usize);
        start.clear();
        start.resize(m + 1, 0usize);
        for &(x, y) in &arcs[b] {
            waiting[y] += 1;
            start[x + 1] += 1;
        }
        for i in 0..m {
            start[i + 1] += start[i];
        }
        next.clear();
        next.resize(arcs[b].len(), 0usize);
        for &(x, y) in &arcs[b] {
            // `start[x]` counts up while filling, and ends at the next item's start.
            next[start[x]] = y;
            start[x] += 1;
        }
        // Back to each item's own start.
        for i in (1..=m).rev() {
            start[i] = start[i - 1];
        }
        start[0] = 0;
        let key = |i: usize| std::cmp::Reverse((first[b][i], i));
        ready.clear();
        ready.extend((0..m).filter(|&i| waiting[i] == 0).map(key));
        done.clear();
        done.resize(m, false);
        let mut out = Vec::with_capacity(m);
        while let Some(std::cmp::Reverse((_, i))) = ready.pop() {
            done[i] = true;
            out.push(list[i]);
            for &j in &next[start[i]..start[i + 1]] {
                waiting[j] -= 1;
                if waiting[j] == 0 {
                    ready.push(key(j));
                }
            }
        }
        // Orders that disagree (they should not) leave a cycle: its items go last.
        if out.len() < m {
            let mut rest: Vec<usize> = (0..m).filter(|&i| !done[i]).collect();
            rest.sort_by_key(|&i| (first[b][i], i));
            out.extend(rest.into_iter().map(|i| list[i]));
        }
        sequences.push(out);
    }
    sequences
}
