//! The model's JSON Schema, walked along a [`Context`] path: the keys a mapping may have (with
//! their descriptions, for completion and hover) and the values a key allows.

use std::sync::OnceLock;

use serde_json::Value;

use super::context::Seg;

/// The schema, generated once.
fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| Value::from(crate::syntax::schema::json_schema()))
}

/// Follow `$ref` and drop the `null` of an optional field (`anyOf: [X, null]`).
fn resolve(mut node: &'static Value) -> &'static Value {
    for _ in 0..8 {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let name = r.rsplit('/').next().unwrap_or("");
            match schema().get("$defs").and_then(|d| d.get(name)) {
                Some(target) => node = target,
                None => return node,
            }
            continue;
        }
        if let Some(any) = node.get("anyOf").and_then(Value::as_array) {
            let not_null: Vec<&Value> = any
                .iter()
                .filter(|v| v.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            if let [one] = not_null.as_slice() {
                node = one;
                continue;
            }
        }
        return node;
    }
    node
}

/// The schema of what `path` leads to (a mapping, a list or a scalar).
#[must_use]
pub fn at(path: &[Seg]) -> Option<&'static Value> {
    let mut node = resolve(schema());
    for seg in path {
        node = match seg {
            Seg::Key(k) => node
                .get("properties")
                .and_then(|p| p.get(k.as_str()))
                .or_else(|| node.get("additionalProperties").filter(|v| v.is_object()))?,
            Seg::Item(_) => node.get("items")?,
        };
        node = resolve(node);
    }
    Some(node)
}

/// A key a mapping may have.
pub struct Key {
    pub name: &'static str,
    pub description: &'static str,
    pub required: bool,
    /// Whether its value is a mapping or a list (written on the lines below).
    pub nested: bool,
}

/// The keys of the mapping at `path`, in the schema's (alphabetical) order.
#[must_use]
pub fn keys(path: &[Seg]) -> Vec<Key> {
    let Some(node) = at(path) else {
        return Vec::new();
    };
    let required: Vec<&str> = node
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(name, v)| {
            let target = resolve(v);
            let nested = matches!(types(target).as_slice(), ["object" | "array", ..])
                || target.get("properties").is_some();
            Key {
                name: name.as_str(),
                description: description(v).unwrap_or(""),
                required: required.contains(&name.as_str()),
                nested,
            }
        })
        .collect()
}

/// The description of key `key` of the mapping at `path`.
#[must_use]
pub fn key_description(path: &[Seg], key: &str) -> Option<&'static str> {
    let node = at(path)?;
    description(node.get("properties")?.get(key)?)
}

fn description(v: &'static Value) -> Option<&'static str> {
    v.get("description")
        .or_else(|| resolve(v).get("description"))
        .and_then(Value::as_str)
}

fn types(v: &Value) -> Vec<&str> {
    match v.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    }
}

/// The values key `key` of the mapping at `path` allows, when they are a fixed set (an enum, or
/// `true`/`false`).
#[must_use]
pub fn values(path: &[Seg], key: &str) -> Vec<String> {
    let mut full = path.to_vec();
    full.push(Seg::Key(key.to_owned()));
    let Some(node) = at(&full) else {
        return Vec::new();
    };
    let node = match node.get("items") {
        Some(items) => resolve(items),
        None => node,
    };
    let mut out = Vec::new();
    collect_values(node, &mut out);
    if out.is_empty() && types(node).contains(&"boolean") {
        out = vec!["true".to_owned(), "false".to_owned()];
    }
    out
}

fn collect_values(node: &'static Value, out: &mut Vec<String>) {
    let node = resolve(node);
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        out.extend(values.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    if let Some(c) = node.get("const").and_then(Value::as_str) {
        out.push(c.to_owned());
    }
    for alt in ["oneOf", "anyOf"] {
        if let Some(list) = node.get(alt).and_then(Value::as_array) {
            for v in list {
                collect_values(v, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(keys: &[&str]) -> Vec<Seg> {
        keys.iter()
            .map(|k| {
                if *k == "-" {
                    Seg::Item(0)
                } else {
                    Seg::Key((*k).to_owned())
                }
            })
            .collect()
    }

    #[test]
    fn keys_along_a_path() {
        let names: Vec<&str> = keys(&path(&["services", "-"]))
            .iter()
            .map(|k| k.name)
            .collect();
        assert!(names.contains(&"serviceName") && names.contains(&"taskDefinition"));
        let mount = keys(&path(&[
            "services",
            "-",
            "taskDefinition",
            "containerDefinitions",
            "-",
            "mountPoints",
            "-",
        ]));
        let source = mount.iter().find(|k| k.name == "sourceVolume").unwrap();
        assert!(source.required && !source.nested);
        assert!(!source.description.is_empty());
        assert!(keys(&[]).iter().any(|k| k.name == "services" && k.nested));
    }

    #[test]
    fn enum_and_boolean_values() {
        let svc = path(&["services", "-"]);
        assert_eq!(values(&svc, "launchType"), ["EC2", "FARGATE", "EXTERNAL"]);
        let fs = path(&["fileSystems", "-"]);
        assert_eq!(values(&fs, "encrypted"), ["true", "false"]);
        assert_eq!(
            values(&path(&["checks", "rules"]), "A010"),
            ["off", "info", "warning", "error"]
        );
    }
}
