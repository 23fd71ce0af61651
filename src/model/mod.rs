//! Model stage: a parsed [`Document`] with every component indexed by id and name.
//!
//! Defaults that AWS applies when a field is omitted live in [`defaults`] as methods on the
//! document types, so rules and views read `service.desired_count()` rather than re-deriving it.

mod defaults;

use indexmap::IndexMap;
use serde::Serialize;

use crate::source::Span;
use crate::syntax::Document;
use crate::syntax::document::{
    ContainerDefinition, FileSystem, Listener, LoadBalancer, S, Service, TargetGroup,
};

/// What a component is. Order is the order of tiers, left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Actor,
    LoadBalancer,
    Listener,
    TargetGroup,
    Service,
    Task,
    Container,
    Volume,
    FileSystem,
}

impl Kind {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Actor => "actor",
            Self::LoadBalancer => "load balancer",
            Self::Listener => "listener",
            Self::TargetGroup => "target group",
            Self::Service => "service",
            Self::Task => "task",
            Self::Container => "container",
            Self::Volume => "volume",
            Self::FileSystem => "file system",
        }
    }

    /// Whether flows and references may name components of this kind. Task families are not
    /// referenceable, so a service and its task definition may share a name (as they often do).
    #[must_use]
    pub const fn is_referenceable(self) -> bool {
        !matches!(self, Self::Task)
    }
}

/// A component's identity: its kind and its name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ComponentId {
    pub kind: Kind,
    pub name: String,
}

impl ComponentId {
    #[must_use]
    pub fn new(kind: Kind, name: impl Into<String>) -> Self {
        Self {
            kind,
            name: name.into(),
        }
    }
}

/// A borrowed [`ComponentId`], to look components up without allocating the name. It hashes
/// exactly as `ComponentId` does (the kind, then the name as a `str`).
#[derive(Hash)]
struct IdRef<'a> {
    kind: Kind,
    name: &'a str,
}

impl indexmap::Equivalent<ComponentId> for IdRef<'_> {
    fn equivalent(&self, key: &ComponentId) -> bool {
        self.kind == key.kind && self.name == key.name
    }
}

/// One named thing in the model.
#[derive(Clone, Debug)]
pub struct Component {
    pub id: ComponentId,
    /// Where the name is written.
    pub span: Span,
    /// The enclosing service or task, for tasks, containers and volumes.
    pub parent: Option<ComponentId>,
}

/// The parsed document plus its index. Built by [`lower`].
#[derive(Debug)]
pub struct Model {
    pub doc: Document,
    /// Every component in document order; a duplicate name keeps its first definition here.
    pub components: IndexMap<ComponentId, Component>,
    /// Every definition of every referenceable name, duplicates included, in document order.
    pub definitions: Vec<Component>,
    names: IndexMap<String, ComponentId>,
    /// Container name → (service index, container index), first definition wins.
    containers: IndexMap<String, (usize, usize)>,
    /// Load balancer and target group name → index in the document, first definition wins.
    load_balancers: IndexMap<String, usize>,
    target_groups: IndexMap<String, usize>,
    /// File system name → index in the document, first definition wins.
    file_systems: IndexMap<String, usize>,
}

impl Model {
    /// The component a bare name refers to (flows, `connectsTo`, …), if any.
    #[must_use]
    pub fn resolve(&self, name: &str) -> Option<&Component> {
        self.names.get(name).and_then(|id| self.components.get(id))
    }

    /// The component of `kind` named `name`, if any.
    #[must_use]
    pub fn get(&self, kind: Kind, name: &str) -> Option<&Component> {
        self.components.get(&IdRef { kind, name })
    }

    /// Every referenceable name, in document order (for "did you mean").
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    /// Every container with the service whose task holds it.
    pub fn containers(&self) -> impl Iterator<Item = (&Service, &ContainerDefinition)> {
        self.doc.services.iter().flat_map(|s| {
            s.task_definition
                .container_definitions
                .iter()
                .map(move |c| (s, c))
        })
    }

    /// The service and container definition of a container name.
    #[must_use]
    pub fn container(&self, name: &str) -> Option<(&Service, &ContainerDefinition)> {
        let &(s, c) = self.containers.get(name)?;
        let service = self.doc.services.get(s)?;
        Some((
            service,
            service.task_definition.container_definitions.get(c)?,
        ))
    }

    /// The load balancer called `name`.
    #[must_use]
    pub fn load_balancer(&self, name: &str) -> Option<&LoadBalancer> {
        self.doc.load_balancers.get(*self.load_balancers.get(name)?)
    }

    /// The target group called `name`.
    #[must_use]
    pub fn target_group(&self, name: &str) -> Option<&TargetGroup> {
        self.doc.target_groups.get(*self.target_groups.get(name)?)
    }

    /// The file system called `name` (the first, when the name is defined twice).
    #[must_use]
    pub fn file_system(&self, name: &str) -> Option<&FileSystem> {
        self.doc.file_systems.get(*self.file_systems.get(name)?)
    }

    /// Every listener with its load balancer.
    pub fn listeners(&self) -> impl Iterator<Item = (&LoadBalancer, &Listener)> {
        self.doc
            .load_balancers
            .iter()
            .flat_map(|lb| lb.listeners.iter().map(move |l| (lb, l)))
    }
}

/// The id of a listener: its `name`, or `<load balancer>:<port>`.
#[must_use]
pub fn listener_name(lb: &LoadBalancer, listener: &Listener) -> String {
    listener.name.as_ref().map_or_else(
        || format!("{}:{}", lb.name.value, listener.port.value),
        |n| n.value.clone(),
    )
}

/// Index a parsed document. Never fails: broken references and duplicate names are left for the
/// rules to report, so that every finding is collected in one run.
#[must_use]
pub fn lower(doc: Document) -> Model {
    let mut b = Builder::default();
    for actor in &doc.actors {
        b.add(Kind::Actor, &actor.name, None);
    }
    for lb in &doc.load_balancers {
        b.add(Kind::LoadBalancer, &lb.name, None);
        let lb_id = ComponentId::new(Kind::LoadBalancer, lb.name.value.clone());
        for listener in &lb.listeners {
            let span = listener
                .name
                .as_ref()
                .map_or_else(|| Span::of(&listener.port), Span::of);
            b.add_named(
                Kind::Listener,
                listener_name(lb, listener),
                span,
                Some(lb_id.clone()),
            );
        }
    }
    for tg in &doc.target_groups {
        b.add(Kind::TargetGroup, &tg.name, None);
    }
    for service in &doc.services {
        b.add(Kind::Service, &service.service_name, None);
        let service_id = ComponentId::new(Kind::Service, service.service_name.value.clone());
        let task = &service.task_definition;
        b.add(Kind::Task, &task.family, Some(service_id));
        let task_id = ComponentId::new(Kind::Task, task.family.value.clone());
        for container in &task.container_definitions {
            b.add(Kind::Container, &container.name, Some(task_id.clone()));
        }
        for volume in &task.volumes {
            b.add(Kind::Volume, &volume.name, Some(task_id.clone()));
        }
    }
    for fs in &doc.file_systems {
        b.add(Kind::FileSystem, &fs.name, None);
    }
    let mut containers = IndexMap::new();
    for (s, service) in doc.services.iter().enumerate() {
        for (c, container) in service
            .task_definition
            .container_definitions
            .iter()
            .enumerate()
        {
            containers
                .entry(container.name.value.clone())
                .or_insert((s, c));
        }
    }
    let index = |names: Vec<&String>| {
        let mut map = IndexMap::new();
        for (i, name) in names.into_iter().enumerate() {
            map.entry(name.clone()).or_insert(i);
        }
        map
    };
    let load_balancers = index(doc.load_balancers.iter().map(|l| &l.name.value).collect());
    let target_groups = index(doc.target_groups.iter().map(|t| &t.name.value).collect());
    let file_systems = index(doc.file_systems.iter().map(|f| &f.name.value).collect());
    Model {
        doc,
        components: b.components,
        definitions: b.definitions,
        names: b.names,
        containers,
        load_balancers,
        target_groups,
        file_systems,
    }
}

#[derive(Default)]
struct Builder {
    components: IndexMap<ComponentId, Component>,
    definitions: Vec<Component>,
    names: IndexMap<String, ComponentId>,
}

impl Builder {
    fn add(&mut self, kind: Kind, name: &S<String>, parent: Option<ComponentId>) {
        self.add_named(kind, name.value.clone(), Span::of(name), parent);
    }

    fn add_named(&mut self, kind: Kind, name: String, span: Span, parent: Option<ComponentId>) {
        let id = ComponentId::new(kind, name);
        let component = Component {
            id: id.clone(),
            span,
            parent,
        };
        if kind.is_referenceable() {
            self.definitions.push(component.clone());
            self.names
                .entry(id.name.clone())
                .or_insert_with(|| id.clone());
        }
        self.components.entry(id).or_insert(component);
    }
}
