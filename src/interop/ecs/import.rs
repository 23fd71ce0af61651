//! `archflow import ecs`: ECS and ELB JSON (task definitions, services, target groups, load
//! balancers, as the AWS CLI prints them) → a commented `architecture.yaml`.
//!
//! Pure: file names and texts in, YAML text and notes out. What archflow does not model is listed
//! in [`Imported::not_imported`], never dropped silently; guesses are commented in the YAML and
//! listed in [`Imported::guesses`]; every ARN or AWS id replaced by a short name is in
//! [`Imported::renamed`] (and commented in the YAML).
//!
//! Each file is read into the typed AWS JSON of [`crate::interop::ecs::wire`]; the importer takes
//! out of each object the fields it models, and lists what is left (fields it does not model and
//! keys no type knows) as not imported.

use std::fmt::Write as _;

use indexmap::IndexMap;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use crate::error::Located;
use crate::interop::ecs::wire::{
    self, ContainerDefinition, DescribeServices, DescribeTaskDefinition, Service, StringOrNumber,
    TaskDefinition, Volume, elbv2,
};
use crate::interop::yaml_writer::{self, Entry, Node};

/// One input file: its name (for messages) and text.
#[derive(Clone, Debug)]
pub struct InputFile {
    pub path: String,
    pub text: String,
}

impl InputFile {
    #[must_use]
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// Everything `import ecs` reads.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// `describe-task-definition` output or `register-task-definition` input, one per file.
    pub task_definitions: Vec<InputFile>,
    /// `describe-services` output (`{"services": [...]}`).
    pub services: Vec<InputFile>,
    /// `describe-target-groups` output (`{"TargetGroups": [...]}`).
    pub target_groups: Vec<InputFile>,
    /// `describe-load-balancers` output (`{"LoadBalancers": [...]}`).
    pub load_balancers: Vec<InputFile>,
}

/// The result of an import.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    /// The model, ready to write.
    pub yaml: String,
    /// Fields and items that archflow does not model, as `file: place.field`.
    pub not_imported: Vec<String>,
    /// What was guessed (also commented in the YAML).
    pub guesses: Vec<String>,
    /// Every ARN or AWS id that became a short name: (original, name).
    pub renamed: Vec<(String, String)>,
}

/// Why an input could not be imported: the file, the place in it (line and column where the
/// JSON parser knows it, otherwise the JSON path in the message), and what is wrong.
pub type ImportError = Located;

type Result<T> = std::result::Result<T, ImportError>;

/// The short name of an ARN: a target group's or load balancer's name, a task definition's
/// family, otherwise the last part of the resource path (`…:role/ecsTaskExecutionRole` →
/// `ecsTaskExecutionRole`). Anything that is not an ARN is returned as it is.
#[must_use]
pub fn short_name(arn: &str) -> String {
    if !arn.starts_with("arn:") {
        return arn.to_owned();
    }
    let resource = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    let parts: Vec<&str> = resource.split('/').collect();
    match parts.as_slice() {
        ["targetgroup", name, ..] | ["loadbalancer", "app" | "net" | "gwy", name, ..] => {
            (*name).to_owned()
        }
        ["task-definition", fam] => fam.split(':').next().unwrap_or(fam).to_owned(),
        [.., last] if !last.is_empty() => (*last).to_owned(),
        _ => resource.rsplit(':').next().unwrap_or(resource).to_owned(),
    }
}

/// Whether a text is a docker-compose file (YAML with top-level `services:`) rather than JSON.
fn looks_like_compose(text: &str) -> bool {
    let first = text.trim_start().chars().next();
    if matches!(first, Some('{' | '[')) {
        return false;
    }
    text.lines().any(|l| l.starts_with("services:")) && !text.contains("taskDefinition:")
}

/// Parse a JSON file, with `file:line:col` in the message of a syntax error.
///
/// # Errors
/// Invalid JSON, or a YAML/compose file.
pub fn parse_json(file: &InputFile) -> Result<Value> {
    match serde_json::from_str::<Value>(&file.text) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = &file.path;
            if looks_like_compose(&file.text) {
                return Err(ImportError::file(
                    path,
                    "this looks like a docker-compose file; use `archflow import compose`",
                ));
            }
            let first = file.text.trim_start().chars().next();
            if !matches!(first, Some('{' | '[') | None) {
                if file.text.contains("containerDefinitions:") {
                    return Err(ImportError::file(
                        path,
                        "this looks like YAML (an archflow model?), not ECS JSON; \
                         `archflow import ecs` reads JSON such as `aws ecs describe-task-definition` prints",
                    ));
                }
                return Err(ImportError::new(
                    path,
                    e.line(),
                    e.column(),
                    format!(
                        "invalid JSON: {}; `archflow import ecs` reads JSON such as \
                         `aws ecs describe-task-definition` prints",
                        strip_position(&e.to_string())
                    ),
                ));
            }
            Err(ImportError::new(
                path,
                e.line(),
                e.column(),
                format!("invalid JSON: {}", strip_position(&e.to_string())),
            ))
        }
    }
}

fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What a serde expectation (`i64`, `a sequence`, `struct Volume`, …) is in a message.
fn expected_words(serde: &str) -> &str {
    match serde {
        "i64" => "a whole number",
        "a boolean" => "true or false",
        "a sequence" => "an array",
        "a map" => "an object",
        "a JSON number" => "a number",
        s if s.starts_with("struct ") => "an object",
        other => other,
    }
}

/// Read a file's JSON (parsed already into `value`, which messages quote) into a wire type. A
/// value of the wrong type is named with its place and position:
/// `file: place: expected a whole number, found "80" (line 1, column 97)`.
fn typed<T: DeserializeOwned>(file: &InputFile, value: &Value) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(&file.text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let mut place = String::new();
        let mut found = Some(value);
        for segment in e.path() {
            match segment {
                Segment::Seq { index } => {
                    let _ = write!(place, "[{index}]");
                    found = found.and_then(|v| v.get(index));
                }
                Segment::Map { key } | Segment::Enum { variant: key } => {
                    place = join(&place, key);
                    found = found.and_then(|v| v.get(key));
                }
                Segment::Unknown => {
                    place = join(&place, "?");
                    found = None;
                }
            }
        }
        let inner = e.inner();
        let message = inner.to_string();
        let message = strip_position(&message);
        let what = match (message.rsplit_once(", expected "), found) {
            (Some((_, expected)), Some(v)) => {
                let expected = expected_words(expected);
                let scalar = !matches!(v, Value::Array(_) | Value::Object(_));
                let quote = matches!(
                    expected,
                    "a whole number" | "a number" | "true or false" | "a string or a number"
                );
                if scalar && quote {
                    format!("expected {expected}, found {v}")
                } else {
                    format!("expected {expected}, found {}", type_name(v))
                }
            }
            _ => message.to_owned(),
        };
        let place = if place.is_empty() {
            "top level"
        } else {
            &place
        };
        ImportError::new(
            &file.path,
            inner.line(),
            inner.column(),
            format!("{place}: {what}"),
        )
    })
}

fn join(place: &str, key: &str) -> String {
    if place.is_empty() {
        key.to_owned()
    } else {
        format!("{place}.{key}")
    }
}

/// Where an object is: its file and its place in the file (`taskDefinition.volumes[0]`), for
/// messages.
#[derive(Clone)]
struct Place<'a> {
    file: &'a str,
    path: String,
}

impl<'a> Place<'a> {
    fn root(file: &'a str) -> Self {
        Self {
            file,
            path: String::new(),
        }
    }

    /// The place of a field.
    fn key(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The place of an object field.
    fn child(&self, key: &str) -> Self {
        Self {
            file: self.file,
            path: self.key(key),
        }
    }

    /// The place of an item of an array field.
    fn item(&self, key: &str, index: usize) -> Self {
        self.child(&format!("{key}[{index}]"))
    }

    fn err(&self, key: &str, what: &str) -> ImportError {
        ImportError::file(self.file, format!("{}: {what}", self.key(key)))
    }

    fn missing(&self, key: &str) -> ImportError {
        let place = if self.path.is_empty() {
            "top level"
        } else {
            &self.path
        };
        ImportError::file(
            self.file,
            format!("{place}: missing required field `{key}`"),
        )
    }

    /// A field archflow needs: present and not blank.
    fn required(&self, key: &str, value: Option<String>) -> Result<String> {
        match value {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(self.missing(key)),
        }
    }

    /// A whole number from 0 to `max`.
    fn int(&self, key: &str, value: Option<i64>, max: i64) -> Result<Option<i64>> {
        match value {
            Some(n) if !(0..=max).contains(&n) => Err(self.err(
                key,
                &format!("expected a whole number from 0 to {max}, found {n}"),
            )),
            v => Ok(v),
        }
    }

    /// An enumerated value; a value archflow does not model is listed and left out.
    fn enumerated(
        &self,
        ctx: &mut Ctx,
        key: &str,
        value: Option<String>,
        allowed: &[&str],
    ) -> Option<Node> {
        let v = value?;
        if allowed.contains(&v.as_str()) {
            Some(Node::Str(v))
        } else {
            ctx.not_imported.push(format!(
                "{}: {} = {v:?} (archflow knows {})",
                self.file,
                self.key(key),
                allowed.join(", ")
            ));
            None
        }
    }

    /// List what is left of an object after the importer took the fields it models: its other
    /// fields and its unknown keys, as `file: place.key`, in key order.
    fn rest<T: Serialize>(&self, ctx: &mut Ctx, object: &T) {
        if let Value::Object(map) = wire::to_value(object) {
            for (key, value) in map {
                if !value.is_null() {
                    ctx.not_imported
                        .push(format!("{}: {}", self.file, self.key(&key)));
                }
            }
        }
    }
}

/// State shared while importing.
#[derive(Default)]
struct Ctx {
    not_imported: Vec<String>,
    guesses: Vec<String>,
    renamed: Vec<(String, String)>,
    /// `fs-…` id → (name, access points `fsap-…` → name), in order of first use.
    file_systems: IndexMap<String, (String, IndexMap<String, String>)>,
    /// Every name given to a file system or access point.
    efs_names: Vec<String>,
}

impl Ctx {
    fn rename(&mut self, from: &str, to: &str) {
        if from != to && !self.renamed.iter().any(|(f, _)| f == from) {
            self.renamed.push((from.to_owned(), to.to_owned()));
        }
    }

    fn unique_efs_name(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut k = 2;
        while self.efs_names.contains(&name) {
            name = format!("{base}-{k}");
            k += 1;
        }
        self.efs_names.push(name.clone());
        name
    }
}

/// One imported task definition, before it is placed in a service.
struct TaskDef {
    file: String,
    family: String,
    network_mode: Option<String>,
    compatibilities: Vec<String>,
    /// Entries of the task definition before `containerDefinitions`, after `family`.
    head: Vec<Entry>,
    containers: Vec<Container>,
    volumes: Vec<Node>,
}

struct Container {
    name: String,
    image: String,
    ports: Vec<i64>,
    /// The container's mapping without `role`; `role` goes after `name`.
    node: Node,
}

/// A task definition file, read.
#[derive(Clone, Debug)]
pub struct TaskDefinitionFile {
    /// The task definition (in `describe-task-definition` output: its `taskDefinition`).
    pub task_definition: TaskDefinition,
    /// The rest of `describe-task-definition` output (`tags`, unknown keys); `None` for
    /// `register-task-definition` input.
    pub describe: Option<DescribeTaskDefinition>,
}

/// Read a task definition file: `describe-task-definition` output or `register-task-definition`
/// input.
///
/// # Errors
/// Invalid JSON, not an object, or a field of the wrong type: the message names the file and the
/// place.
pub fn read_task_definition(file: &InputFile) -> Result<TaskDefinitionFile> {
    let value = parse_json(file)?;
    let Value::Object(top) = &value else {
        return Err(ImportError::file(
            &file.path,
            format!(
                "expected a JSON object (the output of `aws ecs describe-task-definition` or the \
                 input of `register-task-definition`), found {}",
                type_name(&value)
            ),
        ));
    };
    if let Some(inner) = top.get("taskDefinition") {
        let mut describe: DescribeTaskDefinition = typed(file, &value)?;
        let Some(task_definition) = describe.task_definition.take() else {
            return Err(ImportError::file(
                &file.path,
                format!(
                    "taskDefinition: expected an object, found {}",
                    type_name(inner)
                ),
            ));
        };
        return Ok(TaskDefinitionFile {
            task_definition,
            describe: Some(describe),
        });
    }
    Ok(TaskDefinitionFile {
        task_definition: typed(file, &value)?,
        describe: None,
    })
}

fn task_definition(ctx: &mut Ctx, file: &InputFile) -> Result<TaskDef> {
    let read = read_task_definition(file)?;
    let mut td = read.task_definition;
    let at = if let Some(describe) = &read.describe {
        Place::root(&file.path).rest(ctx, describe);
        Place::root(&file.path).child("taskDefinition")
    } else {
        if td.extra.contains_key("services") || td.extra.contains_key("TargetGroups") {
            return Err(ImportError::file(
                &file.path,
                "this is not a task definition (it looks like describe-services or \
                 describe-target-groups output); pass it with --service or --target-groups",
            ));
        }
        Place::root(&file.path)
    };
    let family = at.required("family", td.family.take())?;
    let Some(container_definitions) = td.container_definitions.take() else {
        return Err(at.missing("containerDefinitions"));
    };
    // Read-only fields of describe output are ignored, not listed.
    td.remove_read_only();
    let network_mode = td.network_mode.take();
    let requires_compatibilities = td.requires_compatibilities.take().unwrap_or_default();
    let sizes = [("cpu", td.cpu.take()), ("memory", td.memory.take())];
    let roles = [
        ("executionRoleArn", td.execution_role_arn.take()),
        ("taskRoleArn", td.task_role_arn.take()),
    ];
    let volumes = td.volumes.take().unwrap_or_default();
    at.rest(ctx, &td);

    let mut head = Vec::new();
    let entry = |key: &str, value: Node, comment: Option<String>| Entry {
        key: key.to_owned(),
        value,
        comment,
    };
    if let Some(n) = at.enumerated(
        ctx,
        "networkMode",
        network_mode.clone(),
        &["awsvpc", "bridge", "host", "none"],
    ) {
        head.push(entry("networkMode", n, None));
    }
    let mut compatibilities = Vec::new();
    for (i, c) in requires_compatibilities.into_iter().enumerate() {
        if ["EC2", "FARGATE", "EXTERNAL"].contains(&c.as_str()) {
            compatibilities.push(c);
        } else {
            ctx.not_imported.push(format!(
                "{}: {} = {c:?}",
                file.path,
                at.key(&format!("requiresCompatibilities[{i}]"))
            ));
        }
    }
    if !compatibilities.is_empty() {
        head.push(entry(
            "requiresCompatibilities",
            Node::Seq(compatibilities.iter().map(Node::str).collect()),
            None,
        ));
    }
    for (key, size) in sizes {
        match size {
            None => {}
            Some(StringOrNumber::String(s)) => head.push(entry(key, Node::Str(s), None)),
            Some(StringOrNumber::Number(n)) if n.is_u64() => {
                head.push(entry(key, Node::str(n.to_string()), None));
            }
            Some(StringOrNumber::Number(n)) => {
                return Err(at.err(key, &format!("expected a string, found {n}")));
            }
        }
    }
    for (key, arn) in roles {
        if let Some(arn) = arn {
            let short = short_name(&arn);
            let comment = (short != arn).then(|| format!("was {arn}"));
            ctx.rename(&arn, &short);
            head.push(entry(key, Node::str(short), comment));
        }
    }
    let mut containers = Vec::new();
    for (i, c) in container_definitions.into_iter().enumerate() {
        containers.push(container(ctx, &at.item("containerDefinitions", i), c)?);
    }
    if containers.is_empty() {
        return Err(at.err(
            "containerDefinitions",
            "the task definition has no container",
        ));
    }
    let mut volume_nodes = Vec::new();
    for (i, v) in volumes.into_iter().enumerate() {
        volume_nodes.push(volume(ctx, &at.item("volumes", i), v, &family)?);
    }
    Ok(TaskDef {
        file: file.path.clone(),
        family,
        network_mode,
        compatibilities,
        head,
        containers,
        volumes: volume_nodes,
    })
}

fn strings(items: Vec<String>) -> Node {
    Node::Seq(items.into_iter().map(Node::Str).collect())
}

fn container(ctx: &mut Ctx, at: &Place<'_>, mut c: ContainerDefinition) -> Result<Container> {
    let name = at.required("name", c.name.take())?;
    let image = at.required("image", c.image.take())?;
    let essential = c.essential.take();
    let port_mappings = c.port_mappings.take().unwrap_or_default();
    let environment = c.environment.take().unwrap_or_default();
    let secrets = c.secrets.take().unwrap_or_default();
    let mount_points = c.mount_points.take().unwrap_or_default();
    let depends_on = c.depends_on.take().unwrap_or_default();
    let links = c.links.take().unwrap_or_default();
    let health_check = c.health_check.take();
    let log_configuration = c.log_configuration.take();
    let privileged = c.privileged.take();
    let readonly_root_filesystem = c.readonly_root_filesystem.take();
    let user = c.user.take();
    let command = c.command.take().unwrap_or_default();
    let entry_point = c.entry_point.take().unwrap_or_default();
    at.rest(ctx, &c);

    let mut node = Node::map()
        .with("name", Node::str(&name))
        .with("image", Node::str(&image))
        .with_opt("essential", essential.map(Node::Bool));
    let mut ports = Vec::new();
    let mut mappings = Vec::new();
    for (i, mut p) in port_mappings.into_iter().enumerate() {
        let pat = at.item("portMappings", i);
        let container_port = p.container_port.take();
        let host_port = p.host_port.take();
        let protocol = p.protocol.take();
        let port_name = p.name.take();
        let app_protocol = p.app_protocol.take();
        pat.rest(ctx, &p);
        let Some(port) = pat.int("containerPort", container_port, 65535)? else {
            ctx.not_imported.push(format!(
                "{}: {} (no containerPort: port ranges are not modelled)",
                pat.file, pat.path
            ));
            continue;
        };
        ports.push(port);
        let m = Node::map()
            .with("containerPort", Node::Int(port))
            .with_opt(
                "hostPort",
                pat.int("hostPort", host_port, 65535)?.map(Node::Int),
            )
            .with_opt(
                "protocol",
                pat.enumerated(ctx, "protocol", protocol, &["tcp", "udp"]),
            )
            .with_opt("name", port_name.map(Node::Str))
            .with_opt(
                "appProtocol",
                pat.enumerated(ctx, "appProtocol", app_protocol, &["http", "http2", "grpc"]),
            );
        mappings.push(m);
    }
    if !mappings.is_empty() {
        node = node.with("portMappings", Node::Seq(mappings));
    }
    let mut env = Vec::new();
    for (i, mut e) in environment.into_iter().enumerate() {
        let eat = at.item("environment", i);
        let (env_name, value) = (e.name.take(), e.value.take());
        eat.rest(ctx, &e);
        env.push(
            Node::map()
                .with("name", Node::Str(eat.required("name", env_name)?))
                .with("value", Node::Str(value.unwrap_or_default())),
        );
    }
    if !env.is_empty() {
        node = node.with("environment", Node::Seq(env));
    }
    let mut secret_nodes = Vec::new();
    for (i, mut s) in secrets.into_iter().enumerate() {
        let sat = at.item("secrets", i);
        let (secret_name, value_from) = (s.name.take(), s.value_from.take());
        sat.rest(ctx, &s);
        secret_nodes.push(
            Node::map()
                .with("name", Node::Str(sat.required("name", secret_name)?))
                .with(
                    "valueFrom",
                    Node::Str(sat.required("valueFrom", value_from)?),
                ),
        );
    }
    if !secret_nodes.is_empty() {
        node = node.with("secrets", Node::Seq(secret_nodes));
    }
    let mut mounts = Vec::new();
    for (i, mut m) in mount_points.into_iter().enumerate() {
        let mat = at.item("mountPoints", i);
        let source_volume = m.source_volume.take();
        let container_path = m.container_path.take();
        let read_only = m.read_only.take();
        mat.rest(ctx, &m);
        mounts.push(
            Node::map()
                .with(
                    "sourceVolume",
                    Node::Str(mat.required("sourceVolume", source_volume)?),
                )
                .with(
                    "containerPath",
                    Node::Str(mat.required("containerPath", container_path)?),
                )
                .with_opt("readOnly", read_only.map(Node::Bool)),
        );
    }
    if !mounts.is_empty() {
        node = node.with("mountPoints", Node::Seq(mounts));
    }
    let mut deps = Vec::new();
    for (i, mut d) in depends_on.into_iter().enumerate() {
        let dat = at.item("dependsOn", i);
        let (container_name, condition) = (d.container_name.take(), d.condition.take());
        dat.rest(ctx, &d);
        let target = dat.required("containerName", container_name)?;
        let condition = dat.required("condition", condition)?;
        if !["START", "COMPLETE", "SUCCESS", "HEALTHY"].contains(&condition.as_str()) {
            return Err(dat.err(
                "condition",
                &format!("{condition:?} is not START, COMPLETE, SUCCESS or HEALTHY"),
            ));
        }
        deps.push(
            Node::map()
                .with("containerName", Node::Str(target))
                .with("condition", Node::Str(condition)),
        );
    }
    if !deps.is_empty() {
        node = node.with("dependsOn", Node::Seq(deps));
    }
    if !links.is_empty() {
        node = node.with("links", strings(links));
    }
    if let Some(mut h) = health_check {
        let hat = at.child("healthCheck");
        let health_command = h.command.take().unwrap_or_default();
        let times = [
            ("interval", h.interval.take()),
            ("timeout", h.timeout.take()),
            ("retries", h.retries.take()),
            ("startPeriod", h.start_period.take()),
        ];
        hat.rest(ctx, &h);
        let mut check = Node::map().with("command", strings(health_command));
        for (key, value) in times {
            check = check.with_opt(
                key,
                hat.int(key, value, i64::from(u32::MAX))?.map(Node::Int),
            );
        }
        node = node.with("healthCheck", check);
    }
    if let Some(mut l) = log_configuration {
        let lat = at.child("logConfiguration");
        let (log_driver, options) = (l.log_driver.take(), l.options.take());
        lat.rest(ctx, &l);
        let mut options_node = Node::map();
        for (k, v) in options.unwrap_or_default() {
            options_node.insert(&k, Node::Str(v), None);
        }
        let mut log = Node::map().with(
            "logDriver",
            Node::Str(lat.required("logDriver", log_driver)?),
        );
        if options_node != Node::map() {
            log = log.with("options", options_node);
        }
        node = node.with("logConfiguration", log);
    }
    node = node
        .with_opt("privileged", privileged.map(Node::Bool))
        .with_opt(
            "readonlyRootFilesystem",
            readonly_root_filesystem.map(Node::Bool),
        )
        .with_opt("user", user.map(Node::Str));
    for (key, items) in [("command", command), ("entryPoint", entry_point)] {
        if !items.is_empty() {
            node = node.with(key, strings(items));
        }
    }
    Ok(Container {
        name,
        image,
        ports,
        node,
    })
}

fn volume(ctx: &mut Ctx, at: &Place<'_>, mut v: Volume, family: &str) -> Result<Node> {
    let name = at.required("name", v.name.take())?;
    let (host, efs) = (v.host.take(), v.efs_volume_configuration.take());
    at.rest(ctx, &v);
    let mut node = Node::map().with("name", Node::str(&name));
    if let Some(mut h) = host {
        let source_path = h.source_path.take();
        at.child("host").rest(ctx, &h);
        node = node.with(
            "host",
            Node::map().with_opt("sourcePath", source_path.map(Node::Str)),
        );
    }
    if let Some(mut e) = efs {
        let eat = at.child("efsVolumeConfiguration");
        let file_system_id = e.file_system_id.take();
        let root_directory = e.root_directory.take();
        let transit_encryption = e.transit_encryption.take();
        let transit_encryption_port = e.transit_encryption_port.take();
        let authorization_config = e.authorization_config.take();
        eat.rest(ctx, &e);
        let fs_id = eat.required("fileSystemId", file_system_id)?;
        let fs_name = if let Some((n, _)) = ctx.file_systems.get(&fs_id) {
            n.clone()
        } else {
            // A name that is not an AWS id (a model exported by archflow) stays as it is.
            let base = if fs_id.starts_with("fs-") {
                format!("{family}-{name}")
            } else {
                fs_id.clone()
            };
            let n = ctx.unique_efs_name(&base);
            ctx.file_systems
                .insert(fs_id.clone(), (n.clone(), IndexMap::new()));
            ctx.rename(&fs_id, &n);
            n
        };
        let mut efs_node = Node::map();
        efs_node.insert(
            "fileSystemId",
            Node::str(&fs_name),
            (fs_name != fs_id).then(|| format!("{fs_id} in AWS")),
        );
        efs_node = efs_node
            .with_opt("rootDirectory", root_directory.map(Node::Str))
            .with_opt(
                "transitEncryption",
                eat.enumerated(
                    ctx,
                    "transitEncryption",
                    transit_encryption,
                    &["ENABLED", "DISABLED"],
                ),
            )
            .with_opt(
                "transitEncryptionPort",
                eat.int("transitEncryptionPort", transit_encryption_port, 65535)?
                    .map(Node::Int),
            );
        if let Some(mut a) = authorization_config {
            let aat = eat.child("authorizationConfig");
            let (access_point_id, iam) = (a.access_point_id.take(), a.iam.take());
            aat.rest(ctx, &a);
            let mut auth = Node::map();
            if let Some(ap_id) = access_point_id {
                let existing = ctx
                    .file_systems
                    .get(&fs_id)
                    .and_then(|(_, aps)| aps.get(&ap_id).cloned());
                let ap_name = if let Some(n) = existing {
                    n
                } else {
                    let base = if ap_id.starts_with("fsap-") {
                        format!("{fs_name}-ap")
                    } else {
                        ap_id.clone()
                    };
                    let n = ctx.unique_efs_name(&base);
                    if let Some((_, aps)) = ctx.file_systems.get_mut(&fs_id) {
                        aps.insert(ap_id.clone(), n.clone());
                    }
                    ctx.rename(&ap_id, &n);
                    n
                };
                auth.insert(
                    "accessPointId",
                    Node::str(&ap_name),
                    (ap_name != ap_id).then(|| format!("{ap_id} in AWS")),
                );
            }
            auth = auth.with_opt(
                "iam",
                aat.enumerated(ctx, "iam", iam, &["ENABLED", "DISABLED"]),
            );
            efs_node = efs_node.with("authorizationConfig", auth);
        }
        node = node.with("efsVolumeConfiguration", efs_node);
    }
    Ok(node)
}

/// A service read from `describe-services`.
struct ServiceIn {
    name: String,
    family: String,
    cluster: Option<(String, String)>,
    /// Entries after `serviceName` up to (not including) `taskDefinition`.
    entries: Vec<Entry>,
    /// (target group name, container, port) of `loadBalancers`.
    load_balancers: Vec<(String, String, i64)>,
}

/// Clear the fields of `describe-services` output that AWS sets and that say nothing about the
/// design (status, counts, events, deployments): they are ignored, not listed.
fn ignore_service_status(s: &mut Service) {
    s.service_arn = None;
    s.status = None;
    s.running_count = None;
    s.pending_count = None;
    s.events = None;
    s.deployments = None;
    s.created_at = None;
    s.created_by = None;
    s.task_sets = None;
    s.platform_family = None;
}

fn services(
    ctx: &mut Ctx,
    file: &InputFile,
    tg_names: &IndexMap<String, String>,
) -> Result<Vec<ServiceIn>> {
    let value = parse_json(file)?;
    if !matches!(&value, Value::Object(m) if m.contains_key("services")) {
        return Err(ImportError::file(
            &file.path,
            "expected the output of `aws ecs describe-services`: an object with `services`",
        ));
    }
    let mut described: DescribeServices = typed(file, &value)?;
    let root = Place::root(&file.path);
    if described.failures.take().is_some_and(|f| !f.is_empty()) {
        ctx.not_imported.push(format!(
            "{}: failures (services AWS could not describe)",
            file.path
        ));
    }
    let services = described.services.take().unwrap_or_default();
    root.rest(ctx, &described);
    let mut out = Vec::new();
    for (i, mut s) in services.into_iter().enumerate() {
        let at = root.item("services", i);
        ignore_service_status(&mut s);
        let service_name = s.service_name.take();
        let cluster_arn = s.cluster_arn.take();
        let task_definition = s.task_definition.take();
        let desired_count = s.desired_count.take();
        let launch_type = s.launch_type.take();
        let platform_version = s.platform_version.take();
        let load_balancers = s.load_balancers.take().unwrap_or_default();
        let network_configuration = s.network_configuration.take();
        let deployment_configuration = s.deployment_configuration.take();
        at.rest(ctx, &s);
        let name = at.required("serviceName", service_name)?;
        let td = at.required("taskDefinition", task_definition)?;
        let family = short_name(&td);
        ctx.rename(&td, &family);
        let cluster = cluster_arn.map(|arn| (short_name(&arn), arn));
        let mut entries = Vec::new();
        let mut push = |key: &str, value: Option<Node>| {
            if let Some(value) = value {
                entries.push(Entry {
                    key: key.to_owned(),
                    value,
                    comment: None,
                });
            }
        };
        push(
            "launchType",
            at.enumerated(
                ctx,
                "launchType",
                launch_type,
                &["EC2", "FARGATE", "EXTERNAL"],
            ),
        );
        push("platformVersion", platform_version.map(Node::Str));
        push(
            "desiredCount",
            at.int("desiredCount", desired_count, i64::from(u32::MAX))?
                .map(Node::Int),
        );
        let mut lbs = Vec::new();
        let mut lb_nodes = Vec::new();
        for (j, mut l) in load_balancers.into_iter().enumerate() {
            let lat = at.item("loadBalancers", j);
            let target_group_arn = l.target_group_arn.take();
            let container_name = l.container_name.take();
            let container_port = l.container_port.take();
            lat.rest(ctx, &l);
            let Some(arn) = target_group_arn else {
                ctx.not_imported.push(format!(
                    "{}: {} (a Classic Load Balancer: archflow models target groups only)",
                    file.path, lat.path
                ));
                continue;
            };
            let tg = tg_names
                .get(&arn)
                .cloned()
                .unwrap_or_else(|| short_name(&arn));
            ctx.rename(&arn, &tg);
            let container = lat.required("containerName", container_name)?;
            let Some(port) = lat.int("containerPort", container_port, 65535)? else {
                return Err(lat.missing("containerPort"));
            };
            let mut node = Node::map();
            node.insert("targetGroup", Node::str(&tg), Some(format!("was {arn}")));
            lb_nodes.push(
                node.with("containerName", Node::str(&container))
                    .with("containerPort", Node::Int(port)),
            );
            lbs.push((tg, container, port));
        }
        if !lb_nodes.is_empty() {
            push("loadBalancers", Some(Node::Seq(lb_nodes)));
        }
        if let Some(mut d) = deployment_configuration {
            let dat = at.child("deploymentConfiguration");
            let minimum = d.minimum_healthy_percent.take();
            let maximum = d.maximum_percent.take();
            let circuit_breaker = d.deployment_circuit_breaker.take();
            dat.rest(ctx, &d);
            let max = i64::from(u32::MAX);
            let mut node = Node::map()
                .with_opt(
                    "minimumHealthyPercent",
                    dat.int("minimumHealthyPercent", minimum, max)?
                        .map(Node::Int),
                )
                .with_opt(
                    "maximumPercent",
                    dat.int("maximumPercent", maximum, max)?.map(Node::Int),
                );
            if let Some(mut b) = circuit_breaker {
                let (enable, rollback) = (b.enable.take(), b.rollback.take());
                dat.child("deploymentCircuitBreaker").rest(ctx, &b);
                node = node.with(
                    "deploymentCircuitBreaker",
                    Node::map()
                        .with("enable", Node::Bool(enable.unwrap_or(false)))
                        .with("rollback", Node::Bool(rollback.unwrap_or(false))),
                );
            }
            if node != Node::map() {
                push("deploymentConfiguration", Some(node));
            }
        }
        if let Some(mut n) = network_configuration {
            let nat = at.child("networkConfiguration");
            let awsvpc = n.awsvpc_configuration.take();
            nat.rest(ctx, &n);
            if let Some(mut a) = awsvpc {
                let aat = nat.child("awsvpcConfiguration");
                let subnets = a.subnets.take().unwrap_or_default();
                let security_groups = a.security_groups.take().unwrap_or_default();
                let assign_public_ip = a.assign_public_ip.take();
                aat.rest(ctx, &a);
                let mut cfg = Node::map();
                if !subnets.is_empty() {
                    cfg = cfg.with("subnets", strings(subnets));
                }
                if !security_groups.is_empty() {
                    cfg = cfg.with("securityGroups", strings(security_groups));
                }
                cfg = cfg.with_opt(
                    "assignPublicIp",
                    aat.enumerated(
                        ctx,
                        "assignPublicIp",
                        assign_public_ip,
                        &["ENABLED", "DISABLED"],
                    ),
                );
                push(
                    "networkConfiguration",
                    Some(Node::map().with("awsvpcConfiguration", cfg)),
                );
            }
        }
        out.push(ServiceIn {
            name,
            family,
            cluster,
            entries,
            load_balancers: lbs,
        });
    }
    Ok(out)
}

/// Check that an `aws elbv2 describe-*` output has its list, under a Pascal-case key.
fn expect_elbv2_list(file: &InputFile, value: &Value, key: &str, command: &str) -> Result<()> {
    match value {
        Value::Object(top) if top.contains_key(key) => Ok(()),
        Value::Object(_) => Err(ImportError::file(
            &file.path,
            format!(
                "expected the output of `aws elbv2 {command}`: an object with `{key}` (PascalCase)"
            ),
        )),
        _ => Err(ImportError::file(
            &file.path,
            format!("expected the output of `aws elbv2 {command}`: an object with `{key}`"),
        )),
    }
}

struct TargetGroupIn {
    name: String,
    arn: Option<String>,
    lb_arns: Vec<String>,
    node: Node,
}

fn target_groups(ctx: &mut Ctx, file: &InputFile) -> Result<Vec<TargetGroupIn>> {
    let value = parse_json(file)?;
    expect_elbv2_list(file, &value, "TargetGroups", "describe-target-groups")?;
    let mut described: elbv2::DescribeTargetGroups = typed(file, &value)?;
    let root = Place::root(&file.path);
    let groups = described.target_groups.take().unwrap_or_default();
    root.rest(ctx, &described);
    let mut out = Vec::new();
    for (i, mut t) in groups.into_iter().enumerate() {
        let at = root.item("TargetGroups", i);
        let target_group_name = t.target_group_name.take();
        let arn = t.target_group_arn.take();
        let lb_arns = t.load_balancer_arns.take().unwrap_or_default();
        let port = t.port.take();
        let protocol = t.protocol.take();
        let target_type = t.target_type.take();
        let matcher = t.matcher.take();
        let path = t.health_check_path.take();
        let health_port = t.health_check_port.take();
        let health_protocol = t.health_check_protocol.take();
        let max = i64::from(u32::MAX);
        let counts = [
            (
                "HealthCheckIntervalSeconds",
                "intervalSeconds",
                t.health_check_interval_seconds.take(),
            ),
            (
                "HealthCheckTimeoutSeconds",
                "timeoutSeconds",
                t.health_check_timeout_seconds.take(),
            ),
            (
                "HealthyThresholdCount",
                "healthyThresholdCount",
                t.healthy_threshold_count.take(),
            ),
            (
                "UnhealthyThresholdCount",
                "unhealthyThresholdCount",
                t.unhealthy_threshold_count.take(),
            ),
        ];
        at.rest(ctx, &t);
        let name = at.required("TargetGroupName", target_group_name)?;
        let mut node = Node::map();
        node.insert(
            "name",
            Node::str(&name),
            arn.as_ref().map(|a| format!("was {a}")),
        );
        if let Some(a) = &arn {
            ctx.rename(a, &name);
        }
        node = node
            .with_opt("port", at.int("Port", port, 65535)?.map(Node::Int))
            .with_opt(
                "protocol",
                at.enumerated(
                    ctx,
                    "Protocol",
                    protocol,
                    &["HTTP", "HTTPS", "TCP", "TLS", "UDP"],
                ),
            )
            .with_opt(
                "targetType",
                at.enumerated(
                    ctx,
                    "TargetType",
                    target_type,
                    &["instance", "ip", "lambda", "alb"],
                ),
            );
        let matcher = match matcher {
            Some(mut m) => {
                let http_code = m.http_code.take();
                at.child("Matcher").rest(ctx, &m);
                http_code.map(Node::Str)
            }
            None => None,
        };
        let mut hc = Node::map()
            .with_opt("path", path.map(Node::Str))
            .with_opt("port", health_port.map(Node::Str))
            .with_opt("protocol", health_protocol.map(Node::Str));
        for (key, model_key, count) in counts {
            hc = hc.with_opt(model_key, at.int(key, count, max)?.map(Node::Int));
        }
        hc = hc.with_opt("matcher", matcher);
        if hc != Node::map() {
            node = node.with("healthCheck", hc);
        }
        out.push(TargetGroupIn {
            name,
            arn,
            lb_arns,
            node,
        });
    }
    Ok(out)
}

struct LoadBalancerIn {
    name: String,
    arn: Option<String>,
    network: bool,
    internet_facing: bool,
    node: Node,
}

fn load_balancers(ctx: &mut Ctx, file: &InputFile) -> Result<Vec<LoadBalancerIn>> {
    let value = parse_json(file)?;
    expect_elbv2_list(file, &value, "LoadBalancers", "describe-load-balancers")?;
    let mut described: elbv2::DescribeLoadBalancers = typed(file, &value)?;
    let root = Place::root(&file.path);
    let balancers = described.load_balancers.take().unwrap_or_default();
    root.rest(ctx, &described);
    let mut out = Vec::new();
    for (i, mut l) in balancers.into_iter().enumerate() {
        let at = root.item("LoadBalancers", i);
        // Set by AWS, nothing to model: ignored, not listed.
        l.dns_name = None;
        l.canonical_hosted_zone_id = None;
        l.created_time = None;
        l.state = None;
        let load_balancer_name = l.load_balancer_name.take();
        let arn = l.load_balancer_arn.take();
        let (lb_type, scheme) = (l.r#type.take(), l.scheme.take());
        at.rest(ctx, &l);
        let name = at.required("LoadBalancerName", load_balancer_name)?;
        if let Some(a) = &arn {
            ctx.rename(a, &name);
        }
        let mut node = Node::map();
        node.insert(
            "name",
            Node::str(&name),
            arn.as_ref().map(|a| format!("was {a}")),
        );
        let lb_type = at.enumerated(ctx, "Type", lb_type, &["application", "network"]);
        let network = lb_type == Some(Node::str("network"));
        let scheme = at.enumerated(ctx, "Scheme", scheme, &["internet-facing", "internal"]);
        let internet_facing = scheme
            .as_ref()
            .is_none_or(|s| *s == Node::str("internet-facing"));
        node = node.with_opt("type", lb_type).with_opt("scheme", scheme);
        out.push(LoadBalancerIn {
            name,
            arn,
            network,
            internet_facing,
            node,
        });
    }
    Ok(out)
}

fn node_name(node: &Node) -> Option<&str> {
    match node {
        Node::Map(entries) => entries.iter().find_map(|e| match (&*e.key, &e.value) {
            ("name", Node::Str(s)) => Some(s.as_str()),
            _ => None,
        }),
        _ => None,
    }
}

/// The role an image suggests, if any.
fn role_from_image(image: &str) -> Option<&'static str> {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    let repo = last.split(':').next().unwrap_or(last);
    Some(match repo {
        "mongo"
        | "mongodb-community-server"
        | "postgres"
        | "postgis"
        | "mysql"
        | "mariadb"
        | "percona"
        | "neo4j"
        | "elasticsearch"
        | "opensearch"
        | "cassandra"
        | "couchdb"
        | "influxdb" => "database",
        "redis" | "valkey" | "memcached" => "cache",
        "nginx" | "httpd" | "caddy" | "traefik" => "web",
        "aws-for-fluent-bit" | "fluent-bit" | "aws-xray-daemon" | "aws-otel-collector"
        | "envoy" | "datadog-agent" | "agent" => "sidecar",
        _ => return None,
    })
}

/// Import ECS JSON into an archflow model.
///
/// # Errors
/// A file that is not JSON, not the expected shape, or misses a required field: the message
/// names the file and the place.
pub fn import(inputs: &Inputs) -> Result<Imported> {
    let mut ctx = Ctx::default();
    if inputs.task_definitions.is_empty() {
        return Err(ImportError::file(
            "archflow import ecs",
            "no task definition given: pass at least one TASKDEF.json",
        ));
    }
    let mut tgs = Vec::new();
    for f in &inputs.target_groups {
        tgs.extend(target_groups(&mut ctx, f)?);
    }
    let mut lbs = Vec::new();
    for f in &inputs.load_balancers {
        lbs.extend(load_balancers(&mut ctx, f)?);
    }
    let tg_names: IndexMap<String, String> = tgs
        .iter()
        .filter_map(|t| t.arn.clone().map(|a| (a, t.name.clone())))
        .collect();
    let mut svcs = Vec::new();
    for f in &inputs.services {
        svcs.extend(services(&mut ctx, f, &tg_names)?);
    }
    let mut tds: Vec<TaskDef> = Vec::new();
    for f in &inputs.task_definitions {
        let td = task_definition(&mut ctx, f)?;
        if let Some(prev) = tds.iter().find(|t| t.family == td.family) {
            return Err(ImportError::file(
                &f.path,
                format!(
                    "family `{}` was already read from {}; give one revision per family",
                    td.family, prev.file
                ),
            ));
        }
        tds.push(td);
    }

    let mut header_guesses: Vec<String> = Vec::new();
    // Services: from describe-services, else one per task definition.
    let mut service_nodes = Vec::new();
    let mut used_families = Vec::new();
    let mut cluster: Option<(String, String)> = None;
    let mut behind_lb: Vec<(String, String)> = Vec::new(); // (family, container)
    let mut tg_needed: Vec<(String, i64, Option<String>)> = Vec::new();
    for s in &svcs {
        let Some(td) = tds.iter().find(|t| t.family == s.family) else {
            ctx.not_imported.push(format!(
                "service {}: its task definition `{}` was not given (pass its JSON too)",
                s.name, s.family
            ));
            continue;
        };
        used_families.push(td.family.clone());
        if let Some(c) = &s.cluster {
            match &cluster {
                None => cluster = Some(c.clone()),
                Some(first) if first.0 != c.0 => ctx.not_imported.push(format!(
                    "service {}: cluster {} (archflow models one cluster; using {})",
                    s.name, c.0, first.0
                )),
                Some(_) => {}
            }
        }
        for (tg, container, port) in &s.load_balancers {
            behind_lb.push((td.family.clone(), container.clone()));
            tg_needed.push((tg.clone(), *port, td.network_mode.clone()));
        }
        let mut node = Node::map().with("serviceName", Node::str(&s.name));
        if let Node::Map(entries) = &mut node {
            entries.extend(s.entries.iter().cloned());
        }
        service_nodes.push((node, td));
    }
    for td in &tds {
        if used_families.contains(&td.family) {
            continue;
        }
        let mut node = Node::map();
        // A service named like a container, volume or another service would be a duplicate name.
        let taken = |n: &str| {
            tds.iter().any(|t| {
                t.containers.iter().any(|c| c.name == n)
                    || t.volumes.iter().any(|v| node_name(v) == Some(n))
            }) || svcs.iter().any(|s| s.name == n)
                || tgs.iter().any(|t| t.name == n)
                || lbs.iter().any(|l| l.name == n)
                || ctx.efs_names.iter().any(|e| e == n)
        };
        let mut name = td.family.clone();
        if taken(&name) {
            name = format!("{}-service", td.family);
        }
        let guess = if name == td.family {
            format!(
                "guessed: no describe-services output for `{}`, so one service named after the family",
                td.family
            )
        } else {
            format!(
                "guessed: no describe-services output for `{}`, so one service named after the \
                 family (`{name}`: `{}` names a container)",
                td.family, td.family
            )
        };
        node.insert("serviceName", Node::str(&name), Some(guess.clone()));
        ctx.guesses.push(format!("service {name}: {}", &guess[9..]));
        if td.compatibilities == ["FARGATE"] {
            node.insert(
                "launchType",
                Node::str("FARGATE"),
                Some("guessed from requiresCompatibilities".to_owned()),
            );
        }
        node.insert(
            "desiredCount",
            Node::Int(1),
            Some("guessed: the running count is in describe-services output".to_owned()),
        );
        service_nodes.push((node, td));
    }
    if svcs.is_empty() {
        header_guesses.push("each task definition became one service (no --service given)".into());
    }

    // Containers with roles.
    let mut services_out = Vec::new();
    for (mut node, td) in service_nodes {
        let mut containers = Vec::new();
        for c in &td.containers {
            let mut cnode = c.node.clone();
            let lb = behind_lb
                .iter()
                .any(|(f, n)| *f == td.family && *n == c.name);
            let role = role_from_image(&c.image)
                .map(|r| (r, format!("guessed from the image `{}`", c.image)))
                .or_else(|| {
                    (lb && !c.ports.is_empty()).then(|| {
                        (
                            "api",
                            "guessed: a port mapping behind a load balancer".to_owned(),
                        )
                    })
                });
            if let (Some((role, why)), Node::Map(entries)) = (role, &mut cnode) {
                ctx.guesses
                    .push(format!("{}/{}: role {role} ({why})", td.family, c.name));
                entries.insert(
                    1,
                    Entry {
                        key: "role".to_owned(),
                        value: Node::str(role),
                        comment: Some(format!("role {why}")),
                    },
                );
            }
            containers.push(cnode);
        }
        let mut tnode = Node::map().with("family", Node::str(&td.family));
        if let Node::Map(entries) = &mut tnode {
            entries.extend(td.head.iter().cloned());
        }
        tnode = tnode.with("containerDefinitions", Node::Seq(containers));
        if !td.volumes.is_empty() {
            tnode = tnode.with("volumes", Node::Seq(td.volumes.clone()));
        }
        node = node.with("taskDefinition", tnode);
        services_out.push(node);
    }

    // Load balancers with guessed listeners, target groups.
    let mut lb_nodes = Vec::new();
    let mut actors = Vec::new();
    for lb in &lbs {
        let mut node = lb.node.clone();
        let forwards: Vec<&TargetGroupIn> = tgs
            .iter()
            .filter(|t| lb.arn.as_ref().is_some_and(|a| t.lb_arns.contains(a)))
            .collect();
        if !forwards.is_empty() {
            let mut listeners = Vec::new();
            for (i, tg) in forwards.iter().enumerate() {
                let port = if lb.network {
                    tgs.iter()
                        .find(|t| t.name == tg.name)
                        .and_then(|t| match &t.node {
                            Node::Map(e) => {
                                e.iter().find(|e| e.key == "port").map(|e| e.value.clone())
                            }
                            _ => None,
                        })
                        .unwrap_or(Node::Int(80))
                } else if i == 0 {
                    Node::Int(80)
                } else {
                    Node::Int(8079 + i64::try_from(i).unwrap_or(0))
                };
                let mut l = Node::map();
                l.insert(
                    "port",
                    port,
                    (i == 0).then(|| {
                        "guessed: describe-load-balancers lists no listeners \
                         (see `aws elbv2 describe-listeners`); check port and protocol"
                            .to_owned()
                    }),
                );
                listeners.push(
                    l.with(
                        "protocol",
                        Node::str(if lb.network { "TCP" } else { "HTTP" }),
                    )
                    .with(
                        "defaultActions",
                        Node::Seq(vec![
                            Node::map()
                                .with("type", Node::str("forward"))
                                .with("targetGroup", Node::str(&tg.name)),
                        ]),
                    ),
                );
            }
            ctx.guesses
                .push(format!("load balancer {}: listeners guessed", lb.name));
            node = node.with("listeners", Node::Seq(listeners));
        }
        if lb.internet_facing {
            actors.push(lb.name.clone());
        }
        lb_nodes.push(node);
    }
    let mut tg_nodes: Vec<Node> = tgs.iter().map(|t| t.node.clone()).collect();
    let mut seen_tg: Vec<String> = tgs.iter().map(|t| t.name.clone()).collect();
    for (tg, port, mode) in &tg_needed {
        if seen_tg.contains(tg) {
            continue;
        }
        seen_tg.push(tg.clone());
        let mut node = Node::map();
        node.insert(
            "name",
            Node::str(tg),
            Some("guessed: no describe-target-groups output for this target group".to_owned()),
        );
        node = node.with("port", Node::Int(*port));
        if mode.as_deref() == Some("awsvpc") {
            node = node.with("targetType", Node::str("ip"));
        }
        ctx.guesses
            .push(format!("target group {tg}: port and target type guessed"));
        tg_nodes.push(node);
    }

    // File systems.
    let mut fs_nodes = Vec::new();
    for (id, (name, aps)) in &ctx.file_systems {
        let mut node = Node::map();
        node.insert(
            "name",
            Node::str(name),
            Some(format!(
                "was {id}; encryption and modes are not in task definitions \
                 (see `aws efs describe-file-systems`)"
            )),
        );
        if !aps.is_empty() {
            let items = aps
                .iter()
                .map(|(ap_id, ap_name)| {
                    let mut n = Node::map();
                    n.insert("name", Node::str(ap_name), Some(format!("was {ap_id}")));
                    n
                })
                .collect();
            node = node.with("accessPoints", Node::Seq(items));
        }
        fs_nodes.push(node);
    }

    // The document.
    let mut root = Node::map().with("version", Node::Int(1));
    let title = cluster
        .as_ref()
        .map_or_else(|| tds[0].family.clone(), |c| c.0.clone());
    root.insert(
        "name",
        Node::str(&title),
        Some("guessed: a title for the diagrams; change it".to_owned()),
    );
    if let Some((name, arn)) = &cluster {
        ctx.rename(arn, name);
        let mut c = Node::map();
        c.insert("name", Node::str(name), Some(format!("was {arn}")));
        root = root.with("cluster", c);
    }
    if !actors.is_empty() {
        let mut a = Node::map();
        a.insert(
            "name",
            Node::str("clients"),
            Some("guessed: whoever calls the internet-facing load balancers".to_owned()),
        );
        a = a.with(
            "connectsTo",
            Node::Seq(actors.iter().map(Node::str).collect()),
        );
        ctx.guesses.push("actor clients: guessed".to_owned());
        root = root.with("actors", Node::Seq(vec![a]));
    }
    if !lb_nodes.is_empty() {
        root = root.with("loadBalancers", Node::Seq(lb_nodes));
    }
    if !tg_nodes.is_empty() {
        root = root.with("targetGroups", Node::Seq(tg_nodes));
    }
    if !fs_nodes.is_empty() {
        root = root.with("fileSystems", Node::Seq(fs_nodes));
    }
    root = root.with("services", Node::Seq(services_out));

    let mut header: Vec<String> = vec![
        "Imported by `archflow import ecs`. Comments starting with \"guessed\" mark what was"
            .to_owned(),
        "guessed: check them. ARNs and AWS ids became short names (comments say what they were)."
            .to_owned(),
    ];
    for g in &header_guesses {
        header.push(format!("guessed: {g}"));
    }
    if !ctx.not_imported.is_empty() {
        header.push(String::new());
        header.push("Not imported (archflow does not model these):".to_owned());
        for n in &ctx.not_imported {
            header.push(format!("- {n}"));
        }
    }
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let yaml = yaml_writer::write(&root, &header_refs);
    Ok(Imported {
        yaml,
        not_imported: ctx.not_imported,
        guesses: ctx.guesses,
        renamed: ctx.renamed,
    })
}
