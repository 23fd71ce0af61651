//! Rank: the column of every item in its block.
//!
//! An edge counts in the block where its ends' chains of clusters meet, as a link from the item
//! there that holds its source to the item that holds its target. Each block's columns are a
//! longest-path layering of its links: an item sits one column after the highest-ranked item
//! that links to it, and items nothing links to sit in column 0. Links that close a cycle (found
//! by a depth-first search in document order) are left out, so every kept link runs to a later
//! column. Ranks do not depend on sizes, so every block is ranked at once.
//!
//! Input: the [`Tree`]. Output: for each block, the column of each of its items, by slot.

use super::tree::Tree;

pub(super) fn rank(tree: &Tree) -> Vec<Vec<usize>> {
    let mut adjacency: Vec<Vec<Vec<usize>>> = tree
        .children
        .iter()
        .map(|k| vec![Vec::new(); k.len()])
        .collect();
    for ends in &tree.ends {
        let Some((a, b)) = *ends else { continue };
        if a == b {
            continue;
        }
        let l = tree.lca(a, b);
        let (ia, ib) = (
            tree.slot(tree.child_toward(l, a)),
            tree.slot(tree.child_toward(l, b)),
        );
        if ia != ib {
            adjacency[l][ia].push(ib);
        }
    }
    adjacency.iter().map(|a| longest_path(a)).collect()
}

/// The number of columns that `columns` (one block's ranks) use.
pub(super) fn column_count(columns: &[usize]) -> usize {
    columns.iter().max().map_or(0, |m| m + 1)
}

/// Longest-path layering of a directed graph given as adjacency lists. Edges that close a cycle
/// (found by an iterative depth-first search) are ignored.
fn longest_path(adjacency: &[Vec<usize>]) -> Vec<usize> {
    let n = adjacency.len();
    // 0 = unvisited, 1 = on stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut topo = Vec::with_capacity(n);
    let mut keep: Vec<Vec<usize>> = vec![Vec::new(); n];
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = adjacency[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        keep[v].push(w);
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    2 => keep[v].push(w),
                    _ => {} // back edge: closes a cycle
                }
            } else {
                state[v] = 2;
                topo.push(v);
                stack.pop();
            }
        }
    }
    // `topo` is a post-order: reversed, it is a topological order of the kept edges.
    let mut rank = vec![0usize; n];
    for &v in topo.iter().rev() {
        for &w in &keep[v] {
            rank[w] = rank[w].max(rank[v] + 1);
        }
    }
    rank
}
