//! The compose file as the importer understands it: the services, with only what archflow maps.
//! The reader builds it from the YAML tree; the planner reads nothing else. What the reader
//! leaves out is in its not-imported notes, never here.

/// A compose file, read: its `name:` and its services in file order.
#[derive(Clone, Debug)]
pub(super) struct Compose {
    pub name: Option<String>,
    pub services: Vec<Service>,
}

/// One compose service.
#[derive(Clone, Debug, Default)]
pub(super) struct Service {
    pub name: String,
    /// `None` when the service has only `build:`.
    pub image: Option<String>,
    /// `ports` and `expose`, one entry per port (ranges are spread out).
    pub ports: Vec<Port>,
    /// Named and anonymous volumes (bind mounts and tmpfs are not imported).
    pub mounts: Vec<Mount>,
    pub depends: Vec<(String, Condition)>,
    /// `None` when there is none, or it is disabled or has no `test`.
    pub health: Option<Health>,
    pub read_only: Option<bool>,
    pub replicas: Option<u32>,
    /// `KEY=VALUE` pairs; variables that take their value from the shell are not here.
    pub env: Vec<(String, String)>,
    /// (variable name in the container, compose secret name).
    pub secrets: Vec<(String, String)>,
    pub user: Option<String>,
    pub privileged: Option<bool>,
    pub command: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    /// The `restart` policy (`no`, `always`, `on-failure[:n]`, `unless-stopped`).
    pub restart: Option<String>,
    /// `deploy.resources`, when it sets CPUs or memory.
    pub resources: Option<Resources>,
}

/// `deploy.resources`: each value as written and in ECS units (CPU units, 1024 a vCPU; MiB).
#[derive(Clone, Debug, Default)]
pub(super) struct Resources {
    pub cpu_limit: Option<(String, u32)>,
    pub memory_limit: Option<(String, u32)>,
    pub cpu_reservation: Option<(String, u32)>,
    pub memory_reservation: Option<(String, u32)>,
}

/// A `depends_on` condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Condition {
    Start,
    Healthy,
    Success,
}

impl Condition {
    /// The ECS `dependsOn` condition.
    pub const fn ecs(self) -> &'static str {
        match self {
            Self::Start => "START",
            Self::Healthy => "HEALTHY",
            Self::Success => "SUCCESS",
        }
    }

    /// The compose spelling.
    pub const fn compose(self) -> &'static str {
        match self {
            Self::Start => "service_started",
            Self::Healthy => "service_healthy",
            Self::Success => "service_completed_successfully",
        }
    }
}

/// One container port.
#[derive(Clone, Debug)]
pub(super) struct Port {
    pub container: u16,
    /// The host port compose publishes it on.
    pub published: Option<u16>,
    /// The host address it is published on (`127.0.0.1`, `::1`…); `None` for every address.
    pub host_ip: Option<String>,
    /// The entry as written (`127.0.0.1:9090:9091`, `target 4000, published 443`), for notes.
    pub spec: String,
    pub udp: bool,
    pub name: Option<String>,
    /// `http`, `http2` or `grpc`.
    pub app_protocol: Option<String>,
}

/// A volume mounted into a service.
#[derive(Clone, Debug)]
pub(super) struct Mount {
    /// The compose volume name; `None` for an anonymous volume.
    pub volume: Option<String>,
    pub target: String,
    pub read_only: bool,
}

/// A health check with a command.
#[derive(Clone, Debug, Default)]
pub(super) struct Health {
    pub command: Vec<String>,
    pub interval: Option<Timed>,
    pub timeout: Option<Timed>,
    pub retries: Option<u32>,
    pub start_period: Option<Timed>,
}

/// A duration in whole seconds (rounded up), and as written (`1m30s`).
#[derive(Clone, Debug)]
pub(super) struct Timed {
    pub seconds: u32,
    pub written: String,
}
