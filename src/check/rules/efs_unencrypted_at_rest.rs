use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;

const DOC: &str = r"# efs-unencrypted-at-rest (A012)

## What it checks
Every file system under `fileSystems` has `encrypted: true`. Left out, it counts as not
encrypted: the EFS API and CloudFormation default to `false` (only the console turns encryption
on by default).

## Why
An unencrypted file system keeps its data, and its backups, in plain form on AWS storage. Many
compliance rules require encryption at rest, and it costs nothing noticeable: EFS encrypts and
decrypts transparently with a KMS key. It can only be chosen when the file system is created.

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
        let (span, label) = match &fs.encrypted {
            Some(e) if e.value => continue,
            Some(e) => (Span::of(e), "stored unencrypted"),
            None => (Span::of(&fs.name), "`encrypted` defaults to false"),
        };
        let name = &fs.name.value;
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
