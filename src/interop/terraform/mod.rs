//! `archflow import terraform` and `drift --terraform`: a Terraform configuration (a folder of
//! `.tf` files, parsed with `hcl-rs`) or `terraform show -json` output → the ECS JSON of a
//! [`crate::interop::iac::Stack`].
//!
//! A configuration is evaluated as far as it says ([`eval`]): variables' defaults, locals,
//! `jsonencode`, `file` and `templatefile` of the module's files, `data "template_file"`,
//! `count` and `for_each` over known collections, and local modules (`source = "./…"`, with the
//! arguments given). [`resources`] maps `aws_ecs_task_definition` (its `container_definitions`
//! JSON is the API's), `aws_ecs_service`, `aws_lb`, `aws_lb_target_group`, `aws_lb_listener`,
//! `aws_lb_listener_rule`, `aws_efs_file_system` and `aws_efs_access_point` (and the `aws_alb*`
//! names), and security groups (`aws_security_group` with its `ingress` blocks,
//! `aws_security_group_rule` of type `ingress`, `aws_vpc_security_group_ingress_rule`) into the
//! stack's [`crate::interop::iac::SecurityGroups`]. What cannot be evaluated stays symbolic as
//! `${expression}`. The files are read through [`Files`], which the CLI implements; a file that
//! is not HCL is an error at the parser's line and column.

pub mod eval;
pub mod resources;

use hcl::eval::Context;
use hcl::structure::{Block, BlockLabel, Body};
use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::Located;
use crate::interop::iac::Stack;
use eval::{Eval, render, text};
use resources::{Links, TYPES, model_name};

/// The files of a configuration, as the CLI reads them.
pub trait Files {
    /// The text of a file.
    ///
    /// # Errors
    /// Why it cannot be read.
    fn read(&self, path: &str) -> Result<String, String>;
    /// The names of the `.tf` files of a folder, sorted; `None` when `path` is not a folder.
    fn tf_files(&self, path: &str) -> Option<Vec<String>>;
}

/// `dir/path`, with `.` and `..` taken out where they can be.
#[must_use]
pub fn join(dir: &str, path: &str) -> String {
    let full = if path.starts_with('/') || dir.is_empty() {
        path.to_owned()
    } else {
        format!("{dir}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in full.split('/') {
        match p {
            "." => {}
            "" if !parts.is_empty() => {}
            ".." if parts.last().is_some_and(|l| *l != ".." && !l.is_empty()) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// How deep local modules are followed.
const MAX_DEPTH: usize = 8;

/// Read a configuration folder, or `terraform show -json` output, into one stack.
///
/// # Errors
/// A `.tf` file that is not HCL, or JSON that is not `terraform show -json` output.
pub fn read(path: &str, files: &dyn Files) -> Result<Stack, Located> {
    let mut stack = Stack::default();
    let mut links = Links::default();
    match files.tf_files(path) {
        Some(_) => module(
            &mut stack,
            &mut links,
            files,
            path,
            "",
            &Map::new(),
            0,
            path,
        )?,
        None => show_json(
            &mut stack,
            &mut links,
            path,
            &files.read(path).map_err(|e| Located::file(path, e))?,
        )?,
    }
    resources::link(&mut stack, &links);
    Ok(stack)
}

/// `terraform show -json` output (state or plan): the resources of the root module and its
/// child modules, with their attribute values.
fn show_json(stack: &mut Stack, links: &mut Links, path: &str, json: &str) -> Result<(), Located> {
    let value: Value = serde_json::from_str(json).map_err(|e| {
        Located::new(
            path,
            e.line(),
            e.column(),
            format!("invalid JSON: {}", crate::error::json_reason(&e)),
        )
    })?;
    let root = value
        .get("values")
        .or_else(|| value.get("planned_values"))
        .and_then(|v| v.get("root_module"))
        .ok_or_else(|| {
            Located::file(
                path,
                "expected `terraform show -json` output: an object with `values.root_module` \
                 (state) or `planned_values.root_module` (plan), or a folder of .tf files",
            )
        })?;
    let mut modules = vec![root];
    let mut skipped: IndexMap<String, usize> = IndexMap::new();
    let mut all = Vec::new();
    while let Some(m) = modules.pop() {
        for r in m
            .get("resources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            all.push(r);
        }
        for c in m
            .get("child_modules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            modules.push(c);
        }
    }
    // Listeners before their rules.
    all.sort_by_key(|r| {
        r.get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.ends_with("listener_rule"))
    });
    for r in all {
        if r.get("mode").and_then(Value::as_str) == Some("data") {
            continue;
        }
        let kind = r.get("type").and_then(Value::as_str).unwrap_or_default();
        let address = r.get("address").and_then(Value::as_str).unwrap_or_default();
        let label = r.get("name").and_then(Value::as_str).unwrap_or_default();
        let Some(attrs) = r.get("values").and_then(Value::as_object) else {
            continue;
        };
        if !TYPES.contains(&kind) {
            *skipped.entry(kind.to_owned()).or_default() += 1;
            continue;
        }
        let name = model_name(kind, label, attrs);
        // References in state give a security group's id, not its ARN.
        let identity = (if kind == "aws_security_group" {
            attrs.get("id")
        } else {
            attrs.get("arn").or_else(|| attrs.get("id"))
        })
        .map(text)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| name.clone());
        let name = if kind.starts_with("aws_efs") {
            identity.clone()
        } else {
            name
        };
        resources::add(
            stack,
            links,
            &format!("{path}:{address}"),
            kind,
            &name,
            &identity,
            attrs,
        );
    }
    for (kind, n) in skipped {
        stack.not_imported.push(format!("{path}: {n} × {kind}"));
    }
    Ok(())
}

fn label(b: &Block, i: usize) -> String {
    match b.labels.get(i) {
        Some(BlockLabel::String(s)) => s.clone(),
        Some(BlockLabel::Identifier(id)) => id.to_string(),
        None => String::new(),
    }
}

/// A block's body as JSON: attributes evaluated, nested blocks as lists of objects.
fn body_json(e: &mut Eval, place: &str, body: &Body) -> Map<String, Value> {
    let mut out = Map::new();
    for a in body.attributes() {
        let key = a.key.to_string();
        if matches!(
            key.as_str(),
            "count" | "for_each" | "depends_on" | "provider" | "lifecycle"
        ) {
            continue;
        }
        let v = e.eval(&format!("{place}.{key}"), &a.expr);
        out.insert(key, v);
    }
    for b in body.blocks() {
        let key = b.identifier.to_string();
        if matches!(
            key.as_str(),
            "lifecycle" | "dynamic" | "provisioner" | "timeouts"
        ) {
            continue;
        }
        let v = Value::Object(body_json(e, &format!("{place}.{key}"), &b.body));
        match out.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(a) => a.push(v),
            other => *other = Value::Array(vec![v]),
        }
    }
    out
}

/// A `.tf` file that is not HCL: the line and column the parser stopped at, and why.
fn hcl_error(path: &str, e: &hcl::Error) -> Located {
    match e {
        hcl::Error::Parse(p) => Located::new(
            path,
            p.location().line(),
            p.location().column(),
            format!("invalid HCL: {}", crate::text::one_line(p.message())),
        ),
        other => Located::file(
            path,
            format!("invalid HCL: {}", crate::text::one_line(&other.to_string())),
        ),
    }
}

fn hcl_value(v: &Value) -> hcl::Value {
    hcl::to_value(v).unwrap_or(hcl::Value::Null)
}

/// One module: its `.tf` files in `dir`, its variables given `inputs`; resources' addresses
/// start with `prefix` (`module.name.`).
#[allow(clippy::too_many_arguments)]
fn module(
    stack: &mut Stack,
    links: &mut Links,
    files: &dyn Files,
    dir: &str,
    prefix: &str,
    inputs: &Map<String, Value>,
    depth: usize,
    root: &str,
) -> Result<(), Located> {
    let names = files.tf_files(dir).unwrap_or_default();
    if names.is_empty() {
        return Err(Located::file(dir, "no .tf files in this folder"));
    }
    let mut blocks: Vec<(String, Block)> = Vec::new();
    for name in &names {
        let path = join(dir, name);
        let text = files.read(&path).map_err(|e| Located::file(&path, e))?;
        let body = hcl::parse(&text).map_err(|e| hcl_error(&path, &e))?;
        for b in body.into_blocks() {
            blocks.push((path.clone(), b));
        }
    }
    let mut e = Eval {
        ctx: Context::new(),
        dir: dir.to_owned(),
        root: root.to_owned(),
        files,
        symbolic: Vec::new(),
    };
    e.ctx.declare_var(
        "path",
        hcl_value(&serde_json::json!({"module": dir, "root": dir, "cwd": dir})),
    );
    // Variables: given, else their defaults.
    let mut vars = Map::new();
    for (_, b) in blocks
        .iter()
        .filter(|(_, b)| b.identifier.as_str() == "variable")
    {
        let name = label(b, 0);
        if let Some(v) = inputs.get(&name) {
            vars.insert(name, v.clone());
        } else if let Some(d) = b.body.attributes().find(|a| a.key.as_str() == "default") {
            let v = e.eval(&format!("var.{name}"), &d.expr);
            vars.insert(name, v);
        }
    }
    e.ctx.declare_var("var", hcl_value(&Value::Object(vars)));
    // Locals, in as many passes as they refer to each other.
    let local_attrs: Vec<_> = blocks
        .iter()
        .filter(|(_, b)| b.identifier.as_str() == "locals")
        .flat_map(|(_, b)| b.body.attributes().cloned().collect::<Vec<_>>())
        .collect();
    let mut locals = Map::new();
    for _ in 0..4 {
        e.symbolic.clear();
        for a in &local_attrs {
            let v = e.eval(&format!("local.{}", a.key), &a.expr);
            locals.insert(a.key.to_string(), v);
        }
        e.ctx
            .declare_var("local", hcl_value(&Value::Object(locals.clone())));
    }
    e.symbolic.clear();
    // What references to the imported resources give.
    let mut refs: Map<String, Value> = Map::new();
    for (_, b) in blocks
        .iter()
        .filter(|(_, b)| b.identifier.as_str() == "resource")
    {
        let (kind, name) = (label(b, 0), label(b, 1));
        if !TYPES.contains(&kind.as_str()) {
            continue;
        }
        let attrs = body_json(&mut e, &format!("{kind}.{name}"), &b.body);
        let model = model_name(&kind, &name, &attrs);
        let identity = if resources::by_address(&kind) {
            format!("{prefix}{kind}.{name}")
        } else {
            model.clone()
        };
        let entry = refs
            .entry(kind.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = entry {
            m.insert(
                name,
                serde_json::json!({"arn": identity, "id": identity, "name": model, "family": model}),
            );
        }
    }
    for (k, v) in &refs {
        e.ctx.declare_var(k.as_str(), hcl_value(v));
    }
    e.symbolic.clear();
    // data "template_file": rendered.
    let mut data = Map::new();
    for (_, b) in blocks
        .iter()
        .filter(|(_, b)| b.identifier.as_str() == "data")
    {
        let (kind, name) = (label(b, 0), label(b, 1));
        if kind != "template_file" {
            continue;
        }
        let attrs = body_json(&mut e, &format!("data.{kind}.{name}"), &b.body);
        let template = attrs.get("template").map(text).unwrap_or_default();
        let vars = attrs.get("vars").map_or(Value::Null, |v| match v {
            Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
            other => other.clone(),
        });
        let entry = data
            .entry("template_file")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = entry {
            m.insert(
                name,
                serde_json::json!({"rendered": render(&template, &vars)}),
            );
        }
    }
    e.ctx.declare_var("data", hcl_value(&Value::Object(data)));
    e.symbolic.clear();

    // Resources (listeners before their rules), then modules.
    let mut skipped: IndexMap<String, usize> = IndexMap::new();
    let mut resources: Vec<&(String, Block)> = blocks
        .iter()
        .filter(|(_, b)| b.identifier.as_str() == "resource")
        .collect();
    resources.sort_by_key(|(_, b)| label(b, 0).ends_with("listener_rule"));
    for (path, b) in resources {
        let (kind, name) = (label(b, 0), label(b, 1));
        if !TYPES.contains(&kind.as_str()) {
            *skipped.entry(kind).or_default() += 1;
            continue;
        }
        let address = format!("{prefix}{kind}.{name}");
        // count and for_each over what is known: one resource each.
        let mut instances: Vec<(String, Value, Value)> = Vec::new(); // (suffix, count, each)
        if let Some(c) = b.body.attributes().find(|a| a.key.as_str() == "count") {
            match e.eval(&format!("{address}.count"), &c.expr) {
                Value::Number(n) if n.as_u64().is_some() => {
                    for i in 0..n.as_u64().unwrap_or(0).min(100) {
                        instances.push((
                            format!("[{i}]"),
                            serde_json::json!({"index": i}),
                            Value::Null,
                        ));
                    }
                }
                other => {
                    stack.not_imported.push(format!(
                        "{path}:{address}: count {} is not known",
                        text(&other)
                    ));
                    continue;
                }
            }
        } else if let Some(f) = b.body.attributes().find(|a| a.key.as_str() == "for_each") {
            match e.eval(&format!("{address}.for_each"), &f.expr) {
                Value::Object(m) => {
                    for (k, v) in m {
                        instances.push((
                            format!("[\"{k}\"]"),
                            Value::Null,
                            serde_json::json!({"key": k, "value": v}),
                        ));
                    }
                }
                Value::Array(a) => {
                    for v in a {
                        let k = text(&v);
                        instances.push((
                            format!("[\"{k}\"]"),
                            Value::Null,
                            serde_json::json!({"key": k, "value": v}),
                        ));
                    }
                }
                other => {
                    stack.not_imported.push(format!(
                        "{path}:{address}: for_each {} is not known",
                        text(&other)
                    ));
                    continue;
                }
            }
        } else {
            instances.push((String::new(), Value::Null, Value::Null));
        }
        let many = instances.len() > 1 || !instances.first().is_some_and(|i| i.0.is_empty());
        for (suffix, count, each) in instances {
            e.ctx.declare_var("count", hcl_value(&count));
            e.ctx.declare_var("each", hcl_value(&each));
            let before = e.symbolic.len();
            let attrs = body_json(&mut e, &format!("{address}{suffix}"), &b.body);
            if kind.contains("security_group") {
                // What stays symbolic in a security group (its VPC, a group it names) is said
                // where the groups are read (`iac::connections`), not listed here.
                e.symbolic.truncate(before);
            }
            let mut model = model_name(&kind, &name, &attrs);
            if many && model == name {
                let key = suffix.trim_matches(|c| c == '[' || c == ']' || c == '"');
                model = format!("{name}-{key}");
            }
            let identity = if resources::by_address(&kind) {
                format!("{prefix}{kind}.{name}")
            } else {
                model.clone()
            };
            resources::add(
                stack,
                links,
                &format!("{path}:{address}{suffix}"),
                &kind,
                &model,
                &identity,
                &attrs,
            );
        }
    }
    for (kind, n) in skipped {
        stack.not_imported.push(format!("{dir}: {n} × {kind}"));
    }
    for (path, b) in blocks
        .iter()
        .filter(|(_, b)| b.identifier.as_str() == "module")
    {
        let name = label(b, 0);
        let attrs = body_json(&mut e, &format!("module.{name}"), &b.body);
        let source = attrs.get("source").map(text).unwrap_or_default();
        let local = source.starts_with("./") || source.starts_with("../");
        let sub = join(dir, &source);
        if !local || depth >= MAX_DEPTH || files.tf_files(&sub).is_none_or(|f| f.is_empty()) {
            let why = if local {
                "its folder is not there"
            } else {
                "not a local module"
            };
            stack
                .not_imported
                .push(format!("{path}:module.{name}: source {source} ({why})"));
            continue;
        }
        module(
            stack,
            links,
            files,
            &sub,
            &format!("{prefix}module.{name}."),
            &attrs,
            depth + 1,
            root,
        )?;
    }
    stack
        .symbolic
        .extend(e.symbolic.into_iter().map(|s| format!("{dir}: {s}")));
    Ok(())
}

#[cfg(test)]
mod tests;
