//! Each side's components as flat records: the component's id, where it sits, and every field
//! it sets as `path → value` (values as compact JSON), read from the model's text as generic
//! YAML so that every field, `aws:` passthrough included, is compared without a list of fields.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::{ComponentId, Kind, Model, qualified};

/// One component of one side.
#[derive(Clone, Debug)]
pub(super) struct Record {
    pub kind: Kind,
    /// The component's id name (`service/container` for containers and volumes).
    pub id: String,
    /// The name as written in its definition.
    pub short: String,
    /// The service it runs in (tasks, containers, volumes) or the load balancer (listeners).
    pub parent: Option<String>,
    /// Its id in the side's view: a node id, or `service:NAME` / `task:FAMILY` for a box.
    pub view_id: String,
    /// Every field but the name, flattened (`portMappings[0].containerPort`).
    pub fields: BTreeMap<String, String>,
    /// What identifies it whatever its name: an AWS ARN, or a container's image and ports.
    pub identity: Option<String>,
}

/// The records and the model-level fields (name, description, cluster, version) of one side.
pub(super) struct Side {
    pub records: Vec<Record>,
    pub model: BTreeMap<String, String>,
}

/// One side's records, from its parsed document (serialised back to generic values, so that
/// every field, `aws:` passthrough included, is compared without a list of fields and the text
/// is not read a second time) and its model (for view ids). The services at the indices in
/// `unchanged` (the same on the other side, see [`super::unchanged_services`]) are left out.
pub(super) fn side(model: &Model, unchanged: &HashSet<usize>) -> Result<Side, Error> {
    let d = &model.doc;
    let mut records = Vec::new();
    let mut top = BTreeMap::new();
    flatten("version", &value("version", &d.version)?, &mut top);
    flatten("name", &value("name", &d.name)?, &mut top);
    flatten(
        "description",
        &value("description", &d.description)?,
        &mut top,
    );
    flatten("cluster", &value("cluster", &d.cluster)?, &mut top);
    let mut add = |kind: Kind,
                   id: String,
                   short: String,
                   parent: Option<String>,
                   view_id: String,
                   fields: BTreeMap<String, String>| {
        let identity = identity(kind, &fields);
        records.push(Record {
            kind,
            id,
            short,
            parent,
            view_id,
            fields,
            identity,
        });
    };
    let node = |kind: Kind, name: &str| {
        model
            .reference_name(&ComponentId::new(kind, name.to_owned()))
            .to_owned()
    };
    for actor in &d.actors {
        let actor = &object("actors", actor)?;
        let name = name_of(actor, "name");
        add(
            Kind::Actor,
            name.clone(),
            name.clone(),
            None,
            node(Kind::Actor, &name),
            fields_of(actor, &["name"]),
        );
    }
    for lb in &d.load_balancers {
        let lb = &object("loadBalancers", lb)?;
        let name = name_of(lb, "name");
        add(
            Kind::LoadBalancer,
            name.clone(),
            name.clone(),
            None,
            name.clone(),
            fields_of(lb, &["name", "listeners"]),
        );
        for listener in items(lb, "listeners") {
            let id = listener.get("name").and_then(Value::as_str).map_or_else(
                || format!("{name}:{}", scalar(listener.get("port"))),
                str::to_owned,
            );
            add(
                Kind::Listener,
                id.clone(),
                id.clone(),
                Some(name.clone()),
                id,
                fields_of(listener, &["name"]),
            );
        }
    }
    let others = d
        .target_groups
        .iter()
        .map(|t| (Kind::TargetGroup, object("targetGroups", t)))
        .chain(
            d.file_systems
                .iter()
                .map(|f| (Kind::FileSystem, object("fileSystems", f))),
        );
    for (kind, item) in others {
        let item = &item?;
        let name = name_of(item, "name");
        add(
            kind,
            name.clone(),
            name.clone(),
            None,
            name,
            fields_of(item, &["name"]),
        );
    }
    // One service at a time: the generic copy of a large model's services is never whole.
    for (i, service) in d.services.iter().enumerate() {
        if unchanged.contains(&i) {
            continue;
        }
        let service = &object("services", service)?;
        let name = name_of(service, "serviceName");
        add(
            Kind::Service,
            name.clone(),
            name.clone(),
            None,
            format!("service:{name}"),
            fields_of(service, &["serviceName", "taskDefinition"]),
        );
        let Some(Value::Object(task)) = service.get("taskDefinition") else {
            continue;
        };
        let family = name_of(task, "family");
        add(
            Kind::Task,
            family.clone(),
            family.clone(),
            Some(name.clone()),
            format!("task:{family}"),
            fields_of(task, &["family", "containerDefinitions", "volumes"]),
        );
        for (key, kind) in [
            ("containerDefinitions", Kind::Container),
            ("volumes", Kind::Volume),
        ] {
            for item in items(task, key) {
                let short = name_of(item, "name");
                let id = qualified(&name, &short);
                let view_id = model
                    .reference_name(&ComponentId::new(kind, id.clone()))
                    .to_owned();
                add(
                    kind,
                    id,
                    short,
                    Some(name.clone()),
                    view_id,
                    fields_of(item, &["name"]),
                );
            }
        }
    }
    Ok(Side {
        records,
        model: top,
    })
}

/// `item` as a generic value.
fn value<T: serde::Serialize>(list: &str, item: &T) -> Result<Value, Error> {
    serde_json::to_value(item)
        .map_err(|e| Error::Invalid(format!("`{list}` cannot be compared: {e}")))
}

/// `item` as a generic object (an item of `list`).
fn object<T: serde::Serialize>(list: &str, item: &T) -> Result<Map<String, Value>, Error> {
    match value(list, item)? {
        Value::Object(map) => Ok(map),
        _ => Err(Error::Invalid(format!(
            "an item of `{list}` cannot be compared: it is not a mapping"
        ))),
    }
}

fn items<'v>(
    obj: &'v Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'v Map<String, Value>> {
    obj.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

fn name_of(obj: &Map<String, Value>, key: &str) -> String {
    scalar(obj.get(key))
}

/// A scalar as text: a string as it is, anything else as JSON.
fn scalar(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn fields_of(obj: &Map<String, Value>, skip: &[&str]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (key, value) in obj {
        if !skip.contains(&key.as_str()) {
            flatten(key, value, &mut out);
        }
    }
    out
}

/// `value` under `path`: objects by key, lists of scalars as one value, other lists by each
/// item's `name` (or `key`) when it has one, else by index.
fn flatten(path: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    match value {
        // Left out: a field the text does not set is `null` or empty in the parsed document.
        Value::Null => {}
        Value::Array(list) if list.is_empty() => {}
        Value::Object(map) => {
            for (key, v) in map {
                flatten(&format!("{path}.{key}"), v, out);
            }
        }
        Value::Array(list) if list.iter().any(|v| v.is_object() || v.is_array()) => {
            for (i, item) in list.iter().enumerate() {
                let label = item
                    .get("name")
                    .or_else(|| item.get("key"))
                    .and_then(Value::as_str)
                    .map_or_else(|| i.to_string(), str::to_owned);
                flatten(&format!("{path}[{label}]"), item, out);
            }
        }
        other => {
            out.insert(path.to_owned(), other.to_string());
        }
    }
}

/// What identifies a component whatever its name: an ARN among its `aws:` fields; for a file
/// system, its `fileSystemId`; for a container, its image and container ports.
fn identity(kind: Kind, fields: &BTreeMap<String, String>) -> Option<String> {
    let arn = fields
        .iter()
        .find(|(k, v)| k.starts_with("aws.") && v.starts_with("\"arn:"));
    if let Some((_, arn)) = arn {
        return Some(arn.clone());
    }
    if kind == Kind::FileSystem {
        return fields
            .get("fileSystemId")
            .map(|id| format!("file system {id}"));
    }
    if kind != Kind::Container {
        return None;
    }
    let image = fields.get("image")?;
    let mut ports: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k.starts_with("portMappings[") && k.ends_with("].containerPort"))
        .map(|(_, v)| v.as_str())
        .collect();
    ports.sort_unstable();
    Some(format!("image {image} ports {}", ports.join(",")))
}

#[cfg(test)]
mod tests {
    use crate::model::Kind;
    use crate::source::Source;

    /// Every field the text sets is a record field under its path in the text, `aws:`
    /// passthrough and lists of objects included; a field the text leaves out is not.
    #[test]
    fn records_hold_the_fields_the_text_sets() {
        let text = include_str!("../../architecture.yaml").replace(
            "    desiredCount: 1",
            "    desiredCount: 1\n    aws:\n      enableExecuteCommand: true",
        );
        let analysis = crate::analyze(&Source::new("a.yaml", text));
        let side = super::side(
            analysis.model.as_ref().expect("the reference loads"),
            &std::collections::HashSet::new(),
        )
        .unwrap();
        let service = side
            .records
            .iter()
            .find(|r| r.kind == Kind::Service)
            .unwrap();
        assert_eq!(
            service.fields.get("desiredCount").map(String::as_str),
            Some("1")
        );
        assert_eq!(
            service
                .fields
                .get("aws.enableExecuteCommand")
                .map(String::as_str),
            Some("true")
        );
        assert!(
            !service
                .fields
                .keys()
                .any(|k| k.starts_with("capacityProviderStrategy"))
        );
        let api = side
            .records
            .iter()
            .find(|r| r.kind == Kind::Container && r.short == "goals-backend")
            .unwrap();
        assert_eq!(
            api.fields
                .get("portMappings[0].containerPort")
                .map(String::as_str),
            Some("80")
        );
        assert!(
            api.identity
                .as_deref()
                .is_some_and(|i| i.ends_with("ports 80"))
        );
        assert_eq!(
            side.model.get("name").map(String::as_str),
            Some("\"Goals API on ECS\"")
        );
    }
}
