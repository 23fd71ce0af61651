use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, Severity, code};
use crate::source::Span;
use crate::syntax::document::EnabledDisabled;

const DOC: &str = r"# efs-transit-unencrypted (A011)

## What it checks
Every EFS volume of a task (`efsVolumeConfiguration`) has `transitEncryption: ENABLED`. Left out,
it is `DISABLED`. When the volume also uses IAM authorization (`authorizationConfig.iam:
ENABLED`) or an access point (`accessPointId`), the finding is an error: ECS rejects such a task
definition.

## Why
Without transit encryption the task mounts the file system over plain NFS: every file it reads or
writes (a database's data files, uploads) crosses the network unencrypted, readable by anything
that can see the traffic. With it, the EFS mount helper wraps NFS in TLS, at a small CPU cost.
IAM authorization and access points work only over that TLS connection, so ECS requires transit
encryption for them.

## Example
```yaml
volumes:
  - name: data
    efsVolumeConfiguration:
      fileSystemId: goals-data       # transitEncryption left out: DISABLED
```

## How to fix
Add `transitEncryption: ENABLED` to the volume's `efsVolumeConfiguration`. Nothing else changes:
EFS still listens on port 2049 (`transitEncryptionPort` only picks the local port of the TLS
tunnel).

## References
- checkov `CKV_AWS_97` (encryption in transit for EFS volumes in ECS task definitions)
- trivy `AVD-AWS-0035` (`aws-ecs-enable-in-transit-encryption`)
- AWS Config rule `ecs-task-definition-efs-encryption-enabled`
- ECS API reference, `EFSAuthorizationConfig`: with `iam` enabled or an access point, transit
  encryption must be on: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EFSAuthorizationConfig.html>
- Amazon EFS: encrypting data in transit: <https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html>
";

pub(crate) const RULE: Rule = Rule::new(&code::A011, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        for volume in &service.task_definition.volumes {
            let Some(efs) = &volume.efs_volume_configuration else {
                continue;
            };
            let written = efs.transit_encryption.as_ref();
            if written.is_some_and(|t| t.value == EnabledDisabled::Enabled) {
                continue;
            }
            let name = &volume.name.value;
            let fs = &efs.file_system_id.value;
            let (span, label) = written.map_or_else(
                || {
                    (
                        Span::of(&volume.name),
                        "`transitEncryption` defaults to DISABLED",
                    )
                },
                |t| (Span::of(t), "plain NFS: no TLS"),
            );
            let auth = efs.authorization_config.as_ref();
            let iam = auth
                .and_then(|a| a.iam.as_ref())
                .filter(|i| i.value == EnabledDisabled::Enabled);
            let access_point = auth.and_then(|a| a.access_point_id.as_ref());
            let d = if iam.is_some() || access_point.is_some() {
                let (what, needs) = match (iam, access_point) {
                    (Some(_), Some(_)) => ("IAM authorization and an access point", "both need"),
                    (Some(_), None) => ("IAM authorization", "it needs"),
                    _ => ("an access point", "it needs"),
                };
                let mut d = CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "EFS volume `{name}` uses {what} without transit encryption: ECS rejects the task definition"
                    ),
                    Label::new(span, label),
                )
                .with_note(format!(
                    "{needs} the TLS connection that `transitEncryption: ENABLED` sets up"
                ));
                d.severity = Severity::Error;
                if let Some(i) = iam {
                    d = d.with_secondary(Label::new(Span::of(i), "requires transit encryption"));
                }
                if let Some(ap) = access_point {
                    d = d.with_secondary(Label::new(Span::of(ap), "requires transit encryption"));
                }
                d
            } else {
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "EFS volume `{name}` mounts file system `{fs}` without encryption in transit"
                    ),
                    Label::new(span, label),
                )
                .with_note("every file the task reads or writes there crosses the network unencrypted")
            };
            out.push(
                d.with_help(
                    "set `transitEncryption: ENABLED` in the volume's `efsVolumeConfiguration`",
                )
                .about(name),
            );
        }
    }
}
