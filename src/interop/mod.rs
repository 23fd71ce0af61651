//! Interop: other formats in and out. ECS JSON (import, export, drift) and docker-compose
//! (import) become or come from an `architecture.yaml`; the YAML writer they share lives here.

pub mod compose;
pub mod ecs;
pub mod yaml_writer;
