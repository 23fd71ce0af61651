//! Renderer snapshots on every fixture model, and real Graphviz on every DOT we write.

use std::process::Command;

use archflow::source::Source;
use archflow::view::View;

use crate::support::{have_dot, read};

const MODELS: &[(&str, &str)] = &[
    ("reference", "architecture.yaml"),
    (
        "multi_service",
        "tests/fixtures/models/multi-service/model.yaml",
    ),
    (
        "hostile_names",
        "tests/fixtures/models/hostile-names/model.yaml",
    ),
    (
        "scoped_names",
        "tests/fixtures/models/scoped-names/model.yaml",
    ),
];

fn view(path: &str) -> View {
    let source = Source::new(path, read(path));
    let analysis = archflow::analyze(&source);
    assert!(
        !analysis.has_errors(),
        "{path}: {:#?}",
        analysis.diagnostics
    );
    View::build(
        analysis.model.as_ref().unwrap(),
        analysis.graph.as_ref().unwrap(),
    )
}

/// Every output of `build`, plus DOT with each flow highlighted: (name, text).
fn outputs(view: &View) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> =
        archflow::pipeline::outputs(view, &archflow::BuildOptions::default())
            .unwrap()
            .files
            .into_iter()
            .map(|f| (f.name, f.text))
            .collect();
    for (i, flow) in view.flows.iter().enumerate() {
        files.push((
            format!("flow-{}.dot", i + 1),
            archflow::render::dot::render(view, Some(flow)),
        ));
    }
    files
}

#[test]
fn snapshots_of_every_renderer() {
    for (name, path) in MODELS {
        let view = view(path);
        for (file, text) in outputs(&view) {
            insta::assert_snapshot!(format!("{name}__{file}"), text);
        }
    }
}

#[test]
fn graphviz_accepts_every_dot() {
    if !have_dot() {
        return;
    }
    for (_, path) in MODELS {
        let view = view(path);
        for (file, text) in outputs(&view) {
            if std::path::Path::new(&file)
                .extension()
                .is_none_or(|e| e != "dot")
            {
                continue;
            }
            let out = crate::support::dot_svg(text.as_bytes());
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{path} {file}: dot failed: {stderr}");
            assert!(
                stderr.trim().is_empty(),
                "{path} {file}: dot warned: {stderr}"
            );
            let svg = String::from_utf8_lossy(&out.stdout);
            assert!(svg.contains("<svg"), "{path} {file}: no SVG");
            // Each node's label is drawn as text: the name survived escaping.
            let drawn = unescape_xml(&svg);
            for node in &view.nodes {
                // Bidi overrides are shown, not obeyed.
                let label = node.label.replace('\u{202e}', "<U+202E>");
                assert!(
                    drawn.contains(&label),
                    "{path} {file}: label {:?} missing from the SVG",
                    node.label
                );
            }
        }
    }
}

/// Decode the XML character references Graphviz writes (`&#45;`, `&lt;`, …).
fn unescape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        if let Some(c) = decoded {
            out.push(c);
            rest = &rest[end + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Every Mermaid file we write parses with the real Mermaid parser (`tests/mermaid/`, run by
/// Node.js). Skipped locally when its packages are not installed; under CI a missing parser fails.
#[test]
fn mermaid_parses() {
    let checker = crate::support::root().join("tests/mermaid");
    let ready = checker.join("node_modules/mermaid").is_dir()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !crate::support::tool_ready("the Mermaid parser", ready, "npm ci --prefix tests/mermaid") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, path) in MODELS {
        for (file, text) in outputs(&view(path)) {
            if std::path::Path::new(&file)
                .extension()
                .is_some_and(|e| e == "mmd")
            {
                let out = dir.path().join(format!("{name}-{file}"));
                std::fs::write(&out, text).unwrap();
                files.push(out);
            }
        }
    }
    assert!(files.len() >= 7, "{files:?}");
    crate::support::run_node_checker(
        &checker.join("check.mjs"),
        &[],
        &files,
        "the Mermaid parser",
    );
}

#[test]
fn rendering_is_deterministic() {
    for (_, path) in MODELS {
        assert_eq!(outputs(&view(path)), outputs(&view(path)), "{path}");
    }
}

#[test]
fn mermaid_ids_stay_distinct_when_names_collide() {
    let view = view("tests/fixtures/models/hostile-names/model.yaml");
    let chart = archflow::render::mermaid::flowchart(&view);
    // `a-b` and `a_b` sanitise to the same id; both nodes must keep their own.
    assert!(chart.contains("n_a_b(\"a-b"), "{chart}");
    assert!(chart.contains("n_a_b_2(\"a_b"), "{chart}");
    // No raw user markup reaches Mermaid.
    for bad in ["<script>", "-->|\"]]", "{{ x }}", "\"quotes\""] {
        assert!(!chart.contains(bad), "{bad} leaked into {chart}");
    }
}

/// Every SVG we write is well-formed XML and parses with usvg (resvg's SVG parser), in both
/// directions, and keeps the element contract the HTML page relies on.
#[test]
fn svg_parses_with_a_real_svg_parser() {
    use archflow::layout::{Direction, LayoutOptions, layout};
    for (_, path) in MODELS {
        let view = view(path);
        for direction in [Direction::LR, Direction::TB] {
            let svg =
                archflow::render::svg::render(&view, &layout(&view, LayoutOptions { direction }));
            let doc =
                roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{path}: not XML: {e}"));
            let ids: std::collections::BTreeSet<&str> = doc
                .descendants()
                .filter_map(|n| n.attribute("id"))
                .collect();
            for i in 0..view.nodes.len() {
                assert!(
                    ids.contains(format!("af-n{i}").as_str()),
                    "{path}: node {i} missing"
                );
            }
            for i in 0..view.edges.len() {
                assert!(
                    ids.contains(format!("af-e{i}").as_str()),
                    "{path}: edge {i} missing"
                );
            }
            let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default())
                .unwrap_or_else(|e| panic!("{path}: usvg rejected the SVG: {e}"));
            let size = tree.size();
            assert!(
                size.width() > 100.0 && size.height() > 50.0,
                "{path}: {size:?}"
            );
        }
    }
}

/// The overview and a service view of the reference model and of a 30-service model, as SVG
/// and Mermaid.
#[test]
fn snapshots_of_views() {
    let models = [
        ("reference", read("architecture.yaml"), "service:goals"),
        (
            "synth_30",
            archflow::synth::generate(30, 1),
            "service:api-7",
        ),
    ];
    for (name, text, service) in models {
        let analysis = archflow::analyze(&Source::new(format!("{name}.yaml"), text));
        for view in ["overview", service] {
            let options = archflow::BuildOptions {
                view: Some(view.to_owned()),
                ..archflow::BuildOptions::default()
            };
            for format in [archflow::Format::Svg, archflow::Format::Mermaid] {
                let rendered = archflow::render(&analysis, format, None, &options)
                    .unwrap_or_else(|e| panic!("{name} {view}: {e}"));
                let stem = view.replace(':', "-");
                let ext = if format == archflow::Format::Svg {
                    "svg"
                } else {
                    "mmd"
                };
                insta::assert_snapshot!(format!("view_{name}__{stem}.{ext}"), rendered);
            }
        }
    }
}
