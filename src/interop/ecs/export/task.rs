//! A task definition → `register-task-definition` input: containers, volumes, sizes, platform.
//! `cpu` and `memory` of the task are strings and those of containers numbers, as the API types
//! them.

use crate::interop::ecs::wire::{self, StringOrNumber};
use crate::source::Span;
use crate::syntax::document::{
    AppProtocol, ContainerDefinition, CpuArchitecture, DependencyCondition, EnabledDisabled,
    LaunchType, NetworkMode, NumberOrString, OperatingSystemFamily, S, Secret, TaskDefinition,
    TransportProtocol, Volume,
};

use super::{Builder, Problem, StandIn, non_empty};

fn text(v: &S<String>) -> String {
    v.value.clone()
}

fn strings(items: &[S<String>]) -> Vec<String> {
    items.iter().map(text).collect()
}

fn number(v: Option<&S<u32>>) -> Option<i64> {
    v.map(|x| i64::from(x.value))
}

fn network_mode(m: NetworkMode) -> &'static str {
    match m {
        NetworkMode::Awsvpc => "awsvpc",
        NetworkMode::Bridge => "bridge",
        NetworkMode::Host => "host",
        NetworkMode::None => "none",
    }
}

/// `EC2`, `FARGATE` or `EXTERNAL`.
pub(super) fn launch_type(l: LaunchType) -> &'static str {
    match l {
        LaunchType::Ec2 => "EC2",
        LaunchType::Fargate => "FARGATE",
        LaunchType::External => "EXTERNAL",
    }
}

/// `ENABLED` or `DISABLED`.
pub(super) fn enabled(e: EnabledDisabled) -> &'static str {
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

fn cpu_architecture(a: CpuArchitecture) -> &'static str {
    match a {
        CpuArchitecture::X86 => "X86_64",
        CpuArchitecture::Arm64 => "ARM64",
    }
}

fn operating_system_family(f: OperatingSystemFamily) -> &'static str {
    match f {
        OperatingSystemFamily::Linux => "LINUX",
        OperatingSystemFamily::WindowsServer2016Full => "WINDOWS_SERVER_2016_FULL",
        OperatingSystemFamily::WindowsServer2019Full => "WINDOWS_SERVER_2019_FULL",
        OperatingSystemFamily::WindowsServer2019Core => "WINDOWS_SERVER_2019_CORE",
        OperatingSystemFamily::WindowsServer2004Core => "WINDOWS_SERVER_2004_CORE",
        OperatingSystemFamily::WindowsServer20H2Core => "WINDOWS_SERVER_20H2_CORE",
        OperatingSystemFamily::WindowsServer2022Full => "WINDOWS_SERVER_2022_FULL",
        OperatingSystemFamily::WindowsServer2022Core => "WINDOWS_SERVER_2022_CORE",
        OperatingSystemFamily::WindowsServer2025Full => "WINDOWS_SERVER_2025_FULL",
        OperatingSystemFamily::WindowsServer2025Core => "WINDOWS_SERVER_2025_CORE",
    }
}

impl Builder<'_> {
    /// The `register-task-definition` input of one task definition.
    pub(super) fn task_definition(&mut self, td: &TaskDefinition) -> wire::TaskDefinition {
        let size = |v: &S<NumberOrString>| {
            StringOrNumber::String(match &v.value {
                NumberOrString::Number(n) => n.to_string(),
                NumberOrString::String(x) => x.clone(),
            })
        };
        let family = &td.family.value;
        let span = Span::of(&td.family);
        self.required(td);
        let role = |b: &mut Self, key: &str, v: &S<String>| {
            let arn = v.value.starts_with("arn:").then_some(v.value.as_str());
            b.identity(
                arn,
                StandIn {
                    pointer: format!("/{key}"),
                    name: v.value.clone(),
                    note: Some(format!(
                        "`{key}` of `{family}` is the name `{}`; AWS documents the role's ARN",
                        v.value
                    )),
                    in_arn: true,
                },
            )
        };
        let task_role_arn = td
            .task_role_arn
            .as_ref()
            .map(|v| role(self, "taskRoleArn", v));
        let execution_role_arn = td
            .execution_role_arn
            .as_ref()
            .map(|v| role(self, "executionRoleArn", v));
        let containers = td
            .container_definitions
            .iter()
            .map(|c| self.container(family, c))
            .collect();
        let volumes = td
            .volumes
            .iter()
            .enumerate()
            .map(|(i, v)| self.volume(i, v))
            .collect();
        let runtime_platform = td.runtime_platform.as_ref().map(|p| {
            let typed = wire::RuntimePlatform {
                cpu_architecture: p
                    .cpu_architecture
                    .as_ref()
                    .map(|a| cpu_architecture(a.value).to_owned()),
                operating_system_family: p
                    .operating_system_family
                    .as_ref()
                    .map(|f| operating_system_family(f.value).to_owned()),
                ..wire::RuntimePlatform::default()
            };
            self.with_aws(
                typed,
                &p.aws,
                span,
                &format!("`runtimePlatform` of `{family}`"),
            )
        });
        let ephemeral_storage = td.ephemeral_storage.as_ref().map(|e| {
            let typed = wire::EphemeralStorage {
                size_in_gib: Some(i64::from(e.size_in_gib.value)),
                ..wire::EphemeralStorage::default()
            };
            self.with_aws(
                typed,
                &e.aws,
                span,
                &format!("`ephemeralStorage` of `{family}`"),
            )
        });
        let typed = wire::TaskDefinition {
            family: Some(family.clone()),
            task_role_arn,
            execution_role_arn,
            network_mode: td
                .network_mode
                .as_ref()
                .map(|m| network_mode(m.value).to_owned()),
            container_definitions: non_empty(containers),
            volumes: non_empty(volumes),
            requires_compatibilities: non_empty(
                td.requires_compatibilities
                    .iter()
                    .map(|c| launch_type(c.value).to_owned())
                    .collect(),
            ),
            cpu: td.cpu.as_ref().map(size),
            memory: td.memory.as_ref().map(size),
            ephemeral_storage,
            runtime_platform,
            ..wire::TaskDefinition::default()
        };
        self.with_aws(typed, &td.aws, span, &format!("task definition `{family}`"))
    }

    /// What `register-task-definition` needs that the model may leave out (export adds nothing,
    /// so it refuses instead): a container; on Fargate, the task's `cpu` and `memory`; without
    /// the task's `memory`, each container's `memory` or `memoryReservation`.
    fn required(&mut self, td: &TaskDefinition) {
        let family = &td.family.value;
        let mut refuse = |span: Span, message: String, help: &str| {
            self.problems.push(Problem {
                span,
                message,
                help: help.to_owned(),
            });
        };
        if td.container_definitions.is_empty() {
            refuse(
                Span::of(&td.family),
                format!("task definition `{family}` has no container: ECS refuses it"),
                "add its containers under `containerDefinitions`",
            );
        }
        let fargate = td
            .requires_compatibilities
            .iter()
            .any(|c| c.value == LaunchType::Fargate);
        if fargate && (td.cpu.is_none() || td.memory.is_none()) {
            refuse(
                Span::of(&td.family),
                format!(
                    "task definition `{family}` requires FARGATE but has no task-level `{}`: \
                     Fargate refuses it",
                    if td.cpu.is_none() { "cpu" } else { "memory" }
                ),
                "give the task `cpu` and `memory`, a pair Fargate offers (e.g. \"256\" and \"512\")",
            );
            return;
        }
        if td.memory.is_some() {
            return;
        }
        for c in &td.container_definitions {
            if c.memory.is_none() && c.memory_reservation.is_none() {
                refuse(
                    Span::of(&c.name),
                    format!(
                        "container `{}` of task definition `{family}` has no `memory` or \
                         `memoryReservation`, and the task no `memory`: ECS refuses to register \
                         a task definition without memory at either level",
                        c.name.value
                    ),
                    "give the task `memory` (MiB; Fargate needs it, with `cpu`), or each \
                     container `memory` or `memoryReservation`",
                );
            }
        }
    }

    fn container(&mut self, family: &str, c: &ContainerDefinition) -> wire::ContainerDefinition {
        let span = Span::of(&c.name);
        let item = |what: &str| format!("{what}container `{}` of `{family}`", c.name.value);
        let size = |v: Option<&S<u32>>| v.map(|x| StringOrNumber::Number(x.value.into()));
        let ports = c
            .port_mappings
            .iter()
            .map(|p| {
                let typed = wire::PortMapping {
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
                };
                let what = format!("port {} of ", p.container_port.value);
                self.with_aws(typed, &p.aws, Span::of(&p.container_port), &item(&what))
            })
            .collect();
        let env = c
            .environment
            .iter()
            .map(|e| {
                let typed = wire::KeyValuePair {
                    name: Some(text(&e.name)),
                    value: Some(text(&e.value)),
                    ..wire::KeyValuePair::default()
                };
                let what = format!("variable `{}` of ", e.name.value);
                self.with_aws(typed, &e.aws, Span::of(&e.name), &item(&what))
            })
            .collect();
        let mounts = c
            .mount_points
            .iter()
            .map(|m| {
                let typed = wire::MountPoint {
                    source_volume: Some(text(&m.source_volume)),
                    container_path: Some(text(&m.container_path)),
                    read_only: m.read_only.as_ref().map(|r| r.value),
                    ..wire::MountPoint::default()
                };
                let what = format!("mount `{}` of ", m.container_path.value);
                self.with_aws(typed, &m.aws, Span::of(&m.source_volume), &item(&what))
            })
            .collect();
        let secrets = self.secrets(&c.secrets, &item("a secret of "));
        let deps = c
            .depends_on
            .iter()
            .map(|d| {
                let typed = wire::ContainerDependency {
                    container_name: Some(text(&d.container_name)),
                    condition: Some(condition(d.condition.value).to_owned()),
                    ..wire::ContainerDependency::default()
                };
                let what = format!("dependency on `{}` of ", d.container_name.value);
                self.with_aws(typed, &d.aws, Span::of(&d.container_name), &item(&what))
            })
            .collect();
        let log = c.log_configuration.as_ref().map(|l| {
            let typed = wire::LogConfiguration {
                log_driver: Some(text(&l.log_driver)),
                options: (!l.options.is_empty()).then(|| l.options.clone()),
                secret_options: non_empty(
                    self.secrets(&l.secret_options, &item("a secret option of ")),
                ),
                ..wire::LogConfiguration::default()
            };
            self.with_aws(
                typed,
                &l.aws,
                Span::of(&l.log_driver),
                &item("`logConfiguration` of "),
            )
        });
        let health = c.health_check.as_ref().map(|h| {
            let typed = wire::HealthCheck {
                command: Some(strings(&h.command)),
                interval: number(h.interval.as_ref()),
                timeout: number(h.timeout.as_ref()),
                retries: number(h.retries.as_ref()),
                start_period: number(h.start_period.as_ref()),
                ..wire::HealthCheck::default()
            };
            self.with_aws(typed, &h.aws, span, &item("`healthCheck` of "))
        });
        let typed = wire::ContainerDefinition {
            name: Some(text(&c.name)),
            image: Some(text(&c.image)),
            cpu: size(c.cpu.as_ref()),
            memory: size(c.memory.as_ref()),
            memory_reservation: size(c.memory_reservation.as_ref()),
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
        };
        self.with_aws(typed, &c.aws, span, &item(""))
    }

    fn secrets(&mut self, items: &[Secret], item: &str) -> Vec<wire::Secret> {
        items
            .iter()
            .map(|x| {
                let typed = wire::Secret {
                    name: Some(text(&x.name)),
                    value_from: Some(text(&x.value_from)),
                    ..wire::Secret::default()
                };
                self.with_aws(typed, &x.aws, Span::of(&x.name), item)
            })
            .collect()
    }

    fn volume(&mut self, index: usize, v: &Volume) -> wire::Volume {
        let span = Span::of(&v.name);
        let item = |what: &str| format!("{what}volume `{}`", v.name.value);
        let host = v.host.as_ref().map(|h| {
            let typed = wire::HostVolumeProperties {
                source_path: h.source_path.as_ref().map(text),
                ..wire::HostVolumeProperties::default()
            };
            self.with_aws(typed, &h.aws, span, &item("`host` of "))
        });
        let efs = v.efs_volume_configuration.as_ref().map(|e| {
            let at = format!("/volumes/{index}/efsVolumeConfiguration");
            let fs_name = &e.file_system_id.value;
            let fs = self
                .doc
                .file_systems
                .iter()
                .find(|f| f.name.value == *fs_name);
            let fs_id = fs
                .and_then(|f| f.file_system_id.as_ref())
                .map(|i| i.value.as_str());
            let file_system_id = self.identity(
                fs_id,
                StandIn {
                    pointer: format!("{at}/fileSystemId"),
                    name: fs_name.clone(),
                    note: Some(format!(
                        "`fileSystemId` of volume `{}` is the file system's name `{fs_name}`: \
                         give the file system its `fileSystemId` (fs-…) in the model",
                        v.name.value
                    )),
                    in_arn: false,
                },
            );
            let authorization_config = e.authorization_config.as_ref().map(|a| {
                let access_point_id = a.access_point_id.as_ref().map(|ap| {
                    let ap_name = &ap.value;
                    let ap_id = fs
                        .and_then(|f| f.access_points.iter().find(|p| p.name.value == *ap_name))
                        .and_then(|p| p.access_point_id.as_ref())
                        .map(|i| i.value.as_str());
                    self.identity(
                        ap_id,
                        StandIn {
                            pointer: format!("{at}/authorizationConfig/accessPointId"),
                            name: ap_name.clone(),
                            note: Some(format!(
                                "`accessPointId` of volume `{}` is the access point's name \
                                 `{ap_name}`: give the access point its `accessPointId` (fsap-…) \
                                 in the model",
                                v.name.value
                            )),
                            in_arn: false,
                        },
                    )
                });
                let typed = wire::EfsAuthorizationConfig {
                    access_point_id,
                    iam: a.iam.as_ref().map(|x| enabled(x.value).to_owned()),
                    ..wire::EfsAuthorizationConfig::default()
                };
                self.with_aws(typed, &a.aws, span, &item("`authorizationConfig` of "))
            });
            let typed = wire::EfsVolumeConfiguration {
                file_system_id: Some(file_system_id),
                root_directory: e.root_directory.as_ref().map(text),
                transit_encryption: e
                    .transit_encryption
                    .as_ref()
                    .map(|t| enabled(t.value).to_owned()),
                transit_encryption_port: e
                    .transit_encryption_port
                    .as_ref()
                    .map(|p| i64::from(p.value)),
                authorization_config,
                ..wire::EfsVolumeConfiguration::default()
            };
            self.with_aws(typed, &e.aws, span, &item("`efsVolumeConfiguration` of "))
        });
        let typed = wire::Volume {
            name: Some(text(&v.name)),
            host,
            efs_volume_configuration: efs,
            ..wire::Volume::default()
        };
        self.with_aws(typed, &v.aws, span, &item(""))
    }
}
