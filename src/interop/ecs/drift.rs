//! `archflow drift`: what differs between the model and deployed task definitions.
//!
//! Both sides are compared as typed AWS JSON ([`crate::interop::ecs::wire::TaskDefinition`]):
//! the model's side is its export ([`crate::interop::ecs::export`]), the deployed side is
//! `describe-task-definition` output (or `register-task-definition` input) read into the same
//! type. Task definitions are matched by `family`, containers by `name`. Compared: containers
//! added or removed, `image`, ports, mounts, volumes (name and kind, EFS settings other than the
//! ids, which the model replaces by names), `dependsOn`, health checks, environment variable and
//! secret names (never values), `essential` (default true),
//! and the task's `networkMode`, `cpu` and `memory`.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::error::Located;
use crate::interop::ecs::export;
use crate::interop::ecs::import::{InputFile, read_task_definition};
use crate::interop::ecs::wire::{ContainerDefinition, TaskDefinition, Volume};
use crate::syntax::Document;

/// One difference. `model` or `deployed` is `None` when that side does not have the thing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub family: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    pub field: String,
    pub model: Option<String>,
    pub deployed: Option<String>,
}

impl Difference {
    /// `family/container: field: model X, deployed Y`.
    #[must_use]
    pub fn line(&self) -> String {
        let place = match &self.container {
            Some(c) => format!("{}/{c}", self.family),
            None => self.family.clone(),
        };
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_owned());
        format!(
            "{place}: {}: model {}, deployed {}",
            self.field,
            show(&self.model),
            show(&self.deployed)
        )
    }
}

/// The items of a list field (none when it is absent).
fn items<T>(list: Option<&Vec<T>>) -> &[T] {
    list.map_or(&[], Vec::as_slice)
}

/// A list rendered as sorted, comma-separated items; `None` when empty.
fn set(mut parts: Vec<String>) -> Option<String> {
    parts.sort();
    parts.dedup();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(", "))
    }
}

fn ports(c: &ContainerDefinition) -> Option<String> {
    set(items(c.port_mappings.as_ref())
        .iter()
        .map(|p| {
            let port = p.container_port.map(|n| n.to_string()).unwrap_or_default();
            let proto = p.protocol.as_deref().unwrap_or("tcp");
            match p.host_port.map(|h| h.to_string()) {
                Some(h) if h != port => format!("{port}/{proto} (host {h})"),
                _ => format!("{port}/{proto}"),
            }
        })
        .collect())
}

fn mounts(c: &ContainerDefinition) -> Option<String> {
    set(items(c.mount_points.as_ref())
        .iter()
        .map(|m| {
            format!(
                "{}:{}{}",
                m.source_volume.as_deref().unwrap_or_default(),
                m.container_path.as_deref().unwrap_or_default(),
                if m.read_only == Some(true) { ":ro" } else { "" }
            )
        })
        .collect())
}

fn depends(c: &ContainerDefinition) -> Option<String> {
    set(items(c.depends_on.as_ref())
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d.container_name.as_deref().unwrap_or_default(),
                d.condition.as_deref().unwrap_or_default()
            )
        })
        .collect())
}

fn environment_names(c: &ContainerDefinition) -> Option<String> {
    set(items(c.environment.as_ref())
        .iter()
        .filter_map(|e| e.name.clone())
        .collect())
}

fn secret_names(c: &ContainerDefinition) -> Option<String> {
    set(items(c.secrets.as_ref())
        .iter()
        .filter_map(|s| s.name.clone())
        .collect())
}

fn health(c: &ContainerDefinition) -> Option<String> {
    let h = c.health_check.as_ref()?;
    let mut out = format!("{:?}", items(h.command.as_ref()));
    for (key, value, default) in [
        ("interval", h.interval, 30),
        ("timeout", h.timeout, 5),
        ("retries", h.retries, 3),
        ("startPeriod", h.start_period, 0),
    ] {
        let _ = write!(out, " {key}={}", value.unwrap_or(default));
    }
    Some(out)
}

#[allow(clippy::unnecessary_wraps)] // one of the `Field` getters, which all return an Option
fn essential(c: &ContainerDefinition) -> Option<String> {
    Some(c.essential.unwrap_or(true).to_string())
}

fn volume(v: &Volume) -> String {
    let name = v.name.as_deref().unwrap_or_default();
    if let Some(e) = &v.efs_volume_configuration {
        let mut parts = vec![format!("{name} (EFS")];
        if let Some(r) = e.root_directory.as_deref().filter(|r| *r != "/") {
            parts.push(format!("root {r}"));
        }
        let transit = e.transit_encryption.as_deref().unwrap_or("DISABLED");
        parts.push(format!("transit encryption {transit}"));
        if let Some(a) = &e.authorization_config {
            if a.access_point_id.is_some() {
                parts.push("access point".to_owned());
            }
            let iam = a.iam.as_deref().unwrap_or("DISABLED");
            parts.push(format!("IAM {iam}"));
        }
        format!("{})", parts.join(", "))
    } else if let Some(h) = &v.host {
        match &h.source_path {
            Some(p) => format!("{name} (host {p})"),
            None => format!("{name} (host)"),
        }
    } else if v.docker_volume_configuration.is_some() {
        format!("{name} (docker)")
    } else {
        format!("{name} (task storage)")
    }
}

type TaskField = (&'static str, fn(&TaskDefinition) -> Option<String>);

const TASK_FIELDS: &[TaskField] = &[
    ("networkMode", |t| t.network_mode.clone()),
    ("cpu", |t| t.cpu.as_ref().map(ToString::to_string)),
    ("memory", |t| t.memory.as_ref().map(ToString::to_string)),
];

type Field = (&'static str, fn(&ContainerDefinition) -> Option<String>);

const CONTAINER_FIELDS: &[Field] = &[
    ("image", |c| c.image.clone()),
    ("essential", essential),
    ("ports", ports),
    ("mounts", mounts),
    ("dependsOn", depends),
    ("healthCheck", health),
    ("environment names", environment_names),
    ("secret names", secret_names),
];

/// Compare one task definition of the model (its export) with the deployed one.
#[must_use]
pub fn compare_task_definitions(
    family: &str,
    model: &TaskDefinition,
    deployed: &TaskDefinition,
) -> Vec<Difference> {
    let mut out = Vec::new();
    let diff = |container: Option<&str>, field: &str, m: Option<String>, d: Option<String>| {
        (m != d).then(|| Difference {
            family: family.to_owned(),
            container: container.map(str::to_owned),
            field: field.to_owned(),
            model: m,
            deployed: d,
        })
    };
    for (key, get) in TASK_FIELDS {
        out.extend(diff(None, key, get(model), get(deployed)));
    }
    let vols = |t: &TaskDefinition| set(items(t.volumes.as_ref()).iter().map(volume).collect());
    out.extend(diff(None, "volumes", vols(model), vols(deployed)));
    let name = |c: &ContainerDefinition| c.name.clone().unwrap_or_default();
    let model_cs = items(model.container_definitions.as_ref());
    let deployed_cs = items(deployed.container_definitions.as_ref());
    for mc in model_cs {
        let n = name(mc);
        match deployed_cs.iter().find(|d| name(d) == n) {
            None => out.push(Difference {
                family: family.to_owned(),
                container: Some(n.clone()),
                field: "container".to_owned(),
                model: mc.image.clone(),
                deployed: None,
            }),
            Some(dc) => {
                for (field, get) in CONTAINER_FIELDS {
                    out.extend(diff(Some(&n), field, get(mc), get(dc)));
                }
            }
        }
    }
    for dc in deployed_cs {
        let n = name(dc);
        if !model_cs.iter().any(|m| name(m) == n) {
            out.push(Difference {
                family: family.to_owned(),
                container: Some(n),
                field: "container".to_owned(),
                model: None,
                deployed: dc.image.clone(),
            });
        }
    }
    out
}

/// [`compare_task_definitions`] of two JSON values: each is a task definition (export output,
/// `register-task-definition` input) or `describe-task-definition` output. A value that is not a
/// task definition is one difference, `task definition`, that says why.
#[must_use]
pub fn compare(family: &str, model: &Value, deployed: &Value) -> Vec<Difference> {
    match (
        TaskDefinition::from_value(model),
        TaskDefinition::from_value(deployed),
    ) {
        (Ok(m), Ok(d)) => compare_task_definitions(family, &m, &d),
        (m, d) => {
            let show = |r: Result<TaskDefinition, serde_json::Error>| match r {
                Ok(_) => Some(family.to_owned()),
                Err(e) => Some(format!("not a task definition ({e})")),
            };
            vec![Difference {
                family: family.to_owned(),
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
    pub task_definition: TaskDefinition,
}

/// Read a deployed task definition (`describe-task-definition` output or
/// `register-task-definition` input): it needs a `family` and `containerDefinitions`.
///
/// # Errors
/// When the file is not such JSON.
pub fn read_deployed(file: &InputFile) -> Result<Deployed, Located> {
    let task_definition = read_task_definition(file)?.task_definition;
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

/// What `archflow drift` found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub differences: Vec<Difference>,
    /// The model's families no deployed task definition was given for.
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

/// Compare the model's task definitions with the deployed ones, matched by family. A deployed
/// family the model does not have is one difference; a family of the model that was not given
/// is listed as not compared.
#[must_use]
pub fn report(doc: &Document, deployed: &[Deployed]) -> Report {
    let exported = export::ecs(doc);
    let mut differences = Vec::new();
    for d in deployed {
        match exported.iter().find(|e| e.family == d.family) {
            Some(e) => differences.extend(compare_task_definitions(
                &d.family,
                &e.json,
                &d.task_definition,
            )),
            None => differences.push(Difference {
                family: d.family.clone(),
                container: None,
                field: "task definition".to_owned(),
                model: None,
                deployed: Some(d.path.clone()),
            }),
        }
    }
    let not_compared = exported
        .iter()
        .filter(|e| !deployed.iter().any(|d| d.family == e.family))
        .map(|e| e.family.clone())
        .collect();
    Report {
        differences,
        not_compared,
    }
}

/// The drift report as stable JSON: `{"drifted": bool, "differences": [...]}`.
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
