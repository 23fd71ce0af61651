//! Load errors (`L…`): the file cannot be read as a model. How each is reported, and what each
//! means (`archflow explain L001`).

use super::MAX_INPUT_BYTES;
use crate::diagnostic::code;
use crate::diagnostic::{Diagnostic, Label};
use crate::source::Span;

pub(crate) const L001_DOC: &str = r#"# invalid-yaml (L001)

## What it checks
The file is valid YAML: indentation, quotes, brackets and `key: value` pairs are well formed.

## Why
archflow reads nothing of a file that is not YAML, so no check runs and no diagram is drawn.

## Example
```yaml
services:
  - serviceName: goals
   desiredCount: 1        # indented one space less than the key above
```

## How to fix
Look at the line and column given and the line before it: most syntax errors are an indentation
that does not match its siblings, a tab used for indentation, an unclosed quote or bracket, or a
`:` inside an unquoted value (quote it: `command: "echo a: b"`).
"#;

pub(crate) const L002_DOC: &str = r"# invalid-value (L002)

## What it checks
Every value has the type and shape its key wants: a number where a number is expected, a list
where a list is, one of the allowed words for enumerations (`launchType: FARGATE`).

## Why
A value of the wrong kind cannot mean what was intended: ECS would refuse it, and archflow
cannot check or draw the model.

## Example
```yaml
portMappings:
  - containerPort: eighty   # a number is expected
launchType: FARGTE          # not one of EC2, FARGATE, EXTERNAL
```

## How to fix
Write the value in the form the message names; for enumerations the message lists the allowed
values and suggests the closest. `archflow schema` describes every key, and editors with the
schema show the allowed values as you type.
";

pub(crate) const L003_DOC: &str = r"# unknown-key (L003)

## What it checks
Every key is one archflow knows at that place in the model.

## Why
A misspelt key is silently ignored by most tools, so the setting the author meant never takes
effect (a `desiredCout: 2` leaves the service at one task). archflow refuses it instead.

## Example
```yaml
services:
  - serviceName: goals
    desiredCout: 2         # did you mean `desiredCount`?
```

## How to fix
Use the suggested key, or one of the keys the message lists. Keys follow the AWS JSON names
(`containerDefinitions`, `portMappings`, …), in camelCase.
";

pub(crate) const L004_DOC: &str = r"# missing-key (L004)

## What it checks
Every item has the keys it cannot do without: a service its `serviceName` and
`taskDefinition`, a container its `name` and `image`, a flow step its `from` and `to`, …

## Why
Without them the item cannot be named, referenced or deployed.

## Example
```yaml
containerDefinitions:
  - name: api              # no `image`
```

## How to fix
Add the key the message names to the item it points at.
";

pub(crate) const L005_DOC: &str = r"# empty-model (L005)

## What it checks
The file holds YAML content, not only comments, blank lines or document markers.

## Why
An empty model describes nothing; it is usually the wrong file or an unsaved one.

## Example
```yaml
# architecture.yaml
---
```

## How to fix
Give the model at least `name:` and one of `services`, `loadBalancers` or `actors`, or start
from the reference system with `archflow init`.
";

pub(crate) const L006_DOC: &str = r"# not-utf8 (L006)

## What it checks
The file is text in UTF-8, the encoding YAML and archflow read.

## Why
Bytes that are not UTF-8 (a file saved as Latin-1 or UTF-16, or a binary file) cannot be read
as names and values, and archflow will not guess the encoding.

## Example
A model saved by an editor set to Windows-1252, with `Café` written as the single byte `0xE9`.

## How to fix
Save the file as UTF-8 (every modern editor can). The message gives the offset of the first
byte that is not UTF-8.
";

pub(crate) const L007_DOC: &str = r"# input-too-large (L007)

## What it checks
The file is at most 16 MiB.

## Why
A model of 10,000 services is about 11 MiB; a larger file is almost always the wrong file (a
log, a build output), and reading it whole would cost memory for nothing. The size is checked
before the file is read.

## Example
`archflow check build/app.tar` on a 200 MB archive.

## How to fix
Check that this is the file you meant. A real model that large can be split by system.
";

pub(crate) const L008_DOC: &str = r"# yaml-limit (L008)

## What it checks
The YAML stays within archflow's safety limits: aliases that do not expand into huge documents
(a billion laughs attack), and nesting that is not deeper than a model needs.

## Why
Without limits a small file could make archflow use gigabytes of memory or run out of stack.
Models never need either.

## Example
```yaml
a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]   # and so on: 9^n copies
```

## How to fix
Write the repeated parts out, or use fewer levels of aliases; look for unbalanced brackets when
the message is about nesting.
";

pub(crate) const L009_DOC: &str = r"# ambiguous-reference (L009)

## What it checks
Every reference names one component. Container and volume names are unique only within their
task definition (as in ECS), so two services may each have a container called `app`; a
reference from outside a task that says just `app` could then mean either.

## Why
A flow step or a `connectsTo` that could mean two containers would draw, check and explain the
wrong one. archflow refuses to guess.

## Example
```yaml
services:
  - serviceName: web
    taskDefinition: {family: web, containerDefinitions: [{name: app, image: web}]}
  - serviceName: worker
    taskDefinition: {family: worker, containerDefinitions: [{name: app, image: worker}]}
flows:
  - name: order
    steps:
      - {from: user, to: app}     # web's or worker's?
```

## How to fix
Qualify the name with its service, `service/container` (`web/app`), as the message suggests.
Inside a task, a short name means the container or volume of that task, so `dependsOn`,
`mountPoints` and `connectsTo` between containers of one task need no qualifier.
";

/// Diagnostic for a file that is not UTF-8 (the loader reads bytes first). Its span is the first
/// bad byte in the lossily decoded text (identical to the input up to that byte).
#[must_use]
pub fn not_utf8(bytes: &[u8]) -> Diagnostic {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    Diagnostic::new(
        &code::L006,
        format!("the file is not valid UTF-8 (first bad byte at offset {valid})"),
        Label::new(Span::new(valid, valid + 1), "not UTF-8"),
    )
    .with_help("save the file as UTF-8; YAML models are text")
}

/// Diagnostic for an input larger than [`MAX_INPUT_BYTES`].
#[must_use]
pub fn too_large(len: u64) -> Diagnostic {
    Diagnostic::new(
        &code::L007,
        format!(
            "the file is {} MiB; archflow reads models of at most {} MiB",
            len.div_ceil(1024 * 1024),
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
        Label::new(Span::default(), "refused before parsing"),
    )
    .with_help("split the model, or check that this is the file you meant")
}
