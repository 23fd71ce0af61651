//! `archflow import terraform`: a Terraform configuration (or `terraform show -json` output)
//! in, `architecture.yaml` out (see [`crate::interop::terraform`] and [`crate::interop::iac`]).

use std::path::{Path, PathBuf};

use super::output::Inputs;
use super::{Exit, read};
use crate::error::Error;
use crate::interop::{iac, terraform};

pub const AFTER_HELP: &str = "\
Reads a folder of .tf files (or the JSON `terraform show -json` prints for a state or a plan)
and writes a model:
  archflow import terraform infra/ -o architecture.yaml
  terraform show -json > state.json && archflow import terraform state.json

Imported: aws_ecs_task_definition (its container_definitions JSON is the ECS API's, so it maps
as `archflow import ecs` maps task definitions), aws_ecs_service, aws_lb, aws_lb_target_group,
aws_lb_listener and aws_lb_listener_rule (which load balancer forwards to which target group),
aws_efs_file_system, aws_efs_access_point, and the aws_alb* names. Security groups
(aws_security_group ingress blocks, aws_security_group_rule of type ingress,
aws_vpc_security_group_ingress_rule) say who may call whom: a rule on one service's group
admitting another service's group, on a port the first maps, becomes a commented, guessed
connectsTo (a permitted call, not necessarily a used one). Other resources and modules that
are not local are listed as not imported.

A configuration is evaluated as far as it says: variables' defaults, locals, jsonencode, file()
and templatefile() of the module's files, data \"template_file\", count and for_each over known
collections, local modules (source = \"./…\") with their arguments, and references to the
imported resources (to their names). What cannot be evaluated (a role's ARN, a variable without
default) stays symbolic as ${expression}, listed at the top of the YAML; where ECS wants a
number or a list it is left out and listed as not imported. Every imported item's origin
(file:resource.address) is listed at the top of the YAML.

Keep the model honest in CI: import once, then
  archflow drift architecture.yaml --terraform infra/

Exit codes:
  0  the model was written (it loads; findings are printed as warnings)
  2  a .tf file is not HCL (reported at its file:line:col), the JSON is not terraform show
     output, or a file cannot be read or written; nothing is written";

#[derive(Debug, clap::Args)]
pub struct TerraformArgs {
    /// A folder of .tf files, or `terraform show -json` output.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Write the model here (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The configuration's files, read as archflow reads every input.
pub(super) struct Disk<'a> {
    pub read: std::cell::RefCell<&'a mut Inputs>,
}

impl terraform::Files for Disk<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = Path::new(path);
        let source = read::read_input(p).map_err(|e| e.to_string())?;
        self.read.borrow_mut().add(p, "a Terraform file");
        Ok(source.text)
    }
    fn tf_files(&self, path: &str) -> Option<Vec<String>> {
        let entries = std::fs::read_dir(path).ok()?;
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter(|n| Path::new(n).extension().is_some_and(|e| e == "tf"))
            .collect();
        names.sort();
        Some(names)
    }
}

/// Read a configuration into a stack, noting the files read in `read`.
pub(super) fn read_stack(path: &Path, read: &mut Inputs) -> Result<iac::Stack, Error> {
    let shown = path.display().to_string();
    let disk = Disk {
        read: std::cell::RefCell::new(read),
    };
    Ok(terraform::read(shown.trim_end_matches('/'), &disk)?)
}

pub(super) fn run(args: &TerraformArgs) -> Result<Exit, Error> {
    let mut read = Inputs::default();
    let stack =
        read_stack(&args.path, &mut read).map_err(super::super::error::Error::nothing_written)?;
    let imported = iac::import(stack, "archflow import terraform")
        .map_err(|e| Error::from(e).nothing_written())?;
    super::import_ecs::report(&imported, args.output.as_deref(), &read)
}
