//! The model's own settings for the checker, applied by [`super::run`] after every rule ran:
//!
//! - `checks.rules` turns rules off or gives their findings another severity;
//! - `suppress:` on an item (`[{rule: A010, reason: "…"}]`) silences one rule's findings about
//!   that item, matched through [`Diagnostic::subject`].
//!
//! Mistakes in these settings are findings too, with codes of their own (`C0xx`, see
//! [`explanation`]). They cannot themselves be turned off or suppressed.

use std::collections::BTreeSet;

use super::{RULES, Rule};
use crate::diagnostic::code::{self, Code, Kind};
use crate::diagnostic::{Diagnostic, Label, Severity, did_you_mean};
use crate::model::{Model, listener_name};
use crate::source::Span;
use crate::syntax::document::{RuleLevel, S, Suppression};

pub(crate) const C001_DOC: &str = r"# unknown-rule (C001)

## What it checks
Every rule named in `checks.rules` or in a `suppress:` entry exists: a rule code such as `A010`
or a rule name such as `single-task-service` (case does not matter).

## Why
A misspelt rule setting does nothing: the rule keeps reporting at its default severity, or the
finding it was meant to silence stays, and nobody notices why.

## Example
```yaml
checks:
  rules:
    A01: off                   # no rule A01; did you mean A010?
```

## How to fix
Use a code or name from `archflow rules`. Loading (`L0xx`) and configuration (`C0xx`) findings
cannot be configured.
";

pub(crate) const C002_DOC: &str = r"# missing-suppression-reason (C002)

## What it checks
Every `suppress:` entry has a `reason` that is not empty.

## Why
A suppression hides a finding from every later reader. The reason is the one place that says why
the finding does not apply here (a demo system, a trade-off that was made on purpose), so the
next reviewer can judge whether it still holds. A suppression without one does not suppress.

## Example
```yaml
services:
  - serviceName: goals
    suppress:
      - rule: A010             # no reason
```

## How to fix
Add the reason: `- {rule: A010, reason: demo system; one task is fine}`.
";

pub(crate) const C003_DOC: &str = r"# unused-suppression (C003)

## What it checks
Every `suppress:` entry silences at least one finding of its rule about its item.

## Why
A suppression that matches nothing is left over from a model that has since been fixed, or sits
on the wrong item. Left in place it would silently hide the next real finding of that rule.

## Example
```yaml
services:
  - serviceName: goals
    desiredCount: 2            # A010 no longer fires
    suppress:
      - {rule: A010, reason: demo system}
```

## How to fix
Remove the entry, or move it to the item the finding is about (the finding's subject: the
container for container rules, the service for service rules, the referencing item for
`unknown-reference`).
";

pub(crate) const C004_DOC: &str = r"# duplicate-rule-setting (C004)

## What it checks
A rule is set at most once in `checks.rules`, and suppressed at most once on one item, whether by
code or by name.

## Why
`A010: off` next to `single-task-service: error` says two things about one rule; only the first
counts, and the reader cannot tell which was meant.

## Example
```yaml
checks:
  rules:
    A010: off
    single-task-service: error # the same rule as A010
```

## How to fix
Keep one entry per rule.
";

/// One item that can carry `suppress:`, with the subjects its suppressions match.
struct Item<'a> {
    /// The item's own name first; then names whose findings it also covers (a service and its
    /// task definition cover each other, a load balancer covers its listeners).
    subjects: Vec<String>,
    suppress: &'a [Suppression],
}

fn items(model: &Model) -> Vec<Item<'_>> {
    let doc = &model.doc;
    let one = |name: &S<String>, suppress| Item {
        subjects: vec![name.value.clone()],
        suppress,
    };
    let mut items = Vec::new();
    items.extend(doc.actors.iter().map(|a| one(&a.name, &a.suppress[..])));
    for lb in &doc.load_balancers {
        let mut subjects = vec![lb.name.value.clone()];
        subjects.extend(lb.listeners.iter().map(|l| listener_name(lb, l)));
        items.push(Item {
            subjects,
            suppress: &lb.suppress,
        });
    }
    items.extend(
        doc.target_groups
            .iter()
            .map(|t| one(&t.name, &t.suppress[..])),
    );
    items.extend(
        doc.file_systems
            .iter()
            .map(|f| one(&f.name, &f.suppress[..])),
    );
    for service in &doc.services {
        let task = &service.task_definition;
        let (service_name, family) = (&service.service_name.value, &task.family.value);
        items.push(Item {
            subjects: vec![service_name.clone(), family.clone()],
            suppress: &service.suppress,
        });
        items.push(Item {
            subjects: vec![family.clone(), service_name.clone()],
            suppress: &task.suppress,
        });
        items.extend(
            task.container_definitions
                .iter()
                .map(|c| one(&c.name, &c.suppress[..])),
        );
        items.extend(task.volumes.iter().map(|v| one(&v.name, &v.suppress[..])));
    }
    items.extend(doc.flows.iter().map(|f| one(&f.name, &f.suppress[..])));
    items
}

/// A configuration finding.
fn finding(code: &Code, message: String, primary: Label) -> Diagnostic {
    Diagnostic::new(code, message, primary)
}

/// The rule a setting names, or a C001 finding with a suggestion.
fn resolve(name: &S<String>) -> Result<&'static Rule, Box<Diagnostic>> {
    if let Some(rule) = super::rule(name.value.trim()) {
        return Ok(rule);
    }
    let mut d = finding(
        &code::C001,
        format!("unknown rule `{}`", name.value),
        Label::new(Span::of(name), "no rule has this code or name"),
    );
    let candidates = RULES.iter().flat_map(|r| [r.code.id, r.code.name]);
    let not_a_rule = Code::find(&name.value).is_some_and(|c| c.kind != Kind::Rule);
    d.help = Some(if not_a_rule || is_load_code(&name.value) {
        "loading (L0xx) and configuration (C0xx) findings cannot be configured or suppressed"
            .to_owned()
    } else if let Some(rule) = padded(&name.value).and_then(|code| super::rule(&code)) {
        format!("did you mean `{}`?", rule.code.id)
    } else if let Some(s) = did_you_mean(&name.value, candidates) {
        format!("did you mean `{s}`?")
    } else {
        "`archflow rules` lists every rule's code and name".to_owned()
    });
    Err(Box::new(d))
}

/// `A7` → `A007`: a code written without its leading zeros.
fn padded(code: &str) -> Option<String> {
    let mut chars = code.chars();
    let letter = chars.next().filter(char::is_ascii_alphabetic)?;
    let digits = chars.as_str();
    (!digits.is_empty() && digits.len() < 3 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}{digits:0>3}", letter.to_ascii_uppercase()))
}

/// `L001`-style codes of load errors.
fn is_load_code(code: &str) -> bool {
    code.len() == 4 && code.starts_with(['L', 'l']) && code[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Apply the model's `checks.rules` and `suppress:` settings to the rules' findings, and add
/// the findings about those settings. Suppressions are matched against the findings as the
/// rules reported them, before `checks.rules` turns any rule off, so turning a rule off does not
/// make its suppressions "unused".
pub fn apply(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let mut config = Vec::new();

    // Suppressions, item by item.
    let mut suppressed = vec![false; diagnostics.len()];
    for item in items(model) {
        let mut seen: Vec<(&str, Span)> = Vec::new();
        for s in item.suppress {
            let subject = &item.subjects[0];
            let rule = match resolve(&s.rule) {
                Ok(rule) => rule,
                Err(d) => {
                    config.push(d.about(subject));
                    continue;
                }
            };
            if let Some(&(_, first)) = seen.iter().find(|(code, _)| *code == rule.code.id) {
                config.push(
                    finding(
                        &code::C004,
                        format!(
                            "rule {} ({}) is suppressed twice on `{subject}`",
                            rule.code.id, rule.code.name
                        ),
                        Label::new(Span::of(&s.rule), "suppressed again here"),
                    )
                    .with_secondary(Label::new(first, "first suppressed here"))
                    .with_help("remove one of the two entries")
                    .about(subject),
                );
                continue;
            }
            seen.push((rule.code.id, Span::of(&s.rule)));
            let reason = s.reason.as_ref().filter(|r| !r.value.trim().is_empty());
            if reason.is_none() {
                let (span, label) = s.reason.as_ref().map_or_else(
                    || (Span::of(&s.rule), "this suppression has no `reason`"),
                    |r| (Span::of(r), "the reason is empty"),
                );
                config.push(
                    finding(
                        &code::C002,
                        format!(
                            "the suppression of {} ({}) on `{subject}` gives no reason",
                            rule.code.id, rule.code.name
                        ),
                        Label::new(span, label),
                    )
                    .with_note("a suppression without a reason does not suppress anything")
                    .with_help(format!(
                        "say why the finding does not apply here: `{{rule: {}, reason: \"…\"}}`",
                        s.rule.value
                    ))
                    .about(subject),
                );
                continue;
            }
            let mut used = false;
            for (d, gone) in diagnostics.iter().zip(suppressed.iter_mut()) {
                if d.code == rule.code.id
                    && d.subject
                        .as_ref()
                        .is_some_and(|name| item.subjects.contains(name))
                {
                    *gone = true;
                    used = true;
                }
            }
            if !used {
                config.push(
                    finding(
                        &code::C003,
                        format!(
                            "the suppression of {} ({}) on `{subject}` matches no finding",
                            rule.code.id, rule.code.name
                        ),
                        Label::new(Span::of(&s.rule), "nothing to suppress"),
                    )
                    .with_help(
                        "remove it; or, if the finding is about another item, move the suppression there",
                    )
                    .about(subject),
                );
            }
        }
    }
    let mut keep = suppressed.iter().map(|s| !s);
    diagnostics.retain(|_| keep.next().unwrap_or(true));

    // Rule levels.
    let mut set: Vec<(&'static str, Span)> = Vec::new();
    let mut off = BTreeSet::new();
    let rules = model.doc.checks.as_ref().map(|c| &c.rules);
    for (name, level) in rules.into_iter().flatten() {
        let rule = match resolve(name) {
            Ok(rule) => rule,
            Err(d) => {
                config.push(*d);
                continue;
            }
        };
        if let Some(&(_, first)) = set.iter().find(|(code, _)| *code == rule.code.id) {
            config.push(
                finding(
                    &code::C004,
                    format!(
                        "rule {} ({}) is set twice in `checks.rules`; the first setting counts",
                        rule.code.id, rule.code.name
                    ),
                    Label::new(Span::of(name), "set again here"),
                )
                .with_secondary(Label::new(first, "first set here"))
                .with_help("remove one of the two entries"),
            );
            continue;
        }
        set.push((rule.code.id, Span::of(name)));
        let severity = match level.value {
            RuleLevel::Off => {
                off.insert(rule.code.id);
                continue;
            }
            RuleLevel::Info => Severity::Info,
            RuleLevel::Warning => Severity::Warning,
            RuleLevel::Error => Severity::Error,
        };
        for d in diagnostics.iter_mut().filter(|d| d.code == rule.code.id) {
            d.severity = severity;
        }
    }
    diagnostics.retain(|d| !off.contains(d.code));
    diagnostics.extend(config);
}

#[cfg(test)]
mod tests {
    use super::{is_load_code, padded};

    #[test]
    fn short_codes_are_padded() {
        assert_eq!(padded("A7").as_deref(), Some("A007"));
        assert_eq!(padded("a10").as_deref(), Some("A010"));
        assert_eq!(padded("A010"), None);
        assert_eq!(padded("A"), None);
        assert_eq!(padded("single"), None);
        assert!(is_load_code("L003") && is_load_code("l001"));
        assert!(!is_load_code("L03") && !is_load_code("Lxyz"));
    }
}
