use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code, did_you_mean};
use crate::model::{Component, ComponentId, Field, Kind, Lookup, Reference, references};
use crate::source::Span;
use crate::syntax::document::{S, Service};

const DOC: &str = r"# unknown-reference (A001)

## What it checks
Every name used as a reference points at something defined, of the right kind, in the right
place: `connectsTo`, `links`, listener `targetGroup`, service `loadBalancers` (`targetGroup`,
`containerName`), `dependsOn.containerName`, `mountPoints.sourceVolume`,
`efsVolumeConfiguration.fileSystemId` and `accessPointId`, and the `from`/`to` of flow steps.

## Why
A misspelt reference is a broken deployment: ECS rejects a `sourceVolume` that the task does not
declare, and a service whose `containerName` is wrong never registers targets. In a flow, it is a
diagram that lies.

## Example
```yaml
mountPoints:
  - sourceVolume: dta        # the task's volume is called `data`
    containerPath: /data/db
```

## How to fix
Use the exact name of the definition (names are case-sensitive). `dependsOn`, `mountPoints` and a
service's `containerName` must name something in the same task definition.

## References
- AWS ECS API reference: `MountPoint.sourceVolume`, `ContainerDependency.containerName`,
  `LoadBalancer.containerName` and `EFSVolumeConfiguration.fileSystemId` must name existing items.
";

pub(crate) const RULE: Rule = Rule::new(&code::A001, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    // `subject` is the item that holds the reference (see `Diagnostic::subject`); `scope` the
    // service whose task the reference is written in. An ambiguous name is a load error (L009).
    let global = |r: &S<String>,
                  (kinds, scope): (&[Kind], Option<&str>),
                  what: &str,
                  subject: &str,
                  out: &mut Vec<Diagnostic>| {
        if !matches!(model.lookup(&r.value, scope, kinds), Lookup::Missing) {
            return;
        }
        let found = model.resolve_in(&r.value, scope);
        let candidates: Vec<&Component> = model
            .definitions
            .iter()
            .filter(|c| kinds.is_empty() || kinds.contains(&c.id.kind))
            .collect();
        out.push(report(model, r, what, "", found, &candidates).about(subject));
    };
    // The task's containers and volumes, computed once per service (references come grouped by
    // service), when first needed.
    let mut task: Option<(&Service, TaskNames<'_>)> = None;
    for r in references(model) {
        let (what, subject) = (r.field.what(), r.subject);
        match (r.field, r.scope) {
            (Field::AccessPoint, _) => access_point(model, &r, out),
            // A selector may choose every component of a name: checked below, view by view.
            (Field::ViewName | Field::ViewService, _) => {}
            (Field::StepFrom | Field::StepTo, _) => {
                let before = out.len();
                global(r.name, (&[], None), what, subject, out);
                if let Some(d) = out.get_mut(before..).and_then(<[Diagnostic]>::first_mut)
                    && !d
                        .help
                        .as_deref()
                        .is_some_and(|h| h.starts_with("did you mean"))
                {
                    d.help = Some(
                        "flow steps name actors, load balancers, listeners, target groups, containers, \
                         volumes or file systems by their `name`"
                            .to_owned(),
                    );
                }
            }
            (field, Some(service)) if field.is_local() => {
                if !task
                    .as_ref()
                    .is_some_and(|(s, _)| std::ptr::eq(*s, service))
                {
                    task = Some((service, TaskNames::default()));
                }
                let Some((_, names)) = task.as_ref() else {
                    continue;
                };
                let kind = if field == Field::SourceVolume {
                    Kind::Volume
                } else {
                    Kind::Container
                };
                let cell = if kind == Kind::Volume {
                    &names.volumes
                } else {
                    &names.containers
                };
                let candidates = cell.get_or_init(|| scoped(model, service, kind));
                let scope = format!(" in task `{}`", service.task_definition.family.value);
                local(model, r.name, (what, &scope, subject), candidates, out);
            }
            (field, _) => global(
                r.name,
                (field.accepts(), r.preferred_scope()),
                what,
                subject,
                out,
            ),
        }
    }
    // A view's selectors: a name any component has (a selector may choose every `app`), a
    // service that exists.
    for view in &model.doc.views {
        for selector in view.include.iter().chain(&view.exclude) {
            if let Some(name) = &selector.name
                && !model.names().any(|n| n == name.value)
                && model.resolve(&name.value).is_none()
            {
                let candidates: Vec<&Component> = model.definitions.iter().collect();
                out.push(
                    report(model, name, "component", "", None, &candidates).about(&view.name.value),
                );
            }
            if let Some(service) = &selector.service
                && !model
                    .doc
                    .services
                    .iter()
                    .any(|s| s.service_name.value == service.value)
            {
                let services = model
                    .doc
                    .services
                    .iter()
                    .map(|s| s.service_name.value.as_str());
                let mut d = CheckContext::diagnostic(
                    &RULE,
                    format!("unknown service `{}`", service.value),
                    Label::new(Span::of(service), "no service has this name"),
                )
                .about(&view.name.value);
                d.help = Some(match did_you_mean(&service.value, services) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "`services` lists the services by `serviceName`".to_owned(),
                });
                out.push(d);
            }
        }
    }
}

/// A task's containers and volumes, built on first use.
#[derive(Default)]
struct TaskNames<'m> {
    containers: std::cell::OnceCell<Vec<&'m Component>>,
    volumes: std::cell::OnceCell<Vec<&'m Component>>,
}

/// An `accessPointId` that its volume's file system does not have.
fn access_point(model: &crate::model::Model, r: &Reference<'_>, out: &mut Vec<Diagnostic>) {
    let ap = r.name;
    let Some(fs) = r.file_system.and_then(|id| model.file_system(&id.value)) else {
        return;
    };
    if fs.access_points.iter().any(|a| a.name.value == ap.value) {
        return;
    }
    let names: Vec<&str> = fs
        .access_points
        .iter()
        .map(|a| a.name.value.as_str())
        .collect();
    let mut d = CheckContext::diagnostic(
        &RULE,
        format!(
            "unknown access point `{}` of file system `{}`",
            ap.value, fs.name.value
        ),
        Label::new(Span::of(ap), "no such access point"),
    )
    .with_secondary(Label::new(Span::of(&fs.name), "file system defined here"))
    .about(r.subject);
    d.help = Some(match did_you_mean(&ap.value, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if names.is_empty() => format!(
            "declare it under `accessPoints` of file system `{}`",
            fs.name.value
        ),
        None => format!("access points of `{}`: {}", fs.name.value, names.join(", ")),
    });
    out.push(d);
}

/// Definitions of `kind` inside this service's task, built from the task itself (not by
/// scanning the whole model, which would be quadratic in the number of services).
fn scoped<'m>(model: &'m crate::model::Model, service: &Service, kind: Kind) -> Vec<&'m Component> {
    let task = &service.task_definition;
    let names: Vec<&String> = match kind {
        Kind::Container => task
            .container_definitions
            .iter()
            .map(|c| &c.name.value)
            .collect(),
        Kind::Volume => task.volumes.iter().map(|v| &v.name.value).collect(),
        _ => Vec::new(),
    };
    let service = &service.service_name.value;
    names
        .into_iter()
        .filter_map(|n| model.components.get(&ComponentId::scoped(kind, service, n)))
        .collect()
}

/// A reference that must name a `what` of the same task; `(what, scope, subject)`, where
/// `subject` is the item holding the reference.
fn local(
    model: &crate::model::Model,
    r: &S<String>,
    (what, scope, subject): (&str, &str, &str),
    candidates: &[&Component],
    out: &mut Vec<Diagnostic>,
) {
    if candidates.iter().any(|c| c.short == r.value) {
        return;
    }
    let found = model.resolve(&r.value);
    let mut d = report(model, r, what, scope, found, candidates).about(subject);
    if let Some(other) = found
        && other.id.kind.as_str() == what
        && let Some(task) = other.parent.as_ref().filter(|p| p.kind == Kind::Task)
        && !d
            .help
            .as_deref()
            .is_some_and(|h| h.starts_with("did you mean"))
    {
        d.help = Some(format!(
            "this must name a {what} of the same task; `{}` is in task `{}`",
            other.short, task.name
        ));
    }
    out.push(d);
}

fn report(
    model: &crate::model::Model,
    r: &S<String>,
    what: &str,
    scope: &str,
    found: Option<&Component>,
    candidates: &[&Component],
) -> Diagnostic {
    let span = Span::of(r);
    let name = &r.value;
    let (message, label) = match found {
        Some(other) if scope.is_empty() => (
            format!("`{name}` is a {}, not a {what}", other.id.kind.as_str()),
            format!("expected a {what}"),
        ),
        Some(other) if other.id.kind.as_str() == what => (
            format!("`{name}` is not a {what}{scope}"),
            format!("defined elsewhere, not{scope}"),
        ),
        _ => (
            format!("unknown {what} `{name}`{scope}"),
            format!("no {what} has this name"),
        ),
    };
    let mut d = CheckContext::diagnostic(&RULE, message, Label::new(span, label));
    if let Some(other) = found {
        d = d.with_secondary(Label::new(other.span, format!("`{name}` is defined here")));
    }
    let names = candidates.iter().map(|c| model.reference_name(&c.id));
    if let Some(suggestion) = did_you_mean(name, names) {
        d.help = Some(format!("did you mean `{suggestion}`?"));
        if let Some(c) = candidates
            .iter()
            .find(|c| model.reference_name(&c.id) == suggestion)
        {
            d = d.with_secondary(Label::new(
                c.span,
                format!("`{suggestion}` is defined here"),
            ));
        }
    } else if candidates.is_empty() {
        d.help = Some(format!("no {what} is defined{scope}"));
    } else if candidates.len() <= 8 {
        let list: Vec<&str> = candidates
            .iter()
            .map(|c| model.reference_name(&c.id))
            .collect();
        d.help = Some(format!("defined {what}s{scope}: {}", list.join(", ")));
    }
    d
}
