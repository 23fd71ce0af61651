//! `archflow diff` of two synthetic models (`archflow::synth`) that differ in 1% of services:
//! every hundredth service runs one more task.
//!
//! ```sh
//! cargo bench --bench diff                 # 10,000 services
//! cargo bench --bench diff -- 1000         # another size
//! ```
//!
//! Prints the time of the diff picture of the reference system's two versions (target: under
//! 50 ms), then the wall time of analysing both synthetic sides (as `archflow diff` does: the
//! new side read beside the old one, the later stages on two threads), comparing them and
//! writing the JSON and human reports, and the process's peak memory (`VmHWM`); then where one
//! side's time goes, stage by stage. Target (BENCHMARKS.md):
//! 10,000 services under 3 s and 1 GiB in a release build.

/// The allocator the `archflow` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use archflow::diff::{self, picture, report};
use archflow::source::Source;

/// `text` with every hundredth service's `desiredCount` one higher; how many were changed.
fn one_percent_changed(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len() + 1024);
    let (mut service, mut changed, mut pending) = (0usize, 0usize, false);
    for line in text.lines() {
        if line.starts_with("  - serviceName: ") {
            pending = service % 100 == 0;
            service += 1;
        }
        match line.strip_prefix("    desiredCount: ") {
            Some(count) if pending => {
                let n: u64 = count.trim().parse().unwrap_or(1);
                let _ = writeln!(out, "    desiredCount: {}", n + 1);
                changed += 1;
                pending = false;
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    (out, changed)
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The diff picture of the reference system's two versions (`architecture.yaml` →
/// `examples/goals-v2.yaml`), as `archflow diff --format svg` draws it: analysing both,
/// comparing, the union and its SVG. The best and the median of `runs` runs, in milliseconds.
fn reference_picture(runs: usize) -> Option<(f64, f64)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let old = std::fs::read_to_string(root.join("architecture.yaml")).ok()?;
    let new = std::fs::read_to_string(root.join("examples/goals-v2.yaml")).ok()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let (a, b) = archflow::analyze_both(
            &Source::new("architecture.yaml", old.as_str()),
            &Source::new("examples/goals-v2.yaml", new.as_str()),
        );
        let (d, sides) = diff::compare(&a, &b).ok()?;
        black_box(picture::svg(
            &picture::union(&d, &sides),
            archflow::layout::Direction::LR,
        ));
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Some((*times.first()?, times[times.len() / 2]))
}

fn main() -> ExitCode {
    let Some((best, median)) = reference_picture(21) else {
        eprintln!("the reference system's versions could not be read or compared");
        return ExitCode::FAILURE;
    };
    println!(
        "diff picture of the reference system's two versions (analyse, compare, SVG): best \
         {best:.1} ms, median {median:.1} ms (21 runs)"
    );
    let services: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let old_text = archflow::synth::generate(services, 1);
    let (new_text, changed) = one_percent_changed(&old_text);
    // First, in a fresh process as an editor's first analysis is.
    where_the_time_goes(&Source::new("old.yaml", old_text.as_str()));
    read_beside(
        &Source::new("old.yaml", old_text.as_str()),
        &Source::new("new.yaml", new_text.as_str()),
    );
    let start = Instant::now();
    let (old, new) = archflow::analyze_both(
        &Source::new("old.yaml", old_text),
        &Source::new("new.yaml", new_text),
    );
    let analysed = start.elapsed();
    let Ok((d, sides)) = diff::compare(&old, &new) else {
        eprintln!("a side did not load");
        return ExitCode::FAILURE;
    };
    let compared = start.elapsed();
    black_box(report::json(&d));
    black_box(report::human(&d, false));
    let reported = start.elapsed();
    let counts = d.counts();
    if services <= 2_000 {
        black_box(picture::mermaid(&picture::union(&d, &sides)));
    }
    println!(
        "diff of {services} services, {changed} changed: {} component changes, {} findings changed",
        d.components.len(),
        counts.introduced + counts.fixed
    );
    println!(
        "analyze both: {:.2} s; compare: {:.2} s; reports: {:.2} s; total {:.2} s; peak memory {} MiB",
        analysed.as_secs_f64(),
        compared.as_secs_f64() - analysed.as_secs_f64(),
        reported.as_secs_f64() - compared.as_secs_f64(),
        reported.as_secs_f64(),
        peak_memory_kib().map_or_else(|| "?".to_owned(), |k| (k / 1024).to_string())
    );
    if d.components.len() < changed {
        eprintln!("expected at least {changed} changed components");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Reading the new side alone, and beside the old side as `archflow diff` does.
fn read_beside(old: &Source, new: &Source) {
    let Ok(base) = archflow::syntax::parse(old) else {
        return;
    };
    let start = Instant::now();
    black_box(archflow::syntax::parse(new).is_ok());
    let alone = start.elapsed();
    let start = Instant::now();
    black_box(archflow::syntax::parse_beside(new, Some((&old.text, &base))).is_ok());
    println!(
        "the new side read alone: {:.0} ms; beside the old side: {:.0} ms",
        alone.as_secs_f64() * 1000.0,
        start.elapsed().as_secs_f64() * 1000.0
    );
}

/// One side's analysis and the diff's view of it, stage by stage, and the slowest rules.
fn where_the_time_goes(source: &Source) {
    use archflow::check::{CheckContext, registry::RULES};
    let timed = |what: &str, start: Instant| {
        println!("  {what}: {:.0} ms", start.elapsed().as_secs_f64() * 1000.0);
    };
    println!("one side, stage by stage:");
    let start = Instant::now();
    let side = archflow::analyze(source);
    timed("analyze", start);
    let start = Instant::now();
    let Ok(doc) = archflow::syntax::parse(source) else {
        return;
    };
    timed("parse", start);
    let start = Instant::now();
    let model = archflow::model::lower(doc);
    timed("lower", start);
    let start = Instant::now();
    black_box(archflow::model::ambiguities(&model));
    timed("ambiguities", start);
    let start = Instant::now();
    let graph = archflow::graph::ArchGraph::build(&model);
    timed("graph", start);
    let cx = CheckContext {
        model: &model,
        graph: &graph,
    };
    let mut rules: Vec<(f64, &str)> = Vec::new();
    let start = Instant::now();
    for rule in RULES {
        let one = Instant::now();
        let mut out = Vec::new();
        (rule.check)(&cx, &mut out);
        black_box(out);
        rules.push((one.elapsed().as_secs_f64() * 1000.0, rule.code.id));
    }
    timed("rules", start);
    rules.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, code) in rules.iter().take(5) {
        println!("    {code}: {ms:.0} ms");
    }
    let start = Instant::now();
    let full = archflow::check::run(&model, &graph);
    timed("rules with checks:, provenance and sorting", start);
    let start = Instant::now();
    black_box(side.view());
    timed("view with findings (the diff builds one per side)", start);
    black_box(full);
}
