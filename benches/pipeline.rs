//! Wall time of every pipeline stage on synthetic models (`archflow::synth`) of growing size.
//!
//! ```sh
//! cargo bench --bench pipeline                      # N = 10, 100, 1,000, 10,000
//! cargo bench --bench pipeline -- 100 1000          # pick the sizes
//! cargo bench --bench pipeline -- --dot             # also time Graphviz on archflow's DOT
//! ```
//!
//! Options: sizes as plain numbers; `--runs K` (runs per size; default 11/11/7/3 by size);
//! `--seed S` (default 1); `--dot` or `ARCHFLOW_BENCH_DOT=1` (time `dot -Tsvg` once per size);
//! `--dot-timeout SECS` (default 120); `--budget SECS` (stop repeating a size once its runs
//! took this long, default 60; at least one run is always made).
//!
//! Each run takes one model through every stage, so a stage's input is always fresh; the table
//! shows the median per stage. `generate` is reported but left out of the total. The last
//! column is the growth exponent between the two largest sizes, `log(t2/t1) / log(n2/n1)`:
//! about 1 is linear, 2 quadratic. Peak memory is the process's `VmHWM` after each size (reset
//! through `/proc/self/clear_refs` before each size when the kernel allows it). The table goes
//! to standard output, progress to standard error.

/// The allocator the `archflow` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use archflow::diagnostic::Severity;
use archflow::graph::ArchGraph;
use archflow::layout::{self, LayoutOptions};
use archflow::render;
use archflow::source::Source;
use archflow::view::View;
use archflow::{check, model, syntax, synth};

const STAGES: [&str; 13] = [
    "generate", "parse", "lower", "graph", "check", "view", "dot", "mermaid", "markdown", "layout",
    "svg", "analyze", "build",
];
/// The stages left out of the total: generating the model, and the library's two entry points
/// (`archflow::analyze`, `archflow::build`), which do the stages' work again as one call each.
const UNTIMED: [&str; 3] = ["generate", "analyze", "build"];

struct Options {
    sizes: Vec<usize>,
    runs: Option<usize>,
    seed: u64,
    dot: bool,
    dot_timeout: Duration,
    budget: Duration,
}

const USAGE: &str = "usage: cargo bench --bench pipeline -- [SIZE...] [--runs K] [--seed S] \
                     [--dot] [--dot-timeout SECS] [--budget SECS]";

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        sizes: Vec::new(),
        runs: None,
        seed: 1,
        dot: std::env::var_os("ARCHFLOW_BENCH_DOT").is_some_and(|v| !v.is_empty() && v != "0"),
        dot_timeout: Duration::from_mins(2),
        budget: Duration::from_mins(1),
    };
    let mut args = std::env::args().skip(1);
    let number = |flag: &str, v: Option<String>| -> Result<u64, String> {
        v.as_deref()
            .and_then(|s| s.replace(['_', ','], "").parse().ok())
            .ok_or_else(|| format!("{flag} needs a number\n{USAGE}"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // cargo bench passes --bench to every bench binary.
            "--bench" => {}
            "--dot" => o.dot = true,
            "--runs" => o.runs = Some(number("--runs", args.next())?.max(1) as usize),
            "--seed" => o.seed = number("--seed", args.next())?,
            "--dot-timeout" => {
                o.dot_timeout = Duration::from_secs(number("--dot-timeout", args.next())?);
            }
            "--budget" => o.budget = Duration::from_secs(number("--budget", args.next())?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            size => match size.replace(['_', ','], "").parse::<usize>() {
                Ok(n) if n > 0 => o.sizes.push(n),
                _ => return Err(format!("unknown argument `{size}`\n{USAGE}")),
            },
        }
    }
    if o.sizes.is_empty() {
        o.sizes = vec![10, 100, 1_000, 10_000];
    }
    o.sizes.sort_unstable();
    o.sizes.dedup();
    Ok(o)
}

/// What one size measured.
struct Measured {
    services: usize,
    runs: usize,
    /// Median per stage, in `STAGES` order.
    medians: Vec<Duration>,
    yaml_bytes: usize,
    dot_bytes: usize,
    svg_bytes: usize,
    findings: usize,
    graphviz: Option<String>,
    graphviz_timed_out: bool,
    /// Peak resident memory in KiB, and whether it was reset before this size.
    peak_kib: Option<(u64, bool)>,
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let dot_installed = Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if options.dot && !dot_installed {
        eprintln!("note: --dot asked for Graphviz, but `dot` is not installed; skipping it");
    }
    let mut results: Vec<Measured> = Vec::new();
    for &n in &options.sizes {
        // Graphviz that timed out on a smaller model would only time out again.
        let graphviz = match results.iter().find(|m| m.graphviz_timed_out) {
            _ if !(options.dot && dot_installed) => Graphviz::Off,
            Some(m) => Graphviz::Skip(m.services),
            None => Graphviz::Run,
        };
        match measure(n, &options, graphviz) {
            Ok(m) => results.push(m),
            Err(e) => {
                eprintln!("error: N={n}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    print!("{}", table(&results, &options));
    ExitCode::SUCCESS
}

fn default_runs(n: usize) -> usize {
    match n {
        0..=100 => 11,
        101..=1_000 => 7,
        _ => 3,
    }
}

/// Whether to time Graphviz for one size.
#[derive(Clone, Copy)]
enum Graphviz {
    Off,
    Run,
    /// It did not finish for this smaller size.
    Skip(usize),
}

fn measure(n: usize, options: &Options, graphviz: Graphviz) -> Result<Measured, String> {
    let reset = reset_peak_memory();
    let target = options.runs.unwrap_or_else(|| default_runs(n));
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); STAGES.len()];
    let mut last = None;
    let started = Instant::now();
    let mut runs = 0;
    eprint!("N={n}: ");
    while runs < target && (runs == 0 || started.elapsed() < options.budget) {
        let (times, outputs) = run_once(n, options.seed)?;
        for (stage, t) in samples.iter_mut().zip(times) {
            stage.push(t);
        }
        last = Some(outputs);
        runs += 1;
        eprint!(".");
        let _ = std::io::stderr().flush();
    }
    eprintln!(" {runs} runs in {:.1} s", started.elapsed().as_secs_f64());
    let Some(outputs) = last else {
        return Err("no run".to_owned());
    };
    let (graphviz, graphviz_timed_out) = match graphviz {
        Graphviz::Off => (None, false),
        Graphviz::Skip(smaller) => (
            Some(format!("not run (timed out at N={})", thousands(smaller))),
            true,
        ),
        Graphviz::Run => {
            eprint!("N={n}: dot -Tsvg … ");
            let (text, timed_out) = time_graphviz(outputs.dot.as_bytes(), options.dot_timeout);
            eprintln!("{text}");
            (Some(text), timed_out)
        }
    };
    Ok(Measured {
        services: n,
        runs,
        medians: samples.iter_mut().map(|s| median(s)).collect(),
        yaml_bytes: outputs.yaml_bytes,
        dot_bytes: outputs.dot.len(),
        svg_bytes: outputs.svg_bytes,
        findings: outputs.findings,
        graphviz,
        graphviz_timed_out,
        peak_kib: peak_memory_kib().map(|k| (k, reset)),
    })
}

struct Outputs {
    yaml_bytes: usize,
    dot: String,
    svg_bytes: usize,
    findings: usize,
}

/// One model through every stage; the time of each, in `STAGES` order.
fn run_once(n: usize, seed: u64) -> Result<(Vec<Duration>, Outputs), String> {
    let mut times = Vec::with_capacity(STAGES.len());
    let mut clock = Instant::now();
    let mut lap = |times: &mut Vec<Duration>, restart: bool| {
        let now = Instant::now();
        if !restart {
            times.push(now - clock);
        }
        clock = Instant::now();
    };
    let text = black_box(synth::generate(n, seed));
    lap(&mut times, false);
    let yaml_bytes = text.len();
    let source = Source::new(format!("synth-{n}.yaml"), text);
    // Building the source (a line index) is not a stage: start the clock again.
    lap(&mut times, true);
    let doc = syntax::parse(&source).map_err(|d| {
        format!(
            "the generated model does not load: {}",
            d.first().map_or("", |d| d.message.as_str())
        )
    })?;
    lap(&mut times, false);
    let model = model::lower(doc);
    lap(&mut times, false);
    let graph = ArchGraph::build(&model);
    lap(&mut times, false);
    let diagnostics = check::run(&model, &graph);
    lap(&mut times, false);
    let view = View::build(&model, &graph).with_findings(&source, &diagnostics);
    lap(&mut times, false);
    let dot = render::dot::render(&view, None);
    lap(&mut times, false);
    black_box(render::mermaid::flowchart(&view));
    lap(&mut times, false);
    black_box(render::markdown::page(&view));
    lap(&mut times, false);
    let laid_out = layout::layout(&view, LayoutOptions::default());
    lap(&mut times, false);
    let svg = render::svg::render(&view, &laid_out);
    lap(&mut times, false);
    let analysis = archflow::analyze(&source);
    lap(&mut times, false);
    let built = archflow::build(&analysis, &archflow::BuildOptions::default())
        .map_err(|e| format!("build failed: {e}"))?;
    black_box(built);
    lap(&mut times, false);
    if let Some(e) = diagnostics.iter().find(|d| d.severity == Severity::Error) {
        return Err(format!(
            "the generated model has an error finding: {} {}",
            e.code, e.message
        ));
    }
    Ok((
        times,
        Outputs {
            yaml_bytes,
            dot,
            svg_bytes: svg.len(),
            findings: diagnostics.len(),
        },
    ))
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    match samples.len() {
        0 => Duration::ZERO,
        len if len % 2 == 1 => samples[len / 2],
        len => (samples[len / 2 - 1] + samples[len / 2]) / 2,
    }
}

/// `dot -Tsvg` on `input`, killed after `timeout`: its wall time, or why there is none; and
/// whether it timed out.
fn time_graphviz(input: &[u8], timeout: Duration) -> (String, bool) {
    let started = Instant::now();
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return (format!("could not run: {e}"), false),
    };
    // Feed stdin from a thread: dot may read slowly, and is killed on timeout.
    let writer = child.stdin.take().map(|mut stdin| {
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        })
    });
    let outcome = loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => {
                break (format_duration(started.elapsed()), false);
            }
            Ok(Some(status)) => break (format!("failed ({status})"), false),
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break (format!("did not finish (> {} s)", timeout.as_secs()), true);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => break (format!("could not wait: {e}"), false),
        }
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    outcome
}

/// Reset the kernel's peak-RSS counter of this process (Linux 4.0+), so `VmHWM` measures from
/// here. Whether it worked.
fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// `VmHWM` of this process, in KiB.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn format_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

fn format_bytes(b: u64) -> String {
    let b = b as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    } else if b >= 1024.0 {
        format!("{:.1} KiB", b / 1024.0)
    } else {
        format!("{b} B")
    }
}

/// `10000` → `10,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `log(t2/t1) / log(n2/n1)`, when both times are measurable.
fn exponent(n1: usize, t1: Duration, n2: usize, t2: Duration) -> String {
    let (a, b) = (t1.as_secs_f64(), t2.as_secs_f64());
    if n1 == n2 || a <= 0.0 || b <= 0.0 {
        return "–".to_owned();
    }
    let e = (b / a).ln() / (n2 as f64 / n1 as f64).ln();
    format!("{e:.2}")
}

fn table(results: &[Measured], options: &Options) -> String {
    let mut out = String::new();
    let pair = match results {
        [.., a, b] => Some((a, b)),
        _ => None,
    };
    let _ = write!(out, "\n| stage |");
    for m in results {
        let _ = write!(out, " N={} |", thousands(m.services));
    }
    if let Some((a, b)) = pair {
        let _ = write!(
            out,
            " exponent {}→{} |",
            thousands(a.services),
            thousands(b.services)
        );
    }
    out.push('\n');
    out.push_str("|---|");
    for _ in 0..results.len() + usize::from(pair.is_some()) {
        out.push_str("--:|");
    }
    out.push('\n');
    let row = |out: &mut String, name: &str, cells: &[String], exp: Option<String>| {
        let _ = write!(out, "| {name} |");
        for c in cells {
            let _ = write!(out, " {c} |");
        }
        if let Some(e) = exp {
            let _ = write!(out, " {e} |");
        }
        out.push('\n');
    };
    let stage_exp = |pick: &dyn Fn(&Measured) -> Duration| {
        pair.map(|(a, b)| exponent(a.services, pick(a), b.services, pick(b)))
    };
    for (i, stage) in STAGES.iter().enumerate() {
        let name = if UNTIMED.contains(stage) {
            format!("{stage} (not in total)")
        } else {
            (*stage).to_owned()
        };
        let cells: Vec<String> = results
            .iter()
            .map(|m| format_duration(m.medians[i]))
            .collect();
        row(&mut out, &name, &cells, stage_exp(&|m| m.medians[i]));
    }
    let total = |m: &Measured| -> Duration {
        STAGES
            .iter()
            .zip(&m.medians)
            .filter(|(s, _)| !UNTIMED.contains(s))
            .map(|(_, t)| *t)
            .sum()
    };
    let cells: Vec<String> = results
        .iter()
        .map(|m| format!("**{}**", format_duration(total(m))))
        .collect();
    row(&mut out, "**total**", &cells, stage_exp(&total));
    if results.iter().any(|m| m.graphviz.is_some()) {
        let cells: Vec<String> = results
            .iter()
            .map(|m| m.graphviz.clone().unwrap_or_else(|| "–".to_owned()))
            .collect();
        row(&mut out, "Graphviz `dot -Tsvg` (1 run)", &cells, None);
    }
    let cells: Vec<String> = results
        .iter()
        .map(|m| match m.peak_kib {
            Some((k, true)) => format_bytes(k * 1024),
            Some((k, false)) => format!("{} (cumulative)", format_bytes(k * 1024)),
            None => "–".to_owned(),
        })
        .collect();
    row(&mut out, "peak memory (VmHWM)", &cells, None);
    let bytes = |get: fn(&Measured) -> usize| -> Vec<String> {
        results
            .iter()
            .map(|m| format_bytes(get(m) as u64))
            .collect()
    };
    row(&mut out, "YAML size", &bytes(|m| m.yaml_bytes), None);
    row(&mut out, "DOT size", &bytes(|m| m.dot_bytes), None);
    row(&mut out, "SVG size", &bytes(|m| m.svg_bytes), None);
    let count = |get: fn(&Measured) -> usize| -> Vec<String> {
        results.iter().map(|m| get(m).to_string()).collect()
    };
    row(&mut out, "runs (median of)", &count(|m| m.runs), None);
    row(&mut out, "findings", &count(|m| m.findings), None);
    let _ = writeln!(out, "\nseed {}", options.seed);
    out
}
