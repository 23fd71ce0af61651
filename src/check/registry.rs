//! The one table of rules: code, name, default severity, doc, and check function.

use super::CheckContext;
use super::rules;
use crate::diagnostic::{Diagnostic, Severity};

/// A rule's metadata and entry point.
pub struct RuleInfo {
    /// Stable code, never reused.
    pub code: &'static str,
    /// Kebab-case name of the pattern the rule finds.
    pub name: &'static str,
    pub severity: Severity,
    /// One line for `archflow rules`.
    pub summary: &'static str,
    /// Markdown: what it checks, why, an example, how to fix.
    pub doc: &'static str,
    pub check: fn(&CheckContext<'_>, &mut Vec<Diagnostic>),
}

macro_rules! rules {
    ($($module:ident),* $(,)?) => {
        /// Every rule, in code order.
        pub static RULES: &[RuleInfo] = &[$(rules::$module::RULE),*];
    };
}

// Structural rules A001–A010 first, then security (A011–A019), then structure and reliability
// (A020–). Codes are never reused.
rules![
    unknown_reference,
    duplicate_name,
    dependency_cycle,
    unmapped_target_port,
    host_port_mismatch,
    no_essential_container,
    unbacked_flow_step,
    ephemeral_database_storage,
    shared_database_storage,
    single_task_service,
    // Security.
    efs_transit_unencrypted,
    efs_unencrypted_at_rest,
    http_without_https_redirect,
    outdated_ssl_policy,
    privileged_container,
    plaintext_secret,
    public_task_ip,
    exposed_database,
    missing_log_configuration,
    // Structure and reliability.
    fargate_incompatible_task,
    invalid_fargate_size,
    efs_on_old_platform,
    unsatisfiable_dependency,
    links_outside_bridge,
    task_port_conflict,
    sibling_container_hostname,
    wrong_target_type,
    invalid_health_check,
    missing_health_check,
    default_health_check_path,
    slow_database_file_system,
    database_startup_race,
    unreachable_component,
    call_cycle,
];

/// Look a rule up by code (`A001`) or name (`unknown-reference`), case-insensitively.
#[must_use]
pub fn rule(code_or_name: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}
