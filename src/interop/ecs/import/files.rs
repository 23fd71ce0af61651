//! What an ECS JSON file is, told by its content, so that `import ecs`, `drift` and the tests read
//! every real shape the same way:
//!
//! - a task definition: `describe-task-definition` output (`{"taskDefinition": {…}}`) or
//!   `register-task-definition` input (an object with `family` or `containerDefinitions`);
//! - container definitions alone: a JSON array of them (as Terraform's `templatefile()` and
//!   `container_definitions` take) or one container-definition object (an object with `image`).
//!   The task's `family` is guessed from the file name ([`name_from_path`]); nothing else is;
//! - a service: `describe-services` output (`{"services": […]}`) or `create-service` input (an
//!   object with any `create-service` field, `serviceName` and `taskDefinition` included). A
//!   `create-service` input without `serviceName` (tools such as ecspresso keep it elsewhere) is
//!   named after the file.

use std::path::Path;

use serde_json::{Map, Value};

use crate::interop::ecs::wire::{
    ContainerDefinition, CreateService, DescribeServices, DescribeTaskDefinition, TaskDefinition,
};

use super::json::{parse_json, type_name, typed};
use super::{ImportError, InputFile, Result};

/// The shape of a task definition file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskShape {
    /// `register-task-definition` input.
    Register,
    /// `describe-task-definition` output: `{"taskDefinition": {…}, "tags": […]}`.
    Describe,
    /// A JSON array of container definitions, without the task around them.
    ContainerList,
    /// One container-definition object, without the task around it.
    Container,
}

impl TaskShape {
    /// Whether the file holds only container definitions: the task's `family` is guessed from
    /// the file name, and what the containers name outside themselves is not in the file.
    #[must_use]
    pub fn containers_only(self) -> bool {
        matches!(self, Self::ContainerList | Self::Container)
    }
}

/// A task definition file, read.
#[derive(Clone, Debug)]
pub struct TaskDefinitionFile {
    /// The task definition (in `describe-task-definition` output: its `taskDefinition`; for
    /// container definitions alone: `family`, guessed from the file name, and the containers).
    pub task_definition: TaskDefinition,
    /// The rest of `describe-task-definition` output (`tags`, unknown keys); `None` for the
    /// other shapes.
    pub describe: Option<DescribeTaskDefinition>,
    pub shape: TaskShape,
}

/// A service file, read.
#[derive(Clone, Debug)]
pub struct ServicesFile {
    /// Each service as the `create-service` input it was made with (for `describe-services`
    /// output, [`crate::interop::ecs::wire::Service::create_input`]: read-only fields such as
    /// status, counts, events and deployments left out), with its place in the file.
    pub services: Vec<(String, CreateService)>,
    /// What else `describe-services` output holds (`failures`, unknown keys).
    pub rest: Option<DescribeServices>,
    /// Whether the one service's `serviceName` is the file's name, the `create-service` input
    /// having none.
    pub name_from_file: bool,
}

/// An ECS JSON file, read.
#[derive(Clone, Debug)]
pub enum EcsFile {
    TaskDefinition(Box<TaskDefinitionFile>),
    Services(ServicesFile),
}

/// What `import ecs` reads, for messages.
const SHAPES: &str = "a task definition (`aws ecs describe-task-definition` output or \
                      `register-task-definition` input), container definitions (an array of them, \
                      or one object with `image`) or a service (`aws ecs describe-services` output \
                      or `create-service` input)";

/// The name a file's name suggests for a task's family or a service: the name without its
/// folder and its last extension, in the characters ECS allows there (letters, digits, `-` and
/// `_`; others become `-`). `task` when nothing is left.
#[must_use]
pub fn name_from_path(path: &str) -> String {
    let stem = Path::new(path)
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-');
    if name.is_empty() {
        "task".to_owned()
    } else {
        name.chars().take(255).collect()
    }
}

/// Read an ECS JSON file, whatever its shape (see the module documentation).
///
/// # Errors
/// Invalid JSON, none of the shapes, or a field of the wrong type: the message names the file
/// and the place.
pub fn read_ecs_file(file: &InputFile) -> Result<EcsFile> {
    let value = parse_json(file)?;
    let task = |task_definition, describe, shape| {
        Ok(EcsFile::TaskDefinition(Box::new(TaskDefinitionFile {
            task_definition,
            describe,
            shape,
        })))
    };
    let top = match &value {
        Value::Array(items) => {
            if let Some(other) = items.iter().find(|v| !v.is_object()) {
                return Err(ImportError::file(
                    &file.path,
                    format!(
                        "expected {SHAPES}; found an array holding {}",
                        type_name(other)
                    ),
                ));
            }
            let containers: Vec<ContainerDefinition> = typed(file, &value)?;
            return task(
                containers_only(file, containers),
                None,
                TaskShape::ContainerList,
            );
        }
        Value::Object(top) => top,
        other => {
            return Err(ImportError::file(
                &file.path,
                format!("expected {SHAPES}; found {}", type_name(other)),
            ));
        }
    };
    if top.get("taskDefinition").is_some_and(Value::is_object) {
        let mut describe: DescribeTaskDefinition = typed(file, &value)?;
        let Some(task_definition) = describe.task_definition.take() else {
            return Err(ImportError::file(
                &file.path,
                "taskDefinition: expected an object, found null",
            ));
        };
        return task(task_definition, Some(describe), TaskShape::Describe);
    }
    if top.contains_key("services") {
        let mut described: DescribeServices = typed(file, &value)?;
        let services = described
            .services
            .take()
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("services[{i}]"), s.create_input()))
            .collect();
        return Ok(EcsFile::Services(ServicesFile {
            services,
            rest: Some(described),
            name_from_file: false,
        }));
    }
    if top.contains_key("family") || top.contains_key("containerDefinitions") {
        return task(typed(file, &value)?, None, TaskShape::Register);
    }
    for (key, flag, command) in [
        ("TargetGroups", "--target-groups", "describe-target-groups"),
        (
            "LoadBalancers",
            "--load-balancers",
            "describe-load-balancers",
        ),
    ] {
        if top.contains_key(key) {
            return Err(ImportError::file(
                &file.path,
                format!("this is `aws elbv2 {command}` output, not ECS JSON; pass it with {flag}"),
            ));
        }
    }
    if top.contains_key("image") {
        let container: ContainerDefinition = typed(file, &value)?;
        return task(
            containers_only(file, vec![container]),
            None,
            TaskShape::Container,
        );
    }
    let mut input: CreateService = typed(file, &value)?;
    if knows_none(top, &input.extra) {
        let keys: Vec<&str> = top.keys().map(String::as_str).take(5).collect();
        return Err(ImportError::file(
            &file.path,
            format!(
                "expected {SHAPES}; found an object with none of their fields ({})",
                if keys.is_empty() {
                    "no keys".to_owned()
                } else {
                    keys.join(", ")
                }
            ),
        ));
    }
    let name_from_file = input.service_name.is_none();
    if name_from_file {
        input.service_name = Some(name_from_path(&file.path));
    }
    Ok(EcsFile::Services(ServicesFile {
        services: vec![(String::new(), input)],
        rest: None,
        name_from_file,
    }))
}

/// Whether every key of an object is one its wire type does not know (all in `extra`).
fn knows_none(object: &Map<String, Value>, extra: &Map<String, Value>) -> bool {
    object.keys().all(|k| extra.contains_key(k))
}

/// A task definition of container definitions alone: the file's name as its family.
fn containers_only(file: &InputFile, containers: Vec<ContainerDefinition>) -> TaskDefinition {
    TaskDefinition {
        family: Some(name_from_path(&file.path)),
        container_definitions: Some(containers),
        ..TaskDefinition::default()
    }
}

/// Read a task definition file: any task shape of [`read_ecs_file`].
///
/// # Errors
/// As [`read_ecs_file`], and a service file (the message says to pass it as one).
pub fn read_task_definition(file: &InputFile) -> Result<TaskDefinitionFile> {
    match read_ecs_file(file)? {
        EcsFile::TaskDefinition(t) => Ok(*t),
        EcsFile::Services(_) => Err(ImportError::file(
            &file.path,
            "this is a service (`describe-services` output or `create-service` input), not a \
             task definition; pass it with --service",
        )),
    }
}

/// Read a service file: `describe-services` output or `create-service` input.
///
/// # Errors
/// As [`read_ecs_file`], and a task definition file (the message says so).
pub fn read_services(file: &InputFile) -> Result<ServicesFile> {
    match read_ecs_file(file)? {
        EcsFile::Services(s) => Ok(s),
        EcsFile::TaskDefinition(_) => Err(ImportError::file(
            &file.path,
            "expected the output of `aws ecs describe-services` (an object with `services`) or \
             the input of `create-service`; this is a task definition or container definitions",
        )),
    }
}
