//! A short fuzz in the normal test suite: every committed fuzz corpus file and every crash
//! regression through the same checks as the fuzz targets (`fuzz/src/lib.rs`, without
//! libFuzzer), and random byte edits of the reference model.

use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use archflow::view::View;
use proptest::prelude::*;

use crate::support::root;

#[allow(dead_code)]
#[path = "../../fuzz/src/lib.rs"]
pub(crate) mod targets;

static VIEW: LazyLock<View> = LazyLock::new(targets::reference_view);

/// Real templates and a real configuration, read once, edited at random by the property test.
static IAC_SEEDS: LazyLock<Vec<(&str, String)>> = LazyLock::new(|| {
    [
        ("cf", "tests/fixtures/iac/cloudformation/ecs-refarch-website-service.yaml"),
        ("cf", "tests/fixtures/iac/cloudformation/cfn-templates-fargate-private-subnet-public-service.json"),
        ("tf", "tests/fixtures/iac/terraform/tfprovider-ecs-alb/main.tf"),
    ]
    .into_iter()
    .map(|(target, file)| (target, std::fs::read_to_string(root().join(file)).unwrap()))
    .collect()
});

/// The files of `fuzz/corpus/<target>`, sorted, as (name, bytes).
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = root().join("fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files
        .into_iter()
        .map(|p| (name(&p), std::fs::read(&p).unwrap()))
        .collect()
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn parse_check_render_corpus() {
    for (_, data) in corpus("parse_check_render") {
        targets::parse_check_render_target(&data);
    }
}

#[test]
fn parse_check_render_is_deterministic_on_the_reference_model() {
    let text = targets::REFERENCE_MODEL;
    assert_eq!(
        targets::parse_check_render(text),
        targets::parse_check_render(text)
    );
}

#[test]
fn inject_corpus() {
    for (_, data) in corpus("inject") {
        targets::inject(&targets::text(&data), &VIEW);
    }
}

#[test]
fn import_ecs_corpus() {
    for (_, data) in corpus("import_ecs") {
        targets::import_ecs(&targets::text(&data));
    }
}

#[test]
fn import_compose_corpus() {
    for (_, data) in corpus("import_compose") {
        targets::import_compose(&targets::text(&data));
    }
}

#[test]
fn import_cloudformation_corpus() {
    for (_, data) in corpus("import_cloudformation") {
        targets::import_cloudformation(&targets::text(&data));
    }
}

#[test]
fn import_terraform_corpus() {
    for (_, data) in corpus("import_terraform") {
        targets::import_terraform(&targets::text(&data));
    }
}

/// The layout corpus is read by [`targets::Bytes`] here, by `arbitrary` in the fuzz target: the
/// same views need not come out, but the same checks run.
#[test]
fn layout_corpus() {
    for (_, data) in corpus("layout") {
        let view = targets::random_view(&mut targets::Bytes(&data));
        targets::layout_target(&view);
    }
}

/// A [`targets::Draw`] from proptest's numbers.
struct Numbers(std::vec::IntoIter<u32>);

impl targets::Draw for Numbers {
    fn upto(&mut self, max: u32) -> u32 {
        self.0.next().map_or(0, |n| n % (max + 1))
    }
}

/// One random edit of `text`: replace, insert or delete a few bytes.
fn mutate(text: &str, edits: &[(u8, usize, u8)]) -> Vec<u8> {
    const INSERTS: &[&[u8]] = &[
        b"\n",
        b": ",
        b"- ",
        b"[",
        b"]",
        b"{",
        b"}",
        b"&a ",
        b"*a",
        b"!!str ",
        b"\"",
        b"'",
        b"#",
        b"  ",
        b"\t",
        b"0",
        b"-1",
        b"99999999999999999999",
        b"null",
        b"~",
        b"\xff",
        b"\xe2\x80\xae",
    ];
    let mut bytes = text.as_bytes().to_vec();
    for &(op, at, b) in edits {
        let at = at % (bytes.len() + 1);
        match op % 4 {
            0 if at < bytes.len() => bytes[at] = b,
            1 => bytes.insert(at, b),
            2 if at < bytes.len() => {
                let end = (at + usize::from(b % 16) + 1).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let s = INSERTS[usize::from(b) % INSERTS.len()];
                bytes.splice(at..at, s.iter().copied());
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn edited_reference_model_never_panics(
        edits in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..6),
    ) {
        let data = mutate(targets::REFERENCE_MODEL, &edits);
        let start = Instant::now();
        targets::parse_check_render_target(&data);
        prop_assert!(start.elapsed() < Duration::from_secs(2), "took {:?}", start.elapsed());
    }

    #[test]
    fn edited_templates_and_configurations_never_panic(
        edits in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..6),
    ) {
        for (target, text) in IAC_SEEDS.iter() {
            let data = targets::text(&mutate(text, &edits));
            if *target == "cf" {
                targets::import_cloudformation(&data);
            } else {
                targets::import_terraform(&data);
            }
        }
    }

    #[test]
    fn random_views_keep_the_layout_invariants(
        numbers in prop::collection::vec(any::<u32>(), 0..400),
    ) {
        let view = targets::random_view(&mut Numbers(numbers.into_iter()));
        targets::layout_target(&view);
    }
}

/// Crash regression (fuzz target `layout`): in TB a label runs across the cross axis, and one
/// wider than everything else at its level stuck out of the canvas.
#[test]
fn regression_wide_label_in_top_to_bottom_layout_stays_on_the_canvas() {
    use archflow::graph::EdgeKind;
    use archflow::view::{ClusterKind, ClusterView, EdgeView, Hint, NodeKind, NodeView};
    let node = |id: &str, kind, parent: Option<&str>| NodeView {
        id: id.to_owned(),
        kind,
        label: "i".to_owned(),
        detail: Some("ii".to_owned()),
        description: None,
        origin: None,
        parent: parent.map(str::to_owned),
        tags: Vec::new(),
        hint: Hint::default(),
    };
    let edge = |from: &str, to: &str, label: Option<&str>| EdgeView {
        from: from.to_owned(),
        to: to.to_owned(),
        kind: EdgeKind::Mount,
        label: label.map(str::to_owned),
    };
    let view = View {
        title: "fuzz".to_owned(),
        description: None,
        clusters: vec![ClusterView {
            id: "c0".to_owned(),
            kind: ClusterKind::Cluster,
            label: " ·".to_owned(),
            detail: Some("detail".to_owned()),
            description: None,
            origin: None,
            parent: None,
            hint: Hint::default(),
        }],
        nodes: vec![
            node("n0", NodeKind::Container, Some("c0")),
            node("n1", NodeKind::Actor, None),
        ],
        edges: vec![
            edge("n0", "n1", Some("aMi aaM 中 M&")),
            edge("n1", "n0", None),
            edge("n1", "n0", Some("&·a中Mi aaM·a中M M 中 MM 中")),
            edge("n1", "n1", None),
            edge("n0", "n0", None),
        ],
        flows: Vec::new(),
        decisions: std::sync::Arc::default(),
        tradeoffs: std::sync::Arc::default(),
        findings: std::sync::Arc::default(),
    };
    targets::layout_target(&view);
}

/// Crash regression (fuzz target `import_ecs`): a JSON key with a control character (DEL here)
/// went as it was into a "not imported" comment, and the imported model was invalid YAML.
#[test]
fn regression_control_characters_in_import_comments_keep_the_model_loadable() {
    for c in [0x7f_u32, 0x1, 0xd, 0x85, 0x2028, 0xfeff] {
        let json = format!(
            r#"{{"family": "f", "containerDefinitions": [{{"name": "c", "image": "i"}}],
                "volumes": [{{"name": "v", "efsVolumeConfiguration":
                {{"fileSystemId": "fs-1", "authori\u{c:04x}ationConfig": {{}}}}}}]}}"#
        );
        targets::import_ecs(&json);
    }
}

/// Regression (found by `random_views_keep_the_layout_invariants`, shrunk from its random
/// numbers): two sibling clusters whose boxes touch (left to right, c2 ends at 28 + 472.84 and
/// c1 starts at 500.84) were reported as overlapping, by the 1e-13 px that separates the two
/// sums in floating point.
#[test]
fn regression_sibling_clusters_do_not_overlap() {
    use archflow::layout::{Direction, LayoutOptions, layout};
    use archflow::view::{ClusterKind, ClusterView, Hint, NodeKind, NodeView};
    let cluster =
        |id: &str, kind, parent: Option<&str>, tier: Option<u32>, label: &str| ClusterView {
            id: id.to_owned(),
            kind,
            label: label.to_owned(),
            detail: None,
            description: None,
            origin: None,
            parent: parent.map(str::to_owned),
            hint: Hint { tier, order: None },
        };
    let node = |id: &str, parent: &str, hint: Hint| NodeView {
        id: id.to_owned(),
        kind: NodeKind::TargetGroup,
        label: String::new(),
        detail: None,
        description: None,
        origin: None,
        parent: Some(parent.to_owned()),
        tags: Vec::new(),
        hint,
    };
    let wide = "·a-ia<-<a aiMé<é中i中·\u{202e}\u{202e}é-a中a\u{202e}éMi<aé&中中中< ";
    let view = View {
        title: "fuzz".to_owned(),
        description: None,
        clusters: vec![
            cluster("c0", ClusterKind::Task, None, None, ""),
            cluster("c1", ClusterKind::Service, Some("c0"), Some(2), ""),
            cluster("c2", ClusterKind::Cluster, Some("c0"), None, ""),
            cluster("c3", ClusterKind::Cluster, Some("c2"), None, ""),
            cluster("c5", ClusterKind::Cluster, Some("c3"), None, ""),
            cluster("c6", ClusterKind::Cluster, Some("c5"), None, ""),
            cluster("c7", ClusterKind::Service, Some("c6"), None, ""),
            cluster("c8", ClusterKind::Cluster, Some("c3"), None, ""),
            cluster("c9", ClusterKind::Task, Some("c7"), None, ""),
            cluster("c10", ClusterKind::Service, Some("c8"), None, wide),
        ],
        nodes: vec![
            node("n0", "c1", Hint::default()),
            node(
                "n1",
                "c5",
                Hint {
                    tier: Some(0),
                    order: Some(-2),
                },
            ),
        ],
        edges: Vec::new(),
        flows: Vec::new(),
        decisions: std::sync::Arc::default(),
        tradeoffs: std::sync::Arc::default(),
        findings: std::sync::Arc::default(),
    };
    // The case is still one of touching boxes.
    let across = layout(
        &view,
        LayoutOptions {
            direction: Direction::LR,
        },
    );
    let (c1, c2) = (across.clusters[1], across.clusters[2]);
    assert!((c2.right() - c1.x).abs() < 1e-6, "{c1:?} {c2:?}");
    targets::layout_target(&view);
}
