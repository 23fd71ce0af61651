//! A flow's groups of steps (`alt`, `opt`, `par`, `loop`) as renderers read them: the steps in
//! order with the blocks that open, continue with another branch, and close between them
//! ([`FlowView::events`]), and the words each block is introduced with.

use serde::Serialize;

use super::FlowView;
pub use crate::syntax::document::GroupKind;

/// A group of steps: its kind and each branch's `when` (`None` when not given).
#[derive(Clone, Debug, Serialize)]
pub struct GroupView {
    pub kind: GroupKind,
    pub branches: Vec<Option<String>>,
}

/// Where a step is in one group: the group (an index into [`FlowView::groups`]) and its branch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct GroupFrame {
    pub group: usize,
    pub branch: usize,
}

/// One thing a renderer writes, in order: a block opens (with its first branch), the next
/// branch of an open block starts, a block closes, or a step. `depth` counts the blocks
/// around it (a block's own opening, branches and closing are at the depth outside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowEvent<'a> {
    Open {
        group: usize,
        kind: GroupKind,
        when: Option<&'a str>,
        depth: usize,
    },
    Branch {
        group: usize,
        kind: GroupKind,
        /// The branch's index in its group (1 or more).
        index: usize,
        when: Option<&'a str>,
        depth: usize,
    },
    Close {
        group: usize,
        kind: GroupKind,
        depth: usize,
    },
    /// The step at this index of [`FlowView::steps`].
    Step { index: usize, depth: usize },
}

impl GroupKind {
    /// How the HTML and Markdown step lists introduce branch `index` of a group of this kind:
    /// "Alternative", "Otherwise", "Optional", "In parallel", "Repeated".
    #[must_use]
    pub const fn heading(self, index: usize) -> &'static str {
        match self {
            Self::Alt if index == 0 => "Alternative",
            Self::Alt => "Otherwise",
            Self::Opt => "Optional",
            Self::Par => "In parallel",
            Self::Loop => "Repeated",
        }
    }
}

/// A line the step lists of the HTML and Markdown pages show before a step: a branch starts
/// ("Alternative — goal cached") or the steps after a block follow ("After the alternatives").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// How many blocks are around the line (0: the flow's own level).
    pub depth: usize,
    /// Plain text, as the user wrote it after archflow's words: escape it.
    pub text: String,
    /// Whether it ends a block (rather than starting a branch).
    pub end: bool,
}

impl GroupKind {
    /// The words that say the steps after a block of this kind follow it.
    #[must_use]
    pub const fn after(self) -> &'static str {
        match self {
            Self::Alt => "After the alternatives",
            Self::Opt => "After the optional steps",
            Self::Par => "Once every parallel branch is done",
            Self::Loop => "After the repetitions",
        }
    }
}

impl FlowView {
    /// For each step, the headings shown before it in a step list: the branches that start
    /// (an empty one says so) and, after blocks that close, what the step follows.
    #[must_use]
    pub fn headings(&self) -> Vec<Vec<Heading>> {
        let mut out: Vec<Vec<Heading>> = vec![Vec::new(); self.steps.len()];
        let mut pending: Vec<Heading> = Vec::new();
        let mut closed: Option<Heading> = None;
        let events = self.events();
        for (i, event) in events.iter().enumerate() {
            let starts = |group: usize, index: usize, depth: usize| {
                let mut text = self.branch_heading(group, index);
                // A branch with no steps: the next event is another branch or the end.
                if !matches!(
                    events.get(i + 1),
                    Some(FlowEvent::Step { .. } | FlowEvent::Open { .. })
                ) {
                    text.push_str(" (no steps)");
                }
                Heading {
                    depth,
                    text,
                    end: false,
                }
            };
            match *event {
                FlowEvent::Open { group, depth, .. } => {
                    closed = None;
                    pending.push(starts(group, 0, depth));
                }
                FlowEvent::Branch {
                    group,
                    index,
                    depth,
                    ..
                } => {
                    closed = None;
                    pending.push(starts(group, index, depth));
                }
                FlowEvent::Close { kind, depth, .. } => {
                    closed = Some(Heading {
                        depth,
                        text: kind.after().to_owned(),
                        end: true,
                    });
                }
                FlowEvent::Step { index, .. } => {
                    if let Some(slot) = out.get_mut(index) {
                        slot.extend(closed.take());
                        slot.append(&mut pending);
                    }
                }
            }
        }
        out
    }

    /// How a step list introduces branch `branch` of group `group`: "Alternative — goal
    /// cached", "Otherwise", "In parallel — email".
    #[must_use]
    pub fn branch_heading(&self, group: usize, branch: usize) -> String {
        let mut text = self.kind(group).heading(branch).to_owned();
        // A `when` that only repeats the heading ("otherwise", "else") is left out.
        let repeats = |w: &str| {
            let w = w.trim().trim_end_matches(':');
            w.eq_ignore_ascii_case(&text) || (text == "Otherwise" && w.eq_ignore_ascii_case("else"))
        };
        if let Some(when) = self
            .when(group, branch)
            .filter(|w| !w.trim().is_empty() && !repeats(w))
        {
            text.push_str(" — ");
            text.push_str(when);
        }
        text
    }

    /// The `when` of branch `branch` of group `group`.
    #[must_use]
    pub fn when(&self, group: usize, branch: usize) -> Option<&str> {
        self.groups.get(group)?.branches.get(branch)?.as_deref()
    }

    fn kind(&self, group: usize) -> GroupKind {
        self.groups.get(group).map_or(GroupKind::Opt, |g| g.kind)
    }

    fn branch_count(&self, group: usize) -> usize {
        self.groups.get(group).map_or(0, |g| g.branches.len())
    }

    /// The steps in order with the blocks around them: each step's groups compared with the
    /// previous step's. A branch without steps between two with steps, or after the last one,
    /// still starts (so an `alt`'s empty `else` is drawn); a group without any step is not
    /// drawn at all.
    #[must_use]
    pub fn events(&self) -> Vec<FlowEvent<'_>> {
        let mut out = Vec::new();
        let mut open: Vec<GroupFrame> = Vec::new();
        for (index, step) in self.steps.iter().enumerate() {
            let path = &step.groups;
            let same = open.iter().zip(path).take_while(|(a, b)| a == b).count();
            // The next block on the path: the same group in a later branch continues it.
            let next_branch = match (open.get(same), path.get(same)) {
                (Some(a), Some(b)) if a.group == b.group && b.branch > a.branch => Some(b.branch),
                _ => None,
            };
            let keep = same + usize::from(next_branch.is_some());
            while open.len() > keep {
                self.close(&mut open, &mut out);
            }
            if let (Some(branch), Some(current)) = (next_branch, open.last_mut()) {
                let (group, from) = (current.group, current.branch);
                current.branch = branch;
                for b in from + 1..=branch {
                    out.push(FlowEvent::Branch {
                        group,
                        kind: self.kind(group),
                        index: b,
                        when: self.when(group, b),
                        depth: keep - 1,
                    });
                }
            }
            for frame in &path[open.len().min(path.len())..] {
                let kind = self.kind(frame.group);
                out.push(FlowEvent::Open {
                    group: frame.group,
                    kind,
                    when: self.when(frame.group, 0),
                    depth: open.len(),
                });
                for b in 1..=frame.branch {
                    out.push(FlowEvent::Branch {
                        group: frame.group,
                        kind,
                        index: b,
                        when: self.when(frame.group, b),
                        depth: open.len(),
                    });
                }
                open.push(*frame);
            }
            out.push(FlowEvent::Step {
                index,
                depth: open.len(),
            });
        }
        while !open.is_empty() {
            self.close(&mut open, &mut out);
        }
        out
    }

    /// Close the innermost open block, after starting the branches it has left (empty ones).
    fn close<'a>(&'a self, open: &mut Vec<GroupFrame>, out: &mut Vec<FlowEvent<'a>>) {
        let Some(frame) = open.pop() else {
            return;
        };
        let kind = self.kind(frame.group);
        let depth = open.len();
        for b in frame.branch + 1..self.branch_count(frame.group) {
            out.push(FlowEvent::Branch {
                group: frame.group,
                kind,
                index: b,
                when: self.when(frame.group, b),
                depth,
            });
        }
        out.push(FlowEvent::Close {
            group: frame.group,
            kind,
            depth,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{FlowEvent, GroupFrame, GroupKind, GroupView};
    use crate::view::{FlowView, StepView};

    fn step(groups: &[(usize, usize)]) -> StepView {
        StepView {
            from: "a".into(),
            to: "b".into(),
            action: None,
            via: None,
            note: None,
            is_async: false,
            groups: groups
                .iter()
                .map(|&(group, branch)| GroupFrame { group, branch })
                .collect(),
            nodes: Vec::new(),
            edges: Vec::new(),
        }
    }

    /// Events as short words: `(alt`, `|1`, `)`, `s0`.
    fn words(flow: &FlowView) -> Vec<String> {
        flow.events()
            .iter()
            .map(|e| match *e {
                FlowEvent::Open { kind, depth, .. } => format!("{depth}({}", kind.key()),
                FlowEvent::Branch { index, depth, .. } => format!("{depth}|{index}"),
                FlowEvent::Close { depth, .. } => format!("{depth})"),
                FlowEvent::Step { index, depth } => format!("{depth}s{index}"),
            })
            .collect()
    }

    #[test]
    fn blocks_open_continue_and_close_between_steps() {
        let alt = GroupView {
            kind: GroupKind::Alt,
            branches: vec![Some("a".into()), Some("b".into()), Some("c".into())],
        };
        let inner = GroupView {
            kind: GroupKind::Loop,
            branches: vec![Some("each".into())],
        };
        let flow = FlowView {
            name: "f".into(),
            title: "f".into(),
            description: None,
            steps: vec![
                step(&[]),
                step(&[(0, 0)]),
                step(&[(0, 0), (1, 0)]),
                // Branch 1 of the alt has no steps: it still starts, empty.
                step(&[(0, 2)]),
                step(&[]),
            ],
            groups: vec![alt, inner],
        };
        assert_eq!(
            words(&flow),
            [
                "0s0", "0(alt", "1s1", "1(loop", "2s2", "1)", "0|1", "0|2", "1s3", "0)", "0s4"
            ]
        );
        let headings: Vec<Vec<(usize, String)>> = flow
            .headings()
            .into_iter()
            .map(|hs| hs.into_iter().map(|h| (h.depth, h.text)).collect())
            .collect();
        assert_eq!(
            headings,
            [
                vec![],
                vec![(0, "Alternative — a".to_owned())],
                vec![(1, "Repeated — each".to_owned())],
                vec![
                    (0, "Otherwise — b (no steps)".to_owned()),
                    (0, "Otherwise — c".to_owned())
                ],
                vec![(0, "After the alternatives".to_owned())],
            ]
        );
    }

    /// A `when` that only says "otherwise" or "else" is not repeated after "Otherwise".
    #[test]
    fn a_when_that_repeats_the_heading_is_left_out() {
        let flow = FlowView {
            name: "f".into(),
            title: "f".into(),
            description: None,
            steps: vec![],
            groups: vec![GroupView {
                kind: GroupKind::Alt,
                branches: vec![
                    Some("cached".into()),
                    Some("otherwise".into()),
                    Some("Else:".into()),
                    Some("otherwise, on a miss".into()),
                ],
            }],
        };
        let headings: Vec<String> = (0..4).map(|b| flow.branch_heading(0, b)).collect();
        assert_eq!(
            headings,
            [
                "Alternative — cached",
                "Otherwise",
                "Otherwise",
                "Otherwise — otherwise, on a miss"
            ]
        );
    }

    #[test]
    fn a_group_that_starts_in_a_later_branch_starts_the_earlier_ones_and_ends_with_the_last() {
        let flow = FlowView {
            name: "f".into(),
            title: "f".into(),
            description: None,
            steps: vec![step(&[(0, 1)])],
            groups: vec![GroupView {
                kind: GroupKind::Alt,
                branches: vec![None, None, None],
            }],
        };
        assert_eq!(words(&flow), ["0(alt", "0|1", "1s0", "0|2", "0)"]);
        let headings: Vec<String> = flow.headings()[0].iter().map(|h| h.text.clone()).collect();
        assert_eq!(headings, ["Alternative (no steps)", "Otherwise"]);
        assert_eq!(GroupKind::Alt.heading(0), "Alternative");
        assert_eq!(GroupKind::Alt.heading(2), "Otherwise");
    }
}
