//! Importers: other formats in, archflow YAML text out. Pure (no file system).

pub mod compose;
pub mod ecs;
