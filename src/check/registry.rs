//! The rules that run: each rule's code (from the one table, [`crate::diagnostic::code`]), its
//! documentation and its check function.

use super::CheckContext;
use super::rules;
use crate::diagnostic::{Code, Diagnostic};

/// A rule: what it reports and how it looks for it.
pub struct Rule {
    /// The rule's entry in the table of codes: id, name, default severity, summary.
    pub code: &'static Code,
    /// Markdown: what it checks, why, an example, how to fix, references.
    pub doc: &'static str,
    pub check: fn(&CheckContext<'_>, &mut Vec<Diagnostic>),
}

impl Rule {
    pub(crate) const fn new(
        code: &'static Code,
        doc: &'static str,
        check: fn(&CheckContext<'_>, &mut Vec<Diagnostic>),
    ) -> Self {
        Self { code, doc, check }
    }
}

macro_rules! rules {
    ($($module:ident),* $(,)?) => {
        /// Every rule, in code order.
        pub static RULES: &[Rule] = &[$(rules::$module::RULE),*];
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
    output_file_name,
    malformed_flow_group,
];

/// Look a rule up by code (`A001`) or name (`unknown-reference`), case-insensitively.
#[must_use]
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    let code = Code::find(code_or_name)?;
    RULES.iter().find(|r| r.code.id == code.id)
}
