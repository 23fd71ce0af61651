//! Route: the main axis (where columns, gaps and cluster borders go) and every edge's
//! orthogonal polyline.
//!
//! An edge runs along the main axis through columns and across the cross axis only in the
//! *gaps* between columns, which hold no boxes. In a gap, the links that share a port (a fan-out
//! from one node side, or a fan-in to one) form one *net* with one vertical *track*; every other
//! link is a net of its own. A net whose ends are level runs straight across. The others get
//! tracks in an order that avoids needless crossings (of two nets that both go down, the one
//! starting higher turns later; of two that go up, the one starting lower turns later), that never
//! lets two nets run on top of each other (a net that leaves at the height where another arrives
//! turns before it), and that reuses a track where the nets' spans are apart. A gap is as wide as
//! its tracks plus the padding of the cluster borders that end and start in it (nested borders
//! side by side) and room for a loop; a column is as long as its longest vertex, a label's
//! column as its longest label; a cluster's last column grows until the cluster is as long as
//! its title.
//!
//! An edge's polyline leaves its source node at its port, runs to its track in each gap (or
//! straight across), along the line of each dummy through the columns, and enters its target
//! at its port. Reversed edges are then turned around, so every polyline runs from the edge's
//! source to its target. A label sits in its dummy, above its line (LR) or before it (TB).
//!
//! Input: the [`Tree`], the [`Layered`] graph and the [`Placement`]. Output: a [`Routed`].

use std::collections::BinaryHeap;

use super::metrics::{EDGE_SEP, GAP, LOOP, TRACK};
use super::place::Placement;
use super::segment::Layered;
use super::tree::Tree;

pub(super) struct Routed {
    /// Where each column starts along the main axis, and its length.
    pub(super) col_start: Vec<f64>,
    pub(super) col_main: Vec<f64>,
    /// Where each block's box starts and ends along the main axis.
    pub(super) block_main: Vec<(f64, f64)>,
    /// Each edge's polyline as (main, cross) points, from its source to its target.
    pub(super) routes: Vec<Vec<(f64, f64)>>,
    /// Each edge's label box: (main, cross, main length, cross length).
    pub(super) labels: Vec<Option<[f64; 4]>>,
}

/// One net of a gap: the links that share a track.
struct Net {
    left: Vec<f64>,
    right: Vec<f64>,
    lo: f64,
    hi: f64,
    straight: bool,
}

pub(super) fn route(tree: &Tree, g: &Layered, p: &Placement) -> Routed {
    let root = tree.root();
    let n_cols = g.columns.len();
    let pin = |l: usize| {
        let link = &g.links[l];
        (
            p.top[link.left] + p.offset[l][0],
            p.top[link.right] + p.offset[l][1],
        )
    };

    // Nets and tracks, gap by gap (gap `c` lies just before column `c`).
    let mut by_gap: Vec<Vec<usize>> = vec![Vec::new(); n_cols + 1];
    for (l, link) in g.links.iter().enumerate() {
        by_gap[g.vertices[link.right].column].push(l);
    }
    let mut net_of = vec![0usize; g.links.len()];
    let mut track_of: Vec<Track> = Vec::new();
    let mut tracks = vec![0usize; n_cols + 1];
    // The gap's nets are the first `used` of `pool`, whose buffers every gap reuses.
    let mut index = rustc_hash::FxHashMap::<(bool, usize), usize>::default();
    let mut pool: Vec<Net> = Vec::new();
    for (gap, links) in by_gap.iter().enumerate() {
        index.clear();
        let mut used = 0;
        for &l in links {
            let key = match p.port[l] {
                [Some(port), _] | [None, Some(port)] => (true, port),
                [None, None] => (false, l),
            };
            let k = *index.entry(key).or_insert_with(|| {
                if used == pool.len() {
                    pool.push(Net {
                        left: Vec::new(),
                        right: Vec::new(),
                        lo: 0.0,
                        hi: 0.0,
                        straight: false,
                    });
                }
                let net = &mut pool[used];
                net.left.clear();
                net.right.clear();
                (net.lo, net.hi, net.straight) = (f64::INFINITY, f64::NEG_INFINITY, false);
                used += 1;
                used - 1
            });
            let (a, b) = pin(l);
            let net = &mut pool[k];
            net.left.push(a);
            net.right.push(b);
            net_of[l] = track_of.len() + k;
        }
        let nets = &mut pool[..used];
        for net in nets.iter_mut() {
            for &y in net.left.iter().chain(&net.right) {
                net.lo = net.lo.min(y);
                net.hi = net.hi.max(y);
            }
            net.straight = net.hi - net.lo < 1e-6;
        }
        let assigned = assign_tracks(nets);
        tracks[gap] = assigned
            .iter()
            .map(|t| match *t {
                Track::Straight => 0,
                Track::One(a) => a + 1,
                Track::Two(a, b, _) => a.max(b) + 1,
            })
            .max()
            .unwrap_or(0);
        track_of.extend(assigned);
    }

    // Cluster borders: how many nested boxes start (end) at each block's first (last) column.
    let mut nest_start = vec![1usize; root + 1];
    let mut nest_end = vec![1usize; root + 1];
    for &b in tree.top_down().iter().rev() {
        let parent = tree.parent[b];
        if b == root || parent == root {
            continue;
        }
        if g.span[b].0 == g.span[parent].0 {
            nest_start[parent] = nest_start[parent].max(nest_start[b] + 1);
        }
        if g.span[b].1 == g.span[parent].1 {
            nest_end[parent] = nest_end[parent].max(nest_end[b] + 1);
        }
    }
    let (pad_first, pad_last, _, _) = tree.cluster_padding();
    let (margin, _, _, _) = tree.padding(root);
    let mut room_left = vec![0.0f64; n_cols + 1];
    let mut room_right = vec![0.0f64; n_cols + 1];
    for b in 0..root {
        let (lo, hi) = g.span[b];
        room_right[lo] = room_right[lo].max(pad_first * nest_start[b] as f64);
        room_left[hi + 1] = room_left[hi + 1].max(pad_last * nest_end[b] as f64);
    }
    let mut loops = vec![false; n_cols + 1];
    for &(a, b) in tree.ends.iter().flatten() {
        if a == b {
            loops[g.vertices[a].column + 1] = true;
        }
    }
    for (room, looped) in room_left.iter_mut().zip(loops) {
        if looped {
            *room += LOOP;
        }
    }
    room_left[0] += margin;
    room_right[n_cols] += margin;
    let gap_width: Vec<f64> = (0..=n_cols)
        .map(|gap| {
            let t = tracks[gap];
            let need =
                room_left[gap] + room_right[gap] + if t > 0 { (t + 1) as f64 * TRACK } else { 0.0 };
            if gap == 0 || gap == n_cols {
                need
            } else {
                need.max(GAP)
            }
        })
        .collect();

    // Columns, widened until every cluster is as long as its title.
    let mut col_main: Vec<f64> = g
        .columns
        .iter()
        .map(|col| {
            col.iter()
                .map(|&v| {
                    let x = &g.vertices[v];
                    if x.label { x.main + 4.0 } else { x.main }
                })
                .fold(0.0, f64::max)
        })
        .collect();
    let starts = |col_main: &[f64]| {
        let mut gap_start = vec![0.0; n_cols + 1];
        let mut col_start = vec![0.0; n_cols];
        let mut m = 0.0;
        for c in 0..=n_cols {
            gap_start[c] = m;
            m += gap_width[c];
            if c < n_cols {
                col_start[c] = m;
                m += col_main[c];
            }
        }
        (gap_start, col_start, m)
    };
    let extent = |col_start: &[f64], col_main: &[f64], b: usize| {
        let (lo, hi) = g.span[b];
        (
            col_start[lo] - pad_first * nest_start[b] as f64,
            col_start[hi] + col_main[hi] + pad_last * nest_end[b] as f64,
        )
    };
    if tree.dir == super::Direction::LR {
        for _ in 0..=root {
            let (_, col_start, _) = starts(&col_main);
            let mut changed = false;
            for b in 0..root {
                let (s, e) = extent(&col_start, &col_main, b);
                let short = tree.title_length(b) - (e - s);
                if short > 1e-6 {
                    col_main[g.span[b].1] += short;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
    let (gap_start, col_start, total) = starts(&col_main);
    let mut block_main: Vec<(f64, f64)> = (0..root)
        .map(|b| extent(&col_start, &col_main, b))
        .collect();
    block_main.push((0.0, total));

    let track_main = |gap: usize, t: usize| {
        let used = if tracks[gap] > 0 {
            (tracks[gap] + 1) as f64 * TRACK
        } else {
            0.0
        };
        let slack = gap_width[gap] - room_left[gap] - room_right[gap] - used;
        gap_start[gap] + room_left[gap] + slack.max(0.0) / 2.0 + (t + 1) as f64 * TRACK
    };
    let node_start = |v: usize| {
        let c = g.vertices[v].column;
        col_start[c] + (col_main[c] - g.vertices[v].main) / 2.0
    };

    let mut routes = vec![Vec::new(); tree.ends.len()];
    let mut labels = vec![None; tree.ends.len()];
    for (e, chain) in g.chains.iter().enumerate() {
        let mut pts: Vec<(f64, f64)> = Vec::with_capacity(2 + 4 * chain.len());
        for (i, &l) in chain.iter().enumerate() {
            let link = &g.links[l];
            let (a, b) = pin(l);
            if i == 0 {
                pts.push((node_start(link.left) + g.vertices[link.left].main, a));
            }
            let c = g.vertices[link.right].column;
            match track_of[net_of[l]] {
                Track::Straight => {}
                Track::One(t) => {
                    let x = track_main(c, t);
                    pts.extend([(x, a), (x, b)]);
                }
                Track::Two(t1, t2, mid) => {
                    let (x1, x2) = (track_main(c, t1), track_main(c, t2));
                    pts.extend([(x1, a), (x1, mid), (x2, mid), (x2, b)]);
                }
            }
            let w = &g.vertices[link.right];
            if w.node.is_some() {
                pts.push((node_start(link.right), b));
            } else {
                pts.push((col_start[c], b));
                pts.push((col_start[c] + col_main[c], b));
                if w.label
                    && let Some((lm, lc)) = tree.label_size[e]
                {
                    let m = col_start[c] + (col_main[c] - lm) / 2.0;
                    labels[e] = Some([m, p.top[link.right], lm, lc]);
                }
            }
        }
        if g.reversed[e] {
            pts.reverse();
        }
        routes[e] = pts;
    }
    Routed {
        col_start,
        col_main,
        block_main,
        routes,
        labels,
    }
}

/// Heights closer than this count as level with each other.
const LEVEL: f64 = 2.0;

/// How a net crosses its gap.
#[derive(Clone, Copy)]
enum Track {
    /// Level: straight across.
    Straight,
    /// Along one vertical track.
    One(usize),
    /// A dogleg, for two nets that swap heights which the other leaves from: along a first
    /// track to the height given, across, and along a second track.
    Two(usize, usize, f64),
}

/// Tracks for a gap's nets, numbered from the gap's start.
fn assign_tracks(nets: &[Net]) -> Vec<Track> {
    let bent: Vec<usize> = (0..nets.len()).filter(|&k| !nets[k].straight).collect();
    if bent.is_empty() {
        return vec![Track::Straight; nets.len()];
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (mut down, mut up): (Vec<usize>, Vec<usize>) = bent
        .iter()
        .partition(|&&k| mean(&nets[k].right) >= mean(&nets[k].left));
    // Going down, the net starting higher turns later (further from the gap's start); going up,
    // the one starting lower does.
    down.sort_by(|&x, &y| {
        mean(&nets[y].left)
            .total_cmp(&mean(&nets[x].left))
            .then(mean(&nets[y].right).total_cmp(&mean(&nets[x].right)))
            .then(x.cmp(&y))
    });
    up.sort_by(|&x, &y| {
        mean(&nets[x].left)
            .total_cmp(&mean(&nets[y].left))
            .then(mean(&nets[x].right).total_cmp(&mean(&nets[y].right)))
            .then(x.cmp(&y))
    });
    // Arcs "turns before": along each sorted list (soft: fewer crossings), and from a net
    // leaving at a height to a net arriving at it (hard: else their level pieces would run on
    // top of each other).
    let mut arcs: Vec<(usize, usize, bool)> = Vec::new();
    let mut waiting = vec![[0usize; 2]; nets.len()];
    for list in [&down, &up] {
        for w in list.windows(2) {
            arcs.push((w[0], w[1], false));
            waiting[w[1]][0] += 1;
        }
    }
    let mut arriving: Vec<(f64, usize)> = bent
        .iter()
        .flat_map(|&k| nets[k].right.iter().map(move |&y| (y, k)))
        .collect();
    arriving.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for &k in &bent {
        for &y in &nets[k].left {
            let from = arriving.partition_point(|a| a.0 < y - LEVEL);
            for &(z, other) in &arriving[from..] {
                if z > y + LEVEL {
                    break;
                }
                if other != k {
                    arcs.push((k, other, true));
                    waiting[other][1] += 1;
                }
            }
        }
    }
    // Each net's arcs, in one list by net: `before[at[k]..at[k + 1]]`.
    arcs.sort_unstable_by_key(|&(from, _, _)| from);
    let before: Vec<(usize, bool)> = arcs.iter().map(|&(_, to, hard)| (to, hard)).collect();
    let mut at = vec![0usize; nets.len() + 1];
    for &(from, _, _) in &arcs {
        at[from + 1] += 1;
    }
    for k in 0..nets.len() {
        at[k + 1] += at[k];
    }
    // Topological order, the highest span first among those ready. A cycle of soft arcs is
    // broken by ignoring them; a cycle of hard arcs by a dogleg: the net's first track comes
    // now, its second after every other.
    let quantize = |y: f64| (y * 64.0).round() as i64;
    let key = |k: usize| std::cmp::Reverse((quantize(nets[k].lo), k));
    let mut ready: BinaryHeap<std::cmp::Reverse<(i64, usize)>> = bent
        .iter()
        .filter(|&&k| waiting[k] == [0, 0])
        .map(|&k| key(k))
        .collect();
    let mut done = vec![false; nets.len()];
    let mut dogleg = vec![false; nets.len()];
    // (net, part): 0 the whole net, 1 a dogleg's first track, 2 its second.
    let mut order: Vec<(usize, u8)> = Vec::with_capacity(bent.len());
    loop {
        while let Some(std::cmp::Reverse((_, k))) = ready.pop() {
            if done[k] {
                continue;
            }
            done[k] = true;
            order.push((k, u8::from(dogleg[k])));
            for &(j, hard) in &before[at[k]..at[k + 1]] {
                waiting[j][usize::from(hard)] -= 1;
                if waiting[j] == [0, 0] {
                    ready.push(key(j));
                }
            }
        }
        let left = || bent.iter().copied().filter(|&k| !done[k]);
        let free = left()
            .filter(|&k| waiting[k][1] == 0)
            .min_by_key(|&k| key(k).0);
        match free.or_else(|| left().min_by_key(|&k| key(k).0)) {
            Some(k) => {
                dogleg[k] = waiting[k][1] > 0;
                ready.push(key(k));
            }
            None => break,
        }
    }
    order.extend((0..nets.len()).filter(|&k| dogleg[k]).map(|k| (k, 2)));
    // A dogleg crosses at the middle of the widest stretch of its span free of other heights.
    let mut heights: Vec<f64> = nets
        .iter()
        .flat_map(|n| n.left.iter().chain(&n.right).copied())
        .collect();
    heights.sort_by(f64::total_cmp);
    let middle = |heights: &[f64], k: usize| {
        let (lo, hi) = (nets[k].lo, nets[k].hi);
        let inside: Vec<f64> = std::iter::once(lo)
            .chain(heights.iter().copied().filter(|&y| y > lo && y < hi))
            .chain(std::iter::once(hi))
            .collect();
        inside
            .windows(2)
            .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])))
            .map_or(f64::midpoint(lo, hi), |w| f64::midpoint(w[0], w[1]))
    };
    // Each dogleg's crossing height counts as taken for the next, so no two cross on one line.
    let mut mids = vec![0.0; nets.len()];
    for k in (0..nets.len()).filter(|&k| dogleg[k]) {
        let mid = middle(&heights, k);
        mids[k] = mid;
        let at = heights.partition_point(|&y| y < mid);
        heights.insert(at, mid);
    }
    let span = |k: usize, part: u8| -> (f64, f64) {
        let pins: &[f64] = match part {
            1 => &nets[k].left,
            2 => &nets[k].right,
            _ => return (nets[k].lo, nets[k].hi),
        };
        pins.iter()
            .fold((mids[k], mids[k]), |(a, b), &y| (a.min(y), b.max(y)))
    };
    // First fit: each part takes the first track after every earlier part its span meets.
    let clear = EDGE_SEP / 2.0;
    let mut points: Vec<i64> = order
        .iter()
        .flat_map(|&(k, part)| {
            let (lo, hi) = span(k, part);
            [quantize(lo - clear), quantize(hi + clear)]
        })
        .collect();
    points.sort_unstable();
    points.dedup();
    let at = |y: f64| points.partition_point(|&p| p < quantize(y));
    let mut spans = MaxTree::new(points.len());
    let mut out = vec![Track::Straight; nets.len()];
    for &(k, part) in &order {
        let (lo, hi) = span(k, part);
        let (l, r) = (at(lo - clear), at(hi + clear));
        let t = spans.max(l, r);
        spans.raise(l, r, t + 1);
        out[k] = match (part, out[k]) {
            (2, Track::Two(first, _, mid)) => Track::Two(first, t, mid),
            (1, _) => Track::Two(t, t, mids[k]),
            _ => Track::One(t),
        };
    }
    out
}

/// Maximum over ranges with "raise a range to at least v" updates (a segment tree whose nodes
/// keep the largest value raised anywhere below them and the largest raised over all of them).
struct MaxTree {
    n: usize,
    below: Vec<usize>,
    whole: Vec<usize>,
}

impl MaxTree {
    fn new(n: usize) -> Self {
        let size = 4 * n.max(1);
        MaxTree {
            n: n.max(1),
            below: vec![0; size],
            whole: vec![0; size],
        }
    }

    /// The largest value raised over any point of `l..=r`.
    fn max(&self, l: usize, r: usize) -> usize {
        self.query(1, 0, self.n - 1, l, r)
    }

    fn query(&self, node: usize, nl: usize, nr: usize, l: usize, r: usize) -> usize {
        if r < nl || nr < l {
            return 0;
        }
        if l <= nl && nr <= r {
            return self.below[node];
        }
        let mid = usize::midpoint(nl, nr);
        self.whole[node]
            .max(self.query(2 * node, nl, mid, l, r))
            .max(self.query(2 * node + 1, mid + 1, nr, l, r))
    }

    /// Raise every point of `l..=r` to at least `v`.
    fn raise(&mut self, l: usize, r: usize, v: usize) {
        self.update(1, 0, self.n - 1, l, r, v);
    }

    fn update(&mut self, node: usize, nl: usize, nr: usize, l: usize, r: usize, v: usize) {
        if r < nl || nr < l {
            return;
        }
        self.below[node] = self.below[node].max(v);
        if l <= nl && nr <= r {
            self.whole[node] = self.whole[node].max(v);
            return;
        }
        let mid = usize::midpoint(nl, nr);
        self.update(2 * node, nl, mid, l, r, v);
        self.update(2 * node + 1, mid + 1, nr, l, r, v);
    }
}
