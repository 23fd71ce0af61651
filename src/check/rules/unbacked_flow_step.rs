use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::graph::FLOW_TRANSPARENT;
use crate::model::Kind;
use crate::source::Span;
use crate::syntax::document::{FlowStep, GroupKind, NetworkMode};

const DOC: &str = r"# unbacked-flow-step (A007)

## What it checks
Each step of a flow joins two components that the configuration connects, in either direction
(a response travels back along the request's path):
- a `connectsTo` or `links` entry;
- load balancer → listener → target group → container routing;
- container → volume → file system mounts;
- two containers of one task in `awsvpc` or `host` mode, which share `localhost`;
- an answer: a step `B → A` after earlier steps of the same flow carried the request from `A` to
  `B` (the response travels back the way the request came). Steps in another branch of an
  `alt` than the answer's did not happen, so they carry no request it could answer.

## Why
A flow is documentation of how a request travels. A step that nothing in the configuration
supports is either a missing piece of configuration (the call will fail in production) or a
diagram that has drifted from the system.

## Example
```yaml
flows:
  - name: read
    steps:
      - {from: user, to: goals-backend}   # the user only reaches the load balancer
```

## How to fix
Route the step through the components that carry it (`user → goals-alb → goals-backend`), or
declare the call with `connectsTo` on the caller.

## References
- archflow's model: flows document the request path (README, 'The model').
";

pub(crate) const RULE: Rule = Rule::new(&code::A007, DOC, check);

/// The earlier steps that may have happened before `step`: all but those in another branch of
/// an `alt` that `step` is in (only one of its branches happens).
fn happened_before<'a>(earlier: &'a [FlowStep], step: &FlowStep) -> Vec<&'a FlowStep> {
    earlier
        .iter()
        .filter(|e| {
            !e.groups.iter().any(|f| {
                f.kind == GroupKind::Alt
                    && step
                        .groups
                        .iter()
                        .any(|g| g.group == f.group && g.branch != f.branch)
            })
        })
        .collect()
}

/// Whether the earlier steps carried a request from `requester` to `responder`, hop by hop.
fn answers_earlier_request(earlier: &[&FlowStep], requester: &str, responder: &str) -> bool {
    let mut reached = vec![requester];
    let mut grew = true;
    while grew {
        grew = false;
        for s in earlier {
            if reached.contains(&s.from.value.as_str()) && !reached.contains(&s.to.value.as_str()) {
                if s.to.value == responder {
                    return true;
                }
                reached.push(&s.to.value);
                grew = true;
            }
        }
    }
    false
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for flow in &model.doc.flows {
        for (i, step) in flow.steps.iter().enumerate() {
            let (Some(from), Some(to)) = (
                model.resolve(&step.from.value),
                model.resolve(&step.to.value),
            ) else {
                continue; // unknown-reference reports it
            };
            if from.id == to.id
                || cx.graph.route(&from.id, &to.id, FLOW_TRANSPARENT).is_some()
                || answers_earlier_request(
                    &happened_before(&flow.steps[..i], step),
                    &step.to.value,
                    &step.from.value,
                )
            {
                continue;
            }
            if from.id.kind == Kind::Container
                && to.id.kind == Kind::Container
                && from.parent == to.parent
                && let Some((service, _)) = model.container(&from.id)
                && matches!(
                    service.network_mode(),
                    NetworkMode::Awsvpc | NetworkMode::Host
                )
            {
                continue;
            }
            let span = Span::new(Span::of(&step.from).start, Span::of(&step.to).end);
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "flow `{}`: nothing in the configuration connects `{}` to `{}`",
                        flow.name.value, step.from.value, step.to.value
                    ),
                    Label::new(span, "this step is not backed by the configuration"),
                )
                .with_secondary(Label::new(from.span, format!("`{}` defined here", from.short)))
                .with_help(format!(
                    "add `connectsTo: [{}]` to `{}`, or route the step through the components that carry it",
                    step.to.value, step.from.value
                ))
                .about(&from.short),
            );
        }
    }
}
