//! `archflow drift`: what differs between the model and what is deployed.
//!
//! The model's side is what `export ecs` writes ([`crate::interop::ecs::export`]): each task
//! definition's `register-task-definition` input and each service's `create-service` input. The
//! deployed side is read as `import ecs` reads it
//! ([`crate::interop::ecs::import::read_ecs_file`]: `describe-task-definition` output,
//! `register-task-definition` input or container definitions alone, named after the file;
//! `describe-services` output or `create-service` input), turned into the same input
//! ([`crate::interop::ecs::wire::DescribeTaskDefinition::input`],
//! [`crate::interop::ecs::wire::Service::create_input`]). Both are compared as JSON values, field
//! by field, in the form [`crate::interop::ecs::wire::comparable_task_definition`] and
//! [`crate::interop::ecs::wire::comparable_service`] give them, so every field export writes is
//! compared, `aws:` included, with no code per field:
//!
//! - Task definitions are matched by `family`, services by `serviceName`; in lists, items with a
//!   `name` (containers, volumes, environment variables, secrets, …) by name, other items by
//!   position; `subnets`, `securityGroups` and `requiresCompatibilities` as sets.
//! - A field one side leaves out and the other has at the value AWS assumes
//!   ([`crate::interop::ecs::wire::aws_default`]: `essential: true`, health check intervals, …)
//!   is no difference: describe output writes those defaults out.
//! - Values are shown, environment values included; a value that looks like a secret, or is
//!   under a name that says it holds one, is shown as `****` ([`crate::secret`]).
//! - Where the model has a name and AWS an identity (a file system without `fileSystemId`), the
//!   two are not compared but listed in [`Report::not_compared`] (names that are the last part of
//!   the ARN, like a cluster's or a target group's, are compared with it).

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Located;
use crate::interop::ecs::export::{self, StandIn};
use crate::interop::ecs::import::{InputFile, read_services, read_task_definition};
use crate::interop::ecs::wire::{
    self, TaskDefinition, aws_default, comparable_service, comparable_task_definition, short_name,
};
use crate::secret::{is_reference, secret_name, secret_value};
use crate::syntax::Document;

/// One difference. `model` or `deployed` is `None` when that side does not have the thing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The task definition's family, for a difference in a task definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The service's name, for a difference in a service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// The field, as a path below the container (or the task definition, or the service):
    /// `memory`, `environment[DB_HOST].value`, `portMappings[0].hostPort`.
    pub field: String,
    pub model: Option<String>,
    pub deployed: Option<String>,
}

impl Difference {
    /// `family/container: field: model X, deployed Y` (`service NAME: …` for a service).
    #[must_use]
    pub fn line(&self) -> String {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_owned());
        format!(
            "{}: {}: model {}, deployed {}",
            self.place(),
            self.field,
            show(&self.model),
            show(&self.deployed)
        )
    }

    fn place(&self) -> String {
        let base = match (&self.family, &self.service) {
            (Some(f), _) => f.clone(),
            (None, Some(s)) => format!("service {s}"),
            (None, None) => String::new(),
        };
        match &self.container {
            Some(c) => format!("{base}/{c}"),
            None => base,
        }
    }
}

/// What is compared: a task definition or a service.
#[derive(Clone, Debug)]
enum Subject {
    Task(String),
    Service(String),
}

impl Subject {
    fn place(&self) -> String {
        match self {
            Self::Task(f) => f.clone(),
            Self::Service(s) => format!("service {s}"),
        }
    }
}

/// Where a value is: the container it is in, its path below that (or the top), its JSON
/// Pointer in the model's object (`None` where the model has nothing), the key of the object
/// that holds it and its own key (for [`aws_default`]), and the keys and item names on the way
/// (for masking).
#[derive(Clone, Debug)]
struct At {
    container: Option<String>,
    field: String,
    pointer: Option<String>,
    object: String,
    key: String,
    names: Vec<String>,
}

impl At {
    fn root(key: &str) -> Self {
        Self {
            container: None,
            field: String::new(),
            pointer: Some(String::new()),
            object: String::new(),
            key: key.to_owned(),
            names: Vec::new(),
        }
    }

    /// The field `key` of this object.
    fn field(&self, key: &str, in_model: bool) -> Self {
        let mut names = self.names.clone();
        names.push(key.to_owned());
        Self {
            container: self.container.clone(),
            field: if self.field.is_empty() {
                key.to_owned()
            } else {
                format!("{}.{key}", self.field)
            },
            pointer: self
                .pointer
                .as_ref()
                .filter(|_| in_model)
                .map(|p| format!("{p}/{}", key.replace('~', "~0").replace('/', "~1"))),
            object: self.key.clone(),
            key: key.to_owned(),
            names,
        }
    }

    /// An item of this list, by its name or position; `index` is its position in the model's
    /// list. Items keep the list's key, so their fields are looked up as the list's.
    fn item(&self, label: &str, index: Option<usize>) -> Self {
        let pointer = match (&self.pointer, index) {
            (Some(p), Some(i)) => Some(format!("{p}/{i}")),
            _ => None,
        };
        if self.container.is_none()
            && self.object == "taskDefinition"
            && self.key == "containerDefinitions"
        {
            return Self {
                container: Some(label.to_owned()),
                field: String::new(),
                pointer,
                object: self.object.clone(),
                key: self.key.clone(),
                names: Vec::new(),
            };
        }
        let mut names = self.names.clone();
        names.push(label.to_owned());
        Self {
            container: self.container.clone(),
            field: format!("{}[{label}]", self.field),
            pointer,
            object: self.object.clone(),
            key: self.key.clone(),
            names,
        }
    }
}

/// Lists compared as sets: their order means nothing to AWS.
const SETS: &[&str] = &["subnets", "securityGroups", "requiresCompatibilities"];

/// One comparison: of a task definition or a service.
struct Walk<'a> {
    subject: Subject,
    stand_ins: &'a [StandIn],
    network_mode: Option<String>,
    differences: Vec<Difference>,
    not_compared: Vec<String>,
}

impl Walk<'_> {
    fn differ(&mut self, at: &At, model: Option<&Value>, deployed: Option<&Value>) {
        let (family, service) = match &self.subject {
            Subject::Task(f) => (Some(f.clone()), None),
            Subject::Service(s) => (None, Some(s.clone())),
        };
        // A container one side does not have: shown by its image.
        let (field, model, deployed) = if at.container.is_some() && at.field.is_empty() {
            let image = |v: Option<&Value>| {
                v.and_then(|c| c.get("image"))
                    .map(|i| show(i, &["image".to_owned()]))
            };
            ("container".to_owned(), image(model), image(deployed))
        } else {
            (
                at.field.clone(),
                model.map(|v| show(v, &at.names)),
                deployed.map(|v| show(v, &at.names)),
            )
        };
        self.differences.push(Difference {
            family,
            service,
            container: at.container.clone(),
            field,
            model,
            deployed,
        });
    }

    /// Compare one value of each side, at `at`; `siblings` are the objects holding them.
    fn value(
        &mut self,
        at: &At,
        model: Option<&Value>,
        deployed: Option<&Value>,
        siblings: (&Map<String, Value>, &Map<String, Value>),
    ) {
        if model == deployed {
            return;
        }
        if let Some(stand_in) = at
            .pointer
            .as_ref()
            .and_then(|p| self.stand_ins.iter().find(|s| s.pointer == *p))
        {
            let deployed_name = deployed.and_then(Value::as_str).map(short_name);
            if stand_in.in_arn && deployed_name.as_deref() == Some(stand_in.name.as_str()) {
                return;
            }
            let place = match &at.container {
                Some(c) => format!("{}/{c}", self.subject.place()),
                None => self.subject.place(),
            };
            let d = deployed.map_or_else(|| "none".to_owned(), |v| show(v, &at.names));
            self.not_compared.push(format!(
                "{place}: {}: not compared: the model gives the name `{}` where AWS has an \
                 identity (deployed {d})",
                at.field, stand_in.name
            ));
            return;
        }
        match (model, deployed) {
            (Some(Value::Object(m)), Some(Value::Object(d))) => self.object(at, m, d),
            (Some(Value::Array(m)), Some(Value::Array(d))) => self.list(at, m, d),
            (Some(Value::Array(m)), None) => self.list(at, m, &[]),
            (None, Some(Value::Array(d))) => self.list(at, &[], d),
            (Some(Value::Object(o)), None) | (None, Some(Value::Object(o))) => {
                if !self.all_default(at, o) {
                    self.differ(at, model, deployed);
                }
            }
            _ => {
                let default = |side: &Map<String, Value>| {
                    aws_default(&at.object, &at.key, side, self.network_mode.as_deref())
                };
                let is_default = match (model, deployed) {
                    (None, Some(d)) => default(siblings.1).as_ref() == Some(d),
                    (Some(m), None) => default(siblings.0).as_ref() == Some(m),
                    _ => false,
                };
                if !is_default {
                    self.differ(at, model, deployed);
                }
            }
        }
    }

    /// Whether every field of an object one side has is what AWS assumes when it is left out
    /// (`deploymentController: {type: ECS}`).
    fn all_default(&self, at: &At, object: &Map<String, Value>) -> bool {
        object.iter().all(|(key, value)| match value {
            Value::Object(inner) => self.all_default(&at.field(key, false), inner),
            v => {
                aws_default(&at.key, key, object, self.network_mode.as_deref()).as_ref() == Some(v)
            }
        })
    }

    fn object(&mut self, at: &At, model: &Map<String, Value>, deployed: &Map<String, Value>) {
        let mut keys: Vec<&String> = model.keys().chain(deployed.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let m = model.get(key);
            self.value(
                &at.field(key, m.is_some()),
                m,
                deployed.get(key),
                (model, deployed),
            );
        }
    }

    fn list(&mut self, at: &At, model: &[Value], deployed: &[Value]) {
        let empty = Map::new();
        let scalars = |items: &[Value]| items.iter().all(|v| !v.is_array() && !v.is_object());
        if SETS.contains(&at.key.as_str()) || (scalars(model) && scalars(deployed)) {
            let as_set = |items: &[Value]| {
                let mut items = items.to_vec();
                if SETS.contains(&at.key.as_str()) {
                    items.sort_by_key(ToString::to_string);
                }
                items
            };
            let (m, d) = (as_set(model), as_set(deployed));
            if m != d {
                let side = |items: Vec<Value>| (!items.is_empty()).then_some(Value::Array(items));
                self.differ(at, side(m).as_ref(), side(d).as_ref());
            }
            return;
        }
        if let (Some(m_names), Some(d_names)) = (names(model), names(deployed)) {
            for (i, (name, item)) in m_names.iter().zip(model).enumerate() {
                let other = d_names.iter().position(|n| n == name).map(|j| &deployed[j]);
                self.value(&at.item(name, Some(i)), Some(item), other, (&empty, &empty));
            }
            for (name, item) in d_names.iter().zip(deployed) {
                if !m_names.contains(name) {
                    self.value(&at.item(name, None), None, Some(item), (&empty, &empty));
                }
            }
            return;
        }
        for i in 0..model.len().max(deployed.len()) {
            let (m, d) = (model.get(i), deployed.get(i));
            let label = i.to_string();
            let child = at.item(&label, m.map(|_| i));
            if m.is_some() && d.is_some() {
                self.value(&child, m, d, (&empty, &empty));
            } else {
                // A whole item on one side only.
                self.differ(&child, m, d);
            }
        }
    }
}

/// The `name` of every item, when each item is an object with a string `name` and no two share
/// one; else `None`.
fn names(items: &[Value]) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let name = item.get("name")?.as_str()?;
        if out.iter().any(|n| n == name) {
            return None;
        }
        out.push(name.to_owned());
    }
    Some(out)
}

/// Whether a string is shown as `****`: it looks like a secret, or a name on its way
/// (`environment[DB_PASSWORD].value`, `options.splunk-token`) says it holds one. References
/// (ARNs, paths, `${…}`) are shown.
fn masked(value: &str, names: &[String]) -> bool {
    !is_reference(value.trim())
        && (secret_value(value).is_some() || names.iter().any(|n| secret_name(n)))
}

/// A value as a difference shows it: strings as they are, other values as compact JSON, with
/// [`masked`] strings as `****`. The `name` of an item is a name, never masked, and names the
/// `value` beside it (an environment variable's).
fn show(value: &Value, names: &[String]) -> String {
    fn mask(value: &mut Value, names: &[String]) {
        match value {
            Value::String(s) if masked(s, names) => "****".clone_into(s),
            Value::Array(items) => items.iter_mut().for_each(|v| mask(v, names)),
            Value::Object(map) => {
                let item_name = map.get("name").and_then(Value::as_str).map(str::to_owned);
                for (key, v) in map.iter_mut() {
                    if key == "name" {
                        continue;
                    }
                    let mut inner = names.to_vec();
                    inner.push(key.clone());
                    inner.extend(item_name.clone());
                    mask(v, &inner);
                }
            }
            _ => {}
        }
    }
    let mut v = value.clone();
    mask(&mut v, names);
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// Compare one exported task definition with the deployed one.
fn compare_task(
    family: &str,
    model: &TaskDefinition,
    stand_ins: &[StandIn],
    deployed: &TaskDefinition,
) -> (Vec<Difference>, Vec<String>) {
    let (m, d) = (
        comparable_task_definition(model),
        comparable_task_definition(deployed),
    );
    let network_mode = m
        .get("networkMode")
        .or_else(|| d.get("networkMode"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    run(
        Subject::Task(family.to_owned()),
        "taskDefinition",
        &m,
        &d,
        stand_ins,
        network_mode,
    )
}

fn run(
    subject: Subject,
    key: &str,
    model: &Value,
    deployed: &Value,
    stand_ins: &[StandIn],
    network_mode: Option<String>,
) -> (Vec<Difference>, Vec<String>) {
    let mut walk = Walk {
        subject,
        stand_ins,
        network_mode,
        differences: Vec::new(),
        not_compared: Vec::new(),
    };
    let empty = Map::new();
    match (model, deployed) {
        (Value::Object(m), Value::Object(d)) => walk.object(&At::root(key), m, d),
        _ => walk.value(
            &At::root(key),
            Some(model),
            Some(deployed),
            (&empty, &empty),
        ),
    }
    (walk.differences, walk.not_compared)
}

/// Compare two task definitions given as JSON values: each is a task definition (export output,
/// `register-task-definition` input) or `describe-task-definition` output. A value that is not a
/// task definition is one difference, `task definition`, that says why.
#[must_use]
pub fn compare(family: &str, model: &Value, deployed: &Value) -> Vec<Difference> {
    let read = |v: &Value| {
        let mut td = TaskDefinition::from_value(v)?;
        if td.tags.is_none() {
            td.tags = v
                .get("tags")
                .filter(|_| v.get("taskDefinition").is_some())
                .and_then(|t| serde_json::from_value(t.clone()).ok());
        }
        Ok::<_, serde_json::Error>(td)
    };
    match (read(model), read(deployed)) {
        (Ok(m), Ok(d)) => compare_task(family, &m, &[], &d).0,
        (m, d) => {
            let show = |r: Result<TaskDefinition, serde_json::Error>| match r {
                Ok(_) => Some(family.to_owned()),
                Err(e) => Some(format!("not a task definition ({e})")),
            };
            vec![Difference {
                family: Some(family.to_owned()),
                service: None,
                container: None,
                field: "task definition".to_owned(),
                model: show(m),
                deployed: show(d),
            }]
        }
    }
}

/// A deployed task definition, read from `path`.
#[derive(Clone, Debug)]
pub struct Deployed {
    pub path: String,
    pub family: String,
    /// As `register-task-definition` input (describe output's tags inside).
    pub task_definition: TaskDefinition,
}

/// Read a deployed task definition (`describe-task-definition` output or
/// `register-task-definition` input): it needs a `family` and `containerDefinitions`.
///
/// # Errors
/// When the file is not such JSON.
pub fn read_deployed(file: &InputFile) -> Result<Deployed, Located> {
    let read = read_task_definition(file)?;
    let mut task_definition = read.task_definition;
    if let Some(describe) = &read.describe
        && task_definition.tags.is_none()
    {
        task_definition.tags.clone_from(&describe.tags);
    }
    let Some(family) = task_definition.family.clone() else {
        return Err(Located::file(
            &file.path,
            "missing required field `family` (expected a task definition)",
        ));
    };
    if task_definition.container_definitions.is_none() {
        return Err(Located::file(
            &file.path,
            "missing required field `containerDefinitions`",
        ));
    }
    Ok(Deployed {
        path: file.path.clone(),
        family,
        task_definition,
    })
}

/// A deployed service, read from `path`, as the `create-service` input it was made with.
#[derive(Clone, Debug)]
pub struct DeployedService {
    pub path: String,
    pub name: String,
    pub input: wire::CreateService,
    /// Whether `name` is the file's name (a `create-service` input without `serviceName`, named
    /// as `import ecs` names it).
    pub name_from_file: bool,
}

/// Read `describe-services` output (or `create-service` input): every service in it, each with
/// its `serviceName` (for a `create-service` input without one, the file's name, as `import ecs`
/// gives it).
///
/// # Errors
/// When the file is not such JSON, or a service of `describe-services` output has no
/// `serviceName`.
pub fn read_deployed_services(file: &InputFile) -> Result<Vec<DeployedService>, Located> {
    let read = read_services(file)?;
    let name_from_file = read.name_from_file;
    read.services
        .into_iter()
        .map(|(place, input)| match input.service_name.clone() {
            Some(name) => Ok(DeployedService {
                path: file.path.clone(),
                name,
                input,
                name_from_file,
            }),
            None => Err(Located::file(
                &file.path,
                format!("{place}: missing required field `serviceName`"),
            )),
        })
        .collect()
}

/// What `archflow drift` found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub differences: Vec<Difference>,
    /// What was not compared, and why: a task definition or service of the model with no
    /// deployed counterpart given, a name the model gives where AWS has an identity.
    pub not_compared: Vec<String>,
}

impl Report {
    /// One line per difference, then `no drift` or the count.
    #[must_use]
    pub fn human(&self) -> String {
        let mut out = String::new();
        for d in &self.differences {
            out.push_str(&d.line());
            out.push('\n');
        }
        if self.differences.is_empty() {
            out.push_str("no drift\n");
        } else {
            let _ = writeln!(out, "{} difference(s)", self.differences.len());
        }
        out
    }

    /// The report as stable JSON (see [`to_json`]).
    #[must_use]
    pub fn json(&self) -> String {
        to_json(&self.differences, &self.not_compared)
    }
}

/// Compare the model with deployed task definitions (matched by family) and services (matched
/// by name). A deployed one the model does not have is one difference; one of the model's that
/// was not given is listed as not compared.
#[must_use]
pub fn report(doc: &Document, deployed: &[Deployed], services: &[DeployedService]) -> Report {
    let exported = export::export(doc);
    let mut report = Report::default();
    for d in deployed {
        match exported
            .task_definitions
            .iter()
            .find(|e| e.family == d.family)
        {
            Some(e) => {
                let (mut diffs, mut notes) =
                    compare_task(&d.family, &e.json, &e.stand_ins, &d.task_definition);
                report.differences.append(&mut diffs);
                report.not_compared.append(&mut notes);
            }
            None => report.differences.push(Difference {
                family: Some(d.family.clone()),
                service: None,
                container: None,
                field: "task definition".to_owned(),
                model: None,
                deployed: Some(d.path.clone()),
            }),
        }
    }
    for e in &exported.task_definitions {
        if !deployed.iter().any(|d| d.family == e.family) {
            report.not_compared.push(format!(
                "{}: no deployed task definition given, not compared",
                e.family
            ));
        }
    }
    for d in services {
        let Some(e) = exported.services.iter().find(|e| e.name == d.name) else {
            report.differences.push(Difference {
                family: None,
                service: Some(d.name.clone()),
                container: None,
                field: "service".to_owned(),
                model: None,
                deployed: Some(d.path.clone()),
            });
            continue;
        };
        let input = &d.input;
        if let Some(td) = input
            .task_definition
            .as_deref()
            .filter(|t| short_name(t) != *t)
        {
            report.not_compared.push(format!(
                "service {}: taskDefinition: compared by family; the revision is not (deployed \
                 {td})",
                d.name
            ));
        }
        if d.name_from_file {
            report.not_compared.push(format!(
                "service {}: serviceName: {} has none; the service is the one named after the file",
                d.name, d.path
            ));
        }
        let (mut m, dv) = (comparable_service(&e.json), comparable_service(input));
        if input.task_definition.is_none() {
            // Left out of the file (ecspresso keeps it elsewhere), not deployed without one.
            if let Value::Object(m) = &mut m {
                m.remove("taskDefinition");
            }
            report.not_compared.push(format!(
                "service {}: taskDefinition: not compared: {} names none",
                d.name, d.path
            ));
        }
        let (mut diffs, mut notes) = run(
            Subject::Service(d.name.clone()),
            "service",
            &m,
            &dv,
            &e.stand_ins,
            None,
        );
        report.differences.append(&mut diffs);
        report.not_compared.append(&mut notes);
    }
    for e in &exported.services {
        if !services.iter().any(|d| d.name == e.name) {
            report.not_compared.push(format!(
                "service {}: no describe-services output given, not compared",
                e.name
            ));
        }
    }
    report
}

/// The drift report as stable JSON: `{"drifted": bool, "differences": [...], "notCompared":
/// [...]}`.
#[must_use]
pub fn to_json(differences: &[Difference], not_compared: &[String]) -> String {
    let v = serde_json::json!({
        "drifted": !differences.is_empty(),
        "differences": differences,
        "notCompared": not_compared,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
