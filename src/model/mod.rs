//! Model stage: a parsed [`Document`] with every component indexed by id and name.
//!
//! Defaults that AWS applies when a field is omitted live in [`defaults`] as methods on the
//! document types, so rules and views read `service.desired_count()` rather than re-deriving it.

mod ambiguity;
mod defaults;
mod references;

pub use ambiguity::ambiguities;
pub use references::{Field, Reference, references};

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

    /// Whether flows and references may name components of this kind. Services and task
    /// families are not: flows and calls go between the components inside them. So a service,
    /// its task definition and its one container may all share a name (as they often do).
    #[must_use]
    pub const fn is_referenceable(self) -> bool {
        !matches!(self, Self::Service | Self::Task)
    }

    /// Whether names of this kind are scoped to their task definition (as in ECS), so that two
    /// services may each have a container called `app`. A reference from outside the task may
    /// qualify the name with the service's: `service/container`.
    #[must_use]
    pub const fn is_scoped(self) -> bool {
        matches!(self, Self::Container | Self::Volume)
    }
}

/// A component's identity: its kind and its name. The name of a container or volume is
/// qualified with its service's (`service/container`, see [`Kind::is_scoped`]).
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

    /// The id of a container or volume `name` of `service`'s task.
    #[must_use]
    pub fn scoped(kind: Kind, service: &str, name: &str) -> Self {
        Self::new(kind, qualified(service, name))
    }
}

/// `service/name`: the qualified name of a container or volume.
#[must_use]
pub fn qualified(service: &str, name: &str) -> String {
    format!("{service}/{name}")
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
    /// The name as written in its definition (`app`, where the id is `web/app`).
    pub short: String,
    /// Where the name is written.
    pub span: Span,
    /// The enclosing service or task, for tasks, containers and volumes.
    pub parent: Option<ComponentId>,
    /// The service whose task holds it, for tasks, containers and volumes.
    pub service: Option<String>,
}

/// What a reference names (see [`Model::lookup`]).
#[derive(Debug)]
pub enum Lookup<'m> {
    Found(&'m Component),
    Missing,
    /// A short name that several components have; the candidates, in document order.
    Ambiguous(Vec<&'m Component>),
}

/// The model's index maps: in insertion (document) order, hashed with a fast, fixed hash (ids
/// are looked up hundreds of thousands of times in a large model).
pub type Map<K, V> = IndexMap<K, V, rustc_hash::FxBuildHasher>;

/// The parsed document plus its index. Built by [`lower`].
#[derive(Debug)]
pub struct Model {
    pub doc: Document,
    /// Every component in document order; a duplicate name keeps its first definition here.
    pub components: Map<ComponentId, Component>,
    /// Every definition of every referenceable name, duplicates included, in document order.
    pub definitions: Vec<Component>,
    /// Short name → every referenceable component with that name, in document order.
    names: Map<String, Vec<ComponentId>>,
    /// Qualified container name (`service/container`) → (service index, container index), first
    /// definition wins.
    containers: Map<String, (usize, usize)>,
    /// Load balancer and target group name → index in the document, first definition wins.
    load_balancers: Map<String, usize>,
    target_groups: Map<String, usize>,
    /// File system name → index in the document, first definition wins.
    file_systems: Map<String, usize>,
}

impl Model {
    /// What `reference` names, among the components of the `accept`ed kinds (any referenceable
    /// kind when empty). A qualified name (`service/container`) names that one; a short name
    /// names the one component that has it, preferring one in the task of service `scope`
    /// (references written inside a task: `connectsTo`, `dependsOn`, …).
    #[must_use]
    pub fn lookup(&self, reference: &str, scope: Option<&str>, accept: &[Kind]) -> Lookup<'_> {
        let accepted = |c: &&Component| accept.is_empty() || accept.contains(&c.id.kind);
        if reference.contains('/') {
            let qualified: Vec<&Component> = [Kind::Container, Kind::Volume]
                .into_iter()
                .filter_map(|kind| self.get(kind, reference))
                .filter(accepted)
                .collect();
            match qualified.as_slice() {
                [one] => return Lookup::Found(one),
                [] => {}
                _ => return Lookup::Ambiguous(qualified),
            }
        }
        // Two components of the model's namespace with one name are a duplicate (A002 reports
        // it); like every duplicate, the first definition stands for both.
        let mut candidates: Vec<&Component> = Vec::new();
        for c in self
            .names
            .get(reference)
            .into_iter()
            .flatten()
            .filter_map(|id| self.components.get(id))
            .filter(accepted)
        {
            if c.id.kind.is_scoped() || !candidates.iter().any(|d| !d.id.kind.is_scoped()) {
                candidates.push(c);
            }
        }
        let local: Vec<&Component> = match scope {
            Some(service) => candidates
                .iter()
                .copied()
                .filter(|c| c.service.as_deref() == Some(service))
                .collect(),
            None => Vec::new(),
        };
        match (local.as_slice(), candidates.as_slice()) {
            ([one], _) | ([], [one]) => Lookup::Found(one),
            ([], []) => Lookup::Missing,
            ([], _) => Lookup::Ambiguous(candidates),
            _ => Lookup::Ambiguous(local),
        }
    }

    /// The component `reference` names unambiguously (see [`Model::lookup`]), if any.
    #[must_use]
    pub fn resolve(&self, reference: &str) -> Option<&Component> {
        self.resolve_in(reference, None)
    }

    /// [`Model::resolve`] from inside the task of service `scope`.
    #[must_use]
    pub fn resolve_in(&self, reference: &str, scope: Option<&str>) -> Option<&Component> {
        match self.lookup(reference, scope, &[]) {
            Lookup::Found(c) => Some(c),
            Lookup::Missing | Lookup::Ambiguous(_) => None,
        }
    }

    /// The component of `kind` with the id name `name` (qualified for containers and volumes).
    #[must_use]
    pub fn get(&self, kind: Kind, name: &str) -> Option<&Component> {
        self.components.get(&IdRef { kind, name })
    }

    /// The shortest name that refers to `id` from anywhere: its short name when no other
    /// referenceable component has it, else its qualified name. Diagrams use it as the id.
    #[must_use]
    pub fn reference_name<'a>(&'a self, id: &'a ComponentId) -> &'a str {
        let Some(c) = self.components.get(id) else {
            return &id.name;
        };
        if id.kind.is_scoped() && self.is_shared(&c.short) {
            &id.name
        } else {
            &c.short
        }
    }

    /// Whether more than one referenceable component has the short name `short` (then the
    /// scoped ones are referred to by their qualified names: see [`Self::reference_name`]).
    #[must_use]
    pub fn is_shared(&self, short: &str) -> bool {
        self.names.get(short).is_some_and(|ids| ids.len() > 1)
    }

    /// Every referenceable short name, in document order (for "did you mean").
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

    /// The service and container definition of a container id (`service/container`).
    #[must_use]
    pub fn container(&self, id: &ComponentId) -> Option<(&Service, &ContainerDefinition)> {
        if id.kind != Kind::Container {
            return None;
        }
        let &(s, c) = self.containers.get(&id.name)?;
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

/// Index a parsed document. Never fails: broken and ambiguous references and duplicate names are
/// left for the rules (and [`ambiguities`]) to report, so that every finding is collected in one
/// run.
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
        let name = &service.service_name.value;
        b.add(Kind::Service, &service.service_name, None);
        let service_id = ComponentId::new(Kind::Service, name.clone());
        let task = &service.task_definition;
        b.add_in(Kind::Task, &task.family, Some(service_id), name);
        let task_id = ComponentId::new(Kind::Task, task.family.value.clone());
        for container in &task.container_definitions {
            b.add_in(
                Kind::Container,
                &container.name,
                Some(task_id.clone()),
                name,
            );
        }
        for volume in &task.volumes {
            b.add_in(Kind::Volume, &volume.name, Some(task_id.clone()), name);
        }
    }
    for fs in &doc.file_systems {
        b.add(Kind::FileSystem, &fs.name, None);
    }
    let mut containers = Map::default();
    for (s, service) in doc.services.iter().enumerate() {
        for (c, container) in service
            .task_definition
            .container_definitions
            .iter()
            .enumerate()
        {
            containers
                .entry(qualified(
                    &service.service_name.value,
                    &container.name.value,
                ))
                .or_insert((s, c));
        }
    }
    let index = |names: Vec<&String>| {
        let mut map = Map::default();
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
    components: Map<ComponentId, Component>,
    definitions: Vec<Component>,
    names: Map<String, Vec<ComponentId>>,
}

impl Builder {
    fn add(&mut self, kind: Kind, name: &S<String>, parent: Option<ComponentId>) {
        self.add_named(kind, name.value.clone(), Span::of(name), parent);
    }

    /// A component inside `service`'s task (the task itself, a container, a volume).
    fn add_in(&mut self, kind: Kind, name: &S<String>, parent: Option<ComponentId>, service: &str) {
        let id = if kind.is_scoped() {
            ComponentId::scoped(kind, service, &name.value)
        } else {
            ComponentId::new(kind, name.value.clone())
        };
        self.insert(Component {
            id,
            short: name.value.clone(),
            span: Span::of(name),
            parent,
            service: Some(service.to_owned()),
        });
    }

    fn add_named(&mut self, kind: Kind, name: String, span: Span, parent: Option<ComponentId>) {
        self.insert(Component {
            id: ComponentId::new(kind, name.clone()),
            short: name,
            span,
            parent,
            service: None,
        });
    }

    fn insert(&mut self, component: Component) {
        let id = component.id.clone();
        if id.kind.is_referenceable() {
            self.definitions.push(component.clone());
            let same = self.names.entry(component.short.clone()).or_default();
            if !same.contains(&id) {
                same.push(id.clone());
            }
        }
        self.components.entry(id).or_insert(component);
    }
}
