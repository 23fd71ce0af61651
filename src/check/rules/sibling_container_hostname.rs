use super::fargate_incompatible_task::network_mode_name;
use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{KeyValue, NetworkMode};

const DOC: &str = r#"# sibling-container-hostname (A026)

## What it checks
No `environment` value addresses another container of the same task by its name (the host of
a URL such as `mongodb://mongodb:27017/goals`, a `host:port` value such as `redis:6379`, or a bare
name in a variable whose name says it holds a host, such as `DB_HOST: postgres`) where that name
does not resolve:
- in `awsvpc` (every Fargate task) and `host` mode, always: use `localhost`;
- in `bridge` mode, unless the container `links` to the one it names.

## Why
Container names resolve only through Docker Compose networks or bridge-mode `links`. In awsvpc
and host mode the containers of a task share one network namespace and nothing registers their
names in DNS: the lookup fails (`getaddrinfo ENOTFOUND mongodb`) and the application cannot reach
its database, although both run side by side. This is the most common breakage when a compose
file is moved to Fargate. In bridge mode every container has its own network namespace, and a
sibling's name resolves only through `links`.

## Example
```yaml
networkMode: awsvpc
containerDefinitions:
  - name: api
    environment:
      - {name: MONGODB_URL, value: "mongodb://mongodb:27017/goals"}
  - name: mongodb
    image: mongo
```

## How to fix
In awsvpc and host mode use `localhost`: `mongodb://localhost:27017/goals`. In bridge mode add
`links: [mongodb]` to the container that calls it (or move to awsvpc). To reach a container of
another service, use its load balancer or service discovery name instead.

## References
- AWS, Amazon ECS developer guide: “Amazon ECS task networking options for Fargate” (containers
  of a task communicate over the localhost interface).
- AWS, `ContainerDefinition.links` (name resolution between containers exists only in bridge
  mode).
"#;

pub(crate) const RULE: Rule = Rule::new(&code::A026, DOC, check);

/// Parts of a variable name that say its value is a host or an address.
const HOST_WORDS: &[&str] = &[
    "HOST",
    "URL",
    "URI",
    "ADDR",
    "ENDPOINT",
    "SERVER",
    "DSN",
    "CONNECTION",
];

/// The hosts named in an environment value, as byte ranges of `value`: every host of every URL
/// (`scheme://user:pass@host:port,host2:port/path`), else the whole value when it is `host:port`,
/// or a bare `host` in a variable whose name says it holds one.
fn hosts(var: &str, value: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = value[from..].find("://") {
        let start = from + i + 3;
        let end = value[start..]
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .map_or(value.len(), |j| start + j);
        let authority = value[start..end]
            .rfind('@')
            .map_or(start, |j| start + j + 1);
        let mut pos = authority;
        for part in value[authority..end].split(',') {
            let len = part.find(':').unwrap_or(part.len());
            if len > 0 && !part.starts_with('[') {
                out.push((pos, pos + len));
            }
            pos += part.len() + 1;
        }
        from = end;
    }
    if !out.is_empty() || value.contains("://") {
        return out;
    }
    let is_host = |h: &str| {
        !h.is_empty()
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    match value.split_once(':') {
        Some((host, port))
            if is_host(host) && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) =>
        {
            out.push((0, host.len()));
        }
        None if is_host(value) => {
            let upper = var.to_ascii_uppercase();
            if HOST_WORDS.iter().any(|w| upper.contains(w)) {
                out.push((0, value.len()));
            }
        }
        _ => {}
    }
    out
}

/// The span of `value[range]` when the value is written as a plain scalar (its source is exactly
/// its text), else the span of the whole value.
fn span_within(kv: &KeyValue, range: (usize, usize)) -> Span {
    let whole = Span::of(&kv.value);
    let plain = whole.end.saturating_sub(whole.start) == kv.value.value.len()
        && !kv
            .value
            .value
            .chars()
            .any(|c| matches!(c, '\u{85}' | '\u{a0}' | '\u{2028}' | '\u{2029}' | '\n'));
    if plain {
        Span::new(whole.start + range.0, whole.start + range.1)
    } else {
        whole
    }
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let mode = service.network_mode();
        if mode == NetworkMode::None {
            continue;
        }
        let containers = &service.task_definition.container_definitions;
        for c in containers {
            let name = &c.name.value;
            for kv in &c.environment {
                let value = &kv.value.value;
                for range in hosts(&kv.name.value, value) {
                    let host = &value[range.0..range.1];
                    let Some(sibling) = containers
                        .iter()
                        .find(|t| t.name.value != *name && t.name.value.eq_ignore_ascii_case(host))
                    else {
                        continue;
                    };
                    let other = &sibling.name.value;
                    let d = if mode == NetworkMode::Bridge {
                        // Bridge mode: each container has its own localhost; `links` makes the
                        // name resolve.
                        if c.links.iter().any(|l| l.value == *other) {
                            continue;
                        }
                        CheckContext::diagnostic(
                            &RULE,
                            format!(
                                "`{name}` addresses container `{other}` by name in `{}`, but without `links` names do not resolve in bridge mode",
                                kv.name.value
                            ),
                            Label::new(span_within(kv, range), "a container of this task, not a host name"),
                        )
                        .with_note("in bridge mode each container has its own localhost; only `links` puts a sibling's name in `/etc/hosts`")
                        .with_help(format!(
                            "add `links: [{other}]` to `{name}`, or use `networkMode: awsvpc` and `localhost`"
                        ))
                    } else {
                        let fixed = format!("{}localhost{}", &value[..range.0], &value[range.1..]);
                        CheckContext::diagnostic(
                            &RULE,
                            format!(
                                "`{name}` addresses container `{other}` by name in `{}`, but names do not resolve in {} mode",
                                kv.name.value,
                                network_mode_name(mode)
                            ),
                            Label::new(span_within(kv, range), "a container of this task, not a host name"),
                        )
                        .with_note("the containers of the task share one network namespace: they reach each other on localhost")
                        .with_help(format!("set `{}` to `{fixed}`", kv.name.value))
                    };
                    out.push(
                        d.with_secondary(Label::new(
                            Span::of(&sibling.name),
                            "defined in the same task",
                        ))
                        .about(name),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::hosts;

    fn named<'a>(var: &str, value: &'a str) -> Vec<&'a str> {
        hosts(var, value)
            .into_iter()
            .map(|(a, b)| &value[a..b])
            .collect()
    }

    #[test]
    fn hosts_of_urls_and_addresses() {
        assert_eq!(named("X", "mongodb://mongodb:27017/goals"), ["mongodb"]);
        assert_eq!(
            named("X", "mongodb://user:pw@db1:27017,db2:27018/x?replicaSet=rs"),
            ["db1", "db2"]
        );
        assert_eq!(named("X", "redis://:secret@cache"), ["cache"]);
        assert_eq!(named("X", "jdbc:postgresql://pg:5432/app"), ["pg"]);
        assert_eq!(named("X", "redis:6379"), ["redis"]);
        assert_eq!(named("DB_HOST", "postgres"), ["postgres"]);
        assert!(named("POSTGRES_USER", "postgres").is_empty());
        assert!(named("X", "localhost").is_empty());
        assert!(named("X", "a sentence: with colon").is_empty());
        assert!(named("X", "http://[::1]:80/").is_empty());
    }
}
