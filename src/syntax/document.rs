//! The serde shape of `architecture.yaml`.
//!
//! Field names follow the AWS JSON (camelCase) so that ECS task definitions map nearly one to one;
//! archflow's own additions (`role`, `label`, `description`, `connectsTo`, `flows`, …) are camelCase
//! too. Every identifier and reference is [`Spanned`] so later stages can point at it. Unknown keys
//! are errors (`deny_unknown_fields`), which the loader turns into "did you mean" diagnostics;
//! AWS fields archflow does not model go, unchanged, in the `aws:` of the item they belong to
//! (see [`super::aws`]).
//!
//! Why one long file: it is declarative (one type per YAML mapping, each field with the doc
//! comment that becomes the editor's hover text), read top to bottom like the model itself, and
//! generates `archflow.schema.json`. Its types cannot share their common fields (`label`,
//! `description`, `suppress`) through `#[serde(flatten)]`, which `deny_unknown_fields` and
//! spans do not survive, so the same field shapes repeat; spreading them over files would only
//! spread the repetition.

pub use super::spanned::Spanned;
use schemars::JsonSchema;
use serde::Deserialize;

pub use super::aws::{AwsFields, AwsObject, aws_fields};
pub use super::flow::{FlowStep, Frame, Group, GroupBranch, GroupKind};

pub type S<T> = Spanned<T>;

/// An archflow model: a containerised deployment on AWS ECS (services, task definitions,
/// containers, load balancers, EFS file systems), who calls it, and named request flows.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Document {
    /// Version of the archflow model format: `1`.
    #[schemars(with = "Option<u32>")]
    pub version: Option<S<u32>>,
    /// The system's name: the title of the diagrams and pages.
    #[schemars(with = "Option<String>")]
    pub name: Option<S<String>>,
    /// What the system is and does, in Markdown: the introduction of the HTML explainer and the
    /// Markdown page.
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// The ECS cluster the services run in.
    pub cluster: Option<Cluster>,
    /// Who or what calls the system from outside: users, the internet, external systems.
    #[serde(default)]
    pub actors: Vec<Actor>,
    /// Application and network load balancers, with their listeners.
    #[serde(default)]
    pub load_balancers: Vec<LoadBalancer>,
    /// Target groups: what listeners forward to and services register their containers with.
    #[serde(default)]
    pub target_groups: Vec<TargetGroup>,
    /// Amazon EFS file systems that task volumes mount.
    #[serde(default)]
    pub file_systems: Vec<FileSystem>,
    /// ECS services, each with the task definition it runs.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Named request flows, drawn as sequence diagrams and stepped through in the HTML explainer.
    #[serde(default)]
    pub flows: Vec<Flow>,
    /// Views of your own, besides the built-in ones (`overview`, one per service, one per flow):
    /// the components they show, chosen by name, kind, tag or service.
    #[serde(default)]
    pub views: Vec<ViewDefinition>,
    /// Why the system is built this way: short decision records (context, decision,
    /// consequences), shown in the HTML explainer and the Markdown page next to the components
    /// they concern.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// How findings are reported: rule severities and rules turned off.
    pub checks: Option<Checks>,
}

/// A design decision: why the system is built this way, and what that costs. Every text is
/// Markdown.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Decision {
    /// A short title that states the decision, e.g. `MongoDB runs in the API's task`.
    #[schemars(with = "String")]
    pub title: S<String>,
    /// The situation and the forces at play: what made a decision necessary.
    #[schemars(with = "Option<String>")]
    pub context: Option<S<String>>,
    /// What was decided.
    #[schemars(with = "Option<String>")]
    pub decision: Option<S<String>>,
    /// What follows from it, good and bad: the trade-off accepted.
    #[schemars(with = "Option<String>")]
    pub consequences: Option<S<String>>,
    /// The components the decision is about, by name (as flow steps name them): the explainer
    /// links the record to them and them to it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub concerns: Vec<S<String>>,
}

/// A view of the model: a diagram of the components it selects. Every component that an
/// `include` selector matches is shown (every component when there is no `include`), except
/// those an `exclude` selector matches; the boxes around them come along.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ViewDefinition {
    /// Unique among views: `archflow render --view NAME`, `views/NAME.svg`. `overview` and names
    /// starting with `service:` or `flow:` are the built-in views'.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// The view's title; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub title: Option<S<String>>,
    /// What the view shows and why, in Markdown.
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// Which way the diagram's tiers run (`LR` or `TB`); defaults to the command's `--direction`.
    #[schemars(with = "Option<ViewDirection>")]
    pub direction: Option<S<ViewDirection>>,
    /// Show what any of these selects.
    #[serde(default)]
    pub include: Vec<Selector>,
    /// Leave out what any of these selects.
    #[serde(default)]
    pub exclude: Vec<Selector>,
}

/// Which way a view's tiers run.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
pub enum ViewDirection {
    /// Left to right.
    LR,
    /// Top to bottom.
    TB,
}

/// Selects components: those that match every field given.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Selector {
    /// A component's name (`service/container` for a container whose name several tasks have).
    #[schemars(with = "Option<String>")]
    pub name: Option<S<String>>,
    /// A kind of component.
    #[schemars(with = "Option<SelectorKind>")]
    pub kind: Option<S<SelectorKind>>,
    /// An AWS tag the component has: its key (`team`) or key and value (`team=payments`). A
    /// service's and its task definition's tags (`aws: {tags: [{key: …, value: …}]}`) are its
    /// containers' and volumes' too.
    #[schemars(with = "Option<String>")]
    pub tag: Option<S<String>>,
    /// The components of this service's task.
    #[schemars(with = "Option<String>")]
    pub service: Option<S<String>>,
}

/// A kind of component a selector can choose.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum SelectorKind {
    Actor,
    LoadBalancer,
    Listener,
    TargetGroup,
    /// Every container, databases included.
    Container,
    /// Containers with `role: database`.
    Database,
    Volume,
    FileSystem,
}

/// `checks:`: the model's own settings for the checker.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Checks {
    /// Rule code (`A010`) or name (`single-task-service`) → level, in document order.
    #[serde(default)]
    #[schemars(with = "indexmap::IndexMap<String, RuleLevel>")]
    pub rules: indexmap::IndexMap<S<String>, S<RuleLevel>>,
}

/// What `checks.rules` sets a rule to: off, or the severity its findings get.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Off,
    Info,
    Warning,
    Error,
}

/// One entry of an item's `suppress:` list: `{rule: A010, reason: "…"}`. The reason is required
/// (a missing or empty one is finding C002), but optional here so that it is reported as a
/// finding, with every other one, rather than as a load error.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Suppression {
    /// A rule code (`A010`) or name (`single-task-service`).
    #[schemars(with = "String")]
    pub rule: S<String>,
    /// Why the rule does not apply here, for the next reader; required (a missing or empty reason
    /// is itself a finding).
    #[schemars(with = "Option<String>")]
    pub reason: Option<S<String>>,
}

/// Hints for laid-out diagrams (SVG, HTML; not Graphviz or Mermaid, which lay out on their own):
/// which tier a component is drawn in and where among its neighbours. A service's hints place its
/// box (and its containers and volumes, unless they have hints of their own); in the overview,
/// its box is one component.
#[derive(Clone, Copy, Debug, Default, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LayoutHint {
    /// The tier: every component of a lower tier is drawn before (left of, or above) every
    /// component of a higher tier. Components without a tier go where their connections put
    /// them. A connection from a higher tier to a lower one is drawn pointing back.
    pub tier: Option<u32>,
    /// The order among the components drawn in one column (a service's box among its sibling
    /// boxes): lower first (top in `LR`, left in `TB`). Components without an order keep the
    /// place their connections give them.
    pub order: Option<i32>,
}

/// The ECS cluster the services run in (drawn as the outermost box).
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Cluster {
    /// The cluster's name (`clusterName`).
    #[schemars(with = "String")]
    pub name: S<String>,
    /// The cluster's ARN, e.g. `arn:aws:ecs:eu-west-1:123456789012:cluster/goals-cluster`:
    /// `export ecs` writes it as each service's `cluster` (else `name`), and `drift` compares it.
    #[schemars(with = "Option<String>")]
    pub cluster_arn: Option<S<String>>,
    /// Display name in diagrams and pages; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
}

/// Someone or something outside the deployment that calls it: a user, a browser, an external
/// system.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Actor {
    /// Unique name; flows and `connectsTo` refer to the actor by it.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// Display name in diagrams and pages; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// What the actor calls: load balancers, containers or other actors, by name (a container
    /// another service also has a container of that name: `service/container`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub connects_to: Vec<S<String>>,
    /// Where the component goes in laid-out diagrams (SVG, HTML): its tier and its order.
    pub layout: Option<LayoutHint>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// An Elastic Load Balancing (v2) load balancer: one stable DNS name in front of tasks whose IP
/// addresses change.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// Where this was imported from, written by `archflow import cloudformation` / `terraform`:
    /// `template.yaml#LogicalId` or `path:resource.address`. Findings about the component name it,
    /// and the HTML explainer's card shows it.
    #[schemars(with = "Option<String>")]
    pub origin: Option<S<String>>,
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
    /// Where the component goes in laid-out diagrams (SVG, HTML): its tier and its order.
    pub layout: Option<LayoutHint>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// The kind of load balancer: `application` (ALB, HTTP and HTTPS) or `network` (NLB, TCP, TLS and
/// UDP).
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LoadBalancerType {
    Application,
    Network,
}

/// Who can reach a load balancer: `internet-facing` (public DNS name) or `internal` (private
/// addresses in the VPC only).
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
pub enum Scheme {
    #[serde(rename = "internet-facing")]
    InternetFacing,
    #[serde(rename = "internal")]
    Internal,
}

/// A port and protocol on which a load balancer accepts connections, and what it does with them.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Certificate {
    /// The certificate's ARN (in ACM or IAM).
    #[schemars(with = "String")]
    pub certificate_arn: S<String>,
}

/// Protocol of a listener or target group: `HTTP` and `HTTPS` (application load balancers), `TCP`,
/// `TLS` and `UDP` (network load balancers).
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
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
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ActionType {
    Forward,
    Redirect,
    FixedResponse,
    AuthenticateOidc,
    AuthenticateCognito,
}

/// Where a `redirect` action sends the client; parts left out keep the request's own.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TargetGroup {
    /// Unique name; `forward` actions and services' `loadBalancers` refer to the target group by
    /// it.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// The target group's ARN: `export ecs` writes it as the `targetGroupArn` of the services'
    /// `loadBalancers` (else `name`), and `drift` compares it.
    #[schemars(with = "Option<String>")]
    pub target_group_arn: Option<S<String>>,
    /// Display name in diagrams and pages; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// Where this was imported from, written by `archflow import cloudformation` / `terraform`:
    /// `template.yaml#LogicalId` or `path:resource.address`. Findings about the component name it,
    /// and the HTML explainer's card shows it.
    #[schemars(with = "Option<String>")]
    pub origin: Option<S<String>>,
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
    /// Where the component goes in laid-out diagrams (SVG, HTML): its tier and its order.
    pub layout: Option<LayoutHint>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// What a target group's targets are: `instance`, `ip` (needed by `awsvpc` tasks, so by Fargate),
/// `lambda` or `alb`.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    Instance,
    Ip,
    Lambda,
    Alb,
}

/// The target group's health check: a target receives requests only while it passes.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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

/// An Amazon EFS file system: network storage (NFS, port 2049) that exists independently of any
/// task.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FileSystem {
    /// Unique name; `efsVolumeConfiguration.fileSystemId` refers to the file system by it.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// The file system's id in AWS, `fs-…`: `export ecs` writes it as the volumes'
    /// `fileSystemId` (else `name`), and `drift` compares it.
    #[schemars(with = "Option<String>")]
    pub file_system_id: Option<S<String>>,
    /// Display name in diagrams and pages; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// Where this was imported from, written by `archflow import cloudformation` / `terraform`:
    /// `template.yaml#LogicalId` or `path:resource.address`. Findings about the component name it,
    /// and the HTML explainer's card shows it.
    #[schemars(with = "Option<String>")]
    pub origin: Option<S<String>>,
    /// Whether data is encrypted at rest. AWS default: false with the API and CloudFormation (the
    /// console turns it on).
    #[schemars(with = "Option<bool>")]
    pub encrypted: Option<S<bool>>,
    /// `generalPurpose` (lowest latency, recommended) or `maxIO`; fixed when the file system is
    /// created. AWS default: `generalPurpose`.
    #[schemars(with = "Option<PerformanceMode>")]
    pub performance_mode: Option<S<PerformanceMode>>,
    /// `bursting` (scales with size, runs on credits), `provisioned` or `elastic` (scales with
    /// load). AWS default: `bursting` (the console picks `elastic`).
    #[schemars(with = "Option<ThroughputMode>")]
    pub throughput_mode: Option<S<ThroughputMode>>,
    /// Access points: entries into the file system, each with its own root directory and POSIX
    /// user.
    #[serde(default)]
    pub access_points: Vec<AccessPoint>,
    /// Settings nobody has checked yet, e.g. because an importer could not see them (a task
    /// definition says nothing of its file systems' encryption). Rules do not assume AWS's
    /// default for these: they skip them, or say that the setting is unknown. Write the real
    /// value and remove it from this list.
    #[serde(default)]
    #[schemars(with = "Vec<FileSystemSetting>")]
    pub unknown: Vec<S<FileSystemSetting>>,
    /// Where the component goes in laid-out diagrams (SVG, HTML): its tier and its order.
    pub layout: Option<LayoutHint>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// A setting of an EFS file system that can be marked unknown.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum FileSystemSetting {
    Encrypted,
    PerformanceMode,
    ThroughputMode,
}

/// EFS performance mode: `generalPurpose` (lowest latency, recommended) or `maxIO`.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum PerformanceMode {
    GeneralPurpose,
    MaxIO,
}

/// EFS throughput mode: `bursting` (credit-based), `provisioned` or `elastic` (scales with load).
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ThroughputMode {
    Bursting,
    Provisioned,
    Elastic,
}

/// An EFS access point: an entry into the file system with its own root directory and POSIX
/// identity.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AccessPoint {
    /// Unique name; `authorizationConfig.accessPointId` refers to the access point by it.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// The access point's id in AWS, `fsap-…`: `export ecs` writes it as the volumes'
    /// `accessPointId` (else `name`), and `drift` compares it.
    #[schemars(with = "Option<String>")]
    pub access_point_id: Option<S<String>>,
    /// Directory that clients of this access point see as the root (`RootDirectory.Path`). AWS
    /// default: `/`.
    #[schemars(with = "Option<String>")]
    pub root_directory: Option<S<String>>,
    /// User and group that every request through this access point runs as.
    pub posix_user: Option<PosixUser>,
}

/// The POSIX identity every request through an access point runs as.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PosixUser {
    /// User id (`Uid`).
    #[schemars(with = "u32")]
    pub uid: S<u32>,
    /// Group id (`Gid`).
    #[schemars(with = "u32")]
    pub gid: S<u32>,
}

/// An ECS service: keeps `desiredCount` copies of its task definition running and registers them
/// with target groups.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// Where this was imported from, written by `archflow import cloudformation` / `terraform`:
    /// `template.yaml#LogicalId` or `path:resource.address`. Findings about the component name it,
    /// and the HTML explainer's card shows it.
    #[schemars(with = "Option<String>")]
    pub origin: Option<S<String>>,
    /// Where the tasks run: `FARGATE` (serverless), `EC2` (your instances) or `EXTERNAL`. AWS
    /// default: `EC2` (without a capacity provider strategy).
    #[schemars(with = "Option<LaunchType>")]
    pub launch_type: Option<S<LaunchType>>,
    /// Capacity providers the tasks are placed with, instead of `launchType`, e.g.
    /// `[{capacityProvider: FARGATE_SPOT, weight: 1}]`. AWS default: the cluster's default
    /// strategy (when `launchType` is left out too).
    #[serde(default)]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
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
    /// Seconds after a task starts in which failing load balancer health checks do not stop it.
    /// AWS default: 0 (ECS uses 15 when the service has load balancers and this is left out).
    #[schemars(with = "Option<u32>")]
    pub health_check_grace_period_seconds: Option<S<u32>>,
    /// The task definition the service runs: its containers and volumes.
    pub task_definition: TaskDefinition,
    /// Where the component goes in laid-out diagrams (SVG, HTML): its tier and its order.
    pub layout: Option<LayoutHint>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it; except `loadBalancers` naming containers of a task definition the
    /// model does not have (carried here, not checked).
    #[serde(default, deserialize_with = "aws_fields::<_, Service>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// Where ECS runs tasks: `FARGATE` (serverless), `EC2` (your instances) or `EXTERNAL` (ECS
/// Anywhere).
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum LaunchType {
    Ec2,
    Fargate,
    External,
}

/// One capacity provider of a service's strategy: where a share of its tasks runs.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CapacityProviderStrategyItem {
    /// The capacity provider: `FARGATE`, `FARGATE_SPOT`, or one of the cluster's Auto Scaling
    /// group providers.
    #[schemars(with = "String")]
    pub capacity_provider: S<String>,
    /// Relative share of the tasks beyond `base` (0–1000). AWS default: 0.
    #[schemars(with = "Option<u32>")]
    pub weight: Option<S<u32>>,
    /// Tasks placed with this provider before any weight applies (0–100000). AWS default: 0.
    #[schemars(with = "Option<u32>")]
    pub base: Option<S<u32>>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(
        default,
        deserialize_with = "aws_fields::<_, CapacityProviderStrategyItem>"
    )]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// Connects a target group to one container port of the service's task.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, ServiceLoadBalancer>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// Limits on running tasks during a deployment, in percent of `desiredCount`.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, DeploymentConfiguration>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// The deployment circuit breaker: stops a deployment whose tasks keep failing to start.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CircuitBreaker {
    /// Whether a failing deployment is stopped.
    #[schemars(with = "bool")]
    pub enable: S<bool>,
    /// Whether a stopped deployment rolls back to the last one that completed.
    #[schemars(with = "bool")]
    pub rollback: S<bool>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, CircuitBreaker>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// Network settings of a service's tasks.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NetworkConfiguration {
    /// Network interface settings of `awsvpc` tasks.
    pub awsvpc_configuration: AwsvpcConfiguration,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, NetworkConfiguration>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// Where `awsvpc` tasks get their network interface: subnets, security groups, public IP.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, AwsvpcConfiguration>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// An AWS switch: `ENABLED` or `DISABLED`.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum EnabledDisabled {
    Enabled,
    Disabled,
}

/// An ECS task definition: the containers that run together as one task, sharing its network and
/// volumes.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// Where this was imported from, written by `archflow import cloudformation` / `terraform`:
    /// `template.yaml#LogicalId` or `path:resource.address`. Findings about the component name it,
    /// and the HTML explainer's card shows it.
    #[schemars(with = "Option<String>")]
    pub origin: Option<S<String>>,
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
    /// CPU architecture and operating system the task runs on. AWS default: `X86_64` and
    /// `LINUX`.
    pub runtime_platform: Option<RuntimePlatform>,
    /// Fargate's task storage (the containers' writable layers and volumes without a
    /// configuration), in GiB. AWS default: 20 GiB.
    pub ephemeral_storage: Option<EphemeralStorage>,
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
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, TaskDefinition>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// The CPU architecture and operating system a task runs on (`runtimePlatform`).
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RuntimePlatform {
    /// `X86_64` or `ARM64` (Graviton). AWS default: `X86_64`. The images must be built for it.
    #[schemars(with = "Option<CpuArchitecture>")]
    pub cpu_architecture: Option<S<CpuArchitecture>>,
    /// `LINUX` or a Windows Server version, e.g. `WINDOWS_SERVER_2022_CORE`. AWS default:
    /// `LINUX`.
    #[schemars(with = "Option<OperatingSystemFamily>")]
    pub operating_system_family: Option<S<OperatingSystemFamily>>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, RuntimePlatform>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// The CPU architecture of a task: `X86_64` or `ARM64`.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
pub enum CpuArchitecture {
    #[serde(rename = "X86_64")]
    X86,
    #[serde(rename = "ARM64")]
    Arm64,
}

/// The operating system family of a task: `LINUX` or a Windows Server version.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OperatingSystemFamily {
    Linux,
    #[serde(rename = "WINDOWS_SERVER_2016_FULL")]
    WindowsServer2016Full,
    #[serde(rename = "WINDOWS_SERVER_2019_FULL")]
    WindowsServer2019Full,
    #[serde(rename = "WINDOWS_SERVER_2019_CORE")]
    WindowsServer2019Core,
    #[serde(rename = "WINDOWS_SERVER_2004_CORE")]
    WindowsServer2004Core,
    #[serde(rename = "WINDOWS_SERVER_20H2_CORE")]
    WindowsServer20H2Core,
    #[serde(rename = "WINDOWS_SERVER_2022_FULL")]
    WindowsServer2022Full,
    #[serde(rename = "WINDOWS_SERVER_2022_CORE")]
    WindowsServer2022Core,
    #[serde(rename = "WINDOWS_SERVER_2025_FULL")]
    WindowsServer2025Full,
    #[serde(rename = "WINDOWS_SERVER_2025_CORE")]
    WindowsServer2025Core,
}

/// The size of a Fargate task's storage (`ephemeralStorage`).
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EphemeralStorage {
    /// GiB of task storage, 21–200 (Fargate platform 1.4.0 or later). AWS default: 20.
    #[serde(rename = "sizeInGiB")]
    #[schemars(with = "u32")]
    pub size_in_gib: S<u32>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, EphemeralStorage>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// ECS writes `cpu` and `memory` as strings; people write numbers. Both are accepted.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(untagged)]
pub enum NumberOrString {
    Number(u64),
    String(String),
}

/// Networking of a task's containers: `awsvpc` (own network interface per task; the only mode on
/// Fargate), `bridge`, `host` or `none`.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    Awsvpc,
    Bridge,
    Host,
    None,
}

/// A container of a task definition.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// CPU units reserved for the container (1024 = one vCPU), out of the task's. AWS default: 0
    /// (the container shares what the others leave).
    #[schemars(with = "Option<u32>")]
    pub cpu: Option<S<u32>>,
    /// Hard memory limit in MiB: the container is stopped when it uses more. On EC2 each
    /// container needs `memory` or `memoryReservation` unless the task has `memory`.
    #[schemars(with = "Option<u32>")]
    pub memory: Option<S<u32>>,
    /// Soft memory limit in MiB: what ECS reserves for the container when placing the task; it
    /// may use more, up to `memory`.
    #[schemars(with = "Option<u32>")]
    pub memory_reservation: Option<S<u32>>,
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
    /// Containers, load balancers or actors this container calls. A short name means a container
    /// of the same task when there is one; a container of another service is `service/container`
    /// when its name alone is not unique.
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
    /// Where the component goes in laid-out diagrams (SVG, HTML): its tier and its order.
    pub layout: Option<LayoutHint>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it; except `dependsOn`, `links` and `mountPoints` naming containers or
    /// volumes the model does not have (carried here, not checked).
    #[serde(default, deserialize_with = "aws_fields::<_, ContainerDefinition>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// What a container does, for rules and diagrams (a `database` needs storage that outlives the
/// task, …).
#[derive(
    Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
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
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, PortMapping>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// Transport protocol of a port mapping.
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TransportProtocol {
    Tcp,
    Udp,
}

/// Application protocol of a port mapping (used by Service Connect).
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AppProtocol {
    Http,
    Http2,
    Grpc,
}

/// A plain-text environment variable.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KeyValue {
    /// The variable's name.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// The variable's value, a string (quote numbers and booleans).
    #[schemars(with = "String")]
    pub value: S<String>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, KeyValue>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// An environment variable filled from Secrets Manager or SSM Parameter Store when the container
/// starts.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Secret {
    /// The variable's name.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// ARN of the Secrets Manager secret or SSM parameter.
    #[schemars(with = "String")]
    pub value_from: S<String>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, Secret>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// A task volume mounted into a container.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, MountPoint>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// A start-up dependency on another container of the same task.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContainerDependency {
    /// The container waited for, in the same task definition.
    #[schemars(with = "String")]
    pub container_name: S<String>,
    /// `START` (it has started), `COMPLETE` (it has exited), `SUCCESS` (it has exited with status
    /// 0) or `HEALTHY` (its health check passes).
    #[schemars(with = "DependencyCondition")]
    pub condition: S<DependencyCondition>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, ContainerDependency>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// When a container dependency is met: `START` (it has started), `COMPLETE` (it has exited),
/// `SUCCESS` (it has exited with status 0) or `HEALTHY` (its health check passes).
#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum DependencyCondition {
    Start,
    Complete,
    Success,
    Healthy,
}

/// A container health check (Docker `HEALTHCHECK`).
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, HealthCheck>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// Where a container's standard output and error go.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LogConfiguration {
    /// The log driver, e.g. `awslogs` (CloudWatch Logs); Fargate supports `awslogs`, `splunk` and
    /// `awsfirelens`.
    #[schemars(with = "String")]
    pub log_driver: S<String>,
    /// Options of the driver, e.g. `awslogs-group`, `awslogs-region`, `awslogs-stream-prefix`.
    #[serde(default)]
    pub options: indexmap::IndexMap<String, String>,
    /// Options of the driver read from Secrets Manager or SSM Parameter Store (a Splunk token,
    /// say), so they are not written in the task definition.
    #[serde(default)]
    pub secret_options: Vec<Secret>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, LogConfiguration>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// A task volume: an EFS file system (`efsVolumeConfiguration`), a host path (`host`), or, with
/// neither, storage deleted with the task.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, Volume>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// A bind mount from the EC2 container instance.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HostVolume {
    /// The path on the host. Left out, Docker picks one and the data may not outlive the task.
    #[schemars(with = "Option<String>")]
    pub source_path: Option<S<String>>,
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, HostVolume>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// How a volume mounts an EFS file system.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, EfsVolumeConfiguration>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// Access point and IAM authorization of an EFS mount.
#[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
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
    /// AWS JSON fields archflow does not model, written back unchanged by `export ecs`: AWS's
    /// camelCase keys with their JSON values, as YAML. A field archflow models belongs beside
    /// `aws:`, not in it.
    #[serde(default, deserialize_with = "aws_fields::<_, AuthorizationConfig>")]
    #[schemars(with = "AwsFields")]
    pub aws: AwsFields,
}

/// A named request flow: the path one request takes through the system, step by step.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Flow {
    /// Unique name of the flow, e.g. `store-goal` (`archflow render --flow` takes it).
    #[schemars(with = "String")]
    pub name: S<String>,
    /// A readable title, e.g. `Store a goal`; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub title: Option<S<String>>,
    /// What the flow shows, in Markdown.
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// The hops of the request, in order: steps (`from`, `to`, …) and groups of steps that are
    /// alternatives (`alt`), optional (`opt`), run in parallel (`par`) or repeated (`loop`).
    #[serde(default, rename = "steps")]
    #[schemars(with = "Vec<FlowItem>")]
    pub(super) items: Vec<S<FlowItem>>,
    /// Every step, groups opened, in reading order (numbered from 1 in diagrams); each says which
    /// groups it is in. Filled by [`super::parse`] from the items as written.
    #[serde(skip)]
    pub steps: Vec<FlowStep>,
    /// Every group, in reading order (outer before inner): its kind, where it is written and its
    /// branches, empty ones included. [`Frame::group`] indexes it.
    #[serde(skip)]
    pub groups: Vec<Group>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// One item of a flow's `steps:`: a step (`from`, `to`, …), or a group of steps: exactly one of
/// `alt` (alternatives), `opt` (optional), `par` (in parallel) or `loop` (repeated).
///
/// One struct for both, rather than an untagged enum, so that every value keeps its span and an
/// unknown key its "did you mean"; the loader ([`super::flow`]) checks that it is one or the
/// other. Its schema is the exact one: one of [`Step`], [`Alt`], [`Opt`], [`Par`], [`Loop`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FlowItem {
    pub from: Option<S<String>>,
    pub to: Option<S<String>>,
    pub action: Option<S<String>>,
    pub protocol: Option<S<String>>,
    pub port: Option<S<u16>>,
    pub note: Option<S<String>>,
    #[serde(rename = "async")]
    pub is_async: Option<S<bool>>,
    pub alt: Option<S<Vec<S<Branch>>>>,
    pub opt: Option<S<Branch>>,
    pub par: Option<S<Vec<S<Branch>>>>,
    #[serde(rename = "loop")]
    pub repeat: Option<S<Branch>>,
}

impl JsonSchema for FlowItem {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FlowItem".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "One item of a flow's `steps:`: a step (`from`, `to`, …), or a group of steps: exactly one of `alt` (alternatives), `opt` (optional), `par` (in parallel) or `loop` (repeated).",
            "oneOf": [
                generator.subschema_for::<Step>(),
                generator.subschema_for::<Alt>(),
                generator.subschema_for::<Opt>(),
                generator.subschema_for::<Par>(),
                generator.subschema_for::<Loop>(),
            ]
        })
    }
}

/// One hop of a flow: a message from one component to another. (The loader reads it as a
/// [`FlowItem`]; this type gives its schema.)
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Step {
    /// Who sends: an actor, load balancer, listener, target group, container, volume or file
    /// system, by name; a container or volume whose name several tasks have as
    /// `service/container`.
    #[schemars(example = &"goals-alb")]
    pub from: String,
    /// Who receives, by name.
    #[schemars(example = &"goals-backend")]
    pub to: String,
    /// What happens, e.g. `POST /goals` or `201 Created`.
    #[schemars(example = &"POST /goals")]
    pub action: Option<String>,
    /// Protocol of the hop, free text, e.g. `HTTP`, `mongodb`, `NFS`.
    #[schemars(example = &"HTTP")]
    pub protocol: Option<String>,
    /// Port of the hop, e.g. 80.
    #[schemars(example = 80)]
    pub port: Option<u16>,
    /// What happens and why, what breaks if this hop fails; Markdown, shown with the step in the
    /// HTML explainer.
    pub note: Option<String>,
    /// Fire and forget: the sender expects no answer (a queued message, an event). Drawn as an
    /// open arrow (Mermaid `-)`); no later step is read as its answer. Default `false`.
    #[serde(rename = "async")]
    pub is_async: Option<bool>,
}

/// Alternatives: exactly one branch happens, the first whose `when` holds (Mermaid `alt` …
/// `else` … `end`). Two branches or more; a single one is an `opt`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alt {
    /// The branches, each with its `when` and its steps, e.g. `[{when: goal cached, steps:
    /// […]}, {when: otherwise, steps: […]}]`.
    pub alt: Vec<Branch>,
}

/// Optional steps: they happen only `when` the condition holds (Mermaid `opt`).
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Opt {
    /// The condition and the steps, e.g. `{when: new goal, steps: […]}`.
    pub opt: Branch,
}

/// Steps that happen at the same time: each branch runs alongside the others (Mermaid `par` …
/// `and` … `end`).
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Par {
    /// The branches that run in parallel, e.g. `[{when: email, steps: […]}, {when: audit,
    /// steps: […]}]`.
    pub par: Vec<Branch>,
}

/// Repeated steps: they happen again and again, as `when` says (Mermaid `loop`).
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Loop {
    /// How often, and the steps, e.g. `{when: each page, steps: […]}`.
    #[serde(rename = "loop")]
    pub repeat: Branch,
}

/// One branch of a group: when its steps happen, and the steps.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Branch {
    /// When the branch's steps happen, in words, e.g. `goal cached`, `otherwise`, `each page`;
    /// optional for a branch of `par` (e.g. `email`).
    #[schemars(with = "Option<String>", example = &"goal cached")]
    pub when: Option<S<String>>,
    /// The branch's steps and groups, in order.
    #[serde(default)]
    #[schemars(with = "Vec<FlowItem>")]
    pub steps: Vec<S<FlowItem>>,
}

impl AwsObject for Service {
    /// The document's `cluster` is every service's.
    const MODELLED_ELSEWHERE: &'static [&'static str] = &["cluster"];
    /// Load balancers naming containers of a task definition the model does not have.
    const REFERENCES_OUTSIDE: &'static [&'static str] = &["loadBalancers"];
}
impl AwsObject for CapacityProviderStrategyItem {}
impl AwsObject for ServiceLoadBalancer {
    /// `targetGroup` names the target group, whose `targetGroupArn` is the ARN.
    const MODELLED_ELSEWHERE: &'static [&'static str] = &["targetGroupArn"];
}
impl AwsObject for DeploymentConfiguration {}
impl AwsObject for CircuitBreaker {}
impl AwsObject for NetworkConfiguration {}
impl AwsObject for AwsvpcConfiguration {}
impl AwsObject for TaskDefinition {}
impl AwsObject for RuntimePlatform {}
impl AwsObject for EphemeralStorage {}
impl AwsObject for ContainerDefinition {
    /// Dependencies on containers, and mounts of volumes, the model does not have (the file
    /// held only container definitions).
    const REFERENCES_OUTSIDE: &'static [&'static str] = &["dependsOn", "links", "mountPoints"];
}
impl AwsObject for PortMapping {}
impl AwsObject for KeyValue {}
impl AwsObject for Secret {}
impl AwsObject for MountPoint {}
impl AwsObject for ContainerDependency {}
impl AwsObject for HealthCheck {}
impl AwsObject for LogConfiguration {}
impl AwsObject for Volume {}
impl AwsObject for HostVolume {}
impl AwsObject for EfsVolumeConfiguration {}
impl AwsObject for AuthorizationConfig {}
