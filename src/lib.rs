//! archflow: a YAML model of a containerised deployment in, checked architecture docs out.
//!
//! Stages, with plain data between them:
//! `syntax::parse` (text → `Document`) → `model::lower` (→ `Model`) → `graph::ArchGraph::build`
//! → `check::run` (→ diagnostics) → `view::View::build` → `layout` → `render::*` (→ text).
//! [`analyze`] and [`build`] (in [`pipeline`]) wire them together; `interop` converts other
//! formats; only [`cli`] touches the file system or prints; [`text`] holds the escaping every
//! output format needs. See ARCHITECTURE.md.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod error;
pub mod graph;
pub mod inject;
pub mod interop;
pub mod layout;
pub mod lsp;
pub mod model;
pub mod parallel;
pub mod pipeline;
pub mod render;
pub mod secret;
pub mod source;
pub mod syntax;
pub mod synth;
pub mod text;
pub mod view;

pub use error::Error;
pub use pipeline::{
    Analysis, BuildOptions, Format, Output, Outputs, Rendered, analyze, analyze_both, build,
    render, render_bytes,
};
