//! The README shows what archflow renders today, and documents every rule.

use archflow::source::Source;
use archflow::view::View;

use crate::support::read;

/// The text between `<!-- archflow:begin SPEC -->` and the next `<!-- archflow:end -->`.
fn block<'a>(readme: &'a str, spec: &str) -> &'a str {
    let begin = format!("<!-- archflow:begin {spec} -->\n");
    let start = readme
        .find(&begin)
        .unwrap_or_else(|| panic!("no `{begin}` marker"))
        + begin.len();
    let len = readme[start..]
        .find("<!-- archflow:end -->")
        .expect("end marker");
    &readme[start..start + len]
}

fn reference_view() -> View {
    let source = Source::new("architecture.yaml", read("architecture.yaml"));
    let analysis = archflow::analyze(&source);
    View::build(
        analysis.model.as_ref().unwrap(),
        analysis.graph.as_ref().unwrap(),
    )
}

#[test]
fn readme_diagrams_match_the_reference_model() {
    let readme = read("README.md");
    let view = reference_view();
    let flowchart = archflow::render::mermaid::flowchart(&view);
    assert_eq!(
        block(&readme, "flowchart"),
        format!("```mermaid\n{flowchart}```\n"),
        "README flowchart is stale: paste `archflow render --format mermaid`"
    );
    let flow = view.flow("store-goal").unwrap();
    let sequence = archflow::render::mermaid::sequence(&view, flow);
    assert_eq!(
        block(&readme, "sequence store-goal"),
        format!("```mermaid\n{sequence}```\n"),
        "README sequence diagram is stale: paste `archflow render --format sequence`"
    );
}

#[test]
fn readme_lists_every_rule() {
    let readme = read("README.md");
    for rule in archflow::check::RULES {
        let row = format!("| {} | {} | {} |", rule.code, rule.name, rule.severity);
        assert!(readme.contains(&row), "README lacks the row `{row}`");
    }
}

#[test]
fn readme_example_finding_is_real() {
    // The README's example is the output for the reference model with one volume misspelt.
    let text = read("architecture.yaml").replace("sourceVolume: data", "sourceVolume: dta");
    let source = Source::new("architecture.yaml", text);
    let analysis = archflow::analyze(&source);
    let a001: Vec<_> = analysis
        .diagnostics
        .into_iter()
        .filter(|d| d.code == "A001")
        .collect();
    let rendered = archflow::diagnostic::emit::human::render(&source, &a001, false);
    let readme = read("README.md");
    let example = rendered.trim_end();
    assert!(
        readme.contains(example),
        "README example differs from:\n{example}"
    );
}

#[test]
fn readme_svg_matches_the_reference_model() {
    let view = reference_view();
    let layout = archflow::layout::layout(&view, archflow::layout::LayoutOptions::default());
    let svg = archflow::render::svg::render(&view, &layout);
    assert_eq!(
        read("docs/architecture.svg"),
        svg,
        "docs/architecture.svg is stale: archflow render --format svg -o docs/architecture.svg"
    );
    assert!(read("README.md").contains("](docs/architecture.svg)"));
}
