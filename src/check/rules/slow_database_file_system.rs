use std::collections::BTreeMap;

use super::ephemeral_database_storage::{mount_holding, volume_of};
use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{FileSystemSetting, PerformanceMode, Role, ThroughputMode};

const DOC: &str = r"# slow-database-file-system (A031)

## What it checks
An EFS file system that holds a database's data directory uses the `generalPurpose` performance
mode and a throughput mode without burst credits (`elastic` or `provisioned`). A file system
without `throughputMode` uses `bursting`, the AWS API default, unless `throughputMode` is listed
under its `unknown` settings: then nothing is assumed.

## Why
A database does many small, synchronous writes, and EFS is network storage: it works, but every
millisecond counts.
- `maxIO` mode trades latency for parallelism; it suits thousands of clients reading big files,
  not one database. The mode is fixed when the file system is created.
- `bursting` throughput scales with the amount of data stored: a small file system (a few GiB,
  typical for one database) earns little credit, and once the credits are spent it slows to its
  baseline of about 50 KiB/s per GiB stored. The database then stalls under load.

## Example
```yaml
fileSystems:
  - name: db-data
    performanceMode: maxIO
    throughputMode: bursting
```

## How to fix
Use `performanceMode: generalPurpose` (a new file system; copy the data over) and
`throughputMode: elastic`, which scales with use and has no credits. For a database with
steady, heavy I/O, a managed database (Amazon DocumentDB, RDS) or block storage is faster still.

## References
- AWS, Amazon EFS user guide: “Performance modes” (General Purpose recommended; Max I/O has
  higher latency) and “Throughput modes” (bursting credits and baseline, Elastic).
- AWS, `CreateFileSystem` API: `PerformanceMode`, `ThroughputMode` (default `bursting`).
";

pub(crate) const RULE: Rule = Rule::new(&code::A031, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    let by_file_system = databases_by_file_system(cx);
    for fs in &cx.model.doc.file_systems {
        let Some(databases) = by_file_system.get(fs.name.value.as_str()) else {
            continue;
        };
        let Some(&(first, _)) = databases.first() else {
            continue;
        };
        let name = &fs.name.value;
        let who = if databases.len() == 1 {
            format!("database `{first}` keeps its data")
        } else {
            format!("{} databases keep their data", databases.len())
        };
        let with_mounts = |mut d: Diagnostic| {
            for &(db, span) in databases {
                d = d.with_secondary(Label::new(span, format!("data of `{db}`")));
            }
            d.about(name)
        };
        if let Some(mode) = fs
            .performance_mode
            .as_ref()
            .filter(|m| m.value == PerformanceMode::MaxIO)
        {
            out.push(with_mounts(
                CheckContext::diagnostic(
                    &RULE,
                    format!("{who} on `{name}`, an EFS file system in maxIO mode: higher latency on every write"),
                    Label::new(Span::of(mode), "built for parallel readers, not a database"),
                )
                .with_help(
                    "use a file system with `performanceMode: generalPurpose` (the mode is fixed at creation: copy the data over)",
                ),
            ));
        }
        let bursting = match &fs.throughput_mode {
            Some(t) if t.value == ThroughputMode::Bursting => Some(Label::new(
                Span::of(t),
                "throughput limited by burst credits",
            )),
            // Nobody knows: assume nothing.
            None if fs.is_unknown(FileSystemSetting::ThroughputMode) => None,
            None => Some(Label::new(
                Span::of(&fs.name),
                "`throughputMode` defaults to bursting",
            )),
            Some(_) => None,
        };
        if let Some(label) = bursting {
            out.push(with_mounts(
                CheckContext::diagnostic(
                    &RULE,
                    format!("{who} on `{name}`, whose bursting throughput runs out with the credits"),
                    label,
                )
                .with_note(
                    "a small file system earns few credits; without them it slows to about 50 KiB/s per GiB stored",
                )
                .with_help("set `throughputMode: elastic` (no credits, pay for what is used) or `provisioned`"),
            ));
        }
    }
}

/// Databases whose data path is on an EFS volume, by file system name: (container, the mount's
/// volume span), in document order.
fn databases_by_file_system<'a>(
    cx: &'a CheckContext<'_>,
) -> BTreeMap<&'a str, Vec<(&'a str, Span)>> {
    let mut found: BTreeMap<&str, Vec<(&str, Span)>> = BTreeMap::new();
    for (service, c) in cx.model.containers() {
        if c.role() != Some(Role::Database) {
            continue;
        }
        let Some(mount) = c.data_path().and_then(|path| mount_holding(c, path)) else {
            continue;
        };
        if let Some(efs) =
            volume_of(service, mount).and_then(|v| v.efs_volume_configuration.as_ref())
        {
            found
                .entry(efs.file_system_id.value.as_str())
                .or_default()
                .push((c.name.value.as_str(), Span::of(&mount.source_volume)));
        }
    }
    found
}
