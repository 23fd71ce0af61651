use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::Role;

const DOC: &str = r"# database-startup-race (A032)

## What it checks
An essential container that calls a database of its own task (`connectsTo` names a
`role: database` container of the same task definition) declares a `dependsOn` on it (or, in
bridge mode, `links` to it, which also orders the start). Helpers (`essential: false` or
`role: sidecar`, such as metrics exporters) are left alone.

## Why
ECS starts the containers of a task in parallel unless `dependsOn` orders them. The API then
often starts first, fails to connect to a database that is still initialising, and either exits
(an essential container: the whole task is replaced, again and again) or runs without a working
connection pool until it happens to reconnect. The bug shows only on some starts, which makes it
hard to find.

## Example
```yaml
- name: api
  connectsTo: [db]          # no dependsOn: api may start before db
- name: db
  role: database
  image: postgres
```

## How to fix
```yaml
  dependsOn:
    - {containerName: db, condition: HEALTHY}
```
`HEALTHY` waits until the database answers its `healthCheck` (give it one); `START` only waits
until its process is started, which already removes most of the race. Retrying the connection
in the application is wise in any case.

## References
- AWS, Amazon ECS developer guide: “Container dependency” and `ContainerDependency` (`START`,
  `HEALTHY`).
- Docker Compose: `depends_on` with `condition: service_healthy`, the same pattern in compose
  files.
";

pub(crate) const RULE: Rule = Rule::new(&code::A032, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let containers = &service.task_definition.container_definitions;
        for c in containers {
            // Helpers (metrics exporters, log routers) retry or do no harm when they start early.
            if !c.is_essential() || matches!(c.role(), Some(Role::Database | Role::Sidecar)) {
                continue;
            }
            let name = &c.name.value;
            for target in &c.connects_to {
                let t = &target.value;
                let Some(db) = containers
                    .iter()
                    .find(|d| d.name.value == *t && d.role() == Some(Role::Database))
                else {
                    continue;
                };
                let ordered = c.depends_on.iter().any(|d| d.container_name.value == *t)
                    || c.links.iter().any(|l| l.value == *t);
                if ordered {
                    continue;
                }
                let help = if db.health_check.is_some() {
                    format!(
                        "add `dependsOn: [{{containerName: {t}, condition: HEALTHY}}]` to `{name}`"
                    )
                } else {
                    format!(
                        "add `dependsOn: [{{containerName: {t}, condition: START}}]` to `{name}`; with a \
                         `healthCheck` on `{t}`, `condition: HEALTHY` also waits until it accepts connections"
                    )
                };
                out.push(
                    CheckContext::diagnostic(
                        &RULE,
                        format!(
                            "`{name}` calls database `{t}` of its task but may start before it"
                        ),
                        Label::new(Span::of(target), "no `dependsOn` on this database"),
                    )
                    .with_secondary(Label::new(Span::of(&db.name), "started in parallel"))
                    .with_help(help)
                    .about(name),
                );
            }
        }
    }
}
