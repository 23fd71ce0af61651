//! Renderers: pure functions from a [`View`] to text; `png` and `pdf` turn the SVG into bytes.

pub mod animate;
pub mod dot;
pub mod html;
pub mod markdown;
pub mod mermaid;
pub mod pdf;
pub mod png;
pub mod raster;
pub mod svg;

use crate::diagnostic::did_you_mean;
use crate::view::{FlowView, View};

/// Why a renderer could not produce output.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    #[error("the model has no flows; add one under `flows:` to draw a sequence diagram")]
    NoFlows,
    #[error("the model has {count} flows; choose one with --flow ({available})")]
    SeveralFlows { count: usize, available: String },
    #[error("no flow named `{name}`{hint}")]
    UnknownFlow { name: String, hint: String },
    #[error("template `{name}`: {message}")]
    Template { name: String, message: String },
    #[error(transparent)]
    Raster(#[from] raster::RasterError),
}

/// The flow called `name`, or an error that lists the flows and suggests the closest.
///
/// # Errors
/// [`RenderError::UnknownFlow`] when no flow has that name.
pub fn find_flow<'v>(view: &'v View, name: &str) -> Result<&'v FlowView, RenderError> {
    view.flow(name).ok_or_else(|| {
        let names = view.flows.iter().map(|f| f.name.as_str());
        let hint = match did_you_mean(name, names) {
            Some(s) => format!("; did you mean `{s}`?"),
            None if view.flows.is_empty() => "; the model has no flows".to_owned(),
            None => format!(
                "; flows: {}",
                view.flows
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        RenderError::UnknownFlow {
            name: name.to_owned(),
            hint,
        }
    })
}
