//! Tests: synth. The synthetic models of `archflow::synth` (used by the benchmark and by
//! `archflow generate`) load, check with no finding at all, are deterministic, and have the shape
//! the module documents.

use std::collections::BTreeSet;

use archflow::diagnostic::emit::human;
use archflow::source::Source;
use archflow::syntax::document::{Document, Role};
use archflow::syntax::{self, MAX_INPUT_BYTES};
use archflow::synth::generate;
use proptest::prelude::*;

use crate::support::{archflow, text};

/// The finding codes of a generated model; panics, with the findings, when it does not load.
fn finding_codes(services: usize, seed: u64) -> BTreeSet<String> {
    let source = Source::new(
        format!("synth-{services}-{seed}.yaml"),
        generate(services, seed),
    );
    let analysis = archflow::analyze(&source);
    assert!(
        !analysis.failed_to_load(),
        "N={services} seed={seed} does not load:\n{}",
        human::render(&source, &analysis.diagnostics, false)
    );
    if !analysis.diagnostics.is_empty() {
        eprintln!(
            "N={services} seed={seed}:\n{}",
            human::render(&source, &analysis.diagnostics, false)
        );
    }
    analysis
        .diagnostics
        .iter()
        .map(|d| d.code.to_owned())
        .collect()
}

fn parsed(services: usize, seed: u64) -> Document {
    let source = Source::new("synth.yaml", generate(services, seed));
    match syntax::parse(&source) {
        Ok(doc) => doc,
        Err(d) => panic!(
            "N={services} seed={seed} does not parse:\n{}",
            human::render(&source, &d, false)
        ),
    }
}

#[test]
fn generated_models_check_with_no_finding() {
    for n in [1, 2, 7, 50, 500] {
        assert_eq!(
            finding_codes(n, 1),
            BTreeSet::new(),
            "N={n}: expected no finding at all"
        );
    }
}

#[test]
fn the_same_size_and_seed_give_the_same_bytes() {
    for n in [1, 7, 50] {
        assert_eq!(generate(n, 42), generate(n, 42), "N={n}");
    }
}

#[test]
fn different_seeds_give_different_models() {
    for n in [1, 2, 7, 50, 500] {
        let models: BTreeSet<String> = (0..5).map(|seed| generate(n, seed)).collect();
        assert_eq!(
            models.len(),
            5,
            "N={n}: seeds 0..5 should give 5 different models"
        );
    }
}

#[test]
fn a_bigger_model_extends_a_smaller_one() {
    // Decisions for service i depend only on the seed and i.
    let small = parsed(30, 9);
    let big = parsed(60, 9);
    for (a, b) in small.services.iter().zip(&big.services) {
        assert_eq!(a.service_name.value, b.service_name.value);
        assert_eq!(
            a.desired_count.as_ref().map(|c| c.value),
            b.desired_count.as_ref().map(|c| c.value)
        );
        let images = |s: &archflow::syntax::document::Service| -> Vec<String> {
            s.task_definition
                .container_definitions
                .iter()
                .map(|c| c.image.value.clone())
                .collect()
        };
        assert_eq!(images(a), images(b));
    }
}

/// 10,000 services stay well under the input limit (generating them is quick in any build).
#[test]
fn ten_thousand_services_fit_under_the_input_limit() {
    let text = generate(10_000, 1);
    assert!(
        (text.len() as u64) < MAX_INPUT_BYTES * 3 / 4,
        "{} bytes is too close to the {MAX_INPUT_BYTES}-byte limit",
        text.len()
    );
    assert_eq!(text.matches("\n  - serviceName: ").count(), 10_000);
}

/// Loading and checking 10,000 services takes under a second in release, but parsing alone
/// takes 5-7 s in a debug build (serde-saphyr unoptimised, on this 2-core machine), so the test
/// runs only in release builds: `cargo test --release --test integration synth`. The benchmark
/// (`cargo bench --bench pipeline`) also fails on any error finding at this size.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "5-7 s in a debug build; runs with `cargo test --release`"
)]
fn ten_thousand_services_load_and_check_with_no_finding() {
    assert_eq!(parsed(10_000, 1).services.len(), 10_000);
    assert_eq!(finding_codes(10_000, 1), BTreeSet::new());
}

/// The shape the module documents, for one model.
fn assert_shape(n: usize, seed: u64) {
    let doc = parsed(n, seed);
    assert_eq!(doc.services.len(), n);
    let roles = |s: &archflow::syntax::document::Service| -> Vec<Role> {
        s.task_definition
            .container_definitions
            .iter()
            .filter_map(|c| c.role.as_ref().map(|r| r.value))
            .collect()
    };
    let mut databases = 0_usize;
    let mut served = 0_usize;
    for s in &doc.services {
        let r = roles(s);
        let count = s.desired_count.as_ref().map(|c| c.value);
        let containers = s.task_definition.container_definitions.len();
        assert!((2..=3).contains(&containers), "{}", s.service_name.value);
        assert!(r.contains(&Role::Sidecar), "{}", s.service_name.value);
        if r.contains(&Role::Database) {
            databases += 1;
            let d = s.deployment_configuration.as_ref().expect("set");
            assert_eq!(count, Some(1));
            assert_eq!(d.maximum_percent.as_ref().map(|p| p.value), Some(100));
            assert_eq!(d.minimum_healthy_percent.as_ref().map(|p| p.value), Some(0));
            assert_eq!(s.task_definition.volumes.len(), 1);
            assert!(
                s.task_definition.volumes[0]
                    .efs_volume_configuration
                    .is_some()
            );
        } else {
            served += 1;
            assert!(r.contains(&Role::Api) || r.contains(&Role::Web));
            assert!(count >= Some(2), "{}", s.service_name.value);
            assert_eq!(s.load_balancers.len(), 1);
        }
    }
    assert_eq!(databases, n / 3, "a third of the services are databases");
    // About one load balancer per 20 services behind one.
    let lbs = doc.load_balancers.len();
    assert!(
        lbs >= served.div_ceil(20) && lbs <= served.div_ceil(20) + 1,
        "{lbs} load balancers for {served} services"
    );
    let listeners: usize = doc.load_balancers.iter().map(|l| l.listeners.len()).sum();
    assert_eq!(
        listeners, served,
        "one listener per service behind a load balancer"
    );
    assert_eq!(doc.target_groups.len(), served);
    assert!(!doc.actors.is_empty());
    assert!(!doc.flows.is_empty() && doc.flows.len() <= 12);
    for f in &doc.flows {
        assert!(
            (4..=8).contains(&f.steps.len()),
            "flow {} has {} steps",
            f.name.value,
            f.steps.len()
        );
    }
}

#[test]
fn models_have_the_documented_shape() {
    for n in [1, 2, 3, 7, 50, 500] {
        assert_shape(n, 1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any seed and size: loads, checks with no finding, has the documented shape.
    #[test]
    fn any_seed_checks_with_no_finding(n in 1_usize..120, seed in any::<u64>()) {
        prop_assert_eq!(finding_codes(n, seed), BTreeSet::new());
        assert_shape(n, seed);
    }
}

#[test]
fn generate_command_prints_or_writes_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let out = archflow(dir.path(), &["generate", "--services", "7", "--seed", "3"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(text(&out).0, generate(7, 3));

    let out = archflow(
        dir.path(),
        &["generate", "--services", "7", "--seed", "3", "-o", "m.yaml"],
    );
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(dir.path().join("m.yaml")).unwrap();
    assert_eq!(written, generate(7, 3));

    let out = archflow(dir.path(), &["check", "m.yaml"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).0.contains("no findings"), "{:?}", text(&out));
}

#[test]
fn generate_command_is_hidden_and_refuses_zero_services() {
    let dir = tempfile::tempdir().unwrap();
    let help = archflow(dir.path(), &["--help"]);
    assert!(!text(&help).0.contains("generate"), "{}", text(&help).0);
    let out = archflow(dir.path(), &["generate", "--services", "0"]);
    assert_eq!(out.status.code(), Some(2));
}
