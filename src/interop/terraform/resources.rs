//! Terraform's AWS resources (their attributes as JSON: `terraform show -json` values, or a
//! configuration's evaluated body, nested blocks as lists of objects) → the ECS JSON of a
//! [`Stack`].

use serde_json::{Map, Value};

use crate::interop::ecs::import::{DeclaredFileSystem, DeclaredListener};
use crate::interop::iac::{Ingress, Peer, Resource, Stack, coerce, rule_ports};

use super::eval::text;

/// The resource types read; every other type is listed as not imported.
pub const TYPES: &[&str] = &[
    "aws_ecs_cluster",
    "aws_ecs_task_definition",
    "aws_ecs_service",
    "aws_lb",
    "aws_alb",
    "aws_lb_listener",
    "aws_alb_listener",
    "aws_lb_listener_rule",
    "aws_alb_listener_rule",
    "aws_lb_target_group",
    "aws_alb_target_group",
    "aws_efs_file_system",
    "aws_efs_access_point",
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
];

/// Whether references to a resource of `kind` give its address rather than its name: listeners
/// (named by nothing else) and security groups (two groups may share a name in different VPCs).
#[must_use]
pub fn by_address(kind: &str) -> bool {
    kind.contains("listener") || kind == "aws_security_group"
}

/// Nested blocks Terraform allows once: one object, not a list.
const SINGLE: &[&str] = &[
    "efs_volume_configuration",
    "authorization_config",
    "docker_volume_configuration",
    "fsx_windows_file_server_volume_configuration",
    "runtime_platform",
    "ephemeral_storage",
    "proxy_configuration",
    "deployment_circuit_breaker",
    "deployment_controller",
    "health_check",
    "forward",
    "stickiness",
];

/// `snake_case` → `camelCase`.
#[must_use]
pub fn camel_key(key: &str) -> String {
    match key {
        "size_in_gib" => return "sizeInGiB".to_owned(),
        "enable_ecs_managed_tags" => return "enableECSManagedTags".to_owned(),
        _ => {}
    }
    let mut out = String::new();
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Attributes as the ECS API's JSON: keys in camel case, single blocks as objects.
#[must_use]
pub fn camel(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, item)| {
                    let item = match item {
                        Value::Array(a) if SINGLE.contains(&k.as_str()) => {
                            a.first().map_or(Value::Null, camel)
                        }
                        other => camel(other),
                    };
                    (camel_key(k), item)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(camel).collect()),
        other => other.clone(),
    }
}

/// The first object of a nested block (or the object itself).
fn block<'v>(m: &'v Map<String, Value>, key: &str) -> Option<&'v Map<String, Value>> {
    match m.get(key)? {
        Value::Array(a) => a.first()?.as_object(),
        Value::Object(o) => Some(o),
        _ => None,
    }
}

fn blocks<'v>(m: &'v Map<String, Value>, key: &str) -> Vec<&'v Map<String, Value>> {
    match m.get(key) {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(o)) => vec![o],
        _ => Vec::new(),
    }
}

/// A plain string (not symbolic).
fn known(v: Option<&Value>) -> Option<String> {
    let s = text(v?);
    (!s.is_empty() && !s.contains("${")).then_some(s)
}

/// What references to a resource give (its `arn`, `id`, `name`): its name in the model.
#[must_use]
pub fn model_name(kind: &str, label: &str, attrs: &Map<String, Value>) -> String {
    let key = match kind {
        "aws_ecs_task_definition" => "family",
        "aws_efs_file_system" | "aws_efs_access_point" => "",
        _ => "name",
    };
    (!key.is_empty())
        .then(|| known(attrs.get(key)))
        .flatten()
        .unwrap_or_else(|| label.to_owned())
}

/// Listeners by address and the target groups they forward to, while reading.
#[derive(Default)]
pub struct Links {
    /// Listener identity → its load balancer.
    pub listeners: Vec<(String, String)>,
    /// Listener identity → where it is declared.
    pub listener_origins: Vec<(String, String)>,
    /// (target group identity, load balancer identity).
    pub forwards: Vec<(String, String)>,
    /// (file system identity, access point name).
    pub access_points: Vec<(String, String)>,
}

fn forwarded(actions: &[&Map<String, Value>]) -> Vec<String> {
    let mut out = Vec::new();
    for a in actions {
        if let Some(tg) = known(a.get("target_group_arn")) {
            out.push(tg);
        }
        if let Some(f) = block(a, "forward") {
            for g in blocks(f, "target_group") {
                if let Some(tg) = known(g.get("arn")) {
                    out.push(tg);
                }
            }
        }
    }
    out
}

/// Add one resource to the stack. `identity` is what references to it give (an ARN in state,
/// the model name in a configuration).
#[allow(clippy::too_many_arguments)]
pub fn add(
    stack: &mut Stack,
    links: &mut Links,
    origin: &str,
    kind: &str,
    name: &str,
    identity: &str,
    attrs: &Map<String, Value>,
) {
    let copy = |from: &Map<String, Value>, to: &mut Map<String, Value>, keys: &[&str]| {
        for k in keys {
            if let Some(v) = from.get(*k).filter(|v| !v.is_null()) {
                let v = match v {
                    Value::Array(a) if SINGLE.contains(k) => a.first().map_or(Value::Null, camel),
                    other => camel(other),
                };
                to.insert(camel_key(k), v);
            }
        }
    };
    match kind {
        "aws_ecs_task_definition" => {
            let mut td = Map::new();
            td.insert("family".into(), Value::String(name.to_owned()));
            let containers = match attrs.get("container_definitions") {
                Some(Value::String(s)) => {
                    if let Ok(v @ Value::Array(_)) = serde_json::from_str::<Value>(s) {
                        v
                    } else {
                        stack.not_imported.push(format!(
                            "{origin}: task definition {name}: container_definitions is not a \
                             JSON array once evaluated"
                        ));
                        return;
                    }
                }
                Some(v @ Value::Array(_)) => v.clone(),
                other => {
                    stack.not_imported.push(format!(
                        "{origin}: task definition {name}: container_definitions {} cannot \
                         be read (a service that runs it gets one that says so)",
                        other.map(text).unwrap_or_default()
                    ));
                    return;
                }
            };
            td.insert("containerDefinitions".into(), containers);
            copy(
                attrs,
                &mut td,
                &[
                    "cpu",
                    "memory",
                    "network_mode",
                    "requires_compatibilities",
                    "execution_role_arn",
                    "task_role_arn",
                    "pid_mode",
                    "ipc_mode",
                    "runtime_platform",
                    "ephemeral_storage",
                    "proxy_configuration",
                ],
            );
            let volumes: Vec<Value> = blocks(attrs, "volume")
                .into_iter()
                .map(|v| {
                    let mut out = Map::new();
                    copy(
                        v,
                        &mut out,
                        &[
                            "name",
                            "efs_volume_configuration",
                            "docker_volume_configuration",
                            "fsx_windows_file_server_volume_configuration",
                            "configure_at_launch",
                        ],
                    );
                    if let Some(p) = v.get("host_path").filter(|p| !p.is_null()) {
                        let mut host = Map::new();
                        host.insert("sourcePath".into(), p.clone());
                        out.insert("host".into(), Value::Object(host));
                    }
                    Value::Object(out)
                })
                .collect();
            if !volumes.is_empty() {
                td.insert("volumes".into(), Value::Array(volumes));
            }
            if let Some(Value::Object(tags)) = attrs.get("tags") {
                let list = tags
                    .iter()
                    .map(|(k, v)| serde_json::json!({"key": k, "value": text(v)}))
                    .collect();
                td.insert("tags".into(), Value::Array(list));
            }
            let mut json = Value::Object(td);
            coerce(&mut json, true);
            stack.task_definitions.push(Resource {
                origin: origin.to_owned(),
                name: name.to_owned(),
                json,
            });
        }
        "aws_ecs_service" => {
            let mut s = Map::new();
            s.insert("serviceName".into(), Value::String(name.to_owned()));
            copy(
                attrs,
                &mut s,
                &[
                    "cluster",
                    "task_definition",
                    "desired_count",
                    "launch_type",
                    "platform_version",
                    "scheduling_strategy",
                    "health_check_grace_period_seconds",
                    "enable_execute_command",
                    "propagate_tags",
                    "enable_ecs_managed_tags",
                    "capacity_provider_strategy",
                ],
            );
            if let Some(role) = attrs.get("iam_role").filter(|v| !v.is_null()) {
                s.insert("role".into(), role.clone());
            }
            let lbs: Vec<Value> = blocks(attrs, "load_balancer")
                .into_iter()
                .map(|l| camel(&Value::Object(l.clone())))
                .collect();
            if !lbs.is_empty() {
                s.insert("loadBalancers".into(), Value::Array(lbs));
            }
            let groups = block(attrs, "network_configuration")
                .map(|n| group_list(n.get("security_groups")))
                .unwrap_or_default();
            stack
                .security_groups
                .services
                .push((name.to_owned(), groups));
            if let Some(n) = block(attrs, "network_configuration") {
                let mut a = Map::new();
                copy(n, &mut a, &["subnets", "security_groups"]);
                if let Some(p) = n.get("assign_public_ip") {
                    let on = matches!(p, Value::Bool(true)) || text(p).eq_ignore_ascii_case("true");
                    a.insert(
                        "assignPublicIp".into(),
                        Value::String(if on { "ENABLED" } else { "DISABLED" }.into()),
                    );
                }
                s.insert(
                    "networkConfiguration".into(),
                    serde_json::json!({ "awsvpcConfiguration": a }),
                );
            }
            let mut d = Map::new();
            for (from, to) in [
                (
                    "deployment_minimum_healthy_percent",
                    "minimumHealthyPercent",
                ),
                ("deployment_maximum_percent", "maximumPercent"),
            ] {
                if let Some(v) = attrs.get(from).filter(|v| !v.is_null()) {
                    d.insert(to.into(), v.clone());
                }
            }
            if !d.is_empty() {
                s.insert("deploymentConfiguration".into(), Value::Object(d));
            }
            let mut json = Value::Object(s);
            coerce(&mut json, false);
            stack.services.push(Resource {
                origin: origin.to_owned(),
                name: name.to_owned(),
                json,
            });
        }
        "aws_lb" | "aws_alb" => {
            let internal = attrs
                .get("internal")
                .is_some_and(|v| matches!(v, Value::Bool(true)) || text(v) == "true");
            let mut lb = Map::new();
            lb.insert("LoadBalancerName".into(), Value::String(name.to_owned()));
            lb.insert("LoadBalancerArn".into(), Value::String(identity.to_owned()));
            lb.insert(
                "Scheme".into(),
                Value::String(
                    if internal {
                        "internal"
                    } else {
                        "internet-facing"
                    }
                    .into(),
                ),
            );
            if let Some(t) = known(attrs.get("load_balancer_type")) {
                lb.insert("Type".into(), Value::String(t));
            }
            stack
                .security_groups
                .load_balancers
                .push((name.to_owned(), group_list(attrs.get("security_groups"))));
            stack.load_balancers.push(Resource {
                origin: origin.to_owned(),
                name: name.to_owned(),
                json: Value::Object(lb),
            });
        }
        "aws_lb_target_group" | "aws_alb_target_group" => {
            let mut tg = Map::new();
            tg.insert("TargetGroupName".into(), Value::String(name.to_owned()));
            tg.insert("TargetGroupArn".into(), Value::String(identity.to_owned()));
            for (from, to) in [
                ("port", "Port"),
                ("protocol", "Protocol"),
                ("target_type", "TargetType"),
            ] {
                if let Some(v) = attrs.get(from).filter(|v| !v.is_null()) {
                    tg.insert(to.into(), v.clone());
                }
            }
            if let Some(h) = block(attrs, "health_check") {
                for (from, to) in [
                    ("path", "HealthCheckPath"),
                    ("port", "HealthCheckPort"),
                    ("protocol", "HealthCheckProtocol"),
                    ("interval", "HealthCheckIntervalSeconds"),
                    ("timeout", "HealthCheckTimeoutSeconds"),
                    ("healthy_threshold", "HealthyThresholdCount"),
                    ("unhealthy_threshold", "UnhealthyThresholdCount"),
                ] {
                    if let Some(v) = h.get(from).filter(|v| !v.is_null()) {
                        let v = if to == "HealthCheckPort" {
                            Value::String(text(v))
                        } else {
                            v.clone()
                        };
                        tg.insert(to.into(), v);
                    }
                }
                if let Some(m) = known(h.get("matcher")) {
                    tg.insert("Matcher".into(), serde_json::json!({ "HttpCode": m }));
                }
            }
            let mut json = Value::Object(tg);
            coerce(&mut json, false);
            stack.target_groups.push(Resource {
                origin: origin.to_owned(),
                name: name.to_owned(),
                json,
            });
        }
        "aws_lb_listener" | "aws_alb_listener" => {
            let lb = known(attrs.get("load_balancer_arn")).unwrap_or_default();
            links.listeners.push((identity.to_owned(), lb.clone()));
            let default_target_groups = forwarded(&blocks(attrs, "default_action"));
            for tg in &default_target_groups {
                links.forwards.push((tg.clone(), lb.clone()));
            }
            stack.listeners.push(DeclaredListener {
                load_balancer: lb,
                port: known(attrs.get("port")).and_then(|p| p.trim().parse().ok()),
                protocol: known(attrs.get("protocol")),
                default_target_groups,
                rule_target_groups: Vec::new(),
                origin: origin.to_owned(),
            });
            links
                .listener_origins
                .push((identity.to_owned(), origin.to_owned()));
        }
        "aws_lb_listener_rule" | "aws_alb_listener_rule" => {
            let listener = known(attrs.get("listener_arn")).unwrap_or_default();
            if let Some((_, lb)) = links.listeners.iter().find(|(l, _)| *l == listener) {
                let lb = lb.clone();
                let targets = forwarded(&blocks(attrs, "action"));
                for tg in &targets {
                    links.forwards.push((tg.clone(), lb.clone()));
                }
                let at = links
                    .listener_origins
                    .iter()
                    .find(|(l, _)| *l == listener)
                    .map(|(_, o)| o.clone());
                if let Some(l) = stack
                    .listeners
                    .iter_mut()
                    .find(|l| Some(&l.origin) == at.as_ref())
                {
                    l.rule_target_groups.extend(targets);
                }
            }
        }
        "aws_efs_file_system" => {
            let encrypted = attrs.get("encrypted").and_then(|v| match v {
                Value::Bool(b) => Some(*b),
                other => text(other).parse().ok(),
            });
            stack.file_systems.push((
                origin.to_owned(),
                DeclaredFileSystem {
                    name: identity.to_owned(),
                    encrypted,
                    performance_mode: known(attrs.get("performance_mode")),
                    throughput_mode: known(attrs.get("throughput_mode")),
                    access_points: Vec::new(),
                },
            ));
        }
        "aws_efs_access_point" => {
            let fs = known(attrs.get("file_system_id")).unwrap_or_default();
            links.access_points.push((fs, identity.to_owned()));
        }
        "aws_security_group" => {
            let sg = &mut stack.security_groups;
            sg.groups.push((identity.to_owned(), origin.to_owned()));
            for rule in blocks(attrs, "ingress") {
                sg.ingress.extend(ingress(origin, identity, rule));
            }
        }
        "aws_security_group_rule" => {
            if attrs.get("type").map(text).as_deref() == Some("ingress") {
                let group = attrs.get("security_group_id").map(text).unwrap_or_default();
                let ingress = ingress(origin, &group, attrs);
                stack.security_groups.ingress.extend(ingress);
            } else {
                stack.not_imported.push(format!(
                    "{origin}: an egress rule (egress is not read: ingress rules say who may \
                     call whom)"
                ));
            }
        }
        "aws_vpc_security_group_ingress_rule" => {
            let group = attrs.get("security_group_id").map(text).unwrap_or_default();
            let ingress = ingress(origin, &group, attrs);
            stack.security_groups.ingress.extend(ingress);
        }
        "aws_ecs_cluster" => stack.notes.push(format!(
            "{origin}: cluster `{name}` (in the model through the services that run in it)"
        )),
        _ => {}
    }
}

/// A list of security groups as references give them (or one value that stands for a list).
fn group_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().map(text).collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![text(other)],
    }
}

/// The ingress rules of an `ingress` block, an `aws_security_group_rule` or an
/// `aws_vpc_security_group_ingress_rule` into `group`: one per source (groups, `self`, address
/// ranges, prefix lists); none for a rule that carries no calls (ICMP).
fn ingress(origin: &str, group: &str, rule: &Map<String, Value>) -> Vec<Ingress> {
    let number = |key: &str| {
        rule.get(key).and_then(|v| match v {
            Value::Number(n) => n.as_i64(),
            other => text(other).trim().parse().ok(),
        })
    };
    let protocol = rule
        .get("protocol")
        .or_else(|| rule.get("ip_protocol"))
        .map(text)
        .unwrap_or_default();
    let Some(ports) = rule_ports(&protocol, number("from_port"), number("to_port")) else {
        return Vec::new();
    };
    let mut sources: Vec<Peer> = Vec::new();
    for key in [
        "security_groups",
        "source_security_group_id",
        "referenced_security_group_id",
    ] {
        sources.extend(group_list(rule.get(key)).into_iter().map(Peer::Group));
    }
    if rule
        .get("self")
        .is_some_and(|v| matches!(v, Value::Bool(true)) || text(v) == "true")
    {
        sources.push(Peer::Group(group.to_owned()));
    }
    for key in ["cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"] {
        sources.extend(group_list(rule.get(key)).into_iter().map(Peer::Cidr));
    }
    for key in ["prefix_list_ids", "prefix_list_id"] {
        sources.extend(
            group_list(rule.get(key))
                .into_iter()
                .map(|p| Peer::Other(format!("prefix list {p}"))),
        );
    }
    sources
        .into_iter()
        .filter(|p| !matches!(p, Peer::Group(g) | Peer::Cidr(g) if g.is_empty()))
        .map(|source| Ingress {
            origin: origin.to_owned(),
            group: group.to_owned(),
            source,
            ports,
        })
        .collect()
}

/// Once every resource is read: target groups' load balancers, file systems' access points.
pub fn link(stack: &mut Stack, links: &Links) {
    for tg in &mut stack.target_groups {
        let arn = tg.json.get("TargetGroupArn").map(text).unwrap_or_default();
        let mut lbs: Vec<Value> = Vec::new();
        for (t, lb) in &links.forwards {
            if (*t == arn || *t == tg.name) && !lb.is_empty() {
                let v = Value::String(lb.clone());
                if !lbs.contains(&v) {
                    lbs.push(v);
                }
            }
        }
        if !lbs.is_empty()
            && let Value::Object(m) = &mut tg.json
        {
            m.insert("LoadBalancerArns".into(), Value::Array(lbs));
        }
    }
    for (fs, ap) in &links.access_points {
        match stack.file_systems.iter_mut().find(|(_, d)| d.name == *fs) {
            Some((_, d)) => d.access_points.push(ap.clone()),
            None => stack.notes.push(format!(
                "access point {ap} of file system {fs}, which the configuration does not declare"
            )),
        }
    }
}
