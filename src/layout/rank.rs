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
//! 4. Node columns are twice the layers: the odd columns between them hold the edges passing by
//!    and their labels.
//!
//! Input: the [`Tree`]. Output: [`Ranks`].

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
    let reversed = back_edges(&out, &in_degree, tree.ends.len());

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
    let topo = topological(&succ, &pred);
    let mut layer = vec![0usize; n];
    for &v in &topo {
        for &w in &succ[v] {
            layer[w] = layer[w].max(layer[v] + 1);
        }
    }
    balance(&mut layer, &topo, &succ, &pred);
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
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> = (0..n)
        .filter(|&v| waiting[v] == 0)
        .map(std::cmp::Reverse)
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse(v)) = ready.pop() {
        order.push(v);
        for &w in &succ[v] {
            waiting[w] -= 1;
            if waiting[w] == 0 {
                ready.push(std::cmp::Reverse(w));
            }
        }
    }
    order
}

/// Move nodes toward the side with more edges, within their neighbours' layers.
fn balance(layer: &mut [usize], topo: &[usize], succ: &[Vec<usize>], pred: &[Vec<usize>]) {
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
            let target = target.max(lo).min(hi.unwrap_or(usize::MAX));
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
