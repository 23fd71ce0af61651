//! Order: the vertices of each column, from the start of the cross axis (top in LR, left in TB),
//! chosen to keep edge crossings few while every cluster's members stay together.
//!
//! Each column is sorted *hierarchically*, one block at a time from the root down: a block's own
//! vertices and its child blocks are ordered among themselves, then each child block inside. So
//! the members of a block are contiguous in every column and nested blocks stay nested. Child
//! blocks keep one order across the drawing (each has one key, set where a sweep enters it), so
//! sibling boxes can never overlap; a block's own vertices slot in between them column by
//! column. A block spanning a column without a vertex there still has a place in it (a
//! *skeleton*).
//!
//! Layer sweeps (Sugiyama; Forster 2002 and Sander 1996 for clusters) alternate forwards and
//! backwards. A sweep visits the columns in turn and sorts each by barycenters of the
//! neighbours in the column before (forwards) or after (backwards), *as the level being sorted
//! sees them*: a neighbour inside a sibling child block counts at that block's mean position, so
//! a vertex linked only into a block ties with it and keeps its side, and a child block counts
//! by its links to the outside (or, without any, follows its own position in the column before,
//! like a chain). After each sweep a *transpose* step swaps neighbouring vertices of one block
//! while that removes crossings. The order with the fewest crossings between neighbouring
//! columns (counted exactly, by inversions), then the shortest links, wins; sweeping stops after
//! a few sweeps without improvement.
//!
//! Order hints (`layout: {order}`): the hinted nodes of one block in a column take the places
//! the sort gave them, in the order of their hints, and transposes do not swap them; hinted
//! sibling blocks share one key per sweep (the first of them a sweep enters sets it) and sort
//! by their hints among themselves.
//!
//! Input: the [`Tree`] and the [`Layered`] graph. Output: each column's vertices in order,
//! skeletons included.

use super::segment::Layered;
use super::tree::Tree;

/// Sweeps at most, and without improvement before giving up.
const SWEEPS: usize = 16;
const PATIENCE: usize = 4;
/// Transpose passes per sweep at most.
const TRANSPOSE_PASSES: usize = 4;

struct State<'a> {
    tree: &'a Tree<'a>,
    g: &'a Layered,
    cols: Vec<Vec<usize>>,
    pos: Vec<usize>,
    bkey: Vec<f64>,
    left: Vec<Vec<usize>>,
    right: Vec<Vec<usize>>,
    /// Links by the column of their left vertex, as (left, right).
    by_column: Vec<Vec<(usize, usize)>>,
    /// While sorting a column: the summed scaled positions and count of each block's vertices
    /// in the fixed column.
    fixed: Vec<(f64, usize)>,
    touched: Vec<usize>,
    /// Per block, its child blocks with an order hint, in the order the hints ask for, and the
    /// sweep that last gave them their key.
    hinted: Vec<Vec<usize>>,
    hinted_sweep: Vec<usize>,
    /// Sweeps so far.
    sweeps: usize,
    /// Buffers for sorting, one set per nesting depth.
    scratch: Vec<Scratch>,
}

#[derive(Default)]
struct Scratch {
    /// A block's own vertices: (key, current position, vertex).
    direct: Vec<(f64, f64, usize)>,
    /// Its child blocks: (block, key, current position, members' range).
    groups: Vec<(usize, f64, f64, usize, usize)>,
    places: Vec<usize>,
    out: Vec<usize>,
    /// Where each child block's members landed.
    ranges: Vec<(usize, usize, usize)>,
}

pub(super) fn order(tree: &Tree, g: &Layered) -> Vec<Vec<usize>> {
    let n = g.vertices.len();
    let mut left = vec![Vec::new(); n];
    let mut right = vec![Vec::new(); n];
    let mut by_column = vec![Vec::new(); g.columns.len()];
    for l in &g.links {
        right[l.left].push(l.right);
        left[l.right].push(l.left);
        by_column[g.vertices[l.left].column].push((l.left, l.right));
    }
    let mut s = State {
        tree,
        g,
        cols: g.columns.clone(),
        pos: vec![0; n],
        bkey: vec![0.0; tree.root() + 1],
        left,
        right,
        by_column,
        fixed: vec![(0.0, 0); tree.root() + 1],
        touched: Vec::new(),
        hinted: hinted_children(tree),
        hinted_sweep: vec![usize::MAX; tree.root() + 1],
        sweeps: 0,
        scratch: Vec::new(),
    };
    s.refresh_all();
    s.initial();
    s.transpose();
    let mut best = s.cols.clone();
    let mut best_score = (s.crossings(), s.stretch());
    let mut idle = 0;
    for sweep in 0..SWEEPS {
        if idle >= PATIENCE {
            break;
        }
        s.sweep(sweep % 2 == 0);
        s.transpose();
        let score = (s.crossings(), s.stretch());
        if score.0 < best_score.0 || (score.0 == best_score.0 && score.1 < best_score.1 - 1e-9) {
            best_score = score;
            best.clone_from(&s.cols);
            idle = 0;
        } else {
            idle += 1;
        }
    }
    best
}

/// Per block, its child blocks with an order hint, by hint (then by index).
fn hinted_children(tree: &Tree) -> Vec<Vec<usize>> {
    let root = tree.root();
    let mut out = vec![Vec::new(); root + 1];
    for b in 0..root {
        if tree.block_order[b].is_some() {
            out[tree.parent[b]].push(b);
        }
    }
    for list in &mut out {
        list.sort_by_key(|&b| (tree.block_order[b], b));
    }
    out
}

impl State<'_> {
    fn refresh(&mut self, c: usize) {
        for (k, &v) in self.cols[c].iter().enumerate() {
            self.pos[v] = k;
        }
    }

    fn refresh_all(&mut self) {
        for c in 0..self.cols.len() {
            self.refresh(c);
        }
    }

    /// Position of a vertex in its column, scaled to 0..1.
    fn scaled(&self, v: usize) -> f64 {
        let len = self.cols[self.g.vertices[v].column].len();
        (self.pos[v] as f64 + 0.5) / len as f64
    }

    fn chain(&self, v: usize) -> &[usize] {
        self.tree.chain(self.g.vertices[v].block)
    }

    /// First order: vertices in view order, blocks by the mean position of their vertices.
    fn initial(&mut self) {
        let mut sum = vec![(0.0, 0usize); self.bkey.len()];
        for v in 0..self.g.vertices.len() {
            let p = self.scaled(v);
            for &b in self.chain(v) {
                sum[b].0 += p;
                sum[b].1 += 1;
            }
        }
        for (b, (total, count)) in sum.into_iter().enumerate() {
            if count > 0 {
                self.bkey[b] = total / count as f64;
            }
        }
        for list in &self.hinted {
            if let Some(&first) = list.first() {
                let key = list
                    .iter()
                    .map(|&b| self.bkey[b])
                    .fold(self.bkey[first], f64::min);
                for &b in list {
                    self.bkey[b] = key;
                }
            }
        }
        for c in 0..self.cols.len() {
            self.sort(c, None);
        }
    }

    fn sweep(&mut self, forward: bool) {
        self.sweeps += 1;
        let n_cols = self.cols.len();
        // Hinted sibling blocks already present in the first column swept keep their key.
        let first = if forward { 0 } else { n_cols.saturating_sub(1) };
        for parent in 0..self.hinted.len() {
            let list = &self.hinted[parent];
            if list.len() > 1
                && list.iter().any(|&b| {
                    let (lo, hi) = self.g.span[b];
                    if forward { lo == first } else { hi == first }
                })
            {
                self.hinted_sweep[parent] = self.sweeps;
            }
        }
        let columns: Vec<usize> = if forward {
            (0..n_cols).collect()
        } else {
            (0..n_cols).rev().collect()
        };
        for c in columns {
            let fixed = if forward {
                c.checked_sub(1)
            } else {
                Some(c + 1).filter(|&f| f < n_cols)
            };
            self.sort(c, fixed.map(|f| (f, forward)));
        }
    }

    /// Sort column `c`, looking at the neighbours in `fixed` (a column and whether it comes
    /// before `c`); without one, by current positions.
    fn sort(&mut self, c: usize, fixed: Option<(usize, bool)>) {
        for &b in &self.touched {
            self.fixed[b] = (0.0, 0);
        }
        self.touched.clear();
        if let Some((f, _)) = fixed {
            for k in 0..self.cols[f].len() {
                let u = self.cols[f][k];
                let p = self.scaled(u);
                for &b in self.tree.chain(self.g.vertices[u].block) {
                    if self.fixed[b].1 == 0 {
                        self.touched.push(b);
                    }
                    self.fixed[b].0 += p;
                    self.fixed[b].1 += 1;
                }
            }
        }
        let mut col = std::mem::take(&mut self.cols[c]);
        let root = self.tree.root();
        self.sort_level(c, 0, root, &mut col, fixed.map(|(_, before)| before));
        self.cols[c] = col;
        self.refresh(c);
    }

    /// Where a neighbour `u` counts for the level below `block` (`depth` blocks deep): inside
    /// one of that block's child blocks, at the child block's mean position.
    fn seen(&self, u: usize, depth: usize, block: usize) -> f64 {
        let chain = self.chain(u);
        // A block's chain is the path to it, so its last entry decides the whole prefix.
        if chain.len() > depth && (depth == 0 || chain[depth - 1] == block) {
            let (sum, count) = self.fixed[chain[depth]];
            if count > 0 {
                return sum / count as f64;
            }
        }
        self.scaled(u)
    }

    fn neighbours(&self, v: usize, before: bool) -> &[usize] {
        if before {
            &self.left[v]
        } else {
            &self.right[v]
        }
    }

    /// Order `members` in place (the column's vertices inside `block`, `depth` blocks deep):
    /// the block's own vertices by key, its child blocks by their keys, the two merged by
    /// comparing a vertex's key with a child block's key in this column, and each child block
    /// ordered the same way inside.
    fn sort_level(
        &mut self,
        c: usize,
        depth: usize,
        block: usize,
        members: &mut [usize],
        before: Option<bool>,
    ) {
        if members.is_empty() {
            return;
        }
        if self.scratch.len() <= depth {
            self.scratch.resize_with(depth + 1, Scratch::default);
        }
        let mut sc = std::mem::take(&mut self.scratch[depth]);
        let tree = self.tree;
        let g = self.g;
        let child = |v: usize| tree.chain(g.vertices[v].block).get(depth).copied();
        // The block's own vertices first, then each child block's, in vertex order.
        members.sort_unstable_by_key(|&v| (child(v).map_or(0, |b| b + 1), v));
        let split = members.partition_point(|&v| child(v).is_none());
        sc.direct.clear();
        for &v in &members[..split] {
            let here = self.scaled(v);
            let key = before
                .and_then(|before| {
                    let near = self.neighbours(v, before);
                    (!near.is_empty()).then(|| {
                        near.iter()
                            .map(|&u| self.seen(u, depth, block))
                            .sum::<f64>()
                            / near.len() as f64
                    })
                })
                .unwrap_or(here);
            sc.direct.push((key, here, v));
        }
        // Child blocks, each with its key here, its current position and its members' range.
        sc.groups.clear();
        let mut k = split;
        while k < members.len() {
            let b = child(members[k]).unwrap_or(block);
            let start = k;
            while k < members.len() && child(members[k]) == Some(b) {
                k += 1;
            }
            let list = &members[start..k];
            let here = list.iter().map(|&v| self.scaled(v)).sum::<f64>() / list.len() as f64;
            let key = before.map_or(here, |before| {
                let (mut sum, mut count) = (0.0, 0usize);
                for &v in list {
                    for &u in self.neighbours(v, before) {
                        if tree.chain(g.vertices[u].block).get(depth) == Some(&b) {
                            continue;
                        }
                        sum += self.seen(u, depth, block);
                        count += 1;
                    }
                }
                if count > 0 {
                    sum / count as f64
                } else if self.fixed[b].1 > 0 {
                    self.fixed[b].0 / self.fixed[b].1 as f64
                } else {
                    here
                }
            });
            let (lo, hi) = g.span[b];
            let entering = match before {
                Some(true) => lo == c,
                Some(false) => hi == c,
                None => false,
            };
            if entering {
                self.enter(b, block, key);
            }
            sc.groups.push((b, key, here, start, k));
        }
        sc.direct.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
        // Nodes with an order hint take the places the hinted nodes got, in the hints' order.
        let order = |v: usize| g.vertices[v].node.and_then(|i| tree.node_order[i]);
        sc.places.clear();
        sc.places
            .extend((0..sc.direct.len()).filter(|&k| order(sc.direct[k].2).is_some()));
        if sc.places.len() > 1 {
            let mut hinted: Vec<(f64, f64, usize)> =
                sc.places.iter().map(|&k| sc.direct[k]).collect();
            hinted.sort_by_key(|d| order(d.2));
            for (&k, d) in sc.places.iter().zip(hinted) {
                sc.direct[k] = d;
            }
        }
        let bkey = &self.bkey;
        sc.groups.sort_by(|a, b| {
            bkey[a.0]
                .total_cmp(&bkey[b.0])
                .then(tree.block_order[a.0].cmp(&tree.block_order[b.0]))
                .then(a.0.cmp(&b.0))
        });
        // Merge, then order each child block's members where they landed.
        sc.out.clear();
        sc.ranges.clear();
        let (mut i, mut j) = (0, 0);
        loop {
            let take_vertex = match (sc.direct.get(i), sc.groups.get(j)) {
                (Some(v), Some(g)) => v.0.total_cmp(&g.1).then(v.1.total_cmp(&g.2)).is_lt(),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_vertex {
                sc.out.push(sc.direct[i].2);
                i += 1;
            } else {
                let (b, _, _, start, end) = sc.groups[j];
                let at = sc.out.len();
                sc.out.extend_from_slice(&members[start..end]);
                sc.ranges.push((b, at, sc.out.len()));
                j += 1;
            }
        }
        members.copy_from_slice(&sc.out);
        let ranges = std::mem::take(&mut sc.ranges);
        self.scratch[depth] = sc;
        for &(b, start, end) in &ranges {
            self.sort_level(c, depth + 1, b, &mut members[start..end], before);
        }
        self.scratch[depth].ranges = ranges;
    }

    /// Whether order hints keep `v` before `w`.
    fn pinned(&self, v: usize, w: usize) -> bool {
        let order = |x: usize| {
            self.g.vertices[x]
                .node
                .and_then(|i| self.tree.node_order[i])
        };
        matches!((order(v), order(w)), (Some(a), Some(b)) if a != b)
    }

    /// A sweep enters child block `b` of `parent` with `key`. Sibling blocks with order hints
    /// move as one: the first of them a sweep enters gives them all its key (they then sort by
    /// their hints), and the others keep it, so every column orders them the same way.
    fn enter(&mut self, b: usize, parent: usize, key: f64) {
        if self.tree.block_order[b].is_none() || self.hinted[parent].len() < 2 {
            self.bkey[b] = key;
        } else if self.hinted_sweep[parent] != self.sweeps {
            self.hinted_sweep[parent] = self.sweeps;
            for &h in &self.hinted[parent] {
                self.bkey[h] = key;
            }
        }
    }

    /// Crossings between `v` and `w` when `v` comes first in their column, on both sides.
    fn pair_crossings(&self, v: usize, w: usize) -> usize {
        let mut count = 0;
        for side in [&self.left, &self.right] {
            for &x in &side[v] {
                for &y in &side[w] {
                    if self.pos[x] > self.pos[y] {
                        count += 1;
                    }
                }
            }
        }
        count
    }

    fn transpose(&mut self) {
        for _ in 0..TRANSPOSE_PASSES {
            let mut improved = false;
            for c in 0..self.cols.len() {
                for k in 0..self.cols[c].len().saturating_sub(1) {
                    let (v, w) = (self.cols[c][k], self.cols[c][k + 1]);
                    if self.g.vertices[v].block != self.g.vertices[w].block || self.pinned(v, w) {
                        continue;
                    }
                    if self.pair_crossings(w, v) < self.pair_crossings(v, w) {
                        self.cols[c].swap(k, k + 1);
                        self.pos[v] = k + 1;
                        self.pos[w] = k;
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    /// How far links run across: the summed difference of their ends' scaled positions (a
    /// tie-breaker between orders with as many crossings).
    fn stretch(&self) -> f64 {
        self.by_column
            .iter()
            .flatten()
            .map(|&(l, r)| (self.scaled(l) - self.scaled(r)).abs())
            .sum()
    }

    /// Crossings between neighbouring columns: pairs of links whose ends come in opposite
    /// orders (inversions, counted with a Fenwick tree).
    fn crossings(&self) -> usize {
        let mut total = 0;
        for (c, links) in self.by_column.iter().enumerate() {
            let Some(next) = self.cols.get(c + 1) else {
                continue;
            };
            let mut pairs: Vec<(usize, usize)> = links
                .iter()
                .map(|&(l, r)| (self.pos[l], self.pos[r]))
                .collect();
            pairs.sort_unstable();
            let mut fenwick = vec![0usize; next.len() + 1];
            for (seen, &(_, r)) in pairs.iter().enumerate() {
                // Links seen so far whose right end comes after this one's.
                let mut at_most = 0;
                let mut i = r + 1;
                while i > 0 {
                    at_most += fenwick[i];
                    i -= i & i.wrapping_neg();
                }
                total += seen - at_most;
                let mut i = r + 1;
                while i < fenwick.len() {
                    fenwick[i] += 1;
                    i += i & i.wrapping_neg();
                }
            }
        }
        total
    }
}
