//! The command line: flags, reading the model, printing, writing files. The only module that
//! touches the file system or the terminal.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod build;
mod completions;
mod diff;
mod drift;
mod export;
mod import;
mod import_cloudformation;
mod import_compose;
mod import_ecs;
mod import_terraform;
mod init;
mod inject;
mod output;
mod read;
mod watch;

use std::collections::BTreeMap;
use std::io::{self, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::code::{self, Code, Kind};
use crate::diagnostic::emit::{github, human, json, sarif};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, io_reason};
use crate::layout::Direction;
use crate::source::Source;
use crate::{Analysis, BuildOptions, Format, analyze};
use read::ReadError;

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
  archflow diff HEAD~1 architecture.yaml  what the last commit changed in the architecture
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
  archflow render --format svg --flow store-goal --animate -o docs/store-goal.svg
  archflow render --format png -o architecture.png
  archflow render --format png --scale 1 > architecture.png
  archflow render --format pdf -o architecture.pdf

PNG and PDF are drawn by archflow itself (no browser, no Graphviz) in the light theme. Their
text always uses the bundled Liberation Sans (SIL Open Font License; metrics of Arial and
Helvetica), never a font installed on the machine, so the same model gives the same bytes
everywhere. A PNG or PDF is not written to a terminal: pass -o FILE or redirect.

With --animate the SVG plays one flow: each hop lights up in turn, numbered and captioned,
and the flow loops. It is CSS only (no script), so it plays where a README shows it as an
image: <img src=\"docs/store-goal.svg\" alt=\"Store a goal, hop by hop\">. Readers who ask for reduced motion see
every hop at once, numbered.

Findings do not stop the drawing: a one-line summary goes to standard error and the exit code
is 0 (`--deny error` makes it 1 after writing; `archflow check` is the gate). Only a model that
does not load, or has references that name nothing (A001), is not rendered.")]
    Render(RenderArgs),
    /// List the views of the model: the built-in ones and the model's own `views:`.
    #[command(after_help = "\
Built in: `all` (every component), `overview` (services as single boxes, with the load
balancers, actors and file systems; edges aggregated, with counts), `service:NAME` (a service's
containers and volumes, with what calls them and what they call) and `flow:NAME` (the
components and hops of a flow, numbered). The model's `views:` select components by name,
kind, tag or service.

Examples:
  archflow views
  archflow render --view overview --format svg -o overview.svg
  archflow render --view service:goals --format mermaid")]
    Views(ViewsArgs),
    /// Write every diagram into a folder.
    #[command(after_help = "\
Writes architecture.dot, .mmd, .svg, .html and .md, and one sequence-<flow>.mmd per flow, as
one unit: all of them or, on any failure, none (the previous outputs stay as they were). A file
that already holds what this build would write is left as it was, time stamp and all. The
files written are listed in .archflow-build.json in the folder; the next build removes those it
no longer writes (a removed flow's diagram) unless they were changed since. Findings do not stop
the build (a one-line summary goes to standard error); only a model that does not load, has
references that name nothing (A001) or flow names that cannot be file names (A035) writes
nothing.

With --history V1 V2 [V3…] (oldest first; each a file, `REVISION:PATH` or a bare git revision
as in `archflow diff`), it builds the newest version and also writes history.html: one page
that steps from each version to the next over one diagram laid out once (added, removed and
changed components marked), with each version's description, decisions and list of changes.
Every version is read before anything is written.

Examples:
  archflow build
  archflow build deploy/architecture.yaml --out-dir docs/architecture
  archflow build --deny warning        CI: write the docs, then fail on warnings and errors
  archflow build --history architecture.yaml examples/goals-v2.yaml -o docs/evolution
  archflow build --history HEAD~2 HEAD~1 architecture.yaml    the last two commits and now")]
    Build(BuildArgs),
    /// Compare two versions of the model (files or git revisions): what changed, as text,
    /// JSON, Markdown or a picture.
    #[command(after_help = diff::AFTER_HELP)]
    Diff(diff::DiffArgs),
    /// Refresh the diagrams and tables between archflow markers in Markdown files.
    #[command(after_help = inject::AFTER_HELP)]
    Inject(inject::InjectArgs),
    /// List every rule: code, name, default severity, what it finds.
    #[command(after_help = "\
Examples:
  archflow rules
  archflow rules | grep warning      the rules that only warn
  archflow rules --all               also the load errors (L…) and settings findings (C…)
  archflow explain A010              one rule in full

A rule's severity can be changed, or the rule turned off, in the model's `checks.rules`.")]
    Rules(RulesArgs),
    /// Print a rule's documentation: what it checks, why, an example, how to fix.
    #[command(after_help = "\
Works for every code `archflow rules --all` lists: rules (A…), the findings about the model's
`checks:` and `suppress:` settings (C…) and load errors (L…).

Examples:
  archflow explain A009
  archflow explain shared-database-storage
  archflow explain C003
  archflow explain L003")]
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
  archflow import cloudformation service.yaml --parameter Env=prod -o architecture.yaml
  archflow import terraform infra/ -o architecture.yaml

`archflow import ecs --help`, `archflow import compose --help`,
`archflow import cloudformation --help` and `archflow import terraform --help` tell more."
    )]
    Import(import::ImportCommand),
    /// Write each service's task definition and service as `register-task-definition` and
    /// `create-service` JSON.
    #[command(subcommand, after_help = export::AFTER_HELP)]
    Export(export::ExportCommand),
    /// Compare the model with deployed task definitions and services and list what differs.
    #[command(after_help = drift::AFTER_HELP)]
    Drift(drift::DriftArgs),
    /// Write a starter architecture.yaml (the reference system) to edit.
    #[command(after_help = init::AFTER_HELP)]
    Init(init::InitArgs),
    /// Build every output, then rebuild whenever the model is saved.
    #[command(after_help = watch::AFTER_HELP)]
    Watch(watch::WatchArgs),
    /// Run the language server (LSP over standard input and output), for editors.
    #[command(after_help = "\
Editors start it themselves; see the README's \"Editor support\" for VS Code, Neovim and Helix.
It checks the open model as you type (the same findings as `archflow check`), and offers hover,
go to definition, find references, rename, completion, quick fixes, an outline, and a live
preview of the diagram (the `archflow/preview` request).

Examples:
  archflow lsp                     what an editor runs: LSP over standard input and output
  ARCHFLOW_LSP_TIMINGS=1 archflow lsp   also log how long each analysis took (standard error)")]
    Lsp,
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
    /// A code (`A001`, `C002`, `L003`) or name (`unknown-reference`).
    pub rule: String,
}

#[derive(Debug, clap::Args)]
pub struct ViewsArgs {
    /// The model (`-` reads standard input).
    #[arg(default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// List every code: load errors (L…) and settings findings (C…) as well as the rules.
    #[arg(long)]
    pub all: bool,
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

/// The lowest severity that fails a command (exit 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DenyLevel {
    /// Errors fail (what `check` does without --deny).
    #[value(alias = "errors")]
    Error,
    /// Warnings fail too.
    #[value(alias = "warning")]
    Warnings,
    /// Every finding fails: infos and warnings too.
    #[value(alias = "infos")]
    Info,
}

impl DenyLevel {
    /// The lowest severity that fails.
    #[must_use]
    pub const fn threshold(self) -> Severity {
        match self {
            Self::Error => Severity::Error,
            Self::Warnings => Severity::Warning,
            Self::Info => Severity::Info,
        }
    }
}

/// `--deny` of the commands that write from the model (render, build, export, inject).
#[derive(Clone, Copy, Debug, Default, clap::Args)]
pub struct DenyArgs {
    /// After writing, exit 1 when a finding of this severity or above exists (for CI). Without
    /// it findings never change the exit code; `archflow check` is the gate.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub deny: Option<DenyLevel>,
}

impl DenyArgs {
    /// How a command that wrote its outputs ends: `Findings` when `--deny` denies a finding.
    #[must_use]
    pub fn exit(self, analysis: &Analysis) -> Exit {
        let denied = self.deny.is_some_and(|level| {
            analysis
                .diagnostics
                .iter()
                .any(|d| d.severity >= level.threshold())
        });
        if denied { Exit::Findings } else { Exit::Clean }
    }
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The model to render (`-` reads standard input).
    #[arg(default_value = DEFAULT_FILE)]
    pub file: PathBuf,
    /// What to render.
    #[arg(long, short, value_enum, default_value_t = Format::Mermaid)]
    pub format: Format,
    /// A flow: highlighted in `dot`; the one drawn by `sequence`; the one `svg --animate` plays.
    #[arg(long)]
    pub flow: Option<String>,
    /// Play the flow on the SVG: its hops light up in order, numbered, with a caption, looping
    /// (CSS animation only, no script: it plays in a README's `<img>`). Needs `--format svg
    /// --flow NAME`.
    #[arg(long)]
    pub animate: bool,
    /// Write here (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Instead of a diagram, the quality of archflow's own layout (the one svg and html draw) as
    /// JSON: crossings, overlaps, bends, edge length, area, backwards edges.
    #[arg(long)]
    pub stats: bool,
    /// The PNG's pixel scale, from 0.1 to 8: 1 draws one pixel per SVG unit; the default, 2,
    /// suits high-density screens (png only).
    #[arg(long, value_name = "FACTOR")]
    pub scale: Option<crate::render::raster::Scale>,
    #[command(flatten)]
    pub style: StyleArgs,
    #[command(flatten)]
    pub deny: DenyArgs,
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
    /// The view to draw: `all`, `overview`, `service:NAME`, `flow:NAME` or one of the model's
    /// `views:` (`archflow views` lists them). Default: `all`, or `overview` above 15 services.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The model to build (`-` reads standard input).
    #[arg(default_value = DEFAULT_FILE)]
    pub file: PathBuf,
    /// The folder to write into (created when missing).
    #[arg(long, short = 'o', default_value = "archflow-out")]
    pub out_dir: PathBuf,
    /// Versions of the model, oldest first, instead of FILE: each a file or a git revision
    /// (`REVISION:PATH`). Writes the newest version's files and `history.html`, a page that steps
    /// from each version to the next.
    #[arg(long, num_args = 2.., value_name = "VERSION", conflicts_with = "file")]
    pub history: Vec<String>,
    #[command(flatten)]
    pub style: StyleArgs,
    #[command(flatten)]
    pub deny: DenyArgs,
}

/// How a command ended when it could do its job. Every other ending is an [`Error`]; the
/// binary's `main` maps both to the process exit code, in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Done, and nothing fails (exit 0).
    Clean,
    /// Done, but something fails: error findings (or findings `--deny` denies), drift, a stale
    /// README block (exit 1).
    Findings,
    /// The input is not a valid model; its load findings have been printed (exit 2).
    Invalid,
}

impl Exit {
    /// The process exit code of a command's result.
    #[must_use]
    pub fn code(result: &Result<Self, Error>) -> u8 {
        match result {
            Ok(Self::Clean) => 0,
            Ok(Self::Findings) => 1,
            Ok(Self::Invalid) | Err(_) => 2,
        }
    }
}

/// Run a parsed command line.
///
/// # Errors
/// When archflow cannot do its job: see [`Error`].
pub fn run(args: &Args) -> Result<Exit, Error> {
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
        Command::Build(a) => build::run(a, color(io::stderr().is_terminal())),
        Command::Views(a) => views(a, color(io::stderr().is_terminal())),
        Command::Diff(a) => diff::run(
            a,
            color(io::stdout().is_terminal()),
            color(io::stderr().is_terminal()),
        ),
        Command::Inject(a) => inject::run(a, color(io::stderr().is_terminal())),
        Command::Rules(a) => {
            print_stdout(&rules_table(a.all));
            Ok(Exit::Clean)
        }
        Command::Explain(a) => explain(&a.rule),
        Command::Schema => {
            print_stdout(&crate::syntax::schema::json_schema_text());
            Ok(Exit::Clean)
        }
        Command::Generate(a) => generate(a),
        Command::Import(c) => import::run(c),
        Command::Export(c) => export::run(c, color(io::stderr().is_terminal())),
        Command::Drift(a) => drift::run(a, color(io::stderr().is_terminal())),
        Command::Init(a) => init::run(a),
        Command::Watch(a) => watch::run(a, color(io::stderr().is_terminal())),
        Command::Lsp => crate::lsp::run().map(|()| Exit::Clean),
        Command::Completions(a) => Ok(completions::completions(a)),
        Command::Man(a) => completions::man(a),
    }
}

/// Print `text`, or write it atomically to `output`.
fn emit(text: &str, output: Option<&Path>) -> Result<Exit, Error> {
    match output {
        None => print_stdout(text),
        Some(path) => write_file(path, text.as_bytes())?,
    }
    Ok(Exit::Clean)
}

/// Write one file as [`output::write`] does (atomically, keeping its mode, special files in
/// place).
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    output::write(path, bytes).map_err(|e| Error::write(path.display(), &e))
}

/// Create a folder and its parents.
fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::CreateDir {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })
}

/// `archflow generate`: a synthetic model to standard output or a file.
fn generate(args: &GenerateArgs) -> Result<Exit, Error> {
    let text = crate::synth::generate(args.services as usize, args.seed);
    emit(&text, args.output.as_deref())
}

fn check(args: &CheckArgs, color: bool) -> Result<Exit, Error> {
    // A file that is not UTF-8 or too large is a load finding like a YAML error: it is printed
    // in the chosen format.
    let (source, diagnostics, loaded) = match read_model_source(&args.file) {
        Ok(source) => {
            let analysis = analyze(&source);
            let loaded = !analysis.failed_to_load();
            (source, analysis.diagnostics, loaded)
        }
        Err(ReadError::Io(e)) => return Err(e),
        Err(ReadError::Invalid(source, d)) => (source, vec![*d], false),
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
        FindingsFormat::Sarif => sarif::render(&source, &shown, crate::check::explanation),
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
    Ok(if !loaded {
        Exit::Invalid
    } else if failed {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

/// Read and load the model for a command that needs it loaded: a model that does not load is
/// printed to standard error and ends the command (`Err` holds how).
fn load_model(file: &Path, color: bool) -> Result<Result<Analysis, Exit>, Error> {
    let source = match read_model(file, color)? {
        Ok(source) => source,
        Err(exit) => return Ok(Err(exit)),
    };
    let analysis = analyze(&source);
    if analysis.failed_to_load() {
        eprint!("{}", human::render(&source, &analysis.diagnostics, color));
        return Ok(Err(Exit::Invalid));
    }
    Ok(Ok(analysis))
}

/// [`load_model`] for a command that draws or writes from the model. Findings do not stop it:
/// they are summed up in one line. Only references that name nothing (A001 errors) do, since
/// what they meant cannot be drawn: they are printed, and nothing is `done`.
fn analysis_or_exit(file: &Path, color: bool, done: &str) -> Result<Result<Analysis, Exit>, Error> {
    let analysis = match load_model(file, color)? {
        Ok(analysis) => analysis,
        Err(exit) => return Ok(Err(exit)),
    };
    Ok(drawable(analysis, color, done))
}

/// The second half of [`analysis_or_exit`], for a model already loaded: references that name
/// nothing end the command; other findings are summed up.
fn drawable(analysis: Analysis, color: bool, done: &str) -> Result<Analysis, Exit> {
    let source = &analysis.source;
    let unresolved: Vec<Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == code::A001.id && d.severity == Severity::Error)
        .cloned()
        .collect();
    if !unresolved.is_empty() {
        eprint!("{}", human::render(source, &unresolved, color));
        let n = unresolved.len();
        eprintln!(
            "archflow: {}: {n} {} nothing; nothing was {done} (`archflow check` shows every \
             finding)",
            source.path,
            if n == 1 {
                "reference names"
            } else {
                "references name"
            }
        );
        return Err(Exit::Findings);
    }
    if !analysis.diagnostics.is_empty() {
        eprintln!(
            "archflow: {}: {} (run `archflow check` for details)",
            source.path,
            human::summary(&analysis.diagnostics)
        );
    }
    Ok(analysis)
}

/// Template overrides from `--templates DIR`: every file in the folder, by file name. Each is
/// noted in `inputs`.
fn read_templates(
    dir: Option<&Path>,
    inputs: &mut output::Inputs,
) -> Result<BTreeMap<String, String>, Error> {
    let mut templates = BTreeMap::new();
    let Some(dir) = dir else {
        return Ok(templates);
    };
    let entries = std::fs::read_dir(dir).map_err(|e| Error::Read {
        what: format!("templates folder `{}`", dir.display()),
        reason: io_reason(&e),
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let template = read::read_input(&path).map_err(|e| match e {
            Error::Read { reason, .. } => Error::Read {
                what: format!("template `{}`", path.display()),
                reason,
            },
            other => other,
        })?;
        inputs.add(&path, "a template");
        templates.insert(name.to_owned(), template.text);
    }
    Ok(templates)
}

/// The build options given by `--direction` and `--templates` (whose files are noted in
/// `inputs`).
fn build_options(style: &StyleArgs, inputs: &mut output::Inputs) -> Result<BuildOptions, Error> {
    Ok(BuildOptions {
        direction: style.direction,
        templates: read_templates(style.templates.as_deref(), inputs)?,
        view: style.view.clone(),
        ..BuildOptions::default()
    })
}

fn render_one(args: &RenderArgs, color: bool) -> Result<Exit, Error> {
    if args.scale.is_some() && args.format != Format::Png {
        return Err(Error::Invalid(
            "--scale sets a PNG's pixel size: use it with --format png".to_owned(),
        ));
    }
    if args.animate && (args.format != Format::Svg || args.flow.is_none()) {
        return Err(Error::Invalid(crate::pipeline::ANIMATE_USAGE.to_owned()));
    }
    let to_stdout = args.output.as_deref().is_none_or(|p| p == Path::new("-"));
    if args.format.is_binary() && to_stdout && io::stdout().is_terminal() {
        return Err(Error::Invalid(
            "standard output is a terminal, which cannot show a PNG or PDF: pass -o FILE or \
             redirect it (> architecture.png)"
                .to_owned(),
        ));
    }
    let mut inputs = output::Inputs::default();
    inputs.add(&args.file, "the model");
    let refuse = |inputs: &output::Inputs| match &args.output {
        Some(path) => inputs
            .conflict(path)
            .map_or(Ok(()), |why| Err(Error::Invalid(why))),
        None => Ok(()),
    };
    refuse(&inputs)?;
    let analysis = match analysis_or_exit(&args.file, color, "rendered")? {
        Ok(a) => a,
        Err(exit) => return Ok(exit),
    };
    let mut options = build_options(&args.style, &mut inputs)?;
    options.animate = args.animate;
    refuse(&inputs)?;
    if args.stats {
        let text = crate::pipeline::stats(&analysis, &options)?;
        emit(&text, args.output.as_deref())?;
    } else if args.format.is_binary() {
        options.scale = args.scale.unwrap_or_default();
        let rendered = crate::render_bytes(&analysis, args.format, args.flow.as_deref(), &options)?;
        if let Some(note) = &rendered.note {
            eprintln!("archflow: note: {note}");
        }
        // `-` is standard output (a terminal was refused above).
        write_file(
            args.output.as_deref().unwrap_or(Path::new("-")),
            &rendered.bytes,
        )?;
    } else {
        let text = crate::render(&analysis, args.format, args.flow.as_deref(), &options)?;
        emit(&text, args.output.as_deref())?;
    }
    Ok(args.deny.exit(&analysis))
}

/// `archflow views`: one aligned line per view (name, kind, components, title); the default
/// view is marked.
fn views(args: &ViewsArgs, color: bool) -> Result<Exit, Error> {
    use std::fmt::Write as _;
    let analysis = match load_model(&args.file, color)? {
        Ok(analysis) => analysis,
        Err(exit) => return Ok(exit),
    };
    let Some(views) = analysis.views() else {
        return Ok(Exit::Invalid);
    };
    let default = analysis
        .view()
        .map(|whole| crate::pipeline::default_view(&whole));
    let width = views
        .iter()
        .map(|v| v.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for v in &views {
        let kind = match v.kind {
            crate::view::ViewKind::All => "all",
            crate::view::ViewKind::Overview => "overview",
            crate::view::ViewKind::Service => "service",
            crate::view::ViewKind::Flow => "flow",
            crate::view::ViewKind::Custom => "custom",
        };
        let mark = if Some(v.name.as_str()) == default {
            " (default)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<width$}  {kind:<8}  {:>5} components  {}{mark}",
            v.name,
            v.view.nodes.len(),
            v.title
        );
    }
    print_stdout(&crate::text::display_safe(&out));
    Ok(Exit::Clean)
}

/// `archflow rules`: one aligned line per rule (with `all`, per code of every kind).
#[must_use]
pub fn rules_table(all: bool) -> String {
    use std::fmt::Write as _;
    let codes: Vec<&Code> = code::ALL
        .iter()
        .copied()
        .filter(|c| all || c.kind == Kind::Rule)
        .collect();
    let width = codes.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in codes {
        let _ = writeln!(
            out,
            "{}  {:<width$}  {:<7}  {}",
            c.id,
            c.name,
            c.severity.to_string(),
            c.summary
        );
    }
    out
}

fn explain(query: &str) -> Result<Exit, Error> {
    if let Some(code) = Code::find(query) {
        print_stdout(crate::check::explanation(code));
        return Ok(Exit::Clean);
    }
    let names = code::ALL.iter().flat_map(|c| [c.id, c.name]);
    let hint = crate::diagnostic::did_you_mean(query, names)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    Err(Error::Invalid(format!(
        "no rule `{query}`{hint} (`archflow rules --all` lists every code)"
    )))
}

/// Read the model as [`read::read`] does; a missing default model gets a hint.
fn read_model_source(path: &Path) -> Result<Source, ReadError> {
    read::read(path).map_err(|e| match e {
        ReadError::Io(Error::Read { what, reason })
            if path == Path::new(DEFAULT_FILE) && reason == "no such file" =>
        {
            ReadError::Io(Error::Read {
                what,
                reason: format!(
                    "{reason}\nhelp: run archflow in the folder that holds architecture.yaml, \
                     or pass the model's path"
                ),
            })
        }
        other => other,
    })
}

/// Read the model for a command that needs it loaded: a file that is too large or not UTF-8 is
/// printed as its load finding (rustc-style, to standard error), and ends the command.
fn read_model(path: &Path, color: bool) -> Result<Result<Source, Exit>, Error> {
    match read_model_source(path) {
        Ok(source) => Ok(Ok(source)),
        Err(ReadError::Io(e)) => Err(e),
        Err(ReadError::Invalid(source, d)) => {
            eprint!("{}", human::render(&source, &[*d], color));
            Ok(Err(Exit::Invalid))
        }
    }
}

/// Print to stdout; a closed pipe (`| head`) is not an error.
fn print_stdout(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
