//! The compose file as a tree of YAML values that remember where they were written ([`Y`]), so
//! every error of the later stages can name its line and column.
//!
//! This is the one representation the stages before typing share: the reader turns it into a
//! [`Compose`](super::document::Compose) document. Work on the raw file that compose does before
//! it looks at services (variable interpolation, `extends`, `include`, merging several files,
//! profiles) belongs on this tree, between [`parse`] and the reader.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::ImportError;

/// A YAML value and where it starts (1-based line and column).
#[derive(Clone, Debug)]
pub(super) struct Y {
    pub v: V,
    pub line: usize,
    pub col: usize,
}

/// What a YAML value holds. Mapping keys keep their order and their own positions.
#[derive(Clone, Debug)]
pub(super) enum V {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Y>),
    Map(Vec<(Y, Y)>),
}

/// The tree of a YAML text, or the syntax error with its place (in the words archflow uses for
/// models, [`crate::syntax::yaml_error`]).
pub(super) fn parse(text: &str) -> Result<Y, ImportError> {
    serde_saphyr::from_str(text).map_err(|e| {
        let source = crate::source::Source::new("", text);
        let d = crate::syntax::yaml_error::diagnostic_of(&source, &e);
        let at = source.line_col(d.primary.span.start);
        ImportError {
            line: at.line,
            column: at.column,
            message: format!("invalid YAML: {}", d.message),
            help: d.help,
        }
    })
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
    /// What kind of value this is, for messages (`a list`, `a number`…).
    pub fn kind(&self) -> &'static str {
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
    pub fn scalar(&self) -> Option<String> {
        match &self.v {
            V::Str(s) => Some(s.clone()),
            V::Int(i) => Some(i.to_string()),
            V::Float(f) => Some(f.to_string()),
            V::Bool(b) => Some(b.to_string()),
            V::Null | V::Seq(_) | V::Map(_) => None,
        }
    }

    /// The value of `key` in a mapping (`None` for a missing key or a value that is no mapping).
    pub fn get(&self, key: &str) -> Option<&Y> {
        match &self.v {
            V::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.scalar().as_deref() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether this is YAML null (`~`, `null` or nothing after the colon).
    pub fn is_null(&self) -> bool {
        matches!(self.v, V::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let root = parse("services:\n  api:\n    image: x\n").unwrap();
        let api = root.get("services").unwrap().get("api").unwrap();
        assert_eq!((api.line, api.col), (3, 5));
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let e = parse("services: [\n").unwrap_err();
        assert!(e.message.starts_with("invalid YAML: "), "{e:?}");
        assert!(e.line > 0, "{e:?}");
    }
}
