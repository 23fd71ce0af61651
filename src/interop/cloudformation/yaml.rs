//! A CloudFormation template's text → its JSON form. JSON templates (CDK's `cdk synth` output
//! among them) are read as JSON; YAML templates as YAML, where the short-form tags become the
//! long form CloudFormation defines for them: `!Ref X` → `{"Ref": "X"}`, `!GetAtt A.B` →
//! `{"Fn::GetAtt": ["A", "B"]}`, `!Condition C` → `{"Condition": "C"}`, and any other `!Name v`
//! → `{"Fn::Name": v}` (`!Sub`, `!Join`, `!If`, `!ImportValue`, `!FindInMap`, …).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::Located;

/// The template's JSON form, or the syntax error with its place.
pub fn parse(path: &str, text: &str) -> Result<Value, Located> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).map_err(|e| {
            Located::new(
                path,
                e.line(),
                e.column(),
                format!("invalid JSON: {}", crate::error::json_reason(&e)),
            )
        });
    }
    let tree: Tree = serde_saphyr::from_str(text).map_err(|e| {
        let source = crate::source::Source::new("", text);
        let d = crate::syntax::yaml_error::diagnostic_of(&source, &e);
        let at = source.line_col(d.primary.span.start);
        let mut error = Located::new(
            path,
            at.line,
            at.column,
            format!("invalid YAML: {}", d.message),
        );
        error.help = d.help;
        error
    })?;
    Ok(tree.0)
}

/// A YAML value in the long form of its tag.
struct Tree(Value);

/// A YAML value without its tag.
struct Plain(Value);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let serde_saphyr::Tagged(Plain(v), tag) = serde_saphyr::Tagged::<Plain>::deserialize(d)?;
        Ok(Self(long_form(tag.as_deref(), v)))
    }
}

/// `!Name value` in CloudFormation's long form; other tags (`!!str`, …) leave the value as it is.
fn long_form(tag: Option<&str>, v: Value) -> Value {
    let Some(name) = tag.and_then(|t| t.strip_prefix('!')) else {
        return v;
    };
    if name.is_empty() || name.starts_with('!') || name.contains(':') {
        return v;
    }
    let (key, v) = match name {
        "Ref" => ("Ref".to_owned(), v),
        "Condition" => ("Condition".to_owned(), v),
        "GetAtt" => (
            "Fn::GetAtt".to_owned(),
            match v {
                Value::String(s) => match s.split_once('.') {
                    Some((a, b)) => Value::Array(vec![a.into(), b.into()]),
                    None => Value::String(s),
                },
                other => other,
            },
        ),
        other => (format!("Fn::{other}"), v),
    };
    let mut m = Map::new();
    m.insert(key, v);
    Value::Object(m)
}

struct PlainVisitor;

impl<'de> Visitor<'de> for PlainVisitor {
    type Value = Plain;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Plain, E> {
        Ok(Plain(Value::Bool(b)))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Plain, E> {
        Ok(Plain(Value::from(i)))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Plain, E> {
        Ok(Plain(Value::from(u)))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Plain, E> {
        Ok(Plain(serde_json::Number::from_f64(f).map_or_else(
            || Value::String(f.to_string()),
            Value::Number,
        )))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Plain, E> {
        Ok(Plain(Value::String(s.to_owned())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Plain, E> {
        Ok(Plain(Value::String(s)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Plain, E> {
        Ok(Plain(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Plain, E> {
        Ok(Plain(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Plain, D::Error> {
        Plain::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Plain, A::Error> {
        let mut items = Vec::new();
        while let Some(Tree(v)) = seq.next_element::<Tree>()? {
            items.push(v);
        }
        Ok(Plain(Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Plain, A::Error> {
        let mut m = Map::new();
        while let Some(Tree(k)) = map.next_key::<Tree>()? {
            let Tree(v) = map.next_value::<Tree>()?;
            let key = match k {
                Value::String(s) => s,
                other => other.to_string(),
            };
            m.insert(key, v);
        }
        Ok(Plain(Value::Object(m)))
    }
}

impl<'de> Deserialize<'de> for Plain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PlainVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::parse;

    #[test]
    fn short_form_tags_become_the_long_form() {
        let v = parse(
            "t.yaml",
            "A: !Ref P\nB: !GetAtt R.Arn\nC: !Sub '${P}-x'\nD: !Join ['-', [a, !Ref P]]\n\
             E: !If [C1, 1, !Ref AWS::NoValue]\nF: !Select [0, !GetAZs '']\nG: !Condition C2\n",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({
                "A": {"Ref": "P"},
                "B": {"Fn::GetAtt": ["R", "Arn"]},
                "C": {"Fn::Sub": "${P}-x"},
                "D": {"Fn::Join": ["-", ["a", {"Ref": "P"}]]},
                "E": {"Fn::If": ["C1", 1, {"Ref": "AWS::NoValue"}]},
                "F": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
                "G": {"Condition": "C2"},
            })
        );
    }

    #[test]
    fn json_templates_are_read_as_json_and_errors_have_places() {
        assert_eq!(parse("t.json", "{\"a\": [1]}").unwrap(), json!({"a": [1]}));
        let e = parse("t.json", "{\"a\": [1}").unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("t.json", 1));
        let e = parse("t.yaml", "a: [1\nb: 2\n").unwrap_err();
        assert!(e.line >= 1, "{e:?}");
    }
}
