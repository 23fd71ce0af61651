//! A service → `create-service` input: cluster, task definition (by family, so the service runs
//! the latest revision registered), load balancers, task count, launch type or capacity
//! providers, deployment and network configuration.

use crate::interop::ecs::wire;
use crate::source::Span;
use crate::syntax::document::{S, Service};

use super::task::{enabled, launch_type};
use super::{Builder, Problem, StandIn, non_empty};

fn count(v: Option<&S<u32>>) -> Option<i64> {
    v.map(|x| i64::from(x.value))
}

impl Builder<'_> {
    /// The `create-service` input of one service.
    pub(super) fn service(&mut self, s: &Service) -> wire::CreateService {
        let name = &s.service_name.value;
        let span = Span::of(&s.service_name);
        let item = |what: &str| format!("{what}service `{name}`");
        let daemon = s.aws.get("schedulingStrategy") == Some(&serde_json::json!("DAEMON"));
        if s.desired_count.is_none() && !daemon {
            // archflow assumes 1; export adds nothing, so it refuses instead.
            self.problems.push(Problem {
                span,
                message: format!(
                    "service `{name}` has no `desiredCount`, which `create-service` needs for a \
                     REPLICA service (the default)"
                ),
                help: "set `desiredCount` (archflow assumes 1), or \
                       `aws: {schedulingStrategy: DAEMON}` for one task on each instance"
                    .to_owned(),
            });
        }
        let cluster = self.doc.cluster.as_ref().map(|c| {
            let arn = c.cluster_arn.as_ref().map(|a| a.value.as_str());
            self.identity(
                arn,
                StandIn {
                    pointer: "/cluster".to_owned(),
                    name: c.name.value.clone(),
                    note: None,
                    in_arn: true,
                },
            )
        });
        let load_balancers = s
            .load_balancers
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let tg_name = &l.target_group.value;
                let arn = self
                    .doc
                    .target_groups
                    .iter()
                    .find(|t| t.name.value == *tg_name)
                    .and_then(|t| t.target_group_arn.as_ref())
                    .map(|a| a.value.as_str());
                let target_group_arn = self.identity(
                    arn,
                    StandIn {
                        pointer: format!("/loadBalancers/{i}/targetGroupArn"),
                        name: tg_name.clone(),
                        note: Some(format!(
                            "`targetGroupArn` of service `{name}` is the target group's name \
                             `{tg_name}`: give the target group its `targetGroupArn` in the model"
                        )),
                        in_arn: true,
                    },
                );
                let typed = wire::LoadBalancer {
                    target_group_arn: Some(target_group_arn),
                    container_name: Some(l.container_name.value.clone()),
                    container_port: Some(i64::from(l.container_port.value)),
                    ..wire::LoadBalancer::default()
                };
                let what = format!("load balancer `{tg_name}` of ");
                self.with_aws(typed, &l.aws, Span::of(&l.target_group), &item(&what))
            })
            .collect();
        let capacity_provider_strategy = s
            .capacity_provider_strategy
            .iter()
            .map(|p| {
                let typed = wire::CapacityProviderStrategyItem {
                    capacity_provider: Some(p.capacity_provider.value.clone()),
                    weight: count(p.weight.as_ref()),
                    base: count(p.base.as_ref()),
                    ..wire::CapacityProviderStrategyItem::default()
                };
                let what = format!("capacity provider `{}` of ", p.capacity_provider.value);
                self.with_aws(typed, &p.aws, Span::of(&p.capacity_provider), &item(&what))
            })
            .collect();
        let deployment_configuration = s.deployment_configuration.as_ref().map(|d| {
            let breaker = d.deployment_circuit_breaker.as_ref().map(|b| {
                let typed = wire::DeploymentCircuitBreaker {
                    enable: Some(b.enable.value),
                    rollback: Some(b.rollback.value),
                    ..wire::DeploymentCircuitBreaker::default()
                };
                self.with_aws(typed, &b.aws, span, &item("`deploymentCircuitBreaker` of "))
            });
            let typed = wire::DeploymentConfiguration {
                deployment_circuit_breaker: breaker,
                maximum_percent: count(d.maximum_percent.as_ref()),
                minimum_healthy_percent: count(d.minimum_healthy_percent.as_ref()),
                ..wire::DeploymentConfiguration::default()
            };
            self.with_aws(typed, &d.aws, span, &item("`deploymentConfiguration` of "))
        });
        let network_configuration = s.network_configuration.as_ref().map(|n| {
            let a = &n.awsvpc_configuration;
            let typed = wire::AwsVpcConfiguration {
                subnets: non_empty(a.subnets.iter().map(|x| x.value.clone()).collect()),
                security_groups: non_empty(
                    a.security_groups.iter().map(|x| x.value.clone()).collect(),
                ),
                assign_public_ip: a
                    .assign_public_ip
                    .as_ref()
                    .map(|x| enabled(x.value).to_owned()),
                ..wire::AwsVpcConfiguration::default()
            };
            let awsvpc = self.with_aws(typed, &a.aws, span, &item("`awsvpcConfiguration` of "));
            let typed = wire::NetworkConfiguration {
                awsvpc_configuration: Some(awsvpc),
                ..wire::NetworkConfiguration::default()
            };
            self.with_aws(typed, &n.aws, span, &item("`networkConfiguration` of "))
        });
        let typed = wire::CreateService {
            cluster,
            service_name: Some(name.clone()),
            task_definition: Some(s.task_definition.family.value.clone()),
            load_balancers: non_empty(load_balancers),
            desired_count: count(s.desired_count.as_ref()),
            launch_type: s
                .launch_type
                .as_ref()
                .map(|l| launch_type(l.value).to_owned()),
            capacity_provider_strategy: non_empty(capacity_provider_strategy),
            platform_version: s.platform_version.as_ref().map(|p| p.value.clone()),
            deployment_configuration,
            network_configuration,
            health_check_grace_period_seconds: count(s.health_check_grace_period_seconds.as_ref()),
            ..wire::CreateService::default()
        };
        self.with_aws(typed, &s.aws, span, &item(""))
    }
}
