//! The block tree every phase reads, and the finished layout of one block.
//!
//! Each cluster (ECS cluster, service, task) is a *block*; the whole drawing is the root block,
//! numbered `view.clusters.len()`. A block's *items* are its direct children, child blocks first
//! and then nodes, each in document order; an item's *slot* is its index among them. Phases index
//! their per-block results by block number and their per-item results by slot.
//!
//! Input: the [`View`] and the direction. Output: a [`Tree`]: the items of each block, each
//! node's chain of clusters, each edge's end nodes, and node and label sizes in (main, cross)
//! coordinates. A [`Block`] is what placing and routing one block produce: its size and ports,
//! which its parent reads, and its positions, routes and labels, which assembly reads.

use std::collections::BTreeMap;

use super::Direction;
use super::metrics::{LABEL_FONT, LABEL_HEIGHT, MARGIN, PAD, TITLE, node_size, text_width};
use crate::view::View;

/// One child of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Item {
    Node(usize),
    Cluster(usize),
}

pub(super) struct Tree<'v> {
    pub(super) view: &'v View,
    pub(super) dir: Direction,
    /// Items of each block; the last entry (index `clusters.len()`) is the root.
    pub(super) children: Vec<Vec<Item>>,
    /// Each node's clusters from the outermost to its parent.
    chains: Vec<Vec<usize>>,
    /// Slot of each node and cluster among its parent's items.
    node_slot: Vec<usize>,
    cluster_slot: Vec<usize>,
    /// Edge endpoints as node indices; `None` when an end names no node.
    pub(super) ends: Vec<Option<(usize, usize)>>,
    /// Node sizes as (main, cross).
    pub(super) node_size: Vec<(f64, f64)>,
    /// Edge label sizes as (main, cross).
    pub(super) label_size: Vec<Option<(f64, f64)>>,
}

/// One block laid out, in its own (main, cross) coordinates (origin at its top-left corner).
#[derive(Default)]
pub(super) struct Block {
    /// Position of each item, by slot.
    pub(super) pos: Vec<(f64, f64)>,
    /// Size.
    pub(super) main: f64,
    pub(super) cross: f64,
    /// The polyline of each edge's segment in this block, by edge.
    pub(super) routes: BTreeMap<usize, Vec<(f64, f64)>>,
    /// Label boxes (main, cross, main length, cross length) by edge.
    pub(super) labels: BTreeMap<usize, [f64; 4]>,
    /// Cross coordinate where an edge crosses this block's border, by (edge, side is End).
    pub(super) ports: BTreeMap<(usize, bool), f64>,
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
        Tree {
            view,
            dir,
            children,
            chains,
            node_slot,
            cluster_slot,
            ends,
            node_size,
            label_size,
        }
    }

    pub(super) fn root(&self) -> usize {
        self.view.clusters.len()
    }

    pub(super) fn slot(&self, item: Item) -> usize {
        match item {
            Item::Node(n) => self.node_slot[n],
            Item::Cluster(c) => self.cluster_slot[c],
        }
    }

    /// The block whose item node `n` is.
    pub(super) fn block_of(&self, n: usize) -> usize {
        self.chains[n].last().copied().unwrap_or(self.root())
    }

    /// Padding of a block as (main start, main end, cross start, cross end).
    pub(super) fn padding(&self, block: usize) -> (f64, f64, f64, f64) {
        if block == self.root() {
            return (MARGIN, MARGIN, MARGIN, MARGIN);
        }
        match self.dir {
            Direction::LR => (PAD, PAD, TITLE, PAD),
            Direction::TB => (TITLE, PAD, PAD, PAD),
        }
    }

    /// The item of `block` that holds node `n` (the node itself when it is a direct child).
    pub(super) fn child_toward(&self, block: usize, n: usize) -> Item {
        let chain = &self.chains[n];
        let next = if block == self.root() {
            chain.first()
        } else {
            chain
                .iter()
                .position(|&c| c == block)
                .and_then(|i| chain.get(i + 1))
        };
        next.map_or(Item::Node(n), |&c| Item::Cluster(c))
    }

    /// The lowest block holding both nodes.
    pub(super) fn lca(&self, a: usize, b: usize) -> usize {
        self.chains[a]
            .iter()
            .zip(&self.chains[b])
            .take_while(|(x, y)| x == y)
            .last()
            .map_or(self.root(), |(&x, _)| x)
    }

    /// The blocks strictly below `lca` on the way to node `n`, outermost first.
    pub(super) fn below(&self, lca: usize, n: usize) -> &[usize] {
        let chain = &self.chains[n];
        if lca == self.root() {
            return chain;
        }
        chain
            .iter()
            .position(|&c| c == lca)
            .map_or(&[][..], |i| &chain[i + 1..])
    }

    /// Every block, deepest first (then by number), so a block comes before its parent.
    pub(super) fn bottom_up(&self) -> Vec<usize> {
        let root = self.root();
        let mut depth = vec![0usize; root + 1];
        let mut stack = vec![root];
        let mut order = Vec::with_capacity(root + 1);
        while let Some(b) = stack.pop() {
            order.push(b);
            for item in &self.children[b] {
                if let Item::Cluster(c) = *item {
                    depth[c] = depth[b] + 1;
                    stack.push(c);
                }
            }
        }
        order.sort_by_key(|&b| (std::cmp::Reverse(depth[b]), b));
        order
    }

    /// Sizes (main, cross) of a block's items, by slot; child blocks must be laid out already.
    pub(super) fn item_sizes(&self, block: usize, blocks: &[Block]) -> Vec<(f64, f64)> {
        self.children[block]
            .iter()
            .map(|&item| match item {
                Item::Node(n) => self.node_size[n],
                Item::Cluster(c) => (blocks[c].main, blocks[c].cross),
            })
            .collect()
    }
}
