//! The serde shape of `architecture.yaml`.
//!
//! Field names follow the AWS JSON (camelCase) so that ECS task definitions map nearly one to one;
//! archflow's own additions (`role`, `label`, `description`, `connectsTo`, `flows`, …) are camelCase
//! too. Every identifier and reference is [`Spanned`] so later stages can point at it. Unknown keys
//! are errors (`deny_unknown_fields`), which the loader turns into "did you mean" diagnostics.

mod file_system;
mod flow;
mod load_balancing;
mod service;
mod task;

pub use file_system::*;
pub use flow::*;
pub use load_balancing::*;
pub use service::*;
pub use task::*;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

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
    /// How findings are reported: rule severities and rules turned off.
    pub checks: Option<Checks>,
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
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
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
#[derive(Debug, Deserialize, JsonSchema)]
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

/// The ECS cluster the services run in (drawn as the outermost box).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Cluster {
    /// The cluster's name (`clusterName`).
    #[schemars(with = "String")]
    pub name: S<String>,
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
#[derive(Debug, Deserialize, JsonSchema)]
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
    /// What the actor calls: load balancers, containers or other actors.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub connects_to: Vec<S<String>>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}
