use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, Severity, code};
use crate::source::Span;
use crate::syntax::document::FileSystemSetting;

const DOC: &str = r"# efs-unencrypted-at-rest (A012)

## What it checks
Every file system under `fileSystems` has `encrypted: true`. Left out, it counts as not
encrypted: the EFS API and CloudFormation default to `false` (only the console turns encryption
on by default).

## Why
An unencrypted file system keeps its data, and its backups, in plain form on AWS storage. Many
compliance rules require encryption at rest, and it costs nothing noticeable: EFS encrypts and
decrypts transparently with a KMS key. It can only be chosen when the file system is created.

A file system whose encryption nobody has checked (`unknown: [encrypted]`, as importers write
when a task definition does not say) gets an info that asks to check it, not a warning.

## Example
```yaml
fileSystems:
  - name: goals-data
    encrypted: false
```

## How to fix
Set `encrypted: true` (with the AWS managed key `aws/elasticfilesystem`, or a KMS key of your own).
An existing file system cannot be encrypted in place: create an encrypted one, copy the data
(AWS DataSync, or `rsync` from a task that mounts both) and point the volumes at it.

## References
- checkov `CKV_AWS_42` (EFS is securely encrypted)
- trivy `AVD-AWS-0037` (`aws-efs-enable-at-rest-encryption`)
- AWS Security Hub `EFS.1` (Elastic File System should be configured to encrypt file data at
  rest using AWS KMS)
- Amazon EFS: encrypting data at rest: <https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html>
";

pub(crate) const RULE: Rule = Rule::new(&code::A012, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for fs in &cx.model.doc.file_systems {
        let name = &fs.name.value;
        if fs.is_unknown(FileSystemSetting::Encrypted) {
            // Not known to be unencrypted: say what to check, as an info.
            let unknown = fs
                .unknown
                .iter()
                .find(|u| u.value == FileSystemSetting::Encrypted);
            let span = unknown.map_or_else(|| Span::of(&fs.name), Span::of);
            let mut d = CheckContext::diagnostic(
                &RULE,
                format!("whether file system `{name}` is encrypted at rest is unknown"),
                Label::new(span, "marked unknown"),
            )
            .with_help(
                "look the file system up (`aws efs describe-file-systems`), write `encrypted: true` \
                 (or false) and remove `encrypted` from `unknown`",
            )
            .about(name);
            d.severity = Severity::Info;
            out.push(d);
            continue;
        }
        let (span, label) = match &fs.encrypted {
            Some(e) if e.value => continue,
            Some(e) => (Span::of(e), "stored unencrypted"),
            None => (Span::of(&fs.name), "`encrypted` defaults to false"),
        };
        out.push(
            CheckContext::diagnostic(
                &RULE,
                format!("file system `{name}` is not encrypted at rest"),
                Label::new(span, label),
            )
            .with_note("encryption can only be chosen when a file system is created")
            .with_help(
                "set `encrypted: true`; for an existing file system, create an encrypted one and copy the data over (AWS DataSync)",
            )
            .about(name),
        );
    }
}
