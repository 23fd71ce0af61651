//! Completion: the names valid where the cursor is (the volumes of this task after
//! `sourceVolume:`, target groups after `targetGroup:`, any component in a flow step, rule codes
//! in `suppress:`), the values a key allows, and the keys a mapping may have. The cursor's
//! context comes from the text, so completion works while the document does not load; names
//! come from the last model that did.

use std::fmt::Write as _;

use super::context::{self, Context, Place, Seg};
use super::keys;
use super::text::LineIndex;
use crate::diagnostic::code::{self, Kind as CodeKind};
use crate::model::{Component, Kind, Model};

/// How many names one answer holds at most (the client asks again as the word grows).
pub const MAX_ITEMS: usize = 200;

/// What an item is, for its icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Component(Kind),
    AccessPoint,
    Rule,
    Value,
    Key,
}

/// One completion, replacing the byte range `range` of the text with `insert`.
#[derive(Clone, Debug)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    pub insert: String,
    pub range: (usize, usize),
    /// Sorts before items with a larger one (items of the cursor's own task first).
    pub rank: u8,
}

/// The completions at `offset`, and whether the list was cut at [`MAX_ITEMS`].
#[must_use]
pub fn complete(
    text: &str,
    lines: &LineIndex,
    offset: usize,
    model: Option<&Model>,
) -> (Vec<Item>, bool) {
    let Some(ctx) = context::at(text, lines, offset) else {
        return (Vec::new(), false);
    };
    let mut items = match &ctx.place {
        Place::Key => key_items(text, lines, offset, &ctx),
        Place::Value { key } => value_items(text, lines, &ctx, key, model),
    };
    let prefix = ctx.prefix.to_lowercase();
    items.retain(|i| prefix.is_empty() || i.label.to_lowercase().contains(&prefix));
    items.sort_by(|a, b| {
        let starts = |i: &Item| !i.label.to_lowercase().starts_with(&prefix);
        (a.rank, starts(a), &a.label).cmp(&(b.rank, starts(b), &b.label))
    });
    let cut = items.len() > MAX_ITEMS;
    items.truncate(MAX_ITEMS);
    (items, cut)
}

fn key_items(text: &str, lines: &LineIndex, offset: usize, ctx: &Context) -> Vec<Item> {
    if matches!(ctx.path.as_slice(), [Seg::Key(c), Seg::Key(r)] if c == "checks" && r == "rules") {
        return rule_items(ctx, ": ");
    }
    let present = context::sibling_keys(text, lines, lines.line_of(offset));
    keys::keys(&ctx.path)
        .into_iter()
        .filter(|k| !present.iter().any(|p| p == k.name))
        .map(|k| Item {
            label: k.name.to_owned(),
            kind: ItemKind::Key,
            detail: k.required.then(|| "required".to_owned()),
            documentation: (!k.description.is_empty()).then(|| k.description.to_owned()),
            insert: if k.nested {
                format!("{}:", k.name)
            } else {
                format!("{}: ", k.name)
            },
            range: ctx.word,
            rank: u8::from(!k.required),
        })
        .collect()
}

fn rule_items(ctx: &Context, suffix: &str) -> Vec<Item> {
    code::ALL
        .iter()
        .filter(|c| c.kind == CodeKind::Rule)
        .map(|c| Item {
            label: c.id.to_owned(),
            kind: ItemKind::Rule,
            detail: Some(format!("{} ({})", c.name, c.severity)),
            documentation: Some(c.summary.to_owned()),
            insert: format!("{}{suffix}", c.id),
            range: ctx.word,
            rank: 0,
        })
        .collect()
}

/// The key of the list the mapping at the end of `path` is an item of (`mountPoints` for
/// `…mountPoints, -`), or the mapping's own key.
fn parent_key(path: &[Seg]) -> Option<&str> {
    path.iter().rev().find_map(|s| match s {
        Seg::Key(k) => Some(k.as_str()),
        Seg::Item(_) => None,
    })
}

/// The service the cursor's task belongs to, by its `serviceName`.
fn service_of(text: &str, lines: &LineIndex, path: &[Seg]) -> Option<String> {
    match path {
        [Seg::Key(s), Seg::Item(line), ..] if s == "services" => {
            context::item_value(text, lines, *line, "serviceName")
        }
        _ => None,
    }
}

fn value_items(
    text: &str,
    lines: &LineIndex,
    ctx: &Context,
    key: &str,
    model: Option<&Model>,
) -> Vec<Item> {
    let parent = parent_key(&ctx.path);
    if key == "rule" && parent == Some("suppress") {
        return rule_items(ctx, "");
    }
    let service = service_of(text, lines, &ctx.path);
    let in_service = |kind: Kind| -> Vec<Item> {
        let (Some(model), Some(service)) = (model, service.as_deref()) else {
            return Vec::new();
        };
        model
            .components
            .values()
            .filter(|c| c.id.kind == kind && c.service.as_deref() == Some(service))
            .map(|c| name_item(c, &c.short, ctx, 0))
            .collect()
    };
    let of_kind = |kinds: &[Kind]| -> Vec<Item> {
        let Some(model) = model else {
            return Vec::new();
        };
        model
            .components
            .values()
            .filter(|c| c.id.kind.is_referenceable())
            .filter(|c| kinds.is_empty() || kinds.contains(&c.id.kind))
            .map(|c| {
                // A short name of the cursor's own task names its component; others need the
                // name that works from anywhere.
                let own = service.is_some() && c.service == service && c.id.kind.is_scoped();
                let name = if own {
                    c.short.as_str()
                } else {
                    model.reference_name(&c.id)
                };
                name_item(c, name, ctx, u8::from(!own))
            })
            .collect()
    };
    let items = match (parent, key) {
        (Some("mountPoints"), "sourceVolume") => in_service(Kind::Volume),
        (Some("dependsOn" | "loadBalancers"), "containerName") | (_, "links") => {
            in_service(Kind::Container)
        }
        (_, "targetGroup") => of_kind(&[Kind::TargetGroup]),
        (Some("efsVolumeConfiguration"), "fileSystemId") => of_kind(&[Kind::FileSystem]),
        (_, "connectsTo")
        | (Some("steps"), "from" | "to")
        | (Some("include" | "exclude"), "name") => of_kind(&[]),
        (Some("authorizationConfig"), "accessPointId") => access_points(text, lines, ctx, model),
        (Some("include" | "exclude"), "service") => model.map_or_else(Vec::new, |model| {
            model
                .components
                .values()
                .filter(|c| c.id.kind == Kind::Service)
                .map(|c| name_item(c, &c.short, ctx, 0))
                .collect()
        }),
        _ => Vec::new(),
    };
    if !items.is_empty() {
        return items;
    }
    keys::values(&ctx.path, key)
        .into_iter()
        .map(|v| Item {
            insert: v.clone(),
            label: v,
            kind: ItemKind::Value,
            detail: None,
            documentation: None,
            range: ctx.word,
            rank: 0,
        })
        .collect()
}

fn name_item(c: &Component, name: &str, ctx: &Context, rank: u8) -> Item {
    let mut detail = c.id.kind.as_str().to_owned();
    if let Some(service) = &c.service
        && c.id.kind.is_scoped()
    {
        let _ = write!(detail, " of service {service}");
    }
    Item {
        label: name.to_owned(),
        kind: ItemKind::Component(c.id.kind),
        detail: Some(detail),
        documentation: None,
        insert: plain_or_quoted(name),
        range: ctx.word,
        rank,
    }
}

fn access_points(text: &str, lines: &LineIndex, ctx: &Context, model: Option<&Model>) -> Vec<Item> {
    let volume = ctx.path.iter().rev().find_map(|s| match s {
        Seg::Item(line) => Some(*line),
        Seg::Key(_) => None,
    });
    let fs = volume.and_then(|v| context::nested_value(text, lines, v, "fileSystemId"));
    let (Some(model), Some(fs)) = (model, fs) else {
        return Vec::new();
    };
    let Some(fs) = model.file_system(&fs) else {
        return Vec::new();
    };
    fs.access_points
        .iter()
        .map(|ap| Item {
            label: ap.name.value.clone(),
            kind: ItemKind::AccessPoint,
            detail: Some(format!("access point of {}", fs.name.value)),
            documentation: None,
            insert: plain_or_quoted(&ap.name.value),
            range: ctx.word,
            rank: 0,
        })
        .collect()
}

/// A name as a YAML scalar: plain when it reads back as the same string, else double-quoted.
#[must_use]
pub fn plain_or_quoted(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with(|c: char| c.is_whitespace() || "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !name.ends_with(|c: char| c.is_whitespace() || c == ':')
        && !name.contains(": ")
        && !name.contains(" #")
        && !name.contains(|c: char| c.is_control() || "[]{},".contains(c))
        && !matches!(
            name.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        )
        && name.parse::<f64>().is_err();
    if plain {
        name.to_owned()
    } else {
        serde_json::to_string(name).unwrap_or_else(|_| format!("\"{name}\""))
    }
}
