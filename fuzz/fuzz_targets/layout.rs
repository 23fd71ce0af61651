//! A random view built with `arbitrary`: nested clusters, nodes of every kind, edges of every
//! kind. The layout keeps every invariant (no overlapping node boxes, nodes inside their
//! clusters, orthogonal routes that cross no node, ...) and is deterministic.
#![no_main]

use arbitrary::Unstructured;
use archflow_fuzz::Draw;

struct Arb<'a, 'b>(&'b mut Unstructured<'a>);

impl Draw for Arb<'_, '_> {
    fn upto(&mut self, max: u32) -> u32 {
        self.0.int_in_range(0..=max).unwrap_or(0)
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let view = archflow_fuzz::random_view(&mut Arb(&mut u));
    archflow_fuzz::layout_target(&view);
});
