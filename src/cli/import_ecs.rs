//! `archflow import ecs`: ECS JSON files in, `architecture.yaml` out (see [`crate::interop::ecs::import`]).

use std::path::PathBuf;

use super::output::Inputs;
use super::{Exit, read};
use crate::error::{Error, Located};
use crate::source::Source;

use crate::interop::ecs::import::{self as ecs, InputFile};

pub const AFTER_HELP: &str = "\
Reads the JSON the AWS CLI prints (or the input of register-task-definition) and writes a model:
  aws ecs describe-task-definition --task-definition goals > goals.json
  aws ecs describe-services --cluster goals-cluster --services goals > services.json
  aws elbv2 describe-target-groups --names goals-tg > tgs.json
  aws elbv2 describe-load-balancers --names goals-alb > lbs.json
  archflow import ecs goals.json --service services.json --target-groups tgs.json \\
      --load-balancers lbs.json -o architecture.yaml

Every field of the task definitions and services is kept: what archflow models as model fields
(memory, runtimePlatform, secretOptions, capacity providers, …), the rest unchanged under each
item's `aws:`, so `archflow export ecs` writes the same JSON back. References use names; the AWS
identities are kept beside them (targetGroupArn, fileSystemId, accessPointId, clusterArn, role
ARNs). Guesses are commented. What even `aws:` cannot keep (an unknown key of describe output's
wrapper, a value the model's type cannot hold, target group and load balancer fields) is listed
under \"not imported\" (on standard error and at the top of the YAML). The written model is
checked and its findings printed as warnings.

Each FILE is told by its content: a task definition (describe-task-definition output, that is
{\"taskDefinition\": …}, or register-task-definition input), container
definitions alone (a JSON array of them, or one container-definition object: the task's family
is guessed from the file name), or a service (describe-services output, or create-service input,
with or without serviceName; --service takes these too). A service whose task definition is not
given gets one with only its family, which says so; what a partial file names outside itself (a
load balancer's container, a dependency, a mounted volume) is kept under `aws:`, unchecked, and a
note says so. File systems are marked `unknown: [encrypted, performanceMode, throughputMode]`:
task definitions do not say.

Exit codes:
  0  the model was written (it loads; findings are printed as warnings)
  2  an input is not valid ECS JSON, misses a required field, or cannot be read or written;
     nothing is written";

#[derive(Debug, clap::Args)]
pub struct EcsArgs {
    /// Task definitions (`describe-task-definition` output or `register-task-definition`
    /// input), container definitions (an array, or one object), or services
    /// (`describe-services` output or `create-service` input), told by their content.
    #[arg(required = true, value_name = "FILE.json")]
    pub files: Vec<PathBuf>,
    /// `aws ecs describe-services` output, or `create-service` input (repeatable).
    #[arg(long = "service", value_name = "SERVICE.json")]
    pub services: Vec<PathBuf>,
    /// `aws elbv2 describe-target-groups` output (repeatable).
    #[arg(long, value_name = "TG.json")]
    pub target_groups: Vec<PathBuf>,
    /// `aws elbv2 describe-load-balancers` output (repeatable).
    #[arg(long, value_name = "LB.json")]
    pub load_balancers: Vec<PathBuf>,
    /// Write the model here (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Read every file of one kind (`role`, for messages), noting each in `read`.
fn read_all(paths: &[PathBuf], role: &str, read: &mut Inputs) -> Result<Vec<InputFile>, Error> {
    paths
        .iter()
        .map(|p| {
            let source = read::read_input(p)?;
            read.add(p, role);
            Ok(InputFile::new(source.path, without_bom(source.text)))
        })
        .collect()
}

/// JSON text without a leading byte order mark (editors on Windows write one; JSON parsers
/// refuse it). It becomes a space, so columns stay where they were.
fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => format!(" {rest}"),
        None => text,
    }
}

/// A problem the importer names by its place in the JSON (`containerDefinitions[0].image: …`,
/// `top level: …`) but not by line and column, given the line and column of that place.
fn placed<'a>(mut problem: Located, files: impl IntoIterator<Item = &'a InputFile>) -> Located {
    if problem.line != 0 {
        return problem;
    }
    let Some(file) = files.into_iter().find(|f| f.path == problem.path) else {
        return problem;
    };
    // `place: what`, or a word about the whole document (`expected a JSON object, …`).
    let place = match problem.message.split_once(": ") {
        Some(("top level", _)) => "",
        Some((place, _)) => place,
        None if problem.message.starts_with("expected ") => "",
        None => return problem,
    };
    if let Some(at) = json_place(&file.text, place) {
        let at = Source::new("", file.text.as_str()).line_col(at);
        (problem.line, problem.column) = (at.line, at.column);
    }
    problem
}

/// The byte offset of the value at `place` (`a.b[2].c`; empty: the whole document) in a JSON
/// text, or `None` when the text has no such place.
fn json_place(text: &str, place: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = skip_space(bytes, 0);
    for segment in place.split('.').filter(|s| !s.is_empty()) {
        let (key, indexes) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            at = json_member(bytes, at, key)?;
        }
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            at = json_item(bytes, at, index.parse().ok()?)?;
        }
    }
    Some(at)
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The end of the string that starts at `at` (after its closing quote).
fn skip_string(bytes: &[u8], mut at: usize) -> Option<usize> {
    at += 1;
    loop {
        match bytes.get(at)? {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
}

/// The end of the value that starts at `at`.
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => skip_string(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let len = bytes[at..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                .unwrap_or(bytes.len() - at);
            Some(at + len)
        }
    }
}

/// The start of the value of member `key` of the object that starts at `at`.
fn json_member(bytes: &[u8], at: usize, key: &str) -> Option<usize> {
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    let mut i = skip_space(bytes, at + 1);
    while bytes.get(i) == Some(&b'"') {
        let end = skip_string(bytes, i)?;
        let name = &bytes[i + 1..end - 1];
        i = skip_space(bytes, end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        i = skip_space(bytes, i + 1);
        if name == key.as_bytes() {
            return Some(i);
        }
        i = skip_space(bytes, skip_value(bytes, i)?);
        if bytes.get(i) == Some(&b',') {
            i = skip_space(bytes, i + 1);
        }
    }
    None
}

/// The start of item `index` of the array that starts at `at`.
fn json_item(bytes: &[u8], at: usize, index: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    let mut i = skip_space(bytes, at + 1);
    for _ in 0..index {
        if matches!(bytes.get(i), None | Some(b']')) {
            return None;
        }
        i = skip_space(bytes, skip_value(bytes, i)?);
        if bytes.get(i) != Some(&b',') {
            return None;
        }
        i = skip_space(bytes, i + 1);
    }
    (!matches!(bytes.get(i), None | Some(b']'))).then_some(i)
}

pub(super) fn run(args: &EcsArgs) -> Result<Exit, Error> {
    let mut read = Inputs::default();
    let inputs = ecs::Inputs {
        task_definitions: read_all(&args.files, "a task definition file", &mut read)?,
        services: read_all(&args.services, "a services file", &mut read)?,
        target_groups: read_all(&args.target_groups, "a target groups file", &mut read)?,
        load_balancers: read_all(&args.load_balancers, "a load balancers file", &mut read)?,
        file_systems: Vec::new(),
        origins: ecs::Origins::default(),
        listeners: Vec::new(),
        access: Vec::new(),
    };
    let imported = ecs::import(&inputs).map_err(|e| {
        let files = inputs
            .task_definitions
            .iter()
            .chain(&inputs.services)
            .chain(&inputs.target_groups)
            .chain(&inputs.load_balancers);
        Error::from(placed(e, files)).nothing_written()
    })?;
    report(&imported, args.output.as_deref(), &read)
}

/// Write the imported model (see [`super::import::check_and_write`]), then print what was not
/// imported, notes, guesses and the model's findings on standard error.
pub(super) fn report(
    imported: &ecs::Imported,
    output: Option<&std::path::Path>,
    read: &Inputs,
) -> Result<Exit, Error> {
    let analysis = super::import::check_and_write(&imported.yaml, output, read)?;
    if !imported.not_imported.is_empty() {
        eprintln!("not imported (archflow cannot keep these, even under `aws:`):");
        for n in &imported.not_imported {
            eprintln!("  - {n}");
        }
    }
    for n in &imported.notes {
        eprintln!("note: {n}");
    }
    if !imported.guesses.is_empty() {
        eprintln!("guessed (commented in the YAML; check them):");
        for g in &imported.guesses {
            eprintln!("  - {g}");
        }
    }
    for d in &analysis.diagnostics {
        eprintln!(
            "warning: {} {} ({}): {}",
            d.code, d.name, d.severity, d.message
        );
    }
    if !analysis.diagnostics.is_empty() {
        eprintln!(
            "the imported model has {} (run `archflow check` on it for details)",
            crate::diagnostic::emit::human::summary(&analysis.diagnostics)
        );
    }
    Ok(Exit::Clean)
}

#[cfg(test)]
mod tests {
    use super::json_place;

    #[test]
    fn places_are_found_in_the_json() {
        let text = r#"{"a": {"b": [1, {"c": "x\"]"}, [2]], "d": true}, "e": 3}"#;
        let at = |place: &str| json_place(text, place).map(|i| &text[i..(i + 3).min(text.len())]);
        assert_eq!(at(""), Some("{\"a"));
        assert_eq!(at("a.b[1].c"), Some("\"x\\"));
        assert_eq!(at("a.b[2][0]"), Some("2]]"));
        assert_eq!(at("a.d"), Some("tru"));
        assert_eq!(at("e"), Some("3}"));
        assert_eq!(json_place(text, "a.x"), None);
        assert_eq!(json_place(text, "a.b[3]"), None);
    }
}
