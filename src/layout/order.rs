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
        for c in 0..self.cols.len() {
            self.sort(c, None);
        }
    }

    fn sweep(&mut self, forward: bool) {
        let n_cols = self.cols.len();
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
        let col = std::mem::take(&mut self.cols[c]);
        let sorted = self.sort_level(c, 0, col, fixed.map(|(_, before)| before));
        self.cols[c] = sorted;
        self.refresh(c);
    }

    /// Where a neighbour `u` counts for the level below `prefix` (a block's chain, `depth`
    /// long): inside one of that block's child blocks, at the child block's mean position.
    fn seen(&self, u: usize, prefix: &[usize]) -> f64 {
        let chain = self.chain(u);
        let depth = prefix.len();
        if chain.len() > depth && chain[..depth] == *prefix {
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

    /// Order `members` (the column's vertices inside one block, whose chains agree up to
    /// `depth`): the block's own vertices by key, its child blocks by their keys, the two
    /// merged by comparing a vertex's key with a child block's key in this column, and each
    /// child block ordered the same way inside.
    fn sort_level(
        &mut self,
        c: usize,
        depth: usize,
        members: Vec<usize>,
        before: Option<bool>,
    ) -> Vec<usize> {
        let Some(&first) = members.first() else {
            return members;
        };
        let prefix: Vec<usize> = self.chain(first)[..depth].to_vec();
        let mut direct: Vec<(f64, f64, usize)> = Vec::new();
        let mut nested: Vec<(usize, usize)> = Vec::new();
        for v in members {
            if let Some(&b) = self.chain(v).get(depth) {
                nested.push((b, v));
            } else {
                let here = self.scaled(v);
                let key = before
                    .and_then(|before| {
                        let near = self.neighbours(v, before);
                        (!near.is_empty()).then(|| {
                            near.iter().map(|&u| self.seen(u, &prefix)).sum::<f64>()
                                / near.len() as f64
                        })
                    })
                    .unwrap_or(here);
                direct.push((key, here, v));
            }
        }
        nested.sort_by_key(|&(b, v)| (b, v));
        // Child blocks, each with its vertices here, its key here and its current position.
        let mut groups: Vec<(usize, f64, f64, Vec<usize>)> = Vec::new();
        let mut k = 0;
        while k < nested.len() {
            let b = nested[k].0;
            let mut list = Vec::new();
            while k < nested.len() && nested[k].0 == b {
                list.push(nested[k].1);
                k += 1;
            }
            let here = list.iter().map(|&v| self.scaled(v)).sum::<f64>() / list.len() as f64;
            let mut inner = prefix.clone();
            inner.push(b);
            let key = before.map_or(here, |before| {
                let (mut sum, mut count) = (0.0, 0usize);
                for &v in &list {
                    for &u in self.neighbours(v, before) {
                        let chain = self.chain(u);
                        if chain.len() > depth && chain[..=depth] == *inner {
                            continue;
                        }
                        sum += self.seen(u, &prefix);
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
            let (lo, hi) = self.g.span[b];
            let entering = match before {
                Some(true) => lo == c,
                Some(false) => hi == c,
                None => false,
            };
            if entering {
                self.bkey[b] = key;
            }
            groups.push((b, key, here, list));
        }
        direct.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
        groups.sort_by(|a, b| {
            self.bkey[a.0]
                .total_cmp(&self.bkey[b.0])
                .then(a.0.cmp(&b.0))
        });
        let mut out = Vec::with_capacity(direct.len() + nested.len());
        let mut groups = groups.into_iter().peekable();
        let mut direct = direct.into_iter().peekable();
        loop {
            let take_vertex = match (direct.peek(), groups.peek()) {
                (Some(v), Some(g)) => v.0.total_cmp(&g.1).then(v.1.total_cmp(&g.2)).is_lt(),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_vertex {
                out.extend(direct.next().map(|d| d.2));
            } else if let Some((_, _, _, list)) = groups.next() {
                let inside = self.sort_level(c, depth + 1, list, before);
                out.extend(inside);
            }
        }
        out
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
                    if self.g.vertices[v].block != self.g.vertices[w].block {
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
