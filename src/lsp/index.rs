//! What is written where: every definition, reference and rule code of a loaded model, by span,
//! and for each component the references that name it. Built once per analysis; every request
//! that asks "what is under the cursor" or "where is this used" reads it.

use std::collections::HashMap;

use crate::diagnostic::Code;
use crate::model::{ComponentId, Field, Lookup, Model, references};
use crate::source::Span;
use crate::syntax::document::{S, Suppression};

/// Something a name can stand for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Component(ComponentId),
    /// An access point of a file system (names are unique within their file system).
    AccessPoint {
        file_system: String,
        name: String,
    },
}

/// One reference, as written.
#[derive(Clone, Debug)]
pub struct Ref {
    pub span: Span,
    pub field: Field,
    /// The name as written (`app` or `web/app`).
    pub text: String,
    /// What it names, when it names exactly one thing: an index into [`Index::targets`].
    pub target: Option<usize>,
    /// Whether the name could mean several components (an L009 load error elsewhere).
    pub ambiguous: bool,
    /// The item holding it (actor, load balancer, service, container, volume, flow).
    pub subject: String,
    /// The service whose task it is written in, if any.
    pub service: Option<String>,
}

/// What a span of the text is.
#[derive(Clone, Copy, Debug)]
pub enum Token {
    /// A definition of the target at this index of [`Index::targets`].
    Definition(usize),
    /// The reference at this index of [`Index::refs`].
    Reference(usize),
    /// A rule code or name in `suppress:` or `checks.rules`.
    Rule(&'static Code),
}

#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub span: Span,
    pub token: Token,
}

/// The index of one model.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Entry>,
    pub refs: Vec<Ref>,
    /// Every target with a definition, in document order.
    pub targets: Vec<Target>,
    /// Each component's index in `targets`.
    components: HashMap<ComponentId, usize>,
    /// Each access point's index in `targets`, by file system and name.
    access_points: HashMap<(String, String), usize>,
    /// Definitions of each target (a duplicate name has several), by target index.
    definitions: Vec<Vec<Span>>,
    /// References naming each target, by index into `refs`, in document order; by target index.
    uses: Vec<Vec<usize>>,
}

impl Index {
    /// Index a loaded model.
    #[must_use]
    pub fn build(model: &Model) -> Self {
        let mut index = Self::default();
        for c in model.components.values() {
            index.define(Target::Component(c.id.clone()), c.span);
        }
        // A name defined twice (A002): its later definitions too.
        for c in &model.definitions {
            if model
                .components
                .get(&c.id)
                .is_some_and(|first| first.span != c.span)
            {
                index.define(Target::Component(c.id.clone()), c.span);
            }
        }
        for fs in &model.doc.file_systems {
            for ap in &fs.access_points {
                index.define(
                    Target::AccessPoint {
                        file_system: fs.name.value.clone(),
                        name: ap.name.value.clone(),
                    },
                    Span::of(&ap.name),
                );
            }
        }
        for r in references(model) {
            let (target, ambiguous) = match r.field {
                Field::AccessPoint => {
                    let fs = r.file_system.and_then(|id| model.file_system(&id.value));
                    let target = fs.and_then(|fs| {
                        let key = (fs.name.value.clone(), r.name.value.clone());
                        index.access_points.get(&key).copied()
                    });
                    (target, false)
                }
                _ => match r.lookup(model) {
                    Lookup::Found(c) => (index.components.get(&c.id).copied(), false),
                    Lookup::Missing => (None, false),
                    Lookup::Ambiguous(_) => (None, true),
                },
            };
            let i = index.refs.len();
            if let Some(t) = target {
                index.uses[t].push(i);
            }
            let span = Span::of(r.name);
            index.refs.push(Ref {
                span,
                field: r.field,
                text: r.name.value.clone(),
                target,
                ambiguous,
                subject: r.subject.to_owned(),
                service: r.scope.map(|s| s.service_name.value.clone()),
            });
            index.entries.push(Entry {
                span,
                token: Token::Reference(i),
            });
        }
        for name in rule_names(model) {
            if let Some(code) = Code::find(&name.value) {
                index.entries.push(Entry {
                    span: Span::of(name),
                    token: Token::Rule(code),
                });
            }
        }
        index.entries.sort_by_key(|e| (e.span.start, e.span.end));
        index
    }

    /// Record a definition of `target` at `span`.
    fn define(&mut self, target: Target, span: Span) {
        let i = if let Some(i) = self.id(&target) {
            i
        } else {
            let i = self.targets.len();
            match &target {
                Target::Component(id) => self.components.insert(id.clone(), i),
                Target::AccessPoint { file_system, name } => self
                    .access_points
                    .insert((file_system.clone(), name.clone()), i),
            };
            self.targets.push(target);
            self.definitions.push(Vec::new());
            self.uses.push(Vec::new());
            i
        };
        if !self.definitions[i].contains(&span) {
            self.definitions[i].push(span);
            self.entries.push(Entry {
                span,
                token: Token::Definition(i),
            });
        }
    }

    /// A defined target's index.
    fn id(&self, target: &Target) -> Option<usize> {
        match target {
            Target::Component(id) => self.components.get(id).copied(),
            Target::AccessPoint { file_system, name } => self
                .access_points
                .get(&(file_system.clone(), name.clone()))
                .copied(),
        }
    }

    /// What is at byte `offset`: the token whose span holds it, or ends right at it (a cursor
    /// just after a name is on the name).
    #[must_use]
    pub fn at(&self, offset: usize) -> Option<Entry> {
        let after = self.entries.partition_point(|e| e.span.start <= offset);
        let candidates = self.entries.get(..after)?;
        candidates
            .iter()
            .rev()
            .take(2)
            .find(|e| e.span.start <= offset && offset < e.span.end)
            .or_else(|| {
                candidates
                    .iter()
                    .rev()
                    .take(2)
                    .find(|e| e.span.end == offset && e.span.start < offset)
            })
            .copied()
    }

    /// The target a token stands for.
    #[must_use]
    pub fn target_of(&self, token: Token) -> Option<&Target> {
        match token {
            Token::Definition(i) => self.targets.get(i),
            Token::Reference(i) => self.targets.get(self.refs.get(i)?.target?),
            Token::Rule(_) => None,
        }
    }

    /// What a reference names.
    #[must_use]
    pub fn target_of_ref(&self, r: &Ref) -> Option<&Target> {
        self.targets.get(r.target?)
    }

    /// Where a target is defined (several spans for a duplicate name).
    #[must_use]
    pub fn definitions(&self, target: &Target) -> &[Span] {
        self.id(target)
            .and_then(|i| self.definitions.get(i))
            .map_or(&[][..], Vec::as_slice)
    }

    /// The references that name a target, in document order.
    pub fn uses(&self, target: &Target) -> impl Iterator<Item = &Ref> {
        self.id(target)
            .and_then(|i| self.uses.get(i))
            .into_iter()
            .flatten()
            .filter_map(|&i| self.refs.get(i))
    }

    /// Every token, in document order.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

/// Every rule named in the model's settings: `checks.rules` keys and every `suppress[].rule`.
fn rule_names(model: &Model) -> Vec<&S<String>> {
    let doc = &model.doc;
    let mut lists: Vec<&[Suppression]> = Vec::new();
    lists.extend(doc.actors.iter().map(|a| &a.suppress[..]));
    lists.extend(doc.load_balancers.iter().map(|l| &l.suppress[..]));
    lists.extend(doc.target_groups.iter().map(|t| &t.suppress[..]));
    lists.extend(doc.file_systems.iter().map(|f| &f.suppress[..]));
    for s in &doc.services {
        let task = &s.task_definition;
        lists.push(&s.suppress);
        lists.push(&task.suppress);
        lists.extend(task.container_definitions.iter().map(|c| &c.suppress[..]));
        lists.extend(task.volumes.iter().map(|v| &v.suppress[..]));
    }
    lists.extend(doc.flows.iter().map(|f| &f.suppress[..]));
    doc.checks
        .iter()
        .flat_map(|c| c.rules.keys())
        .chain(lists.into_iter().flatten().map(|s| &s.rule))
        .collect()
}
