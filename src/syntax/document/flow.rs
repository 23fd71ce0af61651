//! Named request flows: the steps a request takes through the system.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{S, Suppression};

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
    /// The hops of the request, in order.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// One hop of a flow: a message from one component to another.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Step {
    /// Who sends: an actor, load balancer, listener, target group, service, container, volume or
    /// file system, by name.
    #[schemars(with = "String")]
    pub from: S<String>,
    /// Who receives, by name.
    #[schemars(with = "String")]
    pub to: S<String>,
    /// What happens, e.g. `POST /goals` or `201 Created`.
    #[schemars(with = "Option<String>")]
    pub action: Option<S<String>>,
    /// Protocol of the hop, free text, e.g. `HTTP`, `mongodb`, `NFS`.
    #[schemars(with = "Option<String>")]
    pub protocol: Option<S<String>>,
    /// Port of the hop, e.g. 80.
    #[schemars(with = "Option<u16>")]
    pub port: Option<S<u16>>,
    /// What happens and why, what breaks if this hop fails; Markdown, shown with the step in the
    /// HTML explainer.
    #[schemars(with = "Option<String>")]
    pub note: Option<S<String>>,
}
