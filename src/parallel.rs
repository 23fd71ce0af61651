//! Two pieces of work at once, for the stages a large model makes slow (reading its YAML, its
//! rules, a diff's two sides). The machine archflow runs on may have only two cores: nothing
//! here starts more than one extra thread.

/// `a()` on a second thread while `b()` runs on this one; both results. A panic in `a` is
/// raised again here, as if both had run on this thread.
pub fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|s| {
        let first = s.spawn(a);
        let second = b();
        let first = first
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

/// `f` of every item on two threads, the results in the items' order. The items alternate
/// between the threads, so that a few large ones together at the start are not all on one.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let (odd, even) = join(
        || items.iter().skip(1).step_by(2).map(&f).collect::<Vec<_>>(),
        || items.iter().step_by(2).map(&f).collect::<Vec<_>>(),
    );
    let mut out = Vec::with_capacity(items.len());
    let mut odd = odd.into_iter();
    for e in even {
        out.push(e);
        out.extend(odd.next());
    }
    out
}

#[cfg(test)]
mod tests {
    /// Both results come back in order; a panic on the second thread reaches the caller.
    #[test]
    fn both_results_in_order_and_a_panic_is_raised_again() {
        assert_eq!(super::join(|| 1, || "two"), (1, "two"));
        let caught = std::panic::catch_unwind(|| super::join(|| panic!("first"), || 2));
        assert!(caught.is_err());
    }

    /// Every item's result, in order, for any number of items.
    #[test]
    fn map_keeps_the_order() {
        for n in 0..6 {
            let items: Vec<usize> = (0..n).collect();
            let doubled: Vec<usize> = items.iter().map(|i| i * 2).collect();
            assert_eq!(super::map(&items, |i| i * 2), doubled, "{n} items");
        }
    }
}
