//! archflow's layout against Graphviz `dot` on the same models: quality measures and layout time.
//!
//! ```sh
//! cargo bench --bench layout_quality                       # the tables in BENCHMARKS.md
//! cargo bench --bench layout_quality -- --sizes 5,30 --seeds 1 --time-sizes 100,200
//! ```
//!
//! For the reference model (`architecture.yaml`) and for synthetic models (`archflow::synth`) of
//! each size and seed, archflow lays the view out (`layout::layout`, default options) and Graphviz
//! lays out archflow's own DOT of the same view (`dot -Tjson`); `layout::graphviz::from_json`
//! reads Graphviz's coordinates back, and `layout::quality` measures both drawings the same way.
//! Layout time is the median of several runs: archflow's in-process `layout::layout`, Graphviz's
//! the wall time of the `dot -Tjson` process. `--time-sizes` models are measured the same way
//! and shown in the timing table. Tables go to standard output, progress to standard error.

/// The allocator the `archflow` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use archflow::layout::{self, LayoutOptions, Quality};
use archflow::source::Source;
use archflow::view::View;

struct Options {
    sizes: Vec<usize>,
    seeds: Vec<u64>,
    time_sizes: Vec<usize>,
    dot_timeout: Duration,
}

const USAGE: &str = "usage: cargo bench --bench layout_quality -- [--sizes 5,10,30] [--seeds 1,2,3] \
                     [--time-sizes 100] [--dot-timeout SECS]";

fn list<T: std::str::FromStr>(flag: &str, v: Option<String>) -> Result<Vec<T>, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a list\n{USAGE}"))?;
    v.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| format!("{flag}: `{s}` is not a number"))
        })
        .collect()
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        sizes: vec![5, 10, 30],
        seeds: vec![1, 2, 3],
        time_sizes: vec![100],
        dot_timeout: Duration::from_mins(2),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--sizes" => o.sizes = list("--sizes", args.next())?,
            "--seeds" => o.seeds = list("--seeds", args.next())?,
            "--time-sizes" => o.time_sizes = list("--time-sizes", args.next())?,
            "--dot-timeout" => {
                let s: Vec<u64> = list("--dot-timeout", args.next())?;
                o.dot_timeout = Duration::from_secs(s.first().copied().unwrap_or(120));
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(o)
}

/// One model measured with both engines.
struct Measured {
    name: String,
    archflow: Quality,
    archflow_time: Duration,
    dot: Result<(Quality, Duration), String>,
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let reference =
        match std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/architecture.yaml")) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("architecture.yaml: {e}");
                return ExitCode::FAILURE;
            }
        };
    let mut out = String::new();
    let _ = writeln!(out, "\n### Reference model (`architecture.yaml`)\n");
    let m = measure("reference", &reference, &options);
    out.push_str(&table(std::slice::from_ref(&m)));
    let mut all = vec![m];
    for &n in &options.sizes {
        let mut row = Vec::new();
        for &seed in &options.seeds {
            let text = archflow::synth::generate(n, seed);
            row.push(measure(
                &format!("{n} services, seed {seed}"),
                &text,
                &options,
            ));
        }
        let _ = writeln!(out, "\n### {n} services\n");
        out.push_str(&table(&row));
        all.extend(row);
    }
    let mut timed = Vec::new();
    for &n in &options.time_sizes {
        for &seed in &options.seeds {
            let text = archflow::synth::generate(n, seed);
            timed.push(measure(
                &format!("{n} services, seed {seed}"),
                &text,
                &options,
            ));
        }
    }
    if !timed.is_empty() {
        let _ = writeln!(out, "\n### {} services and more\n", options.time_sizes[0]);
        out.push_str(&table(&timed));
    }
    let _ = writeln!(out, "\n### Targets\n");
    out.push_str(&targets(&all, &timed));
    print!("{out}");
    ExitCode::SUCCESS
}

fn view_of(name: &str, text: &str) -> Option<View> {
    archflow::analyze(&Source::new(format!("{name}.yaml"), text.to_owned())).view()
}

fn runs_for(nodes: usize) -> usize {
    match nodes {
        0..=200 => 31,
        201..=2_000 => 11,
        _ => 5,
    }
}

fn measure(name: &str, text: &str, options: &Options) -> Measured {
    eprint!("{name}: ");
    let Some(view) = view_of(name, text) else {
        eprintln!("does not load");
        return Measured {
            name: name.to_owned(),
            archflow: Quality::default(),
            archflow_time: Duration::ZERO,
            dot: Err("the model does not load".to_owned()),
        };
    };
    let mut times = Vec::new();
    let mut laid_out = None;
    for _ in 0..runs_for(view.nodes.len()) {
        let started = Instant::now();
        let l = std::hint::black_box(layout::layout(&view, LayoutOptions::default()));
        times.push(started.elapsed());
        laid_out = Some(l);
    }
    let archflow = laid_out
        .map(|l| layout::quality(&view, &l))
        .unwrap_or_default();
    eprint!("archflow {} … ", format_duration(median(&mut times)));
    let dot_text = archflow::render::dot::render(&view, None);
    let dot = graphviz(&view, &dot_text, options.dot_timeout);
    match &dot {
        Ok((_, t)) => eprintln!("dot {}", format_duration(*t)),
        Err(e) => eprintln!("dot: {e}"),
    }
    Measured {
        name: name.to_owned(),
        archflow,
        archflow_time: median(&mut times),
        dot,
    }
}

/// `dot -Tjson` three times: the layout read back and measured, and the median wall time.
fn graphviz(view: &View, dot: &str, timeout: Duration) -> Result<(Quality, Duration), String> {
    let mut times = Vec::new();
    let mut json = String::new();
    for _ in 0..3 {
        let started = Instant::now();
        json = run_dot(dot, timeout)?;
        times.push(started.elapsed());
    }
    let laid_out = layout::graphviz::from_json(view, &json)?;
    Ok((layout::quality(view, &laid_out), median(&mut times)))
}

fn run_dot(input: &str, timeout: Duration) -> Result<String, String> {
    let mut child = Command::new("dot")
        .arg("-Tjson")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not run dot: {e}"))?;
    let writer = child.stdin.take().map(|mut stdin| {
        let input = input.as_bytes().to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        })
    });
    let reader = child.stdout.take().map(|mut stdout| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stdout.read_to_string(&mut s);
            s
        })
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("did not finish in {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(1)),
            Err(e) => return Err(format!("could not wait for dot: {e}")),
        }
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    let text = reader.and_then(|r| r.join().ok()).unwrap_or_default();
    if status.success() {
        Ok(text)
    } else {
        Err(format!("dot failed ({status})"))
    }
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    match samples.len() {
        0 => Duration::ZERO,
        len if len % 2 == 1 => samples[len / 2],
        len => (samples[len / 2 - 1] + samples[len / 2]) / 2,
    }
}

fn format_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

/// The rows of the tables: a name and how to show one measure.
type Row = (&'static str, fn(&Quality) -> String);

const ROWS: &[Row] = &[
    ("crossings", |q| q.crossings.to_string()),
    ("edge–edge overlaps", |q| q.edge_edge_overlaps.to_string()),
    ("node–edge overlaps", |q| q.node_edge_overlaps.to_string()),
    ("label–label overlaps", |q| {
        q.label_label_overlaps.to_string()
    }),
    ("label–node overlaps", |q| {
        q.label_node_overlaps.to_string()
    }),
    ("label–edge overlaps", |q| {
        q.label_edge_overlaps.to_string()
    }),
    ("backwards (outside cycles)", |q| {
        format!("{} ({})", q.backwards, q.backwards_outside_cycles)
    }),
    ("U-turns", |q| q.u_turns.to_string()),
    ("bends (right angles)", |q| format!("{:.0}", q.bends)),
    ("edge length", |q| format!("{:.0}", q.edge_length)),
    ("width × height", |q| {
        format!("{:.0} × {:.0}", q.width, q.height)
    }),
    ("area / node area", |q| {
        if q.node_area > 0.0 {
            format!("{:.1}", q.area / q.node_area)
        } else {
            "–".to_owned()
        }
    }),
    ("aspect ratio (w/h)", |q| format!("{:.2}", q.aspect_ratio)),
];

fn table(models: &[Measured]) -> String {
    let mut out = String::from("| measure |");
    for m in models {
        let _ = write!(out, " {} archflow | dot |", m.name);
    }
    out.push_str("\n|---|");
    for _ in models {
        out.push_str("--:|--:|");
    }
    out.push('\n');
    for (name, show) in ROWS {
        let _ = write!(out, "| {name} |");
        for m in models {
            let dot = m.dot.as_ref().map_or_else(Clone::clone, |(q, _)| show(q));
            let _ = write!(out, " {} | {} |", show(&m.archflow), dot);
        }
        out.push('\n');
    }
    out.push_str("| layout time |");
    for m in models {
        let dot = m
            .dot
            .as_ref()
            .map_or_else(Clone::clone, |(_, t)| format_duration(*t));
        let _ = write!(out, " {} | {} |", format_duration(m.archflow_time), dot);
    }
    out.push('\n');
    out
}

/// The issue's targets, model by model.
fn targets(models: &[Measured], timed: &[Measured]) -> String {
    let mut out = String::from(
        "| model | crossings ≤ dot | overlaps (edge–edge, node–edge, label) = 0 | \
         backwards outside cycles = 0 | length ≤ 1.2 × dot |\n|---|---|---|---|---|\n",
    );
    let mark = |ok: bool| if ok { "yes" } else { "**no**" };
    for m in models {
        let Ok((d, _)) = &m.dot else {
            let _ = writeln!(out, "| {} | – | – | – | – |", m.name);
            continue;
        };
        let a = &m.archflow;
        let overlaps = a.edge_edge_overlaps
            + a.node_edge_overlaps
            + a.label_label_overlaps
            + a.label_node_overlaps;
        let ratio = if d.edge_length > 0.0 {
            a.edge_length / d.edge_length
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "| {} | {} ({} vs {}) | {} ({}) | {} ({}) | {} ({ratio:.2}×) |",
            m.name,
            mark(a.crossings <= d.crossings),
            a.crossings,
            d.crossings,
            mark(overlaps == 0),
            overlaps,
            mark(a.backwards_outside_cycles == 0),
            a.backwards_outside_cycles,
            mark(ratio <= 1.2),
        );
    }
    for m in timed {
        if let Ok((_, t)) = &m.dot {
            let speedup = t.as_secs_f64() / m.archflow_time.as_secs_f64().max(1e-9);
            let _ = writeln!(
                out,
                "\nLayout time, {}: archflow {} against dot {}: {} {speedup:.0}× faster (target: 100×).",
                m.name,
                format_duration(m.archflow_time),
                format_duration(*t),
                mark(speedup >= 100.0),
            );
        }
    }
    out
}
