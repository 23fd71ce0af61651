//! Arbitrary bytes as a model: load, check, render every format; no panic, and deterministic
//! output for a sample of inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    archflow_fuzz::parse_check_render_target(data);
});
