//! What CloudFormation templates and Terraform configurations declare, as the ECS JSON `import
//! ecs` and `drift` read: the infrastructure-as-code importers resolve their resources into a
//! [`Stack`] (task definitions as `register-task-definition` input, services as `create-service`
//! input, target groups and load balancers as `aws elbv2 describe-*` output items), and the ECS
//! mapping ([`crate::interop::ecs::import`]) and comparison ([`crate::interop::ecs::drift`]) do
//! the rest.
//!
//! Each resource keeps its origin (`file#LogicalId`, `path:resource.address`): it names the
//! resource in messages, and the imported model lists every component's origin in its header.

use serde_json::{Map, Value};

use crate::error::Located;
use crate::interop::ecs::drift::{self, Deployed, DeployedService};
use crate::interop::ecs::import::{
    self as ecs, DeclaredFileSystem, DeclaredListener, Imported, InputFile,
};

/// One resource, as ECS JSON, and where it was declared.
#[derive(Clone, Debug)]
pub struct Resource {
    /// `file#LogicalId` or `path:resource.address`.
    pub origin: String,
    /// The name the model gives it (a family, a service's or target group's name).
    pub name: String,
    pub json: Value,
}

/// The ECS part of a template or configuration.
#[derive(Clone, Debug, Default)]
pub struct Stack {
    /// `register-task-definition` input.
    pub task_definitions: Vec<Resource>,
    /// `create-service` input.
    pub services: Vec<Resource>,
    /// Items of `describe-target-groups` output.
    pub target_groups: Vec<Resource>,
    /// Items of `describe-load-balancers` output.
    pub load_balancers: Vec<Resource>,
    pub file_systems: Vec<(String, DeclaredFileSystem)>,
    /// Listeners, for their ports and protocols.
    pub listeners: Vec<DeclaredListener>,
    /// Resources read but not imported, and why.
    pub not_imported: Vec<String>,
    /// Values left symbolic (`place: value`).
    pub symbolic: Vec<String>,
    pub guesses: Vec<String>,
    pub notes: Vec<String>,
    /// Security groups: who may call whom ([`connections`] reads them).
    pub security_groups: SecurityGroups,
}

/// Security groups as the code declares them, filled by each reader and read once here
/// ([`connections`]): the groups each service and load balancer is in, and whom each group lets
/// in. A group is named by what references to it resolve to (a logical id, a resource address,
/// an `sg-…` id), or by the symbolic text of a reference that cannot be resolved
/// (`!ImportValue X`, `${var.sg}`): two references with the same text are the same group.
#[derive(Clone, Debug, Default)]
pub struct SecurityGroups {
    /// Groups the code declares: (the name references give, origin).
    pub groups: Vec<(String, String)>,
    /// A service's name → its groups (`awsvpcConfiguration.securityGroups`).
    pub services: Vec<(String, Vec<String>)>,
    /// A load balancer's name → its groups.
    pub load_balancers: Vec<(String, Vec<String>)>,
    pub ingress: Vec<Ingress>,
}

/// One ingress rule: traffic into `group` from `source` on `ports`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ingress {
    /// Where the rule is declared (the group's origin for an inline rule).
    pub origin: String,
    pub group: String,
    pub source: Peer,
    /// Inclusive; `None` for every port.
    pub ports: Option<(u16, u16)>,
}

/// Where an ingress rule lets traffic in from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Peer {
    /// Members of a security group.
    Group(String),
    /// An address range (`0.0.0.0/0`).
    Cidr(String),
    /// A prefix list, or a source the code does not say.
    Other(String),
}

/// The ports of a rule with `protocol` (`tcp`, `6`, `-1`, `all`, …) from `from` to `to`: `None`
/// for a rule that does not carry calls (ICMP), `Some(None)` for every port.
#[must_use]
pub fn rule_ports(
    protocol: &str,
    from: Option<i64>,
    to: Option<i64>,
) -> Option<Option<(u16, u16)>> {
    match protocol.trim().to_ascii_lowercase().as_str() {
        "-1" | "all" => Some(None),
        "tcp" | "6" | "udp" | "17" => {
            let port = |p: Option<i64>| p.and_then(|p| u16::try_from(p).ok());
            match (port(from), port(to.or(from))) {
                (Some(f), Some(t)) if f <= t && (f, t) != (0, 0) && (f, t) != (0, 65535) => {
                    Some(Some((f, t)))
                }
                _ => Some(None),
            }
        }
        _ => None,
    }
}

/// A port range for messages: `80`, `8000-8100`, `every port`.
fn ports_text(ports: Option<(u16, u16)>) -> String {
    match ports {
        None => "every port".to_owned(),
        Some((f, t)) if f == t => format!("port {f}"),
        Some((f, t)) => format!("ports {f}-{t}"),
    }
}

/// What the security groups say: calls between services they permit (for the ECS import), and
/// lines for the model's header and standard error (tasks reachable from address ranges, rules
/// whose groups the code does not declare).
#[must_use]
pub fn connections(sg: &SecurityGroups) -> (Vec<ecs::DeclaredAccess>, Vec<String>) {
    let members = |group: &str| -> Vec<&str> {
        sg.services
            .iter()
            .filter(|(_, groups)| groups.iter().any(|g| g == group))
            .map(|(s, _)| s.as_str())
            .collect()
    };
    let in_lb = |group: &str| {
        sg.load_balancers
            .iter()
            .any(|(_, groups)| groups.iter().any(|g| g == group))
    };
    let declared = |group: &str| sg.groups.iter().any(|(g, _)| g == group);
    let mut access: Vec<ecs::DeclaredAccess> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut push = |line: String| {
        if !lines.contains(&line) {
            lines.push(line);
        }
    };
    for rule in &sg.ingress {
        let targets = members(&rule.group);
        if targets.is_empty() {
            if !declared(&rule.group) && !in_lb(&rule.group) {
                push(format!(
                    "{}: a rule of security group `{}`, which the code does not declare and no imported service is in: not read",
                    rule.origin, rule.group
                ));
            }
            continue;
        }
        match &rule.source {
            Peer::Group(source) => {
                let callers = members(source);
                for to in &targets {
                    for from in callers.iter().filter(|f| *f != to) {
                        let a = ecs::DeclaredAccess {
                            from: (*from).to_owned(),
                            to: (*to).to_owned(),
                            ports: rule.ports,
                            why: format!(
                                "allowed by security group {} ({}, from {source}, {})",
                                rule.group,
                                rule.origin,
                                ports_text(rule.ports)
                            ),
                        };
                        if !access.contains(&a) {
                            access.push(a);
                        }
                    }
                }
                // From a load balancer's group: the target group path, already in the model.
                if callers.is_empty() && !in_lb(source) && !declared(source) {
                    push(format!(
                        "{}: security group `{}` admits `{source}` on {}, a group the code does not declare (kept symbolic; no call read from it)",
                        rule.origin,
                        rule.group,
                        ports_text(rule.ports)
                    ));
                }
            }
            Peer::Cidr(range) => {
                for to in &targets {
                    push(format!(
                        "service {to}: its tasks are reachable from {range} on {} (security group {}, {})",
                        ports_text(rule.ports),
                        rule.group,
                        rule.origin
                    ));
                }
            }
            Peer::Other(what) => {
                for to in &targets {
                    push(format!(
                        "service {to}: security group {} admits {what} on {} ({}; not read as a call)",
                        rule.group,
                        ports_text(rule.ports),
                        rule.origin
                    ));
                }
            }
        }
    }
    (access, lines)
}

/// CloudFormation's Pascal-case property name as the ECS API's camel-case one.
#[must_use]
pub fn camel_key(key: &str) -> String {
    match key {
        "EFSVolumeConfiguration" => return "efsVolumeConfiguration".to_owned(),
        "FSxWindowsFileServerVolumeConfiguration" => {
            return "fsxWindowsFileServerVolumeConfiguration".to_owned();
        }
        "FilesystemId" => return "fileSystemId".to_owned(),
        "IAM" => return "iam".to_owned(),
        "ProxyConfigurationProperties" => return "properties".to_owned(),
        "PlacementStrategies" => return "placementStrategy".to_owned(),
        _ => {}
    }
    let chars: Vec<char> = key.chars().collect();
    let upper = chars.iter().take_while(|c| c.is_ascii_uppercase()).count();
    // `ECSManaged` → `ecsManaged`; `Cpu` → `cpu`; `IPC` → `ipc`.
    let lower = if upper > 1 && upper < chars.len() {
        upper - 1
    } else {
        upper.max(1)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < lower {
                c.to_ascii_lowercase()
            } else {
                *c
            }
        })
        .collect()
}

/// Keys whose values are maps of the user's own keys (labels, driver options): kept as written.
const USER_MAPS: &[&str] = &["DockerLabels", "Options", "DriverOpts", "Labels"];

/// A CloudFormation ECS resource's properties as the ECS API's JSON (keys in camel case).
#[must_use]
pub fn camel(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, item)| {
                    let item = if USER_MAPS.contains(&k.as_str()) {
                        item.clone()
                    } else {
                        camel(item)
                    };
                    (camel_key(k), item)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(camel).collect()),
        other => other.clone(),
    }
}

/// Fields the ECS API types as integers.
const INTEGERS: &[&str] = &[
    "cpu",
    "memory",
    "memoryReservation",
    "containerPort",
    "hostPort",
    "startTimeout",
    "stopTimeout",
    "interval",
    "timeout",
    "retries",
    "startPeriod",
    "softLimit",
    "hardLimit",
    "size",
    "sharedMemorySize",
    "maxSwap",
    "swappiness",
    "desiredCount",
    "healthCheckGracePeriodSeconds",
    "minimumHealthyPercent",
    "maximumPercent",
    "weight",
    "base",
    "transitEncryptionPort",
    "sizeInGiB",
    "Port",
    "HealthCheckIntervalSeconds",
    "HealthCheckTimeoutSeconds",
    "HealthyThresholdCount",
    "UnhealthyThresholdCount",
];

/// Fields the ECS API types as booleans.
const BOOLEANS: &[&str] = &[
    "essential",
    "readOnly",
    "privileged",
    "disableNetworking",
    "readonlyRootFilesystem",
    "interactive",
    "pseudoTerminal",
    "initProcessEnabled",
    "enableExecuteCommand",
    "enableECSManagedTags",
    "enable",
    "rollback",
    "autoprovision",
    "configuredAtLaunch",
];

/// Text where the API wants a number or a boolean (CloudFormation takes both as strings, and
/// parameters are strings) made the API's type. A task definition's own `cpu` and `memory` are
/// strings in the API: `task` says the object is one.
pub fn coerce(v: &mut Value, task: bool) {
    match v {
        Value::Object(m) => {
            for (k, item) in m.iter_mut() {
                if task && (k == "cpu" || k == "memory") {
                    if let Value::Number(n) = item {
                        *item = Value::String(n.to_string());
                    }
                    continue;
                }
                if INTEGERS.contains(&k.as_str())
                    && let Value::String(s) = item
                    && let Ok(n) = s.trim().parse::<i64>()
                {
                    *item = Value::from(n);
                } else if BOOLEANS.contains(&k.as_str())
                    && let Value::String(s) = item
                {
                    match s.to_ascii_lowercase().as_str() {
                        "true" => *item = Value::Bool(true),
                        "false" => *item = Value::Bool(false),
                        _ => {}
                    }
                }
                coerce(item, false);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| coerce(i, false)),
        _ => {}
    }
}

/// Remove the value at `place` (`a.b[2].c`) from `v`; whether there was one.
fn remove_place(v: &mut Value, place: &str) -> bool {
    let mut steps: Vec<Result<String, usize>> = Vec::new();
    for segment in place.split('.').filter(|s| !s.is_empty()) {
        let (key, indexes) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            steps.push(Ok(key.to_owned()));
        }
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            match index.parse() {
                Ok(i) => steps.push(Err(i)),
                Err(_) => return false,
            }
        }
    }
    let Some((last, path)) = steps.split_last() else {
        return false;
    };
    let mut at = v;
    for step in path {
        let next = match step {
            Ok(k) => at.get_mut(k.as_str()),
            Err(i) => at.get_mut(*i),
        };
        match next {
            Some(n) => at = n,
            None => return false,
        }
    }
    match (last, at) {
        (Ok(k), Value::Object(m)) => m.remove(k.as_str()).is_some(),
        (Err(i), Value::Array(items)) if *i < items.len() => {
            items.remove(*i);
            true
        }
        _ => false,
    }
}

fn file(r: &Resource) -> InputFile {
    InputFile::new(
        &r.origin,
        serde_json::to_string(&r.json).unwrap_or_default(),
    )
}

fn wrapped(key: &str, items: &[Resource]) -> Vec<InputFile> {
    if items.is_empty() {
        return Vec::new();
    }
    let list: Vec<Value> = items.iter().map(|r| r.json.clone()).collect();
    let mut m = Map::new();
    m.insert(key.to_owned(), Value::Array(list));
    vec![InputFile::new(
        format!(
            "{key} of {}",
            items[0].origin.split('#').next().unwrap_or_default()
        ),
        Value::Object(m).to_string(),
    )]
}

fn inputs(stack: &Stack) -> ecs::Inputs {
    ecs::Inputs {
        task_definitions: stack.task_definitions.iter().map(file).collect(),
        services: stack.services.iter().map(file).collect(),
        target_groups: wrapped("TargetGroups", &stack.target_groups),
        load_balancers: wrapped("LoadBalancers", &stack.load_balancers),
        file_systems: stack.file_systems.iter().map(|(_, d)| d.clone()).collect(),
        origins: origins(stack),
        listeners: stack.listeners.clone(),
        access: connections(&stack.security_groups).0,
    }
}

/// Each resource's origin by the name the model gives it.
fn origins(stack: &Stack) -> ecs::Origins {
    let table = |items: &[Resource]| {
        items
            .iter()
            .map(|r| (r.name.clone(), r.origin.clone()))
            .collect()
    };
    ecs::Origins {
        services: table(&stack.services),
        task_definitions: table(&stack.task_definitions),
        load_balancers: table(&stack.load_balancers),
        target_groups: table(&stack.target_groups),
        file_systems: stack
            .file_systems
            .iter()
            .map(|(o, d)| (d.name.clone(), o.clone()))
            .collect(),
    }
}

fn is_empty(stack: &Stack) -> bool {
    stack.task_definitions.is_empty()
        && stack.services.is_empty()
        && stack.target_groups.is_empty()
        && stack.load_balancers.is_empty()
        && stack.file_systems.is_empty()
}

/// Take out of the stack every value the ECS types cannot hold (a symbolic value where a number
/// or a list belongs), as the ECS importer finds them: the list of what was taken out, with the
/// stack's import (`None` for a stack with nothing to import).
fn clean(stack: &mut Stack) -> Result<(Vec<String>, Option<Imported>), Located> {
    let mut dropped = Vec::new();
    for _ in 0..200 {
        if is_empty(stack) {
            return Ok((dropped, None));
        }
        let e = match ecs::import(&inputs(stack)) {
            Ok(imported) => return Ok((dropped, Some(imported))),
            Err(e) => e,
        };
        let Some((place, why)) = e.message.split_once(": ") else {
            return Err(e);
        };
        let (place, why) = (place.to_owned(), why.to_owned());
        let mut removed = false;
        for r in stack
            .task_definitions
            .iter_mut()
            .chain(&mut stack.services)
            .filter(|r| r.origin == e.path)
        {
            removed = remove_place(&mut r.json, &place);
        }
        if !removed {
            for (key, list) in [
                ("TargetGroups", &mut stack.target_groups),
                ("LoadBalancers", &mut stack.load_balancers),
            ] {
                if let Some(rest) = place.strip_prefix(key)
                    && let Some((index, field)) = rest.trim_start_matches('[').split_once(']')
                    && let Ok(i) = index.parse::<usize>()
                    && let Some(r) = list.get_mut(i)
                {
                    removed = remove_place(&mut r.json, field);
                }
            }
        }
        if !removed {
            return Err(e);
        }
        dropped.push(format!("{}: {place} ({why})", e.path));
    }
    Err(Located::file(
        "import",
        "too many values the ECS types cannot hold",
    ))
}

/// Import a stack with the ECS importer; `command` names the importer in the model's header. A
/// value the ECS types cannot hold (a symbolic value where a number or a list belongs) is left
/// out and listed as not imported, so the import never fails on one.
///
/// # Errors
/// None in practice: the stack's JSON is made here; an error is returned as it came.
pub fn import(mut stack: Stack, command: &str) -> Result<Imported, Located> {
    let (dropped, imported) = clean(&mut stack)?;
    Ok(finish(
        imported.unwrap_or_else(empty_model),
        &stack,
        &dropped,
        command,
    ))
}

fn empty_model() -> Imported {
    let root = crate::interop::yaml_writer::Node::map()
        .with("version", crate::interop::yaml_writer::Node::Int(1))
        .with("name", crate::interop::yaml_writer::Node::str("stack"))
        .with(
            "services",
            crate::interop::yaml_writer::Node::Seq(Vec::new()),
        );
    Imported {
        yaml: crate::interop::yaml_writer::write(
            &root,
            &["Imported by `archflow import ecs`: no ECS services, load balancers or file systems"],
        ),
        ..Imported::default()
    }
}

fn finish(mut imported: Imported, stack: &Stack, dropped: &[String], command: &str) -> Imported {
    let mut extra: Vec<String> = Vec::new();
    let origins: Vec<String> = stack
        .services
        .iter()
        .map(|r| format!("service {}: {}", r.name, r.origin))
        .chain(
            stack
                .task_definitions
                .iter()
                .map(|r| format!("task definition {}: {}", r.name, r.origin)),
        )
        .chain(
            stack
                .load_balancers
                .iter()
                .map(|r| format!("load balancer {}: {}", r.name, r.origin)),
        )
        .chain(
            stack
                .target_groups
                .iter()
                .map(|r| format!("target group {}: {}", r.name, r.origin)),
        )
        .chain(
            stack
                .file_systems
                .iter()
                .map(|(o, d)| format!("file system {}: {o}", d.name)),
        )
        .collect();
    if !origins.is_empty() {
        extra.push("Imported from:".to_owned());
        extra.extend(origins.iter().map(|o| format!("- {o}")));
    }
    if !stack.symbolic.is_empty() {
        extra.push(
            "Symbolic (the template cannot say; kept as written, e.g. `!ImportValue X`):"
                .to_owned(),
        );
        extra.extend(stack.symbolic.iter().map(|s| format!("- {s}")));
    }
    let (_, security) = connections(&stack.security_groups);
    if !security.is_empty() {
        extra.push("Security groups (not in the model as calls):".to_owned());
        extra.extend(security.iter().map(|s| format!("- {s}")));
    }
    let mut not_imported = stack.not_imported.clone();
    not_imported.extend(dropped.iter().map(|d| format!("{d}: a symbolic value")));
    if !not_imported.is_empty() {
        extra.push("Not imported from the template:".to_owned());
        extra.extend(not_imported.iter().map(|s| format!("- {s}")));
    }
    let comment: String = extra
        .iter()
        .map(|l| {
            let l = crate::text::one_line(l);
            if l.is_empty() {
                "#\n".to_owned()
            } else {
                format!("# {l}\n")
            }
        })
        .collect();
    let yaml = imported.yaml.replacen("archflow import ecs", command, 1);
    // The extra header goes after the importer's header comment.
    let split = yaml
        .split_inclusive('\n')
        .take_while(|l| l.starts_with('#'))
        .map(str::len)
        .sum::<usize>();
    imported.yaml = format!("{}{comment}{}", &yaml[..split], &yaml[split..]);
    imported.not_imported.splice(0..0, not_imported);
    imported.guesses.extend(stack.guesses.iter().cloned());
    imported.notes.extend(stack.notes.iter().cloned());
    imported.notes.extend(security);
    imported
        .notes
        .extend(stack.symbolic.iter().map(|s| format!("symbolic: {s}")));
    imported
}

/// The stack as the deployed side of `archflow drift`: what the code declares.
///
/// # Errors
/// A resource the ECS types cannot read (its origin and the place).
pub fn deployed(stack: &Stack) -> Result<(Vec<Deployed>, Vec<DeployedService>), Located> {
    let mut stack = stack.clone();
    clean(&mut stack)?;
    let tasks = stack
        .task_definitions
        .iter()
        .map(|r| drift::read_deployed(&file(r)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut services = Vec::new();
    for r in &stack.services {
        services.extend(drift::read_deployed_services(&file(r))?);
    }
    Ok((tasks, services))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{camel, camel_key, coerce, remove_place};

    #[test]
    fn pascal_case_becomes_the_apis_camel_case() {
        for (from, to) in [
            ("ContainerDefinitions", "containerDefinitions"),
            ("Cpu", "cpu"),
            ("EFSVolumeConfiguration", "efsVolumeConfiguration"),
            ("FilesystemId", "fileSystemId"),
            ("EnableECSManagedTags", "enableECSManagedTags"),
            ("IAM", "iam"),
            ("PlacementStrategies", "placementStrategy"),
            ("IpcMode", "ipcMode"),
        ] {
            assert_eq!(camel_key(from), to);
        }
        assert_eq!(
            camel(
                &json!({"DockerLabels": {"Team": "a"}, "LogConfiguration": {"Options": {"Awslogs": 1}}})
            ),
            json!({"dockerLabels": {"Team": "a"}, "logConfiguration": {"options": {"Awslogs": 1}}})
        );
    }

    #[test]
    fn strings_become_the_apis_numbers_and_booleans() {
        let mut v = json!({"cpu": 256, "memory": "512", "containerDefinitions": [
            {"cpu": "10", "essential": "true", "memory": "x", "portMappings": [{"containerPort": "80"}]}
        ]});
        coerce(&mut v, true);
        assert_eq!(
            v,
            json!({"cpu": "256", "memory": "512", "containerDefinitions": [
                {"cpu": 10, "essential": true, "memory": "x", "portMappings": [{"containerPort": 80}]}
            ]})
        );
        assert!(remove_place(&mut v, "containerDefinitions[0].memory"));
        assert!(!remove_place(&mut v, "containerDefinitions[3].memory"));
        assert_eq!(v["containerDefinitions"][0].get("memory"), None);
    }
}
