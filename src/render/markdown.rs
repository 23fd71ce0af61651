//! The Markdown page. (Being built.)

use crate::view::View;

/// A Markdown page of the view.
#[must_use]
pub fn page(view: &View) -> String {
    format!("# {}\n", view.title)
}
