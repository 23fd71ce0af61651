use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::syntax::document::GroupKind;

const DOC: &str = r#"# malformed-flow-group (A036)

## What it checks
Every group of a flow's steps says something:
- it has branches (`alt: []` and `par: []` have none), and every branch has steps;
- an `alt` (alternatives) has two branches or more.

## Why
A group without steps, or a branch without any, draws an empty box in the sequence diagram
and an empty heading in the walk-through: the reader cannot tell what happens then. It is
usually a branch whose steps were forgotten, or indented under the wrong key. An `alt` with a
single branch is not a choice between alternatives: it reads as "this, or nothing", which is
what `opt` says.

## Example
```yaml
flows:
  - name: read-goal
    steps:
      - alt:
          - when: goal cached
            steps: [{from: goals-backend, to: cache, action: GET goal}]
      - opt: {when: new goal, steps: []}
```

## How to fix
Give every branch its steps, or remove it. Write an `alt` with one branch as
`opt: {when: …, steps: […]}`, or add the other branch (`when: otherwise`) with its steps.

## References
- Mermaid sequence diagrams: `alt`/`else`, `opt`, `par`/`and` and `loop` blocks.
- UML sequence diagrams: combined fragments (alt, opt, par, loop).
"#;

pub(crate) const RULE: Rule = Rule::new(&code::A036, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for flow in &cx.model.doc.flows {
        let name = &flow.name.value;
        for group in &flow.groups {
            let key = group.kind.key();
            if group.branches.is_empty() {
                out.push(
                    CheckContext::diagnostic(
                        &RULE,
                        format!("flow `{name}`: this `{key}` has no branches"),
                        Label::new(group.span, "no branches, so no steps"),
                    )
                    .with_help(format!(
                        "give it branches, `{key}: [{{when: …, steps: […]}}, …]`, or remove it"
                    ))
                    .about(name),
                );
                continue;
            }
            for branch in &group.branches {
                if branch.items == 0 {
                    let what = match &branch.when {
                        Some(when) => format!("the branch `{}` of this `{key}`", when.value),
                        None => format!("a branch of this `{key}`"),
                    };
                    out.push(
                        CheckContext::diagnostic(
                            &RULE,
                            format!("flow `{name}`: {what} has no steps"),
                            Label::new(branch.span, "no steps"),
                        )
                        .with_help("give the branch its steps, or remove it")
                        .about(name),
                    );
                }
            }
            if group.kind == GroupKind::Alt && group.branches.len() == 1 {
                out.push(
                    CheckContext::diagnostic(
                        &RULE,
                        format!("flow `{name}`: this `alt` has one branch, so it chooses nothing"),
                        Label::new(group.span, "one branch"),
                    )
                    .with_help(
                        "write it as `opt: {when: …, steps: […]}`, or add the other branch (`when: otherwise`)",
                    )
                    .about(name),
                );
            }
        }
    }
}
