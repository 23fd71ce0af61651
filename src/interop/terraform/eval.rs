//! Terraform expressions, evaluated as far as the configuration says: `var.*` (defaults),
//! `local.*`, `path.module`, `count.index`, `each.*`, the names of the resources archflow imports,
//! `data.template_file.*.rendered`, and the functions `jsonencode`, `file` and `templatefile`
//! (files of the module, read through [`super::Files`]), with what `hcl-rs` evaluates (operators,
//! conditionals, `for` expressions, its built-in functions).
//!
//! Evaluation is partial: in a list or an object, each item is evaluated on its own, and an item
//! that cannot be (a resource's runtime attribute, an unknown variable) stays symbolic as its
//! source text in `${…}`, listed in [`Eval::symbolic`]. It never fails.

use hcl::eval::{Context, Evaluate};
use hcl::expr::{Expression, ObjectKey};
use hcl::template::{Element, Template};
use serde_json::{Map, Value};

use super::{Files, join};

/// The evaluator of one module.
pub struct Eval<'a> {
    pub ctx: Context<'a>,
    /// The module's folder (`path.module`).
    pub dir: String,
    /// The root module's folder: relative paths in `file()` are relative to it, as to
    /// Terraform's working directory.
    pub root: String,
    pub files: &'a dyn Files,
    pub symbolic: Vec<String>,
}

impl Eval<'_> {
    fn symbol(&mut self, place: &str, expr: &Expression) -> Value {
        let text = hcl::format::to_string(expr).unwrap_or_default();
        let text = format!("${{{}}}", crate::text::one_line(&text));
        let line = format!("{place}: {text}");
        if !self.symbolic.contains(&line) {
            self.symbolic.push(line);
        }
        Value::String(text)
    }

    /// Evaluate `expr` as far as it goes.
    pub fn eval(&mut self, place: &str, expr: &Expression) -> Value {
        match expr {
            Expression::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, e)| self.eval(&format!("{place}[{i}]"), e))
                    .collect(),
            ),
            Expression::Object(object) => {
                let mut m = Map::new();
                for (k, v) in object {
                    let key = match k {
                        ObjectKey::Identifier(id) => id.to_string(),
                        ObjectKey::Expression(e) => text(&self.eval(place, e)),
                        _ => String::new(),
                    };
                    let value = self.eval(&format!("{place}.{key}"), v);
                    m.insert(key, value);
                }
                Value::Object(m)
            }
            Expression::Parenthesis(inner) => self.eval(place, inner),
            Expression::TemplateExpr(t) => {
                let Ok(template) = Template::from_expr(t) else {
                    return self.symbol(place, expr);
                };
                let elements = template.elements();
                if let [Element::Interpolation(i)] = elements {
                    return self.eval(place, &i.expr);
                }
                let mut out = String::new();
                for e in elements {
                    match e {
                        Element::Literal(s) => out.push_str(s),
                        Element::Interpolation(i) => {
                            out.push_str(&text(&self.eval(place, &i.expr)));
                        }
                        Element::Directive(_) => return self.evaluated(place, expr),
                    }
                }
                Value::String(out)
            }
            Expression::FuncCall(call) if call.name.namespace.is_empty() => {
                match call.name.name.as_str() {
                    "jsonencode" => match call.args.first() {
                        Some(arg) => {
                            let v = self.eval(place, arg);
                            Value::String(serde_json::to_string(&v).unwrap_or_default())
                        }
                        None => self.symbol(place, expr),
                    },
                    "file" => {
                        let path = call.args.first().map(|a| self.eval(place, a));
                        match path.as_ref().map(text) {
                            Some(p) if !p.contains("${") => match self.files.read(&self.path(&p)) {
                                Ok(t) => Value::String(t),
                                Err(_) => self.symbol(place, expr),
                            },
                            _ => self.symbol(place, expr),
                        }
                    }
                    "templatefile" => {
                        let path = call.args.first().map(|a| self.eval(place, a));
                        let vars = call
                            .args
                            .get(1)
                            .map_or(Value::Null, |a| self.eval(place, a));
                        match path.as_ref().map(text) {
                            Some(p) if !p.contains("${") => match self.files.read(&self.path(&p)) {
                                Ok(t) => Value::String(render(&t, &vars)),
                                Err(_) => self.symbol(place, expr),
                            },
                            _ => self.symbol(place, expr),
                        }
                    }
                    _ => self.evaluated(place, expr),
                }
            }
            _ => self.evaluated(place, expr),
        }
    }

    /// A path `file()` names: relative to the root module, unless it starts with
    /// `path.module` (or is absolute).
    fn path(&self, p: &str) -> String {
        if p.starts_with('/') || p.starts_with(&format!("{}/", self.dir)) {
            join("", p)
        } else {
            join(&self.root, p)
        }
    }

    /// `expr` evaluated by `hcl-rs` in the context, or symbolic.
    fn evaluated(&mut self, place: &str, expr: &Expression) -> Value {
        match expr.evaluate(&self.ctx) {
            Ok(v) => serde_json::to_value(&v).unwrap_or(Value::Null),
            Err(_) => self.symbol(place, expr),
        }
    }
}

/// A value as text in a string (numbers and booleans written out).
#[must_use]
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A template (`templatefile`, `data "template_file"`) rendered with `vars`: `${name}` replaced
/// by the variable's value, `$${` kept as `${`; what is not a known variable is left as written.
#[must_use]
pub fn render(template: &str, vars: &Value) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(r) = after.strip_prefix("$${") {
            out.push_str("${");
            rest = r;
            continue;
        }
        if let Some(r) = after.strip_prefix("${")
            && let Some(end) = r.find('}')
        {
            let name = r[..end].trim();
            if let Some(v) = vars.get(name) {
                out.push_str(&text(v));
                rest = &r[end + 1..];
                continue;
            }
        }
        out.push('$');
        rest = &after[1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::render;

    #[test]
    fn templates_render_known_variables_and_keep_the_rest() {
        assert_eq!(
            render(
                r#"{"cpu": ${cpu}, "image": "${ image }", "x": "$${y}", "z": "${other}"}"#,
                &json!({"cpu": 256, "image": "nginx"})
            ),
            r#"{"cpu": 256, "image": "nginx", "x": "${y}", "z": "${other}"}"#
        );
    }
}
