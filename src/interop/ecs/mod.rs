//! ECS JSON: `import` (task definitions, services, target groups and load balancers → a model),
//! `export` (a model → `register-task-definition` input) and `drift` (model against deployed).

pub mod drift;
pub mod export;
pub mod import;
