//! `archflow import cloudformation` and `drift --cloudformation`: CloudFormation templates (YAML
//! with short-form tags, JSON, CDK's `cdk synth` output) → the ECS JSON of a
//! [`crate::interop::iac::Stack`].
//!
//! [`yaml`] reads a template into its JSON form; [`intrinsics`] evaluates `Ref`, `Fn::Sub`,
//! conditions, mappings and the rest from parameters' defaults and `--parameter` values; this
//! file maps the resources: `AWS::ECS::TaskDefinition` and `AWS::ECS::Service` (their properties
//! are the ECS API's fields in Pascal case), `AWS::ElasticLoadBalancingV2::TargetGroup` and
//! `LoadBalancer` (with the target groups' load balancers found through `Listener` and
//! `ListenerRule`), `AWS::EFS::FileSystem` and `AccessPoint`; security groups
//! (`AWS::EC2::SecurityGroup` with its inline `SecurityGroupIngress`, `SecurityGroupIngress`)
//! into the stack's [`crate::interop::iac::SecurityGroups`], with the groups services and load
//! balancers are in; nested stacks (`AWS::CloudFormation::Stack`) whose `TemplateURL` is local,
//! read through [`Files`] ([`read_with`]). Every other resource is listed as not imported, by
//! type; a resource whose condition is false is left out and said so.

pub mod intrinsics;
pub mod yaml;

use indexmap::IndexMap;
use serde_json::Value;

use crate::error::Located;
use crate::interop::ecs::import::{DeclaredFileSystem, DeclaredListener};
use crate::interop::iac::{Ingress, Peer, Resource, Stack, camel, coerce, rule_ports};
use intrinsics::{Resolver, Scope, scalar_text};

/// One template: its path (for messages and origins) and text.
#[derive(Clone, Debug)]
pub struct Template {
    pub path: String,
    pub text: String,
}

/// Resource types that are read: the rest are listed as not imported.
const ECS_TYPES: &[&str] = &[
    "AWS::ECS::TaskDefinition",
    "AWS::ECS::Service",
    "AWS::ECS::Cluster",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::EFS::FileSystem",
    "AWS::EFS::AccessPoint",
];

/// The target group properties that are imported.
const TARGET_GROUP_KEYS: [&str; 11] = [
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
];

/// The property that names a resource of a type, where the template may give one.
fn name_property(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "AWS::ECS::TaskDefinition" => "Family",
        "AWS::ECS::Service" => "ServiceName",
        "AWS::ECS::Cluster" => "ClusterName",
        "AWS::ElasticLoadBalancingV2::LoadBalancer"
        | "AWS::ElasticLoadBalancingV2::TargetGroup" => "Name",
        _ => return None,
    })
}

/// The templates nested stacks name by a local `TemplateURL`, as the CLI reads them.
pub trait Files {
    /// The text of a template.
    ///
    /// # Errors
    /// Why it cannot be read.
    fn read(&self, path: &str) -> Result<String, String>;
}

/// No files: every nested stack is listed as not imported.
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("{path} is not read"))
    }
}

/// How many levels of nested stacks below a given template are followed.
pub const MAX_NESTING: usize = 5;

/// Read templates (`parameters` override the defaults) into one stack; nested stacks are listed
/// as not imported.
///
/// # Errors
/// A template that is not YAML or JSON, or not an object: the file and the place.
pub fn read(templates: &[Template], parameters: &[(String, String)]) -> Result<Stack, Located> {
    read_with(templates, parameters, &NoFiles)
}

/// Read templates into one stack, following nested stacks (`AWS::CloudFormation::Stack`) whose
/// `TemplateURL` is a local path: the nested template is read through `files`, relative to its
/// parent's folder, with the nested stack's `Parameters` as its parameters, up to
/// [`MAX_NESTING`] levels; a template already being read (a cycle) or already given is not read
/// again. Its resources' origins are the nested template's own path and logical id
/// (`services/api.yaml#Service`), the file to edit; a note says which nested stack read it.
/// Remote URLs (`https://`, `s3://`) and ones the template cannot resolve are listed as not
/// imported.
///
/// # Errors
/// A template (nested ones too) that is not YAML or JSON, or not an object: the file and the
/// place.
pub fn read_with(
    templates: &[Template],
    parameters: &[(String, String)],
    files: &dyn Files,
) -> Result<Stack, Located> {
    let mut stack = Stack::default();
    let given: Vec<String> = templates.iter().map(|t| normal(&t.path)).collect();
    for t in templates {
        let mut reader = Nesting {
            files,
            given: &given,
            chain: Vec::new(),
        };
        reader.read(&mut stack, t, parameters)?;
    }
    Ok(stack)
}

/// A path with `.` and `..` taken out, for telling templates apart.
fn normal(path: &str) -> String {
    crate::interop::terraform::join("", path)
}

/// Where nested stacks are read from, and the templates being read (outermost first).
struct Nesting<'a> {
    files: &'a dyn Files,
    given: &'a [String],
    chain: Vec<String>,
}

impl Nesting<'_> {
    fn read(
        &mut self,
        stack: &mut Stack,
        t: &Template,
        given: &[(String, String)],
    ) -> Result<(), Located> {
        self.chain.push(normal(&t.path));
        let nested = read_one(stack, t, given)?;
        for n in nested {
            self.nested(stack, t, &n)?;
        }
        self.chain.pop();
        Ok(())
    }

    /// One nested stack of template `t`: read its template if it is local and may be read.
    fn nested(&mut self, stack: &mut Stack, t: &Template, n: &Nested) -> Result<(), Located> {
        let at = format!("{}#{}", t.path, n.id);
        let url = n.url.trim();
        let remote = ["http://", "https://", "s3://"]
            .iter()
            .any(|p| url.to_ascii_lowercase().starts_with(p));
        let why = if url.is_empty() || url.starts_with('!') || url.contains("${") {
            Some("its TemplateURL cannot be resolved".to_owned())
        } else if remote {
            Some("a remote template: import it too, give it as another TEMPLATE".to_owned())
        } else {
            None
        };
        if let Some(why) = why {
            stack
                .not_imported
                .push(format!("{at}: nested stack {url} ({why})"));
            return Ok(());
        }
        let dir = t.path.rsplit_once('/').map_or("", |(d, _)| d);
        let path = crate::interop::terraform::join(dir, url);
        let key = normal(&path);
        let skip = if self.chain.contains(&key) {
            Some(format!("a cycle: {path} is already being read"))
        } else if self.given.contains(&key) {
            Some(format!("{path} is given as a TEMPLATE and read as one"))
        } else if self.chain.len() > MAX_NESTING {
            Some(format!("nested deeper than {MAX_NESTING} levels"))
        } else {
            None
        };
        if let Some(why) = skip {
            stack
                .not_imported
                .push(format!("{at}: nested stack {path} not read ({why})"));
            return Ok(());
        }
        let text = match self.files.read(&path) {
            Ok(text) => text,
            Err(e) => {
                stack.not_imported.push(format!(
                    "{at}: nested stack {path} not read ({})",
                    crate::text::one_line(&e)
                ));
                return Ok(());
            }
        };
        stack.notes.push(format!(
            "{at}: nested stack, read from {path} (its resources' origins name that file)"
        ));
        for (k, v) in &n.parameters {
            if v.starts_with('!') || v.contains("${") {
                stack.symbolic.push(format!("{at}: parameter {k} = {v}"));
            }
        }
        let child = Template { path, text };
        self.read(stack, &child, &n.parameters)
    }
}

/// A nested stack a template declares: its logical id, its resolved `TemplateURL` and the
/// parameters it passes (with the parent's pseudo parameters).
struct Nested {
    id: String,
    url: String,
    parameters: Vec<(String, String)>,
}

/// Read one template into the stack; its nested stacks, to read next.
fn read_one(
    stack: &mut Stack,
    t: &Template,
    given: &[(String, String)],
) -> Result<Vec<Nested>, Located> {
    let template = yaml::parse(&t.path, &t.text)?;
    let Value::Object(top) = &template else {
        return Err(Located::file(
            &t.path,
            "expected a CloudFormation template: an object with `Resources`",
        ));
    };
    let Some(Value::Object(resources)) = top.get("Resources") else {
        return Err(Located::file(
            &t.path,
            "expected a CloudFormation template: it has no `Resources` object",
        ));
    };
    let object = |key: &str| match top.get(key) {
        Some(Value::Object(m)) => m.clone(),
        _ => serde_json::Map::new(),
    };
    let mut scope = Scope {
        mappings: object("Mappings"),
        conditions: object("Conditions"),
        ..Scope::default()
    };
    // Parameters: given, else their defaults (lists split at commas), else symbolic.
    for (name, p) in &object("Parameters") {
        let given = given
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone());
        let kind = p.get("Type").and_then(Value::as_str).unwrap_or_default();
        let value = match given {
            Some(v) => Some(Value::String(v)),
            None => p.get("Default").cloned(),
        };
        let Some(value) = value else { continue };
        let value = if kind.starts_with("List<") || kind == "CommaDelimitedList" {
            match value {
                Value::String(s) => Value::Array(
                    s.split(',')
                        .map(|p| Value::String(p.trim().to_owned()))
                        .collect(),
                ),
                other => other,
            }
        } else {
            value
        };
        scope.parameters.insert(name.clone(), value);
    }
    for (k, v) in given {
        if k.starts_with("AWS::") {
            scope.parameters.insert(k.clone(), Value::String(v.clone()));
        }
    }
    if !scope.parameters.contains_key("AWS::StackName") {
        let stem = crate::interop::ecs::import::name_from_path(&t.path);
        scope
            .parameters
            .insert("AWS::StackName".to_owned(), Value::String(stem.clone()));
        stack.guesses.push(format!(
            "{}: AWS::StackName taken as `{stem}` (the file's name; give --parameter AWS::StackName=NAME)",
            t.path
        ));
    }
    scope.logical_ids = resources.keys().cloned().collect();

    // Names of the resources references resolve to (a name property that is a plain value, else
    // the logical id), then everything else.
    let mut kinds: IndexMap<String, String> = IndexMap::new();
    for (id, r) in resources {
        let kind = r.get("Type").and_then(Value::as_str).unwrap_or_default();
        kinds.insert(id.clone(), kind.to_owned());
        if ECS_TYPES.contains(&kind) || kind == "AWS::EFS::MountTarget" {
            scope
                .resources
                .insert(id.clone(), Value::String(id.clone()));
        }
    }
    {
        let names: Vec<(String, Value)> = {
            let mut r = Resolver::new(&scope);
            resources
                .iter()
                .filter_map(|(id, res)| {
                    let property = name_property(&kinds[id])?;
                    let raw = res.get("Properties")?.get(property)?;
                    match r.resolve(id, raw) {
                        Some(Value::String(s)) if !s.starts_with('!') && !s.contains("${") => {
                            Some((id.clone(), Value::String(s)))
                        }
                        _ => None,
                    }
                })
                .collect()
        };
        for (id, name) in names {
            scope.resources.insert(id, name);
        }
    }

    let mut r = Resolver::new(&scope);
    // Security groups' own properties, resolved apart: what stays symbolic in them is said
    // where the groups are read (`iac::connections`), not in the symbolic list.
    let mut groups_resolver = Resolver::new(&scope);
    let group_ids: Vec<String> = kinds
        .iter()
        .filter(|(_, k)| k.as_str() == "AWS::EC2::SecurityGroup")
        .map(|(id, _)| id.clone())
        .collect();
    let mut skipped: IndexMap<String, usize> = IndexMap::new();
    // Listener logical id → its load balancer's name; target group name → load balancers.
    let mut listeners: IndexMap<String, String> = IndexMap::new();
    let mut tg_lbs: IndexMap<String, Vec<String>> = IndexMap::new();
    let mut rules: Vec<(String, Value)> = Vec::new();
    let mut access_points: Vec<(String, String)> = Vec::new();
    let mut nested: Vec<Nested> = Vec::new();
    let origin = |id: &str| format!("{}#{id}", t.path);
    for (id, res) in resources {
        let kind = kinds[id].as_str();
        if let Some(c) = res.get("Condition").and_then(Value::as_str) {
            match r.condition(c) {
                Some(false) => {
                    stack.notes.push(format!(
                        "{}: not created (condition {c} is false), not imported",
                        origin(id)
                    ));
                    continue;
                }
                None => stack.guesses.push(format!(
                    "{}: condition {c} could not be evaluated; imported as if true",
                    origin(id)
                )),
                Some(true) => {}
            }
        }
        if matches!(
            kind,
            "AWS::EC2::SecurityGroup" | "AWS::EC2::SecurityGroupIngress"
        ) {
            let properties = res
                .get("Properties")
                .and_then(|p| groups_resolver.resolve(&format!("{id}.Properties"), p))
                .unwrap_or(Value::Null);
            let sg = &mut stack.security_groups;
            if kind == "AWS::EC2::SecurityGroup" {
                sg.groups.push((id.clone(), origin(id)));
                for rule in properties
                    .get("SecurityGroupIngress")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    sg.ingress
                        .extend(ingress(origin(id), id.clone(), rule, &group_ids));
                }
            } else {
                let group = properties
                    .get("GroupId")
                    .or_else(|| properties.get("GroupName"))
                    .map(|g| group_name(g, &group_ids))
                    .unwrap_or_default();
                sg.ingress
                    .extend(ingress(origin(id), group, &properties, &group_ids));
            }
            continue;
        }
        if !ECS_TYPES.contains(&kind) && kind != "AWS::CloudFormation::Stack" {
            let why = if kind == "AWS::EC2::SecurityGroupEgress" {
                format!("{kind} (egress is not read: ingress rules say who may call whom)")
            } else {
                kind.to_owned()
            };
            *skipped.entry(why).or_default() += 1;
            continue;
        }
        // Of a load balancer and a target group, only what is imported (not subnets, …).
        let keep: &[&str] = match kind {
            "AWS::ElasticLoadBalancingV2::LoadBalancer" => &["Scheme", "Type"],
            "AWS::ElasticLoadBalancingV2::TargetGroup" => &TARGET_GROUP_KEYS,
            _ => &[],
        };
        let raw = res.get("Properties").map(|p| match p {
            Value::Object(m) if !keep.is_empty() => Value::Object(
                m.iter()
                    .filter(|(k, _)| keep.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            other => other.clone(),
        });
        let properties = raw
            .as_ref()
            .and_then(|p| r.resolve(&format!("{id}.Properties"), p))
            .unwrap_or_else(|| Value::Object(serde_json::Map::new()));
        let name = scalar_text(scope.resources.get(id));
        match kind {
            "AWS::ECS::TaskDefinition" => {
                let mut json = camel(&properties);
                coerce(&mut json, true);
                if let Value::Object(m) = &mut json {
                    m.insert("family".to_owned(), Value::String(name.clone()));
                }
                stack.task_definitions.push(Resource {
                    origin: origin(id),
                    name,
                    json,
                });
            }
            "AWS::ECS::Service" => {
                let mut json = camel(&properties);
                coerce(&mut json, false);
                if let Value::Object(m) = &mut json {
                    m.insert("serviceName".to_owned(), Value::String(name.clone()));
                }
                let groups = properties
                    .get("NetworkConfiguration")
                    .and_then(|n| n.get("AwsvpcConfiguration"))
                    .and_then(|a| a.get("SecurityGroups"));
                stack
                    .security_groups
                    .services
                    .push((name.clone(), group_list(groups, &group_ids)));
                stack.services.push(Resource {
                    origin: origin(id),
                    name,
                    json,
                });
            }
            "AWS::ECS::Cluster" => {
                stack.notes.push(format!(
                    "{}: cluster `{name}` (in the model through the services that run in it)",
                    origin(id)
                ));
            }
            "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
                let mut json = serde_json::Map::new();
                json.insert("LoadBalancerName".into(), Value::String(name.clone()));
                json.insert("LoadBalancerArn".into(), Value::String(name.clone()));
                for key in ["Scheme", "Type"] {
                    if let Some(v) = properties.get(key) {
                        json.insert(key.into(), v.clone());
                    }
                }
                let groups = res
                    .get("Properties")
                    .and_then(|p| p.get("SecurityGroups"))
                    .and_then(|g| groups_resolver.resolve(&format!("{id}.SecurityGroups"), g));
                stack
                    .security_groups
                    .load_balancers
                    .push((name.clone(), group_list(groups.as_ref(), &group_ids)));
                stack.load_balancers.push(Resource {
                    origin: origin(id),
                    name,
                    json: Value::Object(json),
                });
            }
            "AWS::ElasticLoadBalancingV2::TargetGroup" => {
                let mut json = serde_json::Map::new();
                json.insert("TargetGroupName".into(), Value::String(name.clone()));
                json.insert("TargetGroupArn".into(), Value::String(name.clone()));
                for key in TARGET_GROUP_KEYS {
                    if let Some(v) = properties.get(key) {
                        json.insert(key.into(), v.clone());
                    }
                }
                let mut json = Value::Object(json);
                coerce(&mut json, false);
                stack.target_groups.push(Resource {
                    origin: origin(id),
                    name,
                    json,
                });
            }
            "AWS::ElasticLoadBalancingV2::Listener" => {
                let lb = scalar_text(properties.get("LoadBalancerArn"));
                listeners.insert(id.clone(), lb.clone());
                let default_target_groups = forwarded(properties.get("DefaultActions"));
                for tg in &default_target_groups {
                    tg_lbs.entry(tg.clone()).or_default().push(lb.clone());
                }
                let port = properties.get("Port").and_then(|p| match p {
                    Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                });
                let protocol = properties
                    .get("Protocol")
                    .map(|v| scalar_text(Some(v)))
                    .filter(|s| !s.starts_with('!') && !s.contains("${"));
                stack.listeners.push(DeclaredListener {
                    load_balancer: lb,
                    port,
                    protocol,
                    default_target_groups,
                    rule_target_groups: Vec::new(),
                    origin: origin(id),
                });
            }
            "AWS::ElasticLoadBalancingV2::ListenerRule" => {
                rules.push((id.clone(), properties));
            }
            "AWS::EFS::FileSystem" => {
                let text = |k: &str| {
                    properties
                        .get(k)
                        .map(|v| scalar_text(Some(v)))
                        .filter(|s| !s.starts_with('!'))
                };
                let encrypted = properties.get("Encrypted").and_then(|v| match v {
                    Value::Bool(b) => Some(*b),
                    Value::String(s) => s.parse().ok(),
                    _ => None,
                });
                stack.file_systems.push((
                    origin(id),
                    DeclaredFileSystem {
                        name,
                        encrypted,
                        performance_mode: text("PerformanceMode"),
                        throughput_mode: text("ThroughputMode"),
                        access_points: Vec::new(),
                    },
                ));
            }
            "AWS::EFS::AccessPoint" => {
                access_points.push((scalar_text(properties.get("FileSystemId")), name));
            }
            "AWS::CloudFormation::Stack" => {
                let mut parameters: Vec<(String, String)> = given
                    .iter()
                    .filter(|(k, _)| k.starts_with("AWS::") && k != "AWS::StackName")
                    .cloned()
                    .collect();
                for (k, v) in properties
                    .get("Parameters")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let v = match v {
                        Value::Array(items) => items
                            .iter()
                            .map(|i| scalar_text(Some(i)))
                            .collect::<Vec<_>>()
                            .join(","),
                        other => scalar_text(Some(other)),
                    };
                    parameters.push((k.clone(), v));
                }
                nested.push(Nested {
                    id: id.clone(),
                    url: scalar_text(properties.get("TemplateURL")),
                    parameters,
                });
            }
            _ => {}
        }
    }
    for (_, properties) in rules {
        let listener = scalar_text(properties.get("ListenerArn"));
        let Some(lb) = listeners.get(&listener) else {
            continue;
        };
        let targets = forwarded(properties.get("Actions"));
        for tg in &targets {
            tg_lbs.entry(tg.clone()).or_default().push(lb.clone());
        }
        if let Some(l) = stack
            .listeners
            .iter_mut()
            .find(|l| l.origin == origin(&listener))
        {
            l.rule_target_groups.extend(targets);
        }
    }
    for tg in &mut stack.target_groups {
        if let Some(lbs) = tg_lbs.get(&tg.name)
            && let Value::Object(m) = &mut tg.json
        {
            let mut lbs = lbs.clone();
            lbs.dedup();
            m.insert(
                "LoadBalancerArns".into(),
                Value::Array(lbs.into_iter().map(Value::String).collect()),
            );
        }
    }
    for (fs, ap) in access_points {
        match stack.file_systems.iter_mut().find(|(_, d)| d.name == fs) {
            Some((_, d)) => d.access_points.push(ap),
            None => stack.notes.push(format!(
                "{}: access point {ap} of file system {fs}, which the template does not declare",
                t.path
            )),
        }
    }
    for (kind, n) in skipped {
        stack.not_imported.push(format!("{}: {n} × {kind}", t.path));
    }
    stack
        .symbolic
        .extend(r.symbolic.into_iter().map(|s| format!("{}#{s}", t.path)));
    stack
        .guesses
        .extend(r.guesses.into_iter().map(|g| format!("{}#{g}", t.path)));
    Ok(nested)
}

/// A reference to a security group as the stack names groups: a declared group's logical id for
/// `!Ref G` and `!GetAtt G.GroupId`, else the reference's text (a parameter's value, a symbolic
/// `!ImportValue X`).
fn group_name(v: &Value, groups: &[String]) -> String {
    let text = scalar_text(Some(v));
    let id = text
        .strip_prefix("!Ref ")
        .or_else(|| {
            text.strip_prefix("!GetAtt ")
                .and_then(|rest| rest.split_once('.'))
                .filter(|(_, attribute)| *attribute == "GroupId")
                .map(|(id, _)| id)
        })
        .filter(|id| groups.iter().any(|g| g == id));
    id.map_or(text.clone(), str::to_owned)
}

/// A list of security groups (or one reference that stands for a list).
fn group_list(v: Option<&Value>, groups: &[String]) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().map(|g| group_name(g, groups)).collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![group_name(other, groups)],
    }
}

/// An ingress rule (`SecurityGroupIngress` item, or a standalone `SecurityGroupIngress`'s
/// properties) into `group`; `None` for a rule that carries no calls (ICMP).
fn ingress(origin: String, group: String, rule: &Value, groups: &[String]) -> Option<Ingress> {
    let port = |key: &str| {
        rule.get(key).and_then(|v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    };
    let ports = rule_ports(
        &scalar_text(rule.get("IpProtocol")),
        port("FromPort"),
        port("ToPort"),
    )?;
    let text = |key: &str| rule.get(key).map(|v| scalar_text(Some(v)));
    let source = if let Some(g) = rule
        .get("SourceSecurityGroupId")
        .or_else(|| rule.get("SourceSecurityGroupName"))
    {
        Peer::Group(group_name(g, groups))
    } else if let Some(range) = text("CidrIp").or_else(|| text("CidrIpv6")) {
        Peer::Cidr(range)
    } else if let Some(list) = text("SourcePrefixListId") {
        Peer::Other(format!("prefix list {list}"))
    } else {
        Peer::Other("a source the template does not say".to_owned())
    };
    Some(Ingress {
        origin,
        group,
        source,
        ports,
    })
}

/// The target groups a listener's or rule's actions forward to.
fn forwarded(actions: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    for a in actions.and_then(Value::as_array).into_iter().flatten() {
        if let Some(tg) = a.get("TargetGroupArn") {
            out.push(scalar_text(Some(tg)));
        }
        for g in a
            .get("ForwardConfig")
            .and_then(|f| f.get("TargetGroups"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(tg) = g.get("TargetGroupArn") {
                out.push(scalar_text(Some(tg)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
