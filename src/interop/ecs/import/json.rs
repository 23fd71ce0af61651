//! Reading a file's JSON into the wire types, and naming places in it for messages
//! (`taskDefinition.containerDefinitions[0].image`).

use std::fmt::Write as _;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use crate::interop::ecs::wire::{self};
use crate::interop::yaml_writer::Node;
use crate::syntax::document::AwsObject;

use super::{Ctx, ImportError, InputFile, Result};

/// Whether a text is a docker-compose file (YAML with top-level `services:`) rather than JSON.
pub(super) fn looks_like_compose(text: &str) -> bool {
    let first = text.trim_start().chars().next();
    if matches!(first, Some('{' | '[')) {
        return false;
    }
    text.lines().any(|l| l.starts_with("services:")) && !text.contains("taskDefinition:")
}

/// Parse a JSON file, with `file:line:col` in the message of a syntax error.
///
/// # Errors
/// Invalid JSON, or a YAML/compose file.
pub fn parse_json(file: &InputFile) -> Result<Value> {
    match serde_json::from_str::<Value>(&file.text) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = &file.path;
            if looks_like_compose(&file.text) {
                return Err(ImportError::file(
                    path,
                    "this looks like a docker-compose file; use `archflow import compose`",
                ));
            }
            let first = file.text.trim_start().chars().next();
            if !matches!(first, Some('{' | '[') | None) {
                if file.text.contains("containerDefinitions:") {
                    return Err(ImportError::file(
                        path,
                        "this looks like YAML (an archflow model?), not ECS JSON; \
                         `archflow import ecs` reads JSON such as `aws ecs describe-task-definition` prints",
                    ));
                }
                return Err(ImportError::new(
                    path,
                    e.line(),
                    e.column(),
                    format!(
                        "invalid JSON: {}; `archflow import ecs` reads JSON such as \
                         `aws ecs describe-task-definition` prints",
                        crate::error::json_reason(&e)
                    ),
                ));
            }
            Err(ImportError::new(
                path,
                e.line(),
                e.column(),
                format!("invalid JSON: {}", crate::error::json_reason(&e)),
            ))
        }
    }
}

pub(super) fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What a serde expectation (`i64`, `a sequence`, `struct Volume`, …) is in a message.
pub(super) fn expected_words(serde: &str) -> &str {
    match serde {
        "i64" => "a whole number",
        "a boolean" => "true or false",
        "a sequence" => "an array",
        "a map" => "an object",
        "a JSON number" => "a number",
        s if s.starts_with("struct ") => "an object",
        other => other,
    }
}

/// Read a file's JSON (parsed already into `value`, which messages quote) into a wire type. A
/// value of the wrong type is named with its place and position:
/// `file: place: expected a whole number, found "80" (line 1, column 97)`.
pub(super) fn typed<T: DeserializeOwned>(file: &InputFile, value: &Value) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(&file.text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let mut place = String::new();
        let mut found = Some(value);
        for segment in e.path() {
            match segment {
                Segment::Seq { index } => {
                    let _ = write!(place, "[{index}]");
                    found = found.and_then(|v| v.get(index));
                }
                Segment::Map { key } | Segment::Enum { variant: key } => {
                    place = join(&place, key);
                    found = found.and_then(|v| v.get(key));
                }
                Segment::Unknown => {
                    place = join(&place, "?");
                    found = None;
                }
            }
        }
        let inner = e.inner();
        let message = inner.to_string();
        let message = strip_position(&message);
        let what = match (message.rsplit_once(", expected "), found) {
            (Some((_, expected)), Some(v)) => {
                let expected = expected_words(expected);
                let scalar = !matches!(v, Value::Array(_) | Value::Object(_));
                let quote = matches!(
                    expected,
                    "a whole number" | "a number" | "true or false" | "a string or a number"
                );
                if scalar && quote {
                    format!("expected {expected}, found {v}")
                } else {
                    format!("expected {expected}, found {}", type_name(v))
                }
            }
            _ => message.to_owned(),
        };
        let place = if place.is_empty() {
            "top level"
        } else {
            &place
        };
        ImportError::new(
            &file.path,
            inner.line(),
            inner.column(),
            format!("{place}: {what}"),
        )
    })
}

pub(super) fn join(place: &str, key: &str) -> String {
    if place.is_empty() {
        key.to_owned()
    } else {
        format!("{place}.{key}")
    }
}

/// Where an object is: its file and its place in the file (`taskDefinition.volumes[0]`), for
/// messages.
#[derive(Clone)]
pub(super) struct Place<'a> {
    pub(super) file: &'a str,
    pub(super) path: String,
}

impl<'a> Place<'a> {
    pub(super) fn root(file: &'a str) -> Self {
        Self {
            file,
            path: String::new(),
        }
    }

    /// The place of a field.
    pub(super) fn key(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The place of an object field.
    pub(super) fn child(&self, key: &str) -> Self {
        Self {
            file: self.file,
            path: self.key(key),
        }
    }

    /// The place of an item of an array field.
    pub(super) fn item(&self, key: &str, index: usize) -> Self {
        self.child(&format!("{key}[{index}]"))
    }

    pub(super) fn err(&self, key: &str, what: &str) -> ImportError {
        ImportError::file(self.file, format!("{}: {what}", self.key(key)))
    }

    pub(super) fn missing(&self, key: &str) -> ImportError {
        let place = if self.path.is_empty() {
            "top level"
        } else {
            &self.path
        };
        ImportError::file(
            self.file,
            format!("{place}: missing required field `{key}`"),
        )
    }

    /// A field archflow needs: present and not blank.
    pub(super) fn required(&self, key: &str, value: Option<String>) -> Result<String> {
        match value {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(self.missing(key)),
        }
    }

    /// A whole number from 0 to `max`.
    pub(super) fn int(&self, key: &str, value: Option<i64>, max: i64) -> Result<Option<i64>> {
        match value {
            Some(n) if !(0..=max).contains(&n) => Err(self.err(
                key,
                &format!("expected a whole number from 0 to {max}, found {n}"),
            )),
            v => Ok(v),
        }
    }

    /// An enumerated value; a value archflow does not model is listed and left out.
    pub(super) fn enumerated(
        &self,
        ctx: &mut Ctx,
        key: &str,
        value: Option<String>,
        allowed: &[&str],
    ) -> Option<Node> {
        let v = value?;
        if allowed.contains(&v.as_str()) {
            Some(Node::Str(v))
        } else {
            ctx.not_imported.push(format!(
                "{}: {} = {v:?} (archflow knows {})",
                self.file,
                self.key(key),
                allowed.join(", ")
            ));
            None
        }
    }

    /// What is left of an object after the importer took the fields it models (its other AWS
    /// fields and its unknown keys, unchanged; `null` and `[]` are no value): the `aws:` of the
    /// model item `T` that stands for it, `None` when nothing is left. What `aws:` cannot hold is listed as not imported: a key
    /// `T` uses for one of archflow's own fields, and a value nested too deep for the model's
    /// YAML reader.
    pub(super) fn aws<T: AwsObject>(&self, ctx: &mut Ctx, object: &impl Serialize) -> Option<Node> {
        let mut node = Node::map();
        for (key, value) in ordered_fields(object) {
            // Describe output writes `[]` for lists left out: that is no value (see
            // `wire::comparable`), and not worth a line of YAML.
            if matches!(&value, Ordered::Null)
                || matches!(&value, Ordered::Array(a) if a.is_empty())
            {
                continue;
            }
            if T::models(&key) {
                ctx.not_imported.push(format!(
                    "{}: {} (archflow's own field of that name is something else)",
                    self.file,
                    self.key(&key)
                ));
            } else if depth(&value) > AWS_MAX_DEPTH {
                ctx.not_imported.push(format!(
                    "{}: {} (nested deeper than {AWS_MAX_DEPTH} levels)",
                    self.file,
                    self.key(&key)
                ));
            } else {
                node.insert(&key, value.node(), None);
            }
        }
        (node != Node::map()).then_some(node)
    }

    /// List what is left of an object that the model has no item for (a wrapper such as
    /// `describe-services` output): its other fields and its unknown keys, as `file: place.key`,
    /// in key order.
    pub(super) fn rest<T: Serialize>(&self, ctx: &mut Ctx, object: &T) {
        if let Value::Object(map) = wire::to_value(object) {
            for (key, value) in map {
                if !value.is_null() {
                    ctx.not_imported
                        .push(format!("{}: {}", self.file, self.key(&key)));
                }
            }
        }
    }
}

/// The deepest nesting of a value `aws:` keeps (the model's own levels and this stay well within
/// the YAML reader's limit of 64).
const AWS_MAX_DEPTH: usize = 32;

/// A JSON value with its objects' keys in the order they were written: the fields of an
/// object the importer keeps in `aws:` read in the AWS skeleton's order, as export writes them.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Ordered {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Ordered>),
    Object(indexmap::IndexMap<String, Ordered>),
}

impl Ordered {
    fn node(&self) -> Node {
        match self {
            Self::Null => Node::Null,
            Self::Bool(b) => Node::Bool(*b),
            Self::Number(n) => n
                .as_i64()
                .map_or_else(|| Node::Number(n.clone()), Node::Int),
            Self::String(s) => Node::Str(s.clone()),
            Self::Array(items) => Node::Seq(items.iter().map(Self::node).collect()),
            Self::Object(map) => {
                let mut node = Node::map();
                for (k, v) in map {
                    node.insert(k, v.node(), None);
                }
                node
            }
        }
    }
}

/// The fields of a wire object that are set, in the order serde writes them (the skeleton's,
/// then unknown keys).
fn ordered_fields(object: &impl Serialize) -> Vec<(String, Ordered)> {
    let text = serde_json::to_string(object).unwrap_or_default();
    serde_json::from_str::<indexmap::IndexMap<String, Ordered>>(&text)
        .map(|m| m.into_iter().collect())
        .unwrap_or_default()
}

/// How deeply a value nests: 0 for a scalar.
fn depth(value: &Ordered) -> usize {
    match value {
        Ordered::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Ordered::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}
