//! Planning: the compose [`Compose`] document → the archflow model to write, as plain data
//! ([`Plan`]). Every decision of the import is made here: the layout (one task, or one ECS
//! service each), every name (unique across the model), the guessed roles, EFS for the volumes
//! of databases, the load balancers for published ports ([`ports`](super::ports)), what
//! `depends_on` and host names in environment values become ([`hosts`](super::hosts)), which
//! containers are one-shot jobs, health checks brought into ECS's ranges, and what is lost on
//! the way (the not-imported notes).
//!
//! Notes that depend on the input (a guess and its reason, what compose did differently) are
//! part of the plan; the writer adds only the remarks that are the same in every import.

use std::collections::{BTreeMap, BTreeSet};

use super::document::{Compose, Condition, Health, Resources, Service};
use super::hosts::{names_host, with_localhost};
use super::ports::{self, Exposure};
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
    /// The actor that calls the load balancers (only when there is one).
    pub caller: Option<String>,
    /// The Application Load Balancer (HTTP ports), then the Network Load Balancer (other ports),
    /// each only when compose publishes such a port.
    pub load_balancers: Vec<LoadBalancer>,
    pub target_groups: Vec<TargetGroup>,
    pub file_systems: Vec<FileSystem>,
    pub services: Vec<EcsService>,
    /// What was not imported, one line each.
    pub not_imported: Vec<String>,
    /// Choices a reviewer should know about, one line each.
    pub notes: Vec<String>,
    /// What compose warns about (`file:line:col: …`).
    pub warnings: Vec<String>,
}

/// A load balancer in front of published ports.
pub(super) struct LoadBalancer {
    pub name: String,
    /// A Network Load Balancer (TCP, UDP), not an Application Load Balancer (HTTP).
    pub network: bool,
    pub listeners: Vec<Listener>,
}

pub(super) struct Listener {
    pub port: u16,
    /// `HTTP`, `TCP` or `UDP`.
    pub protocol: &'static str,
    pub target_group: String,
    /// Port 443: HTTPS needs a certificate before the protocol can be set.
    pub needs_certificate: bool,
}

pub(super) struct TargetGroup {
    pub name: String,
    pub port: u16,
    /// `HTTP`, `TCP` or `UDP`.
    pub protocol: &'static str,
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
    /// Why a one-shot job (`service_completed_successfully`, `restart: "no"`) is not essential;
    /// `None` when it is.
    pub not_essential: Option<String>,
    pub ports: Vec<PortMapping>,
    pub environment: Vec<EnvVar>,
    pub secrets: Vec<SecretRef>,
    pub mount_points: Vec<MountPoint>,
    /// Containers of the same task to wait for (layout one-task only).
    pub depends_on: Vec<(String, Condition)>,
    /// The guessed callees.
    pub connects_to: Vec<String>,
    pub health: Option<HealthCheck>,
    pub privileged: Option<bool>,
    pub read_only: Option<bool>,
    pub user: Option<String>,
    pub command: Option<Vec<String>>,
    pub entry_point: Option<Vec<String>>,
    /// `cpu` (CPU units), `memory` and `memoryReservation` (MiB) from `deploy.resources` (or
    /// `cpus`, `mem_limit`, `mem_reservation`), each with the compose value it came from.
    pub resources: Vec<(&'static str, u32, String)>,
}

/// A container health check, its times in ECS's ranges.
pub(super) struct HealthCheck {
    pub command: Vec<String>,
    /// (ECS field, value, why it differs from compose's value).
    pub values: Vec<(&'static str, u32, Option<String>)>,
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
/// plan adds its own; `warnings` are the loader's.
pub(super) fn plan(
    compose: &Compose,
    options: &Options,
    notes: Notes,
    warnings: Vec<String>,
) -> Plan {
    let project = sanitize(
        compose
            .name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&options.default_name),
    );
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
    let mut remarks = Vec::new();
    let run_once = one_shot_jobs(svcs, layout, &mut remarks);
    let exposures = svcs
        .iter()
        .map(|s| {
            let data_store = roles
                .get(&s.name)
                .is_some_and(|r| matches!(r.role, "database" | "cache"));
            let repo = s.image.as_deref().map(image_repo);
            let e = s
                .ports
                .iter()
                .map(|p| ports::exposure(p, repo, data_store))
                .collect();
            (s.name.clone(), e)
        })
        .collect();
    let mut planner = Planner {
        svcs,
        layout,
        names,
        not_imported: notes.into_lines(),
        remarks,
        roles,
        efs,
        shared,
        run_once,
        exposures,
    };
    let data_stores: BTreeSet<String> = planner
        .roles
        .iter()
        .filter(|(_, r)| matches!(r.role, "database" | "cache"))
        .map(|(n, _)| n.clone())
        .collect();
    let mut balancer = ports::Balancer {
        svcs,
        data_stores: &data_stores,
        exposures: &mut planner.exposures,
        names: &mut planner.names,
        not_imported: &mut planner.not_imported,
        remarks: &mut planner.remarks,
    };
    balancer.port_notes();
    let (load_balancers, target_groups, service_lbs) = balancer.balance(&project);

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
                if s.restart.as_deref() == Some("no")
                    || svcs.iter().any(|o| {
                        o.depends
                            .iter()
                            .any(|(n, c)| n == &s.name && *c == Condition::Success)
                    })
                {
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
    let caller = (!load_balancers.is_empty()).then(|| planner.names.take("user"));
    Plan {
        layout,
        source_name: options.source_name.clone(),
        cluster: format!("{project}-cluster"),
        security_group: format!("{project}-tasks"),
        project,
        caller,
        load_balancers,
        target_groups,
        file_systems,
        services,
        not_imported: planner.not_imported,
        notes: planner.remarks,
        warnings,
    }
}

/// One-shot jobs, which must not be essential in a shared task (their exit would stop it): the
/// services others wait for with `service_completed_successfully`, and those compose does not
/// restart (`restart: "no"`), each with the reason. A task keeps at least one essential
/// container, so when every service is such a job, those with only `restart: "no"` stay
/// essential. In its own ECS service a job would be restarted after each exit: that is listed
/// by the caller instead.
fn one_shot_jobs(
    svcs: &[Service],
    layout: Layout,
    remarks: &mut Vec<String>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if layout != Layout::OneTask {
        return out;
    }
    for s in svcs {
        for (n, c) in &s.depends {
            if *c == Condition::Success {
                out.insert(n.clone(), "runs to completion before others start (compose `service_completed_successfully`), so not essential".to_owned());
            }
        }
    }
    let restart_no: Vec<&Service> = svcs
        .iter()
        .filter(|s| s.restart.as_deref() == Some("no") && !out.contains_key(&s.name))
        .collect();
    if out.len() + restart_no.len() >= svcs.len() {
        for s in &restart_no {
            remarks.push(format!(
                "`services.{}`: `restart: \"no\"` (a one-shot job?), but a task needs an essential container: kept essential",
                s.name
            ));
        }
        return out;
    }
    for s in restart_no {
        remarks.push(format!(
            "`services.{}`: `restart: \"no\"`, a one-shot job: not essential, so its exit does not stop the task",
            s.name
        ));
        out.insert(
            s.name.clone(),
            "a one-shot job (compose `restart: \"no\"`): not essential, so its exit does not stop the other containers".to_owned(),
        );
    }
    out
}

/// A container's `cpu`, `memory` and `memoryReservation` from compose's resources: the CPU
/// limit (else reservation) as CPU units (1 CPU = 1024), the memory limit as the hard `memory`,
/// the memory reservation as the soft `memoryReservation`.
fn container_resources(r: &Resources) -> Vec<(&'static str, u32, String)> {
    let mut out = Vec::new();
    if let Some((text, units)) = r.cpu_limit.as_ref().or(r.cpu_reservation.as_ref()) {
        out.push(("cpu", *units, format!("cpus: {text}")));
    }
    if let Some((text, mib)) = &r.memory_limit {
        out.push(("memory", *mib, format!("memory limit {text}")));
    }
    if let Some((text, mib)) = &r.memory_reservation {
        out.push((
            "memoryReservation",
            *mib,
            format!("memory reservation {text}"),
        ));
    }
    out
}

/// The state of planning once the model-wide choices (roles, EFS, one-off jobs) are made.
struct Planner<'a> {
    svcs: &'a [Service],
    layout: Layout,
    names: Names,
    not_imported: Vec<String>,
    /// Choices a reviewer should know about.
    remarks: Vec<String>,
    roles: BTreeMap<String, Role>,
    /// Compose volume → EFS file system name (volumes mounted by a database).
    efs: BTreeMap<String, String>,
    /// Compose volume → the services that mount it, in file order.
    shared: BTreeMap<String, Vec<String>>,
    /// One-shot jobs (not essential), with the reason.
    run_once: BTreeMap<String, String>,
    /// Where each service's ports go, in the order of its `ports`.
    exposures: BTreeMap<String, Vec<Exposure>>,
}

impl Planner<'_> {
    fn role(&self, service: &str) -> Option<&'static str> {
        self.roles.get(service).map(|r| r.role)
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
    fn container(&mut self, s: &Service, volume_names: &BTreeMap<String, String>) -> Container {
        let exposures = self.exposures.get(&s.name).cloned().unwrap_or_default();
        let ports = s
            .ports
            .iter()
            .zip(&exposures)
            .map(|(p, e)| PortMapping {
                port: p.container,
                udp: p.udp,
                name: p.name.clone(),
                app_protocol: p.app_protocol.clone(),
                note: ports::note(p, e),
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
                    .filter(|o| o.name != s.name && names_host(k, v, &o.name))
                    .map(|other| match self.layout {
                        Layout::OneTask => format!(
                            "`{}` is a compose service name, which does not resolve here: containers of one task share localhost, so use `{}`",
                            other.name,
                            with_localhost(k, v, &other.name)
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
            not_essential: self.run_once.get(&s.name).cloned(),
            ports,
            environment,
            secrets,
            mount_points,
            depends_on,
            connects_to: self.calls(s),
            health: s.health.as_ref().map(|h| self.health_check(&s.name, h)),
            privileged: s.privileged,
            read_only: s.read_only,
            user: s.user.clone(),
            command: s.command.clone(),
            entry_point: s.entrypoint.clone(),
            resources: s
                .resources
                .as_ref()
                .map(container_resources)
                .unwrap_or_default(),
        }
    }

    /// A health check with its times brought into ECS's ranges (interval 5–300 s, timeout
    /// 2–60 s, retries 1–10, start period 0–300 s); each value changed has a comment and a remark.
    fn health_check(&mut self, service: &str, h: &Health) -> HealthCheck {
        let mut values = Vec::new();
        let fields = [
            (
                "interval",
                "interval",
                h.interval.as_ref().map(|t| (t.seconds, t.written.clone())),
                5,
                300,
            ),
            (
                "timeout",
                "timeout",
                h.timeout.as_ref().map(|t| (t.seconds, t.written.clone())),
                2,
                60,
            ),
            (
                "retries",
                "retries",
                h.retries.map(|r| (r, r.to_string())),
                1,
                10,
            ),
            (
                "startPeriod",
                "start_period",
                h.start_period
                    .as_ref()
                    .map(|t| (t.seconds, t.written.clone())),
                0,
                300,
            ),
        ];
        for (ecs, compose, value, low, high) in fields {
            let Some((n, written)) = value else { continue };
            let clamped = n.clamp(low, high);
            let unit = if ecs == "retries" { "" } else { " seconds" };
            let why = (clamped != n).then(|| {
                self.remarks.push(format!(
                    "`services.{service}.healthcheck.{compose}`: {written} is outside ECS's {low}–{high}{unit}: {clamped} was written"
                ));
                format!("compose: {written}; ECS allows {low}–{high}{unit}, so {clamped}")
            });
            values.push((ecs, clamped, why));
        }
        HealthCheck {
            command: h.command.clone(),
            values,
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
            if s.env.iter().any(|(k, v)| names_host(k, v, &other.name))
                && !out.contains(&other.name)
                && !self.run_once.contains_key(&other.name)
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
pub(super) struct Names(BTreeSet<String>);

impl Names {
    /// `base`, or `base-2`, `base-3`… when it is taken.
    pub(super) fn take(&mut self, base: &str) -> String {
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
