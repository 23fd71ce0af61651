//! Groups of flow steps (`alt`, `opt`, `par`, `loop`) end to end: loading and its errors, the
//! numbered steps, the Mermaid blocks (parsed by the real Mermaid parser), the HTML and Markdown
//! step lists, the flow views, the rules and the diff.

use std::process::Command;

use archflow::Analysis;
use archflow::source::Source;
use archflow::view::{View, Views};

use crate::support::{read, root};

const EXAMPLE: &str = "examples/flows.yaml";

fn analyze(path: &str, text: &str) -> Analysis {
    archflow::analyze(&Source::new(path, text))
}

fn example() -> Analysis {
    analyze(EXAMPLE, &read(EXAMPLE))
}

fn view(analysis: &Analysis) -> View {
    analysis.view().unwrap()
}

/// The codes of the findings, with their `line:col`.
fn found(text: &str) -> Vec<String> {
    let source = Source::new("model.yaml", text);
    let analysis = archflow::analyze(&source);
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let at = source.line_col(d.primary.span.start);
            format!("{}:{}: {} {}", at.line, at.column, d.code, d.message)
        })
        .collect()
}

#[test]
fn the_example_loads_checks_clean_and_numbers_every_step_in_reading_order() {
    let analysis = example();
    let errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == archflow::diagnostic::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        !analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "A007" || d.code == "A036"),
        "{:#?}",
        analysis.diagnostics
    );
    let model = analysis.model.as_ref().unwrap();
    let store = model
        .doc
        .flows
        .iter()
        .find(|f| f.name.value == "store-goal")
        .unwrap();
    let hops: Vec<String> = store
        .steps
        .iter()
        .map(|s| {
            let path: Vec<String> = s
                .groups
                .iter()
                .map(|g| format!("{}{}", g.kind.key(), g.branch))
                .collect();
            format!("{}>{} {}", s.from.value, s.to.value, path.join("/"))
        })
        .collect();
    assert_eq!(
        hops,
        [
            "user>goals-alb ",
            "goals-alb>goals-backend ",
            "goals-backend>mongodb opt0",
            "mongodb>goals-data opt0",
            "mongodb>goals-backend opt0",
            "goals-backend>notifier opt0/par0",
            "notifier>mail-provider opt0/par0",
            "goals-backend>cache opt0/par1",
            "goals-backend>goals-alb ",
            "goals-alb>user ",
        ]
    );
    assert_eq!(store.groups.len(), 2);
    assert_eq!(store.groups[1].parents.len(), 1);
    assert_eq!(store.groups[1].branches[0].steps, 2);
    assert_eq!(
        store.groups[1].branches[1]
            .when
            .as_ref()
            .map(|w| w.value.as_str()),
        Some("clear the list cache")
    );
}

#[test]
fn an_item_that_is_not_one_step_or_one_group_is_a_load_error_where_it_is_written() {
    let flow = |steps: &str| {
        format!(
            "name: x\nactors:\n  - name: a\n  - name: b\nflows:\n  - name: f\n    steps:\n{steps}"
        )
    };
    for (what, steps, expected) in [
        (
            "a step's key in a group",
            "      - opt: {when: w, steps: [{from: a, to: b}]}\n        action: go\n",
            "9:17: L002 a flow item is either a step or a group, but this `opt` group has a step's `action`",
        ),
        (
            "two groups in one item",
            "      - opt: {steps: [{from: a, to: b}]}\n        loop: {steps: [{from: a, to: b}]}\n",
            "9:15: L002 a flow item is one group, but this one has `opt` and `loop`",
        ),
        (
            "a step without `to` inside a branch",
            "      - alt:\n          - when: w\n            steps:\n              - from: a\n",
            "11:17: L004 missing required key `to`",
        ),
        (
            "a step without `from`",
            "      - {to: b}\n",
            "8:9: L004 missing required key `from`",
        ),
    ] {
        let got = found(&flow(steps));
        assert_eq!(got, [expected], "{what}");
    }
    // Unknown keys keep their place and their suggestion, inside branches too.
    let source = Source::new(
        "model.yaml",
        "name: x\nflows:\n  - name: f\n    steps:\n      - par:\n          - wehn: w\n",
    );
    let analysis = archflow::analyze(&source);
    let d = &analysis.diagnostics[0];
    assert_eq!(d.code, "L003");
    assert_eq!(source.line_col(d.primary.span.start).line, 6);
    assert!(
        d.help.as_deref().is_some_and(|h| h.contains("`when`")),
        "{d:?}"
    );
    let source = Source::new(
        "model.yaml",
        "name: x\nflows:\n  - name: f\n    steps:\n      - lop: {steps: []}\n",
    );
    let d = &archflow::analyze(&source).diagnostics[0];
    assert_eq!(d.code, "L003");
    assert!(
        d.help.as_deref().is_some_and(|h| h.contains("`loop`")),
        "{d:?}"
    );
}

#[test]
fn a_step_inside_a_branch_is_checked_against_the_configuration_where_it_is_written() {
    // The user reaches only the load balancer: a branch's step that skips it is unbacked.
    let text = read(EXAMPLE).replace(
        "              - {from: cache, to: goals-backend, action: the goal}",
        "              - {from: user, to: cache, action: the goal}",
    );
    let source = Source::new(EXAMPLE, text.as_str());
    let analysis = archflow::analyze(&source);
    let a007: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "A007")
        .collect();
    assert_eq!(a007.len(), 1, "{:#?}", analysis.diagnostics);
    let span = a007[0].primary.span;
    assert_eq!(&text[span.start..span.end], "user, to: cache");
    let line = text[..span.start].lines().count();
    assert!(
        text.lines()
            .nth(line - 1)
            .unwrap()
            .contains("{from: user, to: cache")
    );
}

#[test]
fn malformed_groups_are_found_with_their_places() {
    let got = found(
        "name: x\nactors:\n  - name: a\n    connectsTo: [b]\n  - name: b\nflows:\n  - name: f\n    steps:\n      - alt:\n          - when: only\n            steps: [{from: a, to: b}]\n      - loop: {when: never, steps: []}\n      - par: []\n",
    );
    let a036: Vec<&String> = got.iter().filter(|l| l.contains("A036")).collect();
    assert_eq!(
        a036,
        [
            "9:9: A036 flow `f`: this `alt` has one branch, so it chooses nothing",
            "12:15: A036 flow `f`: the branch `never` of this `loop` has no steps",
            "13:9: A036 flow `f`: this `par` has no branches",
        ],
        "{got:#?}"
    );
}

/// The Mermaid sequence of a flow of the example.
fn sequence(view: &View, flow: &str) -> String {
    archflow::render::mermaid::sequence(view, view.flow(flow).unwrap())
}

#[test]
fn mermaid_draws_each_group_as_a_block_around_its_steps() {
    let view = view(&example());
    let store = sequence(&view, "store-goal");
    let lines: Vec<&str> = store
        .lines()
        .filter(|l| {
            !l.trim_start().starts_with("Note")
                && !l.contains("participant")
                && !l.contains("actor ")
        })
        .collect();
    assert_eq!(
        lines[2..].join("\n"),
        [
            "  n_user->>n_goals_alb: POST /goals (HTTP:80)",
            "  n_goals_alb->>n_goals_backend: forward (HTTP:80)",
            "  opt the goal is new",
            "    n_goals_backend->>n_mongodb: insertOne (mongodb)",
            "    n_mongodb->>n_goals_data: write database files (NFS:2049)",
            "    n_mongodb-->>n_goals_backend: acknowledged",
            "    par notify the owner",
            "      n_goals_backend-)n_notifier: goal created (HTTP:8080)",
            "      n_notifier-)n_mail_provider: send e-mail (HTTPS)",
            "    and clear the list cache",
            "      n_goals_backend-)n_cache: DEL goals:list",
            "    end",
            "  end",
            "  n_goals_backend-->>n_goals_alb: 201 Created",
            "  n_goals_alb-->>n_user: 201 Created",
        ]
        .join("\n"),
        "{store}"
    );
    let read_goal = sequence(&view, "read-goal");
    let alt = read_goal.find("  alt the goal is cached\n").unwrap();
    let other = read_goal.find("  else otherwise\n").unwrap();
    let end = read_goal.find("  end\n").unwrap();
    assert!(alt < other && other < end, "{read_goal}");
    // The answer inside a branch is still read as an answer: dashed.
    assert!(read_goal[alt..other].contains("    n_cache-->>n_goals_backend: the goal"));
    let export = sequence(&view, "export-goals");
    assert!(
        export.contains("  loop each page, until a page has no goals\n"),
        "{export}"
    );
    assert!(export.trim_end().ends_with("  end"), "{export}");
}

#[test]
fn group_labels_are_escaped_and_every_sequence_parses_with_the_real_mermaid_parser() {
    let text = read(EXAMPLE).replace(
        "when: the goal is cached",
        "when: \"cached; end\\nalt <b>#x</b>\"",
    );
    let analysis = analyze(EXAMPLE, &text);
    let view = view(&analysis);
    let read_goal = sequence(&view, "read-goal");
    assert!(
        read_goal.contains("  alt cached#59; end alt #60;b#62;#35;x#60;/b#62;\n"),
        "{read_goal}"
    );
    let checker = root().join("tests/mermaid");
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
    for (i, view) in [view, self::view(&example())].iter().enumerate() {
        for flow in &view.flows {
            let path = dir.path().join(format!("{i}-{}.mmd", flow.name));
            std::fs::write(&path, archflow::render::mermaid::sequence(view, flow)).unwrap();
            files.push(path);
        }
    }
    crate::support::run_node_checker(
        &checker.join("check.mjs"),
        &[],
        &files,
        "the Mermaid parser",
    );
}

#[test]
fn the_html_walk_through_shows_group_headings_between_numbered_steps() {
    let analysis = example();
    let out =
        archflow::pipeline::outputs(&view(&analysis), &archflow::BuildOptions::default()).unwrap();
    let html = &out
        .files
        .iter()
        .find(|f| f.name == "architecture.html")
        .unwrap()
        .text;
    let flow = html.find("id=\"flow-1\"").unwrap();
    let store = &html[flow..html[flow..].find("</article>").unwrap() + flow];
    let order: Vec<usize> = [
        "id=\"flow-1-step-2\"",
        "data-depth=\"0\">Optional — the goal is new</li>",
        "id=\"flow-1-step-3\"",
        "data-depth=\"1\">In parallel — notify the owner</li>",
        "id=\"flow-1-step-6\" data-step=\"5\" data-depth=\"2\"",
        "data-depth=\"1\">In parallel — clear the list cache</li>",
        "id=\"flow-1-step-8\"",
        "step-group-end\" data-depth=\"0\">After the optional steps</li>",
        "id=\"flow-1-step-9\" data-step=\"8\">",
    ]
    .iter()
    .map(|needle| {
        store
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in {store}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(store.contains("Optional — the goal is new › In parallel — notify the owner"));
    // Every step is still a `.step` with its number; the headings are not steps.
    assert_eq!(
        store.matches("<li class=\"step\"").count()
            + store.matches("<li class=\"step step-back\"").count(),
        10
    );
}

#[test]
fn the_markdown_step_list_has_the_same_headings() {
    let analysis = example();
    let md = archflow::render::markdown::page(&view(&analysis));
    let start = md.find("### Store a goal").unwrap();
    let store = &md[start..];
    for (a, b) in [
        ("2. **", "*Optional — the goal is new*"),
        ("*Optional — the goal is new*", "3. › **"),
        ("3. › **", "› *In parallel — notify the owner*"),
        ("› *In parallel — notify the owner*", "6. › › **"),
        ("6. › › **", "› *In parallel — clear the list cache*"),
        ("*After the optional steps*", "9. **"),
    ] {
        let (i, j) = (store.find(a).unwrap(), store.find(b).unwrap());
        assert!(i < j, "{a} before {b} in {store}");
    }
}

#[test]
fn a_flow_view_shows_every_branch() {
    let whole = view(&example());
    let store = Views::new(&whole).flow("store-goal").unwrap();
    for id in ["notifier", "mail-provider", "cache", "goals-data"] {
        assert!(store.nodes.iter().any(|n| n.id == id), "{id}");
    }
}

#[test]
fn moving_a_step_into_a_branch_is_a_change_of_that_step() {
    let before = read(EXAMPLE);
    // The last step of `export-goals` leaves the loop (its indentation under `loop.steps`).
    let after = before.replace(
        "            - {from: goals-alb, to: user, action: a page of goals}\n",
        "      - {from: goals-alb, to: user, action: a page of goals}\n",
    );
    assert_ne!(before, after);
    let (old, new) = (analyze(EXAMPLE, &before), analyze(EXAMPLE, &after));
    let (diff, _) = archflow::diff::compare(&old, &new).unwrap();
    let flow = diff
        .flows
        .iter()
        .find(|f| f.name == "export-goals")
        .unwrap();
    assert_eq!(flow.steps.len(), 1, "{:#?}", flow.steps);
    let step = &flow.steps[0];
    assert_eq!(
        (step.from.as_str(), step.to.as_str()),
        ("goals-alb", "user")
    );
    assert_eq!(format!("{:?}", step.change), "Changed");
    assert_eq!(step.fields.len(), 1, "{:#?}", step.fields);
    assert_eq!(step.fields[0].field, "in");
    assert!(
        step.fields[0]
            .old
            .as_deref()
            .is_some_and(|o| o.contains("Repeated — each page"))
    );
    assert_eq!(step.fields[0].new, None);
}

#[test]
fn a_call_in_one_alternative_is_not_answered_in_another() {
    let text = "name: x\nactors:\n  - name: a\n    connectsTo: [b]\n  - name: b\n    connectsTo: [a]\nflows:\n  - name: f\n    steps:\n      - alt:\n          - when: a asks\n            steps: [{from: a, to: b, action: ask}]\n          - when: b asks\n            steps: [{from: b, to: a, action: ask}]\n      - {from: b, to: a, action: answer}\n";
    let view = view(&analyze("model.yaml", text));
    let seq = sequence(&view, "f");
    // b → a in the second branch is a call of its own (a's call in the first did not happen);
    // after the alt, a's call may have happened: b → a answers it.
    assert!(seq.contains("    n_b->>n_a: ask\n"), "{seq}");
    assert!(seq.contains("  n_b-->>n_a: answer\n"), "{seq}");
}

#[test]
fn the_readme_example_is_the_example_model_and_its_sequence_is_what_archflow_draws() {
    let readme = read("README.md");
    let section = readme
        .split("### Flows with groups of steps\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap();
    let block = |fence: &str| {
        section
            .split(&format!("```{fence}\n"))
            .nth(1)
            .and_then(|s| s.split("```").next())
            .unwrap()
            .to_owned()
    };
    // The README's flow, in the example's system.
    let example = read(EXAMPLE);
    let system = &example[..=example.find("\nflows:\n").unwrap()];
    let text = format!("{system}{}", block("yaml"));
    let analysis = analyze(EXAMPLE, &text);
    assert!(!analysis.has_errors(), "{:#?}", analysis.diagnostics);
    let view = view(&analysis);
    assert_eq!(sequence(&view, "read-goal"), block("mermaid"));
}

#[test]
fn a_step_in_one_alternative_does_not_answer_a_call_made_in_another() {
    // a reaches b only through c: b → a is backed only as the answer to a call a → c → b.
    let text = "name: x\nactors:\n  - name: a\n    connectsTo: [c]\n  - name: c\n    connectsTo: [b]\n  - name: b\nflows:\n  - name: f\n    steps:\n      - alt:\n          - when: a asks\n            steps: [{from: a, to: c}, {from: c, to: b}]\n          - when: b tells\n            steps: [{from: b, to: a, action: tell}]\n      - {from: b, to: a, action: answer}\n";
    let a007: Vec<String> = found(text)
        .into_iter()
        .filter(|l| l.contains("A007"))
        .collect();
    // Only the step of the second branch: the one after the alt answers the first branch's call.
    assert_eq!(a007.len(), 1, "{a007:#?}");
    assert!(a007[0].starts_with("15:28: A007"), "{a007:#?}");
}

#[test]
fn a_large_model_read_in_two_halves_opens_its_groups_too() {
    // 300 services: the loader reads the `services:` list on two threads.
    let text = archflow::synth::generate(300, 1).replacen(
        "flows:\n",
        "flows:\n  - name: grouped\n    steps:\n      - opt: {when: w, steps: [{from: a, to: b}]}\n",
        1,
    );
    let analysis = analyze("big.yaml", &text);
    let model = analysis.model.as_ref().unwrap();
    assert!(model.doc.services.len() >= 300);
    let flow = model
        .doc
        .flows
        .iter()
        .find(|f| f.name.value == "grouped")
        .unwrap();
    assert_eq!(flow.groups.len(), 1);
    assert_eq!(flow.steps.len(), 1);
    assert_eq!(flow.steps[0].groups.len(), 1);
}
