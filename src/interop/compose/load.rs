//! Loading a compose project as `docker compose` does before it looks at services: the
//! variables (the process environment over `--env-file` files or the project's `.env`), then
//! for each compose file in `-f` order: parse, interpolate, resolve `extends` and `include`,
//! and merge onto the files before it ([`merge`](super::merge)).
//!
//! Files are read through [`Files`]; this module never touches the file system. Relative paths
//! are joined to the folder they are relative to (the project directory for the `-f` files, the
//! file's own folder for an `extends` file, the include's project directory for an included
//! file) and normalized without reading anything, so a cycle is seen whatever the spelling.
//! `include` and `extends` may reach any file, as in compose, but cycles are errors and both
//! the nesting and the number of files read are bounded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use super::dotenv;
use super::merge::{self, merge};
use super::reader;
use super::template::{self, TemplateError};
use super::value::{as_map, as_str, wrong_type};
use super::yaml::{self, V, Y};
use super::{FileError, Files, ImportError, Project};

/// How deep `include` and `extends` may nest.
const MAX_DEPTH: usize = 16;
/// How many files one import may read.
const MAX_FILES: usize = 256;

/// The variables interpolation sees, precedence already applied.
#[derive(Clone, Debug, Default)]
pub(super) struct Env(BTreeMap<String, String>);

impl Env {
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    /// `low`'s variables where this has none.
    fn under(mut self, low: Vec<(String, String)>) -> Self {
        for (k, v) in low {
            self.0.entry(k).or_insert(v);
        }
        self
    }
}

/// A variable that was not set (compose warns and uses an empty string).
#[derive(Clone, Debug)]
pub(super) struct Unset {
    pub name: String,
    pub file: usize,
    pub line: usize,
    pub col: usize,
}

/// A compose file loaded on its own: its tree, and where its relative paths start.
struct FileCtx {
    path: PathBuf,
    wd: PathBuf,
    services: Y,
}

/// The loading state: the file table (ids are indexes), the warnings, the limits.
pub(super) struct Loader<'a> {
    files: &'a dyn Files,
    /// Every file read, by id (error places name them).
    pub table: Vec<PathBuf>,
    pub unset: Vec<Unset>,
    /// A service's `env_file` that is not there (compose would refuse to start the service; an
    /// import goes on without its variables and says so): (service, file shown).
    pub missing_env_files: Vec<(String, String)>,
    /// `extends` files already read and interpolated, by path.
    extends_cache: BTreeMap<PathBuf, Y>,
}

/// `path` without `.` and with `..` applied where it can be (never reading the file system).
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The folder of a file (`""`, the current folder, for a bare name or standard input).
pub(super) fn folder(path: &Path) -> PathBuf {
    path.parent().map_or_else(PathBuf::new, Path::to_path_buf)
}

/// `rel` relative to `dir`, normalized (an absolute `rel` stays as it is).
pub(super) fn join(dir: &Path, rel: &str) -> PathBuf {
    normalize(&dir.join(rel))
}

/// What to do with a construct archflow does not resolve itself.
pub(super) const CONFIG_HELP: &str = "let compose resolve it: run `docker compose config > resolved.yml` where compose can, and import `resolved.yml`";

/// Whether a path names a remote resource (an OCI artifact, a git repository), which compose
/// fetches and archflow does not.
fn remote(path: &str) -> bool {
    path.contains("://") || path.starts_with("git@")
}

/// An error for a remote `include` or `extends` file.
fn remote_error(at: &Y, what: &str, path: &str) -> ImportError {
    ImportError::at(
        at,
        format!("{what} names a remote file (`{path}`): archflow reads only local files"),
    )
    .help(CONFIG_HELP)
}

/// How the import names a file.
pub(super) fn shown(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

impl<'a> Loader<'a> {
    pub fn new(files: &'a dyn Files) -> Self {
        Self {
            files,
            table: Vec::new(),
            unset: Vec::new(),
            missing_env_files: Vec::new(),
            extends_cache: BTreeMap::new(),
        }
    }

    /// Read `path` into the file table; `at` is the value that names it (`None`: the command
    /// line). `Ok(None)` when it is missing and `optional`.
    pub fn read(
        &mut self,
        path: &Path,
        at: Option<&Y>,
        optional: bool,
    ) -> Result<Option<(usize, String)>, ImportError> {
        // A file named on the command line is the place of its own error.
        let fail = |message: String| match at {
            Some(y) => ImportError::at(y, message),
            None => ImportError {
                file: Some(shown(path)),
                ..ImportError::whole(message)
            },
        };
        if self.table.len() >= MAX_FILES {
            return Err(fail(format!(
                "more than {MAX_FILES} files to read: `include` or `extends` goes too far"
            )));
        }
        match self.files.read(path) {
            Ok(text) => {
                self.table.push(path.to_path_buf());
                Ok(Some((self.table.len() - 1, text)))
            }
            Err(FileError::NotFound | FileError::IsFolder) if optional => Ok(None),
            Err(e) => Err(fail(format!(
                "cannot read `{}`: {}",
                shown(path),
                match e {
                    FileError::NotFound => "no such file".to_owned(),
                    FileError::IsFolder => "it is a folder".to_owned(),
                    FileError::Other(why) => why,
                }
            ))),
        }
    }

    /// The variables of env files, each read as compose reads `.env` (`lookup`: the variables
    /// that win over the files, which their values may use). Later files win over earlier ones.
    pub fn env_files(
        &mut self,
        paths: &[(PathBuf, Option<Y>)],
        optional: bool,
        lookup: &Env,
    ) -> Result<Vec<(String, String)>, ImportError> {
        let mut vars = dotenv::Vars::default();
        for (path, at) in paths {
            let Some((id, text)) = self.read(path, at.as_ref(), optional)? else {
                continue;
            };
            let find = |n: &str| lookup.get(n).or_else(|| vars.get(n));
            let parsed = dotenv::parse(&text, &find)
                .map_err(|e| ImportError::new(id, e.line, 1, e.message))?;
            for (k, v) in parsed.list {
                vars.set(k, v);
            }
        }
        Ok(vars.list)
    }

    /// The project's variables: the process environment over `--env-file` files, or over the
    /// project directory's `.env` when there is one.
    pub fn project_env(&mut self, project: &Project, dir: &Path) -> Result<Env, ImportError> {
        let process = Env(project.environment.clone());
        let (paths, optional): (Vec<(PathBuf, Option<Y>)>, bool) = if project.env_files.is_empty() {
            (vec![(join(dir, ".env"), None)], true)
        } else {
            (
                project
                    .env_files
                    .iter()
                    .map(|p| (normalize(p), None))
                    .collect(),
                false,
            )
        };
        let vars = self.env_files(&paths, optional, &process)?;
        Ok(process.under(vars))
    }

    /// The merged tree of compose files `paths` (`-f` order), relative paths in them relative to
    /// `wd`. `stack` holds the files being included (for cycles).
    pub fn load_files(
        &mut self,
        paths: &[(PathBuf, Option<Y>)],
        wd: &Path,
        env: &Env,
        stack: &mut Vec<PathBuf>,
    ) -> Result<Y, ImportError> {
        let mut merged: Option<Y> = None;
        for (path, at) in paths {
            let y = self.load_file(path, at.as_ref(), wd, env, stack)?;
            merged = Some(match merged {
                None => y,
                Some(base) => merge(base, y, &mut Vec::new())?,
            });
        }
        merged.ok_or_else(|| ImportError::whole("no compose file to read"))
    }

    /// One compose file: parsed, interpolated, its `extends` and `include` resolved.
    fn load_file(
        &mut self,
        path: &Path,
        at: Option<&Y>,
        wd: &Path,
        env: &Env,
        stack: &mut Vec<PathBuf>,
    ) -> Result<Y, ImportError> {
        let mut root = self.parse(path, at, env)?;
        resolve_env_file_paths(&mut root, wd);
        let ctx = FileCtx {
            path: path.to_path_buf(),
            wd: wd.to_path_buf(),
            services: root
                .get("services")
                .cloned()
                .unwrap_or_else(|| Y::at(V::Null, &root)),
        };
        if let V::Map(_) = ctx.services.v {
            let names: Vec<String> = ctx
                .services
                .entries()
                .unwrap_or_default()
                .iter()
                .filter_map(|(k, _)| k.scalar())
                .collect();
            for name in names {
                let resolved = self.extended(&ctx, &name, env, &mut Vec::new())?;
                if let Some(s) = root.get_mut("services").and_then(|s| s.get_mut(&name)) {
                    *s = resolved;
                }
            }
        }
        if let Some(include) = root.remove("include") {
            stack.push(normalize(path));
            let included = self.include(&include, wd, env, stack);
            stack.pop();
            import_resources(&mut root, included?, &include)?;
        }
        Ok(root)
    }

    /// Read, parse and interpolate one file.
    fn parse(&mut self, path: &Path, at: Option<&Y>, env: &Env) -> Result<Y, ImportError> {
        let Some((id, text)) = self.read(path, at, false)? else {
            return Err(ImportError::whole(format!("cannot read `{}`", shown(path))));
        };
        if text.trim().is_empty() {
            return Err(ImportError::new(id, 0, 0, "the file is empty"));
        }
        // Several documents in one file are merged, like several files.
        let mut merged: Option<Y> = None;
        for mut doc in yaml::parse_documents(&text, id)? {
            reader::check_shape(&doc)?;
            self.interpolate(&mut doc, env, &mut String::new())?;
            merged = Some(match merged {
                None => doc,
                Some(base) => merge(base, doc, &mut Vec::new())?,
            });
        }
        merged.ok_or_else(|| ImportError::new(id, 0, 0, "the file is empty"))
    }

    /// Interpolate every string value (not keys) of `y`; `place` is its dotted path.
    fn interpolate(&mut self, y: &mut Y, env: &Env, place: &mut String) -> Result<(), ImportError> {
        let (file, line, col) = (y.file, y.line, y.col);
        match &mut y.v {
            V::Str(s) if s.contains('$') => {
                let lookup = |n: &str| env.get(n);
                match template::substitute(s, &lookup) {
                    Ok((out, unset)) => {
                        *s = out;
                        for name in unset {
                            if !self.unset.iter().any(|u| u.name == name) {
                                self.unset.push(Unset {
                                    name,
                                    file,
                                    line,
                                    col,
                                });
                            }
                        }
                    }
                    Err(e) => {
                        let text = s.clone();
                        return Err(template_error(y, &text, place, e));
                    }
                }
            }
            V::Seq(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let len = place.len();
                    place.push('[');
                    place.push_str(&i.to_string());
                    place.push(']');
                    self.interpolate(item, env, place)?;
                    place.truncate(len);
                }
            }
            V::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    let len = place.len();
                    if !place.is_empty() {
                        place.push('.');
                    }
                    place.push_str(&k.scalar().unwrap_or_default());
                    self.interpolate(v, env, place)?;
                    place.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Service `name` of `file` with its `extends` resolved (recursively); `chain` holds the
    /// services being resolved, for cycles.
    fn extended(
        &mut self,
        file: &FileCtx,
        name: &str,
        env: &Env,
        chain: &mut Vec<(PathBuf, String)>,
    ) -> Result<Y, ImportError> {
        let Some(service) = file.services.get(name) else {
            return Err(ImportError::whole(format!("no service `{name}`")));
        };
        let Some(ext) = service.get("extends") else {
            return Ok(service.clone());
        };
        let place = format!("services.{name}.extends");
        let (base_name, base_file) = match &ext.v {
            V::Str(s) => (s.clone(), None),
            V::Map(_) => {
                let svc = ext
                    .get("service")
                    .ok_or_else(|| ImportError::at(ext, format!("`{place}` needs `service`")))?;
                let f = ext
                    .get("file")
                    .map(|f| as_str(f, &format!("{place}.file")).map(|s| (s, f.clone())))
                    .transpose()?;
                (as_str(svc, &format!("{place}.service"))?, f)
            }
            _ => {
                return Err(wrong_type(
                    ext,
                    &place,
                    "a service name or a mapping with `service`",
                ));
            }
        };
        let me = (normalize(&file.path), name.to_owned());
        if chain.contains(&me) {
            let mut names: Vec<String> = chain.iter().map(|(_, n)| format!("`{n}`")).collect();
            names.push(format!("`{name}`"));
            return Err(ImportError::at(
                ext,
                format!("`extends` goes round in a circle: {}", names.join(" → ")),
            ));
        }
        if chain.len() >= MAX_DEPTH {
            return Err(ImportError::at(
                ext,
                format!("`extends` nests more than {MAX_DEPTH} services deep"),
            ));
        }
        chain.push(me);
        let base = match base_file {
            None => {
                if file.services.get(&base_name).is_none() {
                    chain.pop();
                    return Err(ImportError::at(
                        ext,
                        format!("`{place}`: there is no service `{base_name}` in this file"),
                    ));
                }
                self.extended(file, &base_name, env, chain)
            }
            Some((rel, at)) => {
                if remote(&rel) {
                    chain.pop();
                    return Err(remote_error(&at, &format!("`{place}.file`"), &rel));
                }
                let path = join(&file.wd, &rel);
                let other = self.extends_file(&path, &at, env)?;
                if other.services.get(&base_name).is_none() {
                    chain.pop();
                    return Err(ImportError::at(
                        ext,
                        format!(
                            "`{place}`: there is no service `{base_name}` in `{}`",
                            shown(&path)
                        ),
                    ));
                }
                self.extended(&other, &base_name, env, chain)
            }
        };
        chain.pop();
        let mut base = base?;
        // As in compose: what ties a service to others is not inherited.
        base.remove("depends_on");
        base.remove("volumes_from");
        let mut local = service.clone();
        local.remove("extends");
        let mut path = vec!["services".to_owned(), name.to_owned()];
        merge(base, local, &mut path)
    }

    /// The file an `extends` names: parsed and interpolated once, its relative paths from its own
    /// folder; no `include` is resolved in it.
    fn extends_file(&mut self, path: &Path, at: &Y, env: &Env) -> Result<FileCtx, ImportError> {
        let wd = folder(path);
        let root = if let Some(y) = self.extends_cache.get(path) {
            y.clone()
        } else {
            let mut root = self.parse(path, Some(at), env)?;
            resolve_env_file_paths(&mut root, &wd);
            self.extends_cache.insert(path.to_path_buf(), root.clone());
            root
        };
        let services = root
            .get("services")
            .cloned()
            .unwrap_or_else(|| Y::at(V::Null, &root));
        Ok(FileCtx {
            path: path.to_path_buf(),
            wd,
            services,
        })
    }

    /// The resources of every project an `include` names, merged.
    fn include(
        &mut self,
        include: &Y,
        wd: &Path,
        env: &Env,
        stack: &mut Vec<PathBuf>,
    ) -> Result<Vec<(Y, Y)>, ImportError> {
        let V::Seq(items) = &include.v else {
            return Err(wrong_type(include, "include", "a list of files"));
        };
        let mut out = Vec::new();
        for item in items {
            let strings = |y: &Y, place: &str| -> Result<Vec<(String, Y)>, ImportError> {
                match &y.v {
                    V::Seq(list) => list
                        .iter()
                        .map(|i| as_str(i, place).map(|s| (s, i.clone())))
                        .collect(),
                    _ => Ok(vec![(as_str(y, place)?, y.clone())]),
                }
            };
            let (paths, project_dir, env_files) = match &item.v {
                V::Str(_) => (strings(item, "include")?, None, Vec::new()),
                V::Map(_) => {
                    let path = item
                        .get("path")
                        .ok_or_else(|| ImportError::at(item, "an `include` entry needs `path`"))?;
                    let dir = item
                        .get("project_directory")
                        .map(|d| as_str(d, "include.project_directory"))
                        .transpose()?;
                    let env_files = match item.get("env_file") {
                        Some(e) => strings(e, "include.env_file")?,
                        None => Vec::new(),
                    };
                    (strings(path, "include.path")?, dir, env_files)
                }
                _ => {
                    return Err(wrong_type(
                        item,
                        "include",
                        "a file name or a mapping with `path`",
                    ));
                }
            };
            if let Some((p, y)) = paths.iter().find(|(p, _)| remote(p)) {
                return Err(remote_error(y, "`include`", p));
            }
            let paths: Vec<(PathBuf, Option<Y>)> = paths
                .into_iter()
                .map(|(p, y)| (join(wd, &p), Some(y)))
                .collect();
            let Some((first, _)) = paths.first() else {
                return Err(ImportError::at(item, "an `include` entry names no file"));
            };
            for (p, y) in &paths {
                if stack.contains(p) {
                    let mut names: Vec<String> =
                        stack.iter().map(|s| format!("`{}`", shown(s))).collect();
                    names.push(format!("`{}`", shown(p)));
                    return Err(ImportError::at(
                        y.as_ref().unwrap_or(item),
                        format!("`include` goes round in a circle: {}", names.join(" → ")),
                    ));
                }
            }
            if stack.len() >= MAX_DEPTH {
                return Err(ImportError::at(
                    item,
                    format!("`include` nests more than {MAX_DEPTH} files deep"),
                ));
            }
            let dir = project_dir.map_or_else(|| folder(first), |d| join(wd, &d));
            let (env_paths, optional) = if env_files.is_empty() {
                (vec![(join(&dir, ".env"), None)], true)
            } else {
                (
                    env_files
                        .into_iter()
                        .map(|(p, y)| (join(wd, &p), Some(y)))
                        .collect(),
                    false,
                )
            };
            // The including project's variables win over the included project's `.env`.
            let vars = self.env_files(&env_paths, optional, env)?;
            let inc_env = env.clone().under(vars);
            let tree = self.load_files(&paths, &dir, &inc_env, stack)?;
            if let V::Map(entries) = tree.v {
                out.extend(entries);
            }
        }
        Ok(out)
    }
}

/// An interpolation error at the value `y` (`place`: its dotted path).
fn template_error(y: &Y, text: &str, place: &str, e: TemplateError) -> ImportError {
    match e {
        TemplateError::Invalid => ImportError::at(
            y,
            format!("`{place}`: invalid interpolation in `{text}`"),
        )
        .help("write `$$` for a `$` that starts no variable; variables are `$NAME` or `${NAME…}`"),
        TemplateError::Required { name, message } => ImportError::at(
            y,
            format!(
                "`{place}`: required variable `{name}` is missing a value{}",
                if message.is_empty() {
                    String::new()
                } else {
                    format!(": {message}")
                }
            ),
        )
        .help(format!(
            "set `{name}` in the environment, in the project's `.env`, or in a file given with `--env-file`"
        )),
        TemplateError::TooDeep => ImportError::at(
            y,
            format!("`{place}`: variables nested too deeply in `{text}`"),
        ),
    }
}

/// A service's `env_file` paths made relative to the current folder (they are relative to `wd`
/// in the file), so they stay right after merging with files from other folders.
fn resolve_env_file_paths(root: &mut Y, wd: &Path) {
    let Some(V::Map(services)) = root.get_mut("services").map(|s| &mut s.v) else {
        return;
    };
    for (_, service) in services.iter_mut() {
        let Some(env_file) = service.get_mut("env_file") else {
            continue;
        };
        let fix = |y: &mut Y| {
            if let V::Str(s) = &mut y.v {
                *s = join(wd, s).display().to_string();
            }
        };
        match &mut env_file.v {
            V::Str(_) => fix(env_file),
            V::Seq(items) => {
                for i in items {
                    match i.get_mut("path") {
                        Some(p) => fix(p),
                        None => fix(i),
                    }
                }
            }
            _ => {}
        }
    }
}

/// Add the resources of included projects to `root`. A name both define is an error unless
/// both definitions are the same, as in compose.
fn import_resources(root: &mut Y, included: Vec<(Y, Y)>, include: &Y) -> Result<(), ImportError> {
    const SECTIONS: [&str; 6] = [
        "services", "volumes", "networks", "secrets", "configs", "models",
    ];
    let V::Map(top) = &mut root.v else {
        return Ok(());
    };
    for (k, v) in included {
        let section = k.scalar().unwrap_or_default();
        if !SECTIONS.contains(&section.as_str()) {
            continue;
        }
        let Some(added) = v.entries().map(<[(Y, Y)]>::to_vec) else {
            continue;
        };
        let found = top
            .iter()
            .position(|(tk, _)| tk.scalar().as_deref() == Some(&section));
        let i = found.unwrap_or_else(|| {
            top.push((k.clone(), Y::at(V::Map(Vec::new()), &k)));
            top.len() - 1
        });
        let target = &mut top[i].1;
        if target.is_null() {
            target.v = V::Map(Vec::new());
        }
        as_map(target, &section)?;
        let V::Map(existing) = &mut target.v else {
            continue;
        };
        let mut index: HashMap<String, usize> = existing
            .iter()
            .enumerate()
            .filter_map(|(i, (k, _))| k.scalar().map(|k| (k, i)))
            .collect();
        for (name, def) in added {
            let n = name.scalar().unwrap_or_default();
            match index.get(&n) {
                Some(&i) if existing[i].1.same(&def) => {}
                Some(_) => {
                    return Err(ImportError::at(
                        include,
                        format!("`include`: {section} `{n}` is defined both here and in an included file"),
                    )
                    .help("compose refuses two definitions of one name: rename one, or override the included one in a file listed with it under the include's `path`"));
                }
                None => {
                    index.insert(n, existing.len());
                    existing.push((name, def));
                }
            }
        }
    }
    Ok(())
}

/// The merged project tree, `!reset` applied and the lists compose keeps unique made so.
pub(super) fn finish(mut root: Y) -> Y {
    merge::strip_tags(&mut root);
    merge::unique(&mut root, &mut Vec::new());
    root
}
