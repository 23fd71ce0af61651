//! Tests: `messages`. Every load and import error in archflow's own words, at the place of its
//! real cause: a table of malformed inputs (models, ECS JSON, compose files), each with the one
//! line archflow reports first, pinned. No message may name the YAML or JSON library's API.

use std::path::Path;

use crate::support::{archflow, text};

/// What a case feeds to archflow.
enum Input {
    Str(&'static str),
    Text(String),
    Bytes(&'static [u8]),
}

impl Input {
    fn bytes(&self) -> &[u8] {
        match self {
            Self::Str(s) => s.as_bytes(),
            Self::Text(s) => s.as_bytes(),
            Self::Bytes(b) => b,
        }
    }
}

/// Which command reads the input.
#[derive(Clone, Copy, Debug)]
enum Reader {
    /// `archflow check model.yaml --format json`: the first finding as `file:line:col: CODE
    /// message`.
    Model,
    /// `archflow import ecs task.json`: the first line on standard error.
    Ecs,
    /// `archflow import compose compose.yaml`: the first line on standard error.
    Compose,
}

/// A string of 1 MiB repeated by 70 aliases: 70 MiB of values from a file of 1 MiB.
fn aliases_past_64_mib() -> String {
    format!(
        "name: x\nactors:\n  - name: &a \"{}\"\n    connectsTo: [{}]\n",
        "x".repeat(1024 * 1024),
        vec!["*a"; 70].join(", ")
    )
}

/// 10,000 nested flow lists.
fn deep_nesting() -> String {
    format!(
        "name: deep\nflows: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    )
}

fn cases() -> Vec<(Reader, &'static str, Input, &'static str)> {
    use Reader::{Compose, Ecs, Model};
    vec![
        (
            Model,
            "duplicate key",
            Input::Str("name: x\nname: y\n"),
            "model.yaml:2:1: L001 the key `name` is given twice in one mapping",
        ),
        (
            Model,
            "duplicate nested key",
            Input::Str("name: x\nactors:\n  - name: a\n    label: A\n    label: B\n"),
            "model.yaml:5:5: L001 the key `label` is given twice in one mapping",
        ),
        (
            Model,
            "second document",
            Input::Str("name: x\n---\nname: y\n"),
            "model.yaml:2:1: L001 a second YAML document starts here: archflow reads one document per file",
        ),
        (
            Model,
            "empty name",
            Input::Str("name: x\nactors:\n  - name: ~\n"),
            "model.yaml:3:11: L002 `name` needs a text value, and is empty",
        ),
        (
            Model,
            "name without value",
            Input::Str("name: x\nactors:\n  - name:\n"),
            "model.yaml:3:9: L002 `name` needs a text value, and is empty",
        ),
        (
            Model,
            "CR-only line breaks",
            Input::Str("# c\rname: x\ractors: [\r"),
            "model.yaml:3:9: L001 this `[` is never closed",
        ),
        (
            Model,
            "key indented too far",
            Input::Str("name: x\nactors:\n  - name: a\n     connectsTo: [b]\n"),
            "model.yaml:4:6: L001 `connectsTo:` is indented more than `name:` above it, so YAML reads it as more of `name`'s value",
        ),
        (
            Model,
            "key at the list's indentation",
            Input::Str(
                "name: x\nservices:\n  - serviceName: s\n    taskDefinition:\n      family: f\n      containerDefinitions:\n        - name: c\n        image: x\n",
            ),
            "model.yaml:8:9: L001 this line is indented like the `- ` items of the list on line 7, but is not one",
        ),
        (
            Model,
            "key at the parent's indentation",
            Input::Str(
                "name: x\nservices:\n  - serviceName: s\n    taskDefinition:\n      family: f\n      containerDefinitions:\n        - name: c\n      image: x\n",
            ),
            "model.yaml:8:7: L004 `image` is indented less than the mapping that needs it",
        ),
        (
            Model,
            "key between dash and keys",
            Input::Str(
                "name: x\nservices:\n  - serviceName: s\n   taskDefinition:\n      family: f\n",
            ),
            "model.yaml:4:4: L001 this line is indented 3 spaces: more than the `-` of the list item on line 3, less than its keys",
        ),
        (
            Model,
            "tab indentation",
            Input::Str("name: x\nactors:\n\t- name: a\n"),
            "model.yaml:3:2: L001 a tab indents this line; YAML indents with spaces only",
        ),
        (
            Model,
            "unclosed double quote",
            Input::Str("name: \"x\n"),
            "model.yaml:1:7: L001 this quoted value is never closed",
        ),
        (
            Model,
            "unclosed single quote",
            Input::Str("name: 'x\n"),
            "model.yaml:1:7: L001 this quoted value is never closed",
        ),
        (
            Model,
            "unclosed brace",
            Input::Str("name: x\nactors: {\n"),
            "model.yaml:2:9: L001 this `{` is never closed",
        ),
        (
            Model,
            "unclosed bracket",
            Input::Str("name: x\nactors: [a, b\n"),
            "model.yaml:2:9: L001 this `[` is never closed",
        ),
        (
            Model,
            "unknown anchor",
            Input::Str("name: x\nactors:\n  - name: a\n    connectsTo: *nope\n"),
            "model.yaml:4:17: L001 the alias `*nope` names no anchor",
        ),
        (
            Model,
            "recursive alias",
            Input::Str("name: x\nactors: &a\n  - name: a\n    connectsTo: *a\n"),
            "model.yaml:4:17: L001 the alias `*a` is inside the value its anchor `&a` marks, so it would repeat itself forever",
        ),
        (
            Model,
            "tagged value",
            Input::Str("name: !!int x\n"),
            "model.yaml:1:13: L002 a value with a YAML tag (`!!int`, `!custom`, …) cannot be read as text",
        ),
        (
            Model,
            "negative number",
            Input::Str("name: x\nservices:\n  - serviceName: s\n    desiredCount: -1\n"),
            "model.yaml:4:19: L002 invalid value `-1`: expected a whole number from 0 to 4294967295",
        ),
        (
            Model,
            "fraction",
            Input::Str("name: x\nservices:\n  - serviceName: s\n    desiredCount: 1.5\n"),
            "model.yaml:4:19: L002 invalid value `1.5`: expected a whole number from 0 to 4294967295",
        ),
        (
            Model,
            "word for a number",
            Input::Str("name: x\nservices:\n  - serviceName: s\n    desiredCount: many\n"),
            "model.yaml:4:19: L002 invalid value `many`: expected a whole number from 0 to 4294967295",
        ),
        (
            Model,
            "list for text",
            Input::Str("name: [a]\n"),
            "model.yaml:1:7: L002 wrong kind of value: expected a text value",
        ),
        (
            Model,
            "list for the model",
            Input::Str("- a\n- b\n"),
            "model.yaml:1:1: L002 wrong kind of value: expected a mapping (`key: value` lines)",
        ),
        (
            Model,
            "dash without space",
            Input::Str("name: x\nactors:\n  - name: a\n  -name: c\n"),
            "model.yaml:4:3: L001 `-name` is not a list item: `-` starts one only when a space follows",
        ),
        (
            Model,
            "bracket closing nothing",
            Input::Str("name: x\nactors:\n  - name: a\n    connectsTo: [b]]\n"),
            "model.yaml:4:20: L001 this bracket closes nothing",
        ),
        (
            Model,
            "reserved @",
            Input::Str("name: x\n@bad: 1\n"),
            "model.yaml:2:1: L001 `@` cannot start a value that is not quoted",
        ),
        (
            Model,
            "reserved backquote",
            Input::Str("name: x\n`bad: 1\n"),
            "model.yaml:2:1: L001 `` ` `` cannot start a value that is not quoted",
        ),
        (
            Model,
            "unknown escape",
            Input::Str("name: \"a\\qb\"\n"),
            "model.yaml:1:7: L001 an escape that YAML does not know, in a double-quoted value",
        ),
        (
            Model,
            "mismatched bracket",
            Input::Str("name: x\nactors:\n  - name: a\n    connectsTo: [b}\n"),
            "model.yaml:4:17: L001 a `[` is closed by `}`",
        ),
        (
            Model,
            "unknown enum value",
            Input::Str(
                "name: x\nservices:\n  - serviceName: s\n    taskDefinition:\n      family: f\n      networkMode: awsvcp\n",
            ),
            "model.yaml:6:20: L002 unknown value `awsvcp`",
        ),
        (
            Model,
            "port out of range",
            Input::Str(
                "name: x\nservices:\n  - serviceName: s\n    taskDefinition:\n      family: f\n      containerDefinitions:\n        - name: c\n          image: x\n          portMappings:\n            - containerPort: 70000\n",
            ),
            "model.yaml:10:30: L002 invalid value `70000`: expected a whole number from 0 to 65535",
        ),
        (
            Model,
            "mapping for a list",
            Input::Str(
                "name: x\nservices:\n  - serviceName: s\n    taskDefinition:\n      family: f\n      containerDefinitions: {}\n",
            ),
            "model.yaml:6:29: L002 wrong kind of value: expected a list (`- item` lines or `[a, b]`)",
        ),
        (
            Model,
            "missing key",
            Input::Str("name: x\nflows:\n  - name: f\n    steps:\n      - from: a\n"),
            "model.yaml:5:9: L004 missing required key `to`",
        ),
        (
            Model,
            "unknown key",
            Input::Str("name: x\nservices:\n  - serviceNme: s\n"),
            "model.yaml:3:5: L003 unknown key `serviceNme`",
        ),
        (
            Model,
            "directive after content",
            Input::Str("name: x\n%YAML 1.2\n"),
            "model.yaml:2:1: L001 a `%` directive after the content starts: directives come first",
        ),
        (
            Model,
            "directive twice",
            Input::Str("%YAML 1.2\n%YAML 1.2\n---\nname: x\n"),
            "model.yaml:2:1: L001 `%YAML` is given twice",
        ),
        (
            Model,
            "colon inside a value",
            Input::Str("name: x\ndescription: a: b\n"),
            "model.yaml:2:15: L001 a `: ` inside a value that is not quoted reads as a second key",
        ),
        (
            Model,
            "block text dedented",
            Input::Str("name: x\nactors:\n  - name: a\n    label: |\n  bad\n"),
            "model.yaml:5:3: L001 this line does not fit the mapping it is in: a `key: value` is expected",
        ),
        (
            Model,
            "aliases past 64 MiB",
            Input::Text(aliases_past_64_mib()),
            "model.yaml:4:266: L008 the YAML exceeds archflow's safety limits: its values, with every alias repeated, come to more than 64 MiB",
        ),
        (
            Model,
            "deep nesting",
            Input::Text(deep_nesting()),
            "model.yaml:2:263: L008 the YAML exceeds archflow's safety limits: it nests deeper than 128 levels",
        ),
        (
            Model,
            "empty file",
            Input::Str(""),
            "model.yaml:1:1: L005 the model is empty",
        ),
        (
            Model,
            "comments only",
            Input::Str("# a model, some day\n---\n"),
            "model.yaml:1:1: L005 the model is empty",
        ),
        (
            Model,
            "comments only, CR line breaks",
            Input::Str("# a model\r# some day\r"),
            "model.yaml:1:1: L005 the model is empty",
        ),
        (
            Model,
            "not UTF-8",
            Input::Bytes(b"name: caf\xe9\n"),
            "model.yaml:1:10: L006 the file is not valid UTF-8 (first bad byte at offset 9)",
        ),
        (
            Model,
            "unknown rule setting",
            Input::Str("name: x\nchecks:\n  rules:\n    A010: maybe\n"),
            "model.yaml:4:11: L002 unknown value `maybe`",
        ),
        (
            Model,
            "comment without space",
            Input::Str("name: 'x'#c\n"),
            "model.yaml:1:10: L001 a `#` that starts a comment needs a space before it",
        ),
        (
            Ecs,
            "empty file",
            Input::Str(""),
            "task.json:1:1: error: invalid JSON: the file is empty",
        ),
        (
            Ecs,
            "trailing comma",
            Input::Str(
                "{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"c\",\"image\":\"i\"},]}",
            ),
            "task.json:1:64: error: invalid JSON: a comma before a closing bracket, which JSON does not allow",
        ),
        (
            Ecs,
            "unclosed object",
            Input::Str(
                "{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"c\",\"image\":\"i\"}]",
            ),
            "task.json:1:63: error: invalid JSON: the file ends inside an object: a `}` is missing",
        ),
        (
            Ecs,
            "missing comma",
            Input::Str("{\"family\":\"f\" \"containerDefinitions\":[]}"),
            "task.json:1:15: error: invalid JSON: a `,` or a `}` is expected after the value",
        ),
        (
            Ecs,
            "text after the document",
            Input::Str(
                "{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"c\",\"image\":\"i\"}]} {}",
            ),
            "task.json:1:66: error: invalid JSON: more text after the end of the JSON document",
        ),
        (
            Ecs,
            "missing family",
            Input::Str("{\"containerDefinitions\":[{\"name\":\"c\",\"image\":\"i\"}]}"),
            "task.json:1:1: error: top level: missing required field `family`",
        ),
        (
            Ecs,
            "wrong type",
            Input::Str(
                "{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"c\",\"image\":\"i\",\"essential\":\"yes\"}]}",
            ),
            "task.json:1:79: error: containerDefinitions[0].essential: expected true or false, found \"yes\"",
        ),
        (
            Ecs,
            "port out of range",
            Input::Str(
                "{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"c\",\"image\":\"i\",\"portMappings\":[{\"containerPort\":70000}]}]}",
            ),
            "task.json:1:96: error: containerDefinitions[0].portMappings[0].containerPort: expected a whole number from 0 to 65535, found 70000",
        ),
        (
            Ecs,
            "a list",
            Input::Str("[1, 2]"),
            "task.json:1:1: error: expected a task definition (`aws ecs describe-task-definition` output or `register-task-definition` input), container definitions (an array of them, or one object with `image`) or a service (`aws ecs describe-services` output or `create-service` input); found an array holding a number",
        ),
        (
            Ecs,
            "single quotes",
            Input::Str("{'family': 'f'}"),
            "task.json:1:2: error: invalid JSON: an object's key must be a string in double quotes",
        ),
        (
            Compose,
            "duplicate key",
            Input::Str("services:\n  web:\n    image: x\n    image: y\n"),
            "compose.yaml:4:5: error: invalid YAML: the key `image` is given twice in one mapping",
        ),
        (
            Compose,
            "tab indentation",
            Input::Str("services:\n\tweb:\n    image: x\n"),
            "compose.yaml:2:2: error: invalid YAML: a tab indents this line; YAML indents with spaces only",
        ),
        (
            Compose,
            "unclosed bracket",
            Input::Str("services:\n  web:\n    ports: [80\n"),
            "compose.yaml:3:12: error: invalid YAML: this `[` is never closed",
        ),
        (
            Compose,
            "key indented too far",
            Input::Str("services:\n  web:\n   image: x\n    ports: [80]\n"),
            "compose.yaml:4:5: error: invalid YAML: `ports:` is indented more than `image:` above it, so YAML reads it as more of `image`'s value",
        ),
        (
            Compose,
            "services as a list",
            Input::Str("services: []\n"),
            "compose.yaml:1:11: error: `services` must be a mapping, but it is a list",
        ),
    ]
}

/// What archflow reports first about `input`, read by `reader`, and its exit code.
fn first_message(dir: &Path, reader: Reader, input: &Input) -> (Option<i32>, String) {
    let file = match reader {
        Reader::Model => "model.yaml",
        Reader::Ecs => "task.json",
        Reader::Compose => "compose.yaml",
    };
    std::fs::write(dir.join(file), input.bytes()).unwrap();
    let out = match reader {
        Reader::Model => archflow(dir, &["check", file, "--format", "json"]),
        Reader::Ecs => archflow(dir, &["import", "ecs", file]),
        Reader::Compose => archflow(dir, &["import", "compose", file]),
    };
    let (stdout, stderr) = text(&out);
    let line = match reader {
        Reader::Model => serde_json::from_str::<serde_json::Value>(&stdout)
            .ok()
            .and_then(|report| {
                let d = report["diagnostics"].get(0)?.clone();
                Some(format!(
                    "{file}:{}:{}: {} {}",
                    d["start"]["line"],
                    d["start"]["column"],
                    d["code"].as_str()?,
                    d["message"].as_str()?
                ))
            })
            .unwrap_or_else(|| format!("(no finding) {stdout}{stderr}")),
        Reader::Ecs | Reader::Compose => stderr.lines().next().unwrap_or_default().to_owned(),
    };
    (out.status.code(), line)
}

/// Words of the libraries' own messages that must never reach a user.
const LIBRARY_WORDS: &[&str] = &[
    "DuplicateKeyPolicy",
    "from_str",
    "Option<",
    "budget breached",
    "ScalarBytes",
    "deserialize",
    "serde",
    "EOF while",
    "u32",
    "u16",
];

#[test]
fn every_malformed_input_has_its_own_message_at_its_cause() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (reader, name, input, want) in &cases {
        let (code, got) = first_message(tmp.path(), *reader, input);
        if code != Some(2) {
            failures.push(format!("[{reader:?}] {name}: exit {code:?}"));
        }
        if got != *want {
            failures.push(format!(
                "[{reader:?}] {name}:\n  want: {want}\n  got:  {got}"
            ));
        }
        for word in LIBRARY_WORDS {
            if got.contains(word) {
                failures.push(format!("[{reader:?}] {name}: `{word}` in `{got}`"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What was refused before and is valid: a model with lone carriage returns for line breaks (it
/// was "empty" when its first line was a comment), a model and ECS JSON that start with a byte
/// order mark (`import ecs` refused the JSON).
#[test]
fn carriage_returns_and_byte_order_marks_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (file, model) in [
        (
            "cr.yaml",
            "# a model\rversion: 1\rname: x\ractors:\r  - name: a\r",
        ),
        (
            "bom.yaml",
            "\u{feff}# a model\nversion: 1\nname: x\nactors:\n  - name: a\n",
        ),
    ] {
        std::fs::write(dir.join(file), model).unwrap();
        let out = archflow(dir, &["check", file, "--format", "json"]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{file}: {stdout}{stderr}");
    }
    std::fs::write(
        dir.join("task.json"),
        "\u{feff}{\"family\": \"f\", \"containerDefinitions\": [{\"name\": \"c\", \"image\": \"i\"}]}",
    )
    .unwrap();
    let out = archflow(dir, &["import", "ecs", "task.json", "-o", "model.yaml"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let out = archflow(dir, &["check", "model.yaml"]);
    assert_ne!(out.status.code(), Some(2), "{:?}", text(&out));
    // A position after a lone carriage return counts it as a line break.
    std::fs::write(
        dir.join("cr.yaml"),
        "name: x\ractors:\r  - name: a\r    port: [\r",
    )
    .unwrap();
    let out = archflow(dir, &["check", "cr.yaml"]);
    let (stdout, _) = text(&out);
    assert!(stdout.contains("--> cr.yaml:4:11"), "{stdout}");
}
