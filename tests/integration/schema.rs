//! The JSON Schema of the model (`archflow schema`, committed as `archflow.schema.json`) and the
//! ready-made CI integrations (`action.yml`, `.pre-commit-hooks.yaml`).

use std::path::{Path, PathBuf};
use std::process::Command;

use archflow::source::Source;
use serde_json::{Value, json};

use crate::support::{archflow, read, root, text, tool_ready, validate_json_schema};

const SCHEMA_FILE: &str = "archflow.schema.json";
const REGENERATE: &str = "cargo run -q -- schema > archflow.schema.json";
const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";
const MODELINE: &str = "# yaml-language-server: $schema=./archflow.schema.json";

fn schema_path() -> PathBuf {
    root().join(SCHEMA_FILE)
}

fn committed_schema() -> Value {
    serde_json::from_str(&read(SCHEMA_FILE)).expect("archflow.schema.json is JSON")
}

#[test]
fn committed_schema_is_what_archflow_schema_prints() {
    let out = archflow(&root(), &["schema"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.ends_with("}\n"),
        "pretty JSON with a trailing newline"
    );
    assert_eq!(stdout, archflow::syntax::schema::json_schema_text());
    let committed = read(SCHEMA_FILE);
    if committed != stdout {
        let line = committed
            .lines()
            .zip(stdout.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(stdout.lines().count()));
        panic!(
            "{SCHEMA_FILE} is stale (first difference at line {}): regenerate it with `{REGENERATE}`",
            line + 1
        );
    }
}

#[test]
fn schema_is_draft_2020_12_with_an_id_a_title_and_a_description() {
    let schema = committed_schema();
    assert_eq!(schema["$schema"], DRAFT_2020_12);
    for key in ["$id", "title", "description"] {
        assert!(
            schema[key].as_str().is_some_and(|s| !s.trim().is_empty()),
            "the schema has no `{key}`"
        );
    }
    assert_eq!(schema["type"], "object");
    assert!(schema["$defs"].as_object().is_some_and(|d| d.len() > 40));
}

/// The root and every definition, with their names.
fn objects(schema: &Value) -> Vec<(String, &Value)> {
    let mut all = vec![("(root)".to_owned(), schema)];
    all.extend(
        schema["$defs"]
            .as_object()
            .expect("$defs")
            .iter()
            .map(|(name, def)| (name.clone(), def)),
    );
    all
}

#[test]
fn every_type_and_key_is_described_and_unknown_keys_are_refused() {
    let schema = committed_schema();
    for (name, def) in objects(&schema) {
        assert!(
            def["description"].as_str().is_some_and(|d| !d.is_empty()),
            "`{name}` has no description: give the type a doc comment in src/syntax/document.rs"
        );
        let Some(properties) = def.get("properties").and_then(Value::as_object) else {
            continue;
        };
        assert_eq!(
            def["additionalProperties"], false,
            "`{name}` accepts unknown keys, but the loader refuses them (deny_unknown_fields)"
        );
        for (key, property) in properties {
            let description = property["description"].as_str().unwrap_or_default();
            assert!(
                !description.is_empty(),
                "`{name}.{key}` has no description: give the field a doc comment in \
                 src/syntax/document.rs (it is the editor's hover text)"
            );
            assert!(
                !description.contains('\n') || description.contains("\n\n"),
                "`{name}.{key}`: a description's lines are joined into paragraphs"
            );
        }
    }
}

#[test]
fn every_type_in_document_rs_is_in_the_schema() {
    let schema = committed_schema();
    let defs = schema["$defs"].as_object().expect("$defs");
    let source = read("src/syntax/document.rs");
    let types: Vec<&str> = source
        .lines()
        .filter_map(|l| {
            l.strip_prefix("pub struct ")
                .or_else(|| l.strip_prefix("pub enum "))
        })
        .filter_map(|rest| rest.split([' ', '<', '{', '(']).next())
        .collect();
    assert!(types.len() > 40, "{types:?}");
    for name in types.iter().filter(|t| **t != "Document") {
        assert!(
            defs.contains_key(*name),
            "`{name}` from src/syntax/document.rs is not in the schema: derive JsonSchema on it \
             and use it in the model, then `{REGENERATE}`"
        );
    }
    assert_eq!(
        defs.len(),
        types.len() - 1,
        "the schema has definitions that are not types of document.rs"
    );
}

#[test]
fn spanned_fields_are_described_as_their_values() {
    let schema = committed_schema();
    let defs = &schema["$defs"];
    assert!(!read(SCHEMA_FILE).contains("Spanned"));
    // S<u16>, Option<S<String>>, Vec<S<String>>, Option<S<enum>>, S<enum>.
    let listener = &defs["Listener"]["properties"];
    assert_eq!(listener["port"]["type"], "integer");
    assert_eq!(listener["port"]["maximum"], 65535);
    assert_eq!(listener["sslPolicy"]["type"], json!(["string", "null"]));
    assert_eq!(
        listener["protocol"]["anyOf"],
        json!([{"$ref": "#/$defs/ListenerProtocol"}, {"type": "null"}])
    );
    assert_eq!(
        defs["Actor"]["properties"]["connectsTo"]["items"],
        json!({"type": "string"})
    );
    assert_eq!(
        defs["ContainerDependency"]["properties"]["condition"]["$ref"],
        "#/$defs/DependencyCondition"
    );
    // Required keys are the ones the loader requires.
    assert_eq!(
        defs["ContainerDefinition"]["required"],
        json!(["name", "image"])
    );
    assert_eq!(
        defs["Service"]["required"],
        json!(["serviceName", "taskDefinition"])
    );
    // cpu and memory: a number or a string, as the loader accepts.
    assert_eq!(
        defs["NumberOrString"]["anyOf"][1],
        json!({"type": "string"})
    );
}

#[test]
fn enums_list_their_values() {
    let schema = committed_schema();
    let defs = &schema["$defs"];
    for (name, values) in [
        ("LaunchType", json!(["EC2", "FARGATE", "EXTERNAL"])),
        ("Scheme", json!(["internet-facing", "internal"])),
        (
            "Role",
            json!(["api", "web", "database", "cache", "worker", "sidecar"]),
        ),
        ("NetworkMode", json!(["awsvpc", "bridge", "host", "none"])),
        (
            "ActionType",
            json!([
                "forward",
                "redirect",
                "fixed-response",
                "authenticate-oidc",
                "authenticate-cognito"
            ]),
        ),
        (
            "DependencyCondition",
            json!(["START", "COMPLETE", "SUCCESS", "HEALTHY"]),
        ),
        ("PerformanceMode", json!(["generalPurpose", "maxIO"])),
    ] {
        assert_eq!(defs[name]["type"], "string", "{name}");
        assert_eq!(defs[name]["enum"], values, "{name}");
    }
}

#[test]
fn reference_model_points_editors_at_the_schema() {
    let model = read("architecture.yaml");
    assert_eq!(model.lines().next(), Some(MODELINE));
    let path = MODELINE.rsplit('=').next().expect("a path");
    assert!(root().join(path).is_file(), "`{path}` does not exist");
}

/// Every `.yaml` file under `dir`, sorted.
fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Whether archflow loads the model (no `L0xx` error).
fn loads(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).expect("readable model");
    let source = Source::new(path.display().to_string(), text);
    !archflow::analyze(&source).failed_to_load()
}

#[test]
fn every_model_that_loads_validates_against_the_schema() {
    let mut candidates = vec![
        root().join("architecture.yaml"),
        root().join("examples/flows.yaml"),
    ];
    yaml_files(&root().join("tests/fixtures"), &mut candidates);
    let mut models: Vec<PathBuf> = candidates.into_iter().filter(|p| loads(p)).collect();
    assert!(models.len() >= 20, "{models:?}");
    // And a synthetic model with every kind of component archflow generates.
    let dir = tempfile::tempdir().unwrap();
    let synthetic = dir.path().join("synthetic.yaml");
    std::fs::write(&synthetic, archflow::synth::generate(40, 3)).unwrap();
    assert!(loads(&synthetic));
    models.push(synthetic);
    if let Some(report) = validate_json_schema(&schema_path(), &models) {
        assert!(report.contains("ok "), "{report}");
    }
}

/// Whether Python's jsonschema is there (see `support::tool_ready`).
fn have_validator() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import jsonschema, yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    tool_ready(
        "Python's jsonschema",
        ok,
        "python3 -m pip install -r tests/jsonschema/requirements.txt",
    )
}

/// Models the loader refuses, what the validator reports (where, and why), and the loader's code.
const INVALID: &[(&str, &str, &str, &str)] = &[
    (
        "unknown top-level key",
        "name: x\nservises: []\n",
        "'servises' was unexpected",
        "L003",
    ),
    (
        "unknown key in a container",
        "services:\n  - serviceName: s\n    taskDefinition:\n      family: s\n      containerDefinitions:\n        - name: c\n          image: nginx\n          portMapings: [{containerPort: 80}]\n",
        "'portMapings' was unexpected",
        "L003",
    ),
    (
        "launch type not one of the values",
        "services:\n  - serviceName: s\n    launchType: LAMBDA\n    taskDefinition: {family: s}\n",
        "at services/0/launchType: 'LAMBDA' is not valid",
        "L002",
    ),
    (
        "role not one of the values",
        "services:\n  - serviceName: s\n    taskDefinition:\n      family: s\n      containerDefinitions:\n        - {name: c, image: mongo, role: db}\n",
        "at services/0/taskDefinition/containerDefinitions/0/role: 'db' is not valid",
        "L002",
    ),
    (
        "port that is not a number",
        "loadBalancers:\n  - name: lb\n    listeners:\n      - port: http\n",
        "at loadBalancers/0/listeners/0/port: 'http' is not of type 'integer'",
        "L002",
    ),
    (
        "a flow item that is both a step and a group",
        "actors: [{name: a}, {name: b}]\nflows:\n  - name: f\n    steps:\n      - {from: a, to: b, opt: {steps: [{from: a, to: b}]}}\n",
        "at flows/0/steps/0: {'from': 'a', 'to': 'b', 'opt': {'steps': [{'from': 'a', 'to': 'b'}]}} is not valid under any of the given schemas",
        "L002",
    ),
    (
        "a step inside a branch without `to`",
        "actors: [{name: a}, {name: b}]\nflows:\n  - name: f\n    steps:\n      - loop: {when: each, steps: [{from: a}]}\n",
        "at flows/0/steps/0: {'loop': {'when': 'each', 'steps': [{'from': 'a'}]}} is not valid under any of the given schemas",
        "L004",
    ),
    (
        "container without an image",
        "services:\n  - serviceName: s\n    taskDefinition:\n      family: s\n      containerDefinitions:\n        - name: c\n",
        "'image' is a required property",
        "L004",
    ),
];

#[test]
fn invalid_models_fail_the_schema_as_they_fail_the_loader() {
    if !have_validator() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (i, (what, model, reason, code)) in INVALID.iter().enumerate() {
        let path = dir.path().join(format!("invalid-{i}.yaml"));
        std::fs::write(&path, model).unwrap();
        let source = Source::new("model.yaml", *model);
        let analysis = archflow::analyze(&source);
        assert!(
            analysis.failed_to_load() && analysis.diagnostics.iter().any(|d| d.code == *code),
            "{what}: the loader should refuse it with {code}: {:?}",
            analysis.diagnostics
        );
        let out = Command::new("python3")
            .arg(root().join("tests/jsonschema/validate.py"))
            .arg(schema_path())
            .arg(&path)
            .output()
            .expect("python3 runs");
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{what}: {stdout}{stderr}");
        assert!(
            stdout.starts_with("FAIL ") && stdout.contains(reason),
            "{what}: expected `{reason}` in: {stdout}"
        );
    }
}

// --- CI integrations ----------------------------------------------------------------------------

/// A YAML file of the repository as JSON values (read by archflow's own YAML parser).
fn yaml(rel: &str) -> Value {
    serde_saphyr::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"))
}

/// The `archflow …` command lines of a shell script, as words without quotes.
fn archflow_commands(script: &str) -> Vec<Vec<String>> {
    script
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("archflow "))
        .map(|l| {
            l.split_whitespace()
                .take_while(|w| !matches!(*w, ">" | "|" | "||" | "&&" | "2>&1"))
                .map(|w| w.trim_matches('"').to_owned())
                .collect()
        })
        .collect()
}

/// Whether a trimmed `--help` line starts a flag's entry (`--format <FORMAT>`, `-q, --quiet`).
fn is_flag_line(line: &str) -> bool {
    line.starts_with("--") || (line.starts_with('-') && line.contains(", --"))
}

/// The names in a flag's "Possible values:" list in long `--help` output.
fn possible_values(help: &str, flag: &str) -> Vec<String> {
    let mut lines = help
        .lines()
        .map(str::trim)
        .skip_while(|l| !(l.starts_with(flag) || l.contains(&format!(", {flag}"))));
    lines.next();
    lines
        .take_while(|l| !is_flag_line(l))
        .filter_map(|l| l.strip_prefix("- "))
        .map(|v| v.split(':').next().unwrap_or(v).trim().to_owned())
        .collect()
}

/// Panics unless the subcommand, its flags and literal flag values are in `archflow --help`.
fn assert_command_is_real(words: &[String], origin: &str) {
    let shown = words.join(" ");
    assert_eq!(
        words.first().map(String::as_str),
        Some("archflow"),
        "{origin}"
    );
    let sub = words
        .get(1)
        .unwrap_or_else(|| panic!("{origin}: `{shown}` has no subcommand"));
    let (top, _) = text(&archflow(&root(), &["--help"]));
    assert!(
        top.lines()
            .any(|l| l.trim_start().starts_with(&format!("{sub} "))),
        "{origin}: `{shown}`: `archflow --help` lists no `{sub}` command"
    );
    let out = archflow(&root(), &[sub, "--help"]);
    let (help, _) = text(&out);
    assert!(
        out.status.success(),
        "{origin}: `archflow {sub} --help` fails"
    );
    let mut words = words[2..].iter().peekable();
    while let Some(word) = words.next() {
        if !word.starts_with('-') {
            continue;
        }
        let flag = word.split('=').next().unwrap_or(word);
        let named = help.lines().map(str::trim).any(|l| {
            l.starts_with(&format!("{flag} "))
                || l == flag
                || l.contains(&format!(", {flag} "))
                || l.ends_with(&format!(", {flag}"))
        });
        assert!(
            named,
            "{origin}: `{shown}`: `archflow {sub} --help` has no `{flag}` (is the flag still being added?)"
        );
        let values = possible_values(&help, flag);
        if values.is_empty() {
            continue;
        }
        let value = match word.split_once('=') {
            Some((_, v)) => Some(v.to_owned()),
            None => words.next_if(|w| !w.starts_with('-')).cloned(),
        };
        if let Some(value) = value.filter(|v| !v.starts_with('$')) {
            assert!(
                values.contains(&value),
                "{origin}: `{shown}`: `{flag} {value}` is not one of {values:?}"
            );
        }
    }
}

#[test]
fn github_action_is_a_composite_action_that_runs_real_commands() {
    let action = yaml("action.yml");
    assert!(action["name"].is_string() && action["description"].is_string());
    for input in [
        "model", "deny", "sarif", "readme", "diff", "comment", "token",
    ] {
        assert!(
            action["inputs"][input]["description"].is_string(),
            "action.yml has no input `{input}`"
        );
    }
    assert_eq!(action["inputs"]["model"]["default"], "architecture.yaml");
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    for step in steps {
        if step.get("run").is_some() {
            assert_eq!(
                step["shell"], "bash",
                "a composite run step needs a shell: {step}"
            );
        }
    }
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert_eq!(uses, ["github/codeql-action/upload-sarif@v3"]);
    let script: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let script = script.join("\n");
    assert!(script.contains("cargo install --locked"), "{script}");
    assert!(
        steps.iter().any(|s| s["env"]
            .as_object()
            .is_some_and(|env| env.values().any(|v| v == "${{ github.action_path }}"))),
        "archflow is installed from the action's own checkout"
    );
    let commands = archflow_commands(&script);
    let lines: Vec<String> = commands.iter().map(|c| c.join(" ")).collect();
    for expected in [
        "archflow check $MODEL --format sarif",
        "archflow check $MODEL --format github",
        "archflow check $MODEL --format github --deny $DENY",
        "archflow inject $README --model $MODEL --check",
        "archflow diff $BASE:$MODEL $HEAD:$MODEL --format md",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "no `{expected}` in {lines:?}"
        );
    }
    for command in &commands {
        assert_command_is_real(command, "action.yml");
    }
}

#[test]
fn pre_commit_hooks_run_real_commands() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let ids: Vec<&str> = hooks.iter().filter_map(|h| h["id"].as_str()).collect();
    assert_eq!(ids, ["archflow-check", "archflow-inject"]);
    for hook in hooks {
        assert_eq!(hook["pass_filenames"], false, "{hook}");
        assert_eq!(hook["language"], "rust", "{hook}");
        assert!(
            hook["name"].is_string() && hook["files"].is_string(),
            "{hook}"
        );
        let entry = hook["entry"].as_str().expect("entry");
        let words: Vec<String> = entry.split_whitespace().map(str::to_owned).collect();
        assert_command_is_real(&words, ".pre-commit-hooks.yaml");
    }
    assert_eq!(hooks[0]["entry"], "archflow check");
    assert_eq!(hooks[0]["files"], r"architecture\.ya?ml$");
    assert_eq!(hooks[1]["entry"], "archflow inject README.md --check");
}
