use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{LaunchType, NetworkMode, Service};

const DOC: &str = r"# fargate-incompatible-task (A020)

## What it checks
A service's task definition can run where the service puts it:
- `requiresCompatibilities`, when written, lists the service's `launchType`;
- a task that runs on Fargate (`launchType: FARGATE`) or is registered for it (`FARGATE` in
  `requiresCompatibilities`) uses `networkMode: awsvpc` (an omitted `networkMode` counts as
  awsvpc there);
- it binds no host directory (`host.sourcePath`): a Fargate task has no host of its own;
- its containers log with a driver Fargate supports: `awslogs`, `splunk` or `awsfirelens`.

## Why
ECS rejects the task definition or the service: Fargate gives every task its own network
interface (awsvpc) and hides the machine it runs on, so bridge or host networking, host paths
and other log drivers cannot work there. A service whose launch type its task definition does not
list fails with “task definition does not support launch type”.

## Example
```yaml
launchType: FARGATE
taskDefinition:
  family: api
  networkMode: bridge          # Fargate supports only awsvpc
  requiresCompatibilities: [EC2]
```

## How to fix
Write `networkMode: awsvpc` and `requiresCompatibilities: [FARGATE]`. Under awsvpc the containers
of a task share `localhost`, so drop `links` and `hostPort` translation. Keep data that must
outlive the task on EFS (`efsVolumeConfiguration`) instead of a host path, and send logs through
`awslogs` (or FireLens, `awsfirelens`, for other destinations).

## References
- cfn-lint E3048 (Fargate task properties: awsvpc, supported log drivers) and E3054 (a Fargate
  service's task definition must list `FARGATE` in `RequiresCompatibilities`).
- AWS, Amazon ECS developer guide: “Amazon ECS task definition differences for Fargate”
  (network mode, log drivers, volumes).
- AWS, `RegisterTaskDefinition` API: `networkMode`, `requiresCompatibilities`, `volumes[].host`.
";

pub(crate) const RULE: Rule = Rule::new(&code::A020, DOC, check);

/// Log drivers a Fargate task may use.
const FARGATE_LOG_DRIVERS: &[&str] = &["awslogs", "splunk", "awsfirelens"];

/// How AWS writes a launch type.
pub(crate) const fn launch_type_name(l: LaunchType) -> &'static str {
    match l {
        LaunchType::Ec2 => "EC2",
        LaunchType::Fargate => "FARGATE",
        LaunchType::External => "EXTERNAL",
    }
}

/// How AWS writes a network mode.
pub(crate) const fn network_mode_name(m: NetworkMode) -> &'static str {
    match m {
        NetworkMode::Awsvpc => "awsvpc",
        NetworkMode::Bridge => "bridge",
        NetworkMode::Host => "host",
        NetworkMode::None => "none",
    }
}

/// Where the configuration puts a task on Fargate, with a label: the service's
/// `launchType: FARGATE`, else the `FARGATE` entry of the task's `requiresCompatibilities` (ECS
/// validates a task definition against Fargate's rules as soon as it lists `FARGATE`, whatever
/// the service runs on). `None` when neither does.
pub(crate) fn fargate_marker(service: &Service) -> Option<Label> {
    if let Some(l) = service
        .launch_type
        .as_ref()
        .filter(|l| l.value == LaunchType::Fargate)
    {
        return Some(Label::new(Span::of(l), "runs on Fargate"));
    }
    service
        .task_definition
        .requires_compatibilities
        .iter()
        .find(|c| c.value == LaunchType::Fargate)
        .map(|c| Label::new(Span::of(c), "registered for Fargate"))
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        launch_type_not_listed(service, out);
        let Some(fargate) = fargate_marker(service) else {
            continue;
        };
        let task = &service.task_definition;
        let family = &task.family.value;
        let on_fargate = || fargate.clone();
        if let Some(mode) = task
            .network_mode
            .as_ref()
            .filter(|m| m.value != NetworkMode::Awsvpc)
        {
            let mode_name = network_mode_name(mode.value);
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "task `{family}` runs on Fargate with `networkMode: {mode_name}`, but Fargate supports only awsvpc"
                    ),
                    Label::new(Span::of(mode), "not supported on Fargate"),
                )
                .with_secondary(on_fargate())
                .with_help(
                    "set `networkMode: awsvpc` (or remove the line): each task gets its own network \
                     interface and its containers reach each other on localhost",
                )
                .about(family),
            );
        }
        for volume in &task.volumes {
            let Some(path) = volume.host.as_ref().and_then(|h| h.source_path.as_ref()) else {
                continue;
            };
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "volume `{}` of task `{family}` binds host path `{}`, but a Fargate task has no host of its own",
                        volume.name.value, path.value
                    ),
                    Label::new(Span::of(path), "`sourcePath` is not supported on Fargate"),
                )
                .with_secondary(on_fargate())
                .with_help(
                    "keep data that must outlive the task on EFS (`efsVolumeConfiguration`); for scratch \
                     space shared by the task's containers, remove `sourcePath`",
                )
                .about(&volume.name.value),
            );
        }
        for c in &task.container_definitions {
            let Some(driver) = c.log_configuration.as_ref().map(|l| &l.log_driver) else {
                continue;
            };
            if FARGATE_LOG_DRIVERS.contains(&driver.value.as_str()) {
                continue;
            }
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "container `{}` logs with `{}`, a log driver Fargate does not support",
                        c.name.value, driver.value
                    ),
                    Label::new(Span::of(driver), "not available on Fargate"),
                )
                .with_secondary(on_fargate())
                .with_help(
                    "use `logDriver: awslogs` (CloudWatch Logs), `splunk`, or `awsfirelens` with a \
                     FireLens log router container for any other destination",
                )
                .about(&c.name.value),
            );
        }
    }
}

/// `launchType` not among the task's `requiresCompatibilities` (when those are written).
fn launch_type_not_listed(service: &Service, out: &mut Vec<Diagnostic>) {
    let task = &service.task_definition;
    let Some(launch) = &service.launch_type else {
        return;
    };
    let compat = &task.requires_compatibilities;
    if compat.is_empty() || compat.iter().any(|c| c.value == launch.value) {
        return;
    }
    let wanted = launch_type_name(launch.value);
    let listed: Vec<&str> = compat.iter().map(|c| launch_type_name(c.value)).collect();
    let mut d = CheckContext::diagnostic(
        &RULE,
        format!(
            "service `{}` runs on {wanted}, but task definition `{}` is only compatible with {}",
            service.service_name.value,
            task.family.value,
            listed.join(", ")
        ),
        Label::new(Span::of(launch), format!("launch type {wanted}")),
    )
    .with_help(format!(
        "add `{wanted}` to `requiresCompatibilities` of task `{}`, or change the service's `launchType`",
        task.family.value
    ))
    .about(&service.service_name.value);
    for c in compat {
        d = d.with_secondary(Label::new(
            Span::of(c),
            format!("compatible with {}", launch_type_name(c.value)),
        ));
    }
    out.push(d);
}
