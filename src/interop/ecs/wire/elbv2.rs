//! Elastic Load Balancing (`aws elbv2`: Application and Network Load Balancers):
//! `describe-target-groups` and `describe-load-balancers` output, with AWS's Pascal-case keys.

use super::{Timestamp, objects};

objects! {
    rename_all = "PascalCase";

    /// The output of `aws elbv2 describe-target-groups` (`DescribeTargetGroupsOutput`).
    DescribeTargetGroups {
        target_groups: Vec<TargetGroup>,
        next_marker: String,
    }

    /// `TargetGroup`.
    TargetGroup {
        target_group_arn: String,
        target_group_name: String,
        protocol: String,
        port: i64,
        vpc_id: String,
        health_check_protocol: String,
        health_check_port: String,
        health_check_enabled: bool,
        health_check_interval_seconds: i64,
        health_check_timeout_seconds: i64,
        healthy_threshold_count: i64,
        unhealthy_threshold_count: i64,
        health_check_path: String,
        matcher: Matcher,
        load_balancer_arns: Vec<String>,
        target_type: String,
        protocol_version: String,
        ip_address_type: String,
        target_control_port: i64,
    }

    /// `Matcher`.
    Matcher {
        http_code: String,
        grpc_code: String,
    }

    /// The output of `aws elbv2 describe-load-balancers` (`DescribeLoadBalancersOutput`).
    DescribeLoadBalancers {
        load_balancers: Vec<LoadBalancer>,
        next_marker: String,
    }

    /// `LoadBalancer`.
    LoadBalancer {
        load_balancer_arn: String,
        #[serde(rename = "DNSName")]
        dns_name: String,
        canonical_hosted_zone_id: String,
        created_time: Timestamp,
        load_balancer_name: String,
        scheme: String,
        vpc_id: String,
        state: LoadBalancerState,
        r#type: String,
        availability_zones: Vec<AvailabilityZone>,
        security_groups: Vec<String>,
        ip_address_type: String,
        customer_owned_ipv4_pool: String,
        enforce_security_group_inbound_rules_on_private_link_traffic: String,
        enable_prefix_for_ipv6_source_nat: String,
        ipam_pools: IpamPools,
    }

    /// `LoadBalancerState`.
    LoadBalancerState {
        code: String,
        reason: String,
    }

    /// `AvailabilityZone`.
    AvailabilityZone {
        zone_name: String,
        subnet_id: String,
        outpost_id: String,
        load_balancer_addresses: Vec<LoadBalancerAddress>,
        source_nat_ipv6_prefixes: Vec<String>,
    }

    /// `LoadBalancerAddress`.
    LoadBalancerAddress {
        ip_address: String,
        allocation_id: String,
        #[serde(rename = "PrivateIPv4Address")]
        private_ipv4_address: String,
        #[serde(rename = "IPv6Address")]
        ipv6_address: String,
    }

    /// `IpamPools`.
    IpamPools {
        ipv4_ipam_pool_id: String,
    }
}
