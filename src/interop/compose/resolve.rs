//! What compose resolves on the merged project before it runs anything: which services the
//! active profiles enable, what `depends_on` on a disabled service means, and each service's
//! environment (its `env_file` files, then `environment`, with variables named without a value
//! taken from the project's variables).
//!
//! The result is still a YAML tree, for the reader: disabled services are gone (and listed),
//! `env_file` and `profiles` are gone, `environment` holds the values.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::load::{Env, Loader};
use super::merge::{env_entries, set_entries};
use super::value::{as_bool, as_str, wrong_type};
use super::yaml::{V, Y};
use super::{ImportError, Notes, dotenv};

/// The profiles of a service (`None` when it has none: it is always enabled).
fn profiles(service: &Y, name: &str) -> Result<Option<Vec<String>>, ImportError> {
    let Some(p) = service.get("profiles") else {
        return Ok(None);
    };
    let place = format!("services.{name}.profiles");
    let V::Seq(items) = &p.v else {
        return Err(wrong_type(p, &place, "a list of profile names"));
    };
    items
        .iter()
        .map(|i| as_str(i, &place))
        .collect::<Result<Vec<_>, _>>()
        .map(|v| (!v.is_empty()).then_some(v))
}

/// Remove the services no active profile enables (`*` enables every one), listing them; drop
/// `profiles` from the others.
///
/// # Errors
/// A `profiles` that is not a list of names; a required `depends_on` on a disabled service
/// (compose refuses it: "depends on undefined service").
pub(super) fn select_profiles(
    root: &mut Y,
    active: &[String],
    notes: &mut Notes,
) -> Result<(), ImportError> {
    let Some(services_y) = root.get_mut("services") else {
        return Ok(());
    };
    let at = Y::at(V::Null, services_y);
    let V::Map(services) = &mut services_y.v else {
        return Ok(());
    };
    let all = active.iter().any(|p| p == "*");
    let mut disabled: Vec<(String, Vec<String>)> = Vec::new();
    let mut kept = Vec::new();
    for (k, mut v) in std::mem::take(services) {
        let name = k.scalar().unwrap_or_default();
        match profiles(&v, &name)? {
            Some(p) if !all && !p.iter().any(|x| active.contains(x)) => {
                notes.push(format!(
                    "`services.{name}`: only in profile {}, which is not active: not imported (pass {} to import it)",
                    p.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", "),
                    p.iter().map(|x| format!("`--profile {x}`")).collect::<Vec<_>>().join(" or "),
                ));
                disabled.push((name, p));
            }
            _ => {
                v.remove("profiles");
                kept.push((k, v));
            }
        }
    }
    if kept.is_empty()
        && let Some((_, p)) = disabled.first()
    {
        return Err(ImportError::at(
            &at,
            "every service is in a profile that is not active: there is nothing to import",
        )
        .help(format!(
            "pass the profiles to import with `--profile` (e.g. `--profile {}`), or `--profile '*'` for all",
            p.first().map_or("NAME", String::as_str)
        )));
    }
    *services = kept;
    let names: BTreeSet<String> = services.iter().filter_map(|(k, _)| k.scalar()).collect();
    let disabled: BTreeMap<String, Vec<String>> = disabled.into_iter().collect();
    for (k, v) in services.iter_mut() {
        let name = k.scalar().unwrap_or_default();
        if let Some(deps) = v.get_mut("depends_on") {
            drop_missing_dependencies(deps, &name, &names, &disabled, notes)?;
        }
    }
    Ok(())
}

/// A service's `depends_on` without the optional (`required: false`) dependencies on services
/// that are not there (listed), and with `required` itself dropped. A required dependency on a
/// disabled service is an error, as in compose.
fn drop_missing_dependencies(
    deps: &mut Y,
    me: &str,
    present: &BTreeSet<String>,
    disabled: &BTreeMap<String, Vec<String>>,
    notes: &mut Notes,
) -> Result<(), ImportError> {
    let place = format!("services.{me}.depends_on");
    let disabled_error = |at: &Y, dep: &str, p: &[String]| {
        ImportError::at(
            at,
            format!(
                "`{place}`: `{dep}` is only in profile {}, which is not active; compose refuses this too (\"depends on undefined service\")",
                p.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")
            ),
        )
        .help(format!(
            "pass {} to import `{dep}` as well, or give the dependency `required: false`",
            p.iter().map(|x| format!("`--profile {x}`")).collect::<Vec<_>>().join(" or ")
        ))
    };
    match &mut deps.v {
        V::Seq(items) => {
            for i in items.iter() {
                let dep = i.scalar().unwrap_or_default();
                if let Some(p) = disabled.get(&dep) {
                    return Err(disabled_error(i, &dep, p));
                }
            }
        }
        V::Map(entries) => {
            let mut kept = Vec::new();
            for (k, mut v) in std::mem::take(entries) {
                let dep = k.scalar().unwrap_or_default();
                let required = match v.remove("required") {
                    Some(r) => as_bool(&r, &format!("{place}.{dep}.required"))?,
                    None => true,
                };
                if present.contains(&dep) {
                    kept.push((k, v));
                    continue;
                }
                if let Some(p) = disabled.get(&dep) {
                    if required {
                        return Err(disabled_error(&k, &dep, p));
                    }
                    notes.push(format!(
                        "`{place}.{dep}`: an optional dependency (`required: false`) on a service that is not active: left out"
                    ));
                } else if required {
                    // Not a service at all: the reader says so, at its place.
                    kept.push((k, v));
                } else {
                    notes.push(format!(
                        "`{place}.{dep}`: an optional dependency (`required: false`) on a service that does not exist: left out"
                    ));
                }
            }
            *entries = kept;
        }
        _ => {}
    }
    Ok(())
}

/// Each service's environment as compose resolves it: the variables of its `env_file` files (in
/// order, later files winning), then its `environment`; a variable named without a value takes
/// the project's value (`env`), or is left for the reader to list when there is none.
///
/// # Errors
/// An env file that is missing (unless `required: false`), unreadable or not valid; an
/// `env_file` of the wrong shape.
pub(super) fn environments(
    root: &mut Y,
    env: &Env,
    loader: &mut Loader<'_>,
) -> Result<(), ImportError> {
    let Some(V::Map(services)) = root.get_mut("services").map(|s| &mut s.v) else {
        return Ok(());
    };
    for (k, service) in services.iter_mut() {
        let name = k.scalar().unwrap_or_default();
        let from_files = match service.remove("env_file") {
            Some(files) => env_file_vars(&files, &name, env, loader)?,
            None => Vec::new(),
        };
        let Some(environment) = service.get_mut("environment") else {
            if let Some((first, _)) = from_files.first() {
                let at = Y::at(V::Map(from_files.clone()), first);
                if let V::Map(entries) = &mut service.v {
                    entries.push((Y::str_at("environment", first), at));
                }
            }
            continue;
        };
        if from_files.is_empty() {
            fill_from_env(environment, env);
            continue;
        }
        if !matches!(environment.v, V::Map(_) | V::Seq(_)) {
            // The reader reports the wrong shape.
            continue;
        }
        let in_files: BTreeSet<String> =
            from_files.iter().filter_map(|(k, _)| k.scalar()).collect();
        let mut more = Vec::new();
        for (key, value) in env_entries(environment) {
            let value = if value.is_null() {
                let var = key.scalar().unwrap_or_default();
                match env.get(&var) {
                    Some(v) => Y::str_at(v, &value),
                    // A value from an env file stays; none at all is listed by the reader.
                    None if in_files.contains(&var) => continue,
                    None => value,
                }
            } else {
                value
            };
            more.push((key, value));
        }
        let mut entries = from_files;
        set_entries(&mut entries, more);
        environment.v = V::Map(entries);
    }
    Ok(())
}

/// Variables named without a value (`- NAME`, `NAME:`) take the project's value when it has one.
fn fill_from_env(environment: &mut Y, env: &Env) {
    match &mut environment.v {
        V::Seq(items) => {
            for i in items {
                if let V::Str(s) = &mut i.v
                    && !s.contains('=')
                    && let Some(v) = env.get(s)
                {
                    *s = format!("{s}={v}");
                }
            }
        }
        V::Map(entries) => {
            for (k, v) in entries {
                if v.is_null()
                    && let Some(val) = k.scalar().and_then(|n| env.get(&n))
                {
                    *v = Y::str_at(val, v);
                }
            }
        }
        _ => {}
    }
}

/// The variables of a service's `env_file` (a path, a list of paths, or of `{path, required,
/// format}`), each as a (name, value) pair placed at the `env_file`.
fn env_file_vars(
    files: &Y,
    service: &str,
    env: &Env,
    loader: &mut Loader<'_>,
) -> Result<Vec<(Y, Y)>, ImportError> {
    let place = format!("services.{service}.env_file");
    let items: Vec<&Y> = match &files.v {
        V::Seq(items) => items.iter().collect(),
        V::Str(_) => vec![files],
        V::Null => Vec::new(),
        _ => return Err(wrong_type(files, &place, "a file name or a list of them")),
    };
    let mut earlier = dotenv::Vars::default();
    for item in items {
        let (path, required, raw) = match &item.v {
            V::Str(s) => (s.clone(), true, false),
            V::Map(_) => {
                let p = item.get("path").ok_or_else(|| {
                    ImportError::at(item, format!("`{place}`: an entry needs `path`"))
                })?;
                let required = match item.get("required") {
                    Some(r) => as_bool(r, &format!("{place}.required"))?,
                    None => true,
                };
                let raw = match item.get("format") {
                    None => false,
                    Some(f) => match as_str(f, &format!("{place}.format"))?.as_str() {
                        "raw" => true,
                        other => {
                            return Err(ImportError::at(
                                f,
                                format!("`{place}.format`: unknown format `{other}`"),
                            )
                            .help("compose reads env files in its own format, or `raw`"));
                        }
                    },
                };
                (as_str(p, &format!("{place}.path"))?, required, raw)
            }
            _ => {
                return Err(wrong_type(
                    item,
                    &place,
                    "a file name or a mapping with `path`",
                ));
            }
        };
        let path = PathBuf::from(path);
        // A required file that is missing (an `.env` the project's README says to copy from an
        // example) does not stop the import: its variables are missing, and the notes say so.
        let Some((id, text)) = loader.read(&path, Some(item), true)? else {
            if required {
                loader
                    .missing_env_files
                    .push((service.to_owned(), super::load::shown(&path)));
            }
            continue;
        };
        let parsed = if raw {
            dotenv::parse_raw(&text)
        } else {
            // Earlier env files of this service first, then the project's variables.
            let lookup = |n: &str| earlier.get(n).or_else(|| env.get(n));
            dotenv::parse(&text, &lookup).map_err(|e| {
                ImportError::new(
                    id,
                    e.line,
                    1,
                    format!("{} (env file of `{service}`)", e.message),
                )
            })?
        };
        for (k, v) in parsed.list {
            earlier.set(k, v);
        }
    }
    Ok(earlier
        .list
        .into_iter()
        .map(|(k, v)| (Y::str_at(k, files), Y::str_at(v, files)))
        .collect())
}
