//! `archflow import compose`: a docker-compose file → the text of an archflow model, and the list
//! of what could not be imported. Pure: text in, text out; the CLI reads and writes the files.
//!
//! Mapping (see `DOMAIN.md`, "Compose → ECS"): compose services become containers of one task
//! ([`Layout::OneTask`]) or of one ECS service each ([`Layout::OneServiceEach`]); ports become
//! `portMappings` (published ports suggest an ALB listener), named volumes become task volumes
//! (EFS for databases), `depends_on` conditions become `dependsOn`, and so on. Everything that
//! has no equivalent is listed, never silently dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::interop::yaml_writer::{self, Entry, Node};

/// How compose services are grouped into ECS services and tasks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// Every compose service is a container of one task of one ECS service; the containers share
    /// the task's network namespace and reach each other on `localhost`.
    #[default]
    OneTask,
    /// Every compose service becomes its own ECS service with a one-container task; they scale
    /// and deploy independently, and reach each other through service discovery.
    OneServiceEach,
}

impl Layout {
    const fn as_str(self) -> &'static str {
        match self {
            Self::OneTask => "one-task",
            Self::OneServiceEach => "one-service-each",
        }
    }
}

/// What the import needs besides the text.
#[derive(Clone, Debug)]
pub struct Options {
    pub layout: Layout,
    /// The input's display name, for the header comment (e.g. `docker-compose.yml`).
    pub source_name: String,
    /// The project name when the file has no top-level `name:` (e.g. its folder's name).
    pub default_name: String,
}

/// A successful import.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The archflow model, as YAML text with comments.
    pub yaml: String,
    /// What was not imported, one line each (also in the YAML's header comment).
    pub not_imported: Vec<String>,
}

/// Why the input cannot be imported, and where (`line` 0: the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl ImportError {
    fn at(y: &Y, message: impl Into<String>) -> Self {
        Self {
            line: y.line,
            column: y.col,
            message: message.into(),
            help: None,
        }
    }

    fn whole(message: impl Into<String>) -> Self {
        Self {
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

// ---------------------------------------------------------------------------------------------
// A generic YAML value with positions.

#[derive(Clone, Debug)]
struct Y {
    v: V,
    line: usize,
    col: usize,
}

#[derive(Clone, Debug)]
enum V {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Y>),
    Map(Vec<(Y, Y)>),
}

impl<'de> Deserialize<'de> for Y {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<V>::deserialize(d)?;
        Ok(Self {
            v: s.value,
            line: usize::try_from(s.referenced.line()).unwrap_or(0),
            col: usize::try_from(s.referenced.column()).unwrap_or(0),
        })
    }
}

struct VVisitor;

impl<'de> Visitor<'de> for VVisitor {
    type Value = V;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<V, E> {
        Ok(V::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<V, E> {
        Ok(V::Int(i))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<V, E> {
        Ok(i64::try_from(u).map_or_else(|_| V::Str(u.to_string()), V::Int))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<V, E> {
        Ok(V::Float(f))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<V, E> {
        Ok(V::Str(s.to_owned()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<V, E> {
        Ok(V::Str(s))
    }
    fn visit_unit<E: de::Error>(self) -> Result<V, E> {
        Ok(V::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<V, E> {
        Ok(V::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V, D::Error> {
        V::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<V, A::Error> {
        let mut items = Vec::new();
        while let Some(y) = seq.next_element::<Y>()? {
            items.push(y);
        }
        Ok(V::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<V, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Y>()? {
            let v = map.next_value::<Y>()?;
            entries.push((k, v));
        }
        Ok(V::Map(entries))
    }
}

impl<'de> Deserialize<'de> for V {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(VVisitor)
    }
}

impl Y {
    fn kind(&self) -> &'static str {
        match self.v {
            V::Null => "nothing (null)",
            V::Bool(_) => "a boolean",
            V::Int(_) | V::Float(_) => "a number",
            V::Str(_) => "a string",
            V::Seq(_) => "a list",
            V::Map(_) => "a mapping",
        }
    }

    /// A scalar as text (keys, environment values, ports given as numbers).
    fn scalar(&self) -> Option<String> {
        match &self.v {
            V::Str(s) => Some(s.clone()),
            V::Int(i) => Some(i.to_string()),
            V::Float(f) => Some(f.to_string()),
            V::Bool(b) => Some(b.to_string()),
            V::Null | V::Seq(_) | V::Map(_) => None,
        }
    }

    fn get(&self, key: &str) -> Option<&Y> {
        match &self.v {
            V::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.scalar().as_deref() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// `place: expected X, found Y`.
fn wrong_type(y: &Y, place: &str, expected: &str) -> ImportError {
    ImportError::at(
        y,
        format!("`{place}` must be {expected}, but it is {}", y.kind()),
    )
}

fn as_map<'a>(y: &'a Y, place: &str) -> Result<&'a [(Y, Y)], ImportError> {
    match &y.v {
        V::Map(entries) => Ok(entries),
        _ => Err(wrong_type(y, place, "a mapping")),
    }
}

fn as_str(y: &Y, place: &str) -> Result<String, ImportError> {
    match &y.v {
        V::Str(s) => Ok(s.clone()),
        V::Int(i) => Ok(i.to_string()),
        _ => Err(wrong_type(y, place, "a string")),
    }
}

fn as_bool(y: &Y, place: &str) -> Result<bool, ImportError> {
    match &y.v {
        V::Bool(b) => Ok(*b),
        _ => Err(wrong_type(y, place, "`true` or `false`")),
    }
}

fn as_u32(y: &Y, place: &str) -> Result<u32, ImportError> {
    match &y.v {
        V::Int(i) => u32::try_from(*i).map_err(|_| wrong_type(y, place, "a whole number >= 0")),
        V::Str(s) => s
            .trim()
            .parse()
            .map_err(|_| wrong_type(y, place, "a whole number >= 0")),
        _ => Err(wrong_type(y, place, "a whole number")),
    }
}

/// A string, or a list of strings (`command`, `entrypoint`, health check `test`).
fn string_or_list(y: &Y, place: &str) -> Result<Vec<String>, ImportError> {
    match &y.v {
        V::Str(s) => Ok(shell_words(s)),
        V::Seq(items) => items
            .iter()
            .map(|i| {
                i.scalar()
                    .ok_or_else(|| wrong_type(i, place, "a list of strings"))
            })
            .collect(),
        _ => Err(wrong_type(y, place, "a string or a list of strings")),
    }
}

/// Split a command line the way a POSIX shell would split words (quotes and backslashes).
fn shell_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    in_word = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// A compose duration (`30s`, `1m30s`, `1h`, `500ms`, `90`) in whole seconds (rounded up).
fn duration_seconds(y: &Y, place: &str) -> Result<u32, ImportError> {
    let bad = || {
        ImportError::at(y, format!("`{place}` is not a duration"))
            .help("write a duration such as `30s`, `1m30s` or `500ms`")
    };
    let text = match &y.v {
        V::Int(i) => return u32::try_from(*i).map_err(|_| bad()),
        V::Str(s) => s.trim().to_owned(),
        _ => return Err(wrong_type(y, place, "a duration such as `30s`")),
    };
    if text.is_empty() {
        return Err(bad());
    }
    let mut micros: f64 = 0.0;
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(bad());
        }
        let n: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "us" | "µs" => 1.0,
            "ms" => 1e3,
            "s" | "" => 1e6,
            "m" => 60e6,
            "h" => 3600e6,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        micros += n * factor;
    }
    let secs = (micros / 1e6).ceil();
    if secs > f64::from(u32::MAX) {
        return Err(bad());
    }
    #[allow(clippy::cast_sign_loss)]
    Ok(secs as u32)
}

// ---------------------------------------------------------------------------------------------
// Compose, read.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cond {
    Start,
    Healthy,
    Success,
}

impl Cond {
    const fn ecs(self) -> &'static str {
        match self {
            Self::Start => "START",
            Self::Healthy => "HEALTHY",
            Self::Success => "SUCCESS",
        }
    }
    const fn compose(self) -> &'static str {
        match self {
            Self::Start => "service_started",
            Self::Healthy => "service_healthy",
            Self::Success => "service_completed_successfully",
        }
    }
}

#[derive(Clone, Debug)]
struct Port {
    container: u16,
    published: Option<u16>,
    udp: bool,
    name: Option<String>,
    app_protocol: Option<String>,
}

#[derive(Clone, Debug)]
struct Mount {
    /// The compose volume name; `None` for an anonymous volume.
    volume: Option<String>,
    target: String,
    read_only: bool,
}

#[derive(Clone, Debug, Default)]
struct Health {
    command: Vec<String>,
    interval: Option<u32>,
    timeout: Option<u32>,
    retries: Option<u32>,
    start_period: Option<u32>,
}

#[derive(Clone, Debug, Default)]
struct Svc {
    name: String,
    image: Option<String>,
    ports: Vec<Port>,
    mounts: Vec<Mount>,
    depends: Vec<(String, Cond)>,
    health: Option<Health>,
    read_only: Option<bool>,
    replicas: Option<u32>,
    env: Vec<(String, String)>,
    secrets: Vec<(String, String)>,
    user: Option<String>,
    privileged: Option<bool>,
    command: Option<Vec<String>>,
    entrypoint: Option<Vec<String>>,
}

struct Reader {
    not_imported: Vec<String>,
    errors: Vec<ImportError>,
}

impl Reader {
    fn skip(&mut self, place: &str, why: &str) {
        self.not_imported.push(format!("`{place}`: {why}"));
    }
}

const TOP_LEVEL: [&str; 9] = [
    "version", "name", "services", "volumes", "networks", "configs", "secrets", "include", "models",
];

/// Why a service key that archflow does not map is left out.
fn skip_reason(key: &str) -> &'static str {
    match key {
        "build" => "archflow needs an image: build it, push it to a registry (ECR) and set `image`",
        "networks" | "network_mode" => {
            "containers of an awsvpc task share one network; use security groups and subnets instead"
        }
        "container_name" => "ECS names the container after the compose service",
        "restart" => "the ECS service replaces stopped tasks",
        "env_file" => "the file's variables are not read: add them to `environment` or `secrets`",
        "logging" => "add a `logConfiguration` (e.g. the `awslogs` driver)",
        "links" | "external_links" => {
            "`links` work only in bridge mode; awsvpc containers use localhost"
        }
        "profiles" => "every service is imported, whatever its profile",
        "tmpfs" => "Fargate has no tmpfs; mount a task volume for scratch space",
        "labels" => "Docker labels are not modelled",
        "expose" => "imported as port mappings",
        "extends" => "not resolved: import the merged file (`docker compose config`)",
        _ if key.starts_with("x-") => "extension fields are not interpreted",
        _ => "no archflow equivalent",
    }
}

fn read_compose(root: &Y, r: &mut Reader) -> Result<(Option<String>, Vec<Svc>), ImportError> {
    let V::Map(top) = &root.v else {
        return Err(ImportError::at(
            root,
            format!(
                "a compose file is a mapping with `services:`, but this is {}",
                root.kind()
            ),
        ));
    };
    let keys: Vec<String> = top.iter().filter_map(|(k, _)| k.scalar()).collect();
    if keys.iter().any(|k| {
        matches!(
            k.as_str(),
            "containerDefinitions" | "taskDefinition" | "taskDefinitionArn" | "family"
        )
    }) {
        return Err(ImportError::whole(
            "this looks like an ECS task definition, not a compose file",
        )
        .help("use `archflow import ecs` for ECS task definitions"));
    }
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
            "version" => r.skip("version", "obsolete in the compose specification; ignored"),
            "networks" => {
                for (n, _) in as_map(v, "networks").unwrap_or(&[]) {
                    r.skip(
                        &format!("networks.{}", n.scalar().unwrap_or_default()),
                        skip_reason("networks"),
                    );
                }
            }
            "configs" | "include" | "models" => r.skip(&key, "no archflow equivalent"),
            k if k.starts_with("x-") => r.skip(k, skip_reason(k)),
            _ => {}
        }
    }
    // Declared volumes.
    let mut declared = BTreeSet::new();
    if let Some(vols) = root.get("volumes")
        && !matches!(vols.v, V::Null)
    {
        {
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
                        r.skip(&format!("volumes.{vname}.{o}"), why);
                    }
                } else if !matches!(v.v, V::Null) {
                    return Err(wrong_type(
                        v,
                        &format!("volumes.{vname}"),
                        "a mapping or empty",
                    ));
                }
                declared.insert(vname);
            }
        }
    }
    if let Some(secrets) = root.get("secrets") {
        for (k, _) in as_map(secrets, "secrets")? {
            let s = k.scalar().unwrap_or_default();
            r.skip(
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
    let mut svcs = Vec::new();
    for (k, v) in entries {
        let name = as_str(k, "services")?;
        match read_service(&name, k, v, &names, &declared, r) {
            Ok(s) => svcs.push(s),
            Err(e) => r.errors.push(e),
        }
    }
    Ok((name, svcs))
}

fn read_service(
    name: &str,
    key: &Y,
    y: &Y,
    all: &BTreeSet<String>,
    declared: &BTreeSet<String>,
    r: &mut Reader,
) -> Result<Svc, ImportError> {
    let p = |k: &str| format!("services.{name}.{k}");
    let entries = as_map(y, &format!("services.{name}"))?;
    let mut s = Svc {
        name: name.to_owned(),
        ..Svc::default()
    };
    let has_build = y.get("build").is_some();
    for (k, v) in entries {
        let key_name = k.scalar().unwrap_or_default();
        let place = p(&key_name);
        match key_name.as_str() {
            "image" => s.image = Some(as_str(v, &place)?),
            "ports" => s.ports.extend(read_ports(v, &place, r)?),
            "expose" => {
                let V::Seq(items) = &v.v else {
                    return Err(wrong_type(v, &place, "a list of ports"));
                };
                for i in items {
                    let text = i.scalar().ok_or_else(|| wrong_type(i, &place, "a port"))?;
                    let (text, udp) = strip_proto(&text);
                    for c in port_range(i, &place, text)? {
                        s.ports.push(Port {
                            container: c,
                            published: None,
                            udp,
                            name: None,
                            app_protocol: None,
                        });
                    }
                }
            }
            "volumes" => s.mounts = read_volumes(v, &place, declared, r)?,
            "depends_on" => s.depends = read_depends(v, &place, name, all, r)?,
            "healthcheck" => s.health = read_health(v, &place, r)?,
            "read_only" => s.read_only = Some(as_bool(v, &place)?),
            "privileged" => s.privileged = Some(as_bool(v, &place)?),
            "user" => s.user = Some(as_str(v, &place)?),
            "command" => s.command = Some(string_or_list(v, &place)?),
            "entrypoint" => s.entrypoint = Some(string_or_list(v, &place)?),
            "environment" => s.env = read_env(v, &place, r)?,
            "secrets" => s.secrets = read_secrets(v, &place, r)?,
            "deploy" => {
                for (dk, dv) in as_map(v, &place)? {
                    let d = dk.scalar().unwrap_or_default();
                    if d == "replicas" {
                        s.replicas = Some(as_u32(dv, &format!("{place}.replicas"))?);
                    } else {
                        r.skip(
                            &format!("{place}.{d}"),
                            if d == "resources" {
                                "set the task's `cpu` and `memory` (a valid Fargate size) instead"
                            } else {
                                "no archflow equivalent"
                            },
                        );
                    }
                }
            }
            "build" => {
                if s.image.is_none() && y.get("image").is_none() {
                    r.skip(&place, "no image to run: a placeholder image was written; build and push the image, then set `image`");
                } else {
                    r.skip(
                        &place,
                        "the service also names an `image`, which was imported",
                    );
                }
            }
            other => r.skip(&place, skip_reason(other)),
        }
    }
    if s.image.is_none() && !has_build {
        return Err(ImportError::at(
            key,
            format!("service `{name}` has neither `image` nor `build`"),
        )
        .help("give it an `image:` (e.g. `image: nginx:1.27`)"));
    }
    Ok(s)
}

fn strip_proto(text: &str) -> (&str, bool) {
    match text.rsplit_once('/') {
        Some((rest, proto)) => (rest, proto.eq_ignore_ascii_case("udp")),
        None => (text, false),
    }
}

/// `3000` or `3000-3005` → the ports.
fn port_range(y: &Y, place: &str, text: &str) -> Result<Vec<u16>, ImportError> {
    let bad = || {
        ImportError::at(
            y,
            format!("`{place}`: `{text}` is not a port (1–65535) or port range"),
        )
    };
    let one = |t: &str| t.trim().parse::<u16>().ok().filter(|p| *p > 0);
    match text.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (one(a).ok_or_else(bad)?, one(b).ok_or_else(bad)?);
            if b < a || b - a > 1000 {
                return Err(bad());
            }
            Ok((a..=b).collect())
        }
        None => Ok(vec![one(text).ok_or_else(bad)?]),
    }
}

fn read_ports(y: &Y, place: &str, r: &mut Reader) -> Result<Vec<Port>, ImportError> {
    let V::Seq(items) = &y.v else {
        return Err(wrong_type(y, place, "a list of ports"));
    };
    let mut out = Vec::new();
    for i in items {
        match &i.v {
            V::Str(_) | V::Int(_) => {
                let text = i.scalar().unwrap_or_default();
                let (body, udp) = strip_proto(&text);
                // `[::1]:80:80` or `127.0.0.1:80:80` or `80:80` or `80`.
                let body = match body.strip_prefix('[') {
                    Some(rest) => rest.split_once("]:").map_or(rest, |(_, b)| b),
                    None => body,
                };
                let parts: Vec<&str> = body.split(':').collect();
                let (host, container) = match parts.as_slice() {
                    [c] => (None, *c),
                    [h, c] | [_, h, c] => (Some(*h).filter(|h| !h.is_empty()), *c),
                    _ => {
                        return Err(ImportError::at(
                            i,
                            format!("`{place}`: `{text}` is not `[HOST:]CONTAINER[/PROTOCOL]`"),
                        ));
                    }
                };
                if parts.len() == 3 {
                    r.skip(&format!("{place}: {text}"), "the host IP is not modelled");
                }
                let containers = port_range(i, place, container)?;
                let hosts = match host {
                    Some(h) => port_range(i, place, h)?,
                    None => Vec::new(),
                };
                let paired = hosts.len() == containers.len();
                if !hosts.is_empty() && !paired {
                    r.skip(
                        &format!("{place}: {text}"),
                        "a host port range for a different number of ports is not modelled",
                    );
                }
                for (n, c) in containers.iter().enumerate() {
                    out.push(Port {
                        container: *c,
                        published: if paired { Some(hosts[n]) } else { None },
                        udp,
                        name: None,
                        app_protocol: None,
                    });
                }
            }
            V::Map(entries) => {
                let target = i.get("target").ok_or_else(|| {
                    ImportError::at(i, format!("`{place}`: a port needs `target`"))
                })?;
                let target_text = target
                    .scalar()
                    .ok_or_else(|| wrong_type(target, &format!("{place}.target"), "a port"))?;
                let containers = port_range(target, place, &target_text)?;
                let mut published = None;
                let mut udp = false;
                let mut name = None;
                let mut app = None;
                for (k, v) in entries {
                    let key = k.scalar().unwrap_or_default();
                    match key.as_str() {
                        "target" => {}
                        "published" => {
                            let t = v.scalar().ok_or_else(|| {
                                wrong_type(v, &format!("{place}.published"), "a port")
                            })?;
                            let hosts = port_range(v, place, &t)?;
                            if hosts.len() == 1 && containers.len() == 1 {
                                published = Some(hosts[0]);
                            } else {
                                r.skip(
                                    &format!("{place}.published: {t}"),
                                    "port ranges are not published through a load balancer",
                                );
                            }
                        }
                        "protocol" => {
                            udp = as_str(v, &format!("{place}.protocol"))?
                                .eq_ignore_ascii_case("udp");
                        }
                        "name" => name = Some(as_str(v, &format!("{place}.name"))?),
                        "app_protocol" => {
                            let a =
                                as_str(v, &format!("{place}.app_protocol"))?.to_ascii_lowercase();
                            if matches!(a.as_str(), "http" | "http2" | "grpc") {
                                app = Some(a);
                            } else {
                                r.skip(
                                    &format!("{place}.app_protocol: {a}"),
                                    "ECS knows http, http2 and grpc",
                                );
                            }
                        }
                        other => r.skip(&format!("{place}.{other}"), "not modelled"),
                    }
                }
                for c in containers {
                    out.push(Port {
                        container: c,
                        published,
                        udp,
                        name: name.clone(),
                        app_protocol: app.clone(),
                    });
                }
            }
            _ => {
                return Err(wrong_type(
                    i,
                    place,
                    "a port string or a mapping with `target`",
                ));
            }
        }
    }
    Ok(out)
}

fn is_path(src: &str) -> bool {
    src.starts_with(['/', '.', '~', '$']) || src.contains('/') || src.contains('\\')
}

fn read_volumes(
    y: &Y,
    place: &str,
    declared: &BTreeSet<String>,
    r: &mut Reader,
) -> Result<Vec<Mount>, ImportError> {
    let V::Seq(items) = &y.v else {
        return Err(wrong_type(y, place, "a list of volumes"));
    };
    let mut out = Vec::new();
    for i in items {
        let (kind, source, target, read_only) = match &i.v {
            V::Str(text) => {
                let parts: Vec<&str> = text.split(':').collect();
                let (src, tgt, mode) = match parts.as_slice() {
                    [t] => (None, *t, ""),
                    [s, t] => (Some(*s), *t, ""),
                    [s, t, m] => (Some(*s), *t, *m),
                    _ => {
                        return Err(ImportError::at(
                            i,
                            format!("`{place}`: `{text}` is not `SOURCE:TARGET[:MODE]`"),
                        ));
                    }
                };
                let kind = match src {
                    Some(s) if is_path(s) => "bind",
                    _ => "volume",
                };
                let ro = mode.split(',').any(|m| m == "ro");
                (kind.to_owned(), src.map(str::to_owned), tgt.to_owned(), ro)
            }
            V::Map(entries) => {
                let kind = match i.get("type") {
                    Some(t) => as_str(t, &format!("{place}.type"))?,
                    None => "volume".to_owned(),
                };
                let source = i
                    .get("source")
                    .map(|s| as_str(s, &format!("{place}.source")))
                    .transpose()?;
                let target = i.get("target").ok_or_else(|| {
                    ImportError::at(i, format!("`{place}`: a volume needs `target`"))
                })?;
                let target = as_str(target, &format!("{place}.target"))?;
                let ro = match i.get("read_only") {
                    Some(b) => as_bool(b, &format!("{place}.read_only"))?,
                    None => false,
                };
                for (k, _) in entries {
                    let key = k.scalar().unwrap_or_default();
                    if !matches!(key.as_str(), "type" | "source" | "target" | "read_only") {
                        r.skip(&format!("{place}.{key} ({target})"), "not modelled");
                    }
                }
                (kind, source, target, ro)
            }
            _ => return Err(wrong_type(i, place, "a volume string or a mapping")),
        };
        match kind.as_str() {
            "volume" => {
                if let Some(src) = &source
                    && !declared.contains(src)
                {
                    {
                        return Err(ImportError::at(
                            i,
                            format!("`{place}`: volume `{src}` is not declared under the top-level `volumes:`"),
                        )
                        .help(format!("add `volumes: {{{src}: {{}}}}` at the top level, as compose requires")));
                    }
                }
                out.push(Mount {
                    volume: source,
                    target,
                    read_only,
                });
            }
            "bind" => r.skip(
                &format!("{place}: {}:{target}", source.unwrap_or_default()),
                "a bind mount of a local path; ECS tasks cannot see your files: bake them into the image, or use EFS",
            ),
            other => r.skip(
                &format!("{place}: {target} ({other})"),
                if other == "tmpfs" { skip_reason("tmpfs") } else { "not modelled" },
            ),
        }
    }
    Ok(out)
}

fn read_depends(
    y: &Y,
    place: &str,
    me: &str,
    all: &BTreeSet<String>,
    r: &mut Reader,
) -> Result<Vec<(String, Cond)>, ImportError> {
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
                out.push((n, Cond::Start));
            }
        }
        V::Map(entries) => {
            for (k, v) in entries {
                let n = as_str(k, place)?;
                check(k, &n)?;
                let mut cond = Cond::Start;
                if !matches!(v.v, V::Null) {
                    for (ck, cv) in as_map(v, &format!("{place}.{n}"))? {
                        let key = ck.scalar().unwrap_or_default();
                        if key == "condition" {
                            let c = as_str(cv, &format!("{place}.{n}.condition"))?;
                            cond = match c.as_str() {
                                "service_started" => Cond::Start,
                                "service_healthy" => Cond::Healthy,
                                "service_completed_successfully" => Cond::Success,
                                _ => {
                                    return Err(ImportError::at(
                                        cv,
                                        format!("`{place}.{n}.condition`: unknown condition `{c}`"),
                                    )
                                    .help("use service_started, service_healthy or service_completed_successfully"));
                                }
                            };
                        } else {
                            r.skip(&format!("{place}.{n}.{key}"), "ECS has no equivalent");
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

fn read_health(y: &Y, place: &str, r: &mut Reader) -> Result<Option<Health>, ImportError> {
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
            "interval" => h.interval = Some(duration_seconds(v, &at)?),
            "timeout" => h.timeout = Some(duration_seconds(v, &at)?),
            "start_period" => h.start_period = Some(duration_seconds(v, &at)?),
            "retries" => h.retries = Some(as_u32(v, &at)?),
            "disable" => disabled = as_bool(v, &at)?,
            other => r.skip(
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
        r.skip(place, "the health check is disabled");
        return Ok(None);
    }
    if h.command.is_empty() {
        r.skip(
            place,
            "a health check without `test` inherits the image's HEALTHCHECK, which ECS ignores",
        );
        return Ok(None);
    }
    Ok(Some(h))
}

fn read_env(y: &Y, place: &str, r: &mut Reader) -> Result<Vec<(String, String)>, ImportError> {
    let mut out = Vec::new();
    match &y.v {
        V::Seq(items) => {
            for i in items {
                let text = as_str(i, place)?;
                match text.split_once('=') {
                    Some((k, v)) => out.push((k.to_owned(), v.to_owned())),
                    None => r.skip(
                        &format!("{place}: {text}"),
                        "takes its value from the shell running compose",
                    ),
                }
            }
        }
        V::Map(entries) => {
            for (k, v) in entries {
                let key = as_str(k, place)?;
                match v.scalar() {
                    Some(val) => out.push((key, val)),
                    None if matches!(v.v, V::Null) => {
                        r.skip(
                            &format!("{place}.{key}"),
                            "takes its value from the shell running compose",
                        );
                    }
                    None => {
                        return Err(wrong_type(
                            v,
                            &format!("{place}.{key}"),
                            "a string, number or boolean",
                        ));
                    }
                }
            }
        }
        _ => return Err(wrong_type(y, place, "a list of `KEY=VALUE` or a mapping")),
    }
    Ok(out)
}

fn read_secrets(y: &Y, place: &str, r: &mut Reader) -> Result<Vec<(String, String)>, ImportError> {
    let V::Seq(items) = &y.v else {
        return Err(wrong_type(y, place, "a list of secrets"));
    };
    let mut out = Vec::new();
    for i in items {
        match &i.v {
            V::Str(s) => out.push((s.clone(), s.clone())),
            V::Map(entries) => {
                let source = i.get("source").ok_or_else(|| {
                    ImportError::at(i, format!("`{place}`: a secret needs `source`"))
                })?;
                let source = as_str(source, &format!("{place}.source"))?;
                let target = match i.get("target") {
                    Some(t) => as_str(t, &format!("{place}.target"))?,
                    None => source.clone(),
                };
                for (k, _) in entries {
                    let key = k.scalar().unwrap_or_default();
                    if !matches!(key.as_str(), "source" | "target") {
                        r.skip(
                            &format!("{place}.{key} ({source})"),
                            "ECS passes secrets as environment variables, not files",
                        );
                    }
                }
                out.push((target, source));
            }
            _ => {
                return Err(wrong_type(
                    i,
                    place,
                    "a secret name or a mapping with `source`",
                ));
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// archflow, written.

/// The repository name of an image: `registry/ns/mongo:7@sha…` → `mongo`.
fn image_repo(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

fn guess_role(s: &Svc) -> Option<(&'static str, String)> {
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
    if db.contains(&repo) {
        return Some(("database", format!("guess: `{repo}` is a database image")));
    }
    if matches!(repo, "redis" | "valkey" | "memcached" | "keydb") {
        return Some(("cache", format!("guess: `{repo}` is a cache image")));
    }
    if s.ports.iter().any(|p| p.published.is_some()) {
        if matches!(repo, "nginx" | "httpd" | "caddy" | "traefik" | "haproxy") {
            return Some((
                "web",
                format!("guess: `{repo}` publishes ports and serves web pages"),
            ));
        }
        return Some((
            "api",
            "guess: it publishes ports, so it serves requests".to_owned(),
        ));
    }
    None
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

/// Put a comment above the first key of a mapping (the `- key:` line of a list item).
fn commented(mut node: Node, comment: &str) -> Node {
    if let Node::Map(entries) = &mut node
        && let Some(Entry { comment: c, .. }) = entries.first_mut()
    {
        {
            *c = Some(match c.take() {
                Some(old) => format!("{comment}\n{old}"),
                None => comment.to_owned(),
            });
        }
    }
    node
}

fn str_seq(items: &[String]) -> Node {
    Node::Seq(items.iter().map(|s| Node::str(s.clone())).collect())
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

struct Plan<'a> {
    svcs: &'a [Svc],
    layout: Layout,
    project: String,
    names: Names,
    not_imported: Vec<String>,
    roles: BTreeMap<String, (&'static str, String)>,
    /// Compose volume → EFS file system name (volumes mounted by a database).
    efs: BTreeMap<String, String>,
    /// Containers other containers wait for with `service_completed_successfully`.
    run_once: BTreeSet<String>,
}

impl Plan<'_> {
    fn efs_for(&self, s: &Svc) -> bool {
        s.mounts
            .iter()
            .any(|m| m.volume.as_ref().is_some_and(|v| self.efs.contains_key(v)))
    }

    /// The container definition of one compose service.
    fn container(&self, s: &Svc, volume_names: &BTreeMap<String, String>) -> Node {
        let mut c = Node::map().with("name", Node::str(s.name.clone()));
        if let Some((role, why)) = self.roles.get(&s.name) {
            c.insert("role", Node::str(*role), Some(why.clone()));
        }
        match &s.image {
            Some(i) => c.insert("image", Node::str(i.clone()), None),
            None => c.insert(
                "image",
                Node::str(format!("{}:latest", s.name)),
                Some("placeholder: compose builds this image (`build:`); push it to a registry (ECR) and name it here".to_owned()),
            ),
        }
        if self.run_once.contains(&s.name) {
            c.insert(
                "essential",
                Node::Bool(false),
                Some("runs to completion before others start (compose `service_completed_successfully`), so not essential".to_owned()),
            );
        }
        if !s.ports.is_empty() {
            let db = matches!(self.roles.get(&s.name), Some(("database" | "cache", _)));
            let ports = s
                .ports
                .iter()
                .map(|p| {
                    let m = Node::map()
                        .with("containerPort", Node::Int(i64::from(p.container)))
                        .with("protocol", Node::str(if p.udp { "udp" } else { "tcp" }))
                        .with_opt("name", p.name.clone().map(Node::Str))
                        .with_opt("appProtocol", p.app_protocol.clone().map(Node::Str));
                    match p.published {
                        Some(h) if db => commented(m, &format!("compose publishes it on host port {h}; not exposed through the load balancer: a database should stay private")),
                        Some(h) if p.udp => commented(m, &format!("compose publishes it on host port {h} (UDP): an application load balancer cannot forward UDP")),
                        Some(h) if h != p.container => commented(m, &format!("compose: host port {h} → {c}; awsvpc ports are symmetric, so the load balancer listens on {h} and forwards to {c}", c = p.container)),
                        _ => m,
                    }
                })
                .collect();
            c.insert("portMappings", Node::Seq(ports), None);
        }
        if !s.env.is_empty() {
            let mut env = Vec::new();
            for (k, v) in &s.env {
                let mut item = Node::map()
                    .with("name", Node::str(k.clone()))
                    .with("value", Node::str(v.clone()));
                for other in self.svcs.iter().filter(|o| o.name != s.name) {
                    if !names_host(v, &other.name) {
                        continue;
                    }
                    let note = match self.layout {
                        Layout::OneTask => format!(
                            "`{}` is a compose service name, which does not resolve here: containers of one task share localhost, so use `{}`",
                            other.name,
                            with_localhost(v, &other.name)
                        ),
                        Layout::OneServiceEach => format!(
                            "`{}` resolves only through ECS Service Connect or Cloud Map (not modelled here)",
                            other.name
                        ),
                    };
                    item = commented(item, &note);
                }
                env.push(item);
            }
            c.insert("environment", Node::Seq(env), None);
        }
        if !s.secrets.is_empty() {
            let secrets = s
                .secrets
                .iter()
                .map(|(target, source)| {
                    commented(
                        Node::map().with("name", Node::str(target.clone())).with("valueFrom", Node::str(source.clone())),
                        &format!("compose secret `{source}` (a file in /run/secrets there; an environment variable in ECS): replace valueFrom with the ARN of a Secrets Manager secret or SSM parameter"),
                    )
                })
                .collect();
            c.insert("secrets", Node::Seq(secrets), None);
        }
        let mounts: Vec<Node> = s
            .mounts
            .iter()
            .enumerate()
            .filter_map(|(n, m)| {
                let key = m.volume.clone().unwrap_or_else(|| format!("#{n}"));
                let name = volume_names.get(&key)?;
                let mut node = Node::map()
                    .with("sourceVolume", Node::str(name.clone()))
                    .with("containerPath", Node::str(m.target.clone()));
                if m.read_only {
                    node = node.with("readOnly", Node::Bool(true));
                }
                Some(node)
            })
            .collect();
        if !mounts.is_empty() {
            c.insert("mountPoints", Node::Seq(mounts), None);
        }
        if !s.depends.is_empty() {
            match self.layout {
                Layout::OneTask => {
                    let deps = s
                        .depends
                        .iter()
                        .map(|(n, cond)| {
                            Node::map()
                                .with("containerName", Node::str(n.clone()))
                                .with("condition", Node::str(cond.ecs()))
                        })
                        .collect();
                    c.insert(
                        "dependsOn",
                        Node::Seq(deps),
                        Some("compose depends_on".to_owned()),
                    );
                }
                Layout::OneServiceEach => {}
            }
        }
        let calls = self.calls(s);
        if !calls.is_empty() {
            c.insert(
                "connectsTo",
                str_seq(&calls),
                Some("guess: from depends_on and the host names in environment values".to_owned()),
            );
        }
        if let Some(h) = &s.health {
            let hc = Node::map()
                .with("command", str_seq(&h.command))
                .with_opt("interval", h.interval.map(|v| Node::Int(i64::from(v))))
                .with_opt("timeout", h.timeout.map(|v| Node::Int(i64::from(v))))
                .with_opt("retries", h.retries.map(|v| Node::Int(i64::from(v))))
                .with_opt(
                    "startPeriod",
                    h.start_period.map(|v| Node::Int(i64::from(v))),
                );
            c.insert("healthCheck", hc, None);
        }
        if let Some(p) = s.privileged {
            c.insert("privileged", Node::Bool(p), None);
        }
        if let Some(ro) = s.read_only {
            c.insert("readonlyRootFilesystem", Node::Bool(ro), None);
        }
        if let Some(u) = &s.user {
            c.insert("user", Node::str(u.clone()), None);
        }
        if let Some(cmd) = &s.command {
            c.insert("command", str_seq(cmd), None);
        }
        if let Some(ep) = &s.entrypoint {
            c.insert("entryPoint", str_seq(ep), None);
        }
        c
    }

    /// Whom a service calls: its `depends_on` (but not one-off jobs) and the services its
    /// environment names.
    fn calls(&self, s: &Svc) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (n, cond) in &s.depends {
            if *cond != Cond::Success && !out.contains(n) {
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

    /// Task volumes (with their names per compose volume key) for a set of services.
    fn volumes(
        &mut self,
        members: &[&Svc],
        shared: &BTreeMap<String, Vec<String>>,
    ) -> (Vec<Node>, VolumeNames) {
        let mut nodes = Vec::new();
        let mut by_compose: BTreeMap<String, String> = BTreeMap::new();
        let mut per_service = VolumeNames::new();
        for s in members {
            let mut mine = BTreeMap::new();
            for (n, m) in s.mounts.iter().enumerate() {
                let (key, base) = match &m.volume {
                    Some(v) => (v.clone(), v.clone()),
                    None => (format!("#{n}"), format!("{}-scratch", s.name)),
                };
                if m.volume.is_none() {
                    let name = self.names.take(&base);
                    nodes.push(
                        Node::map()
                            .with("name", Node::str(name.clone()))
                            .with("description", Node::str(format!("Anonymous compose volume of `{}` at `{}`: task storage, deleted with the task.", s.name, m.target))),
                    );
                    mine.insert(key, name);
                    continue;
                }
                if let Some(name) = by_compose.get(&key) {
                    mine.insert(key, name.clone());
                    continue;
                }
                let name = self.names.take(&base);
                let node = Node::map().with("name", Node::str(name.clone()));
                let node = if let Some(fs) = self.efs.get(&key) {
                    commented(
                        node.with(
                            "efsVolumeConfiguration",
                            Node::map()
                                .with("fileSystemId", Node::str(fs.clone()))
                                .with("transitEncryption", Node::str("ENABLED")),
                        ),
                        &format!("compose volume `{key}`; EFS so data survives task replacement"),
                    )
                } else {
                    let users = shared
                        .get(&key)
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
                    commented(node, &why)
                };
                nodes.push(node);
                by_compose.insert(key.clone(), name.clone());
                mine.insert(key, name);
            }
            per_service.insert(s.name.clone(), mine);
        }
        (nodes, per_service)
    }

    fn service(
        &mut self,
        members: &[&Svc],
        service_name: &str,
        family: &str,
        shared: &BTreeMap<String, Vec<String>>,
        lbs: &[Node],
    ) -> Node {
        let (volumes, per_service) = self.volumes(members, shared);
        let containers: Vec<Node> = members
            .iter()
            .map(|s| self.container(s, per_service.get(&s.name).unwrap_or(&BTreeMap::new())))
            .collect();
        let efs_db = members
            .iter()
            .any(|s| self.efs_for(s) && matches!(self.roles.get(&s.name), Some(("database", _))));
        let wanted = members.iter().filter_map(|s| s.replicas).max();
        let mut svc = Node::map().with("serviceName", Node::str(service_name));
        let description = match self.layout {
            Layout::OneTask => "Every compose service is a container of this service's one task (layout `one-task`).".to_owned(),
            Layout::OneServiceEach => format!("Compose service `{}` (layout `one-service-each`).", members[0].name),
        };
        svc.insert("description", Node::str(description), None);
        svc.insert("launchType", Node::str("FARGATE"), None);
        svc.insert(
            "platformVersion",
            Node::str("1.4.0"),
            Some("1.4.0 or later: needed for EFS volumes".to_owned()),
        );
        match (wanted, efs_db) {
            (Some(n), true) if n > 1 => {
                svc.insert("desiredCount", Node::Int(1), Some(format!("compose asks for {n} replicas, but the database's data directory is on shared EFS: two copies must never run at once")));
                self.not_imported.push(format!("`deploy.replicas: {n}` of service `{service_name}`: kept at 1 because a database on EFS is in its task"));
            }
            (Some(n), _) => svc.insert(
                "desiredCount",
                Node::Int(i64::from(n)),
                Some("compose deploy.replicas".to_owned()),
            ),
            (None, _) => svc.insert("desiredCount", Node::Int(1), None),
        }
        if !lbs.is_empty() {
            svc.insert(
                "loadBalancers",
                Node::Seq(lbs.to_vec()),
                Some("guess: the ports compose publishes, behind the load balancer".to_owned()),
            );
        }
        if efs_db {
            svc.insert(
                "deploymentConfiguration",
                Node::map().with("minimumHealthyPercent", Node::Int(0)).with("maximumPercent", Node::Int(100)),
                Some("a database's data directory is on shared EFS: two copies must never run at once,\nso a deployment stops the old task before starting the new one (a short outage)".to_owned()),
            );
        }
        let tasks_sg = format!("{}-tasks", self.project);
        svc.insert(
            "networkConfiguration",
            Node::map().with(
                "awsvpcConfiguration",
                Node::map()
                    .with("subnets", str_seq(&["subnet-a".to_owned(), "subnet-b".to_owned()]))
                    .with("securityGroups", str_seq(&[tasks_sg])),
            ),
            Some("placeholders: your VPC's subnets (in two Availability Zones) and the tasks' security group".to_owned()),
        );
        let (cpu, memory) = if members.len() > 2 {
            ("1024", "2048")
        } else {
            ("512", "1024")
        };
        let task_description = match self.layout {
            Layout::OneTask => "Containers of one `awsvpc` task share a network namespace: they reach each other on `localhost`, and compose service names do not resolve.".to_owned(),
            Layout::OneServiceEach => format!("The one container of compose service `{}`.", members[0].name),
        };
        let mut task = Node::map()
            .with("family", Node::str(family))
            .with("description", Node::str(task_description))
            .with("networkMode", Node::str("awsvpc"))
            .with("requiresCompatibilities", str_seq(&["FARGATE".to_owned()]));
        task.insert(
            "cpu",
            Node::str(cpu),
            Some("placeholder size (a valid Fargate pair): measure and adjust".to_owned()),
        );
        task.insert("memory", Node::str(memory), None);
        task.insert("containerDefinitions", Node::Seq(containers), None);
        if !volumes.is_empty() {
            task.insert("volumes", Node::Seq(volumes), None);
        }
        svc.insert("taskDefinition", task, None);
        svc
    }
}

/// Import a compose file.
///
/// # Errors
/// Every reason the text is not a compose file archflow can import, with its place.
pub fn import(text: &str, options: &Options) -> Result<Imported, Vec<ImportError>> {
    if text.trim().is_empty() {
        return Err(vec![ImportError::whole("the file is empty")]);
    }
    let root: Y = serde_saphyr::from_str(text).map_err(|e| {
        use serde_saphyr::MessageFormatter as _;
        let mut inner = &e;
        while let serde_saphyr::Error::WithSnippet { error, .. }
        | serde_saphyr::Error::AliasError { error, .. } = inner
        {
            inner = error;
        }
        let (line, column) = e.location().map_or((0, 0), |l| {
            (
                usize::try_from(l.line()).unwrap_or(0),
                usize::try_from(l.column()).unwrap_or(0),
            )
        });
        vec![ImportError {
            line,
            column,
            message: format!(
                "invalid YAML: {}",
                serde_saphyr::DefaultMessageFormatter.format_message(inner)
            ),
            help: None,
        }]
    })?;
    let mut reader = Reader {
        not_imported: Vec::new(),
        errors: Vec::new(),
    };
    let (name, svcs) = read_compose(&root, &mut reader).map_err(|e| vec![e])?;
    if !reader.errors.is_empty() {
        return Err(reader.errors);
    }
    if text.contains("${") {
        reader.not_imported.push("`${…}` variables: kept as written, not interpolated (run `docker compose config` first to resolve them)".to_owned());
    }
    let project = sanitize(name.as_deref().unwrap_or(&options.default_name));
    Ok(build(&svcs, &project, options, reader.not_imported))
}

fn build(svcs: &[Svc], project: &str, options: &Options, not_imported: Vec<String>) -> Imported {
    let layout = options.layout;
    let mut names = Names(svcs.iter().map(|s| s.name.clone()).collect());
    let roles: BTreeMap<String, (&'static str, String)> = svcs
        .iter()
        .filter_map(|s| guess_role(s).map(|r| (s.name.clone(), r)))
        .collect();
    let mut efs = BTreeMap::new();
    let mut file_systems = Vec::new();
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
    for s in svcs
        .iter()
        .filter(|s| matches!(roles.get(&s.name), Some(("database", _))))
    {
        for m in s.mounts.iter().filter(|m| !m.read_only) {
            let Some(v) = &m.volume else { continue };
            if efs.contains_key(v) {
                continue;
            }
            let fs = names.take(&format!("{project}-{v}"));
            file_systems.push(commented(
                Node::map()
                    .with("name", Node::str(fs.clone()))
                    .with("encrypted", Node::Bool(true))
                    .with("performanceMode", Node::str("generalPurpose"))
                    .with("throughputMode", Node::str("elastic")),
                &format!("compose volume `{v}`; EFS so data survives task replacement"),
            ));
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
                .filter(|(_, c)| *c == Cond::Success)
                .map(|(n, _)| n.clone())
        })
        .collect();
    let mut plan = Plan {
        svcs,
        layout,
        project: project.to_owned(),
        names,
        not_imported,
        roles,
        efs,
        run_once,
    };

    // Load balancer: published TCP ports of serving (not database) containers.
    let mut listeners = Vec::new();
    let mut target_groups = Vec::new();
    let mut service_lbs: BTreeMap<String, Vec<Node>> = BTreeMap::new();
    let lb_name_base = format!("{project}-alb");
    let lb_name = if svcs
        .iter()
        .any(|s| s.ports.iter().any(|p| p.published.is_some()))
    {
        Some(plan.names.take(&lb_name_base))
    } else {
        None
    };
    for s in svcs {
        if matches!(plan.roles.get(&s.name), Some(("database" | "cache", _))) {
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
            let tg = plan.names.take(&base);
            let mut listener = Node::map()
                .with("port", Node::Int(i64::from(host)))
                .with("protocol", Node::str("HTTP"))
                .with(
                    "defaultActions",
                    Node::Seq(vec![
                        Node::map()
                            .with("type", Node::str("forward"))
                            .with("targetGroup", Node::str(tg.clone())),
                    ]),
                );
            if host == 443 {
                listener = commented(
                    listener,
                    "HTTPS needs a certificate: add `certificates` and `sslPolicy`, then set `protocol: HTTPS`",
                );
            }
            listeners.push(listener);
            target_groups.push(commented(
                Node::map()
                    .with("name", Node::str(tg.clone()))
                    .with("port", Node::Int(i64::from(p.container)))
                    .with("protocol", Node::str("HTTP"))
                    .with("targetType", Node::str("ip")),
                &format!("guess: compose publishes `{}` port {} on host port {host}; set `healthCheck.path` to a real health endpoint", s.name, p.container),
            ));
            service_lbs.entry(s.name.clone()).or_default().push(
                Node::map()
                    .with("targetGroup", Node::str(tg))
                    .with("containerName", Node::str(s.name.clone()))
                    .with("containerPort", Node::Int(i64::from(p.container))),
            );
        }
    }

    // Services.
    let mut services = Vec::new();
    match layout {
        Layout::OneTask => {
            let members: Vec<&Svc> = svcs.iter().collect();
            let sname = plan.names.take(project);
            let lbs: Vec<Node> = service_lbs.values().flatten().cloned().collect();
            services.push(plan.service(&members, &sname, &sname, &shared, &lbs));
        }
        Layout::OneServiceEach => {
            for s in svcs {
                let sname = plan.names.take(&format!("{}-service", s.name));
                for (n, cond) in &s.depends {
                    plan.not_imported.push(format!(
                        "`services.{}.depends_on.{n}` ({}): ECS orders containers only within a task; `{n}` runs in its own service",
                        s.name,
                        cond.compose()
                    ));
                }
                if svcs.iter().any(|o| {
                    o.depends
                        .iter()
                        .any(|(n, c)| n == &s.name && *c == Cond::Success)
                }) {
                    plan.not_imported.push(format!(
                        "`services.{}`: a job that runs to completion; an ECS service restarts it after each exit: run it with `aws ecs run-task` instead",
                        s.name
                    ));
                }
                let lbs = service_lbs.get(&s.name).cloned().unwrap_or_default();
                services.push(plan.service(&[s], &sname, &s.name, &shared, &lbs));
            }
        }
    }

    let mut root = Node::map()
        .with("version", Node::Int(1))
        .with("name", Node::str(project))
        .with(
            "description",
            Node::str(format!(
                "Imported from `{}` by `archflow import compose` (layout `{}`).",
                options.source_name,
                layout.as_str()
            )),
        )
        .with(
            "cluster",
            Node::map().with("name", Node::str(format!("{project}-cluster"))),
        );
    if let Some(lb) = &lb_name {
        let user = plan.names.take("user");
        root.insert(
            "actors",
            Node::Seq(vec![
                Node::map()
                    .with("name", Node::str(user))
                    .with("label", Node::str("User"))
                    .with("connectsTo", str_seq(std::slice::from_ref(lb))),
            ]),
            Some("guess: someone calls the ports compose publishes".to_owned()),
        );
        root.insert(
            "loadBalancers",
            Node::Seq(vec![Node::map()
                .with("name", Node::str(lb.clone()))
                .with("type", Node::str("application"))
                .with("scheme", Node::str("internet-facing"))
                .with("listeners", Node::Seq(listeners))]),
            Some("guess: compose publishes ports on the host; on ECS an Application Load Balancer gives them one stable address".to_owned()),
        );
        if !target_groups.is_empty() {
            root.insert("targetGroups", Node::Seq(target_groups), None);
        }
    }
    if !file_systems.is_empty() {
        root.insert("fileSystems", Node::Seq(file_systems), None);
    }
    root.insert("services", Node::Seq(services), None);

    let mut header: Vec<String> = vec![
        format!(
            "Imported from {} by `archflow import compose --layout {}`.",
            options.source_name,
            layout.as_str()
        ),
        "Review every comment that says \"guess\" or \"placeholder\", then run `archflow check`."
            .to_owned(),
        " ".to_owned(),
    ];
    match layout {
        Layout::OneTask => header.push(
            "Layout one-task: every compose service is a container of ONE task of ONE ECS service.\n\
             They start, stop and scale together, and share the task's network namespace: they\n\
             reach each other on localhost, and compose service names (like `db`) do not resolve."
                .to_owned(),
        ),
        Layout::OneServiceEach => header.push(
            "Layout one-service-each: every compose service is its own ECS service with a\n\
             one-container task. They scale and deploy independently; compose service names\n\
             resolve only through ECS Service Connect or Cloud Map (not modelled), and\n\
             `depends_on` is lost (ECS orders containers only within one task)."
                .to_owned(),
        ),
    }
    if !plan.not_imported.is_empty() {
        header.push(" ".to_owned());
        header.push("Not imported:".to_owned());
        for n in &plan.not_imported {
            header.push(format!("  - {n}"));
        }
    }
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    Imported {
        yaml: yaml_writer::write(&root, &header_refs),
        not_imported: plan.not_imported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(text: &str) -> Y {
        serde_saphyr::from_str(text).unwrap()
    }

    #[test]
    fn durations() {
        for (t, s) in [
            ("30s", 30),
            ("1m30s", 90),
            ("1h", 3600),
            ("500ms", 1),
            ("90", 90),
            ("2m", 120),
        ] {
            assert_eq!(
                duration_seconds(&y(&format!("\"{t}\"")), "x").unwrap(),
                s,
                "{t}"
            );
        }
        assert!(duration_seconds(&y("\"3 days\""), "x").is_err());
    }

    #[test]
    fn shell_words_split_like_a_shell() {
        assert_eq!(
            shell_words(r#"npm run "start dev" 'a b' c\ d"#),
            ["npm", "run", "start dev", "a b", "c d"]
        );
    }

    #[test]
    fn positions_are_one_based() {
        let root = y("services:\n  api:\n    image: x\n");
        let api = root.get("services").unwrap().get("api").unwrap();
        assert_eq!((api.line, api.col), (3, 5));
    }

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
