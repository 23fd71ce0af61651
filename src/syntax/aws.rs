//! `aws:`: the AWS JSON fields of an item that archflow does not model, carried through the model
//! unchanged (`import ecs` puts them there, `export ecs` writes them back).
//!
//! Every model mapping that stands for an AWS JSON object (a service, a task definition, a
//! container, a port mapping, a volume, …) takes an `aws:` mapping. Its keys are AWS's
//! (camel-case), its values are the JSON values written as YAML. One value has one home: a key
//! that the item models (`memory` on a container, say) is refused inside `aws:` with a load
//! error that says to move it up. Which keys an item models is read from its serde type
//! ([`AwsObject::models`]), so the list cannot fall behind the type.

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

/// The `aws:` of an item: AWS JSON fields archflow does not model, by key (sorted).
pub type AwsFields = Map<String, Value>;

/// A model type that stands for an AWS JSON object, and so takes `aws:`.
pub trait AwsObject: DeserializeOwned {
    /// AWS keys the type models under another name or elsewhere in the model (a service's
    /// `cluster` is the document's `cluster`; a load balancer entry's `targetGroupArn` is its
    /// `targetGroup`).
    const MODELLED_ELSEWHERE: &'static [&'static str] = &[];

    /// Lists of references the type models that `aws:` may hold instead, when what they name is
    /// not in the model (see the module documentation): there they are carried, not checked.
    const REFERENCES_OUTSIDE: &'static [&'static str] = &[];

    /// Whether `key` is modelled by this type, so that it may not appear in its `aws:`. Every
    /// key of the type counts, archflow's own (`label`, `role`, …) and `aws` itself included,
    /// except [`Self::REFERENCES_OUTSIDE`].
    #[must_use]
    fn models(key: &str) -> bool {
        (field_names::<Self>().contains(&key) && !Self::REFERENCES_OUTSIDE.contains(&key))
            || Self::MODELLED_ELSEWHERE.contains(&key)
    }
}

/// The keys a derived `Deserialize` of `T` reads: serde passes them to `deserialize_struct`,
/// which this deserializer records and then refuses.
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Names(Option<&'static [&'static str]>);
    impl<'de> Deserializer<'de> for &mut Names {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(de::Error::custom("names only"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut names = Names(None);
    let _ = T::deserialize(&mut names);
    names.0.unwrap_or_default()
}

/// Read an `aws:` mapping of a `T`: any keys but those `T` models (see [`AwsObject::models`]).
///
/// # Errors
/// Not a mapping, or a key `T` models (the message says to move it out of `aws:`).
pub fn aws_fields<'de, D: Deserializer<'de>, T: AwsObject>(d: D) -> Result<AwsFields, D::Error> {
    struct Fields<T>(std::marker::PhantomData<T>);
    impl<'de, T: AwsObject> Visitor<'de> for Fields<T> {
        type Value = AwsFields;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping of AWS JSON fields")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AwsFields, A::Error> {
            let mut out = AwsFields::new();
            while let Some(key) = map.next_key::<String>()? {
                if T::models(&key) {
                    // Raised here, before the value is read, so the error points at the key.
                    return Err(de::Error::invalid_value(
                        de::Unexpected::Str(&key),
                        &MovedUp(&key),
                    ));
                }
                let value: Value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Fields::<T>(std::marker::PhantomData))
}

/// The expectation of an `aws:` key that the item models.
struct MovedUp<'a>(&'a str);

impl de::Expected for MovedUp<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a field archflow does not model: archflow models `{}` here, so write it beside \
             `aws:` (one level up), not inside it",
            self.0
        )
    }
}
