use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{ContainerDefinition, LaunchType, MountPoint, Role, Service, Volume};

const DOC: &str = r"# ephemeral-database-storage (A008)

## What it checks
A container with `role: database` has a writable, persistent volume mounted at its data path:
`dataPath` when given, else the path of the official image (`/data/db` for `mongo`,
`/var/lib/postgresql/data` for `postgres`, `/var/lib/mysql` for `mysql`, …). Persistent means an
EFS volume (`efsVolumeConfiguration`), or a host path on EC2.

## Why
A container's own file system, and Fargate task storage, are deleted with the task. Every
redeploy, scale-in or crash replacement then starts the database empty: the data is gone. This is
why the reference system mounts an EFS volume at MongoDB's `/data/db`.

## Example
```yaml
- name: mongodb
  role: database
  image: mongo          # no mountPoints: data lives and dies with the task
```

## How to fix
Declare an EFS file system, a task volume using it, and mount the volume at the data path:
```yaml
mountPoints: [{sourceVolume: data, containerPath: /data/db}]
...
volumes: [{name: data, efsVolumeConfiguration: {fileSystemId: db-data}}]
```
Or use a managed database and drop the container.

## References
- AWS ECS developer guide, 'Use Amazon EFS volumes with Amazon ECS'.
- Docker Hub, official `mongo`, `postgres` and `mysql` images, 'Where to Store Data'.
";

pub(crate) const RULE: Rule = Rule::new(&code::A008, DOC, check);

/// The mount that holds `path`: mounted at it or at a parent directory (deepest wins).
pub(crate) fn mount_holding<'a>(c: &'a ContainerDefinition, path: &str) -> Option<&'a MountPoint> {
    c.mount_points
        .iter()
        .filter(|m| path_within(path, &m.container_path.value))
        .max_by_key(|m| m.container_path.value.trim_end_matches('/').len())
}

fn path_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    path == dir
        || dir.is_empty()
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The task volume a mount uses, if declared.
pub(crate) fn volume_of<'a>(service: &'a Service, mount: &MountPoint) -> Option<&'a Volume> {
    service
        .task_definition
        .volumes
        .iter()
        .find(|v| v.name.value == mount.source_volume.value)
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for (service, c) in cx.model.containers() {
        if c.role() != Some(Role::Database) {
            continue;
        }
        let name = &c.name.value;
        let Some(path) = c.data_path() else {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!("archflow does not know where database `{name}` keeps its data"),
                    Label::new(Span::of(&c.image), "image without a known data path"),
                )
                .with_help("set `dataPath:` on the container to the directory its data lives in")
                .about(name),
            );
            continue;
        };
        let Some(mount) = mount_holding(c, path) else {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!("database `{name}` keeps its data in {path}, on storage deleted with the task"),
                    Label::new(Span::of(&c.name), format!("nothing is mounted at {path}")),
                )
                .with_note("every redeploy, scale-in or task replacement starts the database empty")
                .with_help(format!(
                    "mount an EFS volume at {path}: `mountPoints: [{{sourceVolume: …, containerPath: {path}}}]`"
                ))
                .about(name),
            );
            continue;
        };
        if let Some(ro) = mount.read_only.as_ref().filter(|r| r.value) {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!("database `{name}` has its data path {path} mounted read-only"),
                    Label::new(Span::of(ro), "the database cannot write here"),
                )
                .with_help("remove `readOnly: true` from the data mount")
                .about(name),
            );
            continue;
        }
        let Some(volume) = volume_of(service, mount) else {
            continue; // unknown-reference reports it
        };
        let fargate = service.launch_type() == Some(LaunchType::Fargate);
        let persistent = volume.efs_volume_configuration.is_some()
            || (!fargate
                && volume
                    .host
                    .as_ref()
                    .is_some_and(|h| h.source_path.is_some()));
        if !persistent {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "database `{name}` stores {path} on volume `{}`, which is deleted with the task",
                        volume.name.value
                    ),
                    Label::new(Span::of(&mount.source_volume), "task storage, not persistent"),
                )
                .with_secondary(Label::new(Span::of(&volume.name), "volume defined here"))
                .with_help("give the volume an `efsVolumeConfiguration` so the data outlives the task")
                .about(name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::path_within;

    #[test]
    fn parent_mounts_hold_paths() {
        assert!(path_within("/data/db", "/data/db"));
        assert!(path_within("/data/db", "/data"));
        assert!(path_within("/data/db", "/data/"));
        assert!(!path_within("/data/db", "/dat"));
        assert!(!path_within("/data", "/data/db"));
    }
}
