//! `archflow export ecs`: each service's task definition as the JSON that
//! `aws ecs register-task-definition --cli-input-json` takes.
//!
//! archflow-only fields (`role`, `label`, `description`, `connectsTo`, `dataPath`, `suppress`)
//! are dropped. Where AWS wants an ARN or id (`executionRoleArn`, `taskRoleArn`,
//! `efsVolumeConfiguration.fileSystemId`, `authorizationConfig.accessPointId`) the model's name
//! is written as it is: replace it with the real ARN or id before registering. The JSON is a
//! [`wire::TaskDefinition`] written by `serde_json`: keys in the order of the AWS CLI's skeleton
//! (`--generate-cli-skeleton`), so the output is deterministic. `cpu` and `memory` are strings, as
//! AWS writes them.

use serde_json::Value;

use crate::Output;
use crate::interop::ecs::wire::{self, StringOrNumber};
use crate::syntax::Document;
use crate::syntax::document::{
    AppProtocol, ContainerDefinition, DependencyCondition, EnabledDisabled, LaunchType,
    NetworkMode, NumberOrString, S, TaskDefinition, TransportProtocol, Volume,
};

/// One exported task definition: its family and JSON.
#[derive(Clone, Debug)]
pub struct Exported {
    pub family: String,
    pub json: wire::TaskDefinition,
}

/// Every service's task definition, in document order. Two services running the same family are
/// exported once (the first).
#[must_use]
pub fn ecs(doc: &Document) -> Vec<Exported> {
    let mut out: Vec<Exported> = Vec::new();
    for service in &doc.services {
        let td = &service.task_definition;
        if out.iter().any(|e| e.family == td.family.value) {
            continue;
        }
        out.push(Exported {
            family: td.family.value.clone(),
            json: task_definition(td),
        });
    }
    out
}

/// Every service's task definition as a file: `<family>.json`, pretty-printed. Families that
/// differ only in characters a file name cannot hold (`web app`, `web_app`) get distinct names,
/// so one task definition never overwrites another.
#[must_use]
pub fn files(doc: &Document) -> Vec<Output> {
    let mut used = std::collections::BTreeSet::new();
    ecs(doc)
        .into_iter()
        .map(|e| {
            let base = crate::pipeline::file_stem(&e.family);
            let mut name = format!("{base}.json");
            let mut k = 2;
            while !used.insert(name.clone()) {
                name = format!("{base}-{k}.json");
                k += 1;
            }
            Output {
                name,
                text: e.json.pretty(),
            }
        })
        .collect()
}

/// A list, or `None` when it is empty (AWS leaves empty lists out).
fn non_empty<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

fn text(v: &S<String>) -> String {
    v.value.clone()
}

fn strings(items: &[S<String>]) -> Vec<String> {
    items.iter().map(text).collect()
}

/// The `register-task-definition` JSON of one task definition.
#[must_use]
pub fn task_definition(td: &TaskDefinition) -> wire::TaskDefinition {
    let size = |v: &S<NumberOrString>| {
        StringOrNumber::String(match &v.value {
            NumberOrString::Number(n) => n.to_string(),
            NumberOrString::String(x) => x.clone(),
        })
    };
    wire::TaskDefinition {
        family: Some(text(&td.family)),
        task_role_arn: td.task_role_arn.as_ref().map(text),
        execution_role_arn: td.execution_role_arn.as_ref().map(text),
        network_mode: td
            .network_mode
            .as_ref()
            .map(|m| network_mode(m.value).to_owned()),
        container_definitions: non_empty(td.container_definitions.iter().map(container).collect()),
        volumes: non_empty(td.volumes.iter().map(volume).collect()),
        requires_compatibilities: non_empty(
            td.requires_compatibilities
                .iter()
                .map(|c| launch_type(c.value).to_owned())
                .collect(),
        ),
        cpu: td.cpu.as_ref().map(size),
        memory: td.memory.as_ref().map(size),
        ..wire::TaskDefinition::default()
    }
}

fn network_mode(m: NetworkMode) -> &'static str {
    match m {
        NetworkMode::Awsvpc => "awsvpc",
        NetworkMode::Bridge => "bridge",
        NetworkMode::Host => "host",
        NetworkMode::None => "none",
    }
}

fn launch_type(l: LaunchType) -> &'static str {
    match l {
        LaunchType::Ec2 => "EC2",
        LaunchType::Fargate => "FARGATE",
        LaunchType::External => "EXTERNAL",
    }
}

fn enabled(e: EnabledDisabled) -> &'static str {
    match e {
        EnabledDisabled::Enabled => "ENABLED",
        EnabledDisabled::Disabled => "DISABLED",
    }
}

/// `START`, `COMPLETE`, `SUCCESS` or `HEALTHY`.
#[must_use]
pub fn condition(c: DependencyCondition) -> &'static str {
    match c {
        DependencyCondition::Start => "START",
        DependencyCondition::Complete => "COMPLETE",
        DependencyCondition::Success => "SUCCESS",
        DependencyCondition::Healthy => "HEALTHY",
    }
}

fn container(c: &ContainerDefinition) -> wire::ContainerDefinition {
    let ports = c
        .port_mappings
        .iter()
        .map(|p| wire::PortMapping {
            container_port: Some(i64::from(p.container_port.value)),
            host_port: p.host_port.as_ref().map(|h| i64::from(h.value)),
            protocol: p.protocol.as_ref().map(|x| {
                match x.value {
                    TransportProtocol::Tcp => "tcp",
                    TransportProtocol::Udp => "udp",
                }
                .to_owned()
            }),
            name: p.name.as_ref().map(text),
            app_protocol: p.app_protocol.as_ref().map(|a| {
                match a.value {
                    AppProtocol::Http => "http",
                    AppProtocol::Http2 => "http2",
                    AppProtocol::Grpc => "grpc",
                }
                .to_owned()
            }),
            ..wire::PortMapping::default()
        })
        .collect();
    let env = c
        .environment
        .iter()
        .map(|e| wire::KeyValuePair {
            name: Some(text(&e.name)),
            value: Some(text(&e.value)),
            ..wire::KeyValuePair::default()
        })
        .collect();
    let mounts = c
        .mount_points
        .iter()
        .map(|m| wire::MountPoint {
            source_volume: Some(text(&m.source_volume)),
            container_path: Some(text(&m.container_path)),
            read_only: m.read_only.as_ref().map(|r| r.value),
            ..wire::MountPoint::default()
        })
        .collect();
    let secrets = c
        .secrets
        .iter()
        .map(|x| wire::Secret {
            name: Some(text(&x.name)),
            value_from: Some(text(&x.value_from)),
            ..wire::Secret::default()
        })
        .collect();
    let deps = c
        .depends_on
        .iter()
        .map(|d| wire::ContainerDependency {
            container_name: Some(text(&d.container_name)),
            condition: Some(condition(d.condition.value).to_owned()),
            ..wire::ContainerDependency::default()
        })
        .collect();
    let log = c
        .log_configuration
        .as_ref()
        .map(|l| wire::LogConfiguration {
            log_driver: Some(text(&l.log_driver)),
            options: (!l.options.is_empty()).then(|| l.options.clone()),
            ..wire::LogConfiguration::default()
        });
    let health = c.health_check.as_ref().map(|h| {
        let n = |v: &Option<S<u32>>| v.as_ref().map(|x| i64::from(x.value));
        wire::HealthCheck {
            command: Some(strings(&h.command)),
            interval: n(&h.interval),
            timeout: n(&h.timeout),
            retries: n(&h.retries),
            start_period: n(&h.start_period),
            ..wire::HealthCheck::default()
        }
    });
    wire::ContainerDefinition {
        name: Some(text(&c.name)),
        image: Some(text(&c.image)),
        links: non_empty(strings(&c.links)),
        port_mappings: non_empty(ports),
        essential: c.essential.as_ref().map(|e| e.value),
        entry_point: non_empty(strings(&c.entry_point)),
        command: non_empty(strings(&c.command)),
        environment: non_empty(env),
        mount_points: non_empty(mounts),
        secrets: non_empty(secrets),
        depends_on: non_empty(deps),
        user: c.user.as_ref().map(text),
        privileged: c.privileged.as_ref().map(|p| p.value),
        readonly_root_filesystem: c.readonly_root_filesystem.as_ref().map(|r| r.value),
        log_configuration: log,
        health_check: health,
        ..wire::ContainerDefinition::default()
    }
}

fn volume(v: &Volume) -> wire::Volume {
    let host = v.host.as_ref().map(|h| wire::HostVolumeProperties {
        source_path: h.source_path.as_ref().map(text),
        ..wire::HostVolumeProperties::default()
    });
    let efs = v
        .efs_volume_configuration
        .as_ref()
        .map(|e| wire::EfsVolumeConfiguration {
            file_system_id: Some(text(&e.file_system_id)),
            root_directory: e.root_directory.as_ref().map(text),
            transit_encryption: e
                .transit_encryption
                .as_ref()
                .map(|t| enabled(t.value).to_owned()),
            transit_encryption_port: e
                .transit_encryption_port
                .as_ref()
                .map(|p| i64::from(p.value)),
            authorization_config: e.authorization_config.as_ref().map(|a| {
                wire::EfsAuthorizationConfig {
                    access_point_id: a.access_point_id.as_ref().map(text),
                    iam: a.iam.as_ref().map(|x| enabled(x.value).to_owned()),
                    ..wire::EfsAuthorizationConfig::default()
                }
            }),
            ..wire::EfsVolumeConfiguration::default()
        });
    wire::Volume {
        name: Some(text(&v.name)),
        host,
        efs_volume_configuration: efs,
        ..wire::Volume::default()
    }
}

/// The task definition inside `describe-task-definition` output (`{"taskDefinition": …}`), or
/// the value itself, without the read-only fields AWS adds, as a value: what export output is
/// compared with. A value that is not a task definition is returned as it is.
#[must_use]
pub fn comparable(value: &Value) -> Value {
    match wire::TaskDefinition::from_value(value) {
        Ok(mut td) => {
            td.remove_read_only();
            td.to_value()
        }
        Err(_) => value.get("taskDefinition").unwrap_or(value).clone(),
    }
}
