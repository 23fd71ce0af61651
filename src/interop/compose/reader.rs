//! Reading a compose project's tree (loaded and resolved: see [`load`](super::load) and
//! [`resolve`](super::resolve)) into the typed [`Compose`] document, with every error at its
//! file, line and column and every key that archflow does not map in the not-imported notes,
//! with the reason.
//!
//! The reader walks the tree (top-level keys, each service's keys) and checks what refers to
//! what: `depends_on` names another service, a named volume is declared at the top level. The
//! shapes of single values are in [`value`](super::value).

use std::collections::BTreeSet;

use super::document::{Compose, Condition, Health, Mount, Service, Timed};
use super::value::{
    self, as_bool, as_map, as_str, as_u32, duration_seconds, string_or_list, wrong_type,
};
use super::yaml::{V, Y};
use super::{ImportError, Notes};

/// The top-level keys of the compose specification.
const TOP_LEVEL: [&str; 9] = [
    "version", "name", "services", "volumes", "networks", "configs", "secrets", "include", "models",
];

/// A project's tree as a document; what was not imported goes to `notes`.
///
/// # Errors
/// The first error of the project as a whole, or the first error of each service.
pub(super) fn read(root: &Y, notes: &mut Notes) -> Result<Compose, Vec<ImportError>> {
    let mut errors = Vec::new();
    let compose = read_compose(root, notes, &mut errors).map_err(|e| vec![e])?;
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(compose)
}

/// A compose file is a mapping, and not an ECS task definition.
///
/// # Errors
/// Either is not so.
pub(super) fn check_shape(root: &Y) -> Result<(), ImportError> {
    let V::Map(top) = &root.v else {
        return Err(ImportError::at(
            root,
            format!(
                "a compose file is a mapping with `services:`, but this is {}",
                root.kind()
            ),
        ));
    };
    if top.iter().filter_map(|(k, _)| k.scalar()).any(|k| {
        matches!(
            k.as_str(),
            "containerDefinitions" | "taskDefinition" | "taskDefinitionArn" | "family"
        )
    }) {
        return Err(ImportError::new(
            root.file,
            0,
            0,
            "this looks like an ECS task definition, not a compose file",
        )
        .help("use `archflow import ecs` for ECS task definitions"));
    }
    Ok(())
}

/// Why a service key that archflow does not map is left out.
fn skip_reason(key: &str) -> &'static str {
    match key {
        "build" => "archflow needs an image: build it, push it to a registry (ECR) and set `image`",
        "networks" | "network_mode" => {
            "containers of an awsvpc task share one network; use security groups and subnets instead"
        }
        "container_name" => "ECS names the container after the compose service",
        "restart" => "the ECS service replaces stopped tasks",
        "logging" => "add a `logConfiguration` (e.g. the `awslogs` driver)",
        "links" | "external_links" => {
            "`links` work only in bridge mode; awsvpc containers use localhost"
        }
        "tmpfs" => "Fargate has no tmpfs; mount a task volume for scratch space",
        "labels" => "Docker labels are not modelled",
        "expose" => "imported as port mappings",
        _ if key.starts_with("x-") => "extension fields are not interpreted",
        _ => "no archflow equivalent",
    }
}

/// The document of a whole file. An error of the file as a whole is returned; an error inside a
/// service goes to `errors` (one per service) so that every broken service is reported at once.
fn read_compose(
    root: &Y,
    notes: &mut Notes,
    errors: &mut Vec<ImportError>,
) -> Result<Compose, ImportError> {
    check_shape(root)?;
    let V::Map(top) = &root.v else {
        return Ok(Compose {
            name: None,
            services: Vec::new(),
        });
    };
    let unknown: Vec<&(Y, Y)> = top
        .iter()
        .filter(|(k, _)| {
            k.scalar()
                .is_none_or(|k| !TOP_LEVEL.contains(&k.as_str()) && !k.starts_with("x-"))
        })
        .collect();
    if let Some((first, _)) = unknown.first() {
        let names: Vec<String> = unknown
            .iter()
            .map(|(k, _)| format!("`{}` (line {})", k.scalar().unwrap_or_default(), k.line))
            .collect();
        return Err(ImportError::at(
            first,
            format!("unknown top-level keys: {}", names.join(", ")),
        )
        .help(format!(
            "a compose file's top-level keys are {}, and `x-…` extensions",
            TOP_LEVEL.join(", ")
        )));
    }
    let name = match root.get("name") {
        Some(y) => Some(as_str(y, "name")?),
        None => None,
    };
    for (k, v) in top {
        let key = k.scalar().unwrap_or_default();
        match key.as_str() {
            "version" => notes.skip("version", "obsolete in the compose specification; ignored"),
            "networks" => {
                for (n, _) in as_map(v, "networks").unwrap_or(&[]) {
                    notes.skip(
                        &format!("networks.{}", n.scalar().unwrap_or_default()),
                        skip_reason("networks"),
                    );
                }
            }
            "configs" | "models" => notes.skip(&key, "no archflow equivalent"),
            k if k.starts_with("x-") => notes.skip(k, skip_reason(k)),
            _ => {}
        }
    }
    let declared = declared_volumes(root, notes)?;
    if let Some(secrets) = root.get("secrets") {
        for (k, _) in as_map(secrets, "secrets")? {
            let s = k.scalar().unwrap_or_default();
            notes.skip(
                &format!("secrets.{s}"),
                "its value stays local: store it in Secrets Manager or SSM and put the ARN in `valueFrom`",
            );
        }
    }
    let Some(services) = root.get("services") else {
        return Err(ImportError::whole("the file has no `services:`")
            .help("a compose file lists its containers under `services:`"));
    };
    let entries = as_map(services, "services")?;
    if entries.is_empty() {
        return Err(ImportError::at(services, "`services:` is empty"));
    }
    let names: BTreeSet<String> = entries.iter().filter_map(|(k, _)| k.scalar()).collect();
    let mut read = Vec::new();
    for (k, v) in entries {
        let service = as_str(k, "services")?;
        match read_service(&service, k, v, &names, &declared, notes) {
            Ok(s) => read.push(s),
            Err(e) => errors.push(e),
        }
    }
    Ok(Compose {
        name,
        services: read,
    })
}

/// The names under the top-level `volumes:`; their options are listed as not imported.
fn declared_volumes(root: &Y, notes: &mut Notes) -> Result<BTreeSet<String>, ImportError> {
    let mut declared = BTreeSet::new();
    let Some(vols) = root.get("volumes").filter(|v| !v.is_null()) else {
        return Ok(declared);
    };
    for (k, v) in as_map(vols, "volumes")? {
        let vname = as_str(k, "volumes")?;
        if let V::Map(opts) = &v.v {
            for (ok, _) in opts {
                let o = ok.scalar().unwrap_or_default();
                let why = match o.as_str() {
                    "external" => {
                        "an existing volume: its data is not imported; the new storage starts empty"
                    }
                    "driver" | "driver_opts" => {
                        "ECS picks the storage: task storage, or EFS for databases"
                    }
                    _ => "no archflow equivalent",
                };
                notes.skip(&format!("volumes.{vname}.{o}"), why);
            }
        } else if !v.is_null() {
            return Err(wrong_type(
                v,
                &format!("volumes.{vname}"),
                "a mapping or empty",
            ));
        }
        declared.insert(vname);
    }
    Ok(declared)
}

fn read_service(
    name: &str,
    key: &Y,
    y: &Y,
    all: &BTreeSet<String>,
    declared: &BTreeSet<String>,
    notes: &mut Notes,
) -> Result<Service, ImportError> {
    let p = |k: &str| format!("services.{name}.{k}");
    let entries = as_map(y, &format!("services.{name}"))?;
    let mut s = Service {
        name: name.to_owned(),
        ..Service::default()
    };
    let has_build = y.get("build").is_some();
    for (k, v) in entries {
        let key_name = k.scalar().unwrap_or_default();
        let place = p(&key_name);
        match key_name.as_str() {
            "image" => s.image = Some(as_str(v, &place)?),
            "ports" => s.ports.extend(value::ports(v, &place, notes)?),
            "expose" => s.ports.extend(value::expose(v, &place)?),
            "volumes" => s.mounts = read_volumes(v, &place, declared, notes)?,
            "depends_on" => s.depends = read_depends(v, &place, name, all, notes)?,
            "healthcheck" => s.health = read_health(v, &place, notes)?,
            "read_only" => s.read_only = Some(as_bool(v, &place)?),
            "privileged" => s.privileged = Some(as_bool(v, &place)?),
            "user" => s.user = Some(as_str(v, &place)?),
            "command" => s.command = Some(string_or_list(v, &place)?),
            "entrypoint" => s.entrypoint = Some(string_or_list(v, &place)?),
            "environment" => s.env = value::environment(v, &place, notes)?,
            "secrets" => s.secrets = value::secrets(v, &place, notes)?,
            "deploy" => {
                for (dk, dv) in as_map(v, &place)? {
                    let d = dk.scalar().unwrap_or_default();
                    let at = format!("{place}.{d}");
                    match d.as_str() {
                        "replicas" => s.replicas = Some(as_u32(dv, &at)?),
                        "resources" => {
                            if let Some(r) = value::resources(dv, &at, notes)? {
                                let mine = s.resources.get_or_insert_with(Default::default);
                                mine.cpu_limit = r.cpu_limit.or(mine.cpu_limit.take());
                                mine.memory_limit = r.memory_limit.or(mine.memory_limit.take());
                                mine.cpu_reservation =
                                    r.cpu_reservation.or(mine.cpu_reservation.take());
                                mine.memory_reservation =
                                    r.memory_reservation.or(mine.memory_reservation.take());
                            }
                        }
                        _ => notes.skip(&at, "no archflow equivalent"),
                    }
                }
            }
            // The service-level forms of `deploy.resources` (compose refuses different values in
            // both; `deploy` wins here).
            "cpus" | "mem_limit" | "mem_reservation" => {
                let r = s.resources.get_or_insert_with(Default::default);
                match key_name.as_str() {
                    "cpus" if r.cpu_limit.is_none() => r.cpu_limit = Some(value::cpus(v, &place)?),
                    "mem_limit" if r.memory_limit.is_none() => {
                        r.memory_limit = Some(value::memory(v, &place)?);
                    }
                    "mem_reservation" if r.memory_reservation.is_none() => {
                        r.memory_reservation = Some(value::memory(v, &place)?);
                    }
                    _ => {}
                }
            }
            "restart" => {
                let policy = match &v.v {
                    V::Bool(false) => "no".to_owned(),
                    _ => as_str(v, &place)?,
                };
                if policy != "no" {
                    notes.skip(&place, skip_reason("restart"));
                }
                s.restart = Some(policy);
            }
            "build" => {
                if s.image.is_none() && y.get("image").is_none() {
                    notes.skip(&place, "no image to run: a placeholder image was written; build and push the image, then set `image`");
                } else {
                    notes.skip(
                        &place,
                        "the service also names an `image`, which was imported",
                    );
                }
            }
            other => notes.skip(&place, skip_reason(other)),
        }
    }
    if s.image.is_none() && !has_build && y.get("provider").is_some() {
        return Err(ImportError::at(
            key,
            format!("service `{name}` is a `provider` service, run by a compose plugin instead of a container: archflow cannot import it"),
        )
        .help("remove it (and what depends on it) from a copy of the file, or give it an `image:`"));
    }
    if s.image.is_none() && !has_build {
        // A fragment other files `extends` (or a file meant to be merged with another): compose
        // refuses to run it alone. Import it with a placeholder image, and say so.
        notes.skip(
            &format!("services.{name}"),
            "neither `image` nor `build` (a fragment for `extends`, or a file merged with another \
             with `-f`): a placeholder image was written; import the project's main files to get \
             the real one",
        );
    }
    Ok(s)
}

/// A service's named and anonymous volumes; a named one must be declared at the top level. Bind
/// mounts and tmpfs are listed as not imported.
fn read_volumes(
    y: &Y,
    place: &str,
    declared: &BTreeSet<String>,
    notes: &mut Notes,
) -> Result<Vec<Mount>, ImportError> {
    let V::Seq(items) = &y.v else {
        return Err(wrong_type(y, place, "a list of volumes"));
    };
    let mut out = Vec::new();
    for i in items {
        let entry = value::volume_entry(i, place, notes)?;
        let target = entry.target;
        match entry.kind.as_str() {
            // `${UNSET}:/data`: the source is a variable nobody set (compose would refuse it).
            "volume" if entry.source.as_deref() == Some("") => notes.skip(
                &format!("{place}: :{target}"),
                "a mount whose source is empty (its variable is not set): set the variable (or pass \
                 the project's env file with --env-file) and import again",
            ),
            "volume" => {
                if let Some(src) = &entry.source
                    && !declared.contains(src)
                {
                    // Compose refuses it; an import goes on, and says so.
                    notes.skip(
                        &format!("{place}: {src}:{target}"),
                        "a volume not declared under the top-level `volumes:` (compose would \
                         refuse it); imported as a named volume of the task",
                    );
                }
                out.push(Mount {
                    volume: entry.source,
                    target,
                    read_only: entry.read_only,
                });
            }
            "bind" => notes.skip(
                &format!("{place}: {}:{target}", entry.source.unwrap_or_default()),
                "a bind mount of a local path; ECS tasks cannot see your files: bake them into the image, or use EFS",
            ),
            other => notes.skip(
                &format!("{place}: {target} ({other})"),
                if other == "tmpfs" { skip_reason("tmpfs") } else { "not modelled" },
            ),
        }
    }
    Ok(out)
}

/// A service's `depends_on`: a list of services, or a mapping with conditions. Each name must be
/// another service of the file.
fn read_depends(
    y: &Y,
    place: &str,
    me: &str,
    all: &BTreeSet<String>,
    notes: &mut Notes,
) -> Result<Vec<(String, Condition)>, ImportError> {
    let check = |n: &Y, name: &str| {
        if all.contains(name) && name != me {
            Ok(())
        } else {
            Err(ImportError::at(
                n,
                format!("`{place}`: `{name}` is not another service of this file"),
            ))
        }
    };
    let mut out = Vec::new();
    match &y.v {
        V::Seq(items) => {
            for i in items {
                let n = as_str(i, place)?;
                check(i, &n)?;
                out.push((n, Condition::Start));
            }
        }
        V::Map(entries) => {
            for (k, v) in entries {
                let n = as_str(k, place)?;
                check(k, &n)?;
                let mut cond = Condition::Start;
                if !v.is_null() {
                    for (ck, cv) in as_map(v, &format!("{place}.{n}"))? {
                        let key = ck.scalar().unwrap_or_default();
                        if key == "condition" {
                            let c = as_str(cv, &format!("{place}.{n}.condition"))?;
                            cond = match c.as_str() {
                                "service_started" => Condition::Start,
                                "service_healthy" => Condition::Healthy,
                                "service_completed_successfully" => Condition::Success,
                                _ => {
                                    return Err(ImportError::at(
                                        cv,
                                        format!("`{place}.{n}.condition`: unknown condition `{c}`"),
                                    )
                                    .help("use service_started, service_healthy or service_completed_successfully"));
                                }
                            };
                        } else {
                            notes.skip(&format!("{place}.{n}.{key}"), "ECS has no equivalent");
                        }
                    }
                }
                out.push((n, cond));
            }
        }
        _ => return Err(wrong_type(y, place, "a list of services or a mapping")),
    }
    Ok(out)
}

fn timed(y: &Y, place: &str) -> Result<Timed, ImportError> {
    Ok(Timed {
        seconds: duration_seconds(y, place)?,
        written: y.scalar().unwrap_or_default(),
    })
}

/// A service's `healthcheck`; `None` when it is disabled or has no `test` (both listed).
fn read_health(y: &Y, place: &str, notes: &mut Notes) -> Result<Option<Health>, ImportError> {
    let entries = as_map(y, place)?;
    let mut h = Health::default();
    let mut disabled = false;
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let at = format!("{place}.{key}");
        match key.as_str() {
            "test" => {
                h.command = match &v.v {
                    V::Str(s) => vec!["CMD-SHELL".to_owned(), s.clone()],
                    _ => string_or_list(v, &at)?,
                };
                if h.command.first().is_some_and(|c| c == "NONE") {
                    disabled = true;
                }
            }
            "interval" => h.interval = Some(timed(v, &at)?),
            "timeout" => h.timeout = Some(timed(v, &at)?),
            "start_period" => h.start_period = Some(timed(v, &at)?),
            "retries" => h.retries = Some(as_u32(v, &at)?),
            "disable" => disabled = as_bool(v, &at)?,
            other => notes.skip(
                &at,
                if other == "start_interval" {
                    "ECS has no start interval"
                } else {
                    "not modelled"
                },
            ),
        }
    }
    if disabled {
        notes.skip(place, "the health check is disabled");
        return Ok(None);
    }
    if h.command.is_empty() {
        notes.skip(
            place,
            "a health check without `test` inherits the image's HEALTHCHECK, which ECS ignores",
        );
        return Ok(None);
    }
    Ok(Some(h))
}
