//! The self-contained HTML explainer: one file with inline CSS, the inline SVG diagram and one
//! small inline script, that loads nothing (its Content-Security-Policy says so).
//!
//! The page is rendered by [minijinja] from the templates in `templates/`, built into the binary
//! and replaceable one by one by file name (`--templates DIR`):
//!
//! | file | what it is |
//! |---|---|
//! | `page.html.j2` | the whole page; calls the partials below with `partial(name, key=value…)` |
//! | `flow.html.j2` | one request flow: its walk-through and its ordered list of steps (`flow`) |
//! | `component.html.j2` | one glossary entry (`component`) |
//! | `finding.html.j2` | one check finding with its rule's documentation (`finding`) |
//! | `decision.html.j2` | one decision record of the "Why it is built this way" section (`decision`) |
//! | `style.css` | the page's styles, inserted as they are (not a template) |
//! | `script.js` | the page's script, inserted as it is; its SHA-256 goes into the CSP |
//!
//! Any other `*.j2` file in the folder is added too, for an overridden page to call. Every
//! template sees the globals `page` (the view prepared for reading: labels resolved, steps
//! numbered, anchors assigned), `view` (the raw [`View`]), `svg`, `style`, `script`, `data` (the
//! flows and the views as JSON, for the script), `views` (the views the page can show: `index`,
//! `name`, `slug`, `title`, `kind`; 0 is the main one), `caption` (what the diagram's caption
//! says first about the main view; the script changes it when another view is opened),
//! `diagrams` (the other views' SVGs as data blocks the script draws when they are opened) and
//! `csp`. Undefined variables are errors
//! ([`UndefinedBehavior::Strict`]), and every value is HTML-escaped unless it is one of the
//! prepared fragments (`svg`, `style`, `script`, `data`, `diagrams`) or the output of a filter: `markdown`
//! renders with [`markdown_to_html`], `ticks` shows plain text with `backticked` words as code
//! ([`ticks_to_html`]). Output is deterministic: no dates, no random ids; every `id` is made from
//! indices, never from a name.

pub mod history;
mod markdown;
mod pack;
pub mod tiles;

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use minijinja::value::Kwargs;
use minijinja::{
    AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior, Value,
};
use serde::Serialize;

pub use crate::text::visible_controls;
pub use markdown::{is_remote_url, is_safe_url, markdown_to_html};

use super::RenderError;
use super::svg::Drawing;
use crate::diagnostic::Severity;
use crate::text::{escape_xml, json_in_script};
use crate::view::{ClusterKind, FindingView, Heading, NodeKind, StepView, View, ViewKind};

/// The built-in templates, by file name.
pub const TEMPLATES: [(&str, &str); 5] = [
    (
        "page.html.j2",
        include_str!("../../../templates/page.html.j2"),
    ),
    (
        "flow.html.j2",
        include_str!("../../../templates/flow.html.j2"),
    ),
    (
        "component.html.j2",
        include_str!("../../../templates/component.html.j2"),
    ),
    (
        "finding.html.j2",
        include_str!("../../../templates/finding.html.j2"),
    ),
    (
        "decision.html.j2",
        include_str!("../../../templates/decision.html.j2"),
    ),
];

/// The built-in assets (inserted verbatim, not rendered), by file name.
pub const ASSETS: [(&str, &str); 2] = [
    ("style.css", include_str!("../../../templates/style.css")),
    ("script.js", include_str!("../../../templates/script.js")),
];

/// The template rendered to make the page.
const PAGE: &str = "page.html.j2";

/// How deep `partial` calls may nest (a template that calls itself stops here).
const MAX_PARTIAL_DEPTH: u32 = 16;

/// The CSP source of an inline script: `'sha256-…'`, the Base64 SHA-256 of its exact text.
#[must_use]
pub fn script_hash_source(script: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(hash)
    )
}

/// The page's Content-Security-Policy: nothing may load; inline styles, and the one inline
/// script whose text is `script`, may run.
#[must_use]
pub fn content_security_policy(script: &str) -> String {
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src {}; base-uri 'none'; form-action 'none'",
        script_hash_source(script)
    )
}

/// One view the page can show: its name (`overview`, `service:api`), the slug of its address
/// (`#view-service-api`, as the file name of `views/service-api.svg`), its title and kind, and
/// its drawing (the main view's, when big, is drawn in tiles: [`tiles`]).
#[derive(Clone, Debug)]
pub struct PageView {
    pub name: String,
    pub slug: String,
    pub title: String,
    pub kind: ViewKind,
    pub svg: Drawing,
    /// The same view laid out top to bottom, for narrow screens (the main view's is
    /// [`Diagrams::narrow`]).
    pub narrow: Option<String>,
    /// The flows this view draws, in its own numbering (see [`flow_steps`]), so that a step lights
    /// in the view on screen; empty for a view without flows (a service's). The main view's
    /// flows are the page's `flows`.
    pub flows: Vec<FlowSteps>,
}

/// The diagrams of a page: the main view's (drawn inline), the same view top to bottom for
/// narrow screens, and the other views, kept as text until the reader opens them.
#[derive(Clone, Debug)]
pub struct Diagrams {
    pub main: PageView,
    /// The main view laid out top to bottom, shown below about 700 px (none for a main view
    /// drawn in tiles, which is panned on any screen).
    pub narrow: Option<String>,
    pub others: Vec<PageView>,
}

/// Render the explainer page. `svg` is the diagram (from [`super::svg::render`]), inserted as it
/// is; `overrides` maps template file names (as in `templates/`) to user-supplied replacements.
pub fn render(
    view: &View,
    svg: &str,
    overrides: &BTreeMap<String, String>,
) -> Result<String, RenderError> {
    let main = PageView {
        name: "all".to_owned(),
        slug: "all".to_owned(),
        title: view.title.clone(),
        kind: ViewKind::All,
        svg: Drawing::from(svg.to_owned()),
        narrow: None,
        flows: Vec::new(),
    };
    render_page(
        view,
        &Diagrams {
            main,
            narrow: None,
            others: Vec::new(),
        },
        overrides,
    )
}

/// Render the explainer page with several views: [`render`] with the views the reader can move
/// between (the main one inline, the others drawn when opened).
pub fn render_page(
    view: &View,
    diagrams: &Diagrams,
    overrides: &BTreeMap<String, String>,
) -> Result<String, RenderError> {
    // A big main view is drawn in tiles: its shell goes in the page, its tiles after it.
    let tiled = tiles::tile(&diagrams.main.svg, view, "main");
    let svg = tiled
        .as_ref()
        .map_or(diagrams.main.svg.svg.as_str(), |t| t.shell.as_str());
    let asset = |name: &str, builtin: &'static str| {
        overrides
            .get(name)
            .map_or(builtin, String::as_str)
            .to_owned()
    };
    let [(_, style), (_, script)] = ASSETS;
    let style = asset("style.css", style);
    let script = asset("script.js", script);

    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Every template is HTML, whatever its name ends with (`.html.j2`, an override's `.j2`).
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
    env.add_function("partial", partial);

    let template_error = |name: &str, e: &Error| RenderError::Template {
        name: e.name().unwrap_or(name).to_owned(),
        message: describe(e),
    };
    for (name, builtin) in TEMPLATES {
        let text = overrides.get(name).map_or(builtin, String::as_str);
        env.add_template_owned(name.to_owned(), text.to_owned())
            .map_err(|e| template_error(name, &e))?;
    }
    for (name, text) in overrides {
        let builtin = TEMPLATES.iter().any(|(n, _)| n == name);
        let jinja = std::path::Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("j2"));
        if !builtin && jinja {
            env.add_template_owned(name.clone(), text.clone())
                .map_err(|e| template_error(name, &e))?;
        }
    }

    env.add_global("csp", content_security_policy(&script));
    env.add_global("page", Value::from_serialize(Page::new(view)));
    env.add_global("view", Value::from_serialize(view));
    env.add_global("svg", Value::from_safe_string(svg.to_owned()));
    env.add_global("style", Value::from_safe_string(style));
    env.add_global("script", Value::from_safe_string(script));
    env.add_global("data", Value::from_safe_string(page_data(view, diagrams)));
    env.add_global("views", Value::from_serialize(view_list(diagrams)));
    env.add_global("caption", caption(diagrams.main.kind, &diagrams.main.title));
    let mut blocks = diagram_blocks(diagrams);
    if let Some(t) = &tiled {
        blocks.push_str(&t.blocks);
    }
    env.add_global("diagrams", Value::from_safe_string(blocks));

    let page = env
        .get_template(PAGE)
        .map_err(|e| template_error(PAGE, &e))?;
    page.render(()).map_err(|e| template_error(PAGE, &e))
}

/// A minijinja error as one line: what went wrong and where.
fn describe(e: &Error) -> String {
    let mut message = e.kind().to_string();
    if let Some(detail) = e.detail() {
        let _ = write!(message, ": {detail}");
    }
    if let Some(line) = e.line() {
        let _ = write!(message, " (line {line})");
    }
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        let _ = write!(message, "; {inner}");
        source = inner.source();
    }
    message
}

/// The page's formatter: HTML-escapes strings (`&<>"'`, not `/`, so text stays readable in the
/// source), shows bidi controls as `<U+202E>`; other values as minijinja does.
fn format_value(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    match value.as_str() {
        Some(text) if !value.is_safe() && state.auto_escape() == AutoEscape::Html => out
            .write_str(&escape_xml(&visible_controls(text)))
            .map_err(Error::from),
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// Plain text (a finding's message, help or note) as HTML, with `backticked` words as `<code>`;
/// all of it escaped. Text with an odd number of backticks is shown as it is.
#[must_use]
pub fn ticks_to_html(text: &str) -> String {
    let text = visible_controls(text);
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape_xml(&text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape_xml(part));
        } else {
            out.push_str(&escape_xml(part));
        }
    }
    out
}

thread_local! {
    static PARTIAL_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// `partial("flow.html.j2", flow=flow)`: render another template with the keyword arguments as
/// its variables (besides the globals); the result is inserted as is.
#[allow(clippy::needless_pass_by_value)] // minijinja hands keyword arguments over by value
fn partial(state: &State, name: &str, kwargs: Kwargs) -> Result<Value, Error> {
    let mut vars = BTreeMap::new();
    for key in kwargs.args() {
        vars.insert(key.to_owned(), kwargs.get::<Value>(key)?);
    }
    kwargs.assert_all_used()?;
    let depth = PARTIAL_DEPTH.with(Cell::get);
    if depth >= MAX_PARTIAL_DEPTH {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("partials nest deeper than {MAX_PARTIAL_DEPTH} (does `{name}` call itself?)"),
        ));
    }
    PARTIAL_DEPTH.with(|d| d.set(depth + 1));
    let rendered = state.env().get_template(name).and_then(|t| t.render(vars));
    PARTIAL_DEPTH.with(|d| d.set(depth));
    Ok(Value::from_safe_string(rendered?))
}

/// The views the page can show, for its templates: `index` 0 is the main view.
#[derive(Serialize)]
struct ViewEntry<'a> {
    index: usize,
    name: &'a str,
    slug: &'a str,
    title: &'a str,
    kind: ViewKind,
    #[serde(skip_serializing_if = "<[FlowSteps]>::is_empty")]
    flows: &'a [FlowSteps],
}

fn view_list(diagrams: &Diagrams) -> Vec<ViewEntry<'_>> {
    std::iter::once(&diagrams.main)
        .chain(&diagrams.others)
        .enumerate()
        .map(|(index, v)| ViewEntry {
            index,
            name: &v.name,
            slug: &v.slug,
            title: &v.title,
            kind: v.kind,
            // The main view's flows are the page's `flows`.
            flows: if index == 0 { &[] } else { &v.flows },
        })
        .collect()
}

/// What the diagram's caption says first about a view of `kind`, with `{title}` for the
/// view's title.
fn caption_pattern(kind: ViewKind) -> &'static str {
    match kind {
        ViewKind::All => "Every component and connection in the model.",
        ViewKind::Overview => {
            "The overview: services, load balancers, actors and file systems. Each service is \
             one box (its containers are in its own view), and several connections between \
             two boxes are drawn as one, labelled with their number."
        }
        ViewKind::Service => {
            "{title}: its task's containers and volumes, with what calls it and what it calls \
             as single boxes."
        }
        ViewKind::Flow => "{title}: only the components and hops of this flow.",
        ViewKind::Custom => "{title}: a view the model defines.",
    }
}

/// The caption's first sentence for a view of `kind` titled `title`.
fn caption(kind: ViewKind, title: &str) -> String {
    caption_pattern(kind).replace("{title}", title)
}

/// The text between `<style>` and `</style>` in an SVG, when it has one.
fn svg_style(svg: &str) -> Option<&str> {
    style_element(svg).map(|r| &svg[r.start + "<style>".len()..r.end - "</style>".len()])
}

/// Where the first `<style>…</style>` element of `svg` is.
fn style_element(svg: &str) -> Option<std::ops::Range<usize>> {
    let start = svg.find("<style>")?;
    let content = start + "<style>".len();
    let end = content + svg[content..].find("</style>")? + "</style>".len();
    Some(start..end)
}

/// Whether `text` can sit as it is inside a `<script>` data block: nothing that would end the
/// element or change how the parser reads it.
fn raw_text_safe(text: &str) -> bool {
    raw_bytes_safe(text.as_bytes())
}

fn raw_bytes_safe(text: &[u8]) -> bool {
    !text.iter().enumerate().any(|(i, &c)| {
        let rest = &text[i + 1..];
        let starts = |word: &[u8]| {
            rest.get(..word.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(word))
        };
        c == b'<' && (starts(b"/script") || starts(b"!--") || starts(b"script"))
    })
}

/// Whether `head` followed by `tail` is [`raw_text_safe`], without joining them: what would
/// end the block can also straddle the two, within 8 bytes (`</script`) of where they meet.
fn raw_text_safe_joined(head: &str, tail: &str) -> bool {
    let (head, tail) = (head.as_bytes(), tail.as_bytes());
    let end = &head[head.len().saturating_sub(8)..];
    let start = &tail[..tail.len().min(8)];
    let mut seam = [0u8; 16];
    seam[..end.len()].copy_from_slice(end);
    seam[end.len()..end.len() + start.len()].copy_from_slice(start);
    raw_bytes_safe(head) && raw_bytes_safe(tail) && raw_bytes_safe(&seam[..end.len() + start.len()])
}

/// The views other than the main one (and the main one top to bottom), each in a data block
/// `<script type="text/x-archflow-svg" id="af-svg-{index}">` (`af-svg-narrow` and
/// `af-svg-{index}-narrow` for the views top to bottom) that the browser
/// neither runs nor draws: the page's script draws one when the reader opens it. The style sheet
/// the main diagram already carries is left out of each (the script puts it back). An SVG that
/// could end its block (it cannot come from archflow's renderer, which escapes every name) is
/// left out. When the views other than the main one come to more than [`pack::PACK_OVER`]
/// bytes, they are [`pack::packed`] instead (the main one top to bottom stays plain: a narrow
/// screen draws it as the page loads).
fn diagram_blocks(diagrams: &Diagrams) -> String {
    let shared = svg_style(&diagrams.main.svg.svg);
    let mut blocks: Vec<(String, &str)> = Vec::new();
    if let Some(narrow) = &diagrams.narrow {
        blocks.push(("narrow".to_owned(), narrow));
    }
    for (i, v) in diagrams.others.iter().enumerate() {
        blocks.push(((i + 1).to_string(), &v.svg.svg));
        if let Some(narrow) = &v.narrow {
            blocks.push((format!("{}-narrow", i + 1), narrow));
        }
    }
    let mut kept: Vec<(String, String)> = Vec::with_capacity(blocks.len());
    for (id, svg) in blocks {
        // The SVG as two parts, without its style sheet when that is the shared one.
        let (head, tail) = match style_element(svg) {
            Some(r) if shared == svg_style(svg) => (&svg[..r.start], &svg[r.end..]),
            _ => (svg, ""),
        };
        let (head, tail) = if tail.trim_end().is_empty() {
            (head.trim_end(), "")
        } else {
            (head, tail.trim_end())
        };
        if raw_text_safe_joined(head, tail) {
            kept.push((id, [head, tail].concat()));
        }
    }
    let others = kept.iter().filter(|(id, _)| id != "narrow");
    let pack = others.map(|(_, svg)| svg.len()).sum::<usize>() > pack::PACK_OVER;
    let mut out = String::new();
    let mut packing = Vec::new();
    for (id, svg) in kept {
        if pack && id != "narrow" {
            packing.push((id, svg));
        } else {
            let _ = writeln!(
                out,
                "<script type=\"text/x-archflow-svg\" id=\"af-svg-{id}\">{svg}</script>"
            );
        }
    }
    out.push_str(&pack::packed(&packing));
    out
}

/// The page's script data: the flows ([`flow_data`]) and the views it can move between.
fn page_data(view: &View, diagrams: &Diagrams) -> String {
    #[derive(Serialize)]
    struct Data<'a> {
        flows: Vec<FlowSteps>,
        views: Vec<ViewEntry<'a>>,
        /// The caption's first sentence for each kind of view, `{title}` standing for the
        /// view's title: once per kind, not once per view (a big model has thousands).
        captions: BTreeMap<ViewKind, &'static str>,
    }
    let data = Data {
        flows: flow_steps(view),
        views: view_list(diagrams),
        captions: ViewKind::ALL
            .into_iter()
            .map(|kind| (kind, caption_pattern(kind)))
            .collect(),
    };
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{\"flows\":[]}".to_owned());
    json_in_script(&json)
}

/// The flows as the page's script needs them, as JSON that is safe inside `<script>`: for each
/// flow its name and, for each step, the indices of the diagram's nodes (`#af-n{i}`) and edges
/// (`#af-e{i}`) the hop lights up.
#[must_use]
pub fn flow_data(view: &View) -> String {
    json_in_script(&flow_json(view))
}

fn flow_json(view: &View) -> String {
    #[derive(Serialize)]
    struct Data {
        flows: Vec<FlowSteps>,
    }
    let data = Data {
        flows: flow_steps(view),
    };
    serde_json::to_string(&data).unwrap_or_else(|_| "{\"flows\":[]}".to_owned())
}

/// One flow as a view draws it: its name and, for each step, the view's nodes and edges the hop
/// lights up.
#[derive(Clone, Debug, Serialize)]
pub struct FlowSteps {
    pub name: String,
    pub steps: Vec<StepIds>,
}

/// The indices of the nodes (`#af-n{i}`) and edges (`#af-e{i}`) one step lights in a view.
#[derive(Clone, Debug, Serialize)]
pub struct StepIds {
    pub nodes: Vec<usize>,
    pub edges: Vec<usize>,
    /// A response: its edges run against it (drawn as a dashed return arrow).
    pub back: bool,
}

/// The flows `view` draws, each step as the indices of that view's own nodes and edges (a flow's
/// view, the overview and a custom view number their elements differently from the main view).
#[must_use]
pub fn flow_steps(view: &View) -> Vec<FlowSteps> {
    view.flows
        .iter()
        .map(|f| FlowSteps {
            name: f.name.clone(),
            steps: f
                .steps
                .iter()
                .map(|s| {
                    let back = is_back(view, s);
                    StepIds {
                        // A response lights its two ends, not what it passed through.
                        nodes: if back {
                            s.nodes[..s.nodes.len().min(2)].to_vec()
                        } else {
                            s.nodes.clone()
                        },
                        edges: s.edges.clone(),
                        back,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The view prepared for reading: the page's templates use this.
#[derive(Serialize)]
struct Page {
    title: String,
    description: Option<String>,
    components: Vec<Component>,
    flows: Vec<Flow>,
    /// The boxes components run in (cluster, services, task definitions), with descriptions.
    places: Vec<PlaceEntry>,
    decisions: Vec<Record>,
    tradeoffs: Vec<Tradeoff>,
    findings: Vec<Finding>,
    counts: Counts,
}

/// A link to an entry of the page: its label and `#anchor`.
#[derive(Clone, Serialize)]
struct Link {
    label: String,
    href: String,
}

/// The ECS cluster, a service or a task definition, with its description and the trade-offs
/// and decisions about it.
#[derive(Serialize)]
struct PlaceEntry {
    anchor: String,
    kind: ClusterKind,
    kind_label: &'static str,
    label: String,
    detail: Option<String>,
    description: Option<String>,
    /// Where it was imported from.
    origin: Option<String>,
    /// The boxes it sits in, innermost first.
    within: Vec<Place>,
    tradeoffs: Vec<Link>,
    decisions: Vec<Link>,
}

/// A decision record of the model.
#[derive(Serialize)]
struct Record {
    number: usize,
    anchor: String,
    title: String,
    context: Option<String>,
    decision: Option<String>,
    consequences: Option<String>,
    concerns: Vec<Link>,
}

/// A trade-off of the configuration, explained.
#[derive(Serialize)]
struct Tradeoff {
    anchor: String,
    kind: &'static str,
    title: String,
    /// archflow's Markdown.
    text: String,
    concerns: Vec<Link>,
    /// The rule that reports the risk: its code and name, and the finding on this page.
    rule: Option<RuleLink>,
}

#[derive(Serialize)]
struct RuleLink {
    code: &'static str,
    name: &'static str,
    /// `#finding-N` when the page lists a finding of this rule.
    finding: Option<String>,
}

#[derive(Serialize)]
struct Counts {
    components: usize,
    flows: usize,
    steps: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// A glossary entry.
#[derive(Serialize)]
struct Component {
    /// The index in `View::nodes`; the diagram's element is `#af-n{index}`.
    index: usize,
    anchor: String,
    /// The component's name in the model.
    name: String,
    label: String,
    kind: NodeKind,
    kind_label: &'static str,
    detail: Option<String>,
    description: Option<String>,
    /// Where it was imported from.
    origin: Option<String>,
    /// The boxes it sits in, innermost first.
    within: Vec<Place>,
    /// The trade-offs and decisions that concern it.
    tradeoffs: Vec<Link>,
    decisions: Vec<Link>,
}

#[derive(Serialize)]
struct Place {
    kind_label: &'static str,
    label: String,
}

#[derive(Serialize)]
struct Flow {
    index: usize,
    anchor: String,
    name: String,
    title: String,
    description: Option<String>,
    steps: Vec<Step>,
}

#[derive(Serialize)]
struct Step {
    /// 1-based.
    number: usize,
    anchor: String,
    from: String,
    to: String,
    from_label: String,
    to_label: String,
    action: Option<String>,
    via: Option<String>,
    note: Option<String>,
    /// What the hop passes through besides its ends (listeners, target groups, volumes).
    through: Vec<Place>,
    /// Whether configuration connects the ends (the hop lights up edges).
    routed: bool,
    /// A response: it travels back over the connection its request opened.
    back: bool,
    /// The group headings shown before it in the list (a branch starts, a block ends).
    headings: Vec<Heading>,
    /// How many groups (`alt`, `opt`, `par`, `loop`) it is in.
    depth: usize,
    /// The branches it is in, outermost first ("Alternative — goal cached").
    within: Vec<String>,
    nodes: Vec<usize>,
    edges: Vec<usize>,
}

#[derive(Serialize)]
struct Finding {
    anchor: String,
    #[serde(flatten)]
    data: FindingView,
    /// `file:line:col`.
    location: String,
}

fn kind_label(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Actor => "Actor",
        NodeKind::LoadBalancer => "Load balancer",
        NodeKind::Listener => "Listener",
        NodeKind::TargetGroup => "Target group",
        NodeKind::Container => "Container",
        NodeKind::Database => "Database container",
        NodeKind::Volume => "Task volume",
        NodeKind::FileSystem => "EFS file system",
        NodeKind::Service => "ECS service",
    }
}

fn cluster_kind_label(kind: ClusterKind) -> &'static str {
    match kind {
        ClusterKind::Cluster => "ECS cluster",
        ClusterKind::Service => "Service",
        ClusterKind::Task => "Task definition",
    }
}

/// Whether a step answers along the route of a request: its first edge ends where it starts
/// (`goals-backend → goals-alb` over the edges `goals-alb → … → goals-backend`).
fn is_back(view: &View, step: &StepView) -> bool {
    step.edges
        .first()
        .and_then(|&e| view.edges.get(e))
        .is_some_and(|e| e.to == step.from && e.from != step.from)
}

/// The nodes a hop passes through between its ends, in the order the traffic meets them
/// (following its edges from `from`); without edges, as the step lists them.
fn through(view: &View, step: &StepView) -> Vec<usize> {
    let inner: Vec<usize> = step.nodes.iter().skip(2).copied().collect();
    let mut ordered = Vec::new();
    let mut at = step.from.as_str();
    for edge in step.edges.iter().filter_map(|&e| view.edges.get(e)) {
        let next = if edge.from == at {
            &edge.to
        } else {
            &edge.from
        };
        if let Some(i) = inner
            .iter()
            .copied()
            .find(|&i| view.nodes.get(i).is_some_and(|n| n.id == *next))
            && !ordered.contains(&i)
        {
            ordered.push(i);
        }
        at = next;
    }
    if ordered.len() == inner.len() {
        ordered
    } else {
        inner
    }
}

/// What the step says it goes over, in the diagram's words: a hop over one call to
/// `localhost:PORT` (containers of one task) says so, `mongodb:27017` becoming
/// `mongodb on localhost:27017`, so the step, the diagram and the prose name the connection
/// alike.
fn local_via(view: &View, step: &StepView) -> Option<String> {
    let via = step.via.clone()?;
    let [edge] = step.edges[..] else {
        return Some(via);
    };
    let Some(address) = view
        .edges
        .get(edge)
        .and_then(|e| e.label.as_deref())
        .filter(|l| l.starts_with("localhost:"))
    else {
        return Some(via);
    };
    let port = &address["localhost".len()..];
    Some(if via == port {
        address.to_owned()
    } else {
        match via.strip_suffix(port) {
            Some(protocol) if !protocol.is_empty() => format!("{protocol} on {address}"),
            _ => via,
        }
    })
}

/// The boxes a node with this parent sits in, innermost first.
fn within<'v>(
    view: &'v View,
    cluster_at: &HashMap<&str, usize>,
    mut parent: Option<&'v str>,
) -> Vec<Place> {
    let mut places = Vec::new();
    // Bounded by the number of clusters, so a malformed parent chain cannot loop.
    for _ in 0..view.clusters.len() {
        let Some(cluster) = parent.and_then(|p| Some(&view.clusters[*cluster_at.get(p)?])) else {
            break;
        };
        places.push(Place {
            kind_label: cluster_kind_label(cluster.kind),
            label: cluster.label.clone(),
        });
        parent = cluster.parent.as_deref();
    }
    places
}

/// For each id, the links (in order, each once) to the items whose `concerns` name it; `link`
/// makes an item's link from its position.
fn links_concerning<'v, T: 'v>(
    items: &'v [T],
    concerns: impl Fn(&'v T) -> &'v [String],
    link: impl Fn(usize, &T) -> Link,
) -> HashMap<&'v str, Vec<Link>> {
    let mut of: HashMap<&str, Vec<(usize, Link)>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        for id in concerns(item) {
            let list = of.entry(id.as_str()).or_default();
            if list.last().map(|(at, _)| *at) != Some(i) {
                list.push((i, link(i, item)));
            }
        }
    }
    of.into_iter()
        .map(|(id, list)| (id, list.into_iter().map(|(_, l)| l).collect()))
        .collect()
}

impl Page {
    fn new(view: &View) -> Self {
        let node_at = view.node_positions();
        let cluster_at = view.cluster_positions();
        let tradeoffs_of = links_concerning(
            &view.tradeoffs,
            |t| &t.concerns,
            |i, t| Link {
                label: t.title.clone(),
                href: format!("#tradeoff-{}", i + 1),
            },
        );
        let decisions_of = links_concerning(
            &view.decisions,
            |d| &d.concerns,
            |i, d| Link {
                label: d.title.clone(),
                href: format!("#decision-{}", i + 1),
            },
        );
        // The page's links to what names `id` (a node id or a cluster id).
        let link = |id: &str| {
            if let Some(&i) = node_at.get(id) {
                return Link {
                    label: view.nodes[i].label.clone(),
                    href: format!("#component-{i}"),
                };
            }
            if let Some(&i) = cluster_at.get(id) {
                return Link {
                    label: view.clusters[i].label.clone(),
                    href: format!("#place-{i}"),
                };
            }
            Link {
                label: id.to_owned(),
                href: String::new(),
            }
        };
        // The trade-offs, and the decisions, that concern `id`.
        let about =
            |of: &HashMap<&str, Vec<Link>>, id: &str| of.get(id).cloned().unwrap_or_default();
        let places = view
            .clusters
            .iter()
            .enumerate()
            .map(|(i, c)| PlaceEntry {
                anchor: format!("place-{i}"),
                kind: c.kind,
                kind_label: cluster_kind_label(c.kind),
                label: c.label.clone(),
                detail: c.detail.clone(),
                description: c.description.clone(),
                origin: c.origin.clone(),
                within: within(view, &cluster_at, c.parent.as_deref()),
                tradeoffs: about(&tradeoffs_of, &c.id),
                decisions: about(&decisions_of, &c.id),
            })
            .collect();
        let decisions = view
            .decisions
            .iter()
            .enumerate()
            .map(|(i, d)| Record {
                number: i + 1,
                anchor: format!("decision-{}", i + 1),
                title: d.title.clone(),
                context: d.context.clone(),
                decision: d.decision.clone(),
                consequences: d.consequences.clone(),
                concerns: d.concerns.iter().map(|c| link(c)).collect(),
            })
            .collect();
        // The first finding of each rule, for the trade-offs that name one.
        let mut first_finding: HashMap<&str, usize> = HashMap::new();
        for (k, f) in view.findings.iter().enumerate() {
            first_finding.entry(f.code.as_str()).or_insert(k);
        }
        let tradeoffs = view
            .tradeoffs
            .iter()
            .enumerate()
            .map(|(i, t)| Tradeoff {
                anchor: format!("tradeoff-{}", i + 1),
                kind: t.kind,
                title: t.title.clone(),
                text: t.text.clone(),
                concerns: t.concerns.iter().map(|c| link(c)).collect(),
                rule: t.rule.and_then(crate::check::rule).map(|r| RuleLink {
                    code: r.code.id,
                    name: r.code.name,
                    finding: first_finding
                        .get(r.code.id)
                        .map(|k| format!("#finding-{}", k + 1)),
                }),
            })
            .collect();
        let label_of = |name: &str| {
            node_at
                .get(name)
                .map_or_else(|| name.to_owned(), |&i| view.nodes[i].label.clone())
        };
        let components = view
            .nodes
            .iter()
            .enumerate()
            .map(|(index, n)| Component {
                index,
                anchor: format!("component-{index}"),
                name: n.id.clone(),
                label: n.label.clone(),
                kind: n.kind,
                kind_label: kind_label(n.kind),
                detail: n.detail.clone(),
                description: n.description.clone(),
                origin: n.origin.clone(),
                within: within(view, &cluster_at, n.parent.as_deref()),
                tradeoffs: about(&tradeoffs_of, &n.id),
                decisions: about(&decisions_of, &n.id),
            })
            .collect();
        let flows: Vec<Flow> = view
            .flows
            .iter()
            .enumerate()
            .map(|(index, f)| Flow {
                index,
                anchor: format!("flow-{index}"),
                name: f.name.clone(),
                title: f.title.clone(),
                description: f.description.clone(),
                steps: f
                    .steps
                    .iter()
                    .zip(f.headings())
                    .enumerate()
                    .map(|(k, (s, headings))| Step {
                        headings,
                        depth: s.groups.len(),
                        within: s
                            .groups
                            .iter()
                            .map(|g| f.branch_heading(g.group, g.branch))
                            .collect(),
                        number: k + 1,
                        anchor: format!("flow-{index}-step-{}", k + 1),
                        from: s.from.clone(),
                        to: s.to.clone(),
                        from_label: label_of(&s.from),
                        to_label: label_of(&s.to),
                        action: s.action.clone(),
                        via: local_via(view, s),
                        note: s.note.clone(),
                        back: is_back(view, s),
                        // A response rides the connection back; it passes through nothing.
                        through: through(view, s)
                            .into_iter()
                            .filter(|_| !is_back(view, s))
                            .filter_map(|i| view.nodes.get(i))
                            .map(|n| Place {
                                kind_label: kind_label(n.kind),
                                label: n.label.clone(),
                            })
                            .collect(),
                        routed: !s.edges.is_empty(),
                        nodes: s.nodes.clone(),
                        edges: s.edges.clone(),
                    })
                    .collect(),
            })
            .collect();
        let count = |severity: Severity| {
            view.findings
                .iter()
                .filter(|f| f.severity == severity)
                .count()
        };
        Self {
            title: view.title.clone(),
            description: view.description.clone(),
            counts: Counts {
                components: view.nodes.len(),
                flows: flows.len(),
                steps: flows.iter().map(|f| f.steps.len()).sum(),
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
                infos: count(Severity::Info),
            },
            components,
            flows,
            places,
            decisions,
            tradeoffs,
            findings: view
                .findings
                .iter()
                .enumerate()
                .map(|(i, f)| Finding {
                    anchor: format!("finding-{}", i + 1),
                    location: format!("{}:{}:{}", f.file, f.line, f.column),
                    data: f.clone(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`diagram_blocks`] writes, as the plain definition: the shared style sheet taken
    /// out with `replacen`, the rest checked as one string, trimmed.
    fn blocks_plainly(diagrams: &Diagrams) -> String {
        let shared = svg_style(&diagrams.main.svg.svg);
        let mut out = String::new();
        for (i, v) in diagrams.others.iter().enumerate() {
            let svg = &v.svg.svg;
            let svg = match (shared, svg_style(svg)) {
                (Some(a), Some(b)) if a == b => svg.replacen(&format!("<style>{b}</style>"), "", 1),
                _ => svg.clone(),
            };
            let lower = svg.to_ascii_lowercase();
            if !lower.contains("</script") && !lower.contains("<!--") && !lower.contains("<script")
            {
                let _ = writeln!(
                    out,
                    "<script type=\"text/x-archflow-svg\" id=\"af-svg-{}\">{}</script>",
                    i + 1,
                    svg.trim_end()
                );
            }
        }
        out
    }

    #[test]
    fn data_blocks_leave_out_the_shared_style_and_anything_that_would_end_them() {
        let page_view = |svg: &str| PageView {
            name: String::new(),
            slug: String::new(),
            title: String::new(),
            kind: ViewKind::Overview,
            svg: Drawing::from(svg.to_owned()),
            narrow: None,
            flows: Vec::new(),
        };
        let style = "<style>.a{}</style>";
        let others = [
            // The shared style sheet, taken out.
            format!("<svg>{style}<g/></svg>\n"),
            // Another style sheet, kept.
            "<svg><style>.b{}</style><g/></svg>".to_owned(),
            // No style sheet; trailing space trimmed.
            "<svg><g/></svg>  \n ".to_owned(),
            // What would end the block, in any case, is left out.
            "<svg><text>&lt;</SCRIPT></text></svg>".to_owned(),
            "<svg><!-- x --></svg>".to_owned(),
            format!("<svg>{style}<ScRiPt/></svg>"),
            // Made only where the style sheet was taken out, on either side of it.
            format!("<svg></scr{style}ipt></svg>"),
            format!("<svg><!{style}--></svg>"),
            format!("<svg><{style}script></svg>"),
            // Safe, but near the seam.
            format!("<svg>&lt;/scr{style}ip</svg>"),
            // Non-ASCII on both sides of the seam.
            format!("<svg><text>é</text>{style}<text>ü</text></svg>"),
            format!("<svg>{style}</svg>\n\n"),
            "é<".to_owned(),
        ];
        let diagrams = Diagrams {
            main: page_view(&format!("<svg>{style}</svg>")),
            narrow: None,
            others: others.iter().map(|svg| page_view(svg)).collect(),
        };
        let quick = diagram_blocks(&diagrams);
        assert_eq!(quick, blocks_plainly(&diagrams));
        // The cases are told apart: some blocks kept, some left out.
        let kept = quick.matches("<script ").count();
        assert!(kept > 4 && kept < others.len(), "{quick}");
        assert!(
            quick.contains("id=\"af-svg-1\"><svg><g/></svg></script>"),
            "{quick}"
        );
    }

    #[test]
    fn ticks_become_code() {
        assert_eq!(
            ticks_to_html("unknown volume `d<a>` in `x`"),
            "unknown volume <code>d&lt;a&gt;</code> in <code>x</code>"
        );
        assert_eq!(ticks_to_html("odd ` tick <b>"), "odd ` tick &lt;b&gt;");
    }

    #[test]
    fn csp_names_the_script_hash() {
        // `echo -n 'abc' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            script_hash_source("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
        // `printf '' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            script_hash_source(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
        assert!(content_security_policy("abc").starts_with("default-src 'none'; "));
    }
}
