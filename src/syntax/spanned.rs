//! [`Spanned`]: a value of the model with the byte span it was written at.
//!
//! serde-saphyr's own `Spanned` keeps two full locations (line, column, character and byte
//! offsets, where the value is used and where it is defined). archflow only needs the byte span
//! where the value is used, and a model of 10,000 services holds some 400,000 spanned values:
//! this type reads the same answer from serde-saphyr and keeps 16 bytes instead of about 80
//! (a 10,000-service model checks in about a fifth less memory).

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};

use crate::source::Span;

/// A value and the bytes of the text it was read from (an alias's use, for an alias).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

thread_local! {
    /// How far a clone moves its spans: 0, except inside [`clone_moved`].
    static MOVE_BY: Cell<isize> = const { Cell::new(0) };
}

/// A copy, with its span moved inside [`clone_moved`].
impl<T: Clone> Clone for Spanned<T> {
    fn clone(&self) -> Self {
        let by = MOVE_BY.with(Cell::get);
        let span = if by == 0 {
            self.span
        } else {
            let at = |offset: usize| offset.checked_add_signed(by).unwrap_or(0);
            Span::new(at(self.span.start), at(self.span.end))
        };
        Self {
            value: self.value.clone(),
            span,
        }
    }
}

/// A copy of `value` with every span in it `by` bytes further on: the same value read where its
/// text has moved to in another version of the file (the parts of a model that did not change).
/// Every span in the items of the document's lists (services, load balancers, …) is a
/// [`Spanned`]'s, and their clones read the distance here. (The flows' groups also hold plain
/// [`Span`]s, which do not move: flows are never copied.)
pub fn clone_moved<T: Clone>(value: &T, by: isize) -> T {
    /// Puts the distance back, a panic in a clone included.
    struct Restore(isize);
    impl Drop for Restore {
        fn drop(&mut self) {
            MOVE_BY.with(|m| m.set(self.0));
        }
    }
    let _restore = Restore(MOVE_BY.with(|m| m.replace(by)));
    value.clone()
}

impl<T> Spanned<T> {
    #[must_use]
    pub const fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// Written as the value alone.
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// The newtype name serde-saphyr answers with the value and its locations (as its own
/// `Spanned` asks).
const NEWTYPE: &str = "__yaml_spanned";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(NEWTYPE, Newtype(PhantomData))
    }
}

struct Newtype<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Newtype<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Spanned<T>, D::Error> {
        // serde-saphyr answers any request with its map; another deserializer gives the value.
        d.deserialize_any(Fields(PhantomData))
    }
}

/// serde-saphyr's answer: `{marker: true, value: T, referenced: Location, defined: Location}`.
/// A plain value, or a map without the marker, comes from another deserializer: read as `T`,
/// with no span.
struct Fields<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Fields<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
        let Some(first) = map.next_key::<Key>()? else {
            return T::deserialize(de::value::MapAccessDeserializer::new(map))
                .map(|v| Spanned::new(v, Span::default()));
        };
        let Key::Marker = first else {
            return Err(de::Error::custom(
                "a mapping here cannot be read with its position",
            ));
        };
        map.next_value::<de::IgnoredAny>()?;
        let (mut value, mut span) = (None, Span::default());
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Value => value = Some(map.next_value::<T>()?),
                Key::Referenced => {
                    let at: serde_saphyr::Location = map.next_value()?;
                    span = Span::from_location(&at);
                }
                // Where an alias's anchor is (`defined`): not kept. serde-saphyr hands it over
                // only as a `Location` (skipping it as `IgnoredAny` fails to read).
                Key::Marker | Key::Other => {
                    map.next_value::<serde_saphyr::Location>()?;
                }
            }
        }
        let value = value.ok_or_else(|| de::Error::missing_field("value"))?;
        Ok(Spanned::new(value, span))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Spanned<T>, A::Error> {
        T::deserialize(de::value::SeqAccessDeserializer::new(seq))
            .map(|v| Spanned::new(v, Span::default()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Spanned<T>, E> {
        plain(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Spanned<T>, E> {
        plain(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Spanned<T>, E> {
        plain(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Spanned<T>, E> {
        plain(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Spanned<T>, E> {
        plain(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Spanned<T>, E> {
        plain(v)
    }
}

/// A plain value from a deserializer other than serde-saphyr's: no position.
fn plain<'de, T, V, E>(v: V) -> Result<Spanned<T>, E>
where
    T: Deserialize<'de>,
    V: IntoDeserializer<'de, E>,
    E: de::Error,
{
    T::deserialize(v.into_deserializer()).map(|v| Spanned::new(v, Span::default()))
}

/// A key of serde-saphyr's answer.
enum Key {
    Marker,
    Value,
    Referenced,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "__serde_saphyr_private_spanned" => Key::Marker,
                    "value" => Key::Value,
                    "referenced" => Key::Referenced,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::Spanned;
    use crate::source::Span;

    #[derive(Debug, serde::Deserialize)]
    struct Item {
        name: Spanned<String>,
        port: Spanned<u32>,
        tags: Spanned<Vec<Spanned<String>>>,
    }

    /// Each value keeps the bytes it was written at; an alias, the bytes of its use.
    #[test]
    fn values_keep_their_byte_spans() {
        #[derive(serde::Deserialize)]
        struct Doc {
            #[allow(dead_code)]
            first: u32,
            item: Item,
        }
        let text = "first: &p 8080\nitem:\n  name: api # é\n  port: *p\n  tags: [a, bc]\n";
        let doc: Doc = serde_saphyr::from_str(text).unwrap();
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            Span::new(start, start + s.len())
        };
        assert_eq!(doc.item.name.value, "api");
        assert_eq!(doc.item.name.span, at("api"));
        assert_eq!(doc.item.port.value, 8080);
        assert_eq!(doc.item.port.span, at("*p"));
        let tags: Vec<_> = doc.item.tags.value.iter().map(|t| t.span).collect();
        let a = text.find("[a,").unwrap() + 1;
        assert_eq!(tags, vec![Span::new(a, a + 1), at("bc")]);
    }

    /// Read by another deserializer (here JSON), a value has no position but reads.
    #[test]
    fn other_deserializers_read_the_value() {
        let item: Item =
            serde_json::from_str(r#"{"name": "api", "port": 80, "tags": ["a"]}"#).unwrap();
        assert_eq!(item.name.value, "api");
        assert_eq!(item.port.value, 80);
        assert_eq!(item.tags.value[0].value, "a");
        assert_eq!(item.name.span, Span::default());
    }

    /// A clone inside `clone_moved` moves every span in the value, nested ones included; a
    /// clone outside it, and after it, moves none.
    #[test]
    fn clones_move_their_spans_only_when_asked() {
        let item = Spanned::new(vec![Spanned::new("a", Span::new(10, 11))], Span::new(8, 20));
        let moved = super::clone_moved(&item, 5);
        assert_eq!(moved.span, Span::new(13, 25));
        assert_eq!(moved.value[0].span, Span::new(15, 16));
        let back = super::clone_moved(&moved, -5);
        assert_eq!(back, item);
        assert_eq!(item.clone(), item);
    }

    /// Written as the value alone.
    #[test]
    fn serialised_as_the_value() {
        let v = Spanned::new(vec![1, 2], Span::new(3, 9));
        assert_eq!(serde_json::to_string(&v).unwrap(), "[1,2]");
    }
}
