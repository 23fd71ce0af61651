//! `archflow lsp`: a Language Server Protocol server over standard input and output.
//!
//! What it offers, and where:
//! - findings as diagnostics, on open and after every change (debounced, on a worker thread):
//!   [`diagnostics`], [`snapshot`];
//! - hover on names, references, rule codes and keys: [`hover`];
//! - go to definition, find references, rename: [`navigate`] over the [`index`];
//! - completion of names and keys: [`complete`], with the cursor's context read from the text
//!   ([`context`]) and keys from the JSON Schema ([`keys`]);
//! - quick fixes from the findings' help: [`actions`];
//! - the document outline: [`symbols`];
//! - the live preview (`archflow/preview`, `archflow/focus`) and explanations
//!   (`archflow/explain`): [`preview`].
//!
//! [`server`] runs the loop; positions are converted in [`text`] (UTF-8 when the client offers
//! it, else UTF-16).

pub mod actions;
pub mod complete;
pub mod context;
pub mod diagnostics;
pub mod hover;
pub mod index;
pub mod keys;
pub mod navigate;
pub mod preview;
mod requests;
mod server;
pub mod snapshot;
pub mod symbols;
pub mod text;

pub use server::{DEBOUNCE, run, serve};
