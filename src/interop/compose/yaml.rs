//! The compose file as a tree of YAML values that remember where they were written ([`Y`]), so
//! every error of the later stages can name its line and column.
//!
//! This is the one representation the stages before typing share: loading
//! ([`load`](super::load): interpolation, `extends`, `include`, merging several files) and
//! resolving ([`resolve`](super::resolve): profiles, `env_file`) work on it, and the reader turns
//! it into a [`Compose`](super::document::Compose) document. Every value knows the file it came
//! from (an index into the import's file table), so errors name it after files are merged.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::ImportError;

/// A YAML value and where it starts (1-based line and column, in file `file` of the import's
/// file table: 0 is the first compose file).
#[derive(Clone, Debug)]
pub(super) struct Y {
    pub v: V,
    pub line: usize,
    pub col: usize,
    pub file: usize,
    /// Compose's merge tags (`!reset`, `!override`); other tags are ignored, as compose ignores
    /// them.
    pub tag: Tag,
}

/// The YAML tags compose gives a meaning to when files are merged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Tag {
    #[default]
    None,
    /// `!reset`: the value (of an earlier file, or of the service extended) is removed.
    Reset,
    /// `!override`: the value replaces the earlier one instead of being merged with it.
    Override,
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

/// The tree of a YAML text of one document (file `file` of the import's file table), or the
/// syntax error with its place.
#[cfg(test)]
pub(super) fn parse(text: &str, file: usize) -> Result<Y, ImportError> {
    parse_documents(text, file)?
        .into_iter()
        .next()
        .ok_or_else(|| ImportError::new(file, 0, 0, "the file is empty"))
}

/// The trees of a YAML text's documents (`---` separates them; empty ones are skipped), in
/// file `file` of the import's file table, or the syntax error with its place (in the words
/// archflow uses for models, [`crate::syntax::yaml_error`]).
pub(super) fn parse_documents(text: &str, file: usize) -> Result<Vec<Y>, ImportError> {
    // Compose reads YAML 1.2: `yes`, `no`, `on`, `off` are strings, not booleans.
    let options = serde_saphyr::options! { strict_booleans: true };
    let mut docs: Vec<Y> =
        serde_saphyr::from_multiple_with_options(text, options).map_err(|e| {
            let source = crate::source::Source::new("", text);
            let d = crate::syntax::yaml_error::diagnostic_of(&source, &e);
            let at = source.line_col(d.primary.span.start);
            let mut error = ImportError::new(
                file,
                at.line,
                at.column,
                format!("invalid YAML: {}", d.message),
            );
            error.help = d.help;
            error
        })?;
    for d in &mut docs {
        d.set_file(file);
    }
    Ok(docs)
}

impl<'de> Deserialize<'de> for Y {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<serde_saphyr::Tagged<V>>::deserialize(d)?;
        let serde_saphyr::Tagged(v, tag) = s.value;
        Ok(Self {
            v,
            line: usize::try_from(s.referenced.line()).unwrap_or(0),
            col: usize::try_from(s.referenced.column()).unwrap_or(0),
            file: 0,
            tag: match tag.as_deref() {
                Some("!reset") => Tag::Reset,
                Some("!override") => Tag::Override,
                _ => Tag::None,
            },
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
    /// A new value at the place of `at` (same file, line and column), without a tag.
    pub fn at(v: V, at: &Self) -> Self {
        Self {
            v,
            line: at.line,
            col: at.col,
            file: at.file,
            tag: Tag::None,
        }
    }

    /// A string at the place of `at`.
    pub fn str_at(s: impl Into<String>, at: &Self) -> Self {
        Self::at(V::Str(s.into()), at)
    }

    /// Mark this value and everything in it as read from file `file`.
    fn set_file(&mut self, file: usize) {
        self.file = file;
        match &mut self.v {
            V::Seq(items) => items.iter_mut().for_each(|i| i.set_file(file)),
            V::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.set_file(file);
                v.set_file(file);
            }),
            _ => {}
        }
    }

    /// The entries of a mapping (`None` for any other value).
    pub fn entries(&self) -> Option<&[(Self, Self)]> {
        match &self.v {
            V::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value of `key` in a mapping, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Self> {
        match &mut self.v {
            V::Map(entries) => entries
                .iter_mut()
                .find(|(k, _)| k.scalar().as_deref() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Remove `key` from a mapping, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Self> {
        let V::Map(entries) = &mut self.v else {
            return None;
        };
        let i = entries
            .iter()
            .position(|(k, _)| k.scalar().as_deref() == Some(key))?;
        Some(entries.remove(i).1)
    }

    /// Whether two values are the same, ignoring where they were written.
    pub fn same(&self, other: &Self) -> bool {
        match (&self.v, &other.v) {
            (V::Seq(a), V::Seq(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y)),
            (V::Map(a), V::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((ka, va), (kb, vb))| ka.same(kb) && va.same(vb))
            }
            (V::Null, V::Null) => true,
            (V::Float(a), V::Float(b)) => a.to_bits() == b.to_bits(),
            (a, b) => match (self.scalar(), other.scalar()) {
                (Some(x), Some(y)) => {
                    x == y && std::mem::discriminant(a) == std::mem::discriminant(b)
                }
                _ => false,
            },
        }
    }

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
        let root = parse("services:\n  api:\n    image: x\n", 0).unwrap();
        let api = root.get("services").unwrap().get("api").unwrap();
        assert_eq!((api.line, api.col), (3, 5));
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let e = parse("services: [\n", 0).unwrap_err();
        assert!(e.message.starts_with("invalid YAML: "), "{e:?}");
        assert!(e.line > 0, "{e:?}");
    }

    #[test]
    fn merge_tags_are_kept_and_others_ignored() {
        let root = parse(
            "a: !reset []\nb: !override {x: 1}\nc: !custom y\nd: !reset null\ne: no\n",
            3,
        )
        .unwrap();
        let tag = |k: &str| root.get(k).map(|y| (y.tag, y.file));
        assert_eq!(tag("a"), Some((Tag::Reset, 3)));
        assert_eq!(tag("b"), Some((Tag::Override, 3)));
        assert_eq!(tag("c"), Some((Tag::None, 3)));
        assert_eq!(tag("d"), Some((Tag::Reset, 3)));
        assert!(matches!(root.get("b").map(|b| &b.v), Some(V::Map(_))));
        assert_eq!(root.get("c").and_then(Y::scalar).as_deref(), Some("y"));
        // YAML 1.2, as compose reads it: `no` is a string.
        assert!(matches!(root.get("e").map(|e| &e.v), Some(V::Str(s)) if s == "no"));
    }
}
