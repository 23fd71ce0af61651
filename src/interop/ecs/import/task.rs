//! Task definitions → the model's task definitions: containers (sizes, ports, environment, mounts,
//! dependencies, health checks, logs), volumes and their EFS file systems; every field archflow
//! does not model goes, unchanged, in the `aws:` of the item it belongs to.

use indexmap::IndexMap;

use crate::interop::ecs::wire::{ContainerDefinition, Secret, StringOrNumber, Volume};
use crate::interop::yaml_writer::{Entry, Node};
use crate::syntax::document as doc;

use super::files::{TaskDefinitionFile, TaskShape};
use super::json::Place;
use super::{Ctx, Result};

/// One imported task definition, before it is placed in a service.
pub(super) struct TaskDef {
    pub(super) file: String,
    pub(super) family: String,
    /// Whether `family` is the file's name (a file of container definitions alone).
    pub(super) family_from_file: bool,
    pub(super) network_mode: Option<String>,
    pub(super) compatibilities: Vec<String>,
    /// Entries of the task definition before `containerDefinitions`, after `family`.
    pub(super) head: Vec<Entry>,
    pub(super) containers: Vec<Container>,
    pub(super) volumes: Vec<Node>,
    /// The task definition's `aws:`, after `volumes`.
    pub(super) aws: Option<Node>,
}

impl TaskDef {
    /// The task definition of a service whose task definition was not given: its family, and
    /// nothing else.
    pub(super) fn not_given(family: &str) -> Self {
        Self {
            file: String::new(),
            family: family.to_owned(),
            family_from_file: false,
            network_mode: None,
            compatibilities: Vec::new(),
            head: Vec::new(),
            containers: Vec::new(),
            volumes: Vec::new(),
            aws: None,
        }
    }

    /// Whether the task definition was given (not [`Self::not_given`]).
    pub(super) fn given(&self) -> bool {
        !self.file.is_empty()
    }
}

pub(super) struct Container {
    pub(super) name: String,
    pub(super) image: String,
    pub(super) ports: Vec<i64>,
    /// `essential` (AWS default: true).
    pub(super) essential: bool,
    /// The container's mapping without `role`; `role` goes after `name`.
    pub(super) node: Node,
}

pub(super) fn task_definition(
    ctx: &mut Ctx,
    file: &str,
    read: TaskDefinitionFile,
) -> Result<TaskDef> {
    let shape = read.shape;
    let mut td = read.task_definition;
    let at = if let Some(mut describe) = read.describe {
        // `register-task-definition` takes the tags of describe output inside.
        if td.tags.is_none() {
            td.tags = describe.tags.take();
        }
        Place::root(file).rest(ctx, &describe);
        Place::root(file).child("taskDefinition")
    } else {
        Place::root(file)
    };
    let family = at.required("family", td.family.take())?;
    let Some(container_definitions) = td.container_definitions.take() else {
        return Err(at.missing("containerDefinitions"));
    };
    // Read-only fields of describe output are ignored, not kept.
    td.remove_read_only();
    let network_mode = td.network_mode.take();
    let requires_compatibilities = td.requires_compatibilities.take().unwrap_or_default();
    let sizes = [("cpu", td.cpu.take()), ("memory", td.memory.take())];
    let runtime_platform = td.runtime_platform.take();
    let ephemeral_storage = td.ephemeral_storage.take();
    let roles = [
        ("executionRoleArn", td.execution_role_arn.take()),
        ("taskRoleArn", td.task_role_arn.take()),
    ];
    let volumes = td.volumes.take().unwrap_or_default();
    let aws = at.aws::<doc::TaskDefinition>(ctx, &td);

    let mut head = Vec::new();
    let entry = |key: &str, value: Node| Entry {
        key: key.to_owned(),
        value,
        comment: None,
    };
    if let Some(n) = at.enumerated(
        ctx,
        "networkMode",
        network_mode.clone(),
        &["awsvpc", "bridge", "host", "none"],
    ) {
        head.push(entry("networkMode", n));
    }
    let mut compatibilities = Vec::new();
    for (i, c) in requires_compatibilities.into_iter().enumerate() {
        if LAUNCH_TYPES.contains(&c.as_str()) {
            compatibilities.push(c);
        } else {
            ctx.not_imported.push(format!(
                "{}: {} = {c:?}",
                file,
                at.key(&format!("requiresCompatibilities[{i}]"))
            ));
        }
    }
    if !compatibilities.is_empty() {
        head.push(entry(
            "requiresCompatibilities",
            Node::Seq(compatibilities.iter().map(Node::str).collect()),
        ));
    }
    for (key, size) in sizes {
        match size {
            None => {}
            Some(StringOrNumber::String(s)) => head.push(entry(key, Node::Str(s))),
            Some(StringOrNumber::Number(n)) if n.is_u64() => {
                head.push(entry(key, Node::str(n.to_string())));
            }
            Some(StringOrNumber::Number(n)) => {
                return Err(at.err(key, &format!("expected a string, found {n}")));
            }
        }
    }
    if let Some(mut p) = runtime_platform {
        let pat = at.child("runtimePlatform");
        let (arch, os) = (p.cpu_architecture.take(), p.operating_system_family.take());
        let node = Node::map()
            .with_opt(
                "cpuArchitecture",
                pat.enumerated(ctx, "cpuArchitecture", arch, &["X86_64", "ARM64"]),
            )
            .with_opt(
                "operatingSystemFamily",
                pat.enumerated(ctx, "operatingSystemFamily", os, OS_FAMILIES),
            )
            .with_opt("aws", pat.aws::<doc::RuntimePlatform>(ctx, &p));
        head.push(entry("runtimePlatform", node));
    }
    if let Some(mut e) = ephemeral_storage {
        let eat = at.child("ephemeralStorage");
        let size = e.size_in_gib.take();
        let Some(size) = eat.int("sizeInGiB", size, i64::from(u32::MAX))? else {
            return Err(eat.missing("sizeInGiB"));
        };
        let node = Node::map()
            .with("sizeInGiB", Node::Int(size))
            .with_opt("aws", eat.aws::<doc::EphemeralStorage>(ctx, &e));
        head.push(entry("ephemeralStorage", node));
    }
    for (key, arn) in roles {
        if let Some(arn) = arn {
            head.push(entry(key, Node::str(arn)));
        }
    }
    // A file of container definitions alone: what they name outside themselves (a container of
    // the task, a volume) may not be in it.
    let in_file = shape.containers_only().then(|| InFile {
        containers: container_definitions
            .iter()
            .filter_map(|c| c.name.clone())
            .collect(),
        volumes: volumes.iter().filter_map(|v| v.name.clone()).collect(),
    });
    let mut containers = Vec::new();
    for (i, c) in container_definitions.into_iter().enumerate() {
        let cat = match shape {
            TaskShape::ContainerList => Place {
                file,
                path: format!("[{i}]"),
            },
            TaskShape::Container => Place::root(file),
            TaskShape::Register | TaskShape::Describe => at.item("containerDefinitions", i),
        };
        containers.push(container(ctx, &cat, c, in_file.as_ref())?);
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
        file: file.to_owned(),
        family_from_file: shape.containers_only(),
        family,
        network_mode,
        compatibilities,
        head,
        containers,
        volumes: volume_nodes,
        aws,
    })
}

/// `requiresCompatibilities` and `launchType` values the model knows.
pub(super) const LAUNCH_TYPES: &[&str] = &["EC2", "FARGATE", "EXTERNAL"];

/// `runtimePlatform.operatingSystemFamily` values the model knows.
const OS_FAMILIES: &[&str] = &[
    "LINUX",
    "WINDOWS_SERVER_2016_FULL",
    "WINDOWS_SERVER_2019_FULL",
    "WINDOWS_SERVER_2019_CORE",
    "WINDOWS_SERVER_2004_CORE",
    "WINDOWS_SERVER_20H2_CORE",
    "WINDOWS_SERVER_2022_FULL",
    "WINDOWS_SERVER_2022_CORE",
    "WINDOWS_SERVER_2025_FULL",
    "WINDOWS_SERVER_2025_CORE",
];

pub(super) fn strings(items: Vec<String>) -> Node {
    Node::Seq(items.into_iter().map(Node::Str).collect())
}

/// A container's `cpu`, `memory` or `memoryReservation`: a whole number (the API's type), which
/// some files write as a string.
fn container_size(
    at: &Place<'_>,
    key: &str,
    value: Option<StringOrNumber>,
) -> Result<Option<Node>> {
    let n = match value {
        None => return Ok(None),
        Some(StringOrNumber::Number(n)) => n.as_i64(),
        Some(StringOrNumber::String(s)) => s.trim().parse::<i64>().ok(),
    };
    match n {
        Some(n) if (0..=i64::from(u32::MAX)).contains(&n) => Ok(Some(Node::Int(n))),
        _ => Err(at.err(
            key,
            &format!("expected a whole number from 0 to {}", u32::MAX),
        )),
    }
}

/// The names a file of container definitions alone has: what its containers may name.
pub(super) struct InFile {
    containers: Vec<String>,
    volumes: Vec<String>,
}

/// The references of a container to containers or volumes that are not in its file: each list
/// that has one (`dependsOn`, `links`, `mountPoints`), with the names, in that order.
fn outside(c: &ContainerDefinition, in_file: &InFile) -> Vec<(&'static str, Vec<String>)> {
    let missing = |names: Vec<Option<&String>>, known: &[String]| -> Vec<String> {
        names
            .into_iter()
            .flatten()
            .filter(|n| !known.contains(n))
            .cloned()
            .collect()
    };
    let lists = [
        (
            "dependsOn",
            missing(
                c.depends_on
                    .iter()
                    .flatten()
                    .map(|d| d.container_name.as_ref())
                    .collect(),
                &in_file.containers,
            ),
        ),
        (
            "links",
            missing(
                c.links.iter().flatten().map(Some).collect(),
                &in_file.containers,
            ),
        ),
        (
            "mountPoints",
            missing(
                c.mount_points
                    .iter()
                    .flatten()
                    .map(|m| m.source_volume.as_ref())
                    .collect(),
                &in_file.volumes,
            ),
        ),
    ];
    lists.into_iter().filter(|(_, n)| !n.is_empty()).collect()
}

/// A container. With `in_file` (a file of container definitions alone), a list that names a
/// container or volume the file does not have stays in `aws:`, carried but not checked, rather
/// than become a reference that names nothing.
pub(super) fn container(
    ctx: &mut Ctx,
    at: &Place<'_>,
    mut c: ContainerDefinition,
    in_file: Option<&InFile>,
) -> Result<Container> {
    let name = at.required("name", c.name.take())?;
    let image = at.required("image", c.image.take())?;
    let outside = in_file.map(|f| outside(&c, f)).unwrap_or_default();
    let modelled = |key: &str| !outside.iter().any(|(k, _)| *k == key);
    let essential = c.essential.take();
    let sizes = [
        ("cpu", c.cpu.take()),
        ("memory", c.memory.take()),
        ("memoryReservation", c.memory_reservation.take()),
    ];
    let port_mappings = c.port_mappings.take().unwrap_or_default();
    let environment = c.environment.take().unwrap_or_default();
    let secrets = c.secrets.take().unwrap_or_default();
    let mount_points = c
        .mount_points
        .take_if(|_| modelled("mountPoints"))
        .unwrap_or_default();
    let depends_on = c
        .depends_on
        .take_if(|_| modelled("dependsOn"))
        .unwrap_or_default();
    let links = c.links.take_if(|_| modelled("links")).unwrap_or_default();
    let health_check = c.health_check.take();
    let log_configuration = c.log_configuration.take();
    let privileged = c.privileged.take();
    let readonly_root_filesystem = c.readonly_root_filesystem.take();
    let user = c.user.take();
    let command = c.command.take().unwrap_or_default();
    let entry_point = c.entry_point.take().unwrap_or_default();
    let mut aws = at.aws::<doc::ContainerDefinition>(ctx, &c);
    if let Some(Node::Map(entries)) = &mut aws {
        for (key, names) in &outside {
            let names = names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let what = if *key == "mountPoints" {
                "volumes"
            } else {
                "containers"
            };
            let note = format!(
                "`{key}` names {what} that are not in this file ({names}): kept under `aws:`, \
                 not checked"
            );
            ctx.notes.push(format!("{}: {name}: {note}", at.file));
            if let Some(e) = entries.iter_mut().find(|e| e.key == *key) {
                e.comment = Some(note);
            }
        }
    }

    let mut node = Node::map()
        .with("name", Node::str(&name))
        .with("image", Node::str(&image))
        .with_opt("essential", essential.map(Node::Bool));
    for (key, value) in sizes {
        node = node.with_opt(key, container_size(at, key, value)?);
    }
    let mut ports = Vec::new();
    let mut mappings = Vec::new();
    for (i, mut p) in port_mappings.into_iter().enumerate() {
        let pat = at.item("portMappings", i);
        let container_port = p.container_port.take();
        let host_port = p.host_port.take();
        let protocol = p.protocol.take();
        let port_name = p.name.take();
        let app_protocol = p.app_protocol.take();
        let Some(port) = pat.int("containerPort", container_port, 65535)? else {
            ctx.not_imported.push(format!(
                "{}: {} (no containerPort: archflow models a port mapping by its port)",
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
            )
            .with_opt("aws", pat.aws::<doc::PortMapping>(ctx, &p));
        mappings.push(m);
    }
    if !mappings.is_empty() {
        node = node.with("portMappings", Node::Seq(mappings));
    }
    let mut env = Vec::new();
    for (i, mut e) in environment.into_iter().enumerate() {
        let eat = at.item("environment", i);
        let (env_name, value) = (e.name.take(), e.value.take());
        env.push(
            Node::map()
                .with("name", Node::Str(eat.required("name", env_name)?))
                .with("value", Node::Str(value.unwrap_or_default()))
                .with_opt("aws", eat.aws::<doc::KeyValue>(ctx, &e)),
        );
    }
    if !env.is_empty() {
        node = node.with("environment", Node::Seq(env));
    }
    if !secrets.is_empty() {
        node = node.with("secrets", secret_list(ctx, at, "secrets", secrets)?);
    }
    let mut mounts = Vec::new();
    for (i, mut m) in mount_points.into_iter().enumerate() {
        let mat = at.item("mountPoints", i);
        let source_volume = m.source_volume.take();
        let container_path = m.container_path.take();
        let read_only = m.read_only.take();
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
                .with_opt("readOnly", read_only.map(Node::Bool))
                .with_opt("aws", mat.aws::<doc::MountPoint>(ctx, &m)),
        );
    }
    if !mounts.is_empty() {
        node = node.with("mountPoints", Node::Seq(mounts));
    }
    let mut deps = Vec::new();
    for (i, mut d) in depends_on.into_iter().enumerate() {
        let dat = at.item("dependsOn", i);
        let (container_name, condition) = (d.container_name.take(), d.condition.take());
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
                .with("condition", Node::Str(condition))
                .with_opt("aws", dat.aws::<doc::ContainerDependency>(ctx, &d)),
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
        let mut check = Node::map().with("command", strings(health_command));
        for (key, value) in times {
            check = check.with_opt(
                key,
                hat.int(key, value, i64::from(u32::MAX))?.map(Node::Int),
            );
        }
        check = check.with_opt("aws", hat.aws::<doc::HealthCheck>(ctx, &h));
        node = node.with("healthCheck", check);
    }
    if let Some(mut l) = log_configuration {
        let lat = at.child("logConfiguration");
        let (log_driver, options) = (l.log_driver.take(), l.options.take());
        let secret_options = l.secret_options.take().unwrap_or_default();
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
        if !secret_options.is_empty() {
            log = log.with(
                "secretOptions",
                secret_list(ctx, &lat, "secretOptions", secret_options)?,
            );
        }
        log = log.with_opt("aws", lat.aws::<doc::LogConfiguration>(ctx, &l));
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
    node = node.with_opt("aws", aws);
    Ok(Container {
        name,
        image,
        ports,
        essential: essential.is_none_or(|e| e),
        node,
    })
}

/// `secrets` or `logConfiguration.secretOptions`: names and where their values come from.
fn secret_list(ctx: &mut Ctx, at: &Place<'_>, key: &str, items: Vec<Secret>) -> Result<Node> {
    let mut out = Vec::new();
    for (i, mut s) in items.into_iter().enumerate() {
        let sat = at.item(key, i);
        let (secret_name, value_from) = (s.name.take(), s.value_from.take());
        out.push(
            Node::map()
                .with("name", Node::Str(sat.required("name", secret_name)?))
                .with(
                    "valueFrom",
                    Node::Str(sat.required("valueFrom", value_from)?),
                )
                .with_opt("aws", sat.aws::<doc::Secret>(ctx, &s)),
        );
    }
    Ok(Node::Seq(out))
}

pub(super) fn volume(ctx: &mut Ctx, at: &Place<'_>, mut v: Volume, family: &str) -> Result<Node> {
    let name = at.required("name", v.name.take())?;
    let (host, efs) = (v.host.take(), v.efs_volume_configuration.take());
    let aws = at.aws::<doc::Volume>(ctx, &v);
    let mut node = Node::map().with("name", Node::str(&name));
    if let Some(mut h) = host {
        let hat = at.child("host");
        let source_path = h.source_path.take();
        node = node.with(
            "host",
            Node::map()
                .with_opt("sourcePath", source_path.map(Node::Str))
                .with_opt("aws", hat.aws::<doc::HostVolume>(ctx, &h)),
        );
    }
    if let Some(mut e) = efs {
        let eat = at.child("efsVolumeConfiguration");
        let file_system_id = e.file_system_id.take();
        let root_directory = e.root_directory.take();
        let transit_encryption = e.transit_encryption.take();
        let transit_encryption_port = e.transit_encryption_port.take();
        let authorization_config = e.authorization_config.take();
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
        let mut efs_node = Node::map()
            .with("fileSystemId", Node::str(&fs_name))
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
                auth = auth.with("accessPointId", Node::str(&ap_name));
            }
            auth = auth
                .with_opt(
                    "iam",
                    aat.enumerated(ctx, "iam", iam, &["ENABLED", "DISABLED"]),
                )
                .with_opt("aws", aat.aws::<doc::AuthorizationConfig>(ctx, &a));
            efs_node = efs_node.with("authorizationConfig", auth);
        }
        efs_node = efs_node.with_opt("aws", eat.aws::<doc::EfsVolumeConfiguration>(ctx, &e));
        node = node.with("efsVolumeConfiguration", efs_node);
    }
    Ok(node.with_opt("aws", aws))
}

/// The role an image suggests, if any.
pub(super) fn role_from_image(image: &str) -> Option<&'static str> {
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
