//! Arbitrary text as a Terraform configuration: no panic, and an imported model always loads.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    archflow_fuzz::import_terraform(&archflow_fuzz::text(data));
});
