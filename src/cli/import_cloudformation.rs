//! `archflow import cloudformation`: CloudFormation templates in, `architecture.yaml` out (see
//! [`crate::interop::cloudformation`] and [`crate::interop::iac`]).

use std::path::{Path, PathBuf};

use super::output::Inputs;
use super::{Exit, read};
use crate::error::Error;
use crate::interop::cloudformation::{self, Template};
use crate::interop::iac;

pub const AFTER_HELP: &str = "\
Reads CloudFormation templates, YAML (short-form tags !Ref, !GetAtt, !Sub, !Join, !Select, !If,
!ImportValue, !FindInMap, !Split, !Base64, !Equals, !And, !Or, !Not, !Condition) or JSON (CDK's
`cdk synth` output, cdk.out/*.template.json), and writes a model:
  archflow import cloudformation service.yaml -o architecture.yaml
  archflow import cloudformation cluster.yaml service.yaml --parameter DesiredCount=2
  cdk synth && archflow import cloudformation cdk.out/MyStack.template.json -o architecture.yaml

Imported: AWS::ECS::TaskDefinition and Service (their properties are the ECS API's fields, so
they map as `archflow import ecs` maps task definitions and services), ELBv2 TargetGroup and
LoadBalancer (a target group's load balancers found through Listener and ListenerRule), EFS
FileSystem and AccessPoint. Security groups (AWS::EC2::SecurityGroup, SecurityGroupIngress) say
who may call whom: a rule on one service's group admitting another service's group, on a port
the first maps, becomes a commented, guessed connectsTo (a permitted call, not necessarily a
used one). A nested stack (AWS::CloudFormation::Stack) whose TemplateURL is a local path is
read too, relative to its parent, with the Parameters it passes (up to 5 levels; its
resources' origins name the nested template); a remote one is listed as not imported. Other
resources (VPCs, roles, MountTargets, egress rules, …) are listed as not imported, by type.

Intrinsics are evaluated from parameters' defaults and --parameter values (AWS::Region,
AWS::AccountId and AWS::StackName too: --parameter AWS::Region=eu-west-1), mappings and
conditions; a reference to an imported resource gives its name (Family, ServiceName, Name,
else its logical id). What the template cannot say (an !ImportValue, a !GetAtt of a runtime
attribute, a parameter without default) stays symbolic: written as `!ImportValue X`, or with
`${X}` left in a !Sub, listed at the top of the YAML and on standard error. A symbolic value
where ECS wants a number or a list is left out and listed as not imported. The import never
fails on a value it cannot evaluate. Every imported item's origin (file#LogicalId) is listed at
the top of the YAML.

Keep the model honest in CI: import once, edit the model, then
  archflow drift architecture.yaml --cloudformation service.yaml

Exit codes:
  0  the model was written (it loads; findings are printed as warnings)
  2  a template (or a nested one) is not YAML or JSON, not a template, or cannot be read or
     written; nothing is written";

#[derive(Debug, clap::Args)]
pub struct CloudFormationArgs {
    /// CloudFormation templates (YAML or JSON; CDK's cdk.out/*.template.json).
    #[arg(required = true, value_name = "TEMPLATE")]
    pub templates: Vec<PathBuf>,
    /// A parameter's value, overriding its default (repeatable): `--parameter Env=prod`.
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = parse_parameter)]
    pub parameters: Vec<(String, String)>,
    /// Write the model here (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) fn parse_parameter(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("expected KEY=VALUE, found `{s}`")),
    }
}

/// Read templates, noting each in `read`.
pub(super) fn read_templates(paths: &[PathBuf], read: &mut Inputs) -> Result<Vec<Template>, Error> {
    paths
        .iter()
        .map(|p| {
            let source = read::read_input(p)?;
            read.add(p, "a template");
            Ok(Template {
                path: source.path,
                text: source.text,
            })
        })
        .collect()
}

/// Nested templates (a nested stack's local `TemplateURL`), read as archflow reads every input.
struct NestedTemplates<'a> {
    read: std::cell::RefCell<&'a mut Inputs>,
}

impl cloudformation::Files for NestedTemplates<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = Path::new(path);
        let source = read::read_input(p).map_err(|e| e.to_string())?;
        self.read.borrow_mut().add(p, "a nested template");
        Ok(source.text)
    }
}

/// Templates and the local templates their nested stacks name as a stack, noting each nested
/// template in `read`.
pub(super) fn read_stack(
    templates: &[Template],
    parameters: &[(String, String)],
    read: &mut Inputs,
) -> Result<iac::Stack, crate::error::Located> {
    let files = NestedTemplates {
        read: std::cell::RefCell::new(read),
    };
    cloudformation::read_with(templates, parameters, &files)
}

pub(super) fn run(args: &CloudFormationArgs) -> Result<Exit, Error> {
    let mut read = Inputs::default();
    let templates = read_templates(&args.templates, &mut read)?;
    let stack = read_stack(&templates, &args.parameters, &mut read)
        .map_err(|e| Error::from(e).nothing_written())?;
    let imported = iac::import(stack, "archflow import cloudformation")
        .map_err(|e| Error::from(e).nothing_written())?;
    super::import_ecs::report(&imported, args.output.as_deref(), &read)
}
