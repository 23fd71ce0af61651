//! Printers for findings: rustc-style text and JSON. They return strings; the CLI prints.

pub mod human;
pub mod json;
