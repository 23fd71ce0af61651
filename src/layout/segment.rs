//! Segment: every edge cut into one piece per column it passes, so each piece joins two
//! neighbouring columns.
//!
//! The *vertices* of the layered graph are the nodes (vertex `i` is node `i`) and one *dummy*
//! per edge per column strictly between its ends' columns: the place where the edge crosses that
//! column. An edge's *chain* is its vertices in layout order (from its target to its source when
//! it is reversed), and a *link* joins two consecutive vertices of a chain. A labelled edge's
//! label rides on its dummy next to its source, which is as long as the label and as high as
//! the label plus a gap, with the edge's line along its far side: ordering and placing give it
//! room like a node, so no label can overlap anything.
//!
//! Each dummy belongs to a block. Near its source, an edge stays inside its source's own cluster
//! for as long as that spans the dummy's column; near its target, inside the target's; where
//! both would do, the nearer end wins; elsewhere it belongs to the lowest block holding both
//! ends, so an edge between two clusters runs outside them. A block's columns are those of its nodes; a block with no nodes at all takes its
//! parent's first column.
//!
//! Input: the [`Tree`] and the [`Ranks`]. Output: the [`Layered`] graph.

use super::metrics::LABEL_LINE;
use super::rank::Ranks;
use super::tree::Tree;

pub(super) struct Vertex {
    /// The node, or `None` for a dummy.
    pub(super) node: Option<usize>,
    pub(super) column: usize,
    /// The block it belongs to.
    pub(super) block: usize,
    /// Size along the main and the cross axis.
    pub(super) main: f64,
    pub(super) cross: f64,
    /// Whether this dummy carries its edge's label.
    pub(super) label: bool,
    /// A stand-in for its block in a column the block spans without a vertex in it: it takes
    /// part in ordering only, so the block has a place in every column of its span.
    pub(super) skeleton: bool,
}

/// Two consecutive vertices of an edge's chain: `left` in some column, `right` in the next.
#[derive(Clone, Copy)]
pub(super) struct Link {
    pub(super) edge: usize,
    pub(super) left: usize,
    pub(super) right: usize,
}

pub(super) struct Layered {
    pub(super) vertices: Vec<Vertex>,
    pub(super) links: Vec<Link>,
    /// Each edge's links in layout order (empty for edges from a node to itself or with an
    /// unknown end).
    pub(super) chains: Vec<Vec<usize>>,
    /// Each column's vertices, in vertex order.
    pub(super) columns: Vec<Vec<usize>>,
    /// Each vertex's links, as (link, whether the vertex is its left end).
    pub(super) incident: Vec<Vec<(usize, bool)>>,
    /// First and last column of each block (the root spans them all).
    pub(super) span: Vec<(usize, usize)>,
    /// Per edge: laid out from target to source.
    pub(super) reversed: Vec<bool>,
}

pub(super) fn split(tree: &Tree, ranks: &Ranks) -> Layered {
    let root = tree.root();
    let n_cols = ranks.columns.max(1);
    // Columns of each block's nodes.
    let mut node_span: Vec<Option<(usize, usize)>> = vec![None; root + 1];
    for (v, &c) in ranks.column.iter().enumerate() {
        for &b in tree.chain(tree.block_of[v]) {
            node_span[b] = Some(match node_span[b] {
                None => (c, c),
                Some((lo, hi)) => (lo.min(c), hi.max(c)),
            });
        }
    }
    node_span[root] = Some((0, n_cols.saturating_sub(1)));
    // Blocks without nodes take their parent's first column (parents come first).
    let mut span = vec![(0, 0); root + 1];
    for b in tree.top_down() {
        span[b] = node_span[b].unwrap_or_else(|| {
            let first = span[tree.parent[b]].0;
            (first, first)
        });
    }

    let mut vertices: Vec<Vertex> = tree
        .view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, _)| Vertex {
            node: Some(i),
            column: ranks.column[i],
            block: tree.block_of[i],
            main: tree.node_size[i].0,
            cross: tree.node_size[i].1,
            label: false,
            skeleton: false,
        })
        .collect();
    let mut links = Vec::new();
    let mut chains = vec![Vec::new(); tree.ends.len()];
    for (e, ends) in tree.ends.iter().enumerate() {
        let Some((a, b)) = *ends else { continue };
        if a == b {
            continue;
        }
        let (u, w) = if ranks.reversed[e] { (b, a) } else { (a, b) };
        let (cu, cw) = (ranks.column[u], ranks.column[w]);
        let (chain_u, chain_w) = (tree.chain(tree.block_of[u]), tree.chain(tree.block_of[w]));
        let shared = chain_u
            .iter()
            .zip(chain_w)
            .take_while(|(x, y)| x == y)
            .count();
        let lca = if shared == 0 {
            root
        } else {
            chain_u[shared - 1]
        };
        let label_at = if ranks.reversed[e] {
            cw.saturating_sub(1)
        } else {
            cu + 1
        };
        let mut prev = u;
        for c in cu + 1..cw {
            // The source's own cluster while it spans this column, and the target's.
            let near_u = chain_u[shared..]
                .last()
                .filter(|&&k| node_span[k].is_some_and(|(_, hi)| hi >= c));
            let near_w = chain_w[shared..]
                .last()
                .filter(|&&k| node_span[k].is_some_and(|(lo, _)| lo <= c));
            let block = match (near_u, near_w) {
                (Some(&k), Some(&j)) => {
                    if c - cu <= cw - c {
                        k
                    } else {
                        j
                    }
                }
                (Some(&k), None) | (None, Some(&k)) => k,
                (None, None) => lca,
            };
            let label = c == label_at && tree.label_size[e].is_some();
            let (main, cross) = match tree.label_size[e] {
                Some((lm, lc)) if label => (lm, lc + LABEL_LINE),
                _ => (0.0, 0.0),
            };
            let id = vertices.len();
            vertices.push(Vertex {
                node: None,
                column: c,
                block,
                main,
                cross,
                label,
                skeleton: false,
            });
            chains[e].push(links.len());
            links.push(Link {
                edge: e,
                left: prev,
                right: id,
            });
            prev = id;
        }
        chains[e].push(links.len());
        links.push(Link {
            edge: e,
            left: prev,
            right: w,
        });
    }
    // Skeletons where a block spans a column without a vertex of its own in it.
    let mut present: Vec<Vec<bool>> = span
        .iter()
        .map(|&(lo, hi)| vec![false; hi - lo + 1])
        .collect();
    for vertex in &vertices {
        for &b in tree.chain(vertex.block) {
            present[b][vertex.column - span[b].0] = true;
        }
    }
    for b in 0..root {
        for (k, &here) in present[b].iter().enumerate() {
            if !here {
                vertices.push(Vertex {
                    node: None,
                    column: span[b].0 + k,
                    block: b,
                    main: 0.0,
                    cross: 0.0,
                    label: false,
                    skeleton: true,
                });
            }
        }
    }
    let mut columns = vec![Vec::new(); n_cols];
    for (v, vertex) in vertices.iter().enumerate() {
        columns[vertex.column].push(v);
    }
    let mut incident = vec![Vec::new(); vertices.len()];
    for (l, link) in links.iter().enumerate() {
        incident[link.left].push((l, true));
        incident[link.right].push((l, false));
    }
    Layered {
        vertices,
        links,
        chains,
        columns,
        incident,
        span,
        reversed: ranks.reversed.clone(),
    }
}
