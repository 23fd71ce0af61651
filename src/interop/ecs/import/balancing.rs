//! `describe-target-groups` and `describe-load-balancers` output → the model's target groups
//! and load balancers.

use serde_json::Value;

use crate::interop::ecs::wire::elbv2;
use crate::interop::yaml_writer::Node;

use super::json::{Place, parse_json, typed};
use super::{Ctx, ImportError, InputFile, Result};

/// Check that an `aws elbv2 describe-*` output has its list, under a Pascal-case key.
pub(super) fn expect_elbv2_list(
    file: &InputFile,
    value: &Value,
    key: &str,
    command: &str,
) -> Result<()> {
    match value {
        Value::Object(top) if top.contains_key(key) => Ok(()),
        Value::Object(_) => Err(ImportError::file(
            &file.path,
            format!(
                "expected the output of `aws elbv2 {command}`: an object with `{key}` (PascalCase)"
            ),
        )),
        _ => Err(ImportError::file(
            &file.path,
            format!("expected the output of `aws elbv2 {command}`: an object with `{key}`"),
        )),
    }
}

pub(super) struct TargetGroupIn {
    pub(super) name: String,
    pub(super) arn: Option<String>,
    pub(super) lb_arns: Vec<String>,
    pub(super) node: Node,
}

pub(super) fn target_groups(ctx: &mut Ctx, file: &InputFile) -> Result<Vec<TargetGroupIn>> {
    let value = parse_json(file)?;
    expect_elbv2_list(file, &value, "TargetGroups", "describe-target-groups")?;
    let mut described: elbv2::DescribeTargetGroups = typed(file, &value)?;
    let root = Place::root(&file.path);
    let groups = described.target_groups.take().unwrap_or_default();
    root.rest(ctx, &described);
    let mut out = Vec::new();
    for (i, mut t) in groups.into_iter().enumerate() {
        let at = root.item("TargetGroups", i);
        let target_group_name = t.target_group_name.take();
        let arn = t.target_group_arn.take();
        let lb_arns = t.load_balancer_arns.take().unwrap_or_default();
        let port = t.port.take();
        let protocol = t.protocol.take();
        let target_type = t.target_type.take();
        let matcher = t.matcher.take();
        let path = t.health_check_path.take();
        let health_port = t.health_check_port.take();
        let health_protocol = t.health_check_protocol.take();
        let max = i64::from(u32::MAX);
        let counts = [
            (
                "HealthCheckIntervalSeconds",
                "intervalSeconds",
                t.health_check_interval_seconds.take(),
            ),
            (
                "HealthCheckTimeoutSeconds",
                "timeoutSeconds",
                t.health_check_timeout_seconds.take(),
            ),
            (
                "HealthyThresholdCount",
                "healthyThresholdCount",
                t.healthy_threshold_count.take(),
            ),
            (
                "UnhealthyThresholdCount",
                "unhealthyThresholdCount",
                t.unhealthy_threshold_count.take(),
            ),
        ];
        at.rest(ctx, &t);
        let name = at.required("TargetGroupName", target_group_name)?;
        if let Some(a) = &arn {
            ctx.rename(a, &name);
        }
        let mut node = Node::map()
            .with("name", Node::str(&name))
            .with_opt(
                "targetGroupArn",
                arn.as_ref().filter(|a| **a != name).map(Node::str),
            )
            .with_opt("port", at.int("Port", port, 65535)?.map(Node::Int))
            .with_opt(
                "protocol",
                at.enumerated(
                    ctx,
                    "Protocol",
                    protocol,
                    &["HTTP", "HTTPS", "TCP", "TLS", "UDP"],
                ),
            )
            .with_opt(
                "targetType",
                at.enumerated(
                    ctx,
                    "TargetType",
                    target_type,
                    &["instance", "ip", "lambda", "alb"],
                ),
            );
        let matcher = match matcher {
            Some(mut m) => {
                let http_code = m.http_code.take();
                at.child("Matcher").rest(ctx, &m);
                http_code.map(Node::Str)
            }
            None => None,
        };
        let mut hc = Node::map()
            .with_opt("path", path.map(Node::Str))
            .with_opt("port", health_port.map(Node::Str))
            .with_opt("protocol", health_protocol.map(Node::Str));
        for (key, model_key, count) in counts {
            hc = hc.with_opt(model_key, at.int(key, count, max)?.map(Node::Int));
        }
        hc = hc.with_opt("matcher", matcher);
        if hc != Node::map() {
            node = node.with("healthCheck", hc);
        }
        out.push(TargetGroupIn {
            name,
            arn,
            lb_arns,
            node,
        });
    }
    Ok(out)
}

pub(super) struct LoadBalancerIn {
    pub(super) name: String,
    pub(super) arn: Option<String>,
    pub(super) network: bool,
    pub(super) internet_facing: bool,
    pub(super) node: Node,
}

pub(super) fn load_balancers(ctx: &mut Ctx, file: &InputFile) -> Result<Vec<LoadBalancerIn>> {
    let value = parse_json(file)?;
    expect_elbv2_list(file, &value, "LoadBalancers", "describe-load-balancers")?;
    let mut described: elbv2::DescribeLoadBalancers = typed(file, &value)?;
    let root = Place::root(&file.path);
    let balancers = described.load_balancers.take().unwrap_or_default();
    root.rest(ctx, &described);
    let mut out = Vec::new();
    for (i, mut l) in balancers.into_iter().enumerate() {
        let at = root.item("LoadBalancers", i);
        // Set by AWS, nothing to model: ignored, not listed.
        l.dns_name = None;
        l.canonical_hosted_zone_id = None;
        l.created_time = None;
        l.state = None;
        let load_balancer_name = l.load_balancer_name.take();
        let arn = l.load_balancer_arn.take();
        let (lb_type, scheme) = (l.r#type.take(), l.scheme.take());
        at.rest(ctx, &l);
        let name = at.required("LoadBalancerName", load_balancer_name)?;
        if let Some(a) = &arn {
            ctx.rename(a, &name);
        }
        let mut node = Node::map();
        node.insert(
            "name",
            Node::str(&name),
            arn.as_ref().map(|a| format!("was {a}")),
        );
        let lb_type = at.enumerated(ctx, "Type", lb_type, &["application", "network"]);
        let network = lb_type == Some(Node::str("network"));
        let scheme = at.enumerated(ctx, "Scheme", scheme, &["internet-facing", "internal"]);
        let internet_facing = scheme
            .as_ref()
            .is_none_or(|s| *s == Node::str("internet-facing"));
        node = node.with_opt("type", lb_type).with_opt("scheme", scheme);
        out.push(LoadBalancerIn {
            name,
            arn,
            network,
            internet_facing,
            node,
        });
    }
    Ok(out)
}
