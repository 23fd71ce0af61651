//! Arbitrary text as ECS JSON (NUL separates the input files): no panic, and an imported model
//! always loads.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    archflow_fuzz::import_ecs(&archflow_fuzz::text(data));
});
