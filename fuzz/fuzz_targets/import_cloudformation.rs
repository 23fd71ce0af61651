//! Arbitrary text as a CloudFormation template: no panic, and an imported model always loads.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    archflow_fuzz::import_cloudformation(&archflow_fuzz::text(data));
});
