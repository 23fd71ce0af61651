//! The serde shape of `architecture.yaml`.
//!
//! Field names follow the AWS JSON (camelCase) so that ECS task definitions map nearly one to one;
//! archflow's own additions (`role`, `label`, `description`, `connectsTo`, `flows`, …) are camelCase
//! too. Every identifier and reference is [`Spanned`] so later stages can point at it. Unknown keys
//! are errors (`deny_unknown_fields`), which the loader turns into "did you mean" diagnostics.

use serde::Deserialize;
use serde_saphyr::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Document {
    pub version: Option<S<u32>>,
    pub name: Option<S<String>>,
    pub description: Option<S<String>>,
    pub cluster: Option<Cluster>,
    #[serde(default)]
    pub actors: Vec<Actor>,
    #[serde(default)]
    pub load_balancers: Vec<LoadBalancer>,
    #[serde(default)]
    pub target_groups: Vec<TargetGroup>,
    #[serde(default)]
    pub file_systems: Vec<FileSystem>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub flows: Vec<Flow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Cluster {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub description: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Actor {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub description: Option<S<String>>,
    /// What the actor calls: load balancers, containers or other actors.
    #[serde(default)]
    pub connects_to: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LoadBalancer {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub description: Option<S<String>>,
    #[serde(rename = "type")]
    pub lb_type: Option<S<LoadBalancerType>>,
    pub scheme: Option<S<Scheme>>,
    #[serde(default)]
    pub listeners: Vec<Listener>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LoadBalancerType {
    Application,
    Network,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub enum Scheme {
    #[serde(rename = "internet-facing")]
    InternetFacing,
    #[serde(rename = "internal")]
    Internal,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Listener {
    /// Optional name; defaults to `<load balancer>:<port>`.
    pub name: Option<S<String>>,
    pub port: S<u16>,
    pub protocol: Option<S<ListenerProtocol>>,
    pub ssl_policy: Option<S<String>>,
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    #[serde(default)]
    pub default_actions: Vec<Action>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Certificate {
    pub certificate_arn: S<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub enum ListenerProtocol {
    #[serde(rename = "HTTP")]
    Http,
    #[serde(rename = "HTTPS")]
    Https,
    #[serde(rename = "TCP")]
    Tcp,
    #[serde(rename = "TLS")]
    Tls,
    #[serde(rename = "UDP")]
    Udp,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Action {
    #[serde(rename = "type")]
    pub action_type: S<ActionType>,
    /// The target group a `forward` action sends to (a name, standing in for the ARN).
    pub target_group: Option<S<String>>,
    pub redirect_config: Option<RedirectConfig>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ActionType {
    Forward,
    Redirect,
    FixedResponse,
    AuthenticateOidc,
    AuthenticateCognito,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RedirectConfig {
    pub protocol: Option<S<String>>,
    pub port: Option<S<String>>,
    pub status_code: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TargetGroup {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub description: Option<S<String>>,
    pub port: Option<S<u16>>,
    pub protocol: Option<S<ListenerProtocol>>,
    pub target_type: Option<S<TargetType>>,
    pub health_check: Option<TargetGroupHealthCheck>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    Instance,
    Ip,
    Lambda,
    Alb,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TargetGroupHealthCheck {
    pub path: Option<S<String>>,
    pub port: Option<S<String>>,
    pub protocol: Option<S<String>>,
    pub interval_seconds: Option<S<u32>>,
    pub timeout_seconds: Option<S<u32>>,
    pub healthy_threshold_count: Option<S<u32>>,
    pub unhealthy_threshold_count: Option<S<u32>>,
    pub matcher: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FileSystem {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub description: Option<S<String>>,
    pub encrypted: Option<S<bool>>,
    pub performance_mode: Option<S<PerformanceMode>>,
    pub throughput_mode: Option<S<ThroughputMode>>,
    #[serde(default)]
    pub access_points: Vec<AccessPoint>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum PerformanceMode {
    GeneralPurpose,
    MaxIO,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ThroughputMode {
    Bursting,
    Provisioned,
    Elastic,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AccessPoint {
    pub name: S<String>,
    pub root_directory: Option<S<String>>,
    pub posix_user: Option<PosixUser>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PosixUser {
    pub uid: S<u32>,
    pub gid: S<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Service {
    pub service_name: S<String>,
    pub label: Option<S<String>>,
    pub description: Option<S<String>>,
    pub launch_type: Option<S<LaunchType>>,
    pub platform_version: Option<S<String>>,
    pub desired_count: Option<S<u32>>,
    #[serde(default)]
    pub load_balancers: Vec<ServiceLoadBalancer>,
    pub deployment_configuration: Option<DeploymentConfiguration>,
    pub network_configuration: Option<NetworkConfiguration>,
    pub task_definition: TaskDefinition,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum LaunchType {
    Ec2,
    Fargate,
    External,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceLoadBalancer {
    pub target_group: S<String>,
    pub container_name: S<String>,
    pub container_port: S<u16>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeploymentConfiguration {
    pub minimum_healthy_percent: Option<S<u32>>,
    pub maximum_percent: Option<S<u32>>,
    pub deployment_circuit_breaker: Option<CircuitBreaker>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CircuitBreaker {
    pub enable: S<bool>,
    pub rollback: S<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkConfiguration {
    pub awsvpc_configuration: AwsvpcConfiguration,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsvpcConfiguration {
    #[serde(default)]
    pub subnets: Vec<S<String>>,
    #[serde(default)]
    pub security_groups: Vec<S<String>>,
    pub assign_public_ip: Option<S<EnabledDisabled>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum EnabledDisabled {
    Enabled,
    Disabled,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TaskDefinition {
    pub family: S<String>,
    pub label: Option<S<String>>,
    pub description: Option<S<String>>,
    pub network_mode: Option<S<NetworkMode>>,
    #[serde(default)]
    pub requires_compatibilities: Vec<S<LaunchType>>,
    pub cpu: Option<S<NumberOrString>>,
    pub memory: Option<S<NumberOrString>>,
    pub execution_role_arn: Option<S<String>>,
    pub task_role_arn: Option<S<String>>,
    #[serde(default)]
    pub container_definitions: Vec<ContainerDefinition>,
    #[serde(default)]
    pub volumes: Vec<Volume>,
}

/// ECS writes `cpu` and `memory` as strings; people write numbers. Both are accepted.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum NumberOrString {
    Number(u64),
    String(String),
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    Awsvpc,
    Bridge,
    Host,
    None,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContainerDefinition {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub description: Option<S<String>>,
    pub role: Option<S<Role>>,
    pub image: S<String>,
    pub essential: Option<S<bool>>,
    /// Where this container keeps its data (for `role: database`); defaults by image.
    pub data_path: Option<S<String>>,
    #[serde(default)]
    pub port_mappings: Vec<PortMapping>,
    #[serde(default)]
    pub environment: Vec<KeyValue>,
    #[serde(default)]
    pub secrets: Vec<Secret>,
    #[serde(default)]
    pub mount_points: Vec<MountPoint>,
    #[serde(default)]
    pub depends_on: Vec<ContainerDependency>,
    #[serde(default)]
    pub links: Vec<S<String>>,
    /// Containers, load balancers or actors this container calls.
    #[serde(default)]
    pub connects_to: Vec<S<String>>,
    pub health_check: Option<HealthCheck>,
    pub log_configuration: Option<LogConfiguration>,
    pub privileged: Option<S<bool>>,
    pub readonly_root_filesystem: Option<S<bool>>,
    pub user: Option<S<String>>,
    #[serde(default)]
    pub command: Vec<S<String>>,
    #[serde(default)]
    pub entry_point: Vec<S<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Api,
    Web,
    Database,
    Cache,
    Worker,
    Sidecar,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PortMapping {
    pub container_port: S<u16>,
    pub host_port: Option<S<u16>>,
    pub protocol: Option<S<TransportProtocol>>,
    pub name: Option<S<String>>,
    pub app_protocol: Option<S<AppProtocol>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TransportProtocol {
    Tcp,
    Udp,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AppProtocol {
    Http,
    Http2,
    Grpc,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KeyValue {
    pub name: S<String>,
    pub value: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Secret {
    pub name: S<String>,
    pub value_from: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MountPoint {
    pub source_volume: S<String>,
    pub container_path: S<String>,
    pub read_only: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContainerDependency {
    pub container_name: S<String>,
    pub condition: S<DependencyCondition>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum DependencyCondition {
    Start,
    Complete,
    Success,
    Healthy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HealthCheck {
    #[serde(default)]
    pub command: Vec<S<String>>,
    pub interval: Option<S<u32>>,
    pub timeout: Option<S<u32>>,
    pub retries: Option<S<u32>>,
    pub start_period: Option<S<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LogConfiguration {
    pub log_driver: S<String>,
    #[serde(default)]
    pub options: indexmap::IndexMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Volume {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub description: Option<S<String>>,
    pub host: Option<HostVolume>,
    pub efs_volume_configuration: Option<EfsVolumeConfiguration>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HostVolume {
    pub source_path: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EfsVolumeConfiguration {
    /// The file system: a name from `fileSystems` (standing in for the `fs-…` id).
    pub file_system_id: S<String>,
    pub root_directory: Option<S<String>>,
    pub transit_encryption: Option<S<EnabledDisabled>>,
    pub transit_encryption_port: Option<S<u16>>,
    pub authorization_config: Option<AuthorizationConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AuthorizationConfig {
    pub access_point_id: Option<S<String>>,
    pub iam: Option<S<EnabledDisabled>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Flow {
    pub name: S<String>,
    pub title: Option<S<String>>,
    pub description: Option<S<String>>,
    #[serde(default)]
    pub steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Step {
    pub from: S<String>,
    pub to: S<String>,
    pub action: Option<S<String>>,
    pub protocol: Option<S<String>>,
    pub port: Option<S<u16>>,
    pub note: Option<S<String>>,
}
