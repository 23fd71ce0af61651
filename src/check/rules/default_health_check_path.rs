use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{ListenerProtocol, TargetType};

const DOC: &str = r"# default-health-check-path (A030)

## What it checks
An HTTP or HTTPS target group names the path its health check requests: `healthCheck.path`.

## Why
Without it the load balancer requests `GET /` and expects a 200. Many APIs answer `/` with 404,
a redirect or a login page, or serve a heavy page there: every target is then marked unhealthy,
ECS replaces the tasks in a loop, and the load balancer answers 503. A dedicated path (such as
`/health`) that answers quickly, without authentication, says what “healthy” means.

## Example
```yaml
targetGroups:
  - name: api-tg
    port: 8080
    protocol: HTTP
    targetType: ip          # no healthCheck.path: GET / is checked
```

## How to fix
```yaml
    healthCheck:
      path: /health
```
and make the application answer that path with 200 when it can serve requests.

## References
- AWS, Elastic Load Balancing: “Health checks for Application Load Balancer target groups”
  (`HealthCheckPath` default `/`, success code 200).
- AWS, Amazon ECS developer guide: “Troubleshoot service load balancers” (targets failing health
  checks).
";

pub(crate) const RULE: Rule = Rule::new(&code::A030, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for tg in &cx.model.doc.target_groups {
        let http = tg
            .protocol
            .as_ref()
            .is_none_or(|p| matches!(p.value, ListenerProtocol::Http | ListenerProtocol::Https));
        let lambda = tg
            .target_type
            .as_ref()
            .is_some_and(|t| matches!(t.value, TargetType::Lambda | TargetType::Alb));
        if !http || lambda || tg.health_check.as_ref().is_some_and(|h| h.path.is_some()) {
            continue;
        }
        let name = &tg.name.value;
        out.push(
            CheckContext::diagnostic(
                &RULE,
                format!("target group `{name}` health-checks `GET /`, the default path"),
                Label::new(Span::of(&tg.name), "no `healthCheck.path`"),
            )
            .with_note(
                "if `/` answers 404, a redirect or a login page, every target is unhealthy and the load balancer answers 503",
            )
            .with_help(
                "set `healthCheck: {path: /health}` (a path that answers 200 quickly, without authentication)",
            )
            .about(name),
        );
    }
}
