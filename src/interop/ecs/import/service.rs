//! `describe-services` output → the model's services: task count, launch type, load
//! balancers, deployment and network configuration.

use indexmap::IndexMap;
use serde_json::Value;

use crate::interop::ecs::wire::{DescribeServices, Service};
use crate::interop::yaml_writer::{Entry, Node};

use super::json::{Place, parse_json, typed};
use super::task::strings;
use super::{Ctx, ImportError, InputFile, Result, short_name};

/// A service read from `describe-services`.
pub(super) struct ServiceIn {
    pub(super) name: String,
    pub(super) family: String,
    pub(super) cluster: Option<(String, String)>,
    /// Entries after `serviceName` up to (not including) `taskDefinition`.
    pub(super) entries: Vec<Entry>,
    /// (target group name, container, port) of `loadBalancers`.
    pub(super) load_balancers: Vec<(String, String, i64)>,
}

/// Clear the fields of `describe-services` output that AWS sets and that say nothing about the
/// design (status, counts, events, deployments): they are ignored, not listed.
pub(super) fn ignore_service_status(s: &mut Service) {
    s.service_arn = None;
    s.status = None;
    s.running_count = None;
    s.pending_count = None;
    s.events = None;
    s.deployments = None;
    s.created_at = None;
    s.created_by = None;
    s.task_sets = None;
    s.platform_family = None;
}

pub(super) fn services(
    ctx: &mut Ctx,
    file: &InputFile,
    tg_names: &IndexMap<String, String>,
) -> Result<Vec<ServiceIn>> {
    let value = parse_json(file)?;
    if !matches!(&value, Value::Object(m) if m.contains_key("services")) {
        return Err(ImportError::file(
            &file.path,
            "expected the output of `aws ecs describe-services`: an object with `services`",
        ));
    }
    let mut described: DescribeServices = typed(file, &value)?;
    let root = Place::root(&file.path);
    if described.failures.take().is_some_and(|f| !f.is_empty()) {
        ctx.not_imported.push(format!(
            "{}: failures (services AWS could not describe)",
            file.path
        ));
    }
    let services = described.services.take().unwrap_or_default();
    root.rest(ctx, &described);
    let mut out = Vec::new();
    for (i, mut s) in services.into_iter().enumerate() {
        let at = root.item("services", i);
        ignore_service_status(&mut s);
        let service_name = s.service_name.take();
        let cluster_arn = s.cluster_arn.take();
        let task_definition = s.task_definition.take();
        let desired_count = s.desired_count.take();
        let launch_type = s.launch_type.take();
        let platform_version = s.platform_version.take();
        let load_balancers = s.load_balancers.take().unwrap_or_default();
        let network_configuration = s.network_configuration.take();
        let deployment_configuration = s.deployment_configuration.take();
        at.rest(ctx, &s);
        let name = at.required("serviceName", service_name)?;
        let td = at.required("taskDefinition", task_definition)?;
        let family = short_name(&td);
        ctx.rename(&td, &family);
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
            at.enumerated(
                ctx,
                "launchType",
                launch_type,
                &["EC2", "FARGATE", "EXTERNAL"],
            ),
        );
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
            let target_group_arn = l.target_group_arn.take();
            let container_name = l.container_name.take();
            let container_port = l.container_port.take();
            lat.rest(ctx, &l);
            let Some(arn) = target_group_arn else {
                ctx.not_imported.push(format!(
                    "{}: {} (a Classic Load Balancer: archflow models target groups only)",
                    file.path, lat.path
                ));
                continue;
            };
            let tg = tg_names
                .get(&arn)
                .cloned()
                .unwrap_or_else(|| short_name(&arn));
            ctx.rename(&arn, &tg);
            let container = lat.required("containerName", container_name)?;
            let Some(port) = lat.int("containerPort", container_port, 65535)? else {
                return Err(lat.missing("containerPort"));
            };
            let mut node = Node::map();
            node.insert("targetGroup", Node::str(&tg), Some(format!("was {arn}")));
            lb_nodes.push(
                node.with("containerName", Node::str(&container))
                    .with("containerPort", Node::Int(port)),
            );
            lbs.push((tg, container, port));
        }
        if !lb_nodes.is_empty() {
            push("loadBalancers", Some(Node::Seq(lb_nodes)));
        }
        if let Some(mut d) = deployment_configuration {
            let dat = at.child("deploymentConfiguration");
            let minimum = d.minimum_healthy_percent.take();
            let maximum = d.maximum_percent.take();
            let circuit_breaker = d.deployment_circuit_breaker.take();
            dat.rest(ctx, &d);
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
                let (enable, rollback) = (b.enable.take(), b.rollback.take());
                dat.child("deploymentCircuitBreaker").rest(ctx, &b);
                node = node.with(
                    "deploymentCircuitBreaker",
                    Node::map()
                        .with("enable", Node::Bool(enable.unwrap_or(false)))
                        .with("rollback", Node::Bool(rollback.unwrap_or(false))),
                );
            }
            if node != Node::map() {
                push("deploymentConfiguration", Some(node));
            }
        }
        if let Some(mut n) = network_configuration {
            let nat = at.child("networkConfiguration");
            let awsvpc = n.awsvpc_configuration.take();
            nat.rest(ctx, &n);
            if let Some(mut a) = awsvpc {
                let aat = nat.child("awsvpcConfiguration");
                let subnets = a.subnets.take().unwrap_or_default();
                let security_groups = a.security_groups.take().unwrap_or_default();
                let assign_public_ip = a.assign_public_ip.take();
                aat.rest(ctx, &a);
                let mut cfg = Node::map();
                if !subnets.is_empty() {
                    cfg = cfg.with("subnets", strings(subnets));
                }
                if !security_groups.is_empty() {
                    cfg = cfg.with("securityGroups", strings(security_groups));
                }
                cfg = cfg.with_opt(
                    "assignPublicIp",
                    aat.enumerated(
                        ctx,
                        "assignPublicIp",
                        assign_public_ip,
                        &["ENABLED", "DISABLED"],
                    ),
                );
                push(
                    "networkConfiguration",
                    Some(Node::map().with("awsvpcConfiguration", cfg)),
                );
            }
        }
        out.push(ServiceIn {
            name,
            family,
            cluster,
            entries,
            load_balancers: lbs,
        });
    }
    Ok(out)
}
