use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::LaunchType;

const DOC: &str = r#"# efs-on-old-platform (A022)

## What it checks
A Fargate service whose task mounts an EFS volume (`efsVolumeConfiguration`) runs on platform
version 1.4.0 or later: `platformVersion` is left out, `LATEST`, or at least `1.4.0`.

## Why
Fargate mounts EFS file systems only from Linux platform version 1.4.0 on. On 1.3.0 and older
ECS refuses to run the task, so the service never gets a running task.

## Example
```yaml
launchType: FARGATE
platformVersion: "1.3.0"
taskDefinition:
  volumes:
    - {name: data, efsVolumeConfiguration: {fileSystemId: db-data}}
```

## How to fix
Set `platformVersion: "1.4.0"` (or `LATEST`, or remove the line: `LATEST` is the default).
Platform 1.4.0 reaches EFS over the task's own network interface, so the file system's mount
targets must accept NFS (port 2049) from the task's security group.

## References
- AWS, Amazon ECS developer guide: “Amazon EFS volumes” (“supported on Fargate platform version
  1.4.0 or later”) and “Fargate Linux platform versions”.
- AWS, `CreateService` API: `platformVersion` (default `LATEST`).
"#;

pub(crate) const RULE: Rule = Rule::new(&code::A022, DOC, check);

/// `1.3.0` → `(1, 3, 0)`; `None` for `LATEST` or anything not a version.
fn version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.trim().trim_start_matches(['v', 'V']).split('.');
    let mut next = || parts.next().map_or(Some(0), |p| p.parse::<u32>().ok());
    let v = (next()?, next()?, next()?);
    parts.next().is_none().then_some(v)
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        if service.launch_type() != Some(LaunchType::Fargate) {
            continue;
        }
        let Some(platform) = &service.platform_version else {
            continue;
        };
        if version(&platform.value).is_none_or(|v| v >= (1, 4, 0)) {
            continue;
        }
        let efs: Vec<_> = service
            .task_definition
            .volumes
            .iter()
            .filter(|v| v.efs_volume_configuration.is_some())
            .collect();
        if efs.is_empty() {
            continue;
        }
        let name = &service.service_name.value;
        let mut d = CheckContext::diagnostic(
            &RULE,
            format!(
                "service `{name}` mounts EFS on Fargate platform {}, but EFS needs 1.4.0 or later",
                platform.value
            ),
            Label::new(Span::of(platform), "too old for EFS volumes"),
        )
        .with_note("ECS refuses to run the task, so the service never gets a running task")
        .with_help(
            "set `platformVersion: \"1.4.0\"` or `LATEST` (or remove it: LATEST is the default)",
        )
        .about(name);
        for v in efs {
            d = d.with_secondary(Label::new(Span::of(&v.name), "EFS volume"));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(version("1.3.0"), Some((1, 3, 0)));
        assert_eq!(version("1.4"), Some((1, 4, 0)));
        assert_eq!(version("LATEST"), None);
        assert!(version("1.10.0") > version("1.4.0"));
        assert_eq!(version("1.4.0.1"), None);
    }
}
