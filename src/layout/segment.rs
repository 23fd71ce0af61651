//! Segments: each edge cut into the pieces that lie in one block each.
//!
//! An edge is drawn at the block where its two ends' chains of clusters meet (their lowest
//! common block), between the two items there that hold its ends. In every block below that on
//! the way to an end it runs between the item holding the end and the block's border; the
//! border point is that block's *port* for the edge. The edge leaves its source items on the
//! side that faces its target's column, and enters its target items on the side that faces the
//! source's column (both on the end side when the two share a column).
//!
//! Input: the [`Tree`] and the ranks (column of every item). Output: [`Segments`]: the segments
//! of each block, in edge order, and for each edge the blocks its segments lie in, from its
//! source to its target. Edges from a node to itself, and edges whose ends name no node, have
//! no segments.

use super::tree::Tree;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    /// Toward lower main coordinates (left in LR, top in TB).
    Start,
    /// Toward higher main coordinates.
    End,
}

/// One end of a segment in a block.
#[derive(Clone, Copy, Debug)]
pub(super) enum End {
    /// An item of this block (its slot), attached on `side`.
    Item(usize, Side),
    /// This block's own border: the segment leaves or enters the block.
    Border(Side),
}

/// The piece of an edge's route that lies in one block.
#[derive(Clone, Copy, Debug)]
pub(super) struct Segment {
    pub(super) edge: usize,
    pub(super) from: End,
    pub(super) to: End,
    /// The edge's segment at its lowest common block carries the label.
    pub(super) labelled: bool,
}

pub(super) struct Segments {
    /// The segments of each block, in edge order.
    pub(super) by_block: Vec<Vec<Segment>>,
    /// Each edge's blocks, in the order its segments join up (source end first).
    pub(super) paths: Vec<Vec<usize>>,
}

pub(super) fn split(tree: &Tree, ranks: &[Vec<usize>]) -> Segments {
    let mut by_block: Vec<Vec<Segment>> = vec![Vec::new(); tree.root() + 1];
    let mut paths: Vec<Vec<usize>> = vec![Vec::new(); tree.ends.len()];
    for (e, ends) in tree.ends.iter().enumerate() {
        let Some((a, b)) = *ends else { continue };
        if a == b {
            continue;
        }
        let l = tree.lca(a, b);
        let (ia, ib) = (tree.child_toward(l, a), tree.child_toward(l, b));
        let (ca, cb) = (ranks[l][tree.slot(ia)], ranks[l][tree.slot(ib)]);
        let (sa, sb) = match ca.cmp(&cb) {
            std::cmp::Ordering::Less => (Side::End, Side::Start),
            std::cmp::Ordering::Greater => (Side::Start, Side::End),
            std::cmp::Ordering::Equal => (Side::End, Side::End),
        };
        let mut path = Vec::new();
        for &c in tree.below(l, a).iter().rev() {
            let from = End::Item(tree.slot(tree.child_toward(c, a)), sa);
            by_block[c].push(Segment {
                edge: e,
                from,
                to: End::Border(sa),
                labelled: false,
            });
            path.push(c);
        }
        by_block[l].push(Segment {
            edge: e,
            from: End::Item(tree.slot(ia), sa),
            to: End::Item(tree.slot(ib), sb),
            labelled: true,
        });
        path.push(l);
        for &c in tree.below(l, b) {
            let to = End::Item(tree.slot(tree.child_toward(c, b)), sb);
            by_block[c].push(Segment {
                edge: e,
                from: End::Border(sb),
                to,
                labelled: false,
            });
            path.push(c);
        }
        paths[e] = path;
    }
    Segments { by_block, paths }
}
