//! `archflow export ecs`: the model as the input of the AWS APIs it stands for. Each service's
//! task definition becomes `register-task-definition` input ([`task`]), each service its
//! `create-service` input ([`service`]), built as the typed wire objects of
//! [`crate::interop::ecs::wire`] and written by `serde_json`: keys in the order of the AWS CLI's
//! skeleton (`--generate-cli-skeleton`), so the output is deterministic.
//!
//! What is written: every field the model has, as it has it, and every item's `aws:` (the AWS
//! fields archflow does not model) merged back into the object it belongs to. Nothing is added:
//! a field the model leaves out is left out. archflow's own fields (`role`, `label`,
//! `description`, `connectsTo`, `dataPath`, `suppress`) are dropped. Where AWS wants an identity
//! (a target group ARN, an `fs-…` id) the model's identity is written (`targetGroupArn`,
//! `fileSystemId`, …), else the item's name, which is then a [`StandIn`].
//!
//! [`files`] is the one place that names and renders the files; [`export`] gives the objects,
//! the stand-ins and the [`Problem`]s that keep a model from being exported: what AWS needs and
//! the model leaves out (memory at some level, Fargate's task size, a service's `desiredCount`),
//! which export refuses rather than makes up, and an `aws:` value AWS does not take there.

mod service;
mod task;

use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Output;
use crate::interop::ecs::wire;
use crate::source::Span;
use crate::syntax::Document;
use crate::syntax::document::AwsFields;

pub use task::condition;

/// One task definition: its family, its `register-task-definition` input and the names written
/// where AWS wants identities.
#[derive(Clone, Debug)]
pub struct TaskDefinitionExport {
    pub family: String,
    pub json: wire::TaskDefinition,
    pub stand_ins: Vec<StandIn>,
}

/// One service: its name, its `create-service` input and the names written where AWS wants
/// identities.
#[derive(Clone, Debug)]
pub struct ServiceExport {
    pub name: String,
    pub json: wire::CreateService,
    pub stand_ins: Vec<StandIn>,
}

/// A name export wrote where AWS has an identity the model does not give (a file system without
/// `fileSystemId`, a cluster without `clusterArn`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StandIn {
    /// The JSON Pointer of the value in the exported object.
    pub pointer: String,
    /// The name written.
    pub name: String,
    /// What `export ecs` tells the user, when AWS does not take the name there.
    pub note: Option<String>,
    /// Whether the name is the last part of the ARN AWS has (a cluster's, a target group's, a
    /// role's), so that `drift` can compare the two.
    pub in_arn: bool,
}

/// Why the model cannot be exported as it is: where in the model, what, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// Everything `export ecs` writes, and what keeps it from writing.
#[derive(Clone, Debug, Default)]
pub struct Export {
    /// Each service's task definition, in document order; a family two services run is exported
    /// once (the first).
    pub task_definitions: Vec<TaskDefinitionExport>,
    /// Each service, in document order.
    pub services: Vec<ServiceExport>,
    pub problems: Vec<Problem>,
}

/// Export a model.
#[must_use]
pub fn export(doc: &Document) -> Export {
    let mut out = Export::default();
    for s in &doc.services {
        let td = &s.task_definition;
        let mut b = Builder::new(doc);
        let json = b.task_definition(td);
        match out
            .task_definitions
            .iter()
            .find(|e| e.family == td.family.value)
        {
            None => {
                out.problems.append(&mut b.problems);
                out.task_definitions.push(TaskDefinitionExport {
                    family: td.family.value.clone(),
                    json,
                    stand_ins: b.stand_ins,
                });
            }
            Some(first) if first.json.pretty() != json.pretty() => {
                out.problems.push(Problem {
                    span: Span::of(&td.family),
                    message: format!(
                        "service `{}` defines task definition family `{}` differently from an \
                         earlier service; one `{}.json` cannot hold both",
                        s.service_name.value,
                        td.family.value,
                        crate::pipeline::file_stem(&td.family.value)
                    ),
                    help: "give one of them its own `family` (rule A035 names both)".to_owned(),
                });
            }
            Some(_) => {}
        }
        let mut b = Builder::new(doc);
        let json = b.service(s);
        out.problems.append(&mut b.problems);
        out.services.push(ServiceExport {
            name: s.service_name.value.clone(),
            json,
            stand_ins: b.stand_ins,
        });
    }
    out
}

/// One task definition as `export ecs` writes it (`register-task-definition` input), whatever
/// the problems.
#[must_use]
pub fn task_definition(
    doc: &Document,
    td: &crate::syntax::document::TaskDefinition,
) -> wire::TaskDefinition {
    Builder::new(doc).task_definition(td)
}

/// The files `export ecs` writes, pretty-printed: `<family>.json` for each task definition
/// (`register-task-definition` input), then `<service>.service.json` for each service
/// (`create-service` input). Names that differ only in characters a file name cannot hold
/// (`web app`, `web_app`) get distinct files, so one never overwrites another.
#[must_use]
pub fn files(doc: &Document) -> Vec<Output> {
    let export = export(doc);
    let mut used = BTreeSet::new();
    let mut file = |name: &str, suffix: &str, text: String| {
        let base = crate::pipeline::file_stem(name);
        let mut name = format!("{base}{suffix}");
        let mut k = 2;
        while !used.insert(name.clone()) {
            name = format!("{base}-{k}{suffix}");
            k += 1;
        }
        Output { name, text }
    };
    let mut out = Vec::new();
    for t in &export.task_definitions {
        out.push(file(&t.family, ".json", t.json.pretty()));
    }
    for s in &export.services {
        out.push(file(&s.name, ".service.json", wire::pretty(&s.json)));
    }
    out
}

/// State while one object is exported: the document (for identities), and what was found.
struct Builder<'a> {
    doc: &'a Document,
    stand_ins: Vec<StandIn>,
    problems: Vec<Problem>,
}

impl<'a> Builder<'a> {
    fn new(doc: &'a Document) -> Self {
        Self {
            doc,
            stand_ins: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The identity AWS has, or the model's name standing in for it (a [`StandIn`]).
    fn identity(&mut self, identity: Option<&str>, stand_in: StandIn) -> String {
        if let Some(id) = identity {
            return id.to_owned();
        }
        let name = stand_in.name.clone();
        self.stand_ins.push(stand_in);
        name
    }

    /// A wire object with an item's `aws:` merged in. Every `aws:` key is one the model does not
    /// model (the loader sees to that), so nothing the model says is overwritten. A value the
    /// wire type cannot hold there (a string where AWS wants a list) is left out and is a
    /// [`Problem`] at `span`, about `item`.
    fn with_aws<T: Serialize + DeserializeOwned>(
        &mut self,
        typed: T,
        aws: &AwsFields,
        span: Span,
        item: &str,
    ) -> T {
        if aws.is_empty() {
            return typed;
        }
        let Value::Object(mut merged) = wire::to_value(&typed) else {
            return typed;
        };
        let base = merged.clone();
        // Only a list of references to what the model does not have may be in both places
        // (`AwsObject::REFERENCES_OUTSIDE`): one of them would be lost.
        for key in aws.keys().filter(|k| base.contains_key(*k)) {
            self.problems.push(Problem {
                span,
                message: format!("{item} has `{key}` both beside `aws:` and inside it"),
                help: format!(
                    "keep one: `{key}` beside `aws:` when what it names is in the model, \
                     `aws.{key}` when it is not"
                ),
            });
        }
        for (key, value) in aws {
            merged.entry(key.clone()).or_insert_with(|| value.clone());
        }
        if let Ok(t) = serde_json::from_value(Value::Object(merged)) {
            return t;
        }
        // One key at a time, to find those that do not fit.
        let mut good = base;
        for (key, value) in aws {
            let mut trial = good.clone();
            trial.entry(key.clone()).or_insert_with(|| value.clone());
            match serde_json::from_value::<T>(Value::Object(trial.clone())) {
                Ok(_) => good = trial,
                Err(e) => self.problems.push(Problem {
                    span,
                    message: format!("`aws.{key}` of {item} is not what AWS takes there: {e}"),
                    help: "write the value as in the AWS JSON, or remove it".to_owned(),
                }),
            }
        }
        serde_json::from_value(Value::Object(good)).unwrap_or(typed)
    }
}

/// A list, or `None` when it is empty (AWS leaves empty lists out).
fn non_empty<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}
