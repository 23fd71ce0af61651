//! Printers for findings: rustc-style text, JSON, SARIF 2.1.0 and GitHub workflow annotations.
//! They return strings; the CLI prints.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

/// The model's path as reports name it: forward slashes, without a leading `./`.
pub(crate) fn report_path(path: &str) -> String {
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_owned();
    }
    path
}

#[cfg(test)]
mod tests {
    use super::report_path;

    #[test]
    fn report_paths_use_forward_slashes() {
        assert_eq!(report_path("./architecture.yaml"), "architecture.yaml");
        assert_eq!(report_path(r"deploy\arch.yaml"), "deploy/arch.yaml");
        assert_eq!(report_path("/abs/a.yaml"), "/abs/a.yaml");
    }
}
