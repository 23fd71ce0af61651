//! Hover text: what a component is (kind, label, description, a few facts), where it is defined
//! and where it is used; what a rule code means; what a key of the model is for (from the
//! schema).

use std::fmt::Write as _;

use super::index::{Index, Ref, Target, Token};
use super::snapshot::Snapshot;
use crate::diagnostic::Code;
use crate::model::{ComponentId, Kind, Model, listener_name};
use crate::source::Span;
use crate::syntax::document::FileSystemSetting;

/// How many uses a hover lists before "and N more".
const MAX_USES: usize = 12;

/// The Markdown for the token at `offset` of the snapshot's text, and the token's span.
#[must_use]
pub fn hover(snapshot: &Snapshot, offset: usize) -> Option<(String, Span)> {
    let index = snapshot.index()?;
    let model = snapshot.analysis.model.as_ref()?;
    let entry = index.at(offset)?;
    let text = match entry.token {
        Token::Rule(code) => rule(code),
        Token::Definition(_) => {
            let target = index.target_of(entry.token)?;
            let mut out = describe(model, target);
            uses(snapshot, index, target, &mut out);
            out
        }
        Token::Reference(i) => {
            let r = index.refs.get(i)?;
            match index.target_of_ref(r) {
                Some(target) => {
                    let mut out = describe(model, target);
                    if let Some(span) = index.definitions(target).first() {
                        let line = snapshot.lines.line_of(span.start) + 1;
                        let _ = write!(out, "\n\nDefined on line {line}.");
                    }
                    uses(snapshot, index, target, &mut out);
                    out
                }
                None => unresolved(r),
            }
        }
    };
    Some((text, entry.span))
}

/// A rule's (or load or settings code's) documentation.
#[must_use]
pub fn rule(code: &Code) -> String {
    format!(
        "**{}** `{}` ({}): {}\n\n---\n\n{}",
        code.id,
        code.name,
        code.severity,
        code.summary,
        crate::check::explanation(code)
    )
}

fn unresolved(r: &Ref) -> String {
    let what = r.field.what();
    if r.ambiguous {
        format!(
            "`{}` could mean several components: write the qualified name (`service/{}`)",
            r.text, r.text
        )
    } else {
        match (&r.service, r.field.is_local()) {
            (Some(service), true) => format!(
                "**unknown {what}** `{}`: no {what} of the task of service `{service}` has this name",
                r.text
            ),
            _ => format!(
                "**unknown {what}** `{}`: nothing of that kind has this name",
                r.text
            ),
        }
    }
}

fn uses(snapshot: &Snapshot, index: &Index, target: &Target, out: &mut String) {
    let all: Vec<&Ref> = index.uses(target).collect();
    if all.is_empty() {
        out.push_str("\n\nNot referenced anywhere in the model.");
        return;
    }
    let _ = write!(
        out,
        "\n\nUsed {} time{}:",
        all.len(),
        if all.len() == 1 { "" } else { "s" }
    );
    for r in all.iter().take(MAX_USES) {
        let line = snapshot.lines.line_of(r.span.start) + 1;
        let _ = write!(
            out,
            "\n- line {line}: `{}` of `{}`",
            r.field.key(),
            r.subject
        );
    }
    if all.len() > MAX_USES {
        let _ = write!(out, "\n- … and {} more", all.len() - MAX_USES);
    }
}

/// Kind, name, label, where it sits, its description's first paragraph and a few facts.
#[must_use]
pub fn describe(model: &Model, target: &Target) -> String {
    match target {
        Target::AccessPoint { file_system, name } => {
            let mut out = format!("**access point** `{name}` of file system `{file_system}`");
            let ap = model
                .file_system(file_system)
                .and_then(|fs| fs.access_points.iter().find(|a| a.name.value == *name));
            if let Some(ap) = ap {
                let root = ap.root_directory.as_ref().map_or("/", |r| r.value.as_str());
                let _ = write!(out, "\n\nRoot directory `{root}`");
                if let Some(u) = &ap.posix_user {
                    let _ = write!(out, ", runs as {}:{}", u.uid.value, u.gid.value);
                }
                out.push('.');
            }
            out
        }
        Target::Component(id) => component(model, id),
    }
}

fn component(model: &Model, id: &ComponentId) -> String {
    let c = model.components.get(id);
    let short = c.map_or(id.name.as_str(), |c| c.short.as_str());
    let mut out = format!("**{}** `{short}`", id.kind.as_str());
    let details = details(model, id);
    if let Some(label) = details.label.filter(|l| *l != short) {
        let _ = write!(out, " — {label}");
    }
    if let Some(c) = c {
        match (&c.service, id.kind) {
            (Some(service), Kind::Container | Kind::Volume) => {
                let _ = write!(out, "\n\nIn the task of service `{service}`");
                if model.reference_name(id) != short {
                    let _ = write!(out, " (elsewhere: `{}`)", id.name);
                }
                out.push('.');
            }
            (_, Kind::Listener) => {
                if let Some(parent) = &c.parent {
                    let _ = write!(out, "\n\nOf load balancer `{}`.", parent.name);
                }
            }
            (Some(service), Kind::Task) => {
                let _ = write!(out, "\n\nThe task definition of service `{service}`.");
            }
            _ => {}
        }
    }
    if !details.facts.is_empty() {
        let _ = write!(out, "\n\n{}", details.facts.join(" · "));
    }
    if let Some(description) = details.description {
        let first = description.split("\n\n").next().unwrap_or("").trim();
        if !first.is_empty() {
            let _ = write!(out, "\n\n{first}");
        }
    }
    out
}

#[derive(Default)]
struct Details<'m> {
    label: Option<&'m str>,
    description: Option<&'m str>,
    facts: Vec<String>,
}

fn text(s: Option<&crate::syntax::document::S<String>>) -> Option<&str> {
    s.map(|s| s.value.as_str())
}

fn details<'m>(model: &'m Model, id: &ComponentId) -> Details<'m> {
    let doc = &model.doc;
    let mut d = Details::default();
    match id.kind {
        Kind::Actor => {
            if let Some(a) = doc.actors.iter().find(|a| a.name.value == id.name) {
                d.label = text(a.label.as_ref());
                d.description = text(a.description.as_ref());
            }
        }
        Kind::LoadBalancer => {
            if let Some(lb) = model.load_balancer(&id.name) {
                d.label = text(lb.label.as_ref());
                d.description = text(lb.description.as_ref());
                d.facts.push(format!("{} listener(s)", lb.listeners.len()));
            }
        }
        Kind::Listener => {
            if let Some((_, l)) = model
                .listeners()
                .find(|(lb, l)| listener_name(lb, l) == id.name)
            {
                let protocol = l.protocol.as_ref().map_or_else(
                    || "HTTP".to_owned(),
                    |p| format!("{:?}", p.value).to_uppercase(),
                );
                d.facts.push(format!("port {} ({protocol})", l.port.value));
            }
        }
        Kind::TargetGroup => {
            if let Some(tg) = model.target_group(&id.name) {
                d.label = text(tg.label.as_ref());
                d.description = text(tg.description.as_ref());
                if let Some(p) = &tg.port {
                    d.facts.push(format!("port {}", p.value));
                }
            }
        }
        Kind::Service => {
            if let Some(s) = doc
                .services
                .iter()
                .find(|s| s.service_name.value == id.name)
            {
                d.label = text(s.label.as_ref());
                d.description = text(s.description.as_ref());
                d.facts.push(format!("{} task(s)", s.desired_count()));
                d.facts.push(format!(
                    "{} container(s)",
                    s.task_definition.container_definitions.len()
                ));
            }
        }
        Kind::Task => {
            if let Some(s) = doc
                .services
                .iter()
                .find(|s| s.task_definition.family.value == id.name)
            {
                let task = &s.task_definition;
                d.description = text(task.description.as_ref());
                d.facts.push(format!(
                    "{} container(s), {} volume(s)",
                    task.container_definitions.len(),
                    task.volumes.len()
                ));
            }
        }
        Kind::Container => {
            if let Some((_, c)) = model.container(id) {
                d.label = text(c.label.as_ref());
                d.description = text(c.description.as_ref());
                d.facts.push(format!("image `{}`", c.image.value));
                if let Some(role) = &c.role {
                    d.facts.push(format!(
                        "role {}",
                        format!("{:?}", role.value).to_lowercase()
                    ));
                }
                let ports: Vec<String> = c
                    .port_mappings
                    .iter()
                    .map(|p| p.container_port.value.to_string())
                    .collect();
                if !ports.is_empty() {
                    d.facts.push(format!("port(s) {}", ports.join(", ")));
                }
            }
        }
        Kind::Volume => {
            let volume = model.components.get(id).and_then(|c| {
                let service = c.service.as_deref()?;
                doc.services
                    .iter()
                    .find(|s| s.service_name.value == service)?
                    .task_definition
                    .volumes
                    .iter()
                    .find(|v| v.name.value == c.short)
            });
            if let Some(v) = volume {
                d.label = text(v.label.as_ref());
                d.description = text(v.description.as_ref());
                d.facts.push(match (&v.efs_volume_configuration, &v.host) {
                    (Some(efs), _) => format!("EFS file system `{}`", efs.file_system_id.value),
                    (None, Some(_)) => "a path on the host".to_owned(),
                    (None, None) => "task storage (deleted with the task)".to_owned(),
                });
            }
        }
        Kind::FileSystem => {
            if let Some(fs) = model.file_system(&id.name) {
                d.label = text(fs.label.as_ref());
                d.description = text(fs.description.as_ref());
                let encrypted = match fs.encrypted.as_ref().map(|e| e.value) {
                    _ if fs.is_unknown(FileSystemSetting::Encrypted) => {
                        "encryption at rest unknown"
                    }
                    Some(true) => "encrypted at rest",
                    Some(false) | None => "not encrypted at rest",
                };
                d.facts.push(encrypted.to_owned());
                if !fs.access_points.is_empty() {
                    d.facts
                        .push(format!("{} access point(s)", fs.access_points.len()));
                }
            }
        }
    }
    d
}
