//! The block tree every phase reads.
//!
//! Each cluster (ECS cluster, service, task) is a *block*; the whole drawing is the root block,
//! numbered `view.clusters.len()`. A block's *items* are its direct children: child blocks and
//! nodes. Every node belongs to the block that is its parent cluster (the root when it has none).
//!
//! Input: the [`View`] and the direction. Output: a [`Tree`]: each block's parent and chain of
//! enclosing blocks, each node's block, each edge's end nodes, and node and label sizes in
//! (main, cross) coordinates: the main axis is the one the tiers run along (x in LR, y in TB).

use super::Direction;
use super::metrics::{LABEL_FONT, LABEL_HEIGHT, MARGIN, PAD, TITLE, node_size, text_width};
use crate::view::View;

pub(super) struct Tree<'v> {
    pub(super) view: &'v View,
    pub(super) dir: Direction,
    /// Parent of each block; the root is its own parent.
    pub(super) parent: Vec<usize>,
    /// Each block's enclosing blocks from the outermost to itself, the root left out (empty for
    /// the root).
    chains: Vec<Vec<usize>>,
    /// The block each node belongs to.
    pub(super) block_of: Vec<usize>,
    /// Edge endpoints as node indices; `None` when an end names no node.
    pub(super) ends: Vec<Option<(usize, usize)>>,
    /// Node sizes as (main, cross).
    pub(super) node_size: Vec<(f64, f64)>,
    /// Edge label sizes as (main, cross).
    pub(super) label_size: Vec<Option<(f64, f64)>>,
    /// Each node's tier (`layout: {tier}`): its own, else its nearest enclosing cluster's.
    pub(super) tier: Vec<Option<u32>>,
    /// Each node's and each block's order among what shares its column (`layout: {order}`).
    pub(super) node_order: Vec<Option<i32>>,
    pub(super) block_order: Vec<Option<i32>>,
}

/// Screen (w, h) → (main, cross).
fn to_abstract(dir: Direction, w: f64, h: f64) -> (f64, f64) {
    match dir {
        Direction::LR => (w, h),
        Direction::TB => (h, w),
    }
}

impl<'v> Tree<'v> {
    pub(super) fn new(view: &'v View, dir: Direction) -> Self {
        let root = view.clusters.len();
        let cluster_index: rustc_hash::FxHashMap<&str, usize> = view
            .clusters
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let node_index: rustc_hash::FxHashMap<&str, usize> = view
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
        let mut parent: Vec<usize> = view
            .clusters
            .iter()
            .map(|c| parent_of(c.parent.as_ref()))
            .collect();
        for i in 0..parent.len() {
            let mut at = parent[i];
            let mut steps = 0;
            while at != root && steps <= parent.len() {
                at = parent[at];
                steps += 1;
            }
            if at != root {
                parent[i] = root;
            }
        }
        parent.push(root);
        let chains: Vec<Vec<usize>> = (0..=root)
            .map(|b| {
                let mut chain = Vec::new();
                let mut at = b;
                while at != root {
                    chain.push(at);
                    at = parent[at];
                }
                chain.reverse();
                chain
            })
            .collect();
        let block_of: Vec<usize> = view
            .nodes
            .iter()
            .map(|n| parent_of(n.parent.as_ref()))
            .collect();
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
        let tier = view
            .nodes
            .iter()
            .zip(&block_of)
            .map(|(n, &b): (_, &usize)| {
                n.hint.tier.or_else(|| {
                    chains[b]
                        .iter()
                        .rev()
                        .find_map(|&k| view.clusters[k].hint.tier)
                })
            })
            .collect();
        let node_order = view.nodes.iter().map(|n| n.hint.order).collect();
        let block_order = view
            .clusters
            .iter()
            .map(|c| c.hint.order)
            .chain(std::iter::once(None))
            .collect();
        Tree {
            view,
            dir,
            parent,
            chains,
            block_of,
            ends,
            node_size,
            label_size,
            tier,
            node_order,
            block_order,
        }
    }

    pub(super) fn root(&self) -> usize {
        self.view.clusters.len()
    }

    /// The blocks enclosing `block` from the outermost to itself, the root left out.
    pub(super) fn chain(&self, block: usize) -> &[usize] {
        &self.chains[block]
    }

    /// Padding of a block as (main start, main end, cross start, cross end).
    pub(super) fn padding(&self, block: usize) -> (f64, f64, f64, f64) {
        if block == self.root() {
            (MARGIN, MARGIN, MARGIN, MARGIN)
        } else {
            self.cluster_padding()
        }
    }

    /// Padding of a cluster's box: its title band comes first across (LR) or along (TB).
    pub(super) fn cluster_padding(&self) -> (f64, f64, f64, f64) {
        match self.dir {
            Direction::LR => (PAD, PAD, TITLE, PAD),
            Direction::TB => (TITLE, PAD, PAD, PAD),
        }
    }

    /// How long a cluster's box must be for its title, along the axis the title runs (main in
    /// LR, cross in TB); 0 for the root.
    pub(super) fn title_length(&self, block: usize) -> f64 {
        if block == self.root() {
            return 0.0;
        }
        let c = &self.view.clusters[block];
        let title = text_width(&c.label, 13.0)
            .max(c.detail.as_deref().map_or(0.0, |d| text_width(d, 10.0)));
        title + 2.0 * PAD + 8.0
    }

    /// Every block, parents before children (the root first).
    pub(super) fn top_down(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..=self.root()).collect();
        order.sort_by_key(|&b| (b != self.root(), self.chains[b].len(), b));
        order
    }
}
