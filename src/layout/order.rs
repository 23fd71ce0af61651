//! Order: the items of each column, from the start of the cross axis (top in LR, left in TB).
//!
//! Items start in slot order. Two pairs of barycenter sweeps then reorder each column by
//! the mean position of its items' neighbours (items a segment of this block joins them to):
//! a forward sweep, column 1 onwards, looks at neighbours in earlier columns; a backward sweep,
//! from the second-to-last column down, at neighbours in later columns. An item with no such
//! neighbour keeps its own position as its key, and ties keep the current order, so the result
//! is deterministic. Order reads neither sizes nor child blocks.
//!
//! Input: one block's ranks and segments. Output: the slots of the block's items in each column,
//! in order.

use super::rank::column_count;
use super::segment::{End, Segment};

pub(super) fn order(columns: &[usize], segments: &[Segment]) -> Vec<Vec<usize>> {
    let mut col_items: Vec<Vec<usize>> = vec![Vec::new(); column_count(columns)];
    for (i, &c) in columns.iter().enumerate() {
        col_items[c].push(i);
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); columns.len()];
    for s in segments {
        if let (End::Item(a, _), End::Item(b, _)) = (s.from, s.to)
            && a != b
        {
            neighbours[a].push(b);
            neighbours[b].push(a);
        }
    }
    order_columns(&mut col_items, columns, &neighbours);
    col_items
}

/// Reorder items inside columns by the mean position of their neighbours in other columns:
/// a forward and a backward sweep, twice. Ties keep the current order, so the result is stable.
fn order_columns(col_items: &mut [Vec<usize>], columns: &[usize], neighbours: &[Vec<usize>]) {
    let n_items = columns.len();
    let mut position = vec![0.0f64; n_items];
    let refresh = |col_items: &[Vec<usize>], position: &mut [f64]| {
        for list in col_items {
            for (k, &i) in list.iter().enumerate() {
                position[i] = k as f64;
            }
        }
    };
    refresh(col_items, &mut position);
    let n_cols = col_items.len();
    for _ in 0..2 {
        for forward in [true, false] {
            let cols: Vec<usize> = if forward {
                (1..n_cols).collect()
            } else {
                (0..n_cols.saturating_sub(1)).rev().collect()
            };
            for c in cols {
                let mut keyed: Vec<(f64, usize, usize)> = col_items[c]
                    .iter()
                    .enumerate()
                    .map(|(k, &i)| {
                        let near: Vec<f64> = neighbours[i]
                            .iter()
                            .filter(|&&j| {
                                if forward {
                                    columns[j] < c
                                } else {
                                    columns[j] > c
                                }
                            })
                            .map(|&j| position[j])
                            .collect();
                        let key = if near.is_empty() {
                            k as f64
                        } else {
                            near.iter().sum::<f64>() / near.len() as f64
                        };
                        (key, k, i)
                    })
                    .collect();
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                col_items[c] = keyed.into_iter().map(|(_, _, i)| i).collect();
                for (k, &i) in col_items[c].iter().enumerate() {
                    position[i] = k as f64;
                }
            }
        }
    }
}
