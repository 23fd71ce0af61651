//! The tool's own failures: what stopped archflow from doing its job (a file it cannot read or
//! write, a template that fails, a flag that names nothing). Findings about the user's model are
//! not errors: they are [`Diagnostic`](crate::diagnostic::Diagnostic)s.

use crate::render::RenderError;

/// Why archflow could not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The model's text did not load (its `L…` diagnostics say why).
    #[error("`{path}` does not load as a model")]
    NotLoaded { path: String },
    #[error(transparent)]
    Render(#[from] RenderError),
}
