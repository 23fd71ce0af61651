//! Task definitions: containers, their ports, mounts, dependencies, health checks and logs,
//! and the task's volumes (the `RegisterTaskDefinition` names).

use schemars::JsonSchema;
use serde::Deserialize;

use super::{EnabledDisabled, LaunchType, S, Suppression};

/// An ECS task definition: the containers that run together as one task, sharing its network and
/// volumes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TaskDefinition {
    /// The task definition's family name; it may repeat its service's name.
    #[schemars(with = "String")]
    pub family: S<String>,
    /// Display name in diagrams and pages; defaults to `family`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// `awsvpc`, `bridge`, `host` or `none`. Default: `awsvpc` on Fargate (the only mode it
    /// allows), else `bridge`.
    #[schemars(with = "Option<NetworkMode>")]
    pub network_mode: Option<S<NetworkMode>>,
    /// Launch types the task definition must be valid for, e.g. `[FARGATE]`.
    #[serde(default)]
    #[schemars(with = "Vec<LaunchType>")]
    pub requires_compatibilities: Vec<S<LaunchType>>,
    /// CPU units of the task, as a string or a number: `"256"` (0.25 vCPU), `"512"`, `"1024"` (1
    /// vCPU), … Required on Fargate.
    #[schemars(with = "Option<NumberOrString>")]
    pub cpu: Option<S<NumberOrString>>,
    /// Memory of the task in MiB, as a string or a number, e.g. `"1024"`; on Fargate it must suit
    /// `cpu`.
    #[schemars(with = "Option<NumberOrString>")]
    pub memory: Option<S<NumberOrString>>,
    /// IAM role that ECS uses to pull the images and send the logs (the task execution role).
    #[schemars(with = "Option<String>")]
    pub execution_role_arn: Option<S<String>>,
    /// IAM role that the containers' code uses to call AWS.
    #[schemars(with = "Option<String>")]
    pub task_role_arn: Option<S<String>>,
    /// The containers of the task.
    #[serde(default)]
    pub container_definitions: Vec<ContainerDefinition>,
    /// Volumes that the containers can mount with `mountPoints`.
    #[serde(default)]
    pub volumes: Vec<Volume>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// ECS writes `cpu` and `memory` as strings; people write numbers. Both are accepted.
#[derive(Clone, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(untagged)]
pub enum NumberOrString {
    Number(u64),
    String(String),
}

/// Networking of a task's containers: `awsvpc` (own network interface per task; the only mode on
/// Fargate), `bridge`, `host` or `none`.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    Awsvpc,
    Bridge,
    Host,
    None,
}

/// A container of a task definition.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContainerDefinition {
    /// Unique name; flows, `dependsOn`, `connectsTo` and services' `loadBalancers` refer to the
    /// container by it.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// Display name in diagrams and pages; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// What the container is: `api`, `web`, `database`, `cache`, `worker` or `sidecar`. Rules use
    /// it: a `database` needs storage that outlives the task.
    #[schemars(with = "Option<Role>")]
    pub role: Option<S<Role>>,
    /// The image, e.g. `mongo:7` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4`.
    #[schemars(with = "String")]
    pub image: S<String>,
    /// Whether the task stops when this container stops. AWS default: true.
    #[schemars(with = "Option<bool>")]
    pub essential: Option<S<bool>>,
    /// Where this container keeps its data (for `role: database`); defaults by image.
    #[schemars(with = "Option<String>")]
    pub data_path: Option<S<String>>,
    /// Ports the container listens on.
    #[serde(default)]
    pub port_mappings: Vec<PortMapping>,
    /// Plain-text environment variables (put passwords and keys in `secrets`).
    #[serde(default)]
    pub environment: Vec<KeyValue>,
    /// Environment variables read from Secrets Manager or SSM Parameter Store.
    #[serde(default)]
    pub secrets: Vec<Secret>,
    /// Task volumes mounted into this container.
    #[serde(default)]
    pub mount_points: Vec<MountPoint>,
    /// Containers of the same task that must reach a state before this one starts.
    #[serde(default)]
    pub depends_on: Vec<ContainerDependency>,
    /// Containers this one reaches by name (`bridge` network mode only; in `awsvpc` they share
    /// `localhost`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub links: Vec<S<String>>,
    /// Containers, load balancers or actors this container calls.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub connects_to: Vec<S<String>>,
    /// The container's health check; `HEALTHY` dependencies wait for it.
    pub health_check: Option<HealthCheck>,
    /// Where the container's output goes, e.g. the `awslogs` driver (CloudWatch Logs).
    pub log_configuration: Option<LogConfiguration>,
    /// Run with elevated privileges on the host (not allowed on Fargate). AWS default: false.
    #[schemars(with = "Option<bool>")]
    pub privileged: Option<S<bool>>,
    /// Mount the container's root file system read-only. AWS default: false.
    #[schemars(with = "Option<bool>")]
    pub readonly_root_filesystem: Option<S<bool>>,
    /// User (and group) the process runs as, e.g. `999` or `node:node`. Default: the image's
    /// `USER`.
    #[schemars(with = "Option<String>")]
    pub user: Option<S<String>>,
    /// Replaces the image's `CMD`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub command: Vec<S<String>>,
    /// Replaces the image's `ENTRYPOINT`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub entry_point: Vec<S<String>>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// What a container does, for rules and diagrams (a `database` needs storage that outlives the
/// task, …).
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Api,
    Web,
    Database,
    Cache,
    Worker,
    Sidecar,
}

/// A port the container listens on.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PortMapping {
    /// The port the process listens on inside the container.
    #[schemars(with = "u16")]
    pub container_port: S<u16>,
    /// Port on the host. In `awsvpc` and `host` network modes leave it out or repeat
    /// `containerPort`; in `bridge` mode, 0 or left out picks a free port.
    #[schemars(with = "Option<u16>")]
    pub host_port: Option<S<u16>>,
    /// `tcp` or `udp`. AWS default: `tcp`.
    #[schemars(with = "Option<TransportProtocol>")]
    pub protocol: Option<S<TransportProtocol>>,
    /// Name of the mapping (used by Service Connect).
    #[schemars(with = "Option<String>")]
    pub name: Option<S<String>>,
    /// `http`, `http2` or `grpc` (used by Service Connect).
    #[schemars(with = "Option<AppProtocol>")]
    pub app_protocol: Option<S<AppProtocol>>,
}

/// Transport protocol of a port mapping.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TransportProtocol {
    Tcp,
    Udp,
}

/// Application protocol of a port mapping (used by Service Connect).
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AppProtocol {
    Http,
    Http2,
    Grpc,
}

/// A plain-text environment variable.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KeyValue {
    /// The variable's name.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// The variable's value, a string (quote numbers and booleans).
    #[schemars(with = "String")]
    pub value: S<String>,
}

/// An environment variable filled from Secrets Manager or SSM Parameter Store when the container
/// starts.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Secret {
    /// The variable's name.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// ARN of the Secrets Manager secret or SSM parameter.
    #[schemars(with = "String")]
    pub value_from: S<String>,
}

/// A task volume mounted into a container.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MountPoint {
    /// The `name` of a volume of this task definition.
    #[schemars(with = "String")]
    pub source_volume: S<String>,
    /// Where the volume appears inside the container, e.g. `/data/db`.
    #[schemars(with = "String")]
    pub container_path: S<String>,
    /// Mount read-only. AWS default: false.
    #[schemars(with = "Option<bool>")]
    pub read_only: Option<S<bool>>,
}

/// A start-up dependency on another container of the same task.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContainerDependency {
    /// The container waited for, in the same task definition.
    #[schemars(with = "String")]
    pub container_name: S<String>,
    /// `START` (it has started), `COMPLETE` (it has exited), `SUCCESS` (it has exited with status
    /// 0) or `HEALTHY` (its health check passes).
    #[schemars(with = "DependencyCondition")]
    pub condition: S<DependencyCondition>,
}

/// When a container dependency is met: `START` (it has started), `COMPLETE` (it has exited),
/// `SUCCESS` (it has exited with status 0) or `HEALTHY` (its health check passes).
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum DependencyCondition {
    Start,
    Complete,
    Success,
    Healthy,
}

/// A container health check (Docker `HEALTHCHECK`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HealthCheck {
    /// The check: `[CMD-SHELL, "curl -f http://localhost/health || exit 1"]`, or `CMD` followed by
    /// the program and its arguments.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub command: Vec<S<String>>,
    /// Seconds between checks (5–300). AWS default: 30.
    #[schemars(with = "Option<u32>")]
    pub interval: Option<S<u32>>,
    /// Seconds before a check counts as failed (2–60). AWS default: 5.
    #[schemars(with = "Option<u32>")]
    pub timeout: Option<S<u32>>,
    /// Consecutive failures that make the container unhealthy (1–10). AWS default: 3.
    #[schemars(with = "Option<u32>")]
    pub retries: Option<S<u32>>,
    /// Seconds after start in which failures do not count (0–300). AWS default: 0.
    #[schemars(with = "Option<u32>")]
    pub start_period: Option<S<u32>>,
}

/// Where a container's standard output and error go.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LogConfiguration {
    /// The log driver, e.g. `awslogs` (CloudWatch Logs); Fargate supports `awslogs`, `splunk` and
    /// `awsfirelens`.
    #[schemars(with = "String")]
    pub log_driver: S<String>,
    /// Options of the driver, e.g. `awslogs-group`, `awslogs-region`, `awslogs-stream-prefix`.
    #[serde(default)]
    pub options: indexmap::IndexMap<String, String>,
}

/// A task volume: an EFS file system (`efsVolumeConfiguration`), a host path (`host`), or, with
/// neither, storage deleted with the task.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Volume {
    /// Unique name; `mountPoints[].sourceVolume` refers to the volume by it.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// Display name in diagrams and pages; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// A path on the EC2 host (not on Fargate).
    pub host: Option<HostVolume>,
    /// An EFS file system: storage that outlives the task.
    pub efs_volume_configuration: Option<EfsVolumeConfiguration>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// A bind mount from the EC2 container instance.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HostVolume {
    /// The path on the host. Left out, Docker picks one and the data may not outlive the task.
    #[schemars(with = "Option<String>")]
    pub source_path: Option<S<String>>,
}

/// How a volume mounts an EFS file system.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EfsVolumeConfiguration {
    /// The file system: a name from `fileSystems` (standing in for the `fs-…` id).
    #[schemars(with = "String")]
    pub file_system_id: S<String>,
    /// Directory of the file system mounted as the volume's root. AWS default: `/` (the only value
    /// allowed with an access point).
    #[schemars(with = "Option<String>")]
    pub root_directory: Option<S<String>>,
    /// TLS between the task and EFS. AWS default: `DISABLED`; must be `ENABLED` when `iam` is.
    #[schemars(with = "Option<EnabledDisabled>")]
    pub transit_encryption: Option<S<EnabledDisabled>>,
    /// Port of the encrypted NFS traffic. Default: picked by the EFS mount helper.
    #[schemars(with = "Option<u16>")]
    pub transit_encryption_port: Option<S<u16>>,
    /// Access point and IAM authorization of the mount.
    pub authorization_config: Option<AuthorizationConfig>,
}

/// Access point and IAM authorization of an EFS mount.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AuthorizationConfig {
    /// An access point, by its `name` in `fileSystems[].accessPoints` (standing in for the `fsap-…`
    /// id).
    #[schemars(with = "Option<String>")]
    pub access_point_id: Option<S<String>>,
    /// Mount with the task's IAM role (needs `transitEncryption: ENABLED`). AWS default:
    /// `DISABLED`.
    #[schemars(with = "Option<EnabledDisabled>")]
    pub iam: Option<S<EnabledDisabled>>,
}
