//! Load balancers, their listeners and actions, and target groups (the `ELBv2` API's names).

use schemars::JsonSchema;
use serde::Deserialize;

use super::{S, Suppression};

/// An Elastic Load Balancing (v2) load balancer: one stable DNS name in front of tasks whose IP
/// addresses change.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LoadBalancer {
    /// Unique name; flows and `connectsTo` refer to the load balancer by it.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// Display name in diagrams and pages; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// `application` (ALB: HTTP and HTTPS) or `network` (NLB: TCP, TLS and UDP). AWS default:
    /// `application`.
    #[serde(rename = "type")]
    #[schemars(with = "Option<LoadBalancerType>")]
    pub lb_type: Option<S<LoadBalancerType>>,
    /// `internet-facing` (public DNS name) or `internal` (reachable only inside the VPC). AWS
    /// default: `internet-facing`.
    #[schemars(with = "Option<Scheme>")]
    pub scheme: Option<S<Scheme>>,
    /// The ports the load balancer accepts connections on.
    #[serde(default)]
    pub listeners: Vec<Listener>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// The kind of load balancer: `application` (ALB, HTTP and HTTPS) or `network` (NLB, TCP, TLS and
/// UDP).
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LoadBalancerType {
    Application,
    Network,
}

/// Who can reach a load balancer: `internet-facing` (public DNS name) or `internal` (private
/// addresses in the VPC only).
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
pub enum Scheme {
    #[serde(rename = "internet-facing")]
    InternetFacing,
    #[serde(rename = "internal")]
    Internal,
}

/// A port and protocol on which a load balancer accepts connections, and what it does with them.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Listener {
    /// Name that flows and references use; defaults to `<load balancer>:<port>`.
    #[schemars(with = "Option<String>")]
    pub name: Option<S<String>>,
    /// The port clients connect to, e.g. 80 or 443.
    #[schemars(with = "u16")]
    pub port: S<u16>,
    /// `HTTP` or `HTTPS` (application load balancer), `TCP`, `TLS` or `UDP` (network load
    /// balancer). archflow assumes `HTTP` when it is left out.
    #[schemars(with = "Option<ListenerProtocol>")]
    pub protocol: Option<S<ListenerProtocol>>,
    /// Security policy (TLS versions and ciphers) of an `HTTPS` or `TLS` listener, e.g.
    /// `ELBSecurityPolicy-TLS13-1-2-2021-06`.
    #[schemars(with = "Option<String>")]
    pub ssl_policy: Option<S<String>>,
    /// Server certificates of an `HTTPS` or `TLS` listener.
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// What the listener does with each request: usually one `forward` to a target group.
    #[serde(default)]
    pub default_actions: Vec<Action>,
}

/// A server certificate of an HTTPS or TLS listener.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Certificate {
    /// The certificate's ARN (in ACM or IAM).
    #[schemars(with = "String")]
    pub certificate_arn: S<String>,
}

/// Protocol of a listener or target group: `HTTP` and `HTTPS` (application load balancers), `TCP`,
/// `TLS` and `UDP` (network load balancers).
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
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

/// A listener action (`DefaultActions`): forward, redirect, answer or authenticate.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Action {
    /// `forward` to a target group, `redirect` (e.g. HTTP to HTTPS), `fixed-response`,
    /// `authenticate-oidc` or `authenticate-cognito`.
    #[serde(rename = "type")]
    #[schemars(with = "ActionType")]
    pub action_type: S<ActionType>,
    /// The target group a `forward` action sends to (a name, standing in for the ARN).
    #[schemars(with = "Option<String>")]
    pub target_group: Option<S<String>>,
    /// Where a `redirect` action sends the client.
    pub redirect_config: Option<RedirectConfig>,
}

/// The type of a listener action.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ActionType {
    Forward,
    Redirect,
    FixedResponse,
    AuthenticateOidc,
    AuthenticateCognito,
}

/// Where a `redirect` action sends the client; parts left out keep the request's own.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RedirectConfig {
    /// `HTTP`, `HTTPS` or `#{protocol}` (the request's). AWS default: `#{protocol}`.
    #[schemars(with = "Option<String>")]
    pub protocol: Option<S<String>>,
    /// Port, as a string (e.g. `"443"`), or `#{port}` (the request's). AWS default: `#{port}`.
    #[schemars(with = "Option<String>")]
    pub port: Option<S<String>>,
    /// `HTTP_301` (permanent) or `HTTP_302` (temporary); AWS requires one.
    #[schemars(with = "Option<String>")]
    pub status_code: Option<S<String>>,
}

/// A target group: the targets (container IP addresses or instances) a listener forwards to and
/// health-checks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TargetGroup {
    /// Unique name; `forward` actions and services' `loadBalancers` refer to the target group by
    /// it.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// Display name in diagrams and pages; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// Port the targets receive traffic on (ECS registers each task with its container port).
    #[schemars(with = "Option<u16>")]
    pub port: Option<S<u16>>,
    /// Protocol to the targets: `HTTP` or `HTTPS` behind an application load balancer, `TCP`, `TLS`
    /// or `UDP` behind a network load balancer.
    #[schemars(with = "Option<ListenerProtocol>")]
    pub protocol: Option<S<ListenerProtocol>>,
    /// `instance`, `ip` (needed by `awsvpc` tasks, so by Fargate), `lambda` or `alb`. AWS default:
    /// `instance`.
    #[schemars(with = "Option<TargetType>")]
    pub target_type: Option<S<TargetType>>,
    /// How the load balancer decides that a target is healthy.
    pub health_check: Option<TargetGroupHealthCheck>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// What a target group's targets are: `instance`, `ip` (needed by `awsvpc` tasks, so by Fargate),
/// `lambda` or `alb`.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    Instance,
    Ip,
    Lambda,
    Alb,
}

/// The target group's health check: a target receives requests only while it passes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TargetGroupHealthCheck {
    /// Path requested by HTTP and HTTPS checks, e.g. `/health`. AWS default: `/`.
    #[schemars(with = "Option<String>")]
    pub path: Option<S<String>>,
    /// Port, as a string, or `traffic-port` (the port each target receives traffic on, the AWS
    /// default).
    #[schemars(with = "Option<String>")]
    pub port: Option<S<String>>,
    /// `HTTP`, `HTTPS`, `TCP`, … AWS default: `HTTP` for application load balancers, `TCP` for
    /// network load balancers.
    #[schemars(with = "Option<String>")]
    pub protocol: Option<S<String>>,
    /// Seconds between checks (5–300). AWS default: 30.
    #[schemars(with = "Option<u32>")]
    pub interval_seconds: Option<S<u32>>,
    /// Seconds without an answer that fail a check (2–120). AWS default: 5 for HTTP and HTTPS.
    #[schemars(with = "Option<u32>")]
    pub timeout_seconds: Option<S<u32>>,
    /// Consecutive passed checks that make a target healthy (2–10). AWS default: 5.
    #[schemars(with = "Option<u32>")]
    pub healthy_threshold_count: Option<S<u32>>,
    /// Consecutive failed checks that make a target unhealthy (2–10). AWS default: 2.
    #[schemars(with = "Option<u32>")]
    pub unhealthy_threshold_count: Option<S<u32>>,
    /// HTTP status codes that pass, e.g. `200` or `200-299` (`Matcher.HttpCode`). AWS default:
    /// `200`.
    #[schemars(with = "Option<String>")]
    pub matcher: Option<S<String>>,
}
