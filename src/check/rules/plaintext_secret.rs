use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::secret::{AWS_KEY, is_reference, secret_name, secret_value};
use crate::source::Span;

const DOC: &str = r"# plaintext-secret (A016)

## What it checks
No container passes a secret through `environment`. A variable is reported when its name says it
holds one (a word such as `PASSWORD`, `PASSWD`, `PASSPHRASE`, `SECRET`, `TOKEN`, `CREDENTIALS`,
`API_KEY`, `ACCESS_KEY`, `PRIVATE_KEY`, `DB_PASS`), or when its value looks like one whatever the
name: an AWS access key id, a private key, a URL with a password in it
(`mongodb://app:hunter2@db/…`) or a well-known API token (`ghp_…`, `glpat-…`, `xoxb-…`,
`sk_live_…`). Names that only point at a secret (`…_FILE`, `…_PATH`, `…_ARN`, `…_URL`, `…_ID`,
`…_TTL`, …), empty values, paths and ARNs are not reported.

## Why
Environment values are part of the task definition: anyone allowed
`ecs:DescribeTaskDefinition` reads them, they show in the console, and every revision keeps them
for good, even after the value is changed. ECS `secrets` instead fetches the value from AWS
Secrets Manager or SSM Parameter Store when the task starts, so only the task (and the execution
role's permissions) ever see it.

## Example
```yaml
environment:
  - name: DB_PASSWORD
    value: hunter2
```

## How to fix
Store the value in Secrets Manager (or as an SSM `SecureString` parameter) and reference it:
```yaml
secrets:
  - name: DB_PASSWORD
    valueFrom: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password
```
Give the task's execution role `secretsmanager:GetSecretValue` (or `ssm:GetParameters`) on it.
Then rotate the value: the old task definition revisions still hold it. AWS access keys need no
secret at all: give the task a role (`taskRoleArn`) and the AWS SDKs use its credentials.

## References
- trivy `AVD-AWS-0036` (`aws-ecs-no-plaintext-secrets`)
- AWS Security Hub `ECS.8` (secrets should not be passed as container environment variables)
- AWS Config rule `ecs-no-environment-secrets`
- Pass sensitive data to an Amazon ECS container: <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html>
";

pub(crate) const RULE: Rule = Rule::new(&code::A016, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for (_, c) in cx.model.containers() {
        for var in &c.environment {
            let value = var.value.value.trim();
            if is_reference(value) {
                continue;
            }
            let name = &var.name.value;
            let container = &c.name.value;
            let found = secret_value(value);
            let (message, label) = if let Some(what) = found {
                (
                    format!(
                        "environment variable `{name}` of container `{container}` holds what looks like {what}"
                    ),
                    format!("{what}, in plain text"),
                )
            } else if secret_name(name) {
                (
                    format!(
                        "environment variable `{name}` of container `{container}` holds a secret in plain text"
                    ),
                    "readable by anyone who can read the task definition".to_owned(),
                )
            } else {
                continue;
            };
            let help = if found == Some(AWS_KEY) {
                "pass no AWS keys at all: give the task a `taskRoleArn` with the permissions it needs \
                 (the SDKs pick its credentials up), and deactivate the exposed key"
                    .to_owned()
            } else {
                format!(
                    "move it to `secrets: [{{name: {name}, valueFrom: <Secrets Manager secret or SSM parameter ARN>}}]`, \
                     then rotate the exposed value"
                )
            };
            out.push(
                CheckContext::diagnostic(&RULE, message, Label::new(Span::of(&var.value), label))
                    .with_secondary(Label::new(
                        Span::of(&var.name),
                        "passed as a plain environment variable",
                    ))
                    .with_note(
                        "environment values are stored in every revision of the task definition \
                         and shown to anyone allowed `ecs:DescribeTaskDefinition`",
                    )
                    .with_help(help)
                    .about(container),
            );
        }
    }
}
