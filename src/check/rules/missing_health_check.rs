use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{AppProtocol, ContainerDefinition, Role};

const DOC: &str = r#"# missing-health-check (A029)

## What it checks
Every essential container has a `healthCheck`, unless a load balancer already health-checks it
(it is named in its service's `loadBalancers`).

## Why
Without a health check ECS knows only whether the container's process runs. A database that
hangs, or a server stuck in a deadlock, keeps running “healthy”: ECS does not replace the task,
and other containers cannot wait for it to be ready (`dependsOn` with `condition: HEALTHY`
requires a health check). For containers behind a load balancer the target group's health check
does this job.

## Example
```yaml
- name: mongodb
  role: database
  image: mongo            # essential by default, no healthCheck
```

## How to fix
Add a `healthCheck` whose command exits 0 only when the container can do its work, for example:
```yaml
healthCheck:
  command: ["CMD-SHELL", "mongosh --quiet --eval 'db.adminCommand({ping: 1})' || exit 1"]
  interval: 30
  timeout: 5
  retries: 3
  startPeriod: 30
```
(`pg_isready -U postgres` for PostgreSQL, `mysqladmin ping` for MySQL, `redis-cli ping` for
Redis, `curl -f http://localhost:PORT/health` for HTTP servers whose image contains curl.) If
the container is an optional helper, mark it `essential: false` instead.

## References
- KICS / Datadog IaC: “ECS task definition health check missing”; checkov CKV_DOCKER_2 (an image
  without `HEALTHCHECK`).
- AWS, Amazon ECS developer guide: “Determine Amazon ECS task health using container health
  checks”; `ContainerDefinition.healthCheck`.
"#;

pub(crate) const RULE: Rule = Rule::new(&code::A029, DOC, check);

/// A health check command for well-known images (the text after `CMD-SHELL`).
pub(crate) fn health_check_example(image: &str) -> Option<&'static str> {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    let repo = last.split(':').next().unwrap_or(last);
    Some(match repo {
        "mongo" | "mongodb-community-server" => {
            "mongosh --quiet --eval 'db.adminCommand({ping: 1})' || exit 1"
        }
        "postgres" | "postgis" => "pg_isready -U postgres || exit 1",
        "mysql" | "percona" => "mysqladmin ping -h 127.0.0.1 || exit 1",
        "mariadb" => "healthcheck.sh --connect --innodb_initialized || exit 1",
        "redis" => "redis-cli ping || exit 1",
        "valkey" => "valkey-cli ping || exit 1",
        _ => return None,
    })
}

/// The `healthCheck:` to suggest for a container, in YAML flow style: a known image's own check,
/// or an HTTP probe for a container that speaks HTTP. `None` when archflow cannot tell.
pub(crate) fn suggested_health_check(c: &ContainerDefinition) -> Option<String> {
    let http_port = c
        .port_mappings
        .iter()
        .find(|p| {
            p.app_protocol
                .as_ref()
                .is_some_and(|a| matches!(a.value, AppProtocol::Http | AppProtocol::Http2))
        })
        .or_else(|| {
            matches!(c.role(), Some(Role::Api | Role::Web))
                .then(|| c.port_mappings.first())
                .flatten()
        })
        .map(|p| p.container_port.value);
    let command = match (health_check_example(&c.image.value), http_port) {
        (Some(known), _) => known.to_owned(),
        (None, Some(port)) => format!("curl -f http://localhost:{port}/health || exit 1"),
        (None, None) => return None,
    };
    Some(format!(
        "`healthCheck: {{command: [\"CMD-SHELL\", \"{command}\"]}}`"
    ))
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for (service, c) in cx.model.containers() {
        if !c.is_essential() || c.health_check.is_some() {
            continue;
        }
        if service
            .load_balancers
            .iter()
            .any(|lb| lb.container_name.value == c.name.value)
        {
            continue;
        }
        let name = &c.name.value;
        let what = match c.role() {
            Some(Role::Database) => "a database that hangs",
            Some(Role::Cache) => "a cache that hangs",
            _ => "a container that hangs",
        };
        let mut help = suggested_health_check(c).map_or_else(
            || {
                "add a `healthCheck` whose command (`[\"CMD-SHELL\", \"…\"]`) exits 0 only when the \
                 container works"
                    .to_owned()
            },
            |h| format!("add {h}"),
        );
        if !matches!(
            c.role(),
            Some(Role::Api | Role::Web | Role::Database | Role::Cache)
        ) {
            help.push_str(
                ", or mark the container `essential: false` if the task can do without it",
            );
        }
        out.push(
            CheckContext::diagnostic(
                &RULE,
                format!(
                    "essential container `{name}` has no `healthCheck`: ECS only knows whether its process runs"
                ),
                Label::new(Span::of(&c.name), "no `healthCheck`, no load balancer check"),
            )
            .with_note(format!(
                "{what} is never replaced, and no container can wait for `{name}` with `condition: HEALTHY`"
            ))
            .with_help(help)
            .about(name),
        );
    }
}
