use std::ops::RangeInclusive;

use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::S;

const DOC: &str = r#"# invalid-health-check (A028)

## What it checks
Health checks use values AWS accepts.

A container's `healthCheck`:
- `command` starts with `CMD` (run the arguments directly) or `CMD-SHELL` (run one string
  with the container's shell), followed by the command;
- `interval` 5–300 seconds, `timeout` 2–60, `retries` 1–10, `startPeriod` 0–300.

A target group's `healthCheck`:
- `path` starts with `/`;
- `intervalSeconds` 5–300, `timeoutSeconds` 2–120, `healthyThresholdCount` and
  `unhealthyThresholdCount` 2–10, and the timeout is shorter than the interval.

## Why
ECS and Elastic Load Balancing reject values outside these ranges when the task definition or
target group is created. A command without `CMD` or `CMD-SHELL` is not a command at all: Docker
reads its first word as the kind of check, and the container cannot be created.

## Example
```yaml
healthCheck:
  command: ["curl -f http://localhost/health || exit 1"]   # no CMD-SHELL
  interval: 2                                               # at least 5
```

## How to fix
Prefix the command: `["CMD-SHELL", "curl -f http://localhost/health || exit 1"]`, and bring each
value into its range. Values left out take the defaults (container: interval 30, timeout 5,
retries 3; target group: interval 30, timeout 5, thresholds 5 and 2).

## References
- AWS, `HealthCheck` (Amazon ECS API reference): command form and value ranges.
- AWS, Elastic Load Balancing `CreateTargetGroup`: `HealthCheckIntervalSeconds`,
  `HealthCheckTimeoutSeconds`, `HealthyThresholdCount`, `UnhealthyThresholdCount`,
  `HealthCheckPath`.
- Docker, `HEALTHCHECK` / `Healthcheck.Test` (`CMD`, `CMD-SHELL`).
"#;

pub(crate) const RULE: Rule = Rule::new(&code::A028, DOC, check);

/// A value out of its range, or `None`.
fn out_of_range(
    value: Option<&S<u32>>,
    field: &str,
    range: &RangeInclusive<u32>,
    owner: &str,
) -> Option<Diagnostic> {
    let v = value?;
    if range.contains(&v.value) {
        return None;
    }
    let (lo, hi) = (range.start(), range.end());
    Some(
        CheckContext::diagnostic(
            &RULE,
            format!(
                "health check `{field}: {}` of `{owner}` is out of range ({lo}–{hi})",
                v.value
            ),
            Label::new(Span::of(v), format!("must be {lo} to {hi}")),
        )
        .with_help(format!(
            "set `{field}` to a value from {lo} to {hi}, or remove it to use the default"
        ))
        .about(owner),
    )
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for (_, c) in cx.model.containers() {
        let Some(hc) = &c.health_check else { continue };
        let name = &c.name.value;
        match hc.command.split_first() {
            None => out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!("the `healthCheck` of `{name}` has no `command`"),
                    Label::new(Span::of(&c.name), "health check without a command"),
                )
                .with_help(
                    "add `command: [\"CMD-SHELL\", \"…\"]` with a command that exits 0 when the container works",
                )
                .about(name),
            ),
            Some((kind, rest)) if !matches!(kind.value.as_str(), "CMD" | "CMD-SHELL") => {
                let whole: Vec<&str> = hc.command.iter().map(|s| s.value.as_str()).collect();
                out.push(
                    CheckContext::diagnostic(
                        &RULE,
                        format!(
                            "the health check command of `{name}` does not start with `CMD` or `CMD-SHELL`"
                        ),
                        Label::new(Span::of(kind), "read as the kind of check, not as a command"),
                    )
                    .with_help(if rest.is_empty() {
                        format!("write `[\"CMD-SHELL\", \"{}\"]`", kind.value)
                    } else {
                        format!("write `[\"CMD\", \"{}\"]`", whole.join("\", \""))
                    })
                    .about(name),
                );
            }
            Some((kind, [])) => out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!("the health check command of `{name}` is only `{}`", kind.value),
                    Label::new(Span::of(kind), "the command to run is missing"),
                )
                .with_help(format!("add the command after it: `[\"{}\", \"…\"]`", kind.value))
                .about(name),
            ),
            Some(_) => {}
        }
        for (value, field, range) in [
            (&hc.interval, "interval", 5..=300),
            (&hc.timeout, "timeout", 2..=60),
            (&hc.retries, "retries", 1..=10),
            (&hc.start_period, "startPeriod", 0..=300),
        ] {
            out.extend(out_of_range(value.as_ref(), field, &range, name));
        }
    }
    for tg in &cx.model.doc.target_groups {
        let Some(hc) = &tg.health_check else { continue };
        let name = &tg.name.value;
        if let Some(path) = hc.path.as_ref().filter(|p| !p.value.starts_with('/')) {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "health check path `{}` of target group `{name}` does not start with `/`",
                        path.value
                    ),
                    Label::new(Span::of(path), "must start with `/`"),
                )
                .with_help(format!("write `path: /{}`", path.value))
                .about(name),
            );
        }
        for (value, field, range) in [
            (&hc.interval_seconds, "intervalSeconds", 5..=300),
            (&hc.timeout_seconds, "timeoutSeconds", 2..=120),
            (&hc.healthy_threshold_count, "healthyThresholdCount", 2..=10),
            (
                &hc.unhealthy_threshold_count,
                "unhealthyThresholdCount",
                2..=10,
            ),
        ] {
            out.extend(out_of_range(value.as_ref(), field, &range, name));
        }
        if let (Some(interval), Some(timeout)) = (&hc.interval_seconds, &hc.timeout_seconds)
            && timeout.value >= interval.value
        {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "target group `{name}` waits {} s for a health check answer but checks every {} s",
                        timeout.value, interval.value
                    ),
                    Label::new(Span::of(timeout), "must be shorter than the interval"),
                )
                .with_secondary(Label::new(Span::of(interval), "interval"))
                .with_help("make `timeoutSeconds` smaller than `intervalSeconds`")
                .about(name),
            );
        }
    }
}
