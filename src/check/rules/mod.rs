//! One rule a file. Each file holds the rule's documentation (`DOC`), its metadata (`RULE`) and
//! its check function.

pub(crate) mod dependency_cycle;
pub(crate) mod duplicate_name;
pub(crate) mod ephemeral_database_storage;
pub(crate) mod host_port_mismatch;
pub(crate) mod no_essential_container;
pub(crate) mod shared_database_storage;
pub(crate) mod single_task_service;
pub(crate) mod unbacked_flow_step;
pub(crate) mod unknown_reference;
pub(crate) mod unmapped_target_port;
