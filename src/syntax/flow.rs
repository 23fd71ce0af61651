//! A flow's items as written (steps, and groups of steps that nest) → its steps in reading
//! order, each with the groups it is in, and its groups. An item that is neither one step nor
//! one group is a load error, reported with every other such item.

use super::document::{Branch, Document, Flow, FlowItem, S};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::{Source, Span};

/// One hop of a flow, in reading order: a message from one component to another, with the
/// groups it is in.
#[derive(Debug)]
pub struct FlowStep {
    /// Who sends, by name.
    pub from: S<String>,
    /// Who receives, by name.
    pub to: S<String>,
    pub action: Option<S<String>>,
    pub protocol: Option<S<String>>,
    pub port: Option<S<u16>>,
    pub note: Option<S<String>>,
    /// `async: true`: fire and forget.
    pub is_async: Option<S<bool>>,
    /// The groups the step is in, outermost first; empty for a step outside every group.
    pub groups: Vec<Frame>,
}

/// What kind of group a group of steps is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    /// `alt`: exactly one of the branches.
    Alt,
    /// `opt`: the steps, or nothing.
    Opt,
    /// `par`: every branch, at the same time.
    Par,
    /// `loop`: the steps, repeated.
    Loop,
}

impl GroupKind {
    /// The key that writes it (`alt`, `opt`, `par`, `loop`), which is also Mermaid's keyword.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Alt => "alt",
            Self::Opt => "opt",
            Self::Par => "par",
            Self::Loop => "loop",
        }
    }
}

/// Where a step is in one group: which group, and which of its branches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// Index into the flow's [`Flow::groups`].
    pub group: usize,
    pub kind: GroupKind,
    /// Index of the branch in the group (0 for `opt` and `loop`).
    pub branch: usize,
    /// The branch's `when`, as written.
    pub when: Option<String>,
}

/// A group of steps as written: its kind, where it is and its branches, empty ones included.
#[derive(Debug)]
pub struct Group {
    pub kind: GroupKind,
    /// Where the group is written (the item: its key `alt`, `opt`, `par` or `loop`).
    pub span: Span,
    /// The groups it is in, outermost first.
    pub parents: Vec<Frame>,
    pub branches: Vec<GroupBranch>,
}

/// One branch of a [`Group`].
#[derive(Debug)]
pub struct GroupBranch {
    /// Its `when`, as written.
    pub when: Option<S<String>>,
    /// Where the branch is written.
    pub span: Span,
    /// How many items (steps and groups) it holds directly.
    pub items: usize,
    /// How many steps it holds, in nested groups too.
    pub steps: usize,
}

/// Open every flow's groups: fill [`Flow::steps`] and [`Flow::groups`] from the items as
/// written. The diagnostics are the items that are neither a step nor a group.
pub(super) fn open_groups(source: &Source, doc: &mut Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for flow in &mut doc.flows {
        let items = std::mem::take(&mut flow.items);
        let mut opener = Opener {
            source,
            flow,
            path: Vec::new(),
            out: &mut out,
        };
        opener.items(items);
    }
    out
}

const STEP_KEYS: [&str; 7] = ["from", "to", "action", "protocol", "port", "note", "async"];

struct Opener<'a> {
    source: &'a Source,
    flow: &'a mut Flow,
    /// The groups the next item is in, outermost first.
    path: Vec<Frame>,
    out: &'a mut Vec<Diagnostic>,
}

impl Opener<'_> {
    /// Open `items`; returns how many steps they hold.
    fn items(&mut self, items: Vec<S<FlowItem>>) -> usize {
        items.into_iter().map(|item| self.item(item)).sum()
    }

    fn item(&mut self, item: S<FlowItem>) -> usize {
        let span = Span::of(&item);
        let item = item.value;
        let mut groups: Vec<(GroupKind, Span, Vec<S<Branch>>)> = Vec::new();
        if let Some(alt) = item.alt {
            groups.push((GroupKind::Alt, Span::of(&alt), alt.value));
        }
        if let Some(opt) = item.opt {
            groups.push((GroupKind::Opt, Span::of(&opt), vec![opt]));
        }
        if let Some(par) = item.par {
            groups.push((GroupKind::Par, Span::of(&par), par.value));
        }
        if let Some(repeat) = item.repeat {
            groups.push((GroupKind::Loop, Span::of(&repeat), vec![repeat]));
        }
        let step_keys: Vec<(&str, Span)> = [
            item.from.as_ref().map(Span::of),
            item.to.as_ref().map(Span::of),
            item.action.as_ref().map(Span::of),
            item.protocol.as_ref().map(Span::of),
            item.port.as_ref().map(Span::of),
            item.note.as_ref().map(Span::of),
            item.is_async.as_ref().map(Span::of),
        ]
        .into_iter()
        .zip(STEP_KEYS)
        .filter_map(|(s, k)| Some((k, s?)))
        .collect();
        if groups.len() > 1 {
            let keys: Vec<String> = groups
                .iter()
                .map(|(k, _, _)| format!("`{}`", k.key()))
                .collect();
            self.out.push(
                Diagnostic::new(
                    &code::L002,
                    format!(
                        "a flow item is one group, but this one has {}",
                        keys.join(" and ")
                    ),
                    Label::new(groups[1].1, "a second group in one item"),
                )
                .with_help(
                    "write each group as an item of its own: `- alt: […]`, then `- opt: {…}`",
                ),
            );
            return 0;
        }
        if let Some((kind, _, branches)) = groups.pop() {
            if let Some(&(key, key_span)) = step_keys.first() {
                self.out.push(
                    Diagnostic::new(
                        &code::L002,
                        format!(
                            "a flow item is either a step or a group, but this `{}` group has a step's `{key}`",
                            kind.key()
                        ),
                        Label::new(key_span, "a step's key in a group"),
                    )
                    .with_help(format!(
                        "move the step into a branch's `steps:`, or make it an item of its own before or after the `{}`",
                        kind.key()
                    )),
                );
                return 0;
            }
            return self.group(kind, span, branches);
        }
        match (item.from, item.to) {
            (Some(from), Some(to)) => {
                self.flow.steps.push(FlowStep {
                    from,
                    to,
                    action: item.action,
                    protocol: item.protocol,
                    port: item.port,
                    note: item.note,
                    is_async: item.is_async,
                    groups: self.path.clone(),
                });
                1
            }
            (from, _) => {
                let field = if from.is_some() { "to" } else { "from" };
                self.out
                    .push(super::yaml_error::missing_key_in(self.source, span, field));
                0
            }
        }
    }

    fn group(&mut self, kind: GroupKind, span: Span, branches: Vec<S<Branch>>) -> usize {
        let id = self.flow.groups.len();
        self.flow.groups.push(Group {
            kind,
            span,
            parents: self.path.clone(),
            branches: Vec::new(),
        });
        let mut total = 0;
        for (index, branch) in branches.into_iter().enumerate() {
            let branch_span = Span::of(&branch);
            let Branch { when, steps } = branch.value;
            let items = steps.len();
            self.path.push(Frame {
                group: id,
                kind,
                branch: index,
                when: when.as_ref().map(|w| w.value.clone()),
            });
            let count = self.items(steps);
            self.path.pop();
            total += count;
            if let Some(group) = self.flow.groups.get_mut(id) {
                group.branches.push(GroupBranch {
                    when,
                    span: branch_span,
                    items,
                    steps: count,
                });
            }
        }
        total
    }
}
