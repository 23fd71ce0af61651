use std::collections::BTreeMap;

use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::interop::ecs::export;
use crate::model::Model;
use crate::pipeline::file_stem;
use crate::source::Span;
use crate::syntax::document::Service;

const DOC: &str = r#"# output-file-name (A035)

## What it checks
Every name archflow turns into a file name gives a file of its own, on every file system:
- a flow's sequence diagram is written as `sequence-<flow>.mmd` (`archflow build`), a task
  definition as `<family>.json` (`archflow export ecs`), with every character other than
  `A–Z a–z 0–9 . _ -` written as `_`;
- that part of the name is at most 200 bytes (file systems allow 255; the rest is kept for
  the prefix, the extension and the temporary name archflow writes first);
- it is not a name Windows reserves for a device (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`,
  `LPT1`–`LPT9`, with any extension);
- no two flows, and no two families, give the same file name when case is ignored
  (`Order` and `order`, or `web app` and `web_app`): macOS and Windows keep one of the two;
- two services that name the same task definition `family` define it the same way: `export`
  writes one `<family>.json` per family, so a second, different definition would be lost.

## Why
A name that cannot be a file stops `archflow build` (it writes nothing rather than half a
build); two names that make one file mean one diagram or one task definition silently
overwrites the other. `archflow build` refuses a model with these findings, and `archflow check`
reports them first.

## Example
```yaml
flows:
  - name: place-order
  - name: Place-Order        # sequence-Place-Order.mmd: the same file on macOS
services:
  - serviceName: web
    taskDefinition: {family: app, containerDefinitions: [{name: web, image: web:1}]}
  - serviceName: worker
    taskDefinition: {family: app, containerDefinitions: [{name: worker, image: worker:1}]}
```

## How to fix
Give flows short, distinct names (a flow's `title` may be as long as you like) and each
different task definition its own `family`. Two services that really run one task definition
can share its family when both define it the same way.

## References
- ECS `RegisterTaskDefinition`: a family names one task definition; registering another with the
  same family makes a new revision of it.
- Windows' reserved file names: "Naming Files, Paths, and Namespaces" (Microsoft Learn).
"#;

pub(crate) const RULE: Rule = Rule::new(&code::A035, DOC, check);

/// The longest part of a file name that a user's name may make, in bytes.
pub const MAX_NAME_BYTES: usize = 200;

/// Names Windows reserves for devices, whatever the extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(flow_files(cx.model));
    out.extend(family_files(cx.model));
}

/// The file name of a flow's sequence diagram, as `archflow build` writes it.
#[must_use]
pub fn flow_file(name: &str) -> String {
    format!("sequence-{}.mmd", file_stem(name))
}

/// The file name of a family's task definition, as `archflow export ecs` writes it.
#[must_use]
pub fn family_file(family: &str) -> String {
    format!("{}.json", file_stem(family))
}

/// A name that becomes a file: the name, where it is, its file name.
struct Named<'a> {
    name: &'a str,
    span: Span,
    file: String,
}

/// The findings about the flows' file names: what `archflow build` checks before it writes.
#[must_use]
pub fn flow_files(model: &Model) -> Vec<Diagnostic> {
    let flows = model.doc.flows.iter().map(|f| Named {
        name: &f.name.value,
        span: Span::of(&f.name),
        file: flow_file(&f.name.value),
    });
    file_names(
        &flows.collect::<Vec<_>>(),
        ("flow", "flows"),
        "shorten the flow's `name`; its `title` can be as long as you like",
    )
}

/// The findings about the task definition families' file names and definitions: what
/// `archflow export ecs` writes.
#[must_use]
pub fn family_files(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The first service of each family, and its task definition as exported (made only when the
    // family comes again).
    let mut first: BTreeMap<&str, (&Service, Option<String>)> = BTreeMap::new();
    let mut families = Vec::new();
    let exported = |s: &Service| export::task_definition(&model.doc, &s.task_definition).pretty();
    for service in &model.doc.services {
        let td = &service.task_definition;
        let family = td.family.value.as_str();
        let name = service.service_name.value.as_str();
        let Some((earlier, earlier_json)) = first.get_mut(family) else {
            first.insert(family, (service, None));
            families.push(Named {
                name: family,
                span: Span::of(&td.family),
                file: family_file(family),
            });
            continue;
        };
        let earlier_json = earlier_json.get_or_insert_with(|| exported(earlier));
        if *earlier_json == exported(service) {
            continue;
        }
        let other = earlier.service_name.value.as_str();
        out.push(
            CheckContext::diagnostic(
                &RULE,
                format!(
                    "services `{other}` and `{name}` both define task definition family \
                     `{family}`, differently"
                ),
                Label::new(Span::of(&td.family), "defined differently here"),
            )
            .with_secondary(Label::new(
                Span::of(&earlier.task_definition.family),
                "first defined here",
            ))
            .with_note(format!(
                "`archflow export ecs` writes one `{}` per family, so `{name}`'s task definition \
                 would be lost (and ECS would take the two for revisions of one family)",
                family_file(family)
            ))
            .with_help(format!(
                "give one of them its own `family`, or define both the same way if they really \
                 run one task definition (`{other}`'s comes first)"
            ))
            .about(name),
        );
    }
    out.extend(file_names(
        &families,
        ("task definition family", "task definition families"),
        "shorten the `family`; the service's `label` can be as long as you like",
    ));
    out
}

/// Names too long or reserved, and names whose files are one when case is ignored.
/// `what` names one and several of them, for messages.
fn file_names(names: &[Named<'_>], (what, whats): (&str, &str), shorten: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, &Named<'_>> = BTreeMap::new();
    for named in names {
        let Named { name, span, file } = named;
        let stem_bytes = file_stem(name).len();
        if stem_bytes > MAX_NAME_BYTES {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "the {what} name is {stem_bytes} bytes long as a file name; archflow \
                         writes names of at most {MAX_NAME_BYTES}"
                    ),
                    Label::new(*span, "too long for a file name"),
                )
                .with_note("file systems allow 255 bytes, and the file name adds to the name")
                .with_help(shorten)
                .about(*name),
            );
            continue;
        }
        let base = file.split('.').next().unwrap_or_default();
        if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(base)) {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "the {what} `{name}` would be written as `{file}`, a name Windows \
                         reserves for a device"
                    ),
                    Label::new(*span, "a reserved file name"),
                )
                .with_help(format!(
                    "rename it: `{base}` is reserved whatever the extension and case (as are \
                     CON, PRN, AUX, NUL, COM1–COM9 and LPT1–LPT9)"
                ))
                .about(*name),
            );
            continue;
        }
        let key = file.to_ascii_lowercase();
        match seen.get(&key) {
            None => {
                seen.insert(key, named);
            }
            Some(earlier) => {
                let why = if earlier.file == *file {
                    format!("both are written as `{file}`")
                } else {
                    format!(
                        "`{}` and `{file}` differ only in case, and are one file on macOS and \
                         Windows",
                        earlier.file
                    )
                };
                out.push(
                    CheckContext::diagnostic(
                        &RULE,
                        format!(
                            "the {whats} `{}` and `{name}` would overwrite each other's file",
                            earlier.name
                        ),
                        Label::new(*span, "the same file as an earlier one"),
                    )
                    .with_secondary(Label::new(earlier.span, "first here"))
                    .with_note(why)
                    .with_help(
                        "rename one of them so that the two differ in more than case and \
                         punctuation (file names keep only A–Z a–z 0–9 . _ -)",
                    )
                    .about(*name),
                );
            }
        }
    }
    out
}
