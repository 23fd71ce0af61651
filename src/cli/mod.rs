//! The command line: flags, reading the model, printing, writing files. The only module that
//! touches the file system or the terminal.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod completions;
mod drift;
mod export;
mod import;
mod import_compose;
mod import_ecs;
mod init;
mod inject;
mod output;
mod watch;

use std::io::{self, IsTerminal as _, Read as _, Write as _};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::analyze;
use crate::diagnostic::emit::{github, human, json, sarif};
use crate::diagnostic::{Diagnostic, Severity};
use crate::layout::{Direction, LayoutOptions};
use crate::render::{self, RenderError};
use crate::source::Source;
use crate::syntax::{self, MAX_INPUT_BYTES};
use crate::text::display_safe;
use crate::view::View;

/// Exit code: no error findings.
pub const EXIT_OK: u8 = 0;
/// Exit code: the model has error findings (or, with `check --deny`, denied findings).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: bad usage, unreadable or invalid input, or an I/O error.
pub const EXIT_USAGE: u8 = 2;

const DEFAULT_FILE: &str = "architecture.yaml";

const ABOUT: &str =
    "Check a YAML model of a containerised deployment and turn it into architecture diagrams.";

const LONG_ABOUT: &str = "\
archflow reads architecture.yaml, a model of an AWS ECS deployment (services, tasks, containers, \
load balancers, EFS file systems, actors and request flows), checks it for broken references, \
port mismatches, dependency cycles, lost data and single points of failure, and renders \
Graphviz DOT and Mermaid diagrams from it.";

const AFTER_HELP: &str = "\
Examples:
  archflow check                          check ./architecture.yaml
  archflow check model.yaml --format json findings as JSON, for CI
  archflow check --deny warnings --format github   fail CI on warnings too, annotate the PR
  archflow render --format dot | dot -Tsvg > arch.svg
  archflow render --format sequence --flow store-goal
  archflow build --out-dir docs/architecture
  archflow explain A009                   why a rule exists and how to fix it

Exit codes:
  0  no error findings (warnings allowed, unless `check --deny warnings`)
  1  the model has error findings (with `check --deny`, findings of the denied severities)
  2  bad usage, unreadable or invalid input, or an I/O error";

#[derive(Debug, Parser)]
#[command(name = "archflow", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
    /// When to color output (`auto`: when printing to a terminal and `NO_COLOR` is unset or
    /// empty).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when printing to a terminal and `NO_COLOR` is unset or empty.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the model and print every finding.
    #[command(after_help = "\
Examples:
  archflow check
  archflow check deploy/architecture.yaml --format json > findings.json
  archflow check --format sarif > archflow.sarif       for GitHub code scanning
  archflow check --format github                       annotations in a GitHub Actions run
  archflow check --deny warnings --quiet               CI: fail on warnings, print only them
  cat architecture.yaml | archflow check -             read the model from standard input

The model itself can turn rules off, change their severity (`checks: {rules: {A010: off}}`) and
suppress one rule on one item with a reason (`suppress: [{rule: A010, reason: ...}]`); see the
README and `archflow explain C001`.

Exit codes:
  0  no finding fails the check (by default: no error; warnings are printed but do not fail)
  1  a finding fails the check: an error, or a warning/info denied with --deny
  2  the file cannot be read or is not a valid model (the load error is printed in --format),
     or bad usage")]
    Check(CheckArgs),
    /// Render one diagram to standard output or a file.
    #[command(after_help = "\
Examples:
  archflow render --format mermaid
  archflow render --format dot --flow store-goal | dot -Tsvg > store-goal.svg
  archflow render --format sequence --flow store-goal -o docs/store-goal.mmd

Nothing is rendered when the model has error findings (exit 1).")]
    Render(RenderArgs),
    /// Write every diagram into a folder.
    #[command(after_help = "\
Writes architecture.dot, .mmd, .svg, .html and .md, and one sequence-<flow>.mmd per flow.
Each file is written whole or not at all; nothing is written when the model has errors.

Examples:
  archflow build
  archflow build deploy/architecture.yaml --out-dir docs/architecture")]
    Build(BuildArgs),
    /// Refresh the diagrams and tables between archflow markers in Markdown files.
    #[command(after_help = inject::AFTER_HELP)]
    Inject(inject::InjectArgs),
    /// List every rule: code, name, default severity, what it finds.
    #[command(after_help = "\
Examples:
  archflow rules
  archflow rules | grep warning      the rules that only warn
  archflow explain A010              one rule in full

A rule's severity can be changed, or the rule turned off, in the model's `checks.rules`.")]
    Rules,
    /// Print a rule's documentation: what it checks, why, an example, how to fix.
    #[command(after_help = "\
Works for rules (A…) and for the findings about the model's `checks:` and `suppress:`
settings (C001 unknown-rule, C002 missing-suppression-reason, C003 unused-suppression,
C004 duplicate-rule-setting).

Examples:
  archflow explain A009
  archflow explain shared-database-storage
  archflow explain C003")]
    Explain(ExplainArgs),
    /// Print the JSON Schema of architecture.yaml (for editors: completion, hover, validation).
    #[command(after_help = "\
Examples:
  archflow schema > archflow.schema.json

Then make this the model's first line, and editors with yaml-language-server (the VS Code YAML
extension, Neovim, Helix, Zed, …) complete, explain and validate every key as you type:
  # yaml-language-server: $schema=./archflow.schema.json

The schema checks the shape of the model (keys, types, allowed values); `archflow check` also
checks the references between names and the rules.")]
    Schema,
    /// Write a synthetic model of N services (for tests and benchmarks; see BENCHMARKS.md).
    #[command(
        hide = true,
        after_help = "\
The model is deterministic: the same --services and --seed give the same bytes, and it checks
with no finding.

Examples:
  archflow generate --services 1000 -o big.yaml
  archflow generate --services 50 --seed 7 | archflow check -"
    )]
    Generate(GenerateArgs),
    /// Write an architecture.yaml from ECS task definitions or a docker-compose file.
    #[command(
        subcommand,
        after_help = "\
Examples:
  archflow import ecs goals.json --service services.json -o architecture.yaml
  archflow import compose docker-compose.yml -o architecture.yaml

`archflow import ecs --help` and `archflow import compose --help` tell more."
    )]
    Import(import::ImportCommand),
    /// Write each service's task definition as `register-task-definition` JSON.
    #[command(subcommand, after_help = export::AFTER_HELP)]
    Export(export::ExportCommand),
    /// Compare the model with deployed task definitions and list what differs.
    #[command(after_help = drift::AFTER_HELP)]
    Drift(drift::DriftArgs),
    /// Write a starter architecture.yaml (the reference system) to edit.
    #[command(after_help = init::AFTER_HELP)]
    Init(init::InitArgs),
    /// Build every output, then rebuild whenever the model is saved.
    #[command(after_help = watch::AFTER_HELP)]
    Watch(watch::WatchArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = completions::COMPLETIONS_AFTER_HELP)]
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a folder.
    #[command(after_help = completions::MAN_AFTER_HELP)]
    Man(completions::ManArgs),
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// How many ECS services the model has.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub services: u32,
    /// Varies images, task counts, storage and calls; the same seed gives the same model.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Write here (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A rule code (`A001`) or name (`unknown-reference`).
    pub rule: String,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The model to check (`-` reads standard input).
    #[arg(default_value = DEFAULT_FILE)]
    pub file: PathBuf,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Human)]
    pub format: FindingsFormat,
    /// Make findings of this severity and above fail the check (exit 1), not only errors.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub deny: Option<DenyLevel>,
    /// Print only the findings that fail the check (errors, and those made to fail by --deny).
    /// With `human` and `github` nothing at all is printed when the check passes (not even the
    /// summary line); `json` and `sarif` always print a whole report, holding only those
    /// findings.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    /// rustc-style text with source snippets.
    Human,
    /// One JSON document with every finding, line and column.
    Json,
    /// A SARIF 2.1.0 log (GitHub code scanning, SARIF viewers).
    Sarif,
    /// GitHub Actions workflow commands: one `::error file=…,line=…::…` annotation per finding.
    Github,
}

/// The lowest severity that fails `check`, beyond errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DenyLevel {
    /// Warnings fail the check too.
    #[value(alias = "warning")]
    Warnings,
    /// Every finding fails the check: infos and warnings too.
    #[value(alias = "infos")]
    Info,
}

impl DenyLevel {
    /// The lowest severity that fails.
    #[must_use]
    pub const fn threshold(self) -> Severity {
        match self {
            Self::Warnings => Severity::Warning,
            Self::Info => Severity::Info,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The model to render (`-` reads standard input).
    #[arg(default_value = DEFAULT_FILE)]
    pub file: PathBuf,
    /// What to render.
    #[arg(long, short, value_enum, default_value_t = DiagramFormat::Mermaid)]
    pub format: DiagramFormat,
    /// A flow: highlighted in `dot`; the one drawn by `sequence`.
    #[arg(long)]
    pub flow: Option<String>,
    /// Write here (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub style: StyleArgs,
}

/// Options of the diagrams archflow lays out itself (SVG, HTML).
#[derive(Debug, Default, clap::Args)]
pub struct StyleArgs {
    /// Which way the diagram's tiers run (svg, html).
    #[arg(long, value_enum, default_value_t = Direction::LR)]
    pub direction: Direction,
    /// A folder of templates overriding the built-in ones by file name (html).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormat {
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
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The model to build (`-` reads standard input).
    #[arg(default_value = DEFAULT_FILE)]
    pub file: PathBuf,
    /// The folder to write into (created when missing).
    #[arg(long, default_value = "archflow-out")]
    pub out_dir: PathBuf,
    #[command(flatten)]
    pub style: StyleArgs,
}

/// Run a parsed command line; returns the process exit code.
#[must_use]
pub fn run(args: &Args) -> u8 {
    let color = |stream_is_tty: bool| match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    match &args.command {
        Command::Check(a) => check(a, color(io::stdout().is_terminal())),
        Command::Render(a) => render_one(a, color(io::stderr().is_terminal())),
        Command::Build(a) => build(a, color(io::stderr().is_terminal())),
        Command::Inject(a) => inject::run(a, color(io::stderr().is_terminal())),
        Command::Rules => {
            print_stdout(&rules_table());
            EXIT_OK
        }
        Command::Explain(a) => explain(&a.rule),
        Command::Schema => {
            print_stdout(&crate::syntax::schema::json_schema_text());
            EXIT_OK
        }
        Command::Generate(a) => generate(a),
        Command::Import(c) => import::run(c),
        Command::Export(c) => export::run(c),
        Command::Drift(a) => drift::run(a),
        Command::Init(a) => init::run(a),
        Command::Watch(a) => watch::run(a, color(io::stderr().is_terminal())),
        Command::Completions(a) => completions::completions(a),
        Command::Man(a) => completions::man(a),
    }
}

/// Print `text`, or write it atomically to `output`; the exit code.
fn emit(text: &str, output: Option<&Path>) -> u8 {
    let Some(path) = output else {
        print_stdout(text);
        return EXIT_OK;
    };
    match output::write_atomic(path, text.as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            EXIT_USAGE
        }
    }
}

/// `archflow generate`: a synthetic model to standard output or a file.
fn generate(args: &GenerateArgs) -> u8 {
    let text = crate::synth::generate(args.services as usize, args.seed);
    emit(&text, args.output.as_deref())
}

fn check(args: &CheckArgs, color: bool) -> u8 {
    // A file that is not UTF-8 or too large is a load finding like a YAML error: it is printed
    // in the chosen format.
    let (source, diagnostics, loaded) = match load_source(&args.file) {
        Ok(source) => {
            let analysis = analyze(&source);
            let loaded = !analysis.failed_to_load();
            (source, analysis.diagnostics, loaded)
        }
        Err(ReadError::Reported(code)) => return code,
        Err(ReadError::Finding(source, d)) => (source, vec![*d], false),
    };
    let threshold = args.deny.map_or(Severity::Error, DenyLevel::threshold);
    let fails = |d: &Diagnostic| d.severity >= threshold;
    let failed = diagnostics.iter().any(fails);
    let shown: Vec<Diagnostic> = if args.quiet {
        diagnostics.iter().filter(|d| fails(d)).cloned().collect()
    } else {
        diagnostics.clone()
    };
    let text = match args.format {
        FindingsFormat::Json => json::render(&source, &shown),
        FindingsFormat::Sarif => sarif::render(&source, &shown),
        FindingsFormat::Github => github::render(&source, &shown),
        FindingsFormat::Human if args.quiet && !failed => String::new(),
        FindingsFormat::Human => {
            let findings = human::render(&source, &shown, color);
            let denied = diagnostics
                .iter()
                .any(|d| fails(d) && d.severity < Severity::Error);
            let note = match args.deny {
                Some(DenyLevel::Warnings) if denied => " (denied by --deny warnings)",
                Some(DenyLevel::Info) if denied => " (denied by --deny info)",
                _ => "",
            };
            format!(
                "{findings}{}: {}{note}\n",
                source.path,
                human::summary(&diagnostics)
            )
        }
    };
    print_stdout(&text);
    if !loaded {
        EXIT_USAGE
    } else if failed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Load and check; on errors print them to stderr and return the exit code to stop with.
fn view_or_exit(file: &Path, color: bool) -> Result<View, u8> {
    let source = read_source(file)?;
    let analysis = analyze(&source);
    let (Some(model), Some(graph)) = (&analysis.model, &analysis.graph) else {
        eprint!("{}", human::render(&source, &analysis.diagnostics, color));
        return Err(EXIT_USAGE);
    };
    if analysis.has_errors() {
        eprint!("{}", human::render(&source, &analysis.diagnostics, color));
        eprintln!(
            "archflow: {}: {}; nothing was rendered",
            source.path,
            human::summary(&analysis.diagnostics)
        );
        return Err(EXIT_FINDINGS);
    }
    if !analysis.diagnostics.is_empty() {
        eprintln!(
            "archflow: {}: {} (run `archflow check` for details)",
            source.path,
            human::summary(&analysis.diagnostics)
        );
    }
    Ok(View::build(model, graph).with_findings(&source, &analysis.diagnostics))
}

/// Template overrides from `--templates DIR`: every file in the folder, by file name.
fn read_templates(dir: Option<&Path>) -> Result<std::collections::BTreeMap<String, String>, u8> {
    let mut templates = std::collections::BTreeMap::new();
    let Some(dir) = dir else {
        return Ok(templates);
    };
    let entries = std::fs::read_dir(dir).map_err(|e| {
        eprintln!(
            "error: cannot read templates folder `{}`: {}",
            dir.display(),
            io_reason(&e)
        );
        EXIT_USAGE
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                templates.insert(name.to_owned(), text);
            }
            Err(e) => {
                eprintln!(
                    "error: cannot read template `{}`: {}",
                    path.display(),
                    io_reason(&e)
                );
                return Err(EXIT_USAGE);
            }
        }
    }
    Ok(templates)
}

/// What the laid-out formats need besides the view.
#[derive(Debug, Default)]
pub struct RenderOptions {
    pub direction: Direction,
    /// Template overrides by file name.
    pub templates: std::collections::BTreeMap<String, String>,
}

impl RenderOptions {
    fn from_args(style: &StyleArgs) -> Result<Self, u8> {
        Ok(Self {
            direction: style.direction,
            templates: read_templates(style.templates.as_deref())?,
        })
    }
}

fn render_one(args: &RenderArgs, color: bool) -> u8 {
    if let Some(path) = &args.output
        && same_file(path, &args.file)
    {
        eprintln!(
            "error: `{}` is the model itself: writing the diagram there would replace it \
             (nothing was written)",
            path.display()
        );
        return EXIT_USAGE;
    }
    let view = match view_or_exit(&args.file, color) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let options = match RenderOptions::from_args(&args.style) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let text = match render_format(&view, args.format, args.flow.as_deref(), &options) {
        Ok(t) => t,
        Err(e) => {
            // The message may quote the model's names: no raw control or bidi characters.
            eprintln!("error: {}", display_safe(&e.to_string()));
            return EXIT_USAGE;
        }
    };
    emit(&text, args.output.as_deref())
}

/// Render one format; `flow` selects the highlighted (dot) or drawn (sequence) flow.
///
/// # Errors
/// When `flow` names no flow, or a sequence diagram has no flow to draw.
pub fn render_format(
    view: &View,
    format: DiagramFormat,
    flow: Option<&str>,
    options: &RenderOptions,
) -> Result<String, RenderError> {
    let flow = flow.map(|name| render::find_flow(view, name)).transpose()?;
    let svg = || {
        let layout = crate::layout::layout(
            view,
            LayoutOptions {
                direction: options.direction,
            },
        );
        render::svg::render(view, &layout)
    };
    Ok(match format {
        DiagramFormat::Dot => render::dot::render(view, flow),
        DiagramFormat::Mermaid => render::mermaid::flowchart(view),
        DiagramFormat::Svg => svg(),
        DiagramFormat::Html => render::html::render(view, &svg(), &options.templates)?,
        DiagramFormat::Md => render::markdown::page(view),
        DiagramFormat::Sequence => {
            let flow = match (flow, view.flows.as_slice()) {
                (Some(f), _) => f,
                (None, [only]) => only,
                (None, []) => return Err(RenderError::NoFlows),
                (None, many) => {
                    return Err(RenderError::SeveralFlows {
                        count: many.len(),
                        available: many
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            };
            render::mermaid::sequence(view, flow)
        }
    })
}

/// Every file `build` writes: (file name, contents), in a fixed order.
///
/// # Errors
/// When a template (built in or overridden) fails to render.
pub fn build_outputs(
    view: &View,
    options: &RenderOptions,
) -> Result<Vec<(String, String)>, RenderError> {
    let layout = crate::layout::layout(
        view,
        LayoutOptions {
            direction: options.direction,
        },
    );
    let svg = render::svg::render(view, &layout);
    let html = render::html::render(view, &svg, &options.templates)?;
    let mut files = vec![
        (
            "architecture.dot".to_owned(),
            render::dot::render(view, None),
        ),
        (
            "architecture.mmd".to_owned(),
            render::mermaid::flowchart(view),
        ),
        ("architecture.svg".to_owned(), svg),
        ("architecture.html".to_owned(), html),
        ("architecture.md".to_owned(), render::markdown::page(view)),
    ];
    let mut used = std::collections::BTreeSet::new();
    for flow in &view.flows {
        let base = output::file_stem(&flow.name);
        let mut name = format!("sequence-{base}.mmd");
        let mut k = 2;
        while !used.insert(name.clone()) {
            name = format!("sequence-{base}-{k}.mmd");
            k += 1;
        }
        files.push((name, render::mermaid::sequence(view, flow)));
    }
    Ok(files)
}

fn build(args: &BuildArgs, color: bool) -> u8 {
    build_with(args, color, &mut |path| {
        print_stdout(&format!("wrote {}\n", path.display()));
    })
}

/// `build`'s work (also `watch`'s): check, render, write; `on_write` is told of each file
/// written. Errors are printed here; returns the exit code.
fn build_with(args: &BuildArgs, color: bool, on_write: &mut dyn FnMut(&Path)) -> u8 {
    let view = match view_or_exit(&args.file, color) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let options = match RenderOptions::from_args(&args.style) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let files = match build_outputs(&view, &options) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {}", display_safe(&e.to_string()));
            return EXIT_USAGE;
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.out_dir) {
        eprintln!(
            "error: cannot create folder `{}`: {e}",
            args.out_dir.display()
        );
        return EXIT_USAGE;
    }
    for (name, text) in &files {
        let path = args.out_dir.join(name);
        if let Err(e) = output::write_atomic(&path, text.as_bytes()) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return EXIT_USAGE;
        }
        on_write(&path);
    }
    EXIT_OK
}

/// `archflow rules`: one aligned line per rule.
#[must_use]
pub fn rules_table() -> String {
    use std::fmt::Write as _;
    let width = crate::check::RULES
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for r in crate::check::RULES {
        let _ = writeln!(
            out,
            "{}  {:<width$}  {:<7}  {}",
            r.code,
            r.name,
            r.severity.to_string(),
            r.summary
        );
    }
    out
}

fn explain(rule: &str) -> u8 {
    if let Some(r) = crate::check::any_rule(rule) {
        print_stdout(r.doc);
        return EXIT_OK;
    }
    let names = crate::check::RULES
        .iter()
        .chain(crate::check::CONFIG_RULES)
        .flat_map(|r| [r.code, r.name]);
    let hint = crate::diagnostic::did_you_mean(rule, names)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    eprintln!("error: no rule `{rule}`{hint} (`archflow rules` lists them)");
    EXIT_USAGE
}

/// Why a model could not be read.
enum ReadError {
    /// An I/O problem, already reported on standard error; the exit code.
    Reported(u8),
    /// A load finding (not UTF-8, too large), with the source it is about, for the caller to print.
    Finding(Source, Box<Diagnostic>),
}

/// Read the model, refusing huge or non-UTF-8 input with a diagnostic. On failure the message
/// is printed (rustc-style, to standard error) and the exit code returned.
fn read_source(path: &Path) -> Result<Source, u8> {
    load_source(path).map_err(|e| match e {
        ReadError::Reported(code) => code,
        ReadError::Finding(source, d) => {
            eprint!("{}", human::render(&source, &[*d], false));
            EXIT_USAGE
        }
    })
}

/// Read the model; I/O errors are printed here, load findings returned.
fn load_source(path: &Path) -> Result<Source, ReadError> {
    let stdin = path == Path::new("-");
    let display = if stdin {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    let bytes = if stdin {
        let mut buf = Vec::new();
        let read = io::stdin().take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf);
        if let Err(e) = read {
            eprintln!("error: cannot read standard input: {e}");
            return Err(ReadError::Reported(EXIT_USAGE));
        }
        buf
    } else {
        let file = std::fs::File::open(path).and_then(|f| {
            let meta = f.metadata()?;
            if meta.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "it is a folder, not a file",
                ));
            }
            Ok((f, meta.len()))
        });
        let (file, len) = match file {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: cannot read `{display}`: {}", io_reason(&e));
                if e.kind() == io::ErrorKind::NotFound && path == Path::new(DEFAULT_FILE) {
                    eprintln!(
                        "help: run archflow in the folder that holds architecture.yaml, or pass the model's path"
                    );
                }
                return Err(ReadError::Reported(EXIT_USAGE));
            }
        };
        if len > MAX_INPUT_BYTES {
            let src = Source::new(display, "");
            return Err(ReadError::Finding(src, Box::new(syntax::too_large(len))));
        }
        let mut buf = Vec::new();
        if let Err(e) = file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf) {
            eprintln!("error: cannot read `{display}`: {}", io_reason(&e));
            return Err(ReadError::Reported(EXIT_USAGE));
        }
        buf
    };
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        let src = Source::new(display, "");
        let d = syntax::too_large(bytes.len() as u64);
        return Err(ReadError::Finding(src, Box::new(d)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(display, text)),
        Err(e) => {
            // The lossily decoded text equals the input up to the first bad byte, so the
            // finding's position is right.
            let mut d = syntax::not_utf8(e.as_bytes());
            // …where the bad byte became one U+FFFD.
            d.primary.span.end = d.primary.span.start + char::REPLACEMENT_CHARACTER.len_utf8();
            let src = Source::new(display, String::from_utf8_lossy(e.as_bytes()));
            Err(ReadError::Finding(src, Box::new(d)))
        }
    }
}

/// Whether `a` and `b` name one existing file (through links and `..` too).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

/// Print to stdout; a closed pipe (`| head`) is not an error.
fn print_stdout(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
