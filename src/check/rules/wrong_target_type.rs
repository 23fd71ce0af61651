use super::fargate_incompatible_task::network_mode_name;
use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{NetworkMode, TargetType};

const DOC: &str = r"# wrong-target-type (A027)

## What it checks
A target group that a service registers its tasks in has the `targetType` the task's network
mode needs: `ip` for `awsvpc` (every Fargate task), `instance` for `bridge` and `host`. A target
group without `targetType` is an `instance` target group, as in the AWS API.

## Why
Under awsvpc every task has its own network interface and address, and ECS registers that IP
address; an `instance` target group takes only EC2 instance IDs, so ECS refuses to create the
service (“… has target type instance, which is incompatible with the awsvpc network mode
specified in the task definition”). In bridge and host mode the task has no address of its own
and ECS registers the instance and port instead. `lambda` and `alb` target groups cannot hold
ECS tasks at all.

## Example
```yaml
targetGroups:
  - name: api-tg
    port: 8080              # no targetType: instance
services:
  - launchType: FARGATE     # awsvpc: registers task IPs
    loadBalancers: [{targetGroup: api-tg, containerName: api, containerPort: 8080}]
```

## How to fix
Set `targetType: ip` on the target group of an awsvpc service (`instance` for bridge or host
mode). AWS cannot change the target type of an existing target group: create a new one, point
the listener at it, then delete the old one.

## References
- AWS, Amazon ECS developer guide: “Use a load balancer to distribute Amazon ECS service traffic”
  (awsvpc requires target type `ip`).
- AWS, Elastic Load Balancing: `CreateTargetGroup` `TargetType` (default `instance`).
";

pub(crate) const RULE: Rule = Rule::new(&code::A027, DOC, check);

const fn target_type_name(t: TargetType) -> &'static str {
    match t {
        TargetType::Instance => "instance",
        TargetType::Ip => "ip",
        TargetType::Lambda => "lambda",
        TargetType::Alb => "alb",
    }
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let mode = service.network_mode();
        let needed = match mode {
            NetworkMode::Awsvpc => TargetType::Ip,
            NetworkMode::Bridge | NetworkMode::Host => TargetType::Instance,
            NetworkMode::None => continue,
        };
        for lb in &service.load_balancers {
            let Some(tg) = cx.model.target_group(&lb.target_group.value) else {
                continue; // unknown-reference reports it
            };
            let actual = tg
                .target_type
                .as_ref()
                .map_or(TargetType::Instance, |t| t.value);
            if actual == needed {
                continue;
            }
            let (actual_name, needed_name) = (target_type_name(actual), target_type_name(needed));
            let primary = tg.target_type.as_ref().map_or_else(
                || {
                    Label::new(
                        Span::of(&tg.name),
                        "no `targetType`: an instance target group",
                    )
                },
                |t| Label::new(Span::of(t), format!("`{needed_name}` needed here")),
            );
            let mode_name = network_mode_name(mode);
            let tg_name = &tg.name.value;
            let mut help = format!("set `targetType: {needed_name}` on `{tg_name}`");
            if tg.target_type.is_some() {
                help.push_str(
                    " (AWS cannot change it in place: create a new target group and point the listener at it)",
                );
            }
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "service `{}` uses {mode_name} networking, but target group `{tg_name}` has target type `{actual_name}`",
                        service.service_name.value
                    ),
                    primary,
                )
                .with_secondary(Label::new(
                    Span::of(&lb.target_group),
                    format!("registers {mode_name} tasks here"),
                ))
                .with_note(if needed == TargetType::Ip {
                    "ECS registers an awsvpc task by its IP address; it refuses to create the service otherwise"
                } else {
                    "ECS registers a bridge or host task by its instance and port; it refuses to create the service otherwise"
                })
                .with_help(help)
                .about(tg_name),
            );
        }
    }
}
