//! Two pieces of work at once, for the stages a large model makes slow (reading its YAML, its
//! rules, a diff's two sides). The machine archflow runs on may have only two cores: nothing
//! here starts more than one extra thread.

use std::sync::atomic::{AtomicUsize, Ordering};

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

/// `f` of every item on two threads, the results in the items' order. Each thread takes the
/// next item not yet taken when it is free, so a few large items (a big model's whole drawing
/// and its overview) do not leave one thread idle while the other works through them.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let (first, second) = join(work, work);
    // Each list is in item order: merge them.
    let mut out = Vec::with_capacity(items.len());
    let mut second = second.into_iter().peekable();
    for (i, r) in first {
        while let Some((_, r2)) = second.next_if(|(j, _)| *j < i) {
            out.push(r2);
        }
        out.push(r);
    }
    out.extend(second.map(|(_, r)| r));
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

    /// Items of very different sizes, in order; one slow item does not hold the others back:
    /// the other thread takes every item after it.
    #[test]
    fn a_slow_item_leaves_the_rest_to_the_other_thread() {
        use std::sync::Mutex;
        use std::time::Duration;
        let items: Vec<u64> = (0..40).collect();
        let threads = Mutex::new(Vec::new());
        let out = super::map(&items, |&i| {
            if i == 0 {
                std::thread::sleep(Duration::from_millis(500));
            }
            if let Ok(mut t) = threads.lock() {
                t.push((i, std::thread::current().id()));
            }
            i * 3
        });
        assert_eq!(out, items.iter().map(|i| i * 3).collect::<Vec<_>>());
        let threads = threads.into_inner().unwrap_or_default();
        let slow = threads.iter().find(|(i, _)| *i == 0).map(|(_, t)| *t);
        // Item 0 slept; the 39 others were all done by the other thread meanwhile.
        let beside = threads.iter().filter(|(_, t)| Some(*t) != slow).count();
        assert_eq!(beside, 39, "{threads:?}");
    }
}
