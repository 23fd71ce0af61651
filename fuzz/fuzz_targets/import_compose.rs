//! Arbitrary text as a compose file: no panic, and an imported model always loads.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    archflow_fuzz::import_compose(&archflow_fuzz::text(data));
});
