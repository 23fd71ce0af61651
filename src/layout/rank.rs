//! Rank: the column of every node, for the whole drawing at once (clusters do not have columns
//! of their own: a cluster's box spans the columns of its members).
//!
//! 1. **Cycles.** A depth-first search from the nodes nothing points to (in view order, then the
//!    rest) finds the edges that close a cycle; they are *reversed*: laid out from their target
//!    to their source, and drawn pointing back. Only real cycles reverse an edge.
//! 2. **Layers.** Longest path from the sources, then balancing passes that move each node
//!    between its neighbours' layers toward the side with more edges (a node with more edges out
//!    than in moves as late as it can, one with more in than out as early as it can), which
//!    shortens edges: an actor sits just before its load balancer, a file system just after its
//!    volume, a load balancer between its callers and its listeners.
//! 3. **Cohesion.** A group of nodes connected only among themselves inside one cluster (a
//!    sidecar with no edges, say) starts at the first layer of that cluster's other nodes, so the
//!    cluster does not stretch back to layer 0.
//! 4. **Tiers.** When the model gives tiers (`layout: {tier}`; a node without one takes its
//!    nearest cluster's), every node of a lower tier comes before every node of a higher one:
//!    edges from a higher tier to a lower one are reversed, and so is any edge that would make
//!    a node wait for a higher tier (see [`tier_reversals`]); each tier starts after the last
//!    layer of the one before, and balancing keeps nodes inside their tier's layers.
//! 5. Node columns are twice the layers: the odd columns between them hold the edges passing by
//!    and their labels.
//!
//! Input: the [`Tree`]. Output: [`Ranks`].

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::tree::Tree;

pub(super) struct Ranks {
    /// Column of each node: always even.
    pub(super) column: Vec<usize>,
    /// Number of columns.
    pub(super) columns: usize,
    /// Per edge: laid out from its target to its source because it closes a cycle.
    pub(super) reversed: Vec<bool>,
}

/// Balancing passes at most (each moves a node only to shorten its edges, so they stop early).
const BALANCE_PASSES: usize = 8;

pub(super) fn rank(tree: &Tree) -> Ranks {
    let n = tree.view.nodes.len();
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut in_degree = vec![0usize; n];
    for (e, ends) in tree.ends.iter().enumerate() {
        if let Some((a, b)) = *ends
            && a != b
        {
            out[a].push((b, e));
            in_degree[b] += 1;
        }
    }
    let tiered = tree.tier.iter().any(Option::is_some);
    let (reversed, tier_order) = if tiered {
        let (reversed, order) = tier_reversals(tree, &out);
        (reversed, Some(order))
    } else {
        (back_edges(&out, &in_degree, tree.ends.len()), None)
    };

    // The acyclic graph: every kept link runs from `succ`'s owner to a later layer.
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, ends) in tree.ends.iter().enumerate() {
        if let Some((a, b)) = *ends
            && a != b
        {
            let (a, b) = if reversed[e] { (b, a) } else { (a, b) };
            succ[a].push(b);
            pred[b].push(a);
        }
    }
    let topo = tier_order.unwrap_or_else(|| topological(&succ, &pred));
    let mut layer = vec![0usize; n];
    // Tiers: the first layer each tier may use, once every lower tier has its layers (the
    // order `topo` gives every node of a lower tier first).
    let mut tier_floor: Option<(u32, usize, usize)> = None; // (tier, its floor, its highest layer)
    for &v in &topo {
        if let Some(t) = tree.tier[v] {
            let (floor, top) = match tier_floor {
                Some((current, floor, top)) if current == t => (floor, top),
                Some((_, _, top)) => (top + 1, top),
                None => (0, 0),
            };
            layer[v] = layer[v].max(floor);
            tier_floor = Some((t, floor, top.max(layer[v])));
        }
        for &w in &succ[v] {
            layer[w] = layer[w].max(layer[v] + 1);
        }
    }
    let bounds = tiered.then(|| tier_bounds(tree, &layer));
    balance(&mut layer, &topo, &succ, &pred, bounds.as_deref());
    cohere(tree, &mut layer, &succ, &pred);
    let least = layer.iter().copied().min().unwrap_or(0);
    let column: Vec<usize> = layer.iter().map(|l| 2 * (l - least)).collect();
    let columns = column.iter().max().map_or(0, |m| m + 1);
    Ranks {
        column,
        columns,
        reversed,
    }
}

/// With tiers: which edges are laid out backwards, and an order of the nodes in which every
/// kept edge runs forwards and the tiers come one after the other (every node of a tier after
/// every node of a lower one; nodes without a tier anywhere).
///
/// An edge from a higher tier to a lower one is reversed; then the edges that close a cycle
/// among the rest (depth-first, as without tiers). A topological sort of what is left takes
/// the tiers in turn; where a node of the current tier still waits for an edge from a higher
/// tier's side, it goes anyway (the fewest waiting edges first), and those edges are reversed
/// too.
fn tier_reversals(tree: &Tree, out: &[Vec<(usize, usize)>]) -> (Vec<bool>, Vec<usize>) {
    let n = out.len();
    let edges = tree.ends.len();
    let against =
        |a: usize, b: usize| matches!((tree.tier[a], tree.tier[b]), (Some(x), Some(y)) if x > y);
    let mut flipped = vec![false; edges];
    let mut out2: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut in_degree = vec![0usize; n];
    for (a, list) in out.iter().enumerate() {
        for &(b, e) in list {
            let (x, y) = if against(a, b) {
                flipped[e] = true;
                (b, a)
            } else {
                (a, b)
            };
            out2[x].push((y, e));
            in_degree[y] += 1;
        }
    }
    let back = back_edges(&out2, &in_degree, edges);
    // The acyclic graph so far, with the edge behind each arc.
    let mut succ: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut waiting = vec![0usize; n];
    for (a, list) in out2.iter().enumerate() {
        for &(b, e) in list {
            let (x, y) = if back[e] { (b, a) } else { (a, b) };
            succ[x].push((y, e));
            waiting[y] += 1;
        }
    }
    let mut tiers: Vec<u32> = tree.tier.iter().flatten().copied().collect();
    tiers.sort_unstable();
    tiers.dedup();
    let tier_index = |v: usize| tree.tier[v].map(|t| tiers.partition_point(|&x| x < t));
    // Per tier, its nodes and how many are not yet placed.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); tiers.len()];
    for v in 0..n {
        if let Some(k) = tier_index(v) {
            members[k].push(v);
        }
    }
    let mut left_in_tier: Vec<usize> = members.iter().map(Vec::len).collect();
    let mut current = 0;
    // Nodes whose edges in have all been placed: without a tier, and per tier.
    let mut free: BinaryHeap<Reverse<usize>> = BinaryHeap::new();
    let mut ready_tier: Vec<BinaryHeap<Reverse<usize>>> = vec![BinaryHeap::new(); tiers.len()];
    let push = |v: usize, free: &mut BinaryHeap<_>, ready_tier: &mut [BinaryHeap<_>]| {
        match tier_index(v) {
            Some(k) => ready_tier[k].push(Reverse(v)),
            None => free.push(Reverse(v)),
        }
    };
    for (v, _) in waiting.iter().enumerate().filter(|(_, w)| **w == 0) {
        push(v, &mut free, &mut ready_tier);
    }
    let mut placed = vec![false; n];
    let mut position = vec![usize::MAX; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        while current < tiers.len() && left_in_tier[current] == 0 {
            current += 1;
        }
        let next = if let Some(Reverse(v)) = free.pop() {
            Some(v)
        } else if let Some(Reverse(v)) = ready_tier.get_mut(current).and_then(BinaryHeap::pop) {
            Some(v)
        } else {
            // Stuck: a node of the current tier waits for a higher tier's side; the one waiting
            // for the fewest edges goes now.
            members.get(current).and_then(|list| {
                list.iter()
                    .copied()
                    .filter(|&v| !placed[v])
                    .min_by_key(|&v| (waiting[v], v))
            })
        };
        let Some(v) = next else { break };
        if placed[v] {
            continue;
        }
        placed[v] = true;
        position[v] = order.len();
        order.push(v);
        if let Some(k) = tier_index(v) {
            left_in_tier[k] -= 1;
        }
        for &(w, _) in &succ[v] {
            if waiting[w] > 0 {
                waiting[w] -= 1;
                if waiting[w] == 0 && !placed[w] {
                    push(w, &mut free, &mut ready_tier);
                }
            }
        }
    }
    let mut reversed = vec![false; edges];
    for (a, list) in succ.iter().enumerate() {
        for &(b, e) in list {
            // The arc a → b stands for edge e as laid out so far; it runs backwards in the
            // order when b went first.
            let laid_out_back = flipped[e] ^ back[e];
            reversed[e] = laid_out_back ^ (position[b] < position[a]);
        }
    }
    (reversed, order)
}

/// With tiers: the layers each node may move within while balancing, so the tiers stay one
/// after the other: a node of a tier from its tier's first layer to the layer before the next
/// tier's first.
fn tier_bounds(tree: &Tree, layer: &[usize]) -> Vec<(usize, usize)> {
    let mut first: std::collections::BTreeMap<u32, usize> = std::collections::BTreeMap::new();
    for (v, t) in tree.tier.iter().enumerate() {
        if let Some(t) = *t {
            let f = first.entry(t).or_insert(layer[v]);
            *f = (*f).min(layer[v]);
        }
    }
    tree.tier
        .iter()
        .map(|t| match *t {
            Some(t) => {
                let lo = first[&t];
                let hi = first
                    .range(t + 1..)
                    .next()
                    .map_or(usize::MAX, |(_, &f)| f - 1);
                (lo, hi)
            }
            None => (0, usize::MAX),
        })
        .collect()
}

/// The edges that close a cycle in an iterative depth-first search started from the nodes
/// without incoming edges (then from the rest), in view order.
fn back_edges(out: &[Vec<(usize, usize)>], in_degree: &[usize], edges: usize) -> Vec<bool> {
    let n = out.len();
    let mut reversed = vec![false; edges];
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n];
    let starts = (0..n)
        .filter(|&v| in_degree[v] == 0)
        .chain((0..n).filter(|&v| in_degree[v] > 0));
    for start in starts {
        if state[start] != 0 {
            continue;
        }
        state[start] = 1;
        let mut stack = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(w, e)) = out[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[e] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

/// A topological order of an acyclic graph (Kahn's algorithm, smallest index first among
/// equals, so it is deterministic).
fn topological(succ: &[Vec<usize>], pred: &[Vec<usize>]) -> Vec<usize> {
    let n = succ.len();
    let mut waiting: Vec<usize> = pred.iter().map(Vec::len).collect();
    let mut ready: BinaryHeap<Reverse<usize>> =
        (0..n).filter(|&v| waiting[v] == 0).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(v)) = ready.pop() {
        order.push(v);
        for &w in &succ[v] {
            waiting[w] -= 1;
            if waiting[w] == 0 {
                ready.push(Reverse(w));
            }
        }
    }
    order
}

/// Move nodes toward the side with more edges, within their neighbours' layers (and their
/// tier's, when given).
fn balance(
    layer: &mut [usize],
    topo: &[usize],
    succ: &[Vec<usize>],
    pred: &[Vec<usize>],
    bounds: Option<&[(usize, usize)]>,
) {
    for pass in 0..BALANCE_PASSES {
        let mut changed = false;
        let order: Box<dyn Iterator<Item = &usize>> = if pass % 2 == 0 {
            Box::new(topo.iter().rev())
        } else {
            Box::new(topo.iter())
        };
        for &v in order {
            let lo = pred[v].iter().map(|&p| layer[p] + 1).max().unwrap_or(0);
            let hi = succ[v].iter().map(|&s| layer[s] - 1).min();
            let target = match pred[v].len().cmp(&succ[v].len()) {
                std::cmp::Ordering::Greater => lo,
                std::cmp::Ordering::Less => hi.unwrap_or(layer[v]),
                std::cmp::Ordering::Equal => layer[v],
            };
            let (floor, ceiling) = bounds.map_or((0, usize::MAX), |b| b[v]);
            let target = target
                .max(lo)
                .min(hi.unwrap_or(usize::MAX))
                .clamp(floor.min(layer[v]), ceiling.max(layer[v]));
            if target != layer[v] {
                layer[v] = target;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Groups of nodes connected only among themselves, all inside one cluster, start at the first
/// layer of that cluster's other nodes.
fn cohere(tree: &Tree, layer: &mut [usize], succ: &[Vec<usize>], pred: &[Vec<usize>]) {
    let n = layer.len();
    let root = tree.root();
    // Weakly connected components.
    let mut component = vec![usize::MAX; n];
    let mut members: Vec<Vec<usize>> = Vec::new();
    for start in 0..n {
        if component[start] != usize::MAX {
            continue;
        }
        let id = members.len();
        component[start] = id;
        let mut list = vec![start];
        let mut k = 0;
        while k < list.len() {
            let v = list[k];
            k += 1;
            for &w in succ[v].iter().chain(&pred[v]) {
                if component[w] == usize::MAX {
                    component[w] = id;
                    list.push(w);
                }
            }
        }
        members.push(list);
    }
    // For every block, the two lowest layers of its nodes that come from different components.
    let mut lowest: Vec<[Option<(usize, usize)>; 2]> = vec![[None, None]; root + 1];
    for v in 0..n {
        let entry = (layer[v], component[v]);
        for &b in tree.chain(tree.block_of[v]) {
            let slot = &mut lowest[b];
            match slot[0] {
                None => slot[0] = Some(entry),
                Some(first) if first.1 == entry.1 => {
                    if entry.0 < first.0 {
                        slot[0] = Some(entry);
                    }
                }
                Some(first) => {
                    if entry.0 < first.0 {
                        slot[1] = Some(first);
                        slot[0] = Some(entry);
                    } else if slot[1].is_none_or(|s| entry.0 < s.0) {
                        slot[1] = Some(entry);
                    }
                }
            }
        }
    }
    let before = layer.to_vec();
    for (id, list) in members.iter().enumerate() {
        // Tiers hold their nodes where they are.
        if list.iter().any(|&v| tree.tier[v].is_some()) {
            continue;
        }
        // The lowest block holding the whole component.
        let mut common: &[usize] = tree.chain(tree.block_of[list[0]]);
        for &v in &list[1..] {
            let other = tree.chain(tree.block_of[v]);
            let same = common.iter().zip(other).take_while(|(a, b)| a == b).count();
            common = &common[..same];
        }
        let Some(&block) = common.last() else {
            continue;
        };
        let target = match lowest[block] {
            [Some(first), _] if first.1 != id => Some(first.0),
            [_, Some(second)] => Some(second.0),
            _ => None,
        };
        let Some(target) = target else { continue };
        let least = list.iter().map(|&v| before[v]).min().unwrap_or(0);
        for &v in list {
            layer[v] = before[v] - least + target;
        }
    }
}
