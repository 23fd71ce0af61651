use std::fmt::Write as _;

use super::fargate_incompatible_task::fargate_marker;
use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{NumberOrString, S};

const DOC: &str = r#"# invalid-fargate-size (A021)

## What it checks
The task-level `cpu` and `memory` of a task that runs on Fargate (`launchType: FARGATE`) or is
registered for it (`FARGATE` in `requiresCompatibilities`) form one of the sizes Fargate offers:

| `cpu` | `memory` (MiB) |
|---|---|
| 256 (.25 vCPU) | 512, 1024, 2048 |
| 512 (.5 vCPU) | 1024 to 4096, in steps of 1024 |
| 1024 (1 vCPU) | 2048 to 8192, in steps of 1024 |
| 2048 (2 vCPU) | 4096 to 16384, in steps of 1024 |
| 4096 (4 vCPU) | 8192 to 30720, in steps of 1024 |
| 8192 (8 vCPU) | 16384 to 61440, in steps of 4096 |
| 16384 (16 vCPU) | 32768 to 122880, in steps of 8192 |

Both may be written as numbers, as strings (`"512"`), or with units (`"0.5 vCPU"`, `"2 GB"`).
A task that sets one of them must set the other; when both are left out, archflow assumes the
sizes are decided elsewhere and says nothing.

## Why
Fargate runs each task on a machine of exactly the requested size, and only these combinations
exist. ECS rejects any other pair when the task definition is registered (“No Fargate
configuration exists for given values”), and a Fargate task definition needs both values.

## Example
```yaml
launchType: FARGATE
taskDefinition:
  cpu: "256"
  memory: "4096"      # 256 CPU units allow at most 2048 MiB
```

## How to fix
Pick the memory the application needs, then the smallest `cpu` that allows it (here
`cpu: "1024"`, or `cpu: "512"` with `memory: "4096"`), or lower the memory to a value the cpu
allows.

## References
- cfn-lint E3047 (`fargate_cpu_memory.json`: valid Fargate cpu and memory combinations) and
  E3048 (a Fargate task definition with `Cpu` must also set `Memory`).
- AWS, Amazon ECS developer guide: “Task size” / “Task CPU and memory” for Fargate.
- KICS / Datadog IaC: “ECS task definition invalid CPU or memory”.
"#;

pub(crate) const RULE: Rule = Rule::new(&code::A021, DOC, check);

/// Fargate sizes: (cpu units, lowest memory, highest memory, step), memory in MiB. The step does
/// not describe 256, which allows exactly 512, 1024 and 2048 (see [`allows`]).
const SIZES: &[(u64, u64, u64, u64)] = &[
    (256, 512, 2048, 512),
    (512, 1024, 4096, 1024),
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
    (8192, 16384, 61440, 4096),
    (16384, 32768, 122_880, 8192),
];

/// Whether Fargate offers `memory` MiB with `cpu` units; `None` if `cpu` is no Fargate size.
fn allows(cpu: u64, memory: u64) -> Option<bool> {
    let &(_, min, max, step) = SIZES.iter().find(|s| s.0 == cpu)?;
    if cpu == 256 {
        return Some(matches!(memory, 512 | 1024 | 2048));
    }
    Some((min..=max).contains(&memory) && memory.is_multiple_of(step))
}

/// The memory values `cpu` allows, in words.
fn allowed_memory(cpu: u64) -> String {
    match SIZES.iter().find(|s| s.0 == cpu) {
        Some(_) if cpu == 256 => "512, 1024 or 2048 MiB".to_owned(),
        Some(&(_, min, max, step)) => format!("{min} to {max} MiB in steps of {step}"),
        None => String::new(),
    }
}

/// The smallest cpu that allows `memory`, if any.
fn cpu_for(memory: u64) -> Option<u64> {
    SIZES
        .iter()
        .map(|s| s.0)
        .find(|&cpu| allows(cpu, memory) == Some(true))
}

/// A number with an optional unit: `512`, `"512"`, `"0.5 vCPU"`, `"2 GB"` (`unit` in lower case,
/// worth 1024 of the plain number).
fn parse(value: &NumberOrString, unit: &str) -> Option<u64> {
    let text = match value {
        NumberOrString::Number(n) => return Some(*n),
        NumberOrString::String(s) => s.trim().to_ascii_lowercase(),
    };
    if let Ok(n) = text.parse::<u64>() {
        return Some(n);
    }
    let number = text.strip_suffix(unit)?.trim();
    let scaled = number.parse::<f64>().ok()? * 1024.0;
    if !scaled.is_finite() || scaled <= 0.0 || scaled.fract() != 0.0 || scaled > 1e12 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(scaled as u64)
}

fn shown(value: &NumberOrString) -> String {
    match value {
        NumberOrString::Number(n) => n.to_string(),
        NumberOrString::String(s) => s.clone(),
    }
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        if fargate_marker(service).is_none() {
            continue;
        }
        let task = &service.task_definition;
        let family = &task.family.value;
        let diagnostic = |message: String, primary: Label| {
            CheckContext::diagnostic(&RULE, message, primary).about(family)
        };
        let cpu = task.cpu.as_ref();
        let memory = task.memory.as_ref();
        let cpu_units = cpu.map(|c| (c, parse(&c.value, "vcpu")));
        // An unknown cpu value: nothing else can be judged.
        if let Some((c, units)) = cpu_units
            && units.is_none_or(|u| allows(u, 0).is_none())
        {
            out.push(
                diagnostic(
                    format!("`cpu: {}` is not a Fargate task size", shown(&c.value)),
                    Label::new(Span::of(c), "no Fargate size has this cpu"),
                )
                .with_help(
                    "use 256 (.25 vCPU), 512, 1024, 2048, 4096, 8192 or 16384 (16 vCPU) CPU units",
                ),
            );
            continue;
        }
        match (cpu_units, memory) {
            (None, None) => {}
            (Some((c, _)), None) => out.push(missing(family, c, "cpu", "memory").about(family)),
            (None, Some(m)) => out.push(missing(family, m, "memory", "cpu").about(family)),
            (Some((c, units)), Some(m)) => {
                let units = units.unwrap_or_default();
                let Some(mib) = parse(&m.value, "gb") else {
                    out.push(
                        diagnostic(
                            format!("`memory: {}` is not a memory size", shown(&m.value)),
                            Label::new(Span::of(m), "expected MiB, such as \"2048\", or \"2 GB\""),
                        )
                        .with_help(format!("with cpu {units}, use {}", allowed_memory(units))),
                    );
                    continue;
                };
                if allows(units, mib) == Some(true) {
                    continue;
                }
                let mut help = format!("with cpu {units}, use {}", allowed_memory(units));
                if let Some(other) = cpu_for(mib) {
                    let _ = write!(help, "; or keep {mib} MiB with `cpu: \"{other}\"`");
                }
                out.push(
                    diagnostic(
                        format!(
                            "Fargate has no task size with cpu {units} and {mib} MiB of memory"
                        ),
                        Label::new(Span::of(m), format!("not allowed with cpu {units}")),
                    )
                    .with_secondary(Label::new(Span::of(c), "cpu set here"))
                    .with_help(help),
                );
            }
        }
    }
}

fn missing(family: &str, given: &S<NumberOrString>, what: &str, other: &str) -> Diagnostic {
    CheckContext::diagnostic(
        &RULE,
        format!("task `{family}` sets `{what}` but not `{other}`; a Fargate task definition needs both"),
        Label::new(Span::of(given), format!("`{other}` is missing")),
    )
    .with_help(format!(
        "add `{other}:` at task level, in a combination Fargate offers (`archflow explain A021` lists them)"
    ))
}

#[cfg(test)]
mod tests {
    use super::{NumberOrString, allows, cpu_for, parse};

    #[test]
    fn sizes_follow_the_fargate_table() {
        assert_eq!(allows(256, 512), Some(true));
        assert_eq!(allows(256, 1536), Some(false));
        assert_eq!(allows(512, 3072), Some(true));
        assert_eq!(allows(512, 512), Some(false));
        assert_eq!(allows(4096, 30720), Some(true));
        assert_eq!(allows(4096, 31744), Some(false));
        assert_eq!(allows(8192, 20480), Some(true));
        assert_eq!(allows(8192, 18432), Some(false));
        assert_eq!(allows(300, 512), None);
        assert_eq!(cpu_for(4096), Some(512));
        assert_eq!(cpu_for(100), None);
    }

    #[test]
    fn units_are_understood() {
        let s = |v: &str| NumberOrString::String(v.to_owned());
        assert_eq!(parse(&s("512"), "vcpu"), Some(512));
        assert_eq!(parse(&s(".5 vCPU"), "vcpu"), Some(512));
        assert_eq!(parse(&s("0.25vcpu"), "vcpu"), Some(256));
        assert_eq!(parse(&s("2 GB"), "gb"), Some(2048));
        assert_eq!(parse(&NumberOrString::Number(1024), "gb"), Some(1024));
        assert_eq!(parse(&s("lots"), "gb"), None);
        assert_eq!(parse(&s("-1 GB"), "gb"), None);
    }
}
