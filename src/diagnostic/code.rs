//! The one table of diagnostic codes: every load error (`L…`), configuration finding (`C…`) and
//! rule (`A…`) archflow reports, with its name, default severity and one-line summary.
//!
//! Everything that names a code reads it from here: the loader and the rules when they report,
//! `archflow rules` and `explain`, SARIF's rule descriptors, the JSON report and the docs. A code
//! is written once, in the table below; the rest of the code refers to the constant
//! (`code::A010`). Each code's long explanation lives with the code that reports it (a rule's
//! file, `check/config.rs`, `syntax/load_error.rs`) and is found through `check::explanation`.
//!
//! Codes are stable: never reuse or renumber one.

use crate::diagnostic::Severity;

/// What reports a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The file could not be read as a model (`L…`); nothing else is checked.
    Load,
    /// A mistake in the model's own `checks:` or `suppress:` settings (`C…`).
    Config,
    /// A rule about the architecture (`A…`); can be configured and suppressed.
    Rule,
}

/// One diagnostic code and what it means.
#[derive(Debug, PartialEq, Eq)]
pub struct Code {
    /// The stable code, e.g. `A010`.
    pub id: &'static str,
    /// The kebab-case name of the pattern, e.g. `single-task-service`.
    pub name: &'static str,
    pub kind: Kind,
    /// The severity of its findings unless the model's `checks.rules` says otherwise.
    pub severity: Severity,
    /// One line: what a finding of this code means.
    pub summary: &'static str,
}

impl Code {
    /// A code by its id (`A010`) or name (`single-task-service`), case-insensitively.
    #[must_use]
    pub fn find(code_or_name: &str) -> Option<&'static Self> {
        let key = code_or_name.trim();
        ALL.iter()
            .copied()
            .find(|c| c.id.eq_ignore_ascii_case(key) || c.name.eq_ignore_ascii_case(key))
    }

    /// The codes of one kind, in table order.
    pub fn of_kind(kind: Kind) -> impl Iterator<Item = &'static Self> {
        ALL.iter().copied().filter(move |c| c.kind == kind)
    }
}

macro_rules! codes {
    ($($id:ident $kind:ident $severity:ident $name:literal $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub static $id: Code = Code {
                id: stringify!($id),
                name: $name,
                kind: Kind::$kind,
                severity: Severity::$severity,
                summary: $summary,
            };
        )*
        /// Every code, in table order: load errors, configuration findings, rules.
        pub static ALL: &[&Code] = &[$(&$id),*];
    };
}

codes! {
    // Loading: the file is not a model archflow can read. Always errors; cannot be configured.
    L001 Load Error "invalid-yaml" "the file is not valid YAML";
    L002 Load Error "invalid-value" "a value has the wrong type or is not an allowed value";
    L003 Load Error "unknown-key" "a key archflow does not know";
    L004 Load Error "missing-key" "a required key is missing";
    L005 Load Error "empty-model" "the file holds no YAML content";
    L006 Load Error "not-utf8" "the file is not valid UTF-8";
    L007 Load Error "input-too-large" "the file is larger than 16 MiB";
    L008 Load Error "yaml-limit" "the YAML exceeds the safety limits (alias bombs, deep nesting)";
    L009 Load Error "ambiguous-reference"
        "a short name that several components have; qualify it (`service/container`)";

    // The model's settings for the checker (`checks:`, `suppress:`). Cannot be configured.
    C001 Config Error "unknown-rule"
        "`checks.rules` or `suppress` names a rule that does not exist";
    C002 Config Error "missing-suppression-reason"
        "a suppression has no reason (and so suppresses nothing)";
    C003 Config Warning "unused-suppression" "a suppression matches no finding";
    C004 Config Warning "duplicate-rule-setting"
        "a rule is set twice in `checks.rules`, or suppressed twice on one item";

    // Rules: structure (A001–A010), security (A011–A019), structure and reliability (A020–).
    A001 Rule Error "unknown-reference"
        "a reference names nothing defined, or something of the wrong kind";
    A002 Rule Error "duplicate-name" "two components share one name";
    A003 Rule Error "dependency-cycle" "containers wait for each other in a `dependsOn` cycle";
    A004 Rule Error "unmapped-target-port"
        "a load balancer targets a container port the container does not map";
    A005 Rule Error "host-port-mismatch"
        "`hostPort` differs from `containerPort` in awsvpc or host network mode";
    A006 Rule Error "no-essential-container" "a task definition has no essential container";
    A007 Rule Warning "unbacked-flow-step"
        "a flow step joins components that no configuration connects";
    A008 Rule Warning "ephemeral-database-storage"
        "a database keeps its data on storage that is deleted with the task";
    A009 Rule Error "shared-database-storage"
        "two database processes can run at once on one EFS data directory";
    A010 Rule Warning "single-task-service"
        "a service that serves requests runs fewer than two tasks";
    A011 Rule Warning "efs-transit-unencrypted"
        "an EFS volume is mounted without encryption in transit (an error with IAM or an access point)";
    A012 Rule Warning "efs-unencrypted-at-rest" "an EFS file system is not encrypted at rest";
    A013 Rule Info "http-without-https-redirect"
        "an internet-facing load balancer serves plain HTTP instead of redirecting to HTTPS";
    A014 Rule Warning "outdated-ssl-policy"
        "an HTTPS or TLS listener accepts TLS 1.0 or 1.1, or leaves `sslPolicy` to the old default";
    A015 Rule Error "privileged-container"
        "a container runs privileged (root on the host), or a task uses `networkMode: host` (warning)";
    A016 Rule Warning "plaintext-secret"
        "a secret is passed in plain text through `environment` instead of `secrets`";
    A017 Rule Info "public-task-ip"
        "a service gives its tasks public IP addresses, reachable around the load balancer";
    A018 Rule Error "exposed-database"
        "a database is reachable from a load balancer or from outside the deployment";
    A019 Rule Info "missing-log-configuration"
        "a container has no `logConfiguration`: its output is lost";
    A020 Rule Error "fargate-incompatible-task"
        "a task definition cannot run on its service's launch type (network mode, host path, log driver, compatibilities)";
    A021 Rule Error "invalid-fargate-size"
        "a Fargate task's `cpu` and `memory` are not a size Fargate offers";
    A022 Rule Error "efs-on-old-platform"
        "a Fargate service mounts EFS on a platform version older than 1.4.0";
    A023 Rule Error "unsatisfiable-dependency"
        "a `dependsOn` waits for an essential container to exit, or for a missing health check";
    A024 Rule Error "links-outside-bridge"
        "a container uses `links` in a task whose network mode is not bridge";
    A025 Rule Warning "task-port-conflict"
        "two containers of one awsvpc or host task listen on the same port";
    A026 Rule Warning "sibling-container-hostname"
        "an environment value names a container of the same task where that name does not resolve";
    A027 Rule Error "wrong-target-type"
        "a service registers tasks in a target group whose `targetType` its network mode cannot use";
    A028 Rule Error "invalid-health-check"
        "a container or target group health check has a malformed command or a value out of range";
    A029 Rule Info "missing-health-check"
        "an essential container that no load balancer checks has no `healthCheck`";
    A030 Rule Info "default-health-check-path"
        "an HTTP target group health-checks the default path `/`";
    A031 Rule Info "slow-database-file-system"
        "a database keeps its data on EFS in maxIO mode or with bursting throughput";
    A032 Rule Info "database-startup-race"
        "a container calls a database of its own task without waiting for it to start";
    A033 Rule Warning "unreachable-component"
        "a load balancer, target group, service or serving container that nothing reaches";
    A034 Rule Info "call-cycle"
        "containers call each other in a cycle (an error when the cycle is made of `links`)";
    A035 Rule Error "output-file-name"
        "a flow or task family cannot be written to a file of its own (a name too long or reserved, or one file for two)";
    A036 Rule Warning "malformed-flow-group"
        "a flow's group or branch has no steps, or an `alt` has a single branch";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_shaped_by_kind() {
        let mut ids = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for c in ALL {
            assert!(ids.insert(c.id), "{} twice", c.id);
            assert!(names.insert(c.name), "{} twice", c.name);
            let letter = match c.kind {
                Kind::Load => 'L',
                Kind::Config => 'C',
                Kind::Rule => 'A',
            };
            assert!(c.id.starts_with(letter) && c.id.len() == 4, "{}", c.id);
            assert!(c.id[1..].bytes().all(|b| b.is_ascii_digit()), "{}", c.id);
        }
    }

    #[test]
    fn find_by_id_or_name_in_any_case() {
        assert_eq!(Code::find("a010"), Some(&A010));
        assert_eq!(Code::find("Single-Task-Service"), Some(&A010));
        assert_eq!(Code::find("L001"), Some(&L001));
        assert_eq!(Code::find("c002"), Some(&C002));
        assert_eq!(Code::find("A999"), None);
    }
}
