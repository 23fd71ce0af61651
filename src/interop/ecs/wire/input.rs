//! Input and output: the fields AWS sets in `describe-*` output that are not input (one list per
//! API, used by import, export, drift and the tests), `describe-*` output turned into the input
//! it was created from, and the form in which two task definitions or two services are compared.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use super::{CreateService, DescribeTaskDefinition, Service, TaskDefinition, to_value};

/// The fields of a task definition (`describe-task-definition`'s `taskDefinition`) that AWS sets:
/// they are not `register-task-definition` input. Import leaves them out, export never writes
/// them, drift does not compare them.
pub const TASK_DEFINITION_READ_ONLY: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
    "deleteRequestedAt",
];

/// The fields of a service in `describe-services` output that AWS sets: its state, counts,
/// history and the platform it resolved. They are not `create-service` input.
pub const SERVICE_READ_ONLY: &[&str] = &[
    "serviceArn",
    "status",
    "runningCount",
    "pendingCount",
    "platformFamily",
    "taskSets",
    "deployments",
    "events",
    "createdAt",
    "createdBy",
    "currentServiceDeployment",
    "currentServiceRevisions",
    "resourceManagementType",
];

/// Fields of `describe-services` output that are `create-service` input under another name.
pub const SERVICE_RENAMED: &[(&str, &str)] = &[("clusterArn", "cluster"), ("roleArn", "role")];

/// `create-service` input that `describe-services` shows only in the service's deployments: read
/// from the `PRIMARY` one.
pub const FROM_PRIMARY_DEPLOYMENT: &[&str] = &[
    "serviceConnectConfiguration",
    "volumeConfigurations",
    "vpcLatticeConfigurations",
];

/// Whether a service's `roleArn` is the ECS service-linked role, which AWS fills in when a
/// service is created without `role` (and which `create-service` refuses for `awsvpc` services).
#[must_use]
pub fn is_service_linked_role(arn: &str) -> bool {
    arn.contains(":role/aws-service-role/")
}

/// The short name of an ARN: a target group's or load balancer's name, a task definition's
/// family, otherwise the last part of the resource path (`…:role/ecsTaskExecutionRole` →
/// `ecsTaskExecutionRole`). Anything that is not an ARN is returned as it is.
#[must_use]
pub fn short_name(arn: &str) -> String {
    if !arn.starts_with("arn:") {
        return arn.to_owned();
    }
    let resource = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    let parts: Vec<&str> = resource.split('/').collect();
    match parts.as_slice() {
        ["targetgroup", name, ..] | ["loadbalancer", "app" | "net" | "gwy", name, ..] => {
            (*name).to_owned()
        }
        ["task-definition", fam] => fam.split(':').next().unwrap_or(fam).to_owned(),
        [.., last] if !last.is_empty() => (*last).to_owned(),
        _ => resource.rsplit(':').next().unwrap_or(resource).to_owned(),
    }
}

/// A wire object with some of its keys changed as JSON, read as the wire type `U` (the same type
/// or another). `None` when a value no longer fits (impossible for the edits made here).
fn edit<T: Serialize, U: DeserializeOwned>(
    object: &T,
    change: impl FnOnce(&mut Map<String, Value>),
) -> Option<U> {
    let Value::Object(mut map) = to_value(object) else {
        return None;
    };
    change(&mut map);
    serde_json::from_value(Value::Object(map)).ok()
}

impl TaskDefinition {
    /// Clear the fields that AWS sets in `describe-task-definition` output
    /// ([`TASK_DEFINITION_READ_ONLY`]): what is left is `register-task-definition` input.
    pub fn remove_read_only(&mut self) {
        if let Some(input) = edit(self, |m| {
            for key in TASK_DEFINITION_READ_ONLY {
                m.remove(*key);
            }
        }) {
            *self = input;
        }
    }
}

impl DescribeTaskDefinition {
    /// The `register-task-definition` input this output describes: the task definition without
    /// its read-only fields, with the output's `tags` (which `register-task-definition` takes
    /// inside). `None` without a `taskDefinition`.
    #[must_use]
    pub fn input(&self) -> Option<TaskDefinition> {
        let mut td = self.task_definition.clone()?;
        td.remove_read_only();
        if td.tags.is_none() {
            td.tags.clone_from(&self.tags);
        }
        Some(td)
    }
}

impl Service {
    /// The `create-service` input of a service in `describe-services` output: without the fields
    /// AWS sets ([`SERVICE_READ_ONLY`]), `clusterArn` as `cluster` and `roleArn` as `role`
    /// ([`SERVICE_RENAMED`]; the service-linked role, which AWS fills in, is left out), and the
    /// settings `describe-services` shows only in the `PRIMARY` deployment
    /// ([`FROM_PRIMARY_DEPLOYMENT`]).
    #[must_use]
    pub fn create_input(&self) -> CreateService {
        let primary = self.deployments.as_ref().and_then(|ds| {
            ds.iter()
                .find(|d| d.status.as_deref() == Some("PRIMARY"))
                .map(to_value)
        });
        let input = edit(self, |m| {
            if let Some(Value::Object(deployment)) = &primary {
                for key in FROM_PRIMARY_DEPLOYMENT {
                    if let Some(v) = deployment.get(*key) {
                        m.entry(*key).or_insert_with(|| v.clone());
                    }
                }
            }
            for key in SERVICE_READ_ONLY {
                m.remove(*key);
            }
            if m.get("roleArn")
                .and_then(Value::as_str)
                .is_some_and(is_service_linked_role)
            {
                m.remove("roleArn");
            }
            for (from, to) in SERVICE_RENAMED {
                if let Some(v) = m.remove(*from) {
                    m.insert((*to).to_owned(), v);
                }
            }
        });
        input.unwrap_or_default()
    }
}

/// A task definition as drift and the round-trip tests compare it: `register-task-definition`
/// input as a JSON value (see [`comparable`]).
#[must_use]
pub fn comparable_task_definition(td: &TaskDefinition) -> Value {
    let mut td = td.clone();
    td.remove_read_only();
    let mut value = to_value(&td);
    if let Value::Object(m) = &mut value {
        for key in ["cpu", "memory"] {
            if let Some(Value::Number(n)) = m.get(key) {
                let s = n.to_string();
                m.insert(key.to_owned(), Value::String(s));
            }
        }
        if let Some(Value::Array(containers)) = m.get_mut("containerDefinitions") {
            for c in containers.iter_mut().filter_map(Value::as_object_mut) {
                for key in ["cpu", "memory", "memoryReservation"] {
                    let number = c
                        .get(key)
                        .and_then(Value::as_str)
                        .and_then(|s| s.parse::<u64>().ok());
                    if let Some(n) = number {
                        c.insert(key.to_owned(), Value::Number(Number::from(n)));
                    }
                }
            }
        }
    }
    comparable(&mut value);
    value
}

/// A service's `create-service` input as drift and the round-trip tests compare it (see
/// [`comparable`]). `taskDefinition` is compared by family: export writes the family, so that the
/// service runs the latest revision registered.
#[must_use]
pub fn comparable_service(input: &CreateService) -> Value {
    let mut value = to_value(input);
    if let Value::Object(m) = &mut value
        && let Some(Value::String(td)) = m.get_mut("taskDefinition")
    {
        *td = short_name(td);
    }
    comparable(&mut value);
    value
}

/// What is the same to AWS is made the same in a JSON value: `null` and an empty list are no
/// value (describe output writes `[]` for lists left out; a model cannot tell them apart), and so
/// is an empty `options` map. Task `cpu` and `memory` are strings and container `cpu`, `memory`
/// and `memoryReservation` numbers, as the API types them (see [`comparable_task_definition`]).
pub fn comparable(value: &mut Value) {
    match value {
        Value::Object(m) => {
            m.retain(|key, v| match v {
                Value::Null => false,
                Value::Array(items) => !items.is_empty(),
                Value::Object(o) => !(o.is_empty() && key == "options"),
                _ => true,
            });
            m.values_mut().for_each(comparable);
        }
        Value::Array(items) => items.iter_mut().for_each(comparable),
        _ => {}
    }
}

/// What AWS assumes for a field left out, as `describe-*` output shows it (AWS writes most of
/// these into the output even when the input left them out): drift does not count a field one
/// side leaves out and the other has at this value. `object` is the key of the object the field
/// is in (`healthCheck`, `portMappings`, …; `taskDefinition` or `service` at the top), `siblings`
/// the object's other fields and `network_mode` the task's.
#[must_use]
pub fn aws_default(
    object: &str,
    field: &str,
    siblings: &Map<String, Value>,
    network_mode: Option<&str>,
) -> Option<Value> {
    let value = match (object, field) {
        ("taskDefinition", "networkMode") => {
            let fargate = siblings
                .get("requiresCompatibilities")
                .and_then(Value::as_array)
                .is_some_and(|c| c.iter().any(|c| c == "FARGATE"));
            Value::from(if fargate { "awsvpc" } else { "bridge" })
        }
        ("containerDefinitions", "essential") => Value::Bool(true),
        ("containerDefinitions", "cpu") => Value::from(0),
        ("portMappings", "protocol") => Value::from("tcp"),
        // awsvpc and host tasks listen on the container port; bridge tasks get a dynamic one.
        ("portMappings", "hostPort") => match network_mode {
            Some("awsvpc" | "host") => siblings.get("containerPort")?.clone(),
            _ => Value::from(0),
        },
        ("mountPoints", "readOnly")
        | ("deploymentCircuitBreaker", "enable" | "rollback")
        | ("service", "enableECSManagedTags" | "enableExecuteCommand") => Value::Bool(false),
        ("healthCheck", "interval") => Value::from(30),
        ("healthCheck", "timeout") => Value::from(5),
        ("healthCheck", "retries") => Value::from(3),
        ("healthCheck", "startPeriod") | ("service", "healthCheckGracePeriodSeconds") => {
            Value::from(0)
        }
        ("efsVolumeConfiguration", "rootDirectory") => Value::from("/"),
        ("efsVolumeConfiguration", "transitEncryption")
        | ("authorizationConfig", "iam")
        | ("awsvpcConfiguration", "assignPublicIp") => Value::from("DISABLED"),
        ("runtimePlatform", "cpuArchitecture") => Value::from("X86_64"),
        ("runtimePlatform", "operatingSystemFamily") => Value::from("LINUX"),
        ("ephemeralStorage", "sizeInGiB") => Value::from(20),
        ("deploymentConfiguration", "maximumPercent") => Value::from(200),
        ("deploymentConfiguration", "minimumHealthyPercent") => Value::from(100),
        ("deploymentConfiguration", "strategy") => Value::from("ROLLING"),
        ("deploymentController", "type") => Value::from("ECS"),
        ("service", "schedulingStrategy") => Value::from("REPLICA"),
        ("service", "propagateTags") => Value::from("NONE"),
        ("service", "platformVersion") => Value::from("LATEST"),
        _ => return None,
    };
    Some(value)
}
