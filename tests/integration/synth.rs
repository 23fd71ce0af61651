//! Tests: synth.
