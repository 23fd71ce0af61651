//! `archflow lsp` over its real protocol: each test starts the server, speaks JSON-RPC to it,
//! and checks one capability on the reference model and on broken variants of it.

use std::collections::BTreeSet;

use archflow::model::{Field, references};
use archflow::source::Source;
use serde_json::{Value, json};

use crate::lsp_client::{Lsp, apply_edits, position, position_of};
use crate::support::{fixture, read};

const URI: &str = "file:///project/architecture.yaml";

fn reference_model() -> String {
    read("architecture.yaml")
}

fn at(uri: &str, position: &Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

#[test]
fn initialize_advertises_every_capability_and_negotiates_utf8() {
    let lsp = Lsp::start();
    let caps = &lsp.initialized["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    for key in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
    ] {
        assert_eq!(caps[key], true, "{key}: {caps}");
    }
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert!(caps["completionProvider"].is_object());
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(
        caps["experimental"]["archflow"]["preview"],
        "archflow/preview"
    );
    assert_eq!(lsp.shutdown().code(), Some(0));

    let lsp = Lsp::start_with(
        &json!({"general": {"positionEncodings": ["utf-32", "utf-8", "utf-16"]}}),
        &Value::Null,
    );
    assert_eq!(lsp.initialized["capabilities"]["positionEncoding"], "utf-8");
}

/// The published diagnostics are `check`'s findings: codes, severities, ranges, related
/// locations, with the explanation linked.
#[test]
fn diagnostics_are_the_findings_of_check() {
    let text = reference_model();
    let expected = archflow::analyze(&Source::new("architecture.yaml", text.clone()));
    let mut lsp = Lsp::start();
    let published = lsp.open(URI, &text);
    assert_eq!(published.len(), expected.diagnostics.len());
    for (got, want) in published.iter().zip(&expected.diagnostics) {
        assert_eq!(got["code"], want.code);
        assert_eq!(got["source"], "archflow");
        let severity = match want.severity {
            archflow::diagnostic::Severity::Error => 1,
            archflow::diagnostic::Severity::Warning => 2,
            archflow::diagnostic::Severity::Info => 3,
        };
        assert_eq!(got["severity"], severity);
        assert_eq!(
            got["range"]["start"],
            position(&text, want.primary.span.start)
        );
        assert_eq!(got["range"]["end"], position(&text, want.primary.span.end));
        assert!(got["message"].as_str().unwrap().starts_with(&want.message));
        let related = got["relatedInformation"].as_array().map_or(0, Vec::len);
        assert_eq!(related, want.secondary.len());
        for (r, label) in got["relatedInformation"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(&want.secondary)
        {
            assert_eq!(r["location"]["uri"], URI);
            assert_eq!(
                r["location"]["range"]["start"],
                position(&text, label.span.start)
            );
            assert_eq!(r["message"], label.message);
        }
        let href = got["codeDescription"]["href"].as_str().unwrap();
        assert_eq!(href, format!("archflow:/explain/{}.md", want.code));
        // The link's target is the rule's explanation, as `archflow explain` prints it.
        let explained = lsp.result("archflow/explain", &json!({"code": href}));
        let code = archflow::diagnostic::Code::find(want.code).unwrap();
        assert_eq!(
            explained["markdown"],
            archflow::check::explanation(code),
            "{href}"
        );
    }
    assert_eq!(lsp.shutdown().code(), Some(0));
}

#[test]
fn checks_settings_in_the_model_are_respected() {
    let mut lsp = Lsp::start();
    let text = reference_model();
    let before = lsp.open(URI, &text);
    assert!(codes(&before).contains(&"A010"));
    let configured = format!("{text}\nchecks:\n  rules:\n    A010: off\n    A013: error\n");
    lsp.replace(URI, 2, &configured);
    let after = lsp.diagnostics(URI, 2);
    assert!(!codes(&after).contains(&"A010"), "{after:?}");
    let a013 = after.iter().find(|d| d["code"] == "A013").unwrap();
    assert_eq!(a013["severity"], 1);
}

/// A misspelt `sourceVolume`: an A001 error on exactly the name, whose quick fix, applied,
/// leaves a model without it.
#[test]
fn unknown_reference_has_its_range_and_a_fix_that_works() {
    let text = reference_model().replace("sourceVolume: data", "sourceVolume: dta");
    let mut lsp = Lsp::start();
    let diagnostics = lsp.open(URI, &text);
    let a001: Vec<&Value> = diagnostics.iter().filter(|d| d["code"] == "A001").collect();
    assert_eq!(a001.len(), 1, "{diagnostics:?}");
    let d = a001[0];
    assert_eq!(d["severity"], 1);
    let start = text.find("sourceVolume: dta").unwrap() + "sourceVolume: ".len();
    assert_eq!(d["range"]["start"], position(&text, start));
    assert_eq!(d["range"]["end"], position(&text, start + 3));
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `data`?")
    );

    let actions = lsp.result(
        "textDocument/codeAction",
        &json!({
            "textDocument": {"uri": URI},
            "range": d["range"],
            "context": {"diagnostics": [d]},
        }),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Replace with `data`")
        .unwrap_or_else(|| panic!("no did-you-mean fix in {actions}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "A001");
    let edits = fix["edit"]["changes"][URI].as_array().unwrap();
    let fixed = apply_edits(&text, edits);
    assert_eq!(fixed, reference_model());
    lsp.replace(URI, 2, &fixed);
    let after = lsp.diagnostics(URI, 2);
    assert!(!codes(&after).contains(&"A001"), "{after:?}");
}

#[test]
fn other_fixes_from_the_help_apply_over_the_protocol() {
    // A012: a file system that is not encrypted, and A010 turned into "set desiredCount".
    let text = reference_model().replace("    encrypted: true\n", "    encrypted: false\n");
    let mut lsp = Lsp::start();
    let diagnostics = lsp.open(URI, &text);
    let a012 = diagnostics.iter().find(|d| d["code"] == "A012").unwrap();
    let actions = lsp.result("textDocument/codeAction", &json!({"textDocument": {"uri": URI}, "range": a012["range"], "context": {"diagnostics": []}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Set `encrypted: true`")
        .unwrap_or_else(|| panic!("{actions}"));
    let fixed = apply_edits(&text, fix["edit"]["changes"][URI].as_array().unwrap());
    assert_eq!(fixed, reference_model());
    // An unknown key: did you mean.
    let typo = reference_model().replace("    performanceMode:", "    performanceMod:");
    lsp.replace(URI, 2, &typo);
    let d = lsp.diagnostics(URI, 2);
    assert_eq!(codes(&d), ["L003"]);
    let actions = lsp.result("textDocument/codeAction", &json!({"textDocument": {"uri": URI}, "range": d[0]["range"], "context": {"diagnostics": d}}),
    );
    let edits = actions[0]["edit"]["changes"][URI].as_array().unwrap();
    assert_eq!(apply_edits(&typo, edits), reference_model());
}

#[test]
fn hover_on_components_references_rule_codes_and_keys() {
    let text = reference_model().replace(
        "    desiredCount: 1\n",
        "    desiredCount: 1\n    suppress:\n      - {rule: A017, reason: demo}\n",
    );
    let mut lsp = Lsp::start();
    lsp.open(URI, &text);
    let mut hover = |needle: &str, delta: usize| -> Value {
        lsp.result(
            "textDocument/hover",
            &at(URI, &position_of(&text, needle, 0, delta)),
        )
    };
    // The definition of a container: kind, label, where, facts, description, uses.
    let def = hover("name: mongodb", 7);
    let value = def["contents"]["value"].as_str().unwrap();
    assert!(
        value.starts_with("**container** `mongodb` — MongoDB"),
        "{value}"
    );
    assert!(value.contains("In the task of service `goals`"), "{value}");
    assert!(value.contains("image `mongo`"), "{value}");
    assert!(value.contains("The **MongoDB** database server"), "{value}");
    // `connectsTo`, `dependsOn`, three flow steps and two decisions' `concerns`.
    assert!(value.contains("Used 7 times:"), "{value}");
    assert!(
        value.contains("`containerName` of `goals-backend`"),
        "{value}"
    );
    assert!(value.contains("`from` of `store-goal`"), "{value}");
    assert!(def["range"].is_object());
    // A reference: what it names and where it is defined.
    let tg = hover("targetGroup: goals-tg", 15);
    let value = tg["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("**target group** `goals-tg`"), "{value}");
    let line = text[..text.find("- name: goals-tg").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert!(
        value.contains(&format!("Defined on line {line}.")),
        "{value}"
    );
    // A rule code in a suppression: the rule's documentation.
    let rule = hover("rule: A017", 7);
    let value = rule["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("**A017** `public-task-ip`"), "{value}");
    assert!(value.contains("## How to fix"), "{value}");
    // A key: its description from the schema.
    let key = hover("desiredCount:", 3);
    let value = key["contents"]["value"].as_str().unwrap();
    assert!(value.contains("How many copies of the task"), "{value}");
    // Nothing: null.
    let nothing = lsp.result(
        "textDocument/hover",
        &at(URI, &json!({"line": 0, "character": 0})),
    );
    assert!(nothing.is_null(), "{nothing}");
}

/// Every model the tests have, and every reference in each: go to definition lands on the
/// definition of what the reference names. Together they use every kind of reference field.
#[test]
fn definition_of_every_reference_field() {
    let mut models: Vec<(String, String)> = vec![
        ("reference".into(), reference_model()),
        ("synth".into(), archflow::synth::generate(12, 1)),
    ];
    for name in ["multi-service", "scoped-names", "hostile-names"] {
        models.push((
            name.into(),
            read(fixture(&format!("models/{name}/model.yaml"))),
        ));
    }
    let mut rules: Vec<_> = std::fs::read_dir(fixture("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    rules.sort();
    for dir in rules {
        for file in ["pass.yaml", "fail.yaml"] {
            let path = dir.join(file);
            models.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    let mut lsp = Lsp::start();
    let mut covered = BTreeSet::new();
    let mut checked = 0;
    for (i, (name, text)) in models.iter().enumerate() {
        let analysis = archflow::analyze(&Source::new("m.yaml", text.clone()));
        let Some(model) = analysis.model.as_ref() else {
            continue;
        };
        let uri = format!("file:///project/m{i}.archflow.yaml");
        lsp.open(&uri, text);
        for r in references(model) {
            let expected = match r.field {
                Field::AccessPoint => r
                    .file_system
                    .and_then(|fs| model.file_system(&fs.value))
                    .and_then(|fs| {
                        fs.access_points
                            .iter()
                            .find(|a| a.name.value == r.name.value)
                    })
                    .map(|ap| archflow::source::Span::of(&ap.name)),
                _ => r.target(model).map(|c| c.span),
            };
            let Some(expected) = expected else {
                continue;
            };
            let start = archflow::source::Span::of(r.name).start;
            let got = lsp.result(
                "textDocument/definition",
                &at(&uri, &position(text, start + 1)),
            );
            let got = got.as_array().unwrap();
            assert!(
                !got.is_empty(),
                "{name}: no definition for {:?} `{}`",
                r.field,
                r.name.value
            );
            assert_eq!(got[0]["uri"], uri);
            assert_eq!(
                got[0]["range"]["start"],
                position(text, expected.start),
                "{name}: {:?} `{}`",
                r.field,
                r.name.value
            );
            covered.insert(format!("{:?}", r.field));
            checked += 1;
        }
    }
    let all = [
        Field::ConnectsTo,
        Field::Links,
        Field::ListenerTargetGroup,
        Field::ServiceTargetGroup,
        Field::ServiceContainer,
        Field::DependsOn,
        Field::SourceVolume,
        Field::FileSystemId,
        Field::AccessPoint,
        Field::StepFrom,
        Field::StepTo,
        Field::ViewName,
        Field::ViewService,
    ];
    for field in all {
        assert!(
            covered.contains(&format!("{field:?}")),
            "no {field:?} reference was checked"
        );
    }
    assert!(checked > 200, "{checked}");
}

#[test]
fn references_and_rename_update_every_use() {
    let text = reference_model();
    let mut lsp = Lsp::start();
    lsp.open(URI, &text);
    let on_mongodb = position_of(&text, "name: mongodb", 0, 7);
    let refs = lsp.result("textDocument/references", &json!({"textDocument": {"uri": URI}, "position": on_mongodb, "context": {"includeDeclaration": true}}),
    );
    // The definition, `connectsTo`, `dependsOn`, three flow steps and two decisions' `concerns`.
    assert_eq!(refs.as_array().unwrap().len(), 1 + 1 + 1 + 3 + 2, "{refs}");
    let without = lsp.result("textDocument/references", &json!({"textDocument": {"uri": URI}, "position": on_mongodb, "context": {"includeDeclaration": false}}),
    );
    assert_eq!(without.as_array().unwrap().len(), 7);

    let prepared = lsp.result("textDocument/prepareRename", &at(URI, &on_mongodb.clone()));
    assert_eq!(prepared["placeholder"], "mongodb");
    let edit = lsp.result(
        "textDocument/rename",
        &json!({"textDocument": {"uri": URI}, "position": on_mongodb, "newName": "docdb"}),
    );
    let edits = edit["changes"][URI].as_array().unwrap();
    assert_eq!(edits.len(), 8);
    let renamed = apply_edits(&text, edits);
    assert!(!renamed.contains("to: mongodb") && renamed.contains("from: docdb"));
    lsp.replace(URI, 2, &renamed);
    let after = lsp.diagnostics(URI, 2);
    let before: Vec<Value> = lsp.open("file:///project/original.yaml", &text);
    assert_eq!(
        codes(&after),
        codes(&before),
        "the rename changed the findings"
    );

    // A rule code cannot be renamed; a name that is taken is refused.
    let refused = lsp.request("textDocument/rename", &json!({"textDocument": {"uri": URI}, "position": position_of(&renamed, "name: docdb", 0, 7), "newName": "goals-backend"}),
    );
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already"),
        "{refused}"
    );
}

#[test]
fn renaming_a_service_rewrites_its_qualified_names() {
    let text = read(fixture("models/scoped-names/model.yaml"));
    let mut lsp = Lsp::start();
    let uri = "file:///project/scoped.archflow.yaml";
    let before = lsp.open(uri, &text);
    assert!(
        text.contains("web/app"),
        "the fixture uses a qualified name"
    );
    let edit = lsp.result("textDocument/rename", &json!({"textDocument": {"uri": uri}, "position": position_of(&text, "serviceName: web", 0, 14), "newName": "storefront"}),
    );
    let renamed = apply_edits(&text, edit["changes"][uri].as_array().unwrap());
    assert!(
        renamed.contains("storefront/app") && !renamed.contains("web/app"),
        "{renamed}"
    );
    lsp.replace(uri, 2, &renamed);
    assert_eq!(codes(&lsp.diagnostics(uri, 2)), codes(&before));
}

#[test]
fn completion_offers_the_names_valid_at_the_cursor_and_schema_keys() {
    let text = reference_model();
    let mut lsp = Lsp::start();
    lsp.open(URI, &text);
    let labels = |lsp: &mut Lsp, text: &str, version: i64, at_text: &str| -> Vec<String> {
        lsp.replace(URI, version, text);
        lsp.diagnostics(URI, version);
        let pos = position_of(text, at_text, 0, at_text.len());
        let list = lsp.result("textDocument/completion", &at(URI, &pos));
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect()
    };
    // The volumes of this task, and only them.
    let t = text.replace("sourceVolume: data", "sourceVolume: ");
    assert_eq!(labels(&mut lsp, &t, 2, "sourceVolume: "), ["data"]);
    // The containers of this task for `dependsOn`.
    let t = text.replace("- containerName: mongodb", "- containerName: ");
    assert_eq!(
        labels(&mut lsp, &t, 3, "- containerName: "),
        ["goals-backend", "mongodb"]
    );
    // Target groups for a listener's action.
    let t = text.replace(
        "targetGroup: goals-tg\n\ntarget",
        "targetGroup: g\n\ntarget",
    );
    assert_eq!(labels(&mut lsp, &t, 4, "targetGroup: g"), ["goals-tg"]);
    // Any component in a flow step, by the name that works from anywhere.
    let t = text.replace(
        "- from: mongodb\n        to: goals-data",
        "- from: \n        to: goals-data",
    );
    let names = labels(&mut lsp, &t, 5, "- from: ");
    for n in [
        "user",
        "goals-alb",
        "goals-tg",
        "goals-backend",
        "mongodb",
        "data",
        "goals-data",
    ] {
        assert!(names.iter().any(|l| l == n), "{n} missing from {names:?}");
    }
    assert!(
        !names.iter().any(|l| l == "goals"),
        "services are not referenceable: {names:?}"
    );
    // An enum value from the schema.
    let t = text.replace("launchType: FARGATE", "launchType: ");
    assert_eq!(
        labels(&mut lsp, &t, 6, "launchType: "),
        ["EC2", "EXTERNAL", "FARGATE"]
    );
    // Keys of a container that are not written yet.
    let t = text.replace(
        "          essential: true\n          description: |\n            The **Node",
        "          essential: true\n          \n          description: |\n            The **Node",
    );
    let keys = labels(&mut lsp, &t, 7, "essential: true\n          ");
    assert!(keys.contains(&"healthCheck".to_owned()), "{keys:?}");
    assert!(
        !keys.contains(&"image".to_owned()) && !keys.contains(&"essential".to_owned()),
        "{keys:?}"
    );
    // Rule codes in a suppression.
    let t = text.replace(
        "    desiredCount: 1\n",
        "    desiredCount: 1\n    suppress:\n      - rule: A01\n",
    );
    let rules = labels(&mut lsp, &t, 8, "rule: A01");
    assert!(
        rules.contains(&"A010".to_owned()) && rules.contains(&"A017".to_owned()),
        "{rules:?}"
    );
    // A view's selectors: any component by name, services by `serviceName`.
    let t = format!("{text}views:\n  - name: mine\n    include:\n      - service: \n");
    assert_eq!(labels(&mut lsp, &t, 9, "- service: "), ["goals"]);
    let t = format!("{text}views:\n  - name: mine\n    include:\n      - name: mo\n");
    let names = labels(&mut lsp, &t, 10, "include:\n      - name: mo");
    assert!(names.iter().any(|n| n == "mongodb"), "{names:?}");
}

#[test]
fn completion_and_navigation_keep_working_while_the_text_does_not_load() {
    let text = reference_model();
    let mut lsp = Lsp::start();
    lsp.open(URI, &text);
    // Half-typed: a broken line in the middle of the flows.
    let broken = text.replace(
        "        action: insertOne(goal)\n",
        "        action: [insertOne\n      - sourceVolume: \n",
    );
    lsp.replace(URI, 2, &broken);
    let d = lsp.diagnostics(URI, 2);
    assert!(codes(&d).iter().all(|c| c.starts_with('L')), "{d:?}");
    assert!(!d.is_empty());
    // Definition from the last analysis that loaded, on lines that did not change.
    let def = lsp.result(
        "textDocument/definition",
        &at(URI, &position_of(&broken, "sourceVolume: data", 0, 15)),
    );
    assert_eq!(
        def[0]["range"]["start"],
        position_of(&broken, "- name: data", 0, 8)
    );
    let hover = lsp.result(
        "textDocument/hover",
        &at(URI, &position_of(&broken, "connectsTo: [mongodb]", 0, 14)),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("**container** `mongodb`")
    );
    // The preview is the last one that loaded, marked stale.
    let preview = lsp.result("archflow/preview", &json!({"textDocument": {"uri": URI}}));
    assert_eq!(preview["stale"], true);
    assert!(preview["svg"].as_str().unwrap().starts_with("<svg"));
    assert!(preview["message"].as_str().unwrap().starts_with('L'));
}

/// A symbol's range holds its selection and its children's ranges.
fn check_ranges(s: &Value) {
    let line = |p: &Value| {
        (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        )
    };
    let (r, sel) = (&s["range"], &s["selectionRange"]);
    assert!(
        line(&r["start"]) <= line(&sel["start"]) && line(&sel["end"]) <= line(&r["end"]),
        "{s}"
    );
    for c in s["children"].as_array().into_iter().flatten() {
        assert!(line(&r["start"]) <= line(&c["range"]["start"]), "{s}");
        assert!(line(&c["range"]["end"]) <= line(&r["end"]), "{s}");
        check_ranges(c);
    }
}

#[test]
fn document_symbols_outline_the_model() {
    let text = reference_model();
    let mut lsp = Lsp::start();
    lsp.open(URI, &text);
    let symbols = lsp.result(
        "textDocument/documentSymbol",
        &json!({"textDocument": {"uri": URI}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "user",
            "goals-alb",
            "goals-tg",
            "goals-data",
            "goals",
            "store-goal"
        ]
    );
    let service = &symbols[4];
    let task = &service["children"][0];
    assert_eq!(task["name"], "goals");
    assert_eq!(task["detail"], "task definition");
    let parts: Vec<&str> = task["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(parts, ["goals-backend", "mongodb", "data"]);
    assert_eq!(symbols[5]["children"].as_array().unwrap().len(), 7);
    assert_eq!(symbols[1]["children"][0]["name"], "goals-alb:80");
    // Every range holds its selection and its children.
    for s in symbols.as_array().unwrap() {
        check_ranges(s);
    }
}

#[test]
fn preview_draws_the_model_and_follows_the_cursor() {
    let text = reference_model();
    let mut lsp = Lsp::start();
    lsp.open(URI, &text);
    let preview = lsp.result("archflow/preview", &json!({"textDocument": {"uri": URI}, "position": position_of(&text, "image: mongo", 0, 3)}),
    );
    assert_eq!(preview["version"], 1);
    assert_eq!(preview["stale"], false);
    let svg = preview["svg"].as_str().unwrap();
    let doc = roxmltree::Document::parse(svg).expect("the preview is well-formed SVG");
    // The cursor is inside container `mongodb`: its node is the focus.
    let focus = preview["focus"].as_str().unwrap();
    let node = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(focus))
        .unwrap();
    assert_eq!(node.attribute("data-name"), Some("mongodb"));
    // Focus alone, on the load balancer's name; and on the service (its cluster).
    let on_alb = lsp.result(
        "archflow/focus",
        &at(URI, &position_of(&text, "name: goals-alb", 0, 7)),
    );
    let node = doc
        .descendants()
        .find(|n| n.attribute("id") == on_alb["focus"].as_str())
        .unwrap();
    assert_eq!(node.attribute("data-name"), Some("goals-alb"));
    let on_service = lsp.result(
        "archflow/focus",
        &at(URI, &position_of(&text, "launchType: FARGATE", 0, 2)),
    );
    assert!(
        on_service["focus"].as_str().unwrap().starts_with("af-c"),
        "{on_service}"
    );
    // After a change, the preview waits for the new text's analysis and draws it.
    let renamed = text.replace("label: MongoDB", "label: Mongo Database");
    lsp.replace(URI, 2, &renamed);
    let redrawn = lsp.result("archflow/preview", &json!({"textDocument": {"uri": URI}}));
    assert_eq!(redrawn["version"], 2);
    assert!(redrawn["svg"].as_str().unwrap().contains("Mongo Database"));
}

/// Columns count UTF-16 code units by default and bytes when UTF-8 was negotiated; names
/// with accents and characters outside the BMP are found either way.
#[test]
fn positions_in_utf16_and_utf8_with_non_ascii_names() {
    let text = reference_model()
        .replace("- name: user", "- name: \"usér-𝄞\"")
        .replace("from: user", "from: \"usér-𝄞\"")
        .replace("to: user", "to: \"usér-𝄞\"")
        .replace(
            "connectsTo: [goals-alb]",
            "connectsTo: [goals-alb, \"ünknöwn\"]",
        );
    for utf8 in [false, true] {
        let caps = if utf8 {
            json!({"general": {"positionEncodings": ["utf-8"]}})
        } else {
            json!({})
        };
        let mut lsp = Lsp::start_with(&caps, &Value::Null);
        let d = lsp.open(URI, &text);
        let a001 = d.iter().find(|d| d["code"] == "A001").unwrap();
        let start = text.find("\"ünknöwn\"").unwrap();
        let end = start + "\"ünknöwn\"".len();
        let encode = |offset: usize| {
            if utf8 {
                let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
                let line = text[..offset].matches('\n').count();
                json!({"line": line, "character": offset - line_start})
            } else {
                position(&text, offset)
            }
        };
        assert_eq!(a001["range"]["start"], encode(start), "utf8: {utf8}");
        assert_eq!(a001["range"]["end"], encode(end), "utf8: {utf8}");
        // Definition of the actor from the flow step written after non-ASCII text.
        let step = text.find("to: \"usér-𝄞\"").unwrap() + "to: \"usé".len();
        let def = lsp.result("textDocument/definition", &at(URI, &encode(step)));
        let name = text.find("\"usér-𝄞\"").unwrap();
        assert_eq!(def[0]["range"]["start"], encode(name), "utf8: {utf8}");
        assert_eq!(
            def[0]["range"]["end"],
            encode(name + "\"usér-𝄞\"".len()),
            "utf8: {utf8}"
        );
        assert_eq!(lsp.shutdown().code(), Some(0));
    }
}

#[test]
fn bad_requests_get_errors_and_the_server_carries_on() {
    let mut lsp = Lsp::start();
    let unknown = lsp.request("archflow/nothing", &json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let malformed = lsp.request("textDocument/hover", &json!({"textDocument": 3}));
    assert_eq!(malformed["error"]["code"], -32602);
    // A document that was never opened, and positions far outside one.
    let none = lsp.result(
        "textDocument/hover",
        &at("file:///nowhere.yaml", &json!({"line": 0, "character": 0})),
    );
    assert!(none.is_null());
    lsp.open(URI, &reference_model());
    let far = lsp.result(
        "textDocument/definition",
        &at(URI, &json!({"line": 99999, "character": 99999})),
    );
    assert_eq!(far, json!([]));
    let far = lsp.result(
        "textDocument/completion",
        &at(URI, &json!({"line": 5, "character": 99999})),
    );
    assert!(far["items"].is_array());
    assert_eq!(lsp.shutdown().code(), Some(0));
}

/// The VS Code extension asks for what the server answers: the same custom requests, the
/// same explanation links, the same files.
#[test]
fn the_vscode_extension_speaks_the_servers_requests() {
    let extension = read("editors/vscode/src/extension.ts");
    for method in [
        archflow::lsp::preview::PREVIEW,
        archflow::lsp::preview::FOCUS,
        archflow::lsp::preview::EXPLAIN,
    ] {
        assert!(extension.contains(&format!("\"{method}\"")), "{method}");
    }
    assert!(extension.contains("`archflow:/explain/${"));
    assert!(archflow::lsp::diagnostics::EXPLAIN_PREFIX.starts_with("archflow:"));
    assert!(extension.contains("registerTextDocumentContentProvider(\"archflow\""));
    assert!(extension.contains("args: [\"lsp\"]"));
    let manifest: Value = serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    let matched = &manifest["contributes"]["yamlValidation"][0];
    assert_eq!(
        matched["fileMatch"],
        json!(["architecture.yaml", "*.archflow.yaml"])
    );
    assert_eq!(matched["url"], "./archflow.schema.json");
    for pattern in ["**/architecture.yaml", "**/*.archflow.yaml"] {
        assert!(extension.contains(pattern), "{pattern}");
    }
}

/// A step inside a group (`opt` → `par` branch): its `from` and `to` navigate, are found, hover
/// and rename like any other step's, and the keys of a branch complete from the schema.
#[test]
fn steps_inside_groups_navigate_hover_and_rename() {
    const FLOWS: &str = "file:///project/flows.yaml";
    let text = read("examples/flows.yaml");
    let mut lsp = Lsp::start();
    let diagnostics = lsp.open(FLOWS, &text);
    assert!(
        !codes(&diagnostics).iter().any(|c| c.starts_with('L')),
        "{diagnostics:?}"
    );
    let inner = "{from: notifier, to: mail-provider, action: send e-mail";
    // Go to definition from the `to` inside the `par` branch: the actor's name.
    let on_to = position_of(&text, inner, 0, "{from: notifier, to: ".len() + 2);
    let def = lsp.result("textDocument/definition", &at(FLOWS, &on_to));
    let target = if def.is_array() { def[0].clone() } else { def };
    assert_eq!(
        target["range"]["start"],
        position_of(&text, "- name: mail-provider", 0, "- name: ".len())
    );
    // Hover on it: what it names, used by the branch's step.
    let hover = lsp.result("textDocument/hover", &at(FLOWS, &on_to));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("**actor** `mail-provider`"), "{value}");
    // References from the definition: the container's `connectsTo` and the branch's step.
    let on_def = position_of(&text, "- name: mail-provider", 0, "- name: ".len() + 1);
    let refs = lsp.result(
        "textDocument/references",
        &json!({"textDocument": {"uri": FLOWS}, "position": on_def, "context": {"includeDeclaration": false}}),
    );
    let lines: BTreeSet<u64> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    let step_line = on_to["line"].as_u64().unwrap();
    assert!(lines.contains(&step_line), "{refs}");
    assert_eq!(lines.len(), 2, "{refs}");
    // Rename from the step inside the branch rewrites the definition and every use.
    let edit = lsp.result(
        "textDocument/rename",
        &json!({"textDocument": {"uri": FLOWS}, "position": on_to, "newName": "mailer"}),
    );
    let renamed = apply_edits(&text, edit["changes"][FLOWS].as_array().unwrap());
    assert!(!renamed.contains("mail-provider"), "{renamed}");
    assert!(renamed.contains("{from: notifier, to: mailer, action: send e-mail"));
    assert!(renamed.contains("- name: mailer"));
    // The keys of a branch's step and of a branch complete from the schema.
    let t = text.replace(
        "            - {from: goals-backend, to: mongodb, action: insertOne, protocol: mongodb}\n",
        "            - {from: goals-backend, to: mongodb, action: insertOne, protocol: mongodb}\n            - \n",
    );
    lsp.replace(FLOWS, 2, &t);
    lsp.diagnostics(FLOWS, 2);
    let pos = position_of(&t, "            - \n", 0, "            - ".len());
    let list = lsp.result("textDocument/completion", &at(FLOWS, &pos));
    let labels: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    for key in ["from", "to", "alt", "par", "loop"] {
        assert!(
            labels.iter().any(|l| l.starts_with(key)),
            "{key} in {labels:?}"
        );
    }
}
