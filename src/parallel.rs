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

#[cfg(test)]
mod tests {
    /// Both results come back in order; a panic on the second thread reaches the caller.
    #[test]
    fn both_results_in_order_and_a_panic_is_raised_again() {
        assert_eq!(super::join(|| 1, || "two"), (1, "two"));
        let caught = std::panic::catch_unwind(|| super::join(|| panic!("first"), || 2));
        assert!(caught.is_err());
    }
}
