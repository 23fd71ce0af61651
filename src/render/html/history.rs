//! The evolution page (`archflow build --history`): one self-contained HTML file that steps
//! through the versions of a model over one diagram, like the explainer's flow walk-through.
//!
//! Its own template, style sheet and script (`templates/history.html.j2`, `history.css`,
//! `history.js`), overridable by file name like the explainer's; the same escaping, Markdown
//! and Content-Security-Policy as the explainer. The page's data (which element is added,
//! removed, changed or absent in each version) comes prepared in [`HistoryPage`].

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use super::{content_security_policy, describe, format_value, markdown_to_html, ticks_to_html};
use crate::render::RenderError;
use crate::text::json_in_script;

/// The built-in template, style sheet and script, by file name.
pub const TEMPLATE: (&str, &str) = (
    "history.html.j2",
    include_str!("../../../templates/history.html.j2"),
);
pub const STYLE: (&str, &str) = (
    "history.css",
    include_str!("../../../templates/history.css"),
);
pub const SCRIPT: (&str, &str) = ("history.js", include_str!("../../../templates/history.js"));

/// Everything the page shows.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryPage {
    pub title: String,
    pub count: usize,
    /// The union diagram, inserted as it is.
    pub svg: String,
    pub versions: Vec<VersionPage>,
    /// For the script, parallel to `versions`.
    pub states: Vec<VersionStates>,
}

/// One version's text.
#[derive(Clone, Debug, Serialize)]
pub struct VersionPage {
    /// 1-based.
    pub number: usize,
    /// `version-N`.
    pub anchor: String,
    /// As given on the command line.
    pub source: String,
    pub title: String,
    /// Markdown.
    pub description: Option<String>,
    /// From the version before, in a line (`None` for the first).
    pub summary: Option<String>,
    pub changes: Vec<ChangeLine>,
    pub decisions: Vec<DecisionEntry>,
    pub dropped_decisions: Vec<String>,
    /// Components and boxes added, removed and changed.
    pub counts: [usize; 3],
}

/// One line of a version's change list (plain text).
#[derive(Clone, Debug, Serialize)]
pub struct ChangeLine {
    pub class: &'static str,
    /// A field of the change above, or a step of the flow above.
    pub nested: bool,
    pub text: String,
}

/// A decision record of a version; its texts are Markdown.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionEntry {
    pub title: String,
    pub context: Option<String>,
    pub decision: Option<String>,
    pub consequences: Option<String>,
    /// `new` or `changed` since the version before.
    pub change: Option<&'static str>,
}

/// What each element of the diagram is in one version: one letter per element (`x` absent,
/// `s` same, `a` added, `r` removed, `c` changed), and the labels that differ from the
/// diagram's.
#[derive(Clone, Debug, Serialize)]
pub struct VersionStates {
    pub clusters: String,
    pub nodes: String,
    pub edges: String,
    pub node_labels: Vec<Label>,
    pub cluster_labels: Vec<Label>,
}

/// A node's or box's label in one version.
#[derive(Clone, Debug, Serialize)]
pub struct Label {
    pub index: usize,
    pub label: String,
    pub detail: Option<String>,
}

/// Render the page. `overrides` maps `history.html.j2`, `history.css` and `history.js` to
/// replacements (`--templates DIR`).
///
/// # Errors
/// When the template fails (an override with an undefined variable, a syntax error).
pub fn render(
    page: &HistoryPage,
    overrides: &BTreeMap<String, String>,
) -> Result<String, RenderError> {
    let pick = |(name, builtin): (&str, &'static str)| {
        overrides
            .get(name)
            .map_or(builtin, String::as_str)
            .to_owned()
    };
    let style = pick(STYLE);
    let script = pick(SCRIPT);
    let template = pick(TEMPLATE);

    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_formatter(format_value);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_filter("markdown", |text: &str| {
        Value::from_safe_string(markdown_to_html(text))
    });
    env.add_filter("ticks", |text: &str| {
        Value::from_safe_string(ticks_to_html(text))
    });
    let error = |e: &minijinja::Error| RenderError::Template {
        name: e.name().unwrap_or(TEMPLATE.0).to_owned(),
        message: describe(e),
    };
    env.add_template_owned(TEMPLATE.0, template)
        .map_err(|e| error(&e))?;
    let data = serde_json::to_string(&serde_json::json!({
        "count": page.count,
        "versions": page.states,
    }))
    .unwrap_or_else(|_| "{\"count\":0,\"versions\":[]}".to_owned());
    env.add_global("csp", content_security_policy(&script));
    env.add_global("page", Value::from_serialize(page));
    env.add_global("svg", Value::from_safe_string(page.svg.clone()));
    env.add_global("style", Value::from_safe_string(style));
    env.add_global("script", Value::from_safe_string(script));
    env.add_global("data", Value::from_safe_string(json_in_script(&data)));
    let template = env.get_template(TEMPLATE.0).map_err(|e| error(&e))?;
    template.render(()).map_err(|e| error(&e))
}
