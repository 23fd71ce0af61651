//! Rows: a list of items per vertex, all in one flat array (compressed rows), so that reading
//! the lists of many vertices does not chase one allocation per vertex. At 10,000 services the
//! layered graph has about 375,000 vertices, and the order and place phases read their
//! neighbours many times over.

pub(super) struct Rows<T> {
    /// Vertex `v`'s items are `items[start[v]..start[v + 1]]`.
    start: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy + Default> Rows<T> {
    /// The rows of `n` vertices from (vertex, item) pairs; each row keeps its pairs' order.
    pub(super) fn new(n: usize, pairs: impl Iterator<Item = (usize, T)> + Clone) -> Self {
        let mut start = vec![0usize; n + 1];
        for (v, _) in pairs.clone() {
            start[v + 1] += 1;
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        let mut fill = start.clone();
        let mut items = vec![T::default(); start[n]];
        for (v, item) in pairs {
            items[fill[v]] = item;
            fill[v] += 1;
        }
        Rows { start, items }
    }

    pub(super) fn of(&self, v: usize) -> &[T] {
        &self.items[self.start[v]..self.start[v + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::Rows;

    #[test]
    fn each_row_holds_its_items_in_order() {
        let pairs = [(2, 'a'), (0, 'b'), (2, 'c'), (3, 'd'), (0, 'e')];
        let rows = Rows::new(5, pairs.iter().copied());
        assert_eq!(rows.of(0), ['b', 'e']);
        assert!(rows.of(1).is_empty());
        assert_eq!(rows.of(2), ['a', 'c']);
        assert_eq!(rows.of(3), ['d']);
        assert!(rows.of(4).is_empty());
    }
}
