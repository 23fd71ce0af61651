//! Planning: the compose [`Compose`] document → the archflow model to write, as plain data
//! ([`Plan`]). Every decision of the import is made here: the layout (one task, or one ECS
//! service each), every name (unique across the model), the guessed roles, EFS for the volumes
//! of databases, the load balancer for published ports, what `depends_on` and host names in
//! environment values become, and what is lost on the way (the not-imported notes).
//!
//! Notes that depend on the input (a guess and its reason, what compose did differently) are
//! part of the plan; the writer adds only the remarks that are the same in every import.

use std::collections::{BTreeMap, BTreeSet};

use super::document::{Compose, Condition, Health, Port, Service};
use super::{Layout, Notes, Options};

/// The archflow model, decided.
pub(super) struct Plan {
    pub layout: Layout,
    /// The input's display name.
    pub source_name: String,
    /// The model's name; other names start with it.
    pub project: String,
    pub cluster: String,
    /// The tasks' security group (a placeholder).
    pub security_group: String,
    /// Only when compose publishes a port.
    pub load_balancer: Option<LoadBalancer>,
    pub target_groups: Vec<TargetGroup>,
    pub file_systems: Vec<FileSystem>,
    pub services: Vec<EcsService>,
    /// What was not imported, one line each.
    pub not_imported: Vec<String>,
}

/// The Application Load Balancer in front of the published ports, and who calls it.
pub(super) struct LoadBalancer {
    pub name: String,
    /// The actor that calls it.
    pub caller: String,
    pub listeners: Vec<Listener>,
}

pub(super) struct Listener {
    pub port: u16,
    pub target_group: String,
    /// Port 443: HTTPS needs a certificate before the protocol can be set.
    pub needs_certificate: bool,
}

pub(super) struct TargetGroup {
    pub name: String,
    pub port: u16,
    pub note: String,
}

pub(super) struct FileSystem {
    pub name: String,
    pub note: String,
}

/// One ECS service and its task.
pub(super) struct EcsService {
    pub name: String,
    pub description: String,
    pub desired_count: u32,
    pub desired_count_note: Option<String>,
    pub load_balancers: Vec<LbTarget>,
    /// A database on shared EFS is in the task: a deployment stops the old task first.
    pub one_task_at_a_time: bool,
    pub task: Task,
}

/// Where a target group sends traffic.
#[derive(Clone)]
pub(super) struct LbTarget {
    pub target_group: String,
    pub container: String,
    pub port: u16,
}

pub(super) struct Task {
    pub family: String,
    pub description: String,
    pub cpu: &'static str,
    pub memory: &'static str,
    pub containers: Vec<Container>,
    pub volumes: Vec<TaskVolume>,
}

pub(super) struct TaskVolume {
    pub name: String,
    /// What an anonymous compose volume was.
    pub description: Option<String>,
    /// The EFS file system it is on; task storage when `None`.
    pub file_system: Option<String>,
    pub note: Option<String>,
}

/// A guessed role and why.
pub(super) struct Role {
    pub role: &'static str,
    pub why: String,
}

/// The container definition of one compose service.
pub(super) struct Container {
    pub name: String,
    pub role: Option<Role>,
    pub image: String,
    /// Compose builds the image: `image` is a placeholder.
    pub image_is_placeholder: bool,
    /// A one-off job others wait for (`service_completed_successfully`) is not essential.
    pub essential: bool,
    pub ports: Vec<PortMapping>,
    pub environment: Vec<EnvVar>,
    pub secrets: Vec<SecretRef>,
    pub mount_points: Vec<MountPoint>,
    /// Containers of the same task to wait for (layout one-task only).
    pub depends_on: Vec<(String, Condition)>,
    /// The guessed callees.
    pub connects_to: Vec<String>,
    pub health: Option<Health>,
    pub privileged: Option<bool>,
    pub read_only: Option<bool>,
    pub user: Option<String>,
    pub command: Option<Vec<String>>,
    pub entry_point: Option<Vec<String>>,
}

pub(super) struct PortMapping {
    pub port: u16,
    pub udp: bool,
    pub name: Option<String>,
    pub app_protocol: Option<String>,
    pub note: Option<String>,
}

pub(super) struct EnvVar {
    pub name: String,
    pub value: String,
    /// One per other compose service the value names as a host, in that order.
    pub notes: Vec<String>,
}

pub(super) struct SecretRef {
    pub name: String,
    pub value_from: String,
    pub note: String,
}

pub(super) struct MountPoint {
    pub volume: String,
    pub path: String,
    pub read_only: bool,
}

/// The plan of a compose document; `notes` are the reader's not-imported notes, to which the
/// plan adds its own.
pub(super) fn plan(compose: &Compose, options: &Options, notes: Notes) -> Plan {
    let project = sanitize(compose.name.as_deref().unwrap_or(&options.default_name));
    let svcs = compose.services.as_slice();
    let layout = options.layout;
    let mut names = Names(svcs.iter().map(|s| s.name.clone()).collect());
    let roles: BTreeMap<String, Role> = svcs
        .iter()
        .filter_map(|s| guess_role(s).map(|r| (s.name.clone(), r)))
        .collect();
    let mut shared: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in svcs {
        for m in &s.mounts {
            if let Some(v) = &m.volume {
                let users = shared.entry(v.clone()).or_default();
                if !users.contains(&s.name) {
                    users.push(s.name.clone());
                }
            }
        }
    }
    // The writable named volumes of databases go on EFS, one file system each.
    let mut efs = BTreeMap::new();
    let mut file_systems = Vec::new();
    for s in svcs
        .iter()
        .filter(|s| roles.get(&s.name).is_some_and(|r| r.role == "database"))
    {
        for m in s.mounts.iter().filter(|m| !m.read_only) {
            let Some(v) = &m.volume else { continue };
            if efs.contains_key(v) {
                continue;
            }
            let fs = names.take(&format!("{project}-{v}"));
            file_systems.push(FileSystem {
                name: fs.clone(),
                note: format!("compose volume `{v}`; EFS so data survives task replacement"),
            });
            efs.insert(v.clone(), fs);
        }
    }
    // A job others wait for with SUCCESS is not essential in a shared task. In its own service
    // it would be restarted after each exit: that is listed.
    let run_once: BTreeSet<String> = svcs
        .iter()
        .filter(|_| layout == Layout::OneTask)
        .flat_map(|s| {
            s.depends
                .iter()
                .filter(|(_, c)| *c == Condition::Success)
                .map(|(n, _)| n.clone())
        })
        .collect();
    let mut planner = Planner {
        svcs,
        layout,
        names,
        not_imported: notes.into_lines(),
        roles,
        efs,
        shared,
        run_once,
    };
    let (lb, target_groups, service_lbs) = planner.load_balancing(&project);

    let mut services = Vec::new();
    match layout {
        Layout::OneTask => {
            let members: Vec<&Service> = svcs.iter().collect();
            let name = planner.names.take(&project);
            let lbs: Vec<LbTarget> = service_lbs.values().flatten().cloned().collect();
            services.push(planner.service(&members, &name, &name, lbs));
        }
        Layout::OneServiceEach => {
            for s in svcs {
                let name = planner.names.take(&format!("{}-service", s.name));
                for (n, cond) in &s.depends {
                    planner.not_imported.push(format!(
                        "`services.{}.depends_on.{n}` ({}): ECS orders containers only within a task; `{n}` runs in its own service",
                        s.name,
                        cond.compose()
                    ));
                }
                if svcs.iter().any(|o| {
                    o.depends
                        .iter()
                        .any(|(n, c)| n == &s.name && *c == Condition::Success)
                }) {
                    planner.not_imported.push(format!(
                        "`services.{}`: a job that runs to completion; an ECS service restarts it after each exit: run it with `aws ecs run-task` instead",
                        s.name
                    ));
                }
                let lbs = service_lbs.get(&s.name).cloned().unwrap_or_default();
                services.push(planner.service(&[s], &name, &s.name, lbs));
            }
        }
    }
    let load_balancer = lb.map(|(name, listeners)| LoadBalancer {
        name,
        caller: planner.names.take("user"),
        listeners,
    });
    Plan {
        layout,
        source_name: options.source_name.clone(),
        cluster: format!("{project}-cluster"),
        security_group: format!("{project}-tasks"),
        project,
        load_balancer,
        target_groups,
        file_systems,
        services,
        not_imported: planner.not_imported,
    }
}

/// The state of planning once the model-wide choices (roles, EFS, one-off jobs) are made.
struct Planner<'a> {
    svcs: &'a [Service],
    layout: Layout,
    names: Names,
    not_imported: Vec<String>,
    roles: BTreeMap<String, Role>,
    /// Compose volume → EFS file system name (volumes mounted by a database).
    efs: BTreeMap<String, String>,
    /// Compose volume → the services that mount it, in file order.
    shared: BTreeMap<String, Vec<String>>,
    /// Containers other containers wait for with `service_completed_successfully`.
    run_once: BTreeSet<String>,
}

/// The load balancer's name and listeners (when compose publishes any port), its target
/// groups, and each compose service's targets.
type LoadBalancing = (
    Option<(String, Vec<Listener>)>,
    Vec<TargetGroup>,
    BTreeMap<String, Vec<LbTarget>>,
);

impl Planner<'_> {
    fn role(&self, service: &str) -> Option<&'static str> {
        self.roles.get(service).map(|r| r.role)
    }

    fn is_data_store(&self, service: &str) -> bool {
        matches!(self.role(service), Some("database" | "cache"))
    }

    /// Load balancer: published TCP ports of serving (not database or cache) containers.
    fn load_balancing(&mut self, project: &str) -> LoadBalancing {
        let mut listeners = Vec::new();
        let mut target_groups = Vec::new();
        let mut targets: BTreeMap<String, Vec<LbTarget>> = BTreeMap::new();
        let any_published = self
            .svcs
            .iter()
            .any(|s| s.ports.iter().any(|p| p.published.is_some()));
        let lb_name = any_published.then(|| self.names.take(&format!("{project}-alb")));
        for s in self.svcs {
            if self.is_data_store(&s.name) {
                continue;
            }
            let published: Vec<&Port> = s
                .ports
                .iter()
                .filter(|p| p.published.is_some() && !p.udp)
                .collect();
            for p in &published {
                let Some(host) = p.published else { continue };
                let base = if published.len() > 1 {
                    format!("{}-{}-tg", s.name, p.container)
                } else {
                    format!("{}-tg", s.name)
                };
                let tg = self.names.take(&base);
                listeners.push(Listener {
                    port: host,
                    target_group: tg.clone(),
                    needs_certificate: host == 443,
                });
                target_groups.push(TargetGroup {
                    name: tg.clone(),
                    port: p.container,
                    note: format!("guess: compose publishes `{}` port {} on host port {host}; set `healthCheck.path` to a real health endpoint", s.name, p.container),
                });
                targets.entry(s.name.clone()).or_default().push(LbTarget {
                    target_group: tg,
                    container: s.name.clone(),
                    port: p.container,
                });
            }
        }
        (lb_name.map(|n| (n, listeners)), target_groups, targets)
    }

    fn efs_for(&self, s: &Service) -> bool {
        s.mounts
            .iter()
            .any(|m| m.volume.as_ref().is_some_and(|v| self.efs.contains_key(v)))
    }

    /// One ECS service with a task of `members`.
    fn service(
        &mut self,
        members: &[&Service],
        service_name: &str,
        family: &str,
        load_balancers: Vec<LbTarget>,
    ) -> EcsService {
        let (volumes, per_service) = self.volumes(members);
        let containers: Vec<Container> = members
            .iter()
            .map(|s| self.container(s, per_service.get(&s.name).unwrap_or(&BTreeMap::new())))
            .collect();
        let efs_db = members
            .iter()
            .any(|s| self.efs_for(s) && self.role(&s.name) == Some("database"));
        let wanted = members.iter().filter_map(|s| s.replicas).max();
        let first = members.first().map_or("", |s| s.name.as_str());
        let (description, task_description) = match self.layout {
            Layout::OneTask => (
                "Every compose service is a container of this service's one task (layout `one-task`).".to_owned(),
                "Containers of one `awsvpc` task share a network namespace: they reach each other on `localhost`, and compose service names do not resolve.".to_owned(),
            ),
            Layout::OneServiceEach => (
                format!("Compose service `{first}` (layout `one-service-each`)."),
                format!("The one container of compose service `{first}`."),
            ),
        };
        let (desired_count, desired_count_note) = match (wanted, efs_db) {
            (Some(n), true) if n > 1 => {
                self.not_imported.push(format!("`deploy.replicas: {n}` of service `{service_name}`: kept at 1 because a database on EFS is in its task"));
                (
                    1,
                    Some(format!(
                        "compose asks for {n} replicas, but the database's data directory is on shared EFS: two copies must never run at once"
                    )),
                )
            }
            (Some(n), _) => (n, Some("compose deploy.replicas".to_owned())),
            (None, _) => (1, None),
        };
        let (cpu, memory) = if members.len() > 2 {
            ("1024", "2048")
        } else {
            ("512", "1024")
        };
        EcsService {
            name: service_name.to_owned(),
            description,
            desired_count,
            desired_count_note,
            load_balancers,
            one_task_at_a_time: efs_db,
            task: Task {
                family: family.to_owned(),
                description: task_description,
                cpu,
                memory,
                containers,
                volumes,
            },
        }
    }

    /// Task volumes for a set of services, and each service's names for its mounts (compose
    /// volume name, or `#n` for its n-th mount when anonymous → task volume name).
    fn volumes(&mut self, members: &[&Service]) -> (Vec<TaskVolume>, VolumeNames) {
        let mut volumes = Vec::new();
        let mut by_compose: BTreeMap<String, String> = BTreeMap::new();
        let mut per_service = VolumeNames::new();
        for s in members {
            let mut mine = BTreeMap::new();
            for (n, m) in s.mounts.iter().enumerate() {
                let Some(key) = &m.volume else {
                    let name = self.names.take(&format!("{}-scratch", s.name));
                    volumes.push(TaskVolume {
                        name: name.clone(),
                        description: Some(format!(
                            "Anonymous compose volume of `{}` at `{}`: task storage, deleted with the task.",
                            s.name, m.target
                        )),
                        file_system: None,
                        note: None,
                    });
                    mine.insert(format!("#{n}"), name);
                    continue;
                };
                if let Some(name) = by_compose.get(key) {
                    mine.insert(key.clone(), name.clone());
                    continue;
                }
                let name = self.names.take(key);
                let volume = if let Some(fs) = self.efs.get(key) {
                    TaskVolume {
                        name: name.clone(),
                        description: None,
                        file_system: Some(fs.clone()),
                        note: Some(format!(
                            "compose volume `{key}`; EFS so data survives task replacement"
                        )),
                    }
                } else {
                    let users = self
                        .shared
                        .get(key)
                        .filter(|u| u.len() > 1 && self.layout == Layout::OneServiceEach);
                    let why = match users {
                        Some(u) => format!(
                            "compose volume `{key}`, shared by {} in compose; separate tasks cannot share task storage: use EFS if they must",
                            u.join(", ")
                        ),
                        None => format!(
                            "compose volume `{key}`: task storage, deleted with the task (use EFS if the data must outlive it)"
                        ),
                    };
                    TaskVolume {
                        name: name.clone(),
                        description: None,
                        file_system: None,
                        note: Some(why),
                    }
                };
                volumes.push(volume);
                by_compose.insert(key.clone(), name.clone());
                mine.insert(key.clone(), name);
            }
            per_service.insert(s.name.clone(), mine);
        }
        (volumes, per_service)
    }

    /// The container definition of one compose service.
    fn container(&self, s: &Service, volume_names: &BTreeMap<String, String>) -> Container {
        let data_store = self.is_data_store(&s.name);
        let ports = s
            .ports
            .iter()
            .map(|p| PortMapping {
                port: p.container,
                udp: p.udp,
                name: p.name.clone(),
                app_protocol: p.app_protocol.clone(),
                note: match p.published {
                    Some(h) if data_store => Some(format!("compose publishes it on host port {h}; not exposed through the load balancer: a database should stay private")),
                    Some(h) if p.udp => Some(format!("compose publishes it on host port {h} (UDP): an application load balancer cannot forward UDP")),
                    Some(h) if h != p.container => Some(format!("compose: host port {h} → {c}; awsvpc ports are symmetric, so the load balancer listens on {h} and forwards to {c}", c = p.container)),
                    _ => None,
                },
            })
            .collect();
        let environment = s
            .env
            .iter()
            .map(|(k, v)| EnvVar {
                name: k.clone(),
                value: v.clone(),
                notes: self
                    .svcs
                    .iter()
                    .filter(|o| o.name != s.name && names_host(v, &o.name))
                    .map(|other| match self.layout {
                        Layout::OneTask => format!(
                            "`{}` is a compose service name, which does not resolve here: containers of one task share localhost, so use `{}`",
                            other.name,
                            with_localhost(v, &other.name)
                        ),
                        Layout::OneServiceEach => format!(
                            "`{}` resolves only through ECS Service Connect or Cloud Map (not modelled here)",
                            other.name
                        ),
                    })
                    .collect(),
            })
            .collect();
        let secrets = s
            .secrets
            .iter()
            .map(|(target, source)| SecretRef {
                name: target.clone(),
                value_from: source.clone(),
                note: format!("compose secret `{source}` (a file in /run/secrets there; an environment variable in ECS): replace valueFrom with the ARN of a Secrets Manager secret or SSM parameter"),
            })
            .collect();
        let mount_points = s
            .mounts
            .iter()
            .enumerate()
            .filter_map(|(n, m)| {
                let key = m.volume.clone().unwrap_or_else(|| format!("#{n}"));
                Some(MountPoint {
                    volume: volume_names.get(&key)?.clone(),
                    path: m.target.clone(),
                    read_only: m.read_only,
                })
            })
            .collect();
        let depends_on = match self.layout {
            Layout::OneTask => s.depends.clone(),
            Layout::OneServiceEach => Vec::new(),
        };
        Container {
            name: s.name.clone(),
            role: self.roles.get(&s.name).map(|r| Role {
                role: r.role,
                why: r.why.clone(),
            }),
            image: s
                .image
                .clone()
                .unwrap_or_else(|| format!("{}:latest", s.name)),
            image_is_placeholder: s.image.is_none(),
            essential: !self.run_once.contains(&s.name),
            ports,
            environment,
            secrets,
            mount_points,
            depends_on,
            connects_to: self.calls(s),
            health: s.health.clone(),
            privileged: s.privileged,
            read_only: s.read_only,
            user: s.user.clone(),
            command: s.command.clone(),
            entry_point: s.entrypoint.clone(),
        }
    }

    /// Whom a service calls: its `depends_on` (but not one-off jobs) and the services its
    /// environment names.
    fn calls(&self, s: &Service) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (n, cond) in &s.depends {
            if *cond != Condition::Success && !out.contains(n) {
                out.push(n.clone());
            }
        }
        for other in self.svcs.iter().filter(|o| o.name != s.name) {
            if s.env.iter().any(|(_, v)| names_host(v, &other.name))
                && !out.contains(&other.name)
                && !self.run_once.contains(&other.name)
            {
                out.push(other.name.clone());
            }
        }
        out
    }
}

/// Compose service → (compose volume key → task volume name).
type VolumeNames = BTreeMap<String, BTreeMap<String, String>>;

/// Names in the model are unique across every kind.
struct Names(BTreeSet<String>);

impl Names {
    fn take(&mut self, base: &str) -> String {
        if self.0.insert(base.to_owned()) {
            return base.to_owned();
        }
        let mut n = 2;
        loop {
            let candidate = format!("{base}-{n}");
            if self.0.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// A model name from a compose project name: lowercase letters, digits and dashes.
fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_owned();
    if s.is_empty() { "app".to_owned() } else { s }
}

/// The repository name of an image: `registry/ns/mongo:7@sha…` → `mongo`.
fn image_repo(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

/// A role from the image (databases, caches, web servers) or the published ports.
fn guess_role(s: &Service) -> Option<Role> {
    let image = s.image.as_deref()?;
    let repo = image_repo(image);
    let db = [
        "mongo",
        "mongodb-community-server",
        "postgres",
        "postgis",
        "mysql",
        "mariadb",
        "percona",
        "cassandra",
        "couchdb",
        "influxdb",
        "neo4j",
        "elasticsearch",
        "opensearch",
    ];
    let (role, why) = if db.contains(&repo) {
        ("database", format!("guess: `{repo}` is a database image"))
    } else if matches!(repo, "redis" | "valkey" | "memcached" | "keydb") {
        ("cache", format!("guess: `{repo}` is a cache image"))
    } else if !s.ports.iter().any(|p| p.published.is_some()) {
        return None;
    } else if matches!(repo, "nginx" | "httpd" | "caddy" | "traefik" | "haproxy") {
        (
            "web",
            format!("guess: `{repo}` publishes ports and serves web pages"),
        )
    } else {
        (
            "api",
            "guess: it publishes ports, so it serves requests".to_owned(),
        )
    };
    Some(Role { role, why })
}

/// Positions of `host` in `value` where it reads as a host name (`mongodb://host:27017`, `host`).
fn host_positions(value: &str, host: &str) -> Vec<usize> {
    value
        .match_indices(host)
        .map(|(i, _)| i)
        .filter(|&i| {
            let head = &value[..i];
            let after = value[i + host.len()..].chars().next();
            (head.is_empty() || head.ends_with("//") || head.ends_with(['@', '=', ',', ' ']))
                && after.is_none_or(|c| matches!(c, ':' | '/' | ',' | '?' | ' '))
        })
        .collect()
}

fn names_host(value: &str, host: &str) -> bool {
    !host_positions(value, host).is_empty()
}

/// `value` with `host` replaced by `localhost` where it is a host name.
fn with_localhost(value: &str, host: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for i in host_positions(value, host) {
        out.push_str(&value[last..i]);
        out.push_str("localhost");
        last = i + host.len();
    }
    out.push_str(&value[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_in_values() {
        assert!(names_host("mongodb://mongodb:27017/app", "mongodb"));
        assert!(names_host("db", "db"));
        assert!(!names_host("mydb:1", "db"));
        assert!(!names_host("dbx", "db"));
        assert_eq!(
            with_localhost("postgres://db@db:5432/db", "db"),
            "postgres://db@localhost:5432/db"
        );
    }
}
