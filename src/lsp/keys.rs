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
            Seg::Key(k) => alternatives(node)
                .into_iter()
                .find_map(|n| n.get("properties").and_then(|p| p.get(k.as_str())))
                .or_else(|| node.get("additionalProperties").filter(|v| v.is_object()))?,
            Seg::Item(_) => node.get("items")?,
        };
        node = resolve(node);
    }
    Some(node)
}

/// The mapping shapes a node may take: itself, or each of its `oneOf` alternatives (a flow
/// item is a step or a group).
fn alternatives(node: &'static Value) -> Vec<&'static Value> {
    match node.get("oneOf").and_then(Value::as_array) {
        Some(list) => list.iter().map(resolve).collect(),
        None => vec![node],
    }
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
    // A key is required when every shape the mapping may take requires it.
    let shapes = alternatives(node);
    let required_in = |shape: &'static Value, name: &str| {
        shape
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|v| v.as_str() == Some(name)))
    };
    let mut out: Vec<Key> = Vec::new();
    for shape in &shapes {
        let Some(props) = shape.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (name, v) in props {
            if out.iter().any(|k| k.name == name.as_str()) {
                continue;
            }
            let target = resolve(v);
            let nested = matches!(types(target).as_slice(), ["object" | "array", ..])
                || target.get("properties").is_some();
            out.push(Key {
                name: name.as_str(),
                description: description(v).unwrap_or(""),
                required: shapes.iter().all(|s| required_in(s, name)),
                nested,
            });
        }
    }
    out
}

/// The description of key `key` of the mapping at `path`.
#[must_use]
pub fn key_description(path: &[Seg], key: &str) -> Option<&'static str> {
    let node = at(path)?;
    alternatives(node)
        .into_iter()
        .find_map(|n| n.get("properties")?.get(key))
        .and_then(description)
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
    fn a_flow_item_is_a_step_or_a_group_at_any_depth() {
        let item = path(&["flows", "-", "steps", "-"]);
        let names: Vec<&str> = keys(&item).iter().map(|k| k.name).collect();
        for key in ["from", "to", "action", "async", "alt", "opt", "par", "loop"] {
            assert!(names.contains(&key), "{key} in {names:?}");
        }
        // Neither shape's keys are required of the other.
        assert!(keys(&item).iter().all(|k| !k.required));
        let inner = path(&["flows", "-", "steps", "-", "alt", "-", "steps", "-"]);
        assert!(keys(&inner).iter().any(|k| k.name == "from"));
        assert!(key_description(&inner, "to").is_some_and(|d| d.contains("receives")));
        let branch = path(&["flows", "-", "steps", "-", "loop"]);
        assert!(keys(&branch).iter().any(|k| k.name == "when"));
        assert_eq!(
            values(
                &path(&["flows", "-", "steps", "-", "opt", "steps", "-"]),
                "async"
            ),
            ["true", "false"]
        );
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
