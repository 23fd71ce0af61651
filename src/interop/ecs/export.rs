//! `archflow export ecs`: each service's task definition as the JSON that
//! `aws ecs register-task-definition --cli-input-json` takes.
//!
//! archflow-only fields (`role`, `label`, `description`, `connectsTo`, `dataPath`, `suppress`)
//! are dropped. Where AWS wants an ARN or id (`executionRoleArn`, `taskRoleArn`,
//! `efsVolumeConfiguration.fileSystemId`, `authorizationConfig.accessPointId`) the model's name
//! is written as it is: replace it with the real ARN or id before registering. Keys are in the
//! order of the AWS documentation's skeleton (`--generate-cli-skeleton`), so the output is
//! deterministic. `cpu` and `memory` are strings, as AWS writes them.

use std::fmt::Write as _;

use serde_json::Value;

use crate::syntax::Document;
use crate::syntax::document::{
    AppProtocol, ContainerDefinition, DependencyCondition, EnabledDisabled, LaunchType,
    NetworkMode, NumberOrString, TaskDefinition, TransportProtocol, Volume,
};

/// A JSON value whose objects keep their keys in insertion order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Str(String),
    Int(i64),
    Bool(bool),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn obj() -> Self {
        Self::Obj(Vec::new())
    }

    fn set(mut self, key: &str, value: impl Into<Option<Json>>) -> Self {
        if let (Self::Obj(entries), Some(v)) = (&mut self, value.into()) {
            entries.push((key.to_owned(), v));
        }
        self
    }

    /// Add an array unless it is empty (AWS leaves empty lists out).
    fn list(self, key: &str, items: Vec<Json>) -> Self {
        if items.is_empty() {
            self
        } else {
            self.set(key, Json::Arr(items))
        }
    }

    /// As a `serde_json::Value` (key order is lost).
    #[must_use]
    pub fn to_value(&self) -> Value {
        match self {
            Self::Str(s) => Value::String(s.clone()),
            Self::Int(i) => Value::from(*i),
            Self::Bool(b) => Value::Bool(*b),
            Self::Arr(items) => Value::Array(items.iter().map(Self::to_value).collect()),
            Self::Obj(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// Pretty-printed (two spaces), keys in insertion order, ending in a newline.
    #[must_use]
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        match self {
            Self::Str(s) => out.push_str(&Value::String(s.clone()).to_string()),
            Self::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Self::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            Self::Arr(items) if items.is_empty() => out.push_str("[]"),
            Self::Obj(entries) if entries.is_empty() => out.push_str("{}"),
            Self::Arr(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    let _ = write!(out, "{:w$}", "", w = indent + 2);
                    item.write(out, indent + 2);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                let _ = write!(out, "{:indent$}]", "");
            }
            Self::Obj(entries) => {
                out.push_str("{\n");
                for (i, (k, v)) in entries.iter().enumerate() {
                    let _ = write!(
                        out,
                        "{:w$}{}: ",
                        "",
                        Value::String(k.clone()),
                        w = indent + 2
                    );
                    v.write(out, indent + 2);
                    out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
                }
                let _ = write!(out, "{:indent$}}}", "");
            }
        }
    }
}

fn s(v: &str) -> Json {
    Json::Str(v.to_owned())
}

/// One exported task definition: its family and JSON.
#[derive(Clone, Debug)]
pub struct Exported {
    pub family: String,
    pub json: Json,
}

/// Every service's task definition, in document order. Two services running the same family are
/// exported once (the first).
#[must_use]
pub fn ecs(doc: &Document) -> Vec<Exported> {
    let mut out: Vec<Exported> = Vec::new();
    for service in &doc.services {
        let td = &service.task_definition;
        if out.iter().any(|e| e.family == td.family.value) {
            continue;
        }
        out.push(Exported {
            family: td.family.value.clone(),
            json: task_definition(td),
        });
    }
    out
}

/// The `register-task-definition` JSON of one task definition.
#[must_use]
pub fn task_definition(td: &TaskDefinition) -> Json {
    let size = |v: &NumberOrString| match v {
        NumberOrString::Number(n) => Json::Str(n.to_string()),
        NumberOrString::String(x) => s(x),
    };
    Json::obj()
        .set("family", s(&td.family.value))
        .set(
            "taskRoleArn",
            td.task_role_arn.as_ref().map(|r| s(&r.value)),
        )
        .set(
            "executionRoleArn",
            td.execution_role_arn.as_ref().map(|r| s(&r.value)),
        )
        .set(
            "networkMode",
            td.network_mode.as_ref().map(|m| s(network_mode(m.value))),
        )
        .list(
            "containerDefinitions",
            td.container_definitions.iter().map(container).collect(),
        )
        .list("volumes", td.volumes.iter().map(volume).collect())
        .list(
            "requiresCompatibilities",
            td.requires_compatibilities
                .iter()
                .map(|c| s(launch_type(c.value)))
                .collect(),
        )
        .set("cpu", td.cpu.as_ref().map(|c| size(&c.value)))
        .set("memory", td.memory.as_ref().map(|m| size(&m.value)))
}

fn network_mode(m: NetworkMode) -> &'static str {
    match m {
        NetworkMode::Awsvpc => "awsvpc",
        NetworkMode::Bridge => "bridge",
        NetworkMode::Host => "host",
        NetworkMode::None => "none",
    }
}

fn launch_type(l: LaunchType) -> &'static str {
    match l {
        LaunchType::Ec2 => "EC2",
        LaunchType::Fargate => "FARGATE",
        LaunchType::External => "EXTERNAL",
    }
}

fn enabled(e: EnabledDisabled) -> &'static str {
    match e {
        EnabledDisabled::Enabled => "ENABLED",
        EnabledDisabled::Disabled => "DISABLED",
    }
}

/// `START`, `COMPLETE`, `SUCCESS` or `HEALTHY`.
#[must_use]
pub fn condition(c: DependencyCondition) -> &'static str {
    match c {
        DependencyCondition::Start => "START",
        DependencyCondition::Complete => "COMPLETE",
        DependencyCondition::Success => "SUCCESS",
        DependencyCondition::Healthy => "HEALTHY",
    }
}

fn strings(items: &[crate::syntax::document::S<String>]) -> Vec<Json> {
    items.iter().map(|i| s(&i.value)).collect()
}

fn container(c: &ContainerDefinition) -> Json {
    let ports = c
        .port_mappings
        .iter()
        .map(|p| {
            Json::obj()
                .set(
                    "containerPort",
                    Json::Int(i64::from(p.container_port.value)),
                )
                .set(
                    "hostPort",
                    p.host_port.as_ref().map(|h| Json::Int(i64::from(h.value))),
                )
                .set(
                    "protocol",
                    p.protocol.as_ref().map(|x| {
                        s(match x.value {
                            TransportProtocol::Tcp => "tcp",
                            TransportProtocol::Udp => "udp",
                        })
                    }),
                )
                .set("name", p.name.as_ref().map(|n| s(&n.value)))
                .set(
                    "appProtocol",
                    p.app_protocol.as_ref().map(|a| {
                        s(match a.value {
                            AppProtocol::Http => "http",
                            AppProtocol::Http2 => "http2",
                            AppProtocol::Grpc => "grpc",
                        })
                    }),
                )
        })
        .collect();
    let env = c
        .environment
        .iter()
        .map(|e| {
            Json::obj()
                .set("name", s(&e.name.value))
                .set("value", s(&e.value.value))
        })
        .collect();
    let mounts = c
        .mount_points
        .iter()
        .map(|m| {
            Json::obj()
                .set("sourceVolume", s(&m.source_volume.value))
                .set("containerPath", s(&m.container_path.value))
                .set(
                    "readOnly",
                    m.read_only.as_ref().map(|r| Json::Bool(r.value)),
                )
        })
        .collect();
    let secrets = c
        .secrets
        .iter()
        .map(|x| {
            Json::obj()
                .set("name", s(&x.name.value))
                .set("valueFrom", s(&x.value_from.value))
        })
        .collect();
    let deps = c
        .depends_on
        .iter()
        .map(|d| {
            Json::obj()
                .set("containerName", s(&d.container_name.value))
                .set("condition", s(condition(d.condition.value)))
        })
        .collect();
    let log = c.log_configuration.as_ref().map(|l| {
        let options: Vec<(String, Json)> =
            l.options.iter().map(|(k, v)| (k.clone(), s(v))).collect();
        let mut j = Json::obj().set("logDriver", s(&l.log_driver.value));
        if !options.is_empty() {
            j = j.set("options", Json::Obj(options));
        }
        j
    });
    let health = c.health_check.as_ref().map(|h| {
        let n = |v: &Option<crate::syntax::document::S<u32>>| {
            v.as_ref().map(|x| Json::Int(i64::from(x.value)))
        };
        Json::obj()
            .set("command", Json::Arr(strings(&h.command)))
            .set("interval", n(&h.interval))
            .set("timeout", n(&h.timeout))
            .set("retries", n(&h.retries))
            .set("startPeriod", n(&h.start_period))
    });
    Json::obj()
        .set("name", s(&c.name.value))
        .set("image", s(&c.image.value))
        .list("links", strings(&c.links))
        .list("portMappings", ports)
        .set(
            "essential",
            c.essential.as_ref().map(|e| Json::Bool(e.value)),
        )
        .list("entryPoint", strings(&c.entry_point))
        .list("command", strings(&c.command))
        .list("environment", env)
        .list("mountPoints", mounts)
        .list("secrets", secrets)
        .list("dependsOn", deps)
        .set("user", c.user.as_ref().map(|u| s(&u.value)))
        .set(
            "privileged",
            c.privileged.as_ref().map(|p| Json::Bool(p.value)),
        )
        .set(
            "readonlyRootFilesystem",
            c.readonly_root_filesystem
                .as_ref()
                .map(|r| Json::Bool(r.value)),
        )
        .set("logConfiguration", log)
        .set("healthCheck", health)
}

fn volume(v: &Volume) -> Json {
    let host = v
        .host
        .as_ref()
        .map(|h| Json::obj().set("sourcePath", h.source_path.as_ref().map(|p| s(&p.value))));
    let efs = v.efs_volume_configuration.as_ref().map(|e| {
        let auth = e.authorization_config.as_ref().map(|a| {
            Json::obj()
                .set(
                    "accessPointId",
                    a.access_point_id.as_ref().map(|x| s(&x.value)),
                )
                .set("iam", a.iam.as_ref().map(|x| s(enabled(x.value))))
        });
        Json::obj()
            .set("fileSystemId", s(&e.file_system_id.value))
            .set(
                "rootDirectory",
                e.root_directory.as_ref().map(|r| s(&r.value)),
            )
            .set(
                "transitEncryption",
                e.transit_encryption.as_ref().map(|t| s(enabled(t.value))),
            )
            .set(
                "transitEncryptionPort",
                e.transit_encryption_port
                    .as_ref()
                    .map(|p| Json::Int(i64::from(p.value))),
            )
            .set("authorizationConfig", auth)
    });
    Json::obj()
        .set("name", s(&v.name.value))
        .set("host", host)
        .set("efsVolumeConfiguration", efs)
}

/// The task definition inside `describe-task-definition` output (`{"taskDefinition": …}`), or
/// the value itself, without the read-only fields AWS adds. This is what export output is
/// compared with.
#[must_use]
pub fn comparable(value: &Value) -> Value {
    let inner = value.get("taskDefinition").unwrap_or(value);
    let mut v = inner.clone();
    if let Value::Object(m) = &mut v {
        for k in crate::interop::ecs::import::TASK_DEFINITION_READ_ONLY {
            m.remove(*k);
        }
    }
    v
}
