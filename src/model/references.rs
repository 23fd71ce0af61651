//! Every reference the model makes, with where it is written, what it may name and from where.
//!
//! One walk over the document, shared by the checks that resolve references (`unknown-reference`,
//! [`super::ambiguities`]) and by the language server (go to definition, find references,
//! rename, completion). The order is document order within each section: actors, listeners,
//! services (their load balancers, then each container's references, then each volume's), flows,
//! views' selectors.

use crate::syntax::document::{S, Service};

use super::{Component, ComponentId, Kind, Lookup, Model};

/// The field a reference is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `actors[].connectsTo[]` and `containerDefinitions[].connectsTo[]`.
    ConnectsTo,
    /// `containerDefinitions[].links[]`: a container of the same task.
    Links,
    /// `loadBalancers[].listeners[].defaultActions[].targetGroup`.
    ListenerTargetGroup,
    /// `services[].loadBalancers[].targetGroup`.
    ServiceTargetGroup,
    /// `services[].loadBalancers[].containerName`: a container of the service's task.
    ServiceContainer,
    /// `containerDefinitions[].dependsOn[].containerName`: a container of the same task.
    DependsOn,
    /// `containerDefinitions[].mountPoints[].sourceVolume`: a volume of the same task.
    SourceVolume,
    /// `volumes[].efsVolumeConfiguration.fileSystemId`.
    FileSystemId,
    /// `efsVolumeConfiguration.authorizationConfig.accessPointId`: an access point of the
    /// volume's file system (not a component: see [`Reference::file_system`]).
    AccessPoint,
    /// `flows[].steps[].from`.
    StepFrom,
    /// `flows[].steps[].to`.
    StepTo,
    /// `views[].include[].name` and `views[].exclude[].name`: a name any component has (a
    /// selector may choose every `app`; the first is its definition here).
    ViewName,
    /// `views[].include[].service` and `views[].exclude[].service`.
    ViewService,
}

impl Field {
    /// The YAML key the reference is the value of.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::ConnectsTo => "connectsTo",
            Self::Links => "links",
            Self::ListenerTargetGroup | Self::ServiceTargetGroup => "targetGroup",
            Self::ServiceContainer | Self::DependsOn => "containerName",
            Self::SourceVolume => "sourceVolume",
            Self::FileSystemId => "fileSystemId",
            Self::AccessPoint => "accessPointId",
            Self::StepFrom => "from",
            Self::StepTo => "to",
            Self::ViewName => "name",
            Self::ViewService => "service",
        }
    }

    /// What the reference names, in prose (`container`, `target group`, `component`).
    #[must_use]
    pub const fn what(self) -> &'static str {
        match self {
            Self::ConnectsTo | Self::StepFrom | Self::StepTo | Self::ViewName => "component",
            Self::ViewService => "service",
            Self::Links | Self::ServiceContainer | Self::DependsOn => "container",
            Self::ListenerTargetGroup | Self::ServiceTargetGroup => "target group",
            Self::SourceVolume => "volume",
            Self::FileSystemId => "file system",
            Self::AccessPoint => "access point",
        }
    }

    /// The kinds of component the reference may name; empty: any referenceable kind.
    #[must_use]
    pub const fn accepts(self) -> &'static [Kind] {
        match self {
            Self::ConnectsTo
            | Self::StepFrom
            | Self::StepTo
            | Self::AccessPoint
            | Self::ViewName => &[],
            Self::ViewService => &[Kind::Service],
            Self::Links | Self::ServiceContainer | Self::DependsOn => &[Kind::Container],
            Self::ListenerTargetGroup | Self::ServiceTargetGroup => &[Kind::TargetGroup],
            Self::SourceVolume => &[Kind::Volume],
            Self::FileSystemId => &[Kind::FileSystem],
        }
    }

    /// Whether the reference must name something of the task it is written in (as ECS
    /// requires), by its short name.
    #[must_use]
    pub const fn is_local(self) -> bool {
        matches!(
            self,
            Self::Links | Self::ServiceContainer | Self::DependsOn | Self::SourceVolume
        )
    }
}

/// One reference: a name written in a field, naming a component (or an access point).
#[derive(Clone, Copy, Debug)]
pub struct Reference<'m> {
    pub name: &'m S<String>,
    pub field: Field,
    /// The service whose task a task-local reference is resolved in ([`Field::is_local`]), or
    /// whose task a `connectsTo` is written in (a short name there prefers that task's
    /// components).
    pub scope: Option<&'m Service>,
    /// The item that holds the reference (what `Diagnostic::subject` names): an actor, load
    /// balancer, service, container, volume or flow.
    pub subject: &'m str,
    /// For [`Field::AccessPoint`]: the volume's `fileSystemId`.
    pub file_system: Option<&'m S<String>>,
}

impl<'m> Reference<'m> {
    /// The service name [`Model::lookup`] prefers components of: set for a `connectsTo` written
    /// in a task (task-local fields are resolved in their task, see [`Reference::lookup`]).
    #[must_use]
    pub fn preferred_scope(&self) -> Option<&'m str> {
        match self.field {
            Field::ConnectsTo => self.scope.map(|s| s.service_name.value.as_str()),
            _ => None,
        }
    }

    /// What the reference names: a task-local reference the component of its task with that
    /// short name; any other the component [`Model::lookup`] finds among the accepted kinds.
    /// An access point is not a component: always `Missing` here.
    #[must_use]
    pub fn lookup(&self, model: &'m Model) -> Lookup<'m> {
        match self.field {
            Field::AccessPoint => Lookup::Missing,
            // Services are not in the namespace references use: found by `serviceName`.
            Field::ViewService => model
                .components
                .get(&ComponentId::new(Kind::Service, self.name.value.clone()))
                .map_or(Lookup::Missing, Lookup::Found),
            field if field.is_local() => {
                let Some(service) = self.scope else {
                    return Lookup::Missing;
                };
                let kind = field.accepts().first().copied().unwrap_or(Kind::Container);
                let id = ComponentId::scoped(kind, &service.service_name.value, &self.name.value);
                model
                    .components
                    .get(&id)
                    .map_or(Lookup::Missing, Lookup::Found)
            }
            field => model.lookup(&self.name.value, self.preferred_scope(), field.accepts()),
        }
    }

    /// The component the reference names unambiguously, if any.
    #[must_use]
    pub fn target(&self, model: &'m Model) -> Option<&'m Component> {
        match self.lookup(model) {
            Lookup::Found(c) => Some(c),
            Lookup::Missing | Lookup::Ambiguous(_) => None,
        }
    }
}

/// Every reference of the model, in document order (see the module documentation).
#[must_use]
pub fn references(model: &Model) -> Vec<Reference<'_>> {
    let doc = &model.doc;
    let mut out = Vec::new();
    let mut push = |name, field, scope, subject, file_system| {
        out.push(Reference {
            name,
            field,
            scope,
            subject,
            file_system,
        });
    };
    for actor in &doc.actors {
        for r in &actor.connects_to {
            push(r, Field::ConnectsTo, None, &actor.name.value, None);
        }
    }
    // A listener is part of its load balancer, which is where it can be suppressed.
    for (lb, listener) in model.listeners() {
        for action in &listener.default_actions {
            if let Some(tg) = &action.target_group {
                push(tg, Field::ListenerTargetGroup, None, &lb.name.value, None);
            }
        }
    }
    for service in &doc.services {
        let task = &service.task_definition;
        let name = &service.service_name.value;
        for lb in &service.load_balancers {
            push(
                &lb.target_group,
                Field::ServiceTargetGroup,
                None,
                name,
                None,
            );
            push(
                &lb.container_name,
                Field::ServiceContainer,
                Some(service),
                name,
                None,
            );
        }
        for container in &task.container_definitions {
            let owner = &container.name.value;
            for r in &container.connects_to {
                push(r, Field::ConnectsTo, Some(service), owner, None);
            }
            for r in &container.links {
                push(r, Field::Links, Some(service), owner, None);
            }
            for dep in &container.depends_on {
                push(
                    &dep.container_name,
                    Field::DependsOn,
                    Some(service),
                    owner,
                    None,
                );
            }
            for mount in &container.mount_points {
                push(
                    &mount.source_volume,
                    Field::SourceVolume,
                    Some(service),
                    owner,
                    None,
                );
            }
        }
        for volume in &task.volumes {
            let Some(efs) = &volume.efs_volume_configuration else {
                continue;
            };
            let owner = &volume.name.value;
            push(
                &efs.file_system_id,
                Field::FileSystemId,
                Some(service),
                owner,
                None,
            );
            if let Some(ap) = efs
                .authorization_config
                .as_ref()
                .and_then(|a| a.access_point_id.as_ref())
            {
                push(
                    ap,
                    Field::AccessPoint,
                    Some(service),
                    owner,
                    Some(&efs.file_system_id),
                );
            }
        }
    }
    for flow in &doc.flows {
        for step in &flow.steps {
            push(&step.from, Field::StepFrom, None, &flow.name.value, None);
            push(&step.to, Field::StepTo, None, &flow.name.value, None);
        }
    }
    for view in &doc.views {
        for selector in view.include.iter().chain(&view.exclude) {
            if let Some(name) = &selector.name {
                push(name, Field::ViewName, None, &view.name.value, None);
            }
            if let Some(service) = &selector.service {
                push(service, Field::ViewService, None, &view.name.value, None);
            }
        }
    }
    out
}
