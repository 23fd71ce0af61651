//! ECS JSON: `import` (task definitions, services, target groups and load balancers → a model),
//! `export` (a model → `register-task-definition` and `create-service` input) and `drift` (model
//! against deployed); `wire` is the typed AWS JSON they read and write, with the one list of
//! fields AWS sets in output and the form in which JSON is compared. What the model does not type
//! rides along in each item's `aws:` (`crate::syntax::aws`), so `import` then `export` gives the
//! JSON back.

pub mod drift;
pub mod export;
pub mod import;
pub mod wire;
