//! Route: orthogonal polylines for every segment of a block, in two steps.
//!
//! [`reserve`] runs before the block is placed, because routes take room. A segment whose two
//! ends run in the same gap (items in adjacent columns, or two items of one column both
//! attached on their end side) gets one vertical *track* in it; if one of those ends is the
//! block's border it needs none and runs straight. Any other segment gets a track in the gap at
//! each item end and a *lane*, a line along the main axis above the block's content, that joins
//! them. Tracks and lanes are numbered in segment order. A labelled segment reserves room for
//! its label in the gap it leaves its source through, next to the source's column.
//!
//! [`route`] runs once the block is placed. A segment leaves its source item at its attachment
//! point, runs along the main axis to its track, along the track across to its target's
//! attachment point (or to its lane, along the lane, and along the track in the target's gap),
//! and into the target. Where a segment meets the block's border, the cross coordinate is the
//! block's *port* for its edge; the parent block continues the edge from there. A label sits in
//! the gap just outside its source's column, next to the segment's first piece (above it in LR,
//! to its right in TB). Every piece runs in a gap, a lane or the block's padding.
//!
//! Input: the [`Tree`], the block's ranks and segments, and for [`route`] also its
//! [`Placement`]. Output: a [`Reservation`], then the finished [`Block`]: positions and size
//! from the placement, and each segment's polyline, label box and border ports.

use std::collections::BTreeMap;

use super::Direction;
use super::metrics::{LANE, TRACK};
use super::place::Placement;
use super::rank::column_count;
use super::segment::{End, Segment, Side};
use super::tree::{Block, Tree};

/// The room a block's routes take, decided before it is placed. Gap `g` lies just before
/// column `g`; the last gap lies after the last column.
pub(super) struct Reservation {
    /// Tracks in each gap.
    pub(super) tracks: Vec<usize>,
    /// Room for labels in each gap, at its start (labels of segments leaving the column before
    /// it on its end side) and at its end (leaving the column after it on its start side).
    pub(super) room_start: Vec<f64>,
    pub(super) room_end: Vec<f64>,
    /// Lanes above the block's content.
    pub(super) lanes: usize,
    /// Per segment: (track in its source's gap, track in its target's gap, lane), `None` where
    /// unused.
    plan: Vec<(Option<usize>, Option<usize>, Option<usize>)>,
}

/// The gap a segment end runs in: the one on the item's attached side, or the padding on the
/// border's side.
fn gap_of(columns: &[usize], n_cols: usize, end: End) -> usize {
    match end {
        End::Item(i, Side::End) => columns[i] + 1,
        End::Item(i, Side::Start) => columns[i],
        End::Border(Side::Start) => 0,
        End::Border(Side::End) => n_cols,
    }
}

/// Tracks, lanes and label room for a block's segments.
pub(super) fn reserve(tree: &Tree, columns: &[usize], segments: &[Segment]) -> Reservation {
    let n_cols = column_count(columns);
    let mut tracks = vec![0usize; n_cols + 1];
    let mut room_start = vec![0.0f64; n_cols + 1];
    let mut room_end = vec![0.0f64; n_cols + 1];
    let mut lanes = 0usize;
    let mut plan = Vec::with_capacity(segments.len());
    for s in segments {
        let (gf, gt) = (
            gap_of(columns, n_cols, s.from),
            gap_of(columns, n_cols, s.to),
        );
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
            && let (End::Item(_, side), Some((lm, _))) = (s.from, tree.label_size[s.edge])
        {
            match side {
                Side::End => room_start[gf] = room_start[gf].max(lm + 8.0),
                Side::Start => room_end[gf] = room_end[gf].max(lm + 8.0),
            }
        }
    }
    Reservation {
        tracks,
        room_start,
        room_end,
        lanes,
        plan,
    }
}

/// Draw a placed block's segments along their reserved tracks and lanes.
pub(super) fn route(
    tree: &Tree,
    block: usize,
    columns: &[usize],
    segments: &[Segment],
    reserved: &Reservation,
    placed: Placement,
) -> Block {
    let Placement {
        sizes,
        pos,
        main,
        cross,
        gap_start,
        col_start,
        col_main,
        attach,
    } = placed;
    let n_cols = col_start.len();
    let gap_of = |end: End| gap_of(columns, n_cols, end);
    let (_, _, pad_cs, _) = tree.padding(block);
    let track_main = |g: usize, t: usize| {
        gap_start[g] + reserved.room_start[g] + 4.0 + t as f64 * TRACK + TRACK / 2.0
    };
    let lane_cross = |k: usize| pad_cs + k as f64 * LANE + LANE / 2.0;
    let border_main = |side: Side| if side == Side::End { main } else { 0.0 };
    let mut routes = BTreeMap::new();
    let mut labels = BTreeMap::new();
    let mut ports = BTreeMap::new();
    for (k, s) in segments.iter().enumerate() {
        // Where an end meets its item (a child block without a port for the edge: its middle).
        let point = |end: End, j: usize| -> Option<(f64, f64)> {
            let End::Item(i, side) = end else { return None };
            let (x, y) = pos[i];
            let (w, h) = sizes[i];
            let m = if side == Side::End { x + w } else { x };
            Some((m, y + attach[k][j].unwrap_or(h / 2.0)))
        };
        let (from, to) = (point(s.from, 0), point(s.to, 1));
        let (tf, tt, lane) = reserved.plan[k];
        let mut pts = Vec::with_capacity(6);
        match lane {
            None => match (s.from, s.to, from, to) {
                (End::Border(side), _, _, Some(q)) => {
                    ports.insert((s.edge, side == Side::End), q.1);
                    pts.extend([(border_main(side), q.1), q]);
                }
                (_, End::Border(side), Some(p), _) => {
                    ports.insert((s.edge, side == Side::End), p.1);
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
                            ports.insert((s.edge, side == Side::End), lc);
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
                            ports.insert((s.edge, side == Side::End), lc);
                            pts.push((border_main(side), lc));
                        }
                    }
                }
            }
        }
        if s.labelled
            && let (Some(p), End::Item(i, side), Some((lm, lc))) =
                (from, s.from, tree.label_size[s.edge])
        {
            // Start at the column's edge, not the item's: a narrower item leaves column
            // space that a neighbour in the same column may occupy across the cross axis.
            let col = columns[i];
            let m = if side == Side::End {
                col_start[col] + col_main[col] + 4.0
            } else {
                col_start[col] - 4.0 - lm
            };
            let c = match tree.dir {
                Direction::LR => p.1 - lc - 1.0,
                Direction::TB => p.1 + 3.0,
            };
            let c = c.clamp(0.0, (cross - lc).max(0.0));
            labels.insert(s.edge, [m, c, lm, lc]);
        }
        routes.insert(s.edge, pts);
    }
    Block {
        pos,
        main,
        cross,
        routes,
        labels,
        ports,
    }
}
