//! The library's entry points, in the spirit of d2's `d2lib`: the only place that wires the
//! stages together.
//!
//! - [`analyze`]: text → document, model, graph and findings ([`Analysis`]);
//! - [`build`]: an analysis → every file `archflow build` writes, as data ([`Outputs`]);
//! - [`render`]: an analysis → one text format (what `archflow render` prints);
//!   [`render_bytes`]: any format as bytes, PNG and PDF included.
//!
//! Nothing here touches the file system: the CLI reads the input and writes the outputs.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Located};
use crate::graph::ArchGraph;
use crate::layout::{self, Direction, LayoutOptions};
use crate::model::{self, Model};
use crate::render::raster::Scale;
use crate::render::svg::Drawing;
use crate::render::{self, RenderError};
use crate::source::Source;
use crate::syntax::document::ViewDirection;
use crate::syntax::{self, Document};
use crate::view::{NamedView, OVERVIEW_ABOVE, View, ViewKind, Views};

/// The result of loading and checking one model.
#[derive(Debug)]
pub struct Analysis {
    /// The text the analysis is of (findings point into it).
    pub source: Source,
    /// `None` when the text could not be loaded (see the `L0xx` diagnostics).
    pub model: Option<Model>,
    pub graph: Option<ArchGraph>,
    /// Load or rule findings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Whether any finding is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Whether the input could not be loaded at all.
    #[must_use]
    pub fn failed_to_load(&self) -> bool {
        self.model.is_none()
    }

    /// The parsed document, when the text loaded.
    #[must_use]
    pub fn document(&self) -> Option<&Document> {
        self.model.as_ref().map(|m| &m.doc)
    }

    /// The renderer-neutral view of the model, with the findings attached; `None` when the text
    /// did not load.
    #[must_use]
    pub fn view(&self) -> Option<View> {
        let (model, graph) = (self.model.as_ref()?, self.graph.as_ref()?);
        Some(View::build(model, graph).with_findings(&self.source, &self.diagnostics))
    }

    fn loaded_view(&self) -> Result<View, Error> {
        self.view().ok_or_else(|| Error::NotLoaded {
            path: self.source.path.clone(),
        })
    }

    /// Every view of the model (see [`Views::all`]); `None` when the text did not load.
    #[must_use]
    pub fn views(&self) -> Option<Vec<NamedView>> {
        let whole = self.view()?;
        let custom = self.document().map_or(&[][..], |d| d.views.as_slice());
        Some(Views::new(&whole).all(custom))
    }

    /// The view called `name` (or the default view), computed alone.
    ///
    /// # Errors
    /// When the model did not load, or no view has that name.
    pub fn named_view(&self, name: Option<&str>) -> Result<NamedView, Error> {
        let whole = self.loaded_view()?;
        let name = name.map_or_else(|| default_view(&whole).to_owned(), str::to_owned);
        let custom = self.document().map_or(&[][..], |d| d.views.as_slice());
        let views = Views::new(&whole);
        let named = |kind, title: String, description, view| NamedView {
            name: name.clone(),
            kind,
            title,
            description,
            direction: None,
            view,
        };
        let found = match name.as_str() {
            "all" => Some(named(
                ViewKind::All,
                whole.title.clone(),
                whole.description.clone(),
                whole.clone(),
            )),
            "overview" => Some(named(
                ViewKind::Overview,
                format!("{}: overview", whole.title),
                None,
                views.overview(),
            )),
            other => {
                if let Some(service) = other.strip_prefix("service:") {
                    views
                        .service(service)
                        .map(|v| named(ViewKind::Service, format!("Service {service}"), None, v))
                } else if let Some(flow) = other.strip_prefix("flow:") {
                    let title = whole.flow(flow).map(|f| f.title.clone());
                    views
                        .flow(flow)
                        .zip(title)
                        .map(|(v, title)| named(ViewKind::Flow, title, None, v))
                } else {
                    custom
                        .iter()
                        .find(|d| d.name.value == other)
                        .map(|d| views.named_custom(d))
                }
            }
        };
        found.ok_or_else(|| {
            let known: Vec<String> = views.all(custom).into_iter().map(|v| v.name).collect();
            let hint =
                match crate::diagnostic::did_you_mean(&name, known.iter().map(String::as_str)) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => format!(" (`archflow views` lists them: {})", short_list(&known)),
                };
            Error::Invalid(format!("no view named `{name}`{hint}"))
        })
    }
}

/// Parse, lower, build the graph and run every rule.
#[must_use]
pub fn analyze(source: &Source) -> Analysis {
    analyze_owned(source.clone())
}

/// [`analyze`] a source the caller no longer needs (no copy of a large text).
#[must_use]
pub fn analyze_owned(source: Source) -> Analysis {
    let doc = syntax::parse(&source);
    analyze_parsed(source, doc)
}

/// The stages after reading: lower, graph, rules.
fn analyze_parsed(source: Source, doc: Result<Document, Vec<Diagnostic>>) -> Analysis {
    match doc {
        Err(diagnostics) => Analysis {
            source,
            model: None,
            graph: None,
            diagnostics,
        },
        Ok(doc) => {
            let model = model::lower(doc);
            let ambiguous = model::ambiguities(&model);
            if !ambiguous.is_empty() {
                return Analysis {
                    source,
                    model: None,
                    graph: None,
                    diagnostics: ambiguous,
                };
            }
            let graph = ArchGraph::build(&model);
            let diagnostics = crate::check::run(&model, &graph);
            Analysis {
                source,
                model: Some(model),
                graph: Some(graph),
                diagnostics,
            }
        }
    }
}

/// [`analyze`] two versions of a model (`archflow diff`'s two sides). For a large model, reading
/// the YAML is most of the time: the second is read beside the first, so that the list items
/// it has unchanged are not read again ([`syntax::parse_beside`]); the later stages run on two
/// threads. The result is that of analysing each alone.
#[must_use]
pub fn analyze_both(a: &Source, b: &Source) -> (Analysis, Analysis) {
    let first = syntax::parse(a);
    let second = syntax::parse_beside(b, first.as_ref().ok().map(|doc| (a.text.as_str(), doc)));
    crate::parallel::join(
        || analyze_parsed(a.clone(), first),
        || analyze_parsed(b.clone(), second),
    )
}

/// One output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphviz DOT (feed it to `dot -Tsvg`).
    Dot,
    /// A Mermaid flowchart (renders on GitHub).
    Mermaid,
    /// A Mermaid sequence diagram of one flow.
    Sequence,
    /// An SVG laid out by archflow (no Graphviz needed).
    Svg,
    /// One self-contained HTML page that walks through each request flow.
    Html,
    /// A Markdown page: diagrams, components, flows and findings.
    Md,
    /// The SVG as a PNG picture (drawn by archflow; size times --scale).
    Png,
    /// The SVG as a one-page vector PDF (text stays searchable).
    Pdf,
}

impl Format {
    /// Whether the format is bytes rather than text (see [`render_bytes`]).
    #[must_use]
    pub fn is_binary(self) -> bool {
        matches!(self, Self::Png | Self::Pdf)
    }
}

/// What the laid-out formats need besides the model.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Which way the diagram's tiers run (SVG, HTML), unless the view says otherwise.
    pub direction: Direction,
    /// Template overrides by file name (HTML).
    pub templates: BTreeMap<String, String>,
    /// The view to render (`render`) or to write as `architecture.*` (`build`): `all`,
    /// `overview`, `service:NAME`, `flow:NAME` or a view of the model's. `None`: the default,
    /// `all` up to [`OVERVIEW_ABOVE`] services and `overview` above.
    pub view: Option<String>,
    /// The PNG's pixel scale (2 by default: sharp on high-density screens).
    pub scale: Scale,
    /// `render --animate`: the SVG plays the flow `render` is given, hop by hop.
    pub animate: bool,
}

impl BuildOptions {
    fn direction_of(&self, view: &NamedView) -> Direction {
        match view.direction {
            Some(ViewDirection::LR) => Direction::LR,
            Some(ViewDirection::TB) => Direction::TB,
            None => self.direction,
        }
    }
}

/// One rendered file: its name in the output folder and its contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub name: String,
    pub text: String,
}

/// One format rendered as bytes ([`render_bytes`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// Something the reader should know, such as a PNG drawn smaller than asked.
    pub note: Option<String>,
}

/// Every file `build` writes, in a fixed order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outputs {
    pub files: Vec<Output>,
}

/// The quality of archflow's layout of the view `options` selects (crossings, overlaps, bends,
/// length, area, backwards edges), as JSON: `render --stats`.
///
/// # Errors
/// When the model did not load or no view has that name.
pub fn stats(analysis: &Analysis, options: &BuildOptions) -> Result<String, Error> {
    let named = analysis.named_view(options.view.as_deref())?;
    let direction = options.direction_of(&named);
    Ok(layout::stats_json(&named.view, LayoutOptions { direction }))
}

/// What `--animate` needs, and how to ask for it.
pub const ANIMATE_USAGE: &str = "--animate plays a flow in an SVG: use it with --format svg \
     --flow NAME, e.g. `archflow render --format svg --flow store-goal --animate -o \
     docs/store-goal.svg`";

/// Render one text format; `flow` selects the highlighted (dot) or drawn (sequence) flow. PNG
/// and PDF are bytes: [`render_bytes`] renders them.
///
/// # Errors
/// When the model did not load, `flow` names no flow, a sequence diagram has no flow to draw, a
/// template fails, or `format` is binary.
pub fn render(
    analysis: &Analysis,
    format: Format,
    flow: Option<&str>,
    options: &BuildOptions,
) -> Result<String, Error> {
    let named = analysis.named_view(options.view.as_deref())?;
    let direction = options.direction_of(&named);
    let view = named.view.clone();
    let flow = flow
        .map(|name| render::find_flow(&view, name))
        .transpose()?;
    if options.animate && (format != Format::Svg || flow.is_none()) {
        return Err(Error::Invalid(ANIMATE_USAGE.to_owned()));
    }
    Ok(match format {
        Format::Dot => render::dot::render(&view, flow),
        Format::Mermaid => render::mermaid::flowchart(&view),
        Format::Svg => match flow {
            Some(flow) if options.animate => render::animate::render(
                &view,
                &layout::layout(&view, LayoutOptions { direction }),
                flow,
            ),
            _ => svg(&view, direction),
        },
        Format::Html => {
            let (diagrams, _) = page_diagrams(analysis, &named, &view, options, None);
            render::html::render_page(&view, &diagrams, &options.templates)?
        }
        Format::Md => render::markdown::page(&view),
        Format::Png | Format::Pdf => {
            return Err(Error::Invalid(
                "PNG and PDF are bytes, not text: render them with `render_bytes`".to_owned(),
            ));
        }
        Format::Sequence => {
            let flow = match (flow, view.flows.as_slice()) {
                (Some(f), _) => f,
                (None, [only]) => only,
                (None, []) => return Err(RenderError::NoFlows.into()),
                (None, many) => {
                    return Err(RenderError::SeveralFlows {
                        count: many.len(),
                        available: many
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    }
                    .into());
                }
            };
            render::mermaid::sequence(&view, flow)
        }
    })
}

/// Render any format as bytes: PNG and PDF (drawn from the SVG, at `options.scale` for PNG),
/// and the text formats as UTF-8.
///
/// # Errors
/// As [`render`]; and when the SVG cannot be drawn or encoded.
pub fn render_bytes(
    analysis: &Analysis,
    format: Format,
    flow: Option<&str>,
    options: &BuildOptions,
) -> Result<Rendered, Error> {
    if !format.is_binary() {
        return render(analysis, format, flow, options).map(|text| Rendered {
            bytes: text.into_bytes(),
            note: None,
        });
    }
    if options.animate {
        return Err(Error::Invalid(ANIMATE_USAGE.to_owned()));
    }
    let named = analysis.named_view(options.view.as_deref())?;
    let direction = options.direction_of(&named);
    if let Some(name) = flow {
        render::find_flow(&named.view, name)?;
    }
    let svg = svg(&named.view, direction);
    Ok(if format == Format::Png {
        let png = render::png::render(&svg, options.scale).map_err(RenderError::from)?;
        Rendered {
            bytes: png.bytes,
            note: png.note,
        }
    } else {
        let pdf = render::pdf::render(&svg).map_err(RenderError::from)?;
        Rendered {
            bytes: pdf.bytes,
            note: pdf.note,
        }
    })
}

/// Every file `archflow build` writes: the diagrams, the HTML and Markdown pages, and one
/// sequence diagram per flow.
///
/// # Errors
/// When the model did not load, a flow's name cannot be a file name of its own (the findings of
/// rule A035 about flows, whatever the model's `checks:` say: nothing could be written), or a
/// template (built in or overridden) fails to render.
pub fn build(analysis: &Analysis, options: &BuildOptions) -> Result<Outputs, Error> {
    if let Some(model) = &analysis.model {
        let unwritable = crate::check::flow_file_findings(model);
        if !unwritable.is_empty() {
            return Err(Error::Input(
                unwritable
                    .iter()
                    .map(|d| Located::of_diagnostic(&analysis.source, d))
                    .collect(),
            ));
        }
    }
    let main = analysis.named_view(options.view.as_deref())?;
    let views = analysis.views().unwrap_or_default();
    let stems = view_stems(&views);
    // Only the page's main view is cut into tiles: the others keep their text alone.
    let mut drawn: Vec<Drawing> = crate::parallel::map(&views, |named| {
        let direction = options.direction_of(named);
        if named.name == main.name {
            drawing(&named.view, direction)
        } else {
            svg(&named.view, direction).into()
        }
    });
    // The page's diagrams take the drawings (they are big: not copied), and give them back.
    let (diagrams, taken) = page_diagrams(
        analysis,
        &main,
        &main.view,
        options,
        Some((&views, &stems, &mut drawn)),
    );
    let outputs = outputs_with(
        &main.view,
        options,
        options.direction_of(&main),
        Some(&diagrams),
    );
    let render::html::Diagrams {
        main: first,
        others,
        ..
    } = diagrams;
    for (page_view, i) in std::iter::once(first).chain(others).zip(taken) {
        if let Some(i) = i {
            drawn[i] = page_view.svg;
        }
    }
    let mut outputs = outputs?;
    // Written last, so that the page is not made while they are held too.
    let mermaid = crate::parallel::map(&views, |named| render::mermaid::flowchart(&named.view));
    for ((stem, laid_out), mermaid) in stems.iter().zip(drawn).zip(mermaid) {
        outputs.files.push(Output {
            name: format!("views/{stem}.svg"),
            text: laid_out.svg,
        });
        outputs.files.push(Output {
            name: format!("views/{stem}.mmd"),
            text: mermaid,
        });
    }
    Ok(outputs)
}

/// Each view's file stem (`service:api` → `service-api`), unique ignoring case, in order.
fn view_stems(views: &[NamedView]) -> Vec<String> {
    let mut used = BTreeSet::new();
    views
        .iter()
        .map(|named| unique(&mut used, &file_stem(&named.name.replace(':', "-")), ""))
        .collect()
}

/// Up to this many views besides the main one, the HTML page also carries each left-to-right view
/// laid out top to bottom, for narrow screens (the main view has its twin unless it is drawn in tiles).
pub const NARROW_TWINS_UP_TO: usize = 60;

/// The diagrams of the HTML page: `main` drawn both ways, and every other view but `all` (the
/// overview and the views of each service and flow, and the model's own), drawn once here or
/// taken out of `drawn` (the views, their stems and drawings, as `build` draws them); with few
/// views, each of them top to bottom as well. Beside them, for the main diagram and then each
/// other, the index in `drawn` it was taken from, if any: the caller puts them back.
fn page_diagrams(
    analysis: &Analysis,
    main: &NamedView,
    view: &View,
    options: &BuildOptions,
    drawn: Option<(&[NamedView], &[String], &mut [Drawing])>,
) -> (render::html::Diagrams, Vec<Option<usize>>) {
    let direction = options.direction_of(main);
    // Every view would carry a copy of a huge name: a model with one gets its main view alone.
    let huge = |text: &str| text.len() > 64 * 1024;
    if view.nodes.iter().any(|n| huge(&n.label) || huge(&n.id))
        || view.clusters.iter().any(|c| huge(&c.label))
        || view
            .edges
            .iter()
            .any(|e| e.label.as_deref().is_some_and(huge))
    {
        let alone = render::html::Diagrams {
            main: render::html::PageView {
                name: main.name.clone(),
                slug: file_stem(&main.name.replace(':', "-")),
                title: main.title.clone(),
                kind: main.kind,
                svg: svg(view, direction).into(),
                narrow: None,
                flows: Vec::new(),
            },
            narrow: None,
            others: Vec::new(),
        };
        return (alone, vec![None]);
    }
    let computed;
    let (views, stems, mut svgs): (&[NamedView], Vec<String>, Option<&mut [Drawing]>) =
        if let Some((views, stems, svgs)) = drawn {
            (views, stems.to_vec(), Some(svgs))
        } else {
            computed = analysis.views().unwrap_or_default();
            let stems = view_stems(&computed);
            (&computed, stems, None)
        };
    let mut taken = Vec::new();
    // The main view as `build` drew it, when it drew it the same way.
    let main_at = views
        .iter()
        .position(|v| v.name == main.name)
        .filter(|&i| svgs.is_some() && options.direction_of(&views[i]) == direction);
    taken.push(main_at);
    let main_svg = match (main_at, svgs.as_deref_mut()) {
        (Some(i), Some(s)) => std::mem::take(&mut s[i]),
        _ => drawing(view, direction),
    };
    // A drawing big enough to come in tiles is panned on any screen: no twin for narrow ones.
    let narrow =
        (direction == Direction::LR && main.direction.is_none() && main_svg.parts.is_empty())
            .then(|| svg(view, Direction::TB));
    let slug_of = |name: &str| {
        views
            .iter()
            .position(|v| v.name == name)
            .map_or_else(|| file_stem(&name.replace(':', "-")), |i| stems[i].clone())
    };
    let main_page = render::html::PageView {
        name: main.name.clone(),
        slug: slug_of(&main.name),
        title: main.title.clone(),
        kind: main.kind,
        svg: main_svg,
        narrow: None,
        flows: Vec::new(),
    };
    let shown: Vec<(usize, &NamedView)> = views
        .iter()
        .enumerate()
        .filter(|(_, v)| v.name != main.name && v.kind != ViewKind::All)
        .collect();
    // With few views, each left-to-right one also comes top to bottom for narrow screens, as
    // the main view does; a page of many services stays as light as it is.
    let twins = shown.len() <= NARROW_TWINS_UP_TO;
    let others = shown
        .into_iter()
        .map(|(i, v)| {
            let across = options.direction_of(v);
            let drawn = if let Some(s) = svgs.as_deref_mut() {
                taken.push(Some(i));
                std::mem::take(&mut s[i])
            } else {
                taken.push(None);
                svg(&v.view, across).into()
            };
            render::html::PageView {
                name: v.name.clone(),
                slug: stems[i].clone(),
                title: v.title.clone(),
                kind: v.kind,
                svg: drawn,
                narrow: (twins && across == Direction::LR && v.direction.is_none())
                    .then(|| svg(&v.view, Direction::TB)),
                flows: render::html::flow_steps(&v.view),
            }
        })
        .collect();
    let diagrams = render::html::Diagrams {
        main: main_page,
        narrow,
        others,
    };
    (diagrams, taken)
}

/// [`build`]'s files from a view (for callers that build or change the view themselves).
///
/// # Errors
/// When a template (built in or overridden) fails to render.
pub fn outputs(view: &View, options: &BuildOptions) -> Result<Outputs, RenderError> {
    outputs_with(view, options, options.direction, None)
}

fn outputs_with(
    view: &View,
    options: &BuildOptions,
    direction: Direction,
    diagrams: Option<&render::html::Diagrams>,
) -> Result<Outputs, RenderError> {
    let svg = diagrams.map_or_else(|| svg(view, direction), |d| d.main.svg.svg.clone());
    // The page on one thread, the other files on the other.
    let (html, (dot, mermaid, markdown, sequences)) = crate::parallel::join(
        || match diagrams {
            Some(d) => render::html::render_page(view, d, &options.templates),
            None => render::html::render(view, &svg, &options.templates),
        },
        || {
            // Names are checked before (rule A035); should two still meet, ignoring case, the
            // second is numbered rather than written over the first.
            let mut used = BTreeSet::new();
            let sequences: Vec<(String, String)> = view
                .flows
                .iter()
                .map(|flow| {
                    let name = unique(
                        &mut used,
                        &format!("sequence-{}", file_stem(&flow.name)),
                        ".mmd",
                    );
                    (name, render::mermaid::sequence(view, flow))
                })
                .collect();
            (
                render::dot::render(view, None),
                render::mermaid::flowchart(view),
                render::markdown::page_beside_svg(view, "architecture.svg"),
                sequences,
            )
        },
    );
    let mut files = vec![
        ("architecture.dot".to_owned(), dot),
        ("architecture.mmd".to_owned(), mermaid),
        ("architecture.svg".to_owned(), svg),
        ("architecture.html".to_owned(), html?),
        ("architecture.md".to_owned(), markdown),
    ];
    files.extend(sequences);
    Ok(Outputs {
        files: files
            .into_iter()
            .map(|(name, text)| Output { name, text })
            .collect(),
    })
}

fn svg(view: &View, direction: Direction) -> String {
    let laid_out = layout::layout(view, LayoutOptions { direction });
    render::svg::render(view, &laid_out)
}

/// [`svg`], with where each node and edge is in it when the view is big enough for the HTML page
/// to draw it in tiles (`render::html::tiles`).
fn drawing(view: &View, direction: Direction) -> Drawing {
    let laid_out = layout::layout(view, LayoutOptions { direction });
    let mut drawn = render::svg::drawing(view, &laid_out);
    if drawn.parts.len() < render::html::tiles::TILED_FROM {
        drawn.parts = Vec::new();
    }
    drawn
}

/// `base` + `extension`, or `base-2` + `extension`, … : the first not in `used` when case is
/// ignored (then added), so that no two files are one on a case-insensitive file system.
fn unique(used: &mut BTreeSet<String>, base: &str, extension: &str) -> String {
    let mut name = format!("{base}{extension}");
    let mut k = 2;
    while !used.insert(name.to_lowercase()) {
        name = format!("{base}-{k}{extension}");
        k += 1;
    }
    name
}

/// The view `render` and `build` draw when none is named: everything, or for a model of more
/// than [`OVERVIEW_ABOVE`] services the overview.
#[must_use]
pub fn default_view(whole: &View) -> &'static str {
    if whole.service_count() > OVERVIEW_ABOVE {
        "overview"
    } else {
        "all"
    }
}

/// At most eight names, then `…`.
fn short_list(names: &[String]) -> String {
    let mut list = names.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > 8 {
        list.push_str(", …");
    }
    list
}

/// A file-name-safe stem for a user's name: `[A-Za-z0-9._-]`, others as `_`.
#[must_use]
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_start_matches('.');
    if stem.is_empty() {
        "flow".to_owned()
    } else {
        stem.to_owned()
    }
}
