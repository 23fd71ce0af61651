use std::collections::HashMap;

use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::model::Kind;
use crate::source::Span;

const DOC: &str = r"# duplicate-name (A002)

## What it checks
No two components share a name where names must be unique:
- actors, load balancers, listeners, target groups and file systems share one namespace, the
  model's;
- services are unique among services (within their cluster, as in ECS);
- containers are unique within their task definition, and so are volumes (as in ECS).

Two services may each have a container called `app`; a service, its task definition and its
container may share a name. A reference from outside the task can then say which one it means:
`service/container` (`web/app`).

## Why
Flows and references use names. With two load balancers called `api`, a flow step `to: api` is
ambiguous, and the diagram would merge two things into one box. ECS itself refuses two
containers or volumes of one name in a task definition, and two services of one name in a
cluster.

## Example
```yaml
containerDefinitions:
  - name: app
  - name: app        # second definition in the same task
```

## How to fix
Rename one of them.

## References
- AWS ECS API reference: container and volume names must be unique within a task definition;
  service names within a cluster.
- archflow's model: references and qualified names (README, 'The model').
";

pub(crate) const RULE: Rule = Rule::new(&code::A002, DOC, check);

/// Where a name must be unique: the model's shared namespace, the services, or one task.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Namespace<'a> {
    Model,
    Services,
    Task(Kind, &'a str),
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let services = model.doc.services.iter().map(|s| {
        (
            Kind::Service,
            &s.service_name.value,
            Span::of(&s.service_name),
            None,
        )
    });
    let definitions = model.definitions.iter().map(|c| {
        (
            c.id.kind,
            &c.short,
            c.span,
            c.service.as_deref().filter(|_| c.id.kind.is_scoped()),
        )
    });
    let mut first = HashMap::with_capacity(model.definitions.len());
    check_views(cx, out);
    for (kind, name, span, service) in definitions.chain(services) {
        let space = match (kind, service) {
            (Kind::Service, _) => Namespace::Services,
            (_, Some(service)) => Namespace::Task(kind, service),
            _ => Namespace::Model,
        };
        let help = match &space {
            Namespace::Model => {
                "rename one of them: actors, load balancers, listeners, target groups and file \
                 systems have names unique in the model, so flows can use them alone"
                    .to_owned()
            }
            Namespace::Services => "rename one of them: service names are unique".to_owned(),
            Namespace::Task(_, service) => format!(
                "rename one of them: {} names are unique within a task definition (here service \
                 `{service}`'s)",
                kind.as_str()
            ),
        };
        match first.get(&(space, name.as_str())) {
            None => {
                first.insert((space, name.as_str()), (kind, span));
            }
            Some(&(original, original_span)) => {
                let d = CheckContext::diagnostic(
                    &RULE,
                    format!("the name `{name}` is defined more than once"),
                    Label::new(span, format!("{} defined again here", kind.as_str())),
                )
                .with_secondary(Label::new(
                    original_span,
                    format!("first defined here as a {}", original.as_str()),
                ))
                .with_help(help)
                .about(name);
                out.push(d);
            }
        }
    }
}

/// View names are unique, and not the built-in views' (`all`, `overview`, `service:…`, `flow:…`).
fn check_views(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for view in &cx.model.doc.views {
        let name = view.name.value.as_str();
        let span = Span::of(&view.name);
        let builtin = name == "all"
            || name == "overview"
            || name.starts_with("service:")
            || name.starts_with("flow:");
        if builtin {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!("the view name `{name}` is a built-in view's"),
                    Label::new(span, "taken by a built-in view"),
                )
                .with_help("`all`, `overview`, `service:NAME` and `flow:NAME` are built in; choose another name")
                .about(name),
            );
        } else if let Some(&first) = seen.get(name) {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!("the name `{name}` is defined more than once"),
                    Label::new(span, "view defined again here"),
                )
                .with_secondary(Label::new(first, "first defined here as a view"))
                .with_help("rename one of them: view names are unique")
                .about(name),
            );
        } else {
            seen.insert(name, span);
        }
    }
}
