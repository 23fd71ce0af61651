//! Place: the size of a block and the position of each of its items, in the block's own
//! (main, cross) coordinates.
//!
//! Along the main axis, columns follow each other with a gap before each one and after the
//! last; each column is as long as its longest item, and each gap as wide as the larger of its
//! base width (padding or [`GAP`]) and the tracks and labels the routes reserved in it. Across,
//! the lanes the routes reserved come first, then the columns, each stacked with [`NODE_SEP`]
//! between items and centred on the tallest. A cluster block is at least as wide as its title.
//!
//! Then single-node columns are straightened: the node moves across so that its edge to a
//! neighbouring column runs straight (toward later columns first, then, for nodes not yet
//! moved, toward earlier ones); blocks stay where they are. The block then grows across to hold
//! every item and every label.
//!
//! Input: the block's items and their sizes (child blocks are laid out before their parent),
//! its ranks, order and segments, the room its routes reserved, and its child blocks' ports.
//! Output: a [`Placement`]: item sizes and positions, the block's size, where each gap and
//! column starts, and where each segment meets its items.

// Paired names (pad_ms/pad_me, pad_cs/pad_ce) mirror the geometry they name.
#![allow(clippy::similar_names)]

use std::collections::BTreeMap;

use super::Direction;
use super::metrics::{GAP, LANE, NODE_SEP, PAD, TRACK, text_width};
use super::route::Reservation;
use super::segment::{End, Segment, Side};
use super::tree::{Block, Item, Tree};

/// One block placed, in its own (main, cross) coordinates.
pub(super) struct Placement {
    /// Size of each item, by slot.
    pub(super) sizes: Vec<(f64, f64)>,
    /// Position (top-left corner) of each item, by slot.
    pub(super) pos: Vec<(f64, f64)>,
    /// Size of the block.
    pub(super) main: f64,
    pub(super) cross: f64,
    /// Where each gap starts along the main axis: gap `g` lies just before column `g`, and the
    /// last gap after the last column.
    pub(super) gap_start: Vec<f64>,
    /// Where each column starts along the main axis, and its length.
    pub(super) col_start: Vec<f64>,
    pub(super) col_main: Vec<f64>,
    /// For each segment, where its (from, to) ends meet their items: a cross offset from the
    /// item's start. `None` at the block's border, and at a child block without a port for it.
    pub(super) attach: Vec<[Option<f64>; 2]>,
}

pub(super) fn place(
    tree: &Tree,
    block: usize,
    columns: &[usize],
    col_items: &[Vec<usize>],
    segments: &[Segment],
    reserved: &Reservation,
    blocks: &[Block],
) -> Placement {
    let items = &tree.children[block];
    let n_cols = col_items.len();
    let sizes = tree.item_sizes(block, blocks);
    let attach = attachments(items, segments, &sizes, blocks);

    // Sizes along the main axis.
    let (pad_ms, pad_me, pad_cs, pad_ce) = tree.padding(block);
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
        let tracks = reserved.tracks[g];
        let need = reserved.room_start[g]
            + reserved.room_end[g]
            + tracks as f64 * TRACK
            + if tracks > 0 { 8.0 } else { 0.0 };
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
    let lanes = reserved.lanes;
    let lanes_cross = lanes as f64 * LANE;
    let content_start = pad_cs + lanes_cross + if lanes > 0 { 4.0 } else { 0.0 };
    let col_cross: Vec<f64> = col_items
        .iter()
        .map(|c| {
            c.iter().map(|&i| sizes[i].1).sum::<f64>() + NODE_SEP * c.len().saturating_sub(1) as f64
        })
        .collect();
    let content = col_cross.iter().copied().fold(0.0, f64::max);
    let mut cross = content_start + content + pad_ce;

    // A cluster box is at least as long as its title.
    if block != tree.root() {
        let c = &tree.view.clusters[block];
        let title = text_width(&c.label, 13.0)
            .max(c.detail.as_deref().map_or(0.0, |d| text_width(d, 10.0)));
        let needed = title + 2.0 * PAD + 8.0;
        match tree.dir {
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
    straighten(
        &mut pos,
        content_start,
        items,
        columns,
        col_items,
        segments,
        &attach,
    );

    let lowest = pos
        .iter()
        .zip(&sizes)
        .map(|(p, s)| p.1 + s.1)
        .fold(0.0, f64::max);
    cross = cross.max(lowest + pad_ce);
    // A label lies inside the block across the cross axis (in TB that is its text's width):
    // the block is at least that wide, or a long label sticks out of it.
    for s in segments.iter().filter(|s| s.labelled) {
        if let (End::Item(..), Some((_, lc))) = (s.from, tree.label_size[s.edge]) {
            cross = cross.max(lc);
        }
    }

    Placement {
        sizes,
        pos,
        main,
        cross,
        gap_start,
        col_start,
        col_main,
        attach,
    }
}

/// Where each segment end meets its item, as a cross offset from the item's start. On a node's
/// side the ends that use it share it evenly, one slot each in segment order; on a child block
/// an end meets the block's port for its edge.
fn attachments(
    items: &[Item],
    segments: &[Segment],
    sizes: &[(f64, f64)],
    blocks: &[Block],
) -> Vec<[Option<f64>; 2]> {
    let mut count: BTreeMap<(usize, bool), usize> = BTreeMap::new();
    let mut slots: Vec<[Option<usize>; 2]> = vec![[None, None]; segments.len()];
    for (k, s) in segments.iter().enumerate() {
        for (j, end) in [s.from, s.to].into_iter().enumerate() {
            if let End::Item(i, side) = end
                && matches!(items[i], Item::Node(_))
            {
                let n = count.entry((i, side == Side::End)).or_insert(0);
                slots[k][j] = Some(*n);
                *n += 1;
            }
        }
    }
    segments
        .iter()
        .zip(&slots)
        .map(|(s, slots)| {
            let offset = |end: End, slot: Option<usize>| -> Option<f64> {
                let End::Item(i, side) = end else {
                    return None;
                };
                Some(match items[i] {
                    Item::Node(_) => {
                        let slot = slot?;
                        let count = count.get(&(i, side == Side::End)).copied().unwrap_or(1);
                        sizes[i].1 * (slot + 1) as f64 / (count + 1) as f64
                    }
                    Item::Cluster(c) => *blocks[c].ports.get(&(s.edge, side == Side::End))?,
                })
            };
            [offset(s.from, slots[0]), offset(s.to, slots[1])]
        })
        .collect()
}

/// Straighten: a column holding a single node moves it along the cross axis so that its edge to
/// a neighbouring column runs straight. Right to left first (towards what it feeds), then left
/// to right for nodes that feed nothing. Blocks stay where they are. No item moves above
/// `content_start`.
fn straighten(
    pos: &mut [(f64, f64)],
    content_start: f64,
    items: &[Item],
    columns: &[usize],
    col_items: &[Vec<usize>],
    segments: &[Segment],
    attach: &[[Option<f64>; 2]],
) {
    // Per item: (other item, segment, this item's end, the other's end).
    let mut links: Vec<Vec<(usize, usize, usize, usize)>> = vec![Vec::new(); items.len()];
    for (k, s) in segments.iter().enumerate() {
        if let (End::Item(a, _), End::Item(b, _)) = (s.from, s.to)
            && a != b
        {
            links[a].push((b, k, 0, 1));
            links[b].push((a, k, 1, 0));
        }
    }
    let n_cols = col_items.len();
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
                Some(pos[other].1 + attach[k][theirs]? - attach[k][mine]?)
            });
            if let Some(y) = target {
                pos[i].1 = y.max(content_start);
                aligned[i] = true;
            }
        }
    }
}
