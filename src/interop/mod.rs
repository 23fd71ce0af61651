//! Interop: other formats in and out. ECS JSON (import, export, drift) and docker-compose
//! (import) become or come from an `architecture.yaml`; CloudFormation templates and Terraform
//! configurations (import, drift) resolve into the ECS JSON (`iac`) and go the same way; the YAML writer they share lives here.

pub mod cloudformation;
pub mod compose;
pub mod ecs;
pub mod iac;
pub mod terraform;
pub mod yaml_writer;
