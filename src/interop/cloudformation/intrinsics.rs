//! CloudFormation's intrinsic functions, evaluated as far as the template says: parameters (their
//! defaults, or `--parameter` values), mappings, conditions, pseudo parameters given as
//! parameters, and references to the resources archflow imports (to their names).
//!
//! What the template cannot say (an `!ImportValue`, a `!GetAtt` of a runtime attribute, the
//! account, a parameter without default) stays symbolic: the short form as a string
//! (`!ImportValue vpc:ClusterName`, `!GetAtt Role.Arn`) or, inside `!Sub`, the `${…}` left in
//! place. Every symbolic value is listed in [`Resolver::symbolic`], and evaluation never fails.

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// What intrinsics are evaluated against.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Parameter (and pseudo parameter) values.
    pub parameters: IndexMap<String, Value>,
    /// The template's `Mappings`.
    pub mappings: Map<String, Value>,
    /// The template's `Conditions`, unevaluated.
    pub conditions: Map<String, Value>,
    /// What `Ref` of a resource gives, by logical id (the names of imported resources).
    pub resources: IndexMap<String, Value>,
    /// Logical ids of every resource (for messages).
    pub logical_ids: Vec<String>,
}

/// Evaluates intrinsics in a [`Scope`], remembering what stayed symbolic and what was guessed.
#[derive(Debug)]
pub struct Resolver<'a> {
    scope: &'a Scope,
    /// Values left symbolic, as `place: value` (in order, without repeats).
    pub symbolic: Vec<String>,
    /// Guesses (an `Fn::If` whose condition could not be evaluated).
    pub guesses: Vec<String>,
    conditions: IndexMap<String, Option<bool>>,
    /// Symbolic values met since the last reset: whether a result is fully known.
    unknown: usize,
}

impl<'a> Resolver<'a> {
    #[must_use]
    pub fn new(scope: &'a Scope) -> Self {
        Self {
            scope,
            symbolic: Vec::new(),
            guesses: Vec::new(),
            conditions: IndexMap::new(),
            unknown: 0,
        }
    }

    fn symbol(&mut self, place: &str, text: String) -> Value {
        self.unknown += 1;
        let line = format!("{place}: {}", short(&text));
        if !self.symbolic.contains(&line) {
            self.symbolic.push(line);
        }
        Value::String(text)
    }

    /// The value of condition `name`: `None` when it depends on something unknown.
    pub fn condition(&mut self, name: &str) -> Option<bool> {
        if let Some(known) = self.conditions.get(name) {
            return *known;
        }
        // A cycle is unknown, not endless.
        self.conditions.insert(name.to_owned(), None);
        let value = self
            .scope
            .conditions
            .get(name)
            .cloned()
            .and_then(|expr| self.truth(&format!("Conditions.{name}"), &expr));
        self.conditions.insert(name.to_owned(), value);
        value
    }

    /// The truth of a condition expression.
    fn truth(&mut self, place: &str, expr: &Value) -> Option<bool> {
        let (key, arg) = single(expr)?;
        let args = arg.as_array();
        match key {
            "Condition" => arg.as_str().and_then(|c| self.condition(c)),
            "Fn::Not" => args
                .and_then(|a| a.first())
                .and_then(|c| self.truth(place, c))
                .map(|b| !b),
            "Fn::And" | "Fn::Or" => {
                let items: Vec<Option<bool>> = args?
                    .iter()
                    .map(|c| self.truth(place, c))
                    .collect::<Vec<_>>();
                let and = key == "Fn::And";
                if items.contains(&Some(!and)) {
                    Some(!and)
                } else if items.iter().all(Option::is_some) {
                    Some(and)
                } else {
                    None
                }
            }
            "Fn::Equals" => {
                let a = args?;
                if a.len() != 2 {
                    return None;
                }
                let before = self.unknown;
                let l = self.resolve(place, &a[0]);
                let r = self.resolve(place, &a[1]);
                if self.unknown != before {
                    return None;
                }
                Some(scalar_text(l.as_ref()) == scalar_text(r.as_ref()))
            }
            _ => None,
        }
    }

    /// Evaluate `v`: `None` is `AWS::NoValue` (the key or item is left out).
    pub fn resolve(&mut self, place: &str, v: &Value) -> Option<Value> {
        match v {
            Value::Array(items) => Some(Value::Array(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| self.resolve(&format!("{place}[{i}]"), item))
                    .collect(),
            )),
            Value::Object(m) => {
                if let Some((key, arg)) = single(v)
                    && (key == "Ref" || key.starts_with("Fn::"))
                {
                    return self.intrinsic(place, key, arg);
                }
                let mut out = Map::new();
                for (k, item) in m {
                    if let Some(r) = self.resolve(&format!("{place}.{k}"), item) {
                        out.insert(k.clone(), r);
                    }
                }
                Some(Value::Object(out))
            }
            other => Some(other.clone()),
        }
    }

    fn intrinsic(&mut self, place: &str, key: &str, arg: &Value) -> Option<Value> {
        let args = arg.as_array().cloned().unwrap_or_default();
        match key {
            "Ref" => {
                let name = arg.as_str().unwrap_or_default();
                self.reference(place, name)
            }
            "Fn::GetAtt" => {
                let text = match arg {
                    Value::Array(a) => a
                        .iter()
                        .map(|p| {
                            let r = self.resolve(place, p);
                            scalar_text(r.as_ref())
                        })
                        .collect::<Vec<_>>()
                        .join("."),
                    other => scalar_text(Some(other)),
                };
                Some(self.symbol(place, format!("!GetAtt {text}")))
            }
            "Fn::Sub" => {
                let (text, vars) = match arg {
                    Value::Array(a) => (
                        a.first().cloned().unwrap_or_default(),
                        a.get(1).cloned().unwrap_or_default(),
                    ),
                    other => (other.clone(), Value::Null),
                };
                let text = self.resolve(place, &text);
                let Some(Value::String(text)) = text else {
                    return Some(self.symbol(place, format!("!Sub {arg}")));
                };
                let mut bound = Map::new();
                if let Value::Object(m) = &vars {
                    for (k, v) in m {
                        if let Some(r) = self.resolve(place, v) {
                            bound.insert(k.clone(), r);
                        }
                    }
                }
                Some(Value::String(self.sub(place, &text, &bound)))
            }
            "Fn::Join" => {
                let delimiter = args.first().and_then(Value::as_str).unwrap_or_default();
                let list = args.get(1).and_then(|l| self.resolve(place, l));
                match list {
                    Some(Value::Array(items)) => Some(Value::String(
                        items
                            .iter()
                            .map(|i| scalar_text(Some(i)))
                            .collect::<Vec<_>>()
                            .join(delimiter),
                    )),
                    other => Some(self.symbol(
                        place,
                        format!("!Join [{delimiter}, {}]", scalar_text(other.as_ref())),
                    )),
                }
            }
            "Fn::Select" => {
                let index = args.first().and_then(|i| self.resolve(place, i));
                let list = args.get(1).and_then(|l| self.resolve(place, l));
                let index = index.as_ref().and_then(|i| match i {
                    Value::Number(n) => n.as_u64(),
                    Value::String(s) => s.parse().ok(),
                    _ => None,
                });
                match (index, &list) {
                    (Some(i), Some(Value::Array(items))) => {
                        match usize::try_from(i).ok().and_then(|i| items.get(i)) {
                            Some(item) => Some(item.clone()),
                            None => Some(self.symbol(place, format!("!Select [{i}, …]"))),
                        }
                    }
                    _ => Some(self.symbol(
                        place,
                        format!(
                            "!Select [{}, {}]",
                            index.map_or_else(|| "?".to_owned(), |i| i.to_string()),
                            scalar_text(list.as_ref())
                        ),
                    )),
                }
            }
            "Fn::Split" => {
                let delimiter = args.first().and_then(Value::as_str).unwrap_or_default();
                let text = args.get(1).and_then(|t| self.resolve(place, t));
                match text {
                    Some(Value::String(s)) if !delimiter.is_empty() && !s.starts_with('!') => {
                        Some(Value::Array(
                            s.split(delimiter)
                                .map(|p| Value::String(p.to_owned()))
                                .collect(),
                        ))
                    }
                    other => Some(self.symbol(
                        place,
                        format!("!Split [{delimiter}, {}]", scalar_text(other.as_ref())),
                    )),
                }
            }
            "Fn::If" => {
                let condition = args.first().and_then(Value::as_str).unwrap_or_default();
                let branch = match self.condition(condition) {
                    Some(true) => 1,
                    Some(false) => 2,
                    None => {
                        let guess = format!(
                            "{place}: condition {condition} could not be evaluated; took its \
                             true branch"
                        );
                        if !self.guesses.contains(&guess) {
                            self.guesses.push(guess);
                        }
                        1
                    }
                };
                args.get(branch).and_then(|b| self.resolve(place, b))
            }
            "Fn::FindInMap" => {
                let keys: Vec<String> = args
                    .iter()
                    .take(3)
                    .map(|k| {
                        let r = self.resolve(place, k);
                        scalar_text(r.as_ref())
                    })
                    .collect();
                let found = match keys.as_slice() {
                    [map, top, second] => self
                        .scope
                        .mappings
                        .get(map)
                        .and_then(|m| m.get(top))
                        .and_then(|m| m.get(second))
                        .cloned(),
                    _ => None,
                };
                match found {
                    Some(v) => Some(v),
                    // The newer syntax's default: `[map, top, second, {DefaultValue: v}]`.
                    None => match args.get(3).and_then(|d| d.get("DefaultValue")) {
                        Some(d) => self.resolve(place, d),
                        None => {
                            Some(self.symbol(place, format!("!FindInMap [{}]", keys.join(", "))))
                        }
                    },
                }
            }
            "Fn::ImportValue" => {
                let name = self.resolve(place, arg);
                Some(self.symbol(
                    place,
                    format!("!ImportValue {}", scalar_text(name.as_ref())),
                ))
            }
            // User data: the text itself, not its encoding, is what a reader wants.
            "Fn::Base64" => self.resolve(place, arg),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                match self.truth(place, &single_map(key, arg)) {
                    Some(b) => Some(Value::Bool(b)),
                    None => Some(self.symbol(place, format!("!{}", &key[4..]))),
                }
            }
            other => {
                let short = other.trim_start_matches("Fn::");
                Some(self.symbol(place, format!("!{short} {}", compact(arg))))
            }
        }
    }

    /// `Ref name`: a parameter, a pseudo parameter, or a resource.
    fn reference(&mut self, place: &str, name: &str) -> Option<Value> {
        if name == "AWS::NoValue" {
            return None;
        }
        if let Some(v) = self.scope.parameters.get(name) {
            return Some(v.clone());
        }
        match name {
            "AWS::Partition" => return Some("aws".into()),
            "AWS::URLSuffix" => return Some("amazonaws.com".into()),
            _ => {}
        }
        if let Some(v) = self.scope.resources.get(name) {
            return Some(v.clone());
        }
        Some(self.symbol(place, format!("!Ref {name}")))
    }

    /// `Fn::Sub`'s text with `${Name}` replaced where known (`${!Literal}` → `${Literal}`).
    fn sub(&mut self, place: &str, text: &str, bound: &Map<String, Value>) -> String {
        let mut out = String::new();
        let mut rest = text;
        let mut left = Vec::new();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = bound
                .get(name)
                .cloned()
                .or_else(|| self.scope.parameters.get(name).cloned())
                .or_else(|| match name {
                    "AWS::Partition" => Some("aws".into()),
                    "AWS::URLSuffix" => Some("amazonaws.com".into()),
                    _ => None,
                })
                .or_else(|| {
                    (!name.contains('.'))
                        .then(|| self.scope.resources.get(name).cloned())
                        .flatten()
                });
            match value {
                Some(v) if !v.is_object() && !v.is_array() => out.push_str(&scalar_text(Some(&v))),
                _ => {
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                    left.push(name.to_owned());
                }
            }
        }
        out.push_str(rest);
        if !left.is_empty() {
            self.unknown += 1;
            let line = format!("{place}: {}", short(&out));
            if !self.symbolic.contains(&line) {
                self.symbolic.push(line);
            }
        }
        out
    }
}

/// A value as one line of at most 100 characters, for lists.
fn short(text: &str) -> String {
    let line = crate::text::one_line(text);
    if line.chars().count() > 100 {
        format!("{}…", line.chars().take(99).collect::<String>())
    } else {
        line
    }
}

/// The one key and its value of a one-key object.
fn single(v: &Value) -> Option<(&str, &Value)> {
    match v {
        Value::Object(m) if m.len() == 1 => m.iter().next().map(|(k, v)| (k.as_str(), v)),
        _ => None,
    }
}

fn single_map(key: &str, arg: &Value) -> Value {
    let mut m = Map::new();
    m.insert(key.to_owned(), arg.clone());
    Value::Object(m)
}

/// A scalar as CloudFormation turns it into text (strings as they are, numbers and booleans
/// written out); other values as compact JSON.
#[must_use]
pub fn scalar_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(other) => compact(other),
    }
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Resolver, Scope};

    fn scope() -> Scope {
        let mut s = Scope::default();
        s.parameters.insert("Env".into(), json!("prod"));
        s.parameters.insert("Port".into(), json!(8080));
        s.parameters.insert("Subnets".into(), json!(["a", "b"]));
        s.mappings = json!({"Sizes": {"prod": {"Cpu": "1024"}}})
            .as_object()
            .cloned()
            .unwrap();
        s.conditions = json!({
            "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
            "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Equals": ["1", "1"]}]},
            "Either": {"Fn::Or": [{"Condition": "NotProd"}, {"Condition": "Unknowable"}]},
            "Unknowable": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
        })
        .as_object()
        .cloned()
        .unwrap();
        s.resources.insert("Cluster".into(), json!("my-cluster"));
        s
    }

    #[allow(clippy::needless_pass_by_value)]
    fn eval(v: serde_json::Value) -> (Option<serde_json::Value>, Vec<String>) {
        let scope = scope();
        let mut r = Resolver::new(&scope);
        let out = r.resolve("X", &v);
        (out, r.symbolic)
    }

    #[test]
    fn ref_gives_parameters_resources_and_leaves_out_no_value() {
        assert_eq!(eval(json!({"Ref": "Env"})).0, Some(json!("prod")));
        assert_eq!(eval(json!({"Ref": "Cluster"})).0, Some(json!("my-cluster")));
        assert_eq!(eval(json!({"Ref": "AWS::NoValue"})).0, None);
        assert_eq!(
            eval(json!({"a": {"Ref": "AWS::NoValue"}, "b": [1, {"Ref": "AWS::NoValue"}]})).0,
            Some(json!({"b": [1]}))
        );
        let (v, symbolic) = eval(json!({"Ref": "Missing"}));
        assert_eq!(v, Some(json!("!Ref Missing")));
        assert_eq!(symbolic, ["X: !Ref Missing"]);
    }

    #[test]
    fn sub_join_select_split_and_find_in_map() {
        assert_eq!(
            eval(json!({"Fn::Sub": "${Env}-${Cluster}:${Port}"})).0,
            Some(json!("prod-my-cluster:8080"))
        );
        assert_eq!(
            eval(json!({"Fn::Sub": ["${A}.${Env}", {"A": {"Ref": "Env"}}]})).0,
            Some(json!("prod.prod"))
        );
        let (v, symbolic) = eval(json!({"Fn::Sub": "${AWS::AccountId}.dkr.ecr/${Env} ${!Lit}"}));
        assert_eq!(v, Some(json!("${AWS::AccountId}.dkr.ecr/prod ${Lit}")));
        assert_eq!(symbolic.len(), 1);
        assert_eq!(
            eval(json!({"Fn::Join": ["-", ["a", {"Ref": "Port"}]]})).0,
            Some(json!("a-8080"))
        );
        assert_eq!(
            eval(json!({"Fn::Select": ["1", {"Ref": "Subnets"}]})).0,
            Some(json!("b"))
        );
        assert_eq!(
            eval(json!({"Fn::Split": [",", "x,y"]})).0,
            Some(json!(["x", "y"]))
        );
        assert_eq!(
            eval(json!({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Cpu"]})).0,
            Some(json!("1024"))
        );
        assert_eq!(
            eval(json!({"Fn::FindInMap": ["Sizes", "dev", "Cpu", {"DefaultValue": "256"}]})).0,
            Some(json!("256"))
        );
        assert_eq!(
            eval(json!({"Fn::Base64": {"Fn::Sub": "echo ${Env}"}})).0,
            Some(json!("echo prod"))
        );
    }

    #[test]
    fn conditions_and_if() {
        assert_eq!(eval(json!({"Fn::If": ["IsProd", 2, 1]})).0, Some(json!(2)));
        assert_eq!(
            eval(json!({"Fn::If": ["NotProd", 2, {"Ref": "AWS::NoValue"}]})).0,
            None
        );
        assert_eq!(
            eval(json!({"Fn::If": ["Both", "y", "n"]})).0,
            Some(json!("y"))
        );
        let scope = scope();
        let mut r = Resolver::new(&scope);
        assert_eq!(r.condition("Unknowable"), None);
        assert_eq!(r.condition("Either"), None);
        assert_eq!(
            r.resolve("X", &json!({"Fn::If": ["Either", "t", "f"]})),
            Some(json!("t"))
        );
        assert_eq!(r.guesses.len(), 1);
        assert_eq!(
            r.resolve("X", &json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]})),
            Some(json!(true))
        );
    }

    #[test]
    fn what_cannot_be_known_stays_symbolic() {
        assert_eq!(
            eval(json!({"Fn::ImportValue": {"Fn::Sub": "${Env}:VPC"}})).0,
            Some(json!("!ImportValue prod:VPC"))
        );
        assert_eq!(
            eval(json!({"Fn::GetAtt": ["Role", "Arn"]})).0,
            Some(json!("!GetAtt Role.Arn"))
        );
        let (v, symbolic) = eval(json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}));
        assert_eq!(v, Some(json!("!Select [0, !GetAZs ]")));
        assert_eq!(symbolic.len(), 2);
        assert_eq!(
            eval(json!({"Fn::Cidr": ["10.0.0.0/16", 2, 8]})).0,
            Some(json!("!Cidr [\"10.0.0.0/16\",2,8]"))
        );
    }
}
