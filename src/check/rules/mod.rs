//! One rule a file. Each file holds the rule's documentation (`DOC`), its metadata (`RULE`) and
//! its check function.

pub(crate) mod call_cycle;
pub(crate) mod database_startup_race;
pub(crate) mod default_health_check_path;
pub(crate) mod dependency_cycle;
pub(crate) mod duplicate_name;
pub(crate) mod efs_on_old_platform;
pub(crate) mod efs_transit_unencrypted;
pub(crate) mod efs_unencrypted_at_rest;
pub(crate) mod ephemeral_database_storage;
pub(crate) mod exposed_database;
pub(crate) mod fargate_incompatible_task;
pub(crate) mod host_port_mismatch;
pub(crate) mod http_without_https_redirect;
pub(crate) mod invalid_fargate_size;
pub(crate) mod invalid_health_check;
pub(crate) mod links_outside_bridge;
pub(crate) mod missing_health_check;
pub(crate) mod missing_log_configuration;
pub(crate) mod no_essential_container;
pub(crate) mod outdated_ssl_policy;
pub(crate) mod output_file_name;
pub(crate) mod plaintext_secret;
pub(crate) mod privileged_container;
pub(crate) mod public_task_ip;
pub(crate) mod shared_database_storage;
pub(crate) mod sibling_container_hostname;
pub(crate) mod single_task_service;
pub(crate) mod slow_database_file_system;
pub(crate) mod task_port_conflict;
pub(crate) mod unbacked_flow_step;
pub(crate) mod unknown_reference;
pub(crate) mod unmapped_target_port;
pub(crate) mod unreachable_component;
pub(crate) mod unsatisfiable_dependency;
pub(crate) mod wrong_target_type;
