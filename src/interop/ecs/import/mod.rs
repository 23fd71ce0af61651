//! `archflow import ecs`: ECS and ELB JSON (task definitions, services, target groups, load
//! balancers, as the AWS CLI prints them) → a commented `architecture.yaml`.
//!
//! Pure: file names and texts in, YAML text and notes out. Each file is read into the typed AWS
//! JSON of [`crate::interop::ecs::wire`]; the importer takes out of each object the fields it
//! models, and puts what is left (fields it does not model and keys no type knows) unchanged in
//! the `aws:` of the model item that stands for the object, so that `export ecs` writes it back.
//! What even `aws:` cannot keep (a key of a wrapper object, a value the model's type cannot hold)
//! is listed in [`Imported::not_imported`], never dropped silently. AWS identities are kept
//! (`targetGroupArn`, `fileSystemId`, `accessPointId`, `clusterArn`, role ARNs); where the model
//! refers to an item by a name instead, the identity and the name are in [`Imported::renamed`].
//! Guesses are commented in the YAML and listed in [`Imported::guesses`].
//!
//! Partial inputs import as what they are, with nothing made up: container definitions alone
//! become a task definition named after the file; a service whose task definition was not given
//! gets one that has only its family and says so; what such files name outside themselves (a
//! container, a volume) stays under `aws:`, carried but not checked ([`Imported::notes`]). File
//! systems get `unknown: [encrypted, performanceMode, throughputMode]`: a task definition does
//! not say, so rules do not assume AWS's defaults.
//!
//! The stages, one file each: [`files`] tells what a file is by its content; [`json`] reads a
//! file into the wire types and names places in messages; [`task`] maps task definitions
//! (containers, volumes, EFS); [`service`] maps `describe-services` output and `create-service`
//! input; [`balancing`] maps target groups and load balancers; this file holds the public types
//! and [`import`], which puts them together and writes the YAML.

mod balancing;
mod files;
mod json;
mod service;
mod task;

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::error::Located;
use crate::interop::yaml_writer::{self, Entry, Node};

pub use crate::interop::ecs::wire::short_name;
use balancing::{TargetGroupIn, load_balancers, target_groups};
pub use files::{
    EcsFile, ServicesFile, TaskDefinitionFile, TaskShape, name_from_path, read_ecs_file,
    read_services, read_task_definition,
};
pub use json::parse_json;
use service::services;
use task::{TaskDef, role_from_image, task_definition};

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
    /// The files given positionally, each one of the shapes [`read_ecs_file`] tells apart: a
    /// task definition, container definitions, or a service (told by its content).
    pub task_definitions: Vec<InputFile>,
    /// Services: `describe-services` output (`{"services": [...]}`) or `create-service` input.
    pub services: Vec<InputFile>,
    /// `describe-target-groups` output (`{"TargetGroups": [...]}`).
    pub target_groups: Vec<InputFile>,
    /// `describe-load-balancers` output (`{"LoadBalancers": [...]}`).
    pub load_balancers: Vec<InputFile>,
    /// File systems declared where the task definitions are (a CloudFormation template, a
    /// Terraform configuration), with what is known of them: they are in the model even when no
    /// volume mounts them, and what is known of them is not `unknown`.
    pub file_systems: Vec<DeclaredFileSystem>,
    /// Where each component was declared, for the model's `origin:` fields (the
    /// infrastructure-as-code importers fill it; `import ecs` leaves it empty).
    pub origins: Origins,
    /// Listeners declared beside the load balancers (a template, a configuration): their ports
    /// and protocols are then known, not guessed.
    pub listeners: Vec<DeclaredListener>,
    /// Calls between services the code permits (security groups): each becomes a guessed
    /// `connectsTo` of the calling service's container.
    pub access: Vec<DeclaredAccess>,
}

/// A call a security group permits from one service to another, not necessarily one that is
/// made: service `to` admits service `from` on `ports`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclaredAccess {
    /// The calling service's name.
    pub from: String,
    /// The called service's name.
    pub to: String,
    /// Inclusive; `None` for every port.
    pub ports: Option<(u16, u16)>,
    /// Why it is permitted (`allowed by security group X (origin, …)`), for the comment.
    pub why: String,
}

/// The container of a task that makes its calls: the one essential container, else the one
/// essential container with port mappings, else the first essential one (else the first).
fn caller(td: &TaskDef) -> Option<&task::Container> {
    let essential: Vec<&task::Container> = td.containers.iter().filter(|c| c.essential).collect();
    let with_ports: Vec<&task::Container> = essential
        .iter()
        .copied()
        .filter(|c| !c.ports.is_empty())
        .collect();
    match (essential.as_slice(), with_ports.as_slice()) {
        ([one], _) | (_, [one]) => Some(one),
        _ => essential.first().copied().or_else(|| td.containers.first()),
    }
}

/// The `connectsTo` entries the permitted calls give, by (service, container): each target
/// (`service/container`) with the reason, a container of the called service that maps a port
/// the rule admits.
fn permitted_calls(
    ctx: &mut Ctx,
    access: &[DeclaredAccess],
    service_families: &[(String, String)],
    tds: &[TaskDef],
) -> IndexMap<(String, String), Vec<(String, String)>> {
    let task = |service: &str| {
        service_families
            .iter()
            .find(|(s, _)| s == service)
            .and_then(|(_, family)| tds.iter().find(|t| t.family == *family))
    };
    let mut calls: IndexMap<(String, String), Vec<(String, String)>> = IndexMap::new();
    for a in access {
        let (Some(from), Some(to)) = (task(&a.from), task(&a.to)) else {
            continue;
        };
        let Some(caller) = caller(from) else { continue };
        for c in &to.containers {
            let admitted = c.ports.iter().any(|p| match a.ports {
                None => true,
                Some((f, t)) => (i64::from(f)..=i64::from(t)).contains(p),
            });
            if !admitted {
                continue;
            }
            let target = format!("{}/{}", a.to, c.name);
            let list = calls
                .entry((a.from.clone(), caller.name.clone()))
                .or_default();
            if list.iter().any(|(t, _)| *t == target) {
                continue;
            }
            ctx.guesses.push(format!(
                "{}/{}: connectsTo {target} ({}; a permitted call, not necessarily a used one)",
                a.from, caller.name, a.why
            ));
            list.push((target, a.why.clone()));
        }
    }
    calls
}

/// A load balancer's listener as the code declares it.
#[derive(Clone, Debug, Default)]
pub struct DeclaredListener {
    /// The load balancer, as target groups' `LoadBalancerArns` name it.
    pub load_balancer: String,
    /// `None` when the code does not say (a symbolic value).
    pub port: Option<u16>,
    pub protocol: Option<String>,
    /// Target groups its default action forwards to (names or ARNs, as target groups are named).
    pub default_target_groups: Vec<String>,
    /// Target groups its rules forward to.
    pub rule_target_groups: Vec<String>,
    /// Where it is declared (`template.yaml#Listener`).
    pub origin: String,
}

/// The protocols a listener can have in the model.
const LISTENER_PROTOCOLS: &[&str] = &["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"];

/// Where components were declared (`template.yaml#LogicalId`, `path:resource.address`), by the
/// name the model gives them.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    pub services: BTreeMap<String, String>,
    pub task_definitions: BTreeMap<String, String>,
    pub load_balancers: BTreeMap<String, String>,
    pub target_groups: BTreeMap<String, String>,
    pub file_systems: BTreeMap<String, String>,
}

impl Origins {
    fn is_empty(&self) -> bool {
        self.services.is_empty()
            && self.task_definitions.is_empty()
            && self.load_balancers.is_empty()
            && self.target_groups.is_empty()
            && self.file_systems.is_empty()
    }
}

/// The listeners of a load balancer as the code declares them: each with its port and protocol,
/// forwarding to the target group its default action names. A target group only a listener
/// rule forwards to gets a listener of its own (the model has no listener rules), on a guessed
/// port, with a comment saying so.
fn declared_listeners(
    lb: &balancing::LoadBalancerIn,
    declared: &[&DeclaredListener],
    forwards: &[&TargetGroupIn],
    guesses: &mut Vec<String>,
) -> Vec<Node> {
    let names = |list: &[String]| -> Vec<String> {
        list.iter()
            .filter_map(|x| {
                forwards
                    .iter()
                    .find(|t| t.name == *x || t.arn.as_deref() == Some(x.as_str()))
                    .map(|t| t.name.clone())
            })
            .collect()
    };
    let default_protocol = if lb.network { "TCP" } else { "HTTP" };
    let forward = |tg: &str| {
        Node::Seq(vec![
            Node::map()
                .with("type", Node::str("forward"))
                .with("targetGroup", Node::str(tg)),
        ])
    };
    let protocol_of = |l: &DeclaredListener| {
        l.protocol
            .as_deref()
            .map(str::to_ascii_uppercase)
            .filter(|p| LISTENER_PROTOCOLS.contains(&p.as_str()))
            .unwrap_or_else(|| default_protocol.to_owned())
    };
    let mut used_ports: Vec<u16> = declared.iter().filter_map(|l| l.port).collect();
    let mut covered: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for l in declared {
        let mut node = Node::map();
        if let Some(port) = l.port {
            node.insert("port", Node::Int(i64::from(port)), None);
        } else {
            let port = free_port(&mut used_ports, 80);
            guesses.push(format!(
                "load balancer {}: port of {} guessed",
                lb.name, l.origin
            ));
            node.insert(
                "port",
                Node::Int(i64::from(port)),
                Some(format!("guessed: {} does not say the port", l.origin)),
            );
        }
        let protocol = protocol_of(l);
        node = node.with("protocol", Node::str(&protocol));
        if let Some(tg) = names(&l.default_target_groups).first() {
            covered.push(tg.clone());
            node = node.with("defaultActions", forward(tg));
        }
        out.push(node);
    }
    for l in declared {
        for tg in names(&l.rule_target_groups) {
            if covered.contains(&tg) {
                continue;
            }
            covered.push(tg.clone());
            let port = free_port(&mut used_ports, 8080);
            guesses.push(format!(
                "load balancer {}: a listener of its own for {tg} (forwarded by a rule)",
                lb.name
            ));
            let mut node = Node::map();
            node.insert(
                "port",
                Node::Int(i64::from(port)),
                Some(format!(
                    "guessed: a rule of {} forwards to {tg}; the model has no listener rules, so \
                     it gets a listener of its own",
                    l.origin
                )),
            );
            let protocol = protocol_of(l);
            out.push(
                node.with("protocol", Node::str(&protocol))
                    .with("defaultActions", forward(&tg)),
            );
        }
    }
    out
}

/// The first port from `from` on that no listener of the load balancer uses yet.
fn free_port(used: &mut Vec<u16>, from: u16) -> u16 {
    let mut port = from;
    while used.contains(&port) {
        port = port.saturating_add(1);
    }
    used.push(port);
    port
}

/// Give every component of the document whose name `origins` knows an `origin:` after its
/// name (and after its description, when it has one).
fn stamp_origins(root: &mut Node, origins: &Origins) {
    fn key_str<'a>(entries: &'a [Entry], key: &str) -> Option<&'a str> {
        entries
            .iter()
            .find(|e| e.key == key)
            .and_then(|e| match &e.value {
                Node::Str(s) => Some(s.as_str()),
                _ => None,
            })
    }
    fn stamp(node: &mut Node, name_key: &str, table: &BTreeMap<String, String>) {
        let Node::Map(entries) = node else { return };
        let Some(origin) = key_str(entries, name_key).and_then(|n| table.get(n)) else {
            return;
        };
        if entries.iter().any(|e| e.key == "origin") {
            return;
        }
        let at = entries
            .iter()
            .position(|e| e.key == "description")
            .or_else(|| entries.iter().position(|e| e.key == name_key))
            .map_or(0, |i| i + 1);
        entries.insert(
            at,
            Entry {
                key: "origin".to_owned(),
                value: Node::str(origin),
                comment: None,
            },
        );
    }
    if origins.is_empty() {
        return;
    }
    let Node::Map(entries) = root else { return };
    for entry in entries {
        let Node::Seq(items) = &mut entry.value else {
            continue;
        };
        for item in items {
            match entry.key.as_str() {
                "loadBalancers" => stamp(item, "name", &origins.load_balancers),
                "targetGroups" => stamp(item, "name", &origins.target_groups),
                "fileSystems" => stamp(item, "name", &origins.file_systems),
                "services" => {
                    stamp(item, "serviceName", &origins.services);
                    if let Node::Map(fields) = item
                        && let Some(task) = fields.iter_mut().find(|e| e.key == "taskDefinition")
                    {
                        stamp(&mut task.value, "family", &origins.task_definitions);
                    }
                }
                _ => {}
            }
        }
    }
}

/// An EFS file system declared beside the task definitions, by the name volumes give as their
/// `fileSystemId`.
#[derive(Clone, Debug, Default)]
pub struct DeclaredFileSystem {
    pub name: String,
    pub encrypted: Option<bool>,
    pub performance_mode: Option<String>,
    pub throughput_mode: Option<String>,
    /// Access points, by the name volumes give as their `accessPointId`.
    pub access_points: Vec<String>,
}

/// The result of an import.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    /// The model, ready to write.
    pub yaml: String,
    /// What the model cannot keep, even in `aws:`, as `file: place.field (why)`.
    pub not_imported: Vec<String>,
    /// What was guessed (also commented in the YAML).
    pub guesses: Vec<String>,
    /// Every ARN or AWS id that references in the model give as a name: (identity, name). The
    /// named item keeps the identity (`fileSystems[].fileSystemId`, …).
    pub renamed: Vec<(String, String)>,
    /// What the user should know about the model (also commented in the YAML): a service's task
    /// definition that was not given, references to what the files do not have, kept under
    /// `aws:` and not checked.
    pub notes: Vec<String>,
}

/// Why an input could not be imported: the file, the place in it (line and column where the
/// JSON parser knows it, otherwise the JSON path in the message), and what is wrong.
pub type ImportError = Located;

type Result<T> = std::result::Result<T, ImportError>;

/// State shared while importing.
#[derive(Default)]
pub(super) struct Ctx {
    pub(super) not_imported: Vec<String>,
    pub(super) guesses: Vec<String>,
    pub(super) notes: Vec<String>,
    pub(super) renamed: Vec<(String, String)>,
    /// `fs-…` id → (name, access points `fsap-…` → name), in order of first use.
    pub(super) file_systems: IndexMap<String, (String, IndexMap<String, String>)>,
    /// Every name given to a file system or access point.
    pub(super) efs_names: Vec<String>,
}

impl Ctx {
    pub(super) fn rename(&mut self, from: &str, to: &str) {
        if from != to && !self.renamed.iter().any(|(f, _)| f == from) {
            self.renamed.push((from.to_owned(), to.to_owned()));
        }
    }

    pub(super) fn unique_efs_name(&mut self, base: &str) -> String {
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

pub(super) fn node_name(node: &Node) -> Option<&str> {
    match node {
        Node::Map(entries) => entries.iter().find_map(|e| match (&*e.key, &e.value) {
            ("name", Node::Str(s)) => Some(s.as_str()),
            _ => None,
        }),
        _ => None,
    }
}

/// The actor's `connectsTo` names load balancers; a load balancer named like a container or a
/// volume would make that name ambiguous (load error L009). Such a load balancer gets
/// `<name>-lb` (or `-lb-2`, …), commented; the renaming is in [`Imported::renamed`].
fn rename_load_balancers_named_like_containers(
    ctx: &mut Ctx,
    lbs: &mut [balancing::LoadBalancerIn],
    tds: &[TaskDef],
) {
    let scoped: Vec<&str> = tds
        .iter()
        .flat_map(|t| {
            t.containers
                .iter()
                .map(|c| c.name.as_str())
                .chain(t.volumes.iter().filter_map(node_name))
        })
        .collect();
    let taken = |n: &str, lbs: &[balancing::LoadBalancerIn]| {
        scoped.contains(&n) || lbs.iter().any(|l| l.name == n)
    };
    for i in 0..lbs.len() {
        let old = lbs[i].name.clone();
        if !scoped.contains(&old.as_str()) {
            continue;
        }
        let mut name = format!("{old}-lb");
        let mut k = 2;
        while taken(&name, lbs) {
            name = format!("{old}-lb-{k}");
            k += 1;
        }
        let lb = &mut lbs[i];
        let why = format!(
            "named `{name}`: `{old}` is also a container's or volume's name, and a reference \
             must mean one"
        );
        if let Node::Map(entries) = &mut lb.node
            && let Some(e) = entries.iter_mut().find(|e| e.key == "name")
        {
            e.value = Node::str(&name);
            e.comment = Some(match &lb.arn {
                Some(arn) => format!("was {arn}; {why}"),
                None => why.clone(),
            });
        }
        match ctx
            .renamed
            .iter_mut()
            .find(|(from, to)| *to == old && Some(from) == lb.arn.as_ref())
        {
            Some(entry) => entry.1.clone_from(&name),
            None => ctx.renamed.push((old.clone(), name.clone())),
        }
        ctx.notes.push(format!("load balancer {old}: {why}"));
        lb.name = name;
    }
}

/// Import ECS JSON into an archflow model.
///
/// # Errors
/// A file that is not JSON, not the expected shape, or misses a required field: the message
/// names the file and the place.
pub fn import(inputs: &Inputs) -> Result<Imported> {
    let mut ctx = Ctx::default();
    if inputs.task_definitions.is_empty()
        && inputs.services.is_empty()
        && inputs.file_systems.is_empty()
        && inputs.load_balancers.is_empty()
        && inputs.target_groups.is_empty()
    {
        return Err(ImportError::file(
            "archflow import ecs",
            "no file given: pass at least one task definition, container definitions or service",
        ));
    }
    // Every file is read first: which task definitions are given decides how services import.
    let mut task_files = Vec::new();
    let mut service_files = Vec::new();
    for f in &inputs.services {
        service_files.push((f, read_services(f)?));
    }
    for f in &inputs.task_definitions {
        match read_ecs_file(f)? {
            EcsFile::TaskDefinition(t) => task_files.push((f, *t)),
            EcsFile::Services(s) => service_files.push((f, s)),
        }
    }
    let families: Vec<String> = task_files
        .iter()
        .filter_map(|(_, t)| t.task_definition.family.clone())
        .collect();
    let mut tgs = Vec::new();
    for f in &inputs.target_groups {
        tgs.extend(target_groups(&mut ctx, f)?);
    }
    let mut lbs: Vec<balancing::LoadBalancerIn> = Vec::new();
    for f in &inputs.load_balancers {
        lbs.extend(load_balancers(&mut ctx, f)?);
    }
    let tg_names: IndexMap<String, String> = tgs
        .iter()
        .filter_map(|t| t.arn.clone().map(|a| (a, t.name.clone())))
        .collect();
    let mut svcs = Vec::new();
    for (f, read) in service_files {
        svcs.extend(services(&mut ctx, &f.path, read, &tg_names, &families)?);
    }
    let mut tds: Vec<TaskDef> = Vec::new();
    for (f, read) in task_files {
        let td = task_definition(&mut ctx, &f.path, read)?;
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
    // A service's task definition that was not given: one that says so, and nothing else.
    let stubs: Vec<TaskDef> = svcs
        .iter()
        .filter(|s| !tds.iter().any(|t| t.family == s.family))
        .map(|s| {
            let note = format!(
                "task definition `{}` of service `{}` was not given: pass its JSON too \
                 (`aws ecs describe-task-definition --task-definition {}`)",
                s.family, s.name, s.family
            );
            ctx.notes.push(note);
            TaskDef::not_given(&s.family)
        })
        .collect();

    let mut header_guesses: Vec<String> = Vec::new();
    // Services: from describe-services, else one per task definition.
    let mut service_nodes = Vec::new();
    let mut used_families = Vec::new();
    let mut cluster: Option<(String, String)> = None;
    let mut behind_lb: Vec<(String, String)> = Vec::new(); // (family, container)
    // (target group, its ARN, port, network mode)
    let mut tg_needed: Vec<(String, String, i64, Option<String>)> = Vec::new();
    for s in &svcs {
        let Some(td) = tds.iter().chain(&stubs).find(|t| t.family == s.family) else {
            continue; // Every service has one, given or not.
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
        for (tg, arn, container, port) in &s.load_balancers {
            behind_lb.push((td.family.clone(), container.clone()));
            tg_needed.push((tg.clone(), arn.clone(), *port, td.network_mode.clone()));
        }
        let mut node = Node::map();
        node.insert("serviceName", Node::str(&s.name), s.name_guess.clone());
        if let Some(why) = &s.name_guess {
            ctx.guesses.push(format!("service {}: name {why}", s.name));
        }
        if let Node::Map(entries) = &mut node {
            entries.extend(s.entries.iter().cloned());
        }
        if let Some(why) = &s.family_guess {
            ctx.guesses.push(format!(
                "service {}: task definition `{}` ({})",
                s.name,
                s.family,
                why.trim_start_matches("guessed: ")
            ));
        }
        service_nodes.push((node, td, s.aws.clone(), s.family_guess.clone()));
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
        service_nodes.push((node, td, None, None));
    }
    if svcs.is_empty() {
        header_guesses
            .push("each task definition became one service (no service file given)".into());
    }

    // Containers with roles, and the calls security groups permit.
    let service_families: Vec<(String, String)> = svcs
        .iter()
        .map(|s| (s.name.clone(), s.family.clone()))
        .collect();
    let calls = permitted_calls(&mut ctx, &inputs.access, &service_families, &tds);
    let mut services_out = Vec::new();
    for (mut node, td, service_aws, family_guess) in service_nodes {
        let service = match &node {
            Node::Map(entries) => entries.iter().find_map(|e| match (&*e.key, &e.value) {
                ("serviceName", Node::Str(s)) => Some(s.clone()),
                _ => None,
            }),
            _ => None,
        }
        .unwrap_or_default();
        let mut containers = Vec::new();
        for c in &td.containers {
            let mut cnode = c.node.clone();
            if let Some(targets) = calls.get(&(service.clone(), c.name.clone()))
                && let Node::Map(entries) = &mut cnode
            {
                let comment = targets
                    .iter()
                    .map(|(t, why)| {
                        format!("guessed: {t} {why}; a permitted call, not necessarily a used one")
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                let at = entries
                    .iter()
                    .position(|e| e.key == "aws")
                    .unwrap_or(entries.len());
                entries.insert(
                    at,
                    Entry {
                        key: "connectsTo".to_owned(),
                        value: Node::Seq(targets.iter().map(|(t, _)| Node::str(t)).collect()),
                        comment: Some(comment),
                    },
                );
            }
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
        let mut tnode = Node::map();
        let family_comment = if td.given() {
            family_guess.or_else(|| {
                td.family_from_file.then(|| {
                    "guessed from the file name: the file holds container definitions only"
                        .to_owned()
                })
            })
        } else {
            let guess = family_guess.map(|g| format!("{g}; ")).unwrap_or_default();
            Some(format!(
                "{guess}not given: pass this task definition's JSON too \
                 (aws ecs describe-task-definition --task-definition {})",
                td.family
            ))
        };
        if td.given() && td.family_from_file {
            ctx.guesses.push(format!(
                "task definition {}: family guessed from the file name",
                td.family
            ));
        }
        tnode.insert("family", Node::str(&td.family), family_comment);
        if let Node::Map(entries) = &mut tnode {
            entries.extend(td.head.iter().cloned());
        }
        if !containers.is_empty() {
            tnode = tnode.with("containerDefinitions", Node::Seq(containers));
        }
        if !td.volumes.is_empty() {
            tnode = tnode.with("volumes", Node::Seq(td.volumes.clone()));
        }
        tnode = tnode.with_opt("aws", td.aws.clone());
        node = node
            .with("taskDefinition", tnode)
            .with_opt("aws", service_aws);
        services_out.push(node);
    }

    // Load balancers with guessed listeners, target groups.
    rename_load_balancers_named_like_containers(&mut ctx, &mut lbs, &tds);
    let mut lb_nodes = Vec::new();
    let mut actors = Vec::new();
    for lb in &lbs {
        let mut node = lb.node.clone();
        let forwards: Vec<&TargetGroupIn> = tgs
            .iter()
            .filter(|t| lb.arn.as_ref().is_some_and(|a| t.lb_arns.contains(a)))
            .collect();
        let declared: Vec<&DeclaredListener> = inputs
            .listeners
            .iter()
            .filter(|l| lb.arn.as_deref() == Some(l.load_balancer.as_str()))
            .collect();
        if !declared.is_empty() {
            node = node.with(
                "listeners",
                Node::Seq(declared_listeners(
                    lb,
                    &declared,
                    &forwards,
                    &mut ctx.guesses,
                )),
            );
        } else if !forwards.is_empty() {
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
    for (tg, arn, port, mode) in &tg_needed {
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
        node = node
            .with_opt("targetGroupArn", (arn != tg).then(|| Node::str(arn)))
            .with("port", Node::Int(*port));
        if mode.as_deref() == Some("awsvpc") {
            node = node.with("targetType", Node::str("ip"));
        }
        ctx.guesses
            .push(format!("target group {tg}: port and target type guessed"));
        tg_nodes.push(node);
    }

    // File systems.
    for d in &inputs.file_systems {
        let entry = ctx
            .file_systems
            .entry(d.name.clone())
            .or_insert_with(|| (d.name.clone(), IndexMap::new()));
        for ap in &d.access_points {
            entry.1.entry(ap.clone()).or_insert_with(|| ap.clone());
        }
    }
    let mut fs_nodes = Vec::new();
    for (id, (name, aps)) in &ctx.file_systems {
        let declared = inputs.file_systems.iter().find(|d| d.name == *id);
        let mut node = Node::map()
            .with("name", Node::str(name))
            .with_opt("fileSystemId", (id != name).then(|| Node::str(id)));
        // A task definition does not say how its file systems are set up: rules must not
        // assume AWS's defaults for what nobody has seen.
        let check = if id == name {
            "aws efs describe-file-systems".to_owned()
        } else {
            format!("aws efs describe-file-systems --file-system-id {id}")
        };
        if let Some(d) = declared {
            node = node
                .with("encrypted", Node::Bool(d.encrypted.unwrap_or(false)))
                .with_opt(
                    "performanceMode",
                    d.performance_mode.as_deref().map(Node::str),
                )
                .with_opt(
                    "throughputMode",
                    d.throughput_mode.as_deref().map(Node::str),
                );
        } else {
            node.insert(
                "unknown",
                Node::Seq(
                    ["encrypted", "performanceMode", "throughputMode"]
                        .into_iter()
                        .map(Node::str)
                        .collect(),
                ),
                Some(format!(
                    "not in task definitions: check them with `{check}`, write them here and \
                     remove them from `unknown`"
                )),
            );
        }
        if !aps.is_empty() {
            let items = aps
                .iter()
                .map(|(ap_id, ap_name)| {
                    Node::map().with("name", Node::str(ap_name)).with_opt(
                        "accessPointId",
                        (ap_id != ap_name).then(|| Node::str(ap_id)),
                    )
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
        .map(|c| c.0.clone())
        .or_else(|| tds.first().map(|t| t.family.clone()))
        .or_else(|| svcs.first().map(|s| s.name.clone()))
        .unwrap_or_else(|| "ecs".to_owned());
    root.insert(
        "name",
        Node::str(&title),
        Some("guessed: a title for the diagrams; change it".to_owned()),
    );
    if let Some((name, arn)) = &cluster {
        ctx.rename(arn, name);
        let c = Node::map()
            .with("name", Node::str(name))
            .with_opt("clusterArn", (arn != name).then(|| Node::str(arn)));
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
        "guessed: check them. References use names; the AWS ids and ARNs are kept beside them"
            .to_owned(),
        "(targetGroupArn, fileSystemId, …). AWS fields archflow does not model are under `aws:`,"
            .to_owned(),
        "and `archflow export ecs` writes them back unchanged.".to_owned(),
    ];
    for g in &header_guesses {
        header.push(format!("guessed: {g}"));
    }
    if !ctx.not_imported.is_empty() {
        header.push(String::new());
        header.push("Not imported (archflow cannot keep these, even under `aws:`):".to_owned());
        for n in &ctx.not_imported {
            header.push(format!("- {n}"));
        }
    }
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    stamp_origins(&mut root, &inputs.origins);
    let yaml = yaml_writer::write(&root, &header_refs);
    Ok(Imported {
        yaml,
        not_imported: ctx.not_imported,
        guesses: ctx.guesses,
        renamed: ctx.renamed,
        notes: ctx.notes,
    })
}
