//! The README shows what archflow renders today, and documents every rule.

use archflow::source::Source;
use archflow::view::View;

use crate::support::{archflow, read, root, text};

fn reference_view() -> View {
    let source = Source::new("architecture.yaml", read("architecture.yaml"));
    let analysis = archflow::analyze(&source);
    View::build(
        analysis.model.as_ref().unwrap(),
        analysis.graph.as_ref().unwrap(),
    )
}

/// Every `<!-- archflow:begin … -->` block of the README is what `archflow inject` writes for
/// the reference model: `inject --check` passes.
#[test]
fn readme_blocks_are_fresh() {
    let out = archflow(&root(), &["inject", "README.md", "--check"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "README is stale: run `archflow inject README.md`\n{stdout}{stderr}"
    );
    assert!(stdout.contains("blocks up to date"), "{stdout}");
    let readme = read("README.md");
    for marker in ["flowchart", "sequence store-goal"] {
        let line = format!("\n<!-- archflow:begin {marker} -->\n");
        assert!(readme.contains(&line), "README lacks the block `{marker}`");
    }
}

#[test]
fn readme_lists_every_rule() {
    let readme = read("README.md");
    for rule in archflow::check::RULES {
        let row = format!(
            "| {} | {} | {} |",
            rule.code.id, rule.code.name, rule.code.severity
        );
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

/// `docs/overview.svg`, in the README's Views section, is the overview of the 30-service
/// synthetic model as archflow draws it now.
#[test]
fn readme_overview_svg_matches_the_synthetic_model() {
    let text = archflow::synth::generate(30, 1);
    let analysis = archflow::analyze(&Source::new("synth.yaml", text));
    let options = archflow::BuildOptions {
        view: Some("overview".to_owned()),
        ..archflow::BuildOptions::default()
    };
    let svg = archflow::render(&analysis, archflow::Format::Svg, None, &options).unwrap();
    assert_eq!(
        read("docs/overview.svg"),
        svg,
        "docs/overview.svg is stale: archflow generate --services 30 --seed 1 | archflow render - \
         --view overview --format svg -o docs/overview.svg"
    );
    assert!(read("README.md").contains("](docs/overview.svg)"));
}

/// ARCHITECTURE.md's file tree names every module of `src/` (files and folders one level down,
/// and the folders below them), and every name it gives exists.
#[test]
fn architecture_md_matches_the_tree() {
    let doc = read("ARCHITECTURE.md");
    let tree = doc
        .split("```\nsrc/\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("ARCHITECTURE.md has a ```src/ … ``` tree");
    let src = crate::support::root().join("src");
    // Every entry the tree starts a line with exists.
    for line in tree.lines() {
        let Some(first) = line
            .strip_prefix("  ")
            .and_then(|l| l.split_whitespace().next())
        else {
            continue;
        };
        if line.starts_with("   ") {
            continue; // a continuation line
        }
        assert!(
            src.join(first.trim_end_matches('/')).exists(),
            "ARCHITECTURE.md names `src/{first}`, which does not exist"
        );
    }
    // Every module at the top of src/ is in the tree, and every folder below is mentioned.
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let shown = if path.is_dir() {
            format!("{name}/")
        } else {
            name.clone()
        };
        assert!(
            tree.lines()
                .any(|l| l.strip_prefix("  ").is_some_and(|l| l.starts_with(&shown))),
            "ARCHITECTURE.md's tree lacks `src/{shown}`"
        );
        if path.is_dir() {
            for sub in std::fs::read_dir(&path).unwrap() {
                let sub = sub.unwrap().path();
                if sub.is_dir() {
                    let sub_name = format!("{}/", sub.file_name().unwrap().to_string_lossy());
                    assert!(
                        tree.contains(&sub_name),
                        "ARCHITECTURE.md's tree lacks `src/{name}/{sub_name}`"
                    );
                }
            }
        }
    }
}
