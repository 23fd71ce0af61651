//! `describe-services` output (or `create-service` input) → the model's services: the
//! `create-service` input each was made with (task count, launch type or capacity providers,
//! load balancers, deployment and network configuration; the rest in `aws:`).

use indexmap::IndexMap;

use crate::interop::ecs::wire::short_name;
use crate::interop::yaml_writer::{Entry, Node};
use crate::syntax::document as doc;

use super::files::ServicesFile;
use super::json::Place;
use super::task::{LAUNCH_TYPES, strings};
use super::{Ctx, Result};

/// A service read from `describe-services` output or `create-service` input.
pub(super) struct ServiceIn {
    pub(super) name: String,
    /// Why `name` is a guess, when it is.
    pub(super) name_guess: Option<String>,
    pub(super) family: String,
    /// Why `family` is a guess, when it is.
    pub(super) family_guess: Option<String>,
    /// The cluster's (name, ARN).
    pub(super) cluster: Option<(String, String)>,
    /// Entries after `serviceName` up to (not including) `taskDefinition`.
    pub(super) entries: Vec<Entry>,
    /// The service's `aws:`, after `taskDefinition`.
    pub(super) aws: Option<Node>,
    /// `loadBalancers`: (target group name, its ARN, container, port).
    pub(super) load_balancers: Vec<(String, String, String, i64)>,
}

/// The services of a service file. `families` are the task definitions given: a service whose
/// task definition is not among them keeps its `loadBalancers` in `aws:` (the containers they
/// name are not in the model), and a `create-service` input that names no task definition runs
/// the one given, if there is exactly one.
pub(super) fn services(
    ctx: &mut Ctx,
    file: &str,
    read: ServicesFile,
    tg_names: &IndexMap<String, String>,
    families: &[String],
) -> Result<Vec<ServiceIn>> {
    let root = Place::root(file);
    if let Some(mut described) = read.rest {
        if described.failures.take().is_some_and(|f| !f.is_empty()) {
            ctx.not_imported.push(format!(
                "{file}: failures (services AWS could not describe)"
            ));
        }
        root.rest(ctx, &described);
    }
    let mut out = Vec::new();
    for (path, mut s) in read.services {
        let at = Place { file, path };
        let service_name = s.service_name.take();
        let name = at.required("serviceName", service_name)?;
        let (family, family_guess) = match s.task_definition.take() {
            Some(td) => {
                let family = short_name(&td);
                ctx.rename(&td, &family);
                (family, None)
            }
            None => match families {
                [only] => (
                    only.clone(),
                    Some(format!(
                        "guessed: the service names no taskDefinition; `{only}` is the only one given"
                    )),
                ),
                _ => (
                    name.clone(),
                    Some(
                        "guessed: the service names no taskDefinition; named after the service"
                            .to_owned(),
                    ),
                ),
            },
        };
        let task_given = families.contains(&family);
        // Load balancers naming containers of a task definition that was not given stay in
        // `aws:`, carried but not checked.
        let lbs_outside = !task_given && s.load_balancers.as_ref().is_some_and(|l| !l.is_empty());
        let cluster_arn = s.cluster.take();
        let desired_count = s.desired_count.take();
        let launch_type = s.launch_type.take();
        let capacity_provider_strategy = s.capacity_provider_strategy.take().unwrap_or_default();
        let platform_version = s.platform_version.take();
        let load_balancers = s
            .load_balancers
            .take_if(|_| !lbs_outside)
            .unwrap_or_default();
        let network_configuration = s.network_configuration.take();
        let deployment_configuration = s.deployment_configuration.take();
        let grace_period = s.health_check_grace_period_seconds.take();
        let mut aws = at.aws::<doc::Service>(ctx, &s);
        if lbs_outside && let Some(Node::Map(entries)) = &mut aws {
            let note = format!(
                "`loadBalancers` name containers of task definition `{family}`, which was not \
                 given: kept under `aws:`, not checked"
            );
            ctx.notes.push(format!("{file}: service {name}: {note}"));
            if let Some(e) = entries.iter_mut().find(|e| e.key == "loadBalancers") {
                e.comment = Some(note);
            }
        }
        let cluster = cluster_arn.map(|arn| (short_name(&arn), arn));
        let mut entries = Vec::new();
        let mut push = |key: &str, value: Option<Node>| {
            if let Some(value) = value {
                entries.push(Entry {
                    key: key.to_owned(),
                    value,
                    comment: None,
                });
            }
        };
        push(
            "launchType",
            at.enumerated(ctx, "launchType", launch_type, LAUNCH_TYPES),
        );
        let mut providers = Vec::new();
        for (j, mut p) in capacity_provider_strategy.into_iter().enumerate() {
            let pat = at.item("capacityProviderStrategy", j);
            let provider = pat.required("capacityProvider", p.capacity_provider.take())?;
            let max = i64::from(u32::MAX);
            let (weight, base) = (p.weight.take(), p.base.take());
            providers.push(
                Node::map()
                    .with("capacityProvider", Node::Str(provider))
                    .with_opt("weight", pat.int("weight", weight, max)?.map(Node::Int))
                    .with_opt("base", pat.int("base", base, max)?.map(Node::Int))
                    .with_opt("aws", pat.aws::<doc::CapacityProviderStrategyItem>(ctx, &p)),
            );
        }
        if !providers.is_empty() {
            push("capacityProviderStrategy", Some(Node::Seq(providers)));
        }
        push("platformVersion", platform_version.map(Node::Str));
        push(
            "desiredCount",
            at.int("desiredCount", desired_count, i64::from(u32::MAX))?
                .map(Node::Int),
        );
        let mut lbs = Vec::new();
        let mut lb_nodes = Vec::new();
        for (j, mut l) in load_balancers.into_iter().enumerate() {
            let lat = at.item("loadBalancers", j);
            let Some(arn) = l.target_group_arn.take() else {
                ctx.not_imported.push(format!(
                    "{}: {} (a Classic Load Balancer: archflow models target groups only)",
                    file, lat.path
                ));
                continue;
            };
            let container_name = l.container_name.take();
            let container_port = l.container_port.take();
            let tg = tg_names
                .get(&arn)
                .cloned()
                .unwrap_or_else(|| short_name(&arn));
            ctx.rename(&arn, &tg);
            let container = lat.required("containerName", container_name)?;
            let Some(port) = lat.int("containerPort", container_port, 65535)? else {
                return Err(lat.missing("containerPort"));
            };
            lb_nodes.push(
                Node::map()
                    .with("targetGroup", Node::str(&tg))
                    .with("containerName", Node::str(&container))
                    .with("containerPort", Node::Int(port))
                    .with_opt("aws", lat.aws::<doc::ServiceLoadBalancer>(ctx, &l)),
            );
            lbs.push((tg, arn, container, port));
        }
        if !lb_nodes.is_empty() {
            push("loadBalancers", Some(Node::Seq(lb_nodes)));
        }
        if let Some(mut d) = deployment_configuration {
            let dat = at.child("deploymentConfiguration");
            let minimum = d.minimum_healthy_percent.take();
            let maximum = d.maximum_percent.take();
            let circuit_breaker = d.deployment_circuit_breaker.take();
            let max = i64::from(u32::MAX);
            let mut node = Node::map()
                .with_opt(
                    "minimumHealthyPercent",
                    dat.int("minimumHealthyPercent", minimum, max)?
                        .map(Node::Int),
                )
                .with_opt(
                    "maximumPercent",
                    dat.int("maximumPercent", maximum, max)?.map(Node::Int),
                );
            if let Some(mut b) = circuit_breaker {
                let bat = dat.child("deploymentCircuitBreaker");
                let (enable, rollback) = (b.enable.take(), b.rollback.take());
                node = node.with(
                    "deploymentCircuitBreaker",
                    Node::map()
                        .with("enable", Node::Bool(enable.unwrap_or(false)))
                        .with("rollback", Node::Bool(rollback.unwrap_or(false)))
                        .with_opt("aws", bat.aws::<doc::CircuitBreaker>(ctx, &b)),
                );
            }
            node = node.with_opt("aws", dat.aws::<doc::DeploymentConfiguration>(ctx, &d));
            push("deploymentConfiguration", Some(node));
        }
        if let Some(mut n) = network_configuration {
            let nat = at.child("networkConfiguration");
            if let Some(mut a) = n.awsvpc_configuration.take() {
                let aat = nat.child("awsvpcConfiguration");
                let subnets = a.subnets.take().unwrap_or_default();
                let security_groups = a.security_groups.take().unwrap_or_default();
                let assign_public_ip = a.assign_public_ip.take();
                let mut cfg = Node::map();
                if !subnets.is_empty() {
                    cfg = cfg.with("subnets", strings(subnets));
                }
                if !security_groups.is_empty() {
                    cfg = cfg.with("securityGroups", strings(security_groups));
                }
                cfg = cfg
                    .with_opt(
                        "assignPublicIp",
                        aat.enumerated(
                            ctx,
                            "assignPublicIp",
                            assign_public_ip,
                            &["ENABLED", "DISABLED"],
                        ),
                    )
                    .with_opt("aws", aat.aws::<doc::AwsvpcConfiguration>(ctx, &a));
                let node = Node::map()
                    .with("awsvpcConfiguration", cfg)
                    .with_opt("aws", nat.aws::<doc::NetworkConfiguration>(ctx, &n));
                push("networkConfiguration", Some(node));
            } else {
                ctx.not_imported.push(format!(
                    "{}: {} (no awsvpcConfiguration, which archflow models it by)",
                    file, nat.path
                ));
            }
        }
        push(
            "healthCheckGracePeriodSeconds",
            at.int(
                "healthCheckGracePeriodSeconds",
                grace_period,
                i64::from(u32::MAX),
            )?
            .map(Node::Int),
        );
        out.push(ServiceIn {
            name_guess: read.name_from_file.then(|| {
                "guessed from the file name: the service file has no serviceName".to_owned()
            }),
            name,
            family_guess,
            family,
            cluster,
            entries,
            aws,
            load_balancers: lbs,
        });
    }
    Ok(out)
}
