//! ECS JSON: `import` (task definitions, services, target groups and load balancers → a model),
//! `export` (a model → `register-task-definition` input) and `drift` (model against deployed);
//! `wire` is the typed AWS JSON they read and write.

pub mod drift;
pub mod export;
pub mod import;
pub mod wire;
