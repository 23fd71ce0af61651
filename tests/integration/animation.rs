//! Tests: the animated flow (`render --format svg --flow NAME --animate`): how it is asked for,
//! what it holds, the README's copy, and Chromium playing it (`tests/browser/animate.mjs`).

use archflow::source::Source;

use crate::support::{archflow, read, root, text};

const HOSTILE: &str = "tests/fixtures/models/hostile-names/model.yaml";

fn animated(path: &str, flow: &str) -> String {
    let analysis = archflow::analyze(&Source::new(path, read(path)));
    let options = archflow::BuildOptions {
        animate: true,
        ..archflow::BuildOptions::default()
    };
    archflow::render(&analysis, archflow::Format::Svg, Some(flow), &options).unwrap()
}

#[test]
fn animate_needs_an_svg_of_a_flow() {
    for args in [
        &["render", "--format", "svg", "--animate"][..],
        &[
            "render",
            "--format",
            "png",
            "--flow",
            "store-goal",
            "--animate",
        ],
        &["render", "--flow", "store-goal", "--animate"],
    ] {
        let out = archflow(&root(), args);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stdout}{stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(
            stderr.contains("use it with --format svg --flow NAME"),
            "{args:?}: {stderr}"
        );
    }
    let out = archflow(
        &root(),
        &["render", "--format", "svg", "--flow", "nope", "--animate"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("store-goal"), "{}", text(&out).1);
    let out = archflow(
        &root(),
        &[
            "render",
            "--format",
            "svg",
            "--flow",
            "store-goal",
            "--animate",
        ],
    );
    assert!(out.status.success(), "{}", text(&out).1);
    assert_eq!(text(&out).0, animated("architecture.yaml", "store-goal"));
}

/// One animated group per hop (its lines and rings) and one for its badge and caption, each
/// delayed by its place in the flow; replies dashed and reversed; no script, no external
/// reference; a well-formed document with every user text escaped.
#[test]
fn the_svg_lights_each_hop_in_turn_with_css_only() {
    let svg = animated("architecture.yaml", "store-goal");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let hops: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("af-hop"))
        .collect();
    assert_eq!(hops.len(), 14, "7 steps, two groups each");
    let delays: Vec<&str> = hops.iter().filter_map(|n| n.attribute("style")).collect();
    assert_eq!(delays[..7], delays[7..]);
    assert_eq!(
        delays[..3],
        [
            "animation-delay:0s",
            "animation-delay:1.6s",
            "animation-delay:3.2s"
        ]
    );
    assert!(svg.contains("@keyframes af-play"));
    assert!(svg.contains("animation:af-play 12.4s linear infinite"));
    assert!(svg.contains("@media (prefers-reduced-motion: reduce)"));
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("href"));
    // Steps 5 to 7 answer: dashed; step 1 does not.
    let dashed = |k: usize| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(&format!("af-hop{k}")))
            .unwrap()
            .descendants()
            .any(|n| n.attribute("class") == Some("af-path af-reply"))
    };
    assert!(!dashed(1) && !dashed(4) && dashed(5) && dashed(7));
    // Captions say what happens, badges are numbered.
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::to_owned))
        .collect();
    assert!(texts.contains(&"1/7 API client → goals-alb: POST /goals (HTTP:80)".to_owned()));
    assert!(texts.contains(&"Store a goal: steps 1–7".to_owned()));
    for k in 1..=7 {
        assert!(texts.contains(&k.to_string()), "badge {k}");
    }
    // Hostile names stay text.
    let hostile = animated(HOSTILE, "flow <1>");
    let doc = roxmltree::Document::parse(&hostile).unwrap();
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
    assert!(
        doc.descendants()
            .filter_map(|n| n.text())
            .any(|t| t.contains("Flow \"one\" --> ]]: steps 1–4"))
    );
}

/// `docs/store-goal.svg`, the animated flow in the README, is what archflow draws now.
#[test]
fn readme_store_goal_svg_is_fresh() {
    assert_eq!(
        read("docs/store-goal.svg"),
        animated("architecture.yaml", "store-goal"),
        "docs/store-goal.svg is stale: archflow render --format svg --flow store-goal --animate \
         -o docs/store-goal.svg"
    );
    assert!(read("README.md").contains("<img src=\"docs/store-goal.svg\""));
}

/// Chromium plays the SVG: as an `<img>`, the picture changes as the hops light up; as a
/// document, seeking the animations lights each hop alone, and reduced motion stops them.
#[test]
fn browser() {
    let Some(checker) = crate::support::browser_checker() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, path, flow) in [
        ("reference", "architecture.yaml", "store-goal"),
        ("hostile", HOSTILE, "flow <1>"),
    ] {
        let file = dir.path().join(format!("{name}.svg"));
        std::fs::write(&file, animated(path, flow)).unwrap();
        files.push(file);
    }
    let shots = std::env::var_os("ARCHFLOW_SCREENSHOTS")
        .map_or_else(|| dir.path().join("screenshots"), Into::into);
    crate::support::run_node_checker(
        &checker.join("animate.mjs"),
        &["--screenshots".as_ref(), shots.as_os_str()],
        &files,
        "the animation check",
    );
}
