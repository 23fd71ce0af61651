//! ECS services: launch type, task count, load balancers, deployment and network settings.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{S, Suppression, TaskDefinition};

/// An ECS service: keeps `desiredCount` copies of its task definition running and registers them
/// with target groups.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Service {
    /// Unique name of the service; flows and references use it.
    #[schemars(with = "String")]
    pub service_name: S<String>,
    /// Display name in diagrams and pages; defaults to `serviceName`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// Where the tasks run: `FARGATE` (serverless), `EC2` (your instances) or `EXTERNAL`. AWS
    /// default: `EC2` (without a capacity provider strategy).
    #[schemars(with = "Option<LaunchType>")]
    pub launch_type: Option<S<LaunchType>>,
    /// Fargate platform version, e.g. `1.4.0`. AWS default: `LATEST`. EFS volumes need 1.4.0 or
    /// later.
    #[schemars(with = "Option<String>")]
    pub platform_version: Option<S<String>>,
    /// How many copies of the task to keep running. Default: 1. Fewer than two is a single point of
    /// failure.
    #[schemars(with = "Option<u32>")]
    pub desired_count: Option<S<u32>>,
    /// Target groups that ECS registers each task's container port with.
    #[serde(default)]
    pub load_balancers: Vec<ServiceLoadBalancer>,
    /// How many tasks may run during a deployment.
    pub deployment_configuration: Option<DeploymentConfiguration>,
    /// Subnets, security groups and public IP of `awsvpc` tasks.
    pub network_configuration: Option<NetworkConfiguration>,
    /// The task definition the service runs: its containers and volumes.
    pub task_definition: TaskDefinition,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// Where ECS runs tasks: `FARGATE` (serverless), `EC2` (your instances) or `EXTERNAL` (ECS
/// Anywhere).
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum LaunchType {
    Ec2,
    Fargate,
    External,
}

/// Connects a target group to one container port of the service's task.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceLoadBalancer {
    /// The target group, by name (standing in for `targetGroupArn`).
    #[schemars(with = "String")]
    pub target_group: S<String>,
    /// The container that receives the traffic, in this service's task definition.
    #[schemars(with = "String")]
    pub container_name: S<String>,
    /// The container port that receives the traffic; one of the container's `portMappings`.
    #[schemars(with = "u16")]
    pub container_port: S<u16>,
}

/// Limits on running tasks during a deployment, in percent of `desiredCount`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeploymentConfiguration {
    /// Fewest running healthy tasks during a deployment, in percent of `desiredCount`. AWS default:
    /// 100.
    #[schemars(with = "Option<u32>")]
    pub minimum_healthy_percent: Option<S<u32>>,
    /// Most running tasks during a deployment, in percent of `desiredCount`. AWS default: 200; use
    /// 100 when two copies must never run at once (a database on shared storage).
    #[schemars(with = "Option<u32>")]
    pub maximum_percent: Option<S<u32>>,
    /// Stop (and optionally roll back) a deployment whose tasks keep failing.
    pub deployment_circuit_breaker: Option<CircuitBreaker>,
}

/// The deployment circuit breaker: stops a deployment whose tasks keep failing to start.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CircuitBreaker {
    /// Whether a failing deployment is stopped.
    #[schemars(with = "bool")]
    pub enable: S<bool>,
    /// Whether a stopped deployment rolls back to the last one that completed.
    #[schemars(with = "bool")]
    pub rollback: S<bool>,
}

/// Network settings of a service's tasks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkConfiguration {
    /// Network interface settings of `awsvpc` tasks.
    pub awsvpc_configuration: AwsvpcConfiguration,
}

/// Where `awsvpc` tasks get their network interface: subnets, security groups, public IP.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsvpcConfiguration {
    /// Subnets the tasks are placed in; subnets in two or more Availability Zones survive a zone
    /// outage.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub subnets: Vec<S<String>>,
    /// Security groups of the tasks' network interfaces. AWS default: the VPC's default security
    /// group.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub security_groups: Vec<S<String>>,
    /// Whether each task gets a public IP address. AWS default: `DISABLED`.
    #[schemars(with = "Option<EnabledDisabled>")]
    pub assign_public_ip: Option<S<EnabledDisabled>>,
}

/// An AWS switch: `ENABLED` or `DISABLED`.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum EnabledDisabled {
    Enabled,
    Disabled,
}
