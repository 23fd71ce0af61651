use super::ephemeral_database_storage::{mount_holding, volume_of};
use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{Role, Service};

const DOC: &str = r#"# shared-database-storage (A009)

## What it checks
A database container whose data path is on an EFS volume runs in a service with
`desiredCount` ≤ 1 and `deploymentConfiguration.maximumPercent` ≤ 100.

## Why
EFS is shared storage: every task of the service mounts the same directory. Two database
processes on one data directory corrupt it or refuse to start (MongoDB: "DBPathInUse"). With
`desiredCount: 2` that happens at once; with the default `maximumPercent: 200` it happens on
every deployment, when ECS starts the new task before stopping the old one.

## Example
```yaml
desiredCount: 2              # two mongod, one /data/db
```

## How to fix
Either keep exactly one database task (`desiredCount: 1`, `maximumPercent: 100`,
`minimumHealthyPercent: 0`), which means a short outage on each deployment and a single point
of failure, or move the database out of the API's task: its own service, or a managed database
(Amazon DocumentDB, RDS), so the API can scale freely.

## References
- MongoDB error `DBPathInUse` (two `mongod` on one `--dbpath`).
- AWS ECS API reference, `DeploymentConfiguration.maximumPercent` and `minimumHealthyPercent`.
"#;

pub(crate) const RULE: Rule = Rule::new(&code::A009, DOC, check);

/// The way out: a database alone in its service only needs safe deployment settings; one that
/// shares its task with other containers blocks their scaling, so moving it out comes first.
fn way_out(service: &Service) -> &'static str {
    let alone = service
        .task_definition
        .container_definitions
        .iter()
        .all(|c| c.role() == Some(Role::Database) || !c.is_essential());
    if alone {
        "run exactly one task: `desiredCount: 1` and `deploymentConfiguration: {maximumPercent: 100, \
         minimumHealthyPercent: 0}` (each deployment stops the old task first: a short outage)"
    } else {
        "move the database into its own service (or a managed database) so the other containers can scale; \
         or keep one task with `desiredCount: 1`, `maximumPercent: 100`, `minimumHealthyPercent: 0`, \
         accepting downtime on each deployment"
    }
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for (service, c) in cx.model.containers() {
        if c.role() != Some(Role::Database) {
            continue;
        }
        let Some(path) = c.data_path() else { continue };
        let Some(mount) = mount_holding(c, path) else {
            continue;
        };
        let Some(volume) = volume_of(service, mount) else {
            continue;
        };
        if volume.efs_volume_configuration.is_none() {
            continue;
        }
        let name = &c.name.value;
        let on = Label::new(
            Span::of(&mount.source_volume),
            format!("{path} is on shared EFS volume `{}`", volume.name.value),
        );
        if service.desired_count() > 1 {
            let span = service
                .desired_count
                .as_ref()
                .map_or_else(|| Span::of(&service.service_name), Span::of);
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "{} tasks of `{}` run database `{name}` on the same EFS data directory",
                        service.desired_count(),
                        service.service_name.value
                    ),
                    Label::new(span, "more than one task"),
                )
                .with_secondary(on)
                .with_note(
                    "two database processes on one data directory corrupt it or refuse to start",
                )
                .with_help(way_out(service))
                .about(name),
            );
        } else if service.maximum_percent() > 100 {
            let written = service
                .deployment_configuration
                .as_ref()
                .and_then(|d| d.maximum_percent.as_ref());
            let (span, label) = written.map_or_else(
                || {
                    (
                        Span::of(&service.service_name),
                        "`maximumPercent` defaults to 200".to_owned(),
                    )
                },
                |p| {
                    (
                        Span::of(p),
                        format!("`maximumPercent: {}` lets a second task start", p.value),
                    )
                },
            );
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "deployments of `{}` start a second copy of database `{name}` on the same EFS data directory",
                        service.service_name.value
                    ),
                    Label::new(span, label),
                )
                .with_secondary(on)
                .with_note("ECS starts the new task before it stops the old one while maximumPercent is above 100")
                .with_help(way_out(service))
                .about(name),
            );
        }
    }
}
