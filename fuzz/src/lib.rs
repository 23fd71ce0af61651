//! The checks behind every fuzz target, shared with the normal test suite
//! (`tests/integration/fuzz_smoke.rs` includes this file with `#[path]`), so a corpus file or a
//! crash input runs the same code with or without libFuzzer. Only `archflow` and `std` here.
//!
//! Every function panics when archflow breaks a promise: a panic inside archflow, output that
//! differs between two runs, an inject that is not idempotent, an imported model that does not
//! load, a layout that breaks an invariant.

use archflow::diagnostic::emit::{github, human, json, sarif};
use archflow::interop::compose;
use archflow::interop::ecs::import as ecs;
use archflow::interop::{cloudformation, iac, terraform};
use archflow::layout::{Direction, Layout, LayoutOptions, Point, Rect, layout};
use archflow::source::Source;
use archflow::view::{ClusterKind, ClusterView, EdgeView, Hint, NodeKind, NodeView, View};
use archflow::{BuildOptions, Format};

/// The reference model, the one `inject` fills README blocks from.
pub const REFERENCE_MODEL: &str = include_str!("../../architecture.yaml");

/// Text of fuzz input bytes: invalid UTF-8 is replaced, not skipped, so every input runs.
#[must_use]
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Whether to run an input twice and compare (a cheap, stable sample: one input in four).
#[must_use]
pub fn sampled(data: &[u8]) -> bool {
    let mut h: u32 = 2_166_136_261;
    for &b in data {
        h = (h ^ u32::from(b)).wrapping_mul(16_777_619);
    }
    h.is_multiple_of(4)
}

/// Load, check, and render everything the CLI can render: every diagnostics format always, and
/// when the model has no errors every diagram and page. Returns every output, in a fixed order.
#[must_use]
pub fn parse_check_render(text: &str) -> Vec<String> {
    let source = Source::new("fuzz.yaml", text);
    let analysis = archflow::analyze(&source);
    let d = &analysis.diagnostics;
    let mut out = vec![
        human::render(&source, d, false),
        human::render(&source, d, true),
        human::summary(d),
        json::render(&source, d),
        sarif::render(&source, d, archflow::check::explanation),
        github::render(&source, d),
    ];
    if analysis.failed_to_load() || analysis.has_errors() {
        return out;
    }
    // Everything `build` writes, both ways round; DOT with each flow highlighted.
    for direction in [Direction::LR, Direction::TB] {
        let options = BuildOptions {
            direction,
            ..BuildOptions::default()
        };
        match archflow::build(&analysis, &options) {
            Ok(outputs) => out.extend(outputs.files.into_iter().map(|f| f.text)),
            Err(e) => panic!("the built-in templates failed to render: {e}"),
        }
    }
    let flows = analysis.document().map_or(0, |doc| doc.flows.len());
    let options = BuildOptions::default();
    for i in 0..flows {
        let name = analysis
            .document()
            .map(|doc| doc.flows[i].name.value.clone());
        match archflow::render(&analysis, Format::Dot, name.as_deref(), &options) {
            Ok(dot) => out.push(dot),
            Err(e) => panic!("a flow of the model cannot be highlighted: {e}"),
        }
    }
    out
}

/// [`parse_check_render`], and for a sample of inputs a second time: the outputs must match.
pub fn parse_check_render_target(data: &[u8]) {
    let text = text(data);
    let first = parse_check_render(&text);
    if sampled(data) {
        assert!(
            first == parse_check_render(&text),
            "output is not deterministic"
        );
    }
}

/// The reference model's view, with its findings, as `inject --model architecture.yaml` sees it.
#[must_use]
pub fn reference_view() -> View {
    let source = Source::new("architecture.yaml", REFERENCE_MODEL);
    match archflow::analyze(&source).view() {
        Some(view) => view,
        None => panic!("the reference model does not load"),
    }
}

/// Inject `view` into a README text. When that succeeds, injecting again changes nothing.
pub fn inject(readme: &str, view: &View) {
    match archflow::inject::inject(readme, view) {
        Err(errors) => {
            for e in &errors {
                let _ = e.render("README.md");
            }
        }
        Ok(done) => {
            let _ = done.diff("a/README.md", "b/README.md");
            for b in &done.blocks {
                let _ = done.summary(b);
            }
            let _ = done.stale().count();
            match archflow::inject::inject(&done.text, view) {
                Ok(again) => {
                    assert!(
                        !again.changed(),
                        "inject is not idempotent:\n{}",
                        again.diff("once", "twice")
                    );
                }
                Err(errors) => panic!(
                    "the injected text no longer parses: {}",
                    errors
                        .iter()
                        .map(|e| e.render("README.md"))
                        .collect::<String>()
                ),
            }
        }
    }
}

/// An imported model must load: no `L0xx` finding.
fn assert_loads(yaml: &str) {
    let source = Source::new("imported.yaml", yaml);
    let analysis = archflow::analyze(&source);
    let load_errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with('L'))
        .collect();
    assert!(
        analysis.model.is_some() && load_errors.is_empty(),
        "the imported model does not load:\n{}\n--- model ---\n{yaml}",
        human::render(&source, &analysis.diagnostics, false)
    );
}

/// `import ecs` of the input: NUL-separated parts are a task definition, services,
/// target groups, load balancers, then further task definitions.
pub fn import_ecs(text: &str) {
    let mut inputs = ecs::Inputs::default();
    for (i, part) in text.split('\0').enumerate().take(8) {
        let file = ecs::InputFile::new(format!("input{i}.json"), part);
        match i {
            1 => inputs.services.push(file),
            2 => inputs.target_groups.push(file),
            3 => inputs.load_balancers.push(file),
            _ => inputs.task_definitions.push(file),
        }
    }
    if let Ok(imported) = ecs::import(&inputs) {
        assert_loads(&imported.yaml);
    }
}

/// `import cloudformation` of the input, as a YAML and as a JSON template (the file name picks
/// nothing: the text is read as YAML, which JSON is too), alone and beside itself (two templates
/// declaring the same resources), then `drift --cloudformation`'s reading of it. Every nested
/// stack's template is the input again, so nesting reaches its cycle and depth guards.
pub fn import_cloudformation(text: &str) {
    struct Mem<'a>(&'a str);
    impl cloudformation::Files for Mem<'_> {
        fn read(&self, _: &str) -> Result<String, String> {
            Ok(self.0.to_owned())
        }
    }
    let template = |path: &str| cloudformation::Template {
        path: path.to_owned(),
        text: text.to_owned(),
    };
    for templates in [
        vec![template("template.yaml")],
        vec![template("template.json")],
        vec![template("a.yaml"), template("b.yaml")],
    ] {
        let parameters = [("Env".to_owned(), "prod".to_owned())];
        if let Ok(stack) = cloudformation::read_with(&templates, &parameters, &Mem(text)) {
            let _ = iac::deployed(&stack);
            if let Ok(imported) = iac::import(stack, "archflow import cloudformation") {
                assert_loads(&imported.yaml);
            }
        }
    }
}

/// `import terraform` of the input as `main.tf` of a folder whose every other file (a module's
/// `.tf`, a template, a JSON file) is the input too, so `module`, `file()` and
/// `templatefile()` reach it; nothing is read from the file system.
pub fn import_terraform(text: &str) {
    struct Mem<'a>(&'a str);
    impl terraform::Files for Mem<'_> {
        fn read(&self, path: &str) -> Result<String, String> {
            if path.starts_with("infra/") {
                Ok(self.0.to_owned())
            } else {
                Err("no such file".to_owned())
            }
        }
        fn tf_files(&self, path: &str) -> Option<Vec<String>> {
            (path == "infra" || path == "infra/modules/app").then(|| vec!["main.tf".to_owned()])
        }
    }
    if let Ok(stack) = terraform::read("infra", &Mem(text)) {
        let _ = iac::deployed(&stack);
        if let Ok(imported) = iac::import(stack, "archflow import terraform") {
            assert_loads(&imported.yaml);
        }
    }
}

/// `import compose` of the input, in both layouts; then as a project whose every file (the
/// compose files, `other.yml` and `sub/other.yml` for `include` and `extends`, `.env` and
/// `app.env`) is the input, so that `include`, `extends` and `env_file` reach themselves and
/// must stop. Nothing is read from the file system.
pub fn import_compose(text: &str) {
    for layout in [compose::Layout::OneTask, compose::Layout::OneServiceEach] {
        let options = compose::Options {
            layout,
            source_name: "compose.yaml".to_owned(),
            default_name: "fuzz".to_owned(),
        };
        if let Ok(imported) = compose::import(text, &options) {
            assert_loads(&imported.yaml);
        }
    }
    let files = compose::MemoryFiles(
        [
            "compose.yaml",
            "override.yml",
            "other.yml",
            "sub/other.yml",
            ".env",
            "app.env",
        ]
        .into_iter()
        .map(|p| (std::path::PathBuf::from(p), text.to_owned()))
        .collect(),
    );
    let project = compose::Project {
        files: vec!["compose.yaml".into(), "override.yml".into()],
        profiles: vec!["*".to_owned()],
        ..compose::Project::default()
    };
    let options = compose::Options {
        layout: compose::Layout::OneTask,
        source_name: "compose.yaml".to_owned(),
        default_name: "fuzz".to_owned(),
    };
    if let Ok(imported) = compose::import_project(&project, &files, &options) {
        assert_loads(&imported.yaml);
    }
}

/// Where a random view's choices come from: `arbitrary` in the fuzz target, plain bytes or
/// proptest in the test suite.
pub trait Draw {
    /// A number in `0..=max`.
    fn upto(&mut self, max: u32) -> u32;
}

/// A [`Draw`] that reads bytes in order, and zeros once they run out.
pub struct Bytes<'a>(pub &'a [u8]);

impl Draw for Bytes<'_> {
    fn upto(&mut self, max: u32) -> u32 {
        let Some((&b, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        u32::from(b) % (max + 1)
    }
}

const NODE_KINDS: [NodeKind; 9] = [
    NodeKind::Actor,
    NodeKind::LoadBalancer,
    NodeKind::Listener,
    NodeKind::TargetGroup,
    NodeKind::Container,
    NodeKind::Database,
    NodeKind::Volume,
    NodeKind::FileSystem,
    NodeKind::Service,
];

const CLUSTER_KINDS: [ClusterKind; 3] = [
    ClusterKind::Cluster,
    ClusterKind::Service,
    ClusterKind::Task,
];

const EDGE_KINDS: [archflow::graph::EdgeKind; 4] = [
    archflow::graph::EdgeKind::Route,
    archflow::graph::EdgeKind::Connect,
    archflow::graph::EdgeKind::Mount,
    archflow::graph::EdgeKind::DependsOn,
];

/// A short label from a small alphabet of narrow, wide, combining and right-to-left characters.
fn label(d: &mut impl Draw, max_len: u32) -> String {
    const CHARS: [char; 12] = [
        'a', 'M', 'i', ' ', '-', '·', 'é', '中', '\u{301}', '\u{202e}', '<', '&',
    ];
    let len = d.upto(max_len);
    (0..len)
        .map(|_| CHARS[d.upto(CHARS.len() as u32 - 1) as usize])
        .collect()
}

/// A random view: a forest of clusters nested to any depth, nodes of any kind in any cluster
/// or none, and edges of any kind between any two nodes (loops and repeats included).
/// Now and then a tier, an order or both (`layout:` hints).
fn hint(d: &mut impl Draw) -> Hint {
    Hint {
        tier: (d.upto(3) == 0).then(|| d.upto(3)),
        order: (d.upto(3) == 0).then(|| [-2, -1, 0, 1, 2][d.upto(4) as usize]),
    }
}

pub fn random_view(d: &mut impl Draw) -> View {
    let n_clusters = d.upto(12) as usize;
    let mut clusters: Vec<ClusterView> = Vec::with_capacity(n_clusters);
    for i in 0..n_clusters {
        let parent = match d.upto(i as u32) as usize {
            0 => None,
            p => Some(clusters[p - 1].id.clone()),
        };
        let label = label(d, 40);
        clusters.push(ClusterView {
            id: format!("c{i}"),
            kind: CLUSTER_KINDS[d.upto(2) as usize],
            label,
            detail: (d.upto(1) == 1).then(|| "detail".to_owned()),
            description: None,
            origin: None,
            parent,
            hint: hint(d),
        });
    }
    let n_nodes = d.upto(40) as usize;
    let mut nodes = Vec::with_capacity(n_nodes);
    for i in 0..n_nodes {
        let parent = match d.upto(n_clusters as u32) as usize {
            0 => None,
            p => Some(clusters[p - 1].id.clone()),
        };
        let kind = NODE_KINDS[d.upto(7) as usize];
        let label = label(d, 60);
        let detail = (d.upto(1) == 1).then(|| label.repeat(2));
        nodes.push(NodeView {
            id: format!("n{i}"),
            kind,
            label,
            detail,
            description: None,
            origin: None,
            parent,
            tags: Vec::new(),
            hint: hint(d),
        });
    }
    let mut edges = Vec::new();
    if !nodes.is_empty() {
        let n_edges = d.upto(80);
        let last = nodes.len() as u32 - 1;
        for _ in 0..n_edges {
            let from = nodes[d.upto(last) as usize].id.clone();
            let to = nodes[d.upto(last) as usize].id.clone();
            let kind = EDGE_KINDS[d.upto(3) as usize];
            let label = (d.upto(1) == 1).then(|| label(d, 30));
            edges.push(EdgeView {
                from,
                to,
                kind,
                label,
            });
        }
    }
    View {
        title: "fuzz".to_owned(),
        description: None,
        clusters,
        nodes,
        edges,
        flows: Vec::new(),
        decisions: std::sync::Arc::default(),
        tradeoffs: std::sync::Arc::default(),
        findings: std::sync::Arc::default(),
    }
}

/// Lay out a view both ways, check every invariant, and check the SVG is deterministic.
pub fn layout_target(view: &View) {
    for direction in [Direction::LR, Direction::TB] {
        let l = layout(view, LayoutOptions { direction });
        check_invariants(view, &l);
        let again = layout(view, LayoutOptions { direction });
        assert!(
            archflow::render::svg::render(view, &l) == archflow::render::svg::render(view, &again),
            "layout is not deterministic"
        );
    }
}

/// Every invariant the layout promises; panics with a description of the first broken one.
/// (`tests/integration/layout.rs` uses this same function, through `fuzz_smoke`.)
pub fn check_invariants(view: &View, layout: &Layout) {
    assert_eq!(layout.nodes.len(), view.nodes.len());
    assert_eq!(layout.clusters.len(), view.clusters.len());
    assert_eq!(layout.edges.len(), view.edges.len());
    let canvas = Rect {
        x: 0.0,
        y: 0.0,
        w: layout.width,
        h: layout.height,
    };
    let cluster_index = |id: &str| view.clusters.iter().position(|c| c.id == id);
    // No two node boxes overlap; each lies inside the canvas.
    let mut sorted: Vec<usize> = (0..view.nodes.len()).collect();
    sorted.sort_by(|&a, &b| layout.nodes[a].x.total_cmp(&layout.nodes[b].x));
    for (k, &a) in sorted.iter().enumerate() {
        let ra = layout.nodes[a];
        assert!(
            canvas.contains(&ra),
            "node {} outside the canvas",
            view.nodes[a].id
        );
        for &b in &sorted[k + 1..] {
            let rb = layout.nodes[b];
            if rb.x >= ra.right() {
                break;
            }
            assert!(
                !ra.overlaps(&rb),
                "nodes {} and {} overlap",
                view.nodes[a].id,
                view.nodes[b].id
            );
        }
    }
    // Every node lies inside each enclosing cluster.
    for (i, node) in view.nodes.iter().enumerate() {
        let mut parent = node.parent.as_deref().and_then(cluster_index);
        while let Some(c) = parent {
            assert!(
                layout.clusters[c].contains(&layout.nodes[i]),
                "node {} outside cluster {}",
                node.id,
                view.clusters[c].id
            );
            parent = view.clusters[c].parent.as_deref().and_then(cluster_index);
        }
    }
    // Cluster boxes are nested or disjoint (boxes that touch are disjoint).
    for a in 0..view.clusters.len() {
        for b in a + 1..view.clusters.len() {
            let (ra, rb) = (layout.clusters[a], layout.clusters[b]);
            assert!(
                !ra.overlaps(&rb) || ra.contains(&rb) || rb.contains(&ra),
                "clusters {} and {} overlap without nesting",
                view.clusters[a].id,
                view.clusters[b].id
            );
        }
    }
    // Labels lie inside the canvas and overlap no node.
    for (e, route) in layout.edges.iter().enumerate() {
        if let Some(label) = route.label {
            assert!(
                canvas.contains(&label),
                "label of edge {e} outside the canvas"
            );
            for (i, r) in layout.nodes.iter().enumerate() {
                assert!(
                    !label.overlaps(r),
                    "label of edge {e} overlaps node {}",
                    view.nodes[i].id
                );
            }
        }
        // Routes are orthogonal and cross no node box.
        for pair in route.points.windows(2) {
            let (p, q) = (pair[0], pair[1]);
            assert!(
                (p.x - q.x).abs() < 1e-6 || (p.y - q.y).abs() < 1e-6,
                "edge {e} has a diagonal segment"
            );
            for (i, r) in layout.nodes.iter().enumerate() {
                assert!(
                    !crosses(p, q, r),
                    "edge {e} ({} → {}) crosses node {}",
                    view.edges[e].from,
                    view.edges[e].to,
                    view.nodes[i].id
                );
            }
        }
    }
}

/// Whether the axis-parallel segment p–q passes through the interior of `r`.
fn crosses(p: Point, q: Point, r: &Rect) -> bool {
    let eps = 0.5;
    let (x0, x1) = (p.x.min(q.x), p.x.max(q.x));
    let (y0, y1) = (p.y.min(q.y), p.y.max(q.y));
    x1 > r.x + eps && x0 < r.right() - eps && y1 > r.y + eps && y0 < r.bottom() - eps
}
