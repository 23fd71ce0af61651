//! The self-contained HTML explainer. (Being built: see the templates/ folder.)

use std::collections::BTreeMap;

use super::RenderError;
use crate::view::View;

/// Render the explainer page. `svg` is the diagram (from [`super::svg::render`]); `overrides`
/// maps template file names (as in `templates/`) to user-supplied replacements.
pub fn render(
    view: &View,
    svg: &str,
    overrides: &BTreeMap<String, String>,
) -> Result<String, RenderError> {
    let _ = (view, overrides);
    Ok(format!("<!doctype html><title>archflow</title>{svg}"))
}
