//! Merging two compose trees, by the rules of the compose specification ("Merge and override")
//! as compose-go implements them: for several `-f` files (each onto the ones before it) and for
//! `extends` (the service onto the one it extends).
//!
//! - Mappings merge key by key; a scalar replaces a scalar; sequences are appended. A value of
//!   another kind than the one it meets is an error, except null, which changes nothing.
//! - `command`, `entrypoint` and `healthcheck.test` are replaced, not appended.
//! - `environment` (a list or a mapping) merges by variable name; `labels`, `env_file`, `dns`,
//!   `tmpfs`, `sysctls`, `extra_hosts`, … are appended as lists.
//! - `depends_on`, `networks` and `build` are first made mappings (a list of names, a string),
//!   then merged; `logging` merges only for the same driver.
//! - `x-…` extension keys are replaced.
//! - `!reset` removes the value it is put on; `!override` replaces instead of merging.
//!
//! After merging, [`unique`] keeps one entry per unique key in the lists the specification
//! names: ports by (host IP, published, target, protocol), volumes, secrets and configs by
//! target, environment and labels by name, …; a later entry replaces an earlier one in its place.

use std::collections::HashMap;

use super::ImportError;
use super::yaml::{Tag, V, Y};

/// How the value at a path merges.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    Default,
    Replace,
    /// Both sides as lists, appended.
    Append,
    /// Both sides as `NAME: value` mappings, merged by name.
    Environment,
    /// A list of names becomes a mapping of names to `{condition: service_started}`.
    DependsOn,
    /// A list of names becomes a mapping of names to nothing.
    Networks,
    /// A string is `{context: …}`.
    Build,
    Logging,
}

fn rule(path: &[String]) -> Rule {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    match p.as_slice() {
        ["services", _, "command" | "entrypoint"]
        | ["services", _, "healthcheck", "test"]
        | ["services", _, "ulimits", _] => Rule::Replace,
        ["services", _, "environment"] => Rule::Environment,
        ["services", _, "depends_on"] => Rule::DependsOn,
        ["services", _, "networks"] => Rule::Networks,
        ["services", _, "build"] => Rule::Build,
        ["services", _, "logging"] => Rule::Logging,
        [
            "services",
            _,
            "labels" | "annotations" | "env_file" | "label_file" | "dns" | "dns_opt" | "dns_search"
            | "tmpfs" | "sysctls" | "extra_hosts",
        ]
        | [
            "services",
            _,
            "build",
            "args" | "labels" | "additional_contexts" | "extra_hosts",
        ]
        | ["services", _, "deploy", "labels"]
        | ["networks" | "volumes", _, "labels"] => Rule::Append,
        _ => Rule::Default,
    }
}

fn place(path: &[String]) -> String {
    path.join(".")
}

/// `over` merged onto `base`; `path` is where they are (`["services", "api"]`).
///
/// # Errors
/// A value of another kind than the one it overrides (a list over a mapping, …).
pub(super) fn merge(base: Y, over: Y, path: &mut Vec<String>) -> Result<Y, ImportError> {
    if over.tag == Tag::Override {
        return Ok(Y {
            tag: Tag::None,
            ..over
        });
    }
    if over.is_null() && over.tag == Tag::None {
        return Ok(base);
    }
    match rule(path) {
        Rule::Replace => return Ok(over),
        Rule::Append => {
            let mut items = as_list(base.clone());
            items.extend(as_list(over));
            return Ok(Y::at(V::Seq(items), &base));
        }
        Rule::Environment => {
            let mut entries = env_entries(&base);
            set_entries(&mut entries, env_entries(&over));
            return Ok(Y::at(V::Map(entries), &base));
        }
        Rule::DependsOn | Rule::Networks | Rule::Build => {
            let r = rule(path);
            let b = as_mapping(base, r);
            let o = as_mapping(over, r);
            return merge_mappings(b, o, path);
        }
        Rule::Logging => {
            let driver = |y: &Y| y.get("driver").and_then(Y::scalar);
            if let (Some(a), Some(b)) = (driver(&base), driver(&over))
                && a != b
            {
                return Ok(over);
            }
        }
        Rule::Default => {}
    }
    match (&base.v, &over.v) {
        (V::Map(_), V::Map(_)) => merge_mappings(base, over, path),
        (V::Seq(_), V::Seq(_)) => {
            let V::Seq(mut items) = base.v else {
                return Ok(over);
            };
            let V::Seq(more) = over.v else {
                return Ok(over);
            };
            items.extend(more);
            Ok(Y {
                v: V::Seq(items),
                ..base
            })
        }
        (V::Map(_) | V::Seq(_), _) | (_, V::Map(_) | V::Seq(_)) => Err(ImportError::at(
            &over,
            format!(
                "cannot merge `{}`: {} here, but {} in the file before",
                place(path),
                over.kind(),
                base.kind()
            ),
        )
        .help("compose merges values of the same kind; use `!override` to replace one")),
        _ => Ok(over),
    }
}

/// Two mappings merged key by key.
fn merge_mappings(base: Y, over: Y, path: &mut Vec<String>) -> Result<Y, ImportError> {
    let V::Map(mut entries) = base.v else {
        return Ok(over);
    };
    let V::Map(more) = over.v else {
        return Ok(Y {
            v: V::Map(entries),
            ..base
        });
    };
    let mut index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, (k, _))| k.scalar().map(|k| (k, i)))
        .collect();
    // Keys removed by `!reset` are marked, and dropped at the end (indexes stay valid).
    let mut removed = false;
    for (k, v) in more {
        let key = k.scalar().unwrap_or_default();
        match (index.get(&key).copied(), v.tag) {
            (Some(i), Tag::Reset) => {
                entries[i].1 = v;
                removed = true;
            }
            (None, Tag::Reset) => {}
            (Some(i), _) if key.starts_with("x-") => entries[i].1 = v,
            (Some(i), _) => {
                let old = std::mem::replace(&mut entries[i].1, Y::at(V::Null, &k));
                path.push(key);
                let merged = merge(old, v, path);
                path.pop();
                entries[i].1 = merged?;
            }
            (None, _) => {
                index.insert(key, entries.len());
                entries.push((k, v));
            }
        }
    }
    if removed {
        entries.retain(|(_, v)| v.tag != Tag::Reset);
    }
    Ok(Y {
        v: V::Map(entries),
        ..base
    })
}

/// A value as list items: a list as it is, a mapping as `KEY=value` strings, a scalar as one
/// item, null as none.
fn as_list(y: Y) -> Vec<Y> {
    match y.v {
        V::Seq(items) => items,
        V::Map(entries) => entries
            .into_iter()
            .map(|(k, v)| {
                let key = k.scalar().unwrap_or_default();
                match v.scalar() {
                    Some(val) => Y::str_at(format!("{key}={val}"), &k),
                    None => Y::str_at(key, &k),
                }
            })
            .collect(),
        V::Null => Vec::new(),
        _ => vec![y],
    }
}

/// An `environment` as (name, value) entries: a list's `NAME=value` and `NAME` (no value: null),
/// or a mapping's entries.
pub(super) fn env_entries(y: &Y) -> Vec<(Y, Y)> {
    match &y.v {
        V::Map(entries) => entries.clone(),
        V::Seq(items) => items
            .iter()
            .map(|i| {
                let text = i.scalar().unwrap_or_default();
                match text.split_once('=') {
                    Some((k, v)) => (Y::str_at(k, i), Y::str_at(v, i)),
                    None => (Y::str_at(text, i), Y::at(V::Null, i)),
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Set each of `more` in mapping entries: in the place of an earlier entry of that name, or at
/// the end; a `!reset` value removes the name.
pub(super) fn set_entries(entries: &mut Vec<(Y, Y)>, more: Vec<(Y, Y)>) {
    let mut index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, (k, _))| k.scalar().map(|k| (k, i)))
        .collect();
    let mut reset = false;
    for (key, value) in more {
        let name = key.scalar().unwrap_or_default();
        if value.tag == Tag::Reset {
            if let Some(&i) = index.get(&name) {
                entries[i].1 = value;
                reset = true;
            }
            continue;
        }
        if let Some(&i) = index.get(&name) {
            entries[i].1 = value;
        } else {
            index.insert(name, entries.len());
            entries.push((key, value));
        }
    }
    if reset {
        entries.retain(|(_, v)| v.tag != Tag::Reset);
    }
}

/// `depends_on` and `networks` lists, and a `build` string, as mappings.
fn as_mapping(y: Y, rule: Rule) -> Y {
    let entries = match &y.v {
        V::Seq(items) => items
            .iter()
            .map(|i| {
                let value = if rule == Rule::DependsOn {
                    Y::at(
                        V::Map(vec![(
                            Y::str_at("condition", i),
                            Y::str_at("service_started", i),
                        )]),
                        i,
                    )
                } else {
                    Y::at(V::Null, i)
                };
                (i.clone(), value)
            })
            .collect(),
        V::Str(s) if rule == Rule::Build => {
            vec![(Y::str_at("context", &y), Y::str_at(s.clone(), &y))]
        }
        _ => return y,
    };
    Y {
        v: V::Map(entries),
        ..y
    }
}

/// Values tagged `!reset` removed (a file may reset what it sets itself, or what it adds for a
/// later file), and `!override` tags dropped.
pub(super) fn strip_tags(y: &mut Y) {
    y.tag = Tag::None;
    match &mut y.v {
        V::Map(entries) => {
            entries.retain(|(_, v)| v.tag != Tag::Reset);
            for (_, v) in entries {
                strip_tags(v);
            }
        }
        V::Seq(items) => {
            items.retain(|i| i.tag != Tag::Reset);
            for i in items {
                strip_tags(i);
            }
        }
        _ => {}
    }
}

/// The unique key of a list entry at `path`, or `None` for lists that are not unique.
fn unique_key(path: &[&str], item: &Y) -> Option<String> {
    let text = item.scalar();
    let field = |k: &str| item.get(k).and_then(Y::scalar);
    let before_eq = |t: String| t.split_once('=').map_or(t.clone(), |(k, _)| k.to_owned());
    match path {
        ["services", _, "ports"] => Some(port_key(item)),
        ["services", _, "volumes" | "devices"] => match text {
            Some(t) => {
                let parts: Vec<&str> = t.split(':').collect();
                Some(match parts.as_slice() {
                    [_, tgt] | [_, tgt, _] => (*tgt).to_owned(),
                    _ => t.clone(),
                })
            }
            None => field("target"),
        },
        ["services", _, "secrets"] => text
            .map(|s| format!("/run/secrets/{s}"))
            .or_else(|| field("target"))
            .or_else(|| field("source").map(|s| format!("/run/secrets/{s}"))),
        ["services", _, "configs"] => text
            .map(|s| format!("/{s}"))
            .or_else(|| field("target"))
            .or_else(|| field("source").map(|s| format!("/{s}"))),
        ["services", _, "env_file"] => text.or_else(|| field("path")),
        [
            "services",
            _,
            "environment" | "expose" | "profiles" | "cap_add" | "cap_drop" | "links" | "labels"
            | "annotations" | "dns" | "dns_opt" | "dns_search" | "tmpfs" | "sysctls"
            | "extra_hosts",
        ] => text.map(before_eq),
        _ => None,
    }
}

/// A port's unique key: host IP, published port, container port and protocol, in short or long
/// syntax alike.
fn port_key(item: &Y) -> String {
    if let Some(text) = item.scalar() {
        let (body, proto) = text.rsplit_once('/').unwrap_or((&text, "tcp"));
        let (ip, rest) = match body.strip_prefix('[') {
            Some(r) => r.split_once("]:").map_or(("", r), |(ip, rest)| (ip, rest)),
            None => match body.matches(':').count() {
                2 => body.split_once(':').unwrap_or(("", body)),
                _ => ("", body),
            },
        };
        let (published, target) = rest.rsplit_once(':').unwrap_or(("", rest));
        return format!("{ip}|{published}|{target}|{}", proto.to_ascii_lowercase());
    }
    let f = |k: &str| item.get(k).and_then(Y::scalar).unwrap_or_default();
    let proto = item
        .get("protocol")
        .and_then(Y::scalar)
        .unwrap_or_else(|| "tcp".to_owned());
    format!(
        "{}|{}|{}|{}",
        f("host_ip"),
        f("published"),
        f("target"),
        proto.to_ascii_lowercase()
    )
}

/// Keep one entry per unique key in the lists compose keeps unique, anywhere in the tree.
pub(super) fn unique(y: &mut Y, path: &mut Vec<String>) {
    match &mut y.v {
        V::Map(entries) => {
            for (k, v) in entries.iter_mut() {
                path.push(k.scalar().unwrap_or_default());
                unique(v, path);
                path.pop();
            }
        }
        V::Seq(items) => {
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            let mut kept: Vec<Y> = Vec::with_capacity(items.len());
            let mut keys: HashMap<String, usize> = HashMap::new();
            for item in items.drain(..) {
                match unique_key(&p, &item) {
                    Some(key) => {
                        if let Some(&i) = keys.get(&key) {
                            kept[i] = item;
                        } else {
                            keys.insert(key, kept.len());
                            kept.push(item);
                        }
                    }
                    None => kept.push(item),
                }
            }
            *items = kept;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::compose::yaml;

    fn merged(a: &str, b: &str) -> Y {
        let mut y = merge(
            yaml::parse(a, 0).unwrap(),
            yaml::parse(b, 1).unwrap(),
            &mut Vec::new(),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        strip_tags(&mut y);
        unique(&mut y, &mut Vec::new());
        y
    }

    fn list(y: Option<&Y>) -> Vec<String> {
        match y.map(|y| &y.v) {
            Some(V::Seq(items)) => items
                .iter()
                .map(|i| {
                    i.scalar().unwrap_or_else(|| {
                        format!(
                            "{{target {}}}",
                            i.get("target").and_then(Y::scalar).unwrap_or_default()
                        )
                    })
                })
                .collect(),
            Some(V::Map(entries)) => entries
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        k.scalar().unwrap_or_default(),
                        v.scalar().unwrap_or_else(|| "~".to_owned())
                    )
                })
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    fn svc<'a>(y: &'a Y, key: &str) -> Option<&'a Y> {
        y.get("services")?.get("api")?.get(key)
    }

    #[test]
    fn mappings_merge_and_scalars_are_replaced() {
        let y = merged(
            "services:\n  api:\n    image: a:1\n    user: root\n",
            "services:\n  api:\n    image: a:2\n  db:\n    image: pg\n",
        );
        assert_eq!(svc(&y, "image").and_then(Y::scalar).as_deref(), Some("a:2"));
        assert_eq!(svc(&y, "user").and_then(Y::scalar).as_deref(), Some("root"));
        assert!(y.get("services").and_then(|s| s.get("db")).is_some());
        // The overriding value keeps its own file, for messages.
        assert_eq!(svc(&y, "image").map(|i| i.file), Some(1));
    }

    #[test]
    fn port_lists_are_appended_and_kept_unique() {
        let y = merged(
            "services:\n  api:\n    ports: ['8080:80', '9000:9000']\n",
            "services:\n  api:\n    ports: ['8080:80/tcp', '8443:443', {target: 9000, published: '9000'}]\n",
        );
        assert_eq!(
            list(svc(&y, "ports")),
            ["8080:80/tcp", "{target 9000}", "8443:443"]
        );
        let y = merged(
            "services:\n  api:\n    ports: ['8080:80']\n",
            "services:\n  api:\n    ports: !override ['8443:443']\n",
        );
        assert_eq!(list(svc(&y, "ports")), ["8443:443"]);
        let y = merged(
            "services:\n  api:\n    ports: ['8080:80']\n    image: x\n",
            "services:\n  api:\n    ports: !reset []\n",
        );
        assert!(svc(&y, "ports").is_none());
        assert!(svc(&y, "image").is_some());
    }

    #[test]
    fn environment_merges_by_name_in_either_syntax() {
        let y = merged(
            "services:\n  api:\n    environment:\n      A: '1'\n      B: '2'\n      C: '3'\n",
            "services:\n  api:\n    environment: ['B=two', 'D=4', 'E']\n",
        );
        assert_eq!(
            list(svc(&y, "environment")),
            ["A=1", "B=two", "C=3", "D=4", "E=~"]
        );
        let y = merged(
            "services:\n  api:\n    environment: ['A=1', 'B=2']\n",
            "services:\n  api:\n    environment:\n      A: !reset null\n",
        );
        assert_eq!(list(svc(&y, "environment")), ["B=2"]);
    }

    #[test]
    fn commands_are_replaced() {
        let y = merged(
            "services:\n  api:\n    command: [npm, start]\n    entrypoint: /bin/a\n    healthcheck: {test: [CMD, a], interval: 5s}\n",
            "services:\n  api:\n    command: node server.js\n    healthcheck: {test: [CMD, b]}\n",
        );
        assert_eq!(
            svc(&y, "command").and_then(Y::scalar).as_deref(),
            Some("node server.js")
        );
        assert_eq!(
            svc(&y, "entrypoint").and_then(Y::scalar).as_deref(),
            Some("/bin/a")
        );
        let hc = svc(&y, "healthcheck").unwrap();
        assert_eq!(list(hc.get("test")), ["CMD", "b"]);
        assert_eq!(
            hc.get("interval").and_then(Y::scalar).as_deref(),
            Some("5s")
        );
    }

    #[test]
    fn volumes_are_unique_by_target() {
        let y = merged(
            "services:\n  api:\n    volumes: ['foo:/work', 'data:/data']\n",
            "services:\n  api:\n    volumes: ['bar:/work', {type: volume, source: x, target: /data}]\n",
        );
        assert_eq!(list(svc(&y, "volumes")), ["bar:/work", "{target /data}"]);
    }

    #[test]
    fn depends_on_lists_and_mappings_merge() {
        let y = merged(
            "services:\n  api:\n    depends_on: [db]\n",
            "services:\n  api:\n    depends_on:\n      cache:\n        condition: service_healthy\n",
        );
        let d = svc(&y, "depends_on").unwrap();
        assert_eq!(
            d.get("db")
                .and_then(|c| c.get("condition"))
                .and_then(Y::scalar)
                .as_deref(),
            Some("service_started")
        );
        assert!(d.get("cache").is_some());
    }

    #[test]
    fn values_of_another_kind_are_an_error_with_their_place() {
        let e = merge(
            yaml::parse("services:\n  api:\n    deploy: {replicas: 2}\n", 0).unwrap(),
            yaml::parse("services:\n  api:\n    deploy: [x]\n", 1).unwrap(),
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(e.message.contains("services.api.deploy"), "{e:?}");
        assert_eq!((e.source, e.line), (1, 3));
        // Null changes nothing.
        let y = merged(
            "services:\n  api:\n    image: x\n",
            "services:\n  api:\n    image:\n",
        );
        assert_eq!(svc(&y, "image").and_then(Y::scalar).as_deref(), Some("x"));
    }

    #[test]
    fn unique_lists_in_one_file() {
        let y = merged(
            "services:\n  api:\n    ports: ['80:80', '80:80']\n    environment: [A=1, A=2]\n",
            "{}",
        );
        assert_eq!(list(svc(&y, "ports")), ["80:80"]);
        // A variable set twice keeps its first place and its last value, as in compose.
        assert_eq!(list(svc(&y, "environment")), ["A=2"]);
    }
}
