//! `archflow drift`: what differs between the model and deployed task definitions.
//!
//! Both sides are compared in the shape of the AWS JSON: the model's side is its export
//! ([`crate::export`]), the deployed side is `describe-task-definition` output (or
//! `register-task-definition` input). Task definitions are matched by `family`, containers by
//! `name`. Compared: containers added or removed, `image`, ports, mounts, volumes (name and kind,
//! EFS settings other than the ids, which the model replaces by names), `dependsOn`, health
//! checks, environment variable and secret names (never values), `essential` (default true),
//! and the task's `networkMode`, `cpu` and `memory`.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

/// One difference. `model` or `deployed` is `None` when that side does not have the thing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub family: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    pub field: String,
    pub model: Option<String>,
    pub deployed: Option<String>,
}

impl Difference {
    /// `family/container: field: model X, deployed Y`.
    #[must_use]
    pub fn line(&self) -> String {
        let place = match &self.container {
            Some(c) => format!("{}/{c}", self.family),
            None => self.family.clone(),
        };
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_owned());
        format!(
            "{place}: {}: model {}, deployed {}",
            self.field,
            show(&self.model),
            show(&self.deployed)
        )
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn items<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A list rendered as sorted, comma-separated items; `None` when empty.
fn set(mut parts: Vec<String>) -> Option<String> {
    parts.sort();
    parts.dedup();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(", "))
    }
}

fn ports(c: &Value) -> Option<String> {
    set(items(c, "portMappings")
        .iter()
        .map(|p| {
            let port = text(p.get("containerPort")).unwrap_or_default();
            let proto = text(p.get("protocol")).unwrap_or_else(|| "tcp".to_owned());
            match text(p.get("hostPort")) {
                Some(h) if h != port => format!("{port}/{proto} (host {h})"),
                _ => format!("{port}/{proto}"),
            }
        })
        .collect())
}

fn mounts(c: &Value) -> Option<String> {
    set(items(c, "mountPoints")
        .iter()
        .map(|m| {
            let ro = m.get("readOnly").and_then(Value::as_bool) == Some(true);
            format!(
                "{}:{}{}",
                text(m.get("sourceVolume")).unwrap_or_default(),
                text(m.get("containerPath")).unwrap_or_default(),
                if ro { ":ro" } else { "" }
            )
        })
        .collect())
}

fn depends(c: &Value) -> Option<String> {
    set(items(c, "dependsOn")
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                text(d.get("containerName")).unwrap_or_default(),
                text(d.get("condition")).unwrap_or_default()
            )
        })
        .collect())
}

fn names(c: &Value, key: &str) -> Option<String> {
    set(items(c, key)
        .iter()
        .filter_map(|e| text(e.get("name")))
        .collect())
}

fn health(c: &Value) -> Option<String> {
    let h = c.get("healthCheck")?;
    let cmd: Vec<String> = items(h, "command")
        .iter()
        .filter_map(|x| text(Some(x)))
        .collect();
    let mut out = format!("{cmd:?}");
    for (key, default) in [
        ("interval", 30),
        ("timeout", 5),
        ("retries", 3),
        ("startPeriod", 0),
    ] {
        let v = h.get(key).and_then(Value::as_i64).unwrap_or(default);
        let _ = write!(out, " {key}={v}");
    }
    Some(out)
}

#[allow(clippy::unnecessary_wraps)] // one of the `Field` getters, which all return an Option
fn essential(c: &Value) -> Option<String> {
    Some(
        c.get("essential")
            .and_then(Value::as_bool)
            .unwrap_or(true)
            .to_string(),
    )
}

fn volume(v: &Value) -> String {
    let name = text(v.get("name")).unwrap_or_default();
    if let Some(e) = v.get("efsVolumeConfiguration") {
        let mut parts = vec![format!("{name} (EFS")];
        if let Some(r) = text(e.get("rootDirectory")).filter(|r| r != "/") {
            parts.push(format!("root {r}"));
        }
        let transit = text(e.get("transitEncryption")).unwrap_or_else(|| "DISABLED".into());
        parts.push(format!("transit encryption {transit}"));
        if let Some(a) = e.get("authorizationConfig") {
            if a.get("accessPointId").is_some_and(|x| !x.is_null()) {
                parts.push("access point".to_owned());
            }
            let iam = text(a.get("iam")).unwrap_or_else(|| "DISABLED".into());
            parts.push(format!("IAM {iam}"));
        }
        format!("{})", parts.join(", "))
    } else if let Some(h) = v.get("host") {
        match text(h.get("sourcePath")) {
            Some(p) => format!("{name} (host {p})"),
            None => format!("{name} (host)"),
        }
    } else if v.get("dockerVolumeConfiguration").is_some() {
        format!("{name} (docker)")
    } else {
        format!("{name} (task storage)")
    }
}

type Field = (&'static str, fn(&Value) -> Option<String>);

const CONTAINER_FIELDS: &[Field] = &[
    ("image", |c| text(c.get("image"))),
    ("essential", essential),
    ("ports", ports),
    ("mounts", mounts),
    ("dependsOn", depends),
    ("healthCheck", health),
    ("environment names", |c| names(c, "environment")),
    ("secret names", |c| names(c, "secrets")),
];

/// Compare one task definition of the model (export shape) with the deployed one.
#[must_use]
pub fn compare(family: &str, model: &Value, deployed: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    let diff = |container: Option<&str>, field: &str, m: Option<String>, d: Option<String>| {
        (m != d).then(|| Difference {
            family: family.to_owned(),
            container: container.map(str::to_owned),
            field: field.to_owned(),
            model: m,
            deployed: d,
        })
    };
    for key in ["networkMode", "cpu", "memory"] {
        out.extend(diff(
            None,
            key,
            text(model.get(key)),
            text(deployed.get(key)),
        ));
    }
    let vols = |v: &Value| set(items(v, "volumes").iter().map(volume).collect());
    out.extend(diff(None, "volumes", vols(model), vols(deployed)));
    let name = |c: &Value| text(c.get("name")).unwrap_or_default();
    let model_cs = items(model, "containerDefinitions");
    let deployed_cs = items(deployed, "containerDefinitions");
    for mc in model_cs {
        let n = name(mc);
        match deployed_cs.iter().find(|d| name(d) == n) {
            None => out.push(Difference {
                family: family.to_owned(),
                container: Some(n.clone()),
                field: "container".to_owned(),
                model: text(mc.get("image")),
                deployed: None,
            }),
            Some(dc) => {
                for (field, get) in CONTAINER_FIELDS {
                    out.extend(diff(Some(&n), field, get(mc), get(dc)));
                }
            }
        }
    }
    for dc in deployed_cs {
        let n = name(dc);
        if !model_cs.iter().any(|m| name(m) == n) {
            out.push(Difference {
                family: family.to_owned(),
                container: Some(n),
                field: "container".to_owned(),
                model: None,
                deployed: text(dc.get("image")),
            });
        }
    }
    out
}

/// The drift report as stable JSON: `{"drifted": bool, "differences": [...]}`.
#[must_use]
pub fn to_json(differences: &[Difference], not_compared: &[String]) -> String {
    let v = serde_json::json!({
        "drifted": !differences.is_empty(),
        "differences": differences,
        "notCompared": not_compared,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
