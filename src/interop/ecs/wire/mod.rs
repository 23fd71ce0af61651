//! The JSON of the AWS APIs that `import ecs`, `export ecs` and `drift` read and write, as serde
//! types: ECS task definitions ([`TaskDefinition`], [`DescribeTaskDefinition`]) and services
//! ([`CreateService`], [`DescribeServices`]), and the `aws elbv2` outputs
//! [`elbv2::DescribeTargetGroups`] and [`elbv2::DescribeLoadBalancers`].
//!
//! Every field of the AWS API is here (from the service models of the AWS SDKs), not only those
//! archflow models, so a file read and written again is the same JSON:
//!
//! - Keys are AWS's: camel-case for ECS, Pascal-case for `elbv2`. Fields are declared in the order
//!   of `aws … --generate-cli-skeleton` (the API's member order), and serde writes them in that
//!   order.
//! - Every field is an `Option`, those AWS requires too (each type's documentation names them):
//!   `describe-*` output marks almost nothing required, and a missing field is for the reader to
//!   report with its place. `None` (absent or `null`) is left out when writing.
//! - Every object keeps the keys it does not know in `extra`, in and out; `import` carries them
//!   in the model's `aws:`, as it does the fields archflow does not model.
//! - [`TASK_DEFINITION_READ_ONLY`] and [`SERVICE_READ_ONLY`] list the fields AWS sets in output
//!   (in `input.rs`, with what turns output into input and what is compared).
//! - Enumerations are strings, so a value newer than this code is kept, not refused.
//! - Whole numbers are `i64`: AWS's integers are 32-bit, and the wider type reads and writes every
//!   value AWS does and every value a model allows. Except: task and container `cpu`, `memory` and
//!   `memoryReservation`, which people write as strings or numbers ([`StringOrNumber`], written
//!   back as read); timestamps, which the AWS CLI prints as text or as seconds ([`Timestamp`]); and
//!   doubles, kept as [`serde_json::Number`] so `10` stays `10`.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

pub mod elbv2;
mod input;
mod service;
mod task_definition;

pub use input::*;
pub use service::*;
pub use task_definition::*;

/// Declares AWS objects: each field becomes `pub field: Option<Type>`, left out when `None`, and
/// every struct gets `extra`, the keys it does not know (flattened, so they are read and written
/// beside the known ones). `rename_all` is the key case of the whole block.
macro_rules! objects {
    (
        rename_all = $case:literal;
        $(
            $(#[$meta:meta])*
            $name:ident {
                $( $(#[$field_meta:meta])* $field:ident : $ty:ty, )*
            }
        )*
    ) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(rename_all = $case)]
            pub struct $name {
                $(
                    $(#[$field_meta])*
                    #[serde(skip_serializing_if = "Option::is_none")]
                    pub $field: Option<$ty>,
                )*
                /// Keys this type does not know, kept as they are.
                #[serde(flatten)]
                pub extra: serde_json::Map<String, serde_json::Value>,
            }
        )*
    };
}
use objects;

/// A value AWS types as a string or a number but people write either way (`"cpu": "256"` or
/// `"cpu": 256`); it is written back as it was read.
#[derive(Clone, Debug, PartialEq)]
pub enum StringOrNumber {
    String(String),
    Number(Number),
}

/// A timestamp: the AWS CLI prints ISO 8601 text by default, seconds since 1970 with
/// `cli_timestamp_format = none`.
pub type Timestamp = StringOrNumber;

impl fmt::Display for StringOrNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(s) => f.write_str(s),
            Self::Number(n) => write!(f, "{n}"),
        }
    }
}

impl Serialize for StringOrNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::String(s) => serializer.serialize_str(s),
            Self::Number(n) => n.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for StringOrNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = StringOrNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(StringOrNumber::String(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(StringOrNumber::Number(v.into()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(StringOrNumber::Number(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Number::from_f64(v)
                    .map(StringOrNumber::Number)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Pretty JSON (two spaces), ending in a newline, keys in declaration order.
#[must_use]
pub fn pretty<T: Serialize>(value: &T) -> String {
    // Serializing these types cannot fail: every map key is a string.
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// As a `serde_json::Value` (for comparing; key order is lost).
#[must_use]
pub fn to_value<T: Serialize>(value: &T) -> Value {
    // Cannot fail, as above.
    serde_json::to_value(value).unwrap_or_default()
}
