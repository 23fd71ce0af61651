//! `archflow import ecs`: ECS and ELB JSON (task definitions, services, target groups, load
//! balancers, as the AWS CLI prints them) → a commented `architecture.yaml`.
//!
//! Pure: file names and texts in, YAML text and notes out. What archflow does not model is listed
//! in [`Imported::not_imported`], never dropped silently; guesses are commented in the YAML and
//! listed in [`Imported::guesses`]; every ARN or AWS id replaced by a short name is in
//! [`Imported::renamed`] (and commented in the YAML).

use std::fmt;

use indexmap::IndexMap;
use serde_json::{Map, Value};

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

/// Why an input could not be imported: a message naming the file and the place in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError(pub String);

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImportError {}

type Result<T> = std::result::Result<T, ImportError>;

/// Fields of `describe-task-definition` output that AWS sets; they are ignored, not listed.
pub const TASK_DEFINITION_READ_ONLY: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

const SERVICE_READ_ONLY: &[&str] = &[
    "serviceArn",
    "status",
    "runningCount",
    "pendingCount",
    "events",
    "deployments",
    "createdAt",
    "createdBy",
    "taskSets",
    "platformFamily",
];

const TARGET_GROUP_READ_ONLY: &[&str] = &["TargetGroupArn", "LoadBalancerArns"];
const LOAD_BALANCER_READ_ONLY: &[&str] = &[
    "LoadBalancerArn",
    "DNSName",
    "CanonicalHostedZoneId",
    "CreatedTime",
    "State",
];

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
                return Err(ImportError(format!(
                    "{path}: this looks like a docker-compose file; use `archflow import compose`"
                )));
            }
            let first = file.text.trim_start().chars().next();
            if !matches!(first, Some('{' | '[') | None) {
                if file.text.contains("containerDefinitions:") {
                    return Err(ImportError(format!(
                        "{path}: this looks like YAML (an archflow model?), not ECS JSON; \
                         `archflow import ecs` reads JSON such as `aws ecs describe-task-definition` prints"
                    )));
                }
                return Err(ImportError(format!(
                    "{path}:{}:{}: invalid JSON: {}; `archflow import ecs` reads JSON such as \
                     `aws ecs describe-task-definition` prints",
                    e.line(),
                    e.column(),
                    strip_position(&e.to_string())
                )));
            }
            Err(ImportError(format!(
                "{path}:{}:{}: invalid JSON: {}",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            )))
        }
    }
}

fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

/// A JSON object with its file and place, for messages.
#[derive(Clone, Copy)]
struct Obj<'a> {
    map: &'a Map<String, Value>,
    file: &'a str,
    place: &'a str,
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

fn join(place: &str, key: &str) -> String {
    if place.is_empty() {
        key.to_owned()
    } else {
        format!("{place}.{key}")
    }
}

impl<'a> Obj<'a> {
    fn err(&self, key: &str, what: &str) -> ImportError {
        ImportError(format!("{}: {}: {what}", self.file, join(self.place, key)))
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn str(&self, key: &str) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.err(key, &format!("expected a string, found {}", type_name(v)))),
        }
    }

    fn required_str(&self, key: &str) -> Result<&'a str> {
        match self.str(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(ImportError(format!(
                "{}: {}: missing required field `{key}`",
                self.file,
                if self.place.is_empty() {
                    "top level"
                } else {
                    self.place
                }
            ))),
        }
    }

    fn int(&self, key: &str, max: i64) -> Result<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.as_i64() {
                Some(n) if (0..=max).contains(&n) => Ok(Some(n)),
                _ => Err(self.err(
                    key,
                    &format!("expected a whole number from 0 to {max}, found {v}"),
                )),
            },
        }
    }

    fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(self.err(key, &format!("expected true or false, found {v}"))),
        }
    }

    fn obj(&self, key: &str) -> Result<Option<Map<String, Value>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m.clone())),
            Some(v) => Err(self.err(key, &format!("expected an object, found {}", type_name(v)))),
        }
    }

    fn arr(&self, key: &str) -> Result<&'a [Value]> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(v) => Err(self.err(key, &format!("expected an array, found {}", type_name(v)))),
        }
    }

    fn strings(&self, key: &str) -> Result<Vec<String>> {
        self.arr(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(self.err(
                    &format!("{key}[{i}]"),
                    &format!("expected a string, found {}", type_name(other)),
                )),
            })
            .collect()
    }

    /// The objects of an array field, each with its place.
    fn objects(&self, key: &str) -> Result<Vec<(String, &'a Map<String, Value>)>> {
        self.arr(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let place = join(self.place, &format!("{key}[{i}]"));
                match v {
                    Value::Object(m) => Ok((place, m)),
                    other => Err(ImportError(format!(
                        "{}: {place}: expected an object, found {}",
                        self.file,
                        type_name(other)
                    ))),
                }
            })
            .collect()
    }

    /// List every key that is neither `known` nor `ignored`.
    fn unknown(&self, known: &[&str], ignored: &[&str], out: &mut Vec<String>) {
        for (k, v) in self.map {
            if v.is_null() || known.contains(&k.as_str()) || ignored.contains(&k.as_str()) {
                continue;
            }
            out.push(format!("{}: {}", self.file, join(self.place, k)));
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

/// Check an enumerated value; a value archflow does not model is listed and left out.
fn enumerated(ctx: &mut Ctx, o: &Obj<'_>, key: &str, allowed: &[&str]) -> Result<Option<Node>> {
    let Some(v) = o.str(key)? else {
        return Ok(None);
    };
    if allowed.contains(&v) {
        Ok(Some(Node::str(v)))
    } else {
        ctx.not_imported.push(format!(
            "{}: {} = {v:?} (archflow knows {})",
            o.file,
            join(o.place, key),
            allowed.join(", ")
        ));
        Ok(None)
    }
}

fn int_node(v: Option<i64>) -> Option<Node> {
    v.map(Node::Int)
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

fn unwrap_task_definition<'a>(
    file: &'a InputFile,
    value: &'a Value,
) -> Result<(Obj<'a>, Vec<String>)> {
    let Value::Object(top) = value else {
        return Err(ImportError(format!(
            "{}: expected a JSON object (the output of `aws ecs describe-task-definition` or the \
             input of `register-task-definition`), found {}",
            file.path,
            type_name(value)
        )));
    };
    if let Some(inner) = top.get("taskDefinition") {
        let Value::Object(map) = inner else {
            return Err(ImportError(format!(
                "{}: taskDefinition: expected an object, found {}",
                file.path,
                type_name(inner)
            )));
        };
        let extra = top
            .keys()
            .filter(|k| *k != "taskDefinition")
            .map(|k| format!("{}: {k}", file.path))
            .collect();
        return Ok((
            Obj {
                map,
                file: &file.path,
                place: "taskDefinition",
            },
            extra,
        ));
    }
    if top.contains_key("services") || top.contains_key("TargetGroups") {
        return Err(ImportError(format!(
            "{}: this is not a task definition (it looks like describe-services or \
             describe-target-groups output); pass it with --service or --target-groups",
            file.path
        )));
    }
    Ok((
        Obj {
            map: top,
            file: &file.path,
            place: "",
        },
        Vec::new(),
    ))
}

const TASK_KNOWN: &[&str] = &[
    "family",
    "networkMode",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "executionRoleArn",
    "taskRoleArn",
    "containerDefinitions",
    "volumes",
];

fn task_definition(ctx: &mut Ctx, file: &InputFile) -> Result<TaskDef> {
    let value = parse_json(file)?;
    let (o, extra) = unwrap_task_definition(file, &value)?;
    ctx.not_imported.extend(extra);
    let family = o.required_str("family")?.to_owned();
    if o.get("containerDefinitions").is_none() {
        return Err(ImportError(format!(
            "{}: {}: missing required field `containerDefinitions`",
            file.path,
            if o.place.is_empty() {
                "top level"
            } else {
                o.place
            }
        )));
    }
    o.unknown(TASK_KNOWN, TASK_DEFINITION_READ_ONLY, &mut ctx.not_imported);
    let mut head = Vec::new();
    let entry = |key: &str, value: Node, comment: Option<String>| Entry {
        key: key.to_owned(),
        value,
        comment,
    };
    let network_mode = o.str("networkMode")?.map(str::to_owned);
    if let Some(n) = enumerated(
        ctx,
        &o,
        "networkMode",
        &["awsvpc", "bridge", "host", "none"],
    )? {
        head.push(entry("networkMode", n, None));
    }
    let mut compatibilities = Vec::new();
    for (i, c) in o
        .strings("requiresCompatibilities")?
        .into_iter()
        .enumerate()
    {
        if ["EC2", "FARGATE", "EXTERNAL"].contains(&c.as_str()) {
            compatibilities.push(c);
        } else {
            ctx.not_imported.push(format!(
                "{}: {} = {c:?}",
                file.path,
                join(o.place, &format!("requiresCompatibilities[{i}]"))
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
    for key in ["cpu", "memory"] {
        match o.get(key) {
            None => {}
            Some(Value::String(s)) => head.push(entry(key, Node::str(s), None)),
            Some(Value::Number(n)) if n.as_u64().is_some() => {
                head.push(entry(key, Node::str(n.to_string()), None));
            }
            Some(v) => return Err(o.err(key, &format!("expected a string, found {v}"))),
        }
    }
    for key in ["executionRoleArn", "taskRoleArn"] {
        if let Some(arn) = o.str(key)? {
            let short = short_name(arn);
            let comment = (short != arn).then(|| format!("was {arn}"));
            ctx.rename(arn, &short);
            head.push(entry(key, Node::str(short), comment));
        }
    }
    let mut containers = Vec::new();
    for (place, map) in o.objects("containerDefinitions")? {
        let c = Obj {
            map,
            file: &file.path,
            place: &place,
        };
        containers.push(container(ctx, &c)?);
    }
    if containers.is_empty() {
        return Err(ImportError(format!(
            "{}: {}: the task definition has no container",
            file.path,
            join(o.place, "containerDefinitions")
        )));
    }
    let mut volumes = Vec::new();
    for (place, map) in o.objects("volumes")? {
        let v = Obj {
            map,
            file: &file.path,
            place: &place,
        };
        volumes.push(volume(ctx, &v, &family)?);
    }
    Ok(TaskDef {
        file: file.path.clone(),
        family,
        network_mode,
        compatibilities,
        head,
        containers,
        volumes,
    })
}

const CONTAINER_KNOWN: &[&str] = &[
    "name",
    "image",
    "essential",
    "portMappings",
    "environment",
    "secrets",
    "mountPoints",
    "dependsOn",
    "links",
    "healthCheck",
    "logConfiguration",
    "privileged",
    "readonlyRootFilesystem",
    "user",
    "command",
    "entryPoint",
];

fn container(ctx: &mut Ctx, c: &Obj<'_>) -> Result<Container> {
    let name = c.required_str("name")?.to_owned();
    let image = c.required_str("image")?.to_owned();
    c.unknown(CONTAINER_KNOWN, &[], &mut ctx.not_imported);
    let mut node = Node::map()
        .with("name", Node::str(&name))
        .with("image", Node::str(&image))
        .with_opt("essential", c.bool("essential")?.map(Node::Bool));
    let mut ports = Vec::new();
    let mut mappings = Vec::new();
    for (place, map) in c.objects("portMappings")? {
        let p = Obj {
            map,
            file: c.file,
            place: &place,
        };
        p.unknown(
            &[
                "containerPort",
                "hostPort",
                "protocol",
                "name",
                "appProtocol",
            ],
            &[],
            &mut ctx.not_imported,
        );
        let Some(port) = p.int("containerPort", 65535)? else {
            ctx.not_imported.push(format!(
                "{}: {place} (no containerPort: port ranges are not modelled)",
                c.file
            ));
            continue;
        };
        ports.push(port);
        let m = Node::map()
            .with("containerPort", Node::Int(port))
            .with_opt("hostPort", int_node(p.int("hostPort", 65535)?))
            .with_opt(
                "protocol",
                enumerated(ctx, &p, "protocol", &["tcp", "udp"])?,
            )
            .with_opt("name", p.str("name")?.map(Node::str))
            .with_opt(
                "appProtocol",
                enumerated(ctx, &p, "appProtocol", &["http", "http2", "grpc"])?,
            );
        mappings.push(m);
    }
    if !mappings.is_empty() {
        node = node.with("portMappings", Node::Seq(mappings));
    }
    let mut env = Vec::new();
    for (place, map) in c.objects("environment")? {
        let e = Obj {
            map,
            file: c.file,
            place: &place,
        };
        e.unknown(&["name", "value"], &[], &mut ctx.not_imported);
        env.push(
            Node::map()
                .with("name", Node::str(e.required_str("name")?))
                .with("value", Node::str(e.str("value")?.unwrap_or(""))),
        );
    }
    if !env.is_empty() {
        node = node.with("environment", Node::Seq(env));
    }
    let mut secrets = Vec::new();
    for (place, map) in c.objects("secrets")? {
        let s = Obj {
            map,
            file: c.file,
            place: &place,
        };
        s.unknown(&["name", "valueFrom"], &[], &mut ctx.not_imported);
        secrets.push(
            Node::map()
                .with("name", Node::str(s.required_str("name")?))
                .with("valueFrom", Node::str(s.required_str("valueFrom")?)),
        );
    }
    if !secrets.is_empty() {
        node = node.with("secrets", Node::Seq(secrets));
    }
    let mut mounts = Vec::new();
    for (place, map) in c.objects("mountPoints")? {
        let m = Obj {
            map,
            file: c.file,
            place: &place,
        };
        m.unknown(
            &["sourceVolume", "containerPath", "readOnly"],
            &[],
            &mut ctx.not_imported,
        );
        mounts.push(
            Node::map()
                .with("sourceVolume", Node::str(m.required_str("sourceVolume")?))
                .with("containerPath", Node::str(m.required_str("containerPath")?))
                .with_opt("readOnly", m.bool("readOnly")?.map(Node::Bool)),
        );
    }
    if !mounts.is_empty() {
        node = node.with("mountPoints", Node::Seq(mounts));
    }
    let mut deps = Vec::new();
    for (place, map) in c.objects("dependsOn")? {
        let d = Obj {
            map,
            file: c.file,
            place: &place,
        };
        d.unknown(&["containerName", "condition"], &[], &mut ctx.not_imported);
        let target = d.required_str("containerName")?;
        let condition = d.required_str("condition")?;
        if !["START", "COMPLETE", "SUCCESS", "HEALTHY"].contains(&condition) {
            return Err(d.err(
                "condition",
                &format!("{condition:?} is not START, COMPLETE, SUCCESS or HEALTHY"),
            ));
        }
        deps.push(
            Node::map()
                .with("containerName", Node::str(target))
                .with("condition", Node::str(condition)),
        );
    }
    if !deps.is_empty() {
        node = node.with("dependsOn", Node::Seq(deps));
    }
    let links = c.strings("links")?;
    if !links.is_empty() {
        node = node.with(
            "links",
            Node::Seq(links.into_iter().map(Node::Str).collect()),
        );
    }
    if let Some(map) = c.obj("healthCheck")? {
        let place = join(c.place, "healthCheck");
        let h = Obj {
            map: &map,
            file: c.file,
            place: &place,
        };
        h.unknown(
            &["command", "interval", "timeout", "retries", "startPeriod"],
            &[],
            &mut ctx.not_imported,
        );
        let command = h.strings("command")?;
        let check = Node::map()
            .with(
                "command",
                Node::Seq(command.into_iter().map(Node::Str).collect()),
            )
            .with_opt(
                "interval",
                int_node(h.int("interval", i64::from(u32::MAX))?),
            )
            .with_opt("timeout", int_node(h.int("timeout", i64::from(u32::MAX))?))
            .with_opt("retries", int_node(h.int("retries", i64::from(u32::MAX))?))
            .with_opt(
                "startPeriod",
                int_node(h.int("startPeriod", i64::from(u32::MAX))?),
            );
        node = node.with("healthCheck", check);
    }
    if let Some(map) = c.obj("logConfiguration")? {
        let place = join(c.place, "logConfiguration");
        let l = Obj {
            map: &map,
            file: c.file,
            place: &place,
        };
        l.unknown(&["logDriver", "options"], &[], &mut ctx.not_imported);
        let mut options = Node::map();
        if let Some(opts) = l.obj("options")? {
            for (k, v) in &opts {
                match v {
                    Value::String(s) => options.insert(k, Node::str(s), None),
                    other => {
                        return Err(l.err(
                            &format!("options.{k}"),
                            &format!("expected a string, found {}", type_name(other)),
                        ));
                    }
                }
            }
        }
        let mut log = Node::map().with("logDriver", Node::str(l.required_str("logDriver")?));
        if options != Node::map() {
            log = log.with("options", options);
        }
        node = node.with("logConfiguration", log);
    }
    node = node
        .with_opt("privileged", c.bool("privileged")?.map(Node::Bool))
        .with_opt(
            "readonlyRootFilesystem",
            c.bool("readonlyRootFilesystem")?.map(Node::Bool),
        )
        .with_opt("user", c.str("user")?.map(Node::str));
    for key in ["command", "entryPoint"] {
        let items = c.strings(key)?;
        if !items.is_empty() {
            node = node.with(key, Node::Seq(items.into_iter().map(Node::Str).collect()));
        }
    }
    Ok(Container {
        name,
        image,
        ports,
        node,
    })
}

fn volume(ctx: &mut Ctx, v: &Obj<'_>, family: &str) -> Result<Node> {
    let name = v.required_str("name")?;
    v.unknown(
        &["name", "host", "efsVolumeConfiguration"],
        &[],
        &mut ctx.not_imported,
    );
    let mut node = Node::map().with("name", Node::str(name));
    if let Some(map) = v.obj("host")? {
        let place = join(v.place, "host");
        let h = Obj {
            map: &map,
            file: v.file,
            place: &place,
        };
        h.unknown(&["sourcePath"], &[], &mut ctx.not_imported);
        node = node.with(
            "host",
            Node::map().with_opt("sourcePath", h.str("sourcePath")?.map(Node::str)),
        );
    }
    if let Some(map) = v.obj("efsVolumeConfiguration")? {
        let place = join(v.place, "efsVolumeConfiguration");
        let e = Obj {
            map: &map,
            file: v.file,
            place: &place,
        };
        e.unknown(
            &[
                "fileSystemId",
                "rootDirectory",
                "transitEncryption",
                "transitEncryptionPort",
                "authorizationConfig",
            ],
            &[],
            &mut ctx.not_imported,
        );
        let fs_id = e.required_str("fileSystemId")?;
        let fs_name = if let Some((n, _)) = ctx.file_systems.get(fs_id) {
            n.clone()
        } else {
            // A name that is not an AWS id (a model exported by archflow) stays as it is.
            let base = if fs_id.starts_with("fs-") {
                format!("{family}-{name}")
            } else {
                fs_id.to_owned()
            };
            let n = ctx.unique_efs_name(&base);
            ctx.file_systems
                .insert(fs_id.to_owned(), (n.clone(), IndexMap::new()));
            ctx.rename(fs_id, &n);
            n
        };
        let mut efs = Node::map();
        efs.insert(
            "fileSystemId",
            Node::str(&fs_name),
            (fs_name != fs_id).then(|| format!("{fs_id} in AWS")),
        );
        efs = efs
            .with_opt("rootDirectory", e.str("rootDirectory")?.map(Node::str))
            .with_opt(
                "transitEncryption",
                enumerated(ctx, &e, "transitEncryption", &["ENABLED", "DISABLED"])?,
            )
            .with_opt(
                "transitEncryptionPort",
                int_node(e.int("transitEncryptionPort", 65535)?),
            );
        if let Some(map) = e.obj("authorizationConfig")? {
            let place = join(e.place, "authorizationConfig");
            let a = Obj {
                map: &map,
                file: v.file,
                place: &place,
            };
            a.unknown(&["accessPointId", "iam"], &[], &mut ctx.not_imported);
            let mut auth = Node::map();
            if let Some(ap_id) = a.str("accessPointId")? {
                let existing = ctx
                    .file_systems
                    .get(fs_id)
                    .and_then(|(_, aps)| aps.get(ap_id).cloned());
                let ap_name = if let Some(n) = existing {
                    n
                } else {
                    let base = if ap_id.starts_with("fsap-") {
                        format!("{fs_name}-ap")
                    } else {
                        ap_id.to_owned()
                    };
                    let n = ctx.unique_efs_name(&base);
                    if let Some((_, aps)) = ctx.file_systems.get_mut(fs_id) {
                        aps.insert(ap_id.to_owned(), n.clone());
                    }
                    ctx.rename(ap_id, &n);
                    n
                };
                auth.insert(
                    "accessPointId",
                    Node::str(&ap_name),
                    (ap_name != ap_id).then(|| format!("{ap_id} in AWS")),
                );
            }
            auth = auth.with_opt("iam", enumerated(ctx, &a, "iam", &["ENABLED", "DISABLED"])?);
            efs = efs.with("authorizationConfig", auth);
        }
        node = node.with("efsVolumeConfiguration", efs);
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

fn services(
    ctx: &mut Ctx,
    file: &InputFile,
    tg_names: &IndexMap<String, String>,
) -> Result<Vec<ServiceIn>> {
    let value = parse_json(file)?;
    let top = match &value {
        Value::Object(m) if m.contains_key("services") => m,
        _ => {
            return Err(ImportError(format!(
                "{}: expected the output of `aws ecs describe-services`: an object with `services`",
                file.path
            )));
        }
    };
    let root = Obj {
        map: top,
        file: &file.path,
        place: "",
    };
    if !root.arr("failures")?.is_empty() {
        ctx.not_imported.push(format!(
            "{}: failures (services AWS could not describe)",
            file.path
        ));
    }
    root.unknown(&["services"], &["failures"], &mut ctx.not_imported);
    let mut out = Vec::new();
    for (place, map) in root.objects("services")? {
        let s = Obj {
            map,
            file: &file.path,
            place: &place,
        };
        s.unknown(
            &[
                "serviceName",
                "clusterArn",
                "taskDefinition",
                "desiredCount",
                "launchType",
                "platformVersion",
                "loadBalancers",
                "networkConfiguration",
                "deploymentConfiguration",
            ],
            SERVICE_READ_ONLY,
            &mut ctx.not_imported,
        );
        let name = s.required_str("serviceName")?.to_owned();
        let td = s.required_str("taskDefinition")?;
        let family = short_name(td);
        ctx.rename(td, &family);
        let cluster = s
            .str("clusterArn")?
            .map(|arn| (short_name(arn), arn.to_owned()));
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
            enumerated(ctx, &s, "launchType", &["EC2", "FARGATE", "EXTERNAL"])?,
        );
        push("platformVersion", s.str("platformVersion")?.map(Node::str));
        push(
            "desiredCount",
            int_node(s.int("desiredCount", i64::from(u32::MAX))?),
        );
        let mut lbs = Vec::new();
        let mut lb_nodes = Vec::new();
        for (place, map) in s.objects("loadBalancers")? {
            let l = Obj {
                map,
                file: &file.path,
                place: &place,
            };
            l.unknown(
                &["targetGroupArn", "containerName", "containerPort"],
                &[],
                &mut ctx.not_imported,
            );
            let Some(arn) = l.str("targetGroupArn")? else {
                ctx.not_imported.push(format!(
                    "{}: {place} (a Classic Load Balancer: archflow models target groups only)",
                    file.path
                ));
                continue;
            };
            let tg = tg_names
                .get(arn)
                .cloned()
                .unwrap_or_else(|| short_name(arn));
            ctx.rename(arn, &tg);
            let container = l.required_str("containerName")?.to_owned();
            let Some(port) = l.int("containerPort", 65535)? else {
                return Err(ImportError(format!(
                    "{}: {place}: missing required field `containerPort`",
                    file.path
                )));
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
        if let Some(map) = s.obj("deploymentConfiguration")? {
            let place = join(&place, "deploymentConfiguration");
            let d = Obj {
                map: &map,
                file: &file.path,
                place: &place,
            };
            d.unknown(
                &[
                    "minimumHealthyPercent",
                    "maximumPercent",
                    "deploymentCircuitBreaker",
                ],
                &[],
                &mut ctx.not_imported,
            );
            let mut node = Node::map()
                .with_opt(
                    "minimumHealthyPercent",
                    int_node(d.int("minimumHealthyPercent", i64::from(u32::MAX))?),
                )
                .with_opt(
                    "maximumPercent",
                    int_node(d.int("maximumPercent", i64::from(u32::MAX))?),
                );
            if let Some(cb) = d.obj("deploymentCircuitBreaker")? {
                let place = join(&place, "deploymentCircuitBreaker");
                let b = Obj {
                    map: &cb,
                    file: &file.path,
                    place: &place,
                };
                b.unknown(&["enable", "rollback"], &[], &mut ctx.not_imported);
                node = node.with(
                    "deploymentCircuitBreaker",
                    Node::map()
                        .with("enable", Node::Bool(b.bool("enable")?.unwrap_or(false)))
                        .with("rollback", Node::Bool(b.bool("rollback")?.unwrap_or(false))),
                );
            }
            if node != Node::map() {
                push("deploymentConfiguration", Some(node));
            }
        }
        if let Some(map) = s.obj("networkConfiguration")? {
            let place = join(&place, "networkConfiguration");
            let n = Obj {
                map: &map,
                file: &file.path,
                place: &place,
            };
            n.unknown(&["awsvpcConfiguration"], &[], &mut ctx.not_imported);
            if let Some(aws) = n.obj("awsvpcConfiguration")? {
                let place = join(&place, "awsvpcConfiguration");
                let a = Obj {
                    map: &aws,
                    file: &file.path,
                    place: &place,
                };
                a.unknown(
                    &["subnets", "securityGroups", "assignPublicIp"],
                    &[],
                    &mut ctx.not_imported,
                );
                let strings = |v: Vec<String>| Node::Seq(v.into_iter().map(Node::Str).collect());
                let mut cfg = Node::map();
                let subnets = a.strings("subnets")?;
                if !subnets.is_empty() {
                    cfg = cfg.with("subnets", strings(subnets));
                }
                let sgs = a.strings("securityGroups")?;
                if !sgs.is_empty() {
                    cfg = cfg.with("securityGroups", strings(sgs));
                }
                cfg = cfg.with_opt(
                    "assignPublicIp",
                    enumerated(ctx, &a, "assignPublicIp", &["ENABLED", "DISABLED"])?,
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

/// The top-level array of a `describe-*` output, under a Pascal-case key.
fn pascal_list<'a>(
    file: &'a InputFile,
    value: &'a Value,
    key: &str,
    command: &str,
) -> Result<Vec<(String, &'a Map<String, Value>)>> {
    let Value::Object(top) = value else {
        return Err(ImportError(format!(
            "{}: expected the output of `aws elbv2 {command}`: an object with `{key}`",
            file.path
        )));
    };
    if !top.contains_key(key) {
        return Err(ImportError(format!(
            "{}: expected the output of `aws elbv2 {command}`: an object with `{key}` (PascalCase)",
            file.path
        )));
    }
    let root = Obj {
        map: top,
        file: &file.path,
        place: "",
    };
    root.objects(key)
}

struct TargetGroupIn {
    name: String,
    arn: Option<String>,
    lb_arns: Vec<String>,
    node: Node,
}

fn target_groups(ctx: &mut Ctx, file: &InputFile) -> Result<Vec<TargetGroupIn>> {
    let value = parse_json(file)?;
    let mut out = Vec::new();
    for (place, map) in pascal_list(file, &value, "TargetGroups", "describe-target-groups")? {
        let t = Obj {
            map,
            file: &file.path,
            place: &place,
        };
        t.unknown(
            &[
                "TargetGroupName",
                "Port",
                "Protocol",
                "TargetType",
                "HealthCheckPath",
                "HealthCheckPort",
                "HealthCheckProtocol",
                "HealthCheckIntervalSeconds",
                "HealthCheckTimeoutSeconds",
                "HealthyThresholdCount",
                "UnhealthyThresholdCount",
                "Matcher",
            ],
            TARGET_GROUP_READ_ONLY,
            &mut ctx.not_imported,
        );
        let name = t.required_str("TargetGroupName")?.to_owned();
        let arn = t.str("TargetGroupArn")?.map(str::to_owned);
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
            .with_opt("port", int_node(t.int("Port", 65535)?))
            .with_opt(
                "protocol",
                enumerated(ctx, &t, "Protocol", &["HTTP", "HTTPS", "TCP", "TLS", "UDP"])?,
            )
            .with_opt(
                "targetType",
                t.str("TargetType")?.and_then(|v| {
                    ["instance", "ip", "lambda", "alb"]
                        .contains(&v)
                        .then(|| Node::str(v))
                }),
            );
        let max = i64::from(u32::MAX);
        let matcher = match t.obj("Matcher")? {
            Some(m) => {
                let place = join(&place, "Matcher");
                let mo = Obj {
                    map: &m,
                    file: &file.path,
                    place: &place,
                };
                mo.unknown(&["HttpCode"], &[], &mut ctx.not_imported);
                mo.str("HttpCode")?.map(Node::str)
            }
            None => None,
        };
        let hc = Node::map()
            .with_opt("path", t.str("HealthCheckPath")?.map(Node::str))
            .with_opt("port", t.str("HealthCheckPort")?.map(Node::str))
            .with_opt("protocol", t.str("HealthCheckProtocol")?.map(Node::str))
            .with_opt(
                "intervalSeconds",
                int_node(t.int("HealthCheckIntervalSeconds", max)?),
            )
            .with_opt(
                "timeoutSeconds",
                int_node(t.int("HealthCheckTimeoutSeconds", max)?),
            )
            .with_opt(
                "healthyThresholdCount",
                int_node(t.int("HealthyThresholdCount", max)?),
            )
            .with_opt(
                "unhealthyThresholdCount",
                int_node(t.int("UnhealthyThresholdCount", max)?),
            )
            .with_opt("matcher", matcher);
        if hc != Node::map() {
            node = node.with("healthCheck", hc);
        }
        out.push(TargetGroupIn {
            name,
            arn,
            lb_arns: t.strings("LoadBalancerArns")?,
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
    let mut out = Vec::new();
    for (place, map) in pascal_list(file, &value, "LoadBalancers", "describe-load-balancers")? {
        let l = Obj {
            map,
            file: &file.path,
            place: &place,
        };
        l.unknown(
            &["LoadBalancerName", "Type", "Scheme"],
            LOAD_BALANCER_READ_ONLY,
            &mut ctx.not_imported,
        );
        let name = l.required_str("LoadBalancerName")?.to_owned();
        let arn = l.str("LoadBalancerArn")?.map(str::to_owned);
        if let Some(a) = &arn {
            ctx.rename(a, &name);
        }
        let mut node = Node::map();
        node.insert(
            "name",
            Node::str(&name),
            arn.as_ref().map(|a| format!("was {a}")),
        );
        let lb_type = enumerated(ctx, &l, "Type", &["application", "network"])?;
        let network = lb_type == Some(Node::str("network"));
        let scheme = enumerated(ctx, &l, "Scheme", &["internet-facing", "internal"])?;
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
        return Err(ImportError(
            "no task definition given: pass at least one TASKDEF.json".to_owned(),
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
            return Err(ImportError(format!(
                "{}: family `{}` was already read from {}; give one revision per family",
                f.path, td.family, prev.file
            )));
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
