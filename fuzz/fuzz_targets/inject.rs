//! Arbitrary README text, injected with the reference model's view: no panic, and idempotent
//! when it succeeds.
#![no_main]

use std::sync::LazyLock;

use archflow::view::View;

static VIEW: LazyLock<View> = LazyLock::new(archflow_fuzz::reference_view);

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    archflow_fuzz::inject(&archflow_fuzz::text(data), &VIEW);
});
