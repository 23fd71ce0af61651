//! ECS services: `create-service` input and `describe-services` output.

use serde_json::{Number, Value};

use super::{LogConfiguration, Tag, Timestamp, objects};

objects! {
    rename_all = "camelCase";

    /// The output of `aws ecs describe-services`: `{"services": […], "failures": […]}`.
    DescribeServices {
        services: Vec<Service>,
        failures: Vec<Failure>,
    }

    /// The input of `aws ecs create-service` (`CreateServiceRequest`). AWS requires `serviceName`.
    CreateService {
        cluster: String,
        service_name: String,
        task_definition: String,
        availability_zone_rebalancing: String,
        load_balancers: Vec<LoadBalancer>,
        service_registries: Vec<ServiceRegistry>,
        desired_count: i64,
        client_token: String,
        launch_type: String,
        capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
        platform_version: String,
        role: String,
        deployment_configuration: DeploymentConfiguration,
        placement_constraints: Vec<PlacementConstraint>,
        placement_strategy: Vec<PlacementStrategy>,
        network_configuration: NetworkConfiguration,
        health_check_grace_period_seconds: i64,
        scheduling_strategy: String,
        deployment_controller: DeploymentController,
        tags: Vec<Tag>,
        #[serde(rename = "enableECSManagedTags")]
        enable_ecs_managed_tags: bool,
        propagate_tags: String,
        enable_execute_command: bool,
        service_connect_configuration: ServiceConnectConfiguration,
        volume_configurations: Vec<ServiceVolumeConfiguration>,
        vpc_lattice_configurations: Vec<VpcLatticeConfiguration>,
    }

    /// A service as `describe-services` prints it (`Service`).
    Service {
        service_arn: String,
        service_name: String,
        cluster_arn: String,
        load_balancers: Vec<LoadBalancer>,
        service_registries: Vec<ServiceRegistry>,
        status: String,
        desired_count: i64,
        running_count: i64,
        pending_count: i64,
        launch_type: String,
        capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
        platform_version: String,
        platform_family: String,
        task_definition: String,
        deployment_configuration: DeploymentConfiguration,
        task_sets: Vec<TaskSet>,
        deployments: Vec<Deployment>,
        role_arn: String,
        events: Vec<ServiceEvent>,
        created_at: Timestamp,
        current_service_deployment: String,
        current_service_revisions: Vec<ServiceCurrentRevisionSummary>,
        placement_constraints: Vec<PlacementConstraint>,
        placement_strategy: Vec<PlacementStrategy>,
        network_configuration: NetworkConfiguration,
        health_check_grace_period_seconds: i64,
        scheduling_strategy: String,
        deployment_controller: DeploymentController,
        tags: Vec<Tag>,
        created_by: String,
        #[serde(rename = "enableECSManagedTags")]
        enable_ecs_managed_tags: bool,
        propagate_tags: String,
        enable_execute_command: bool,
        availability_zone_rebalancing: String,
        resource_management_type: String,
    }

    /// `LoadBalancer`.
    LoadBalancer {
        target_group_arn: String,
        load_balancer_name: String,
        container_name: String,
        container_port: i64,
        advanced_configuration: AdvancedConfiguration,
    }

    /// `AdvancedConfiguration`.
    AdvancedConfiguration {
        alternate_target_group_arn: String,
        production_listener_rule: String,
        test_listener_rule: String,
        role_arn: String,
    }

    /// `ServiceRegistry`.
    ServiceRegistry {
        registry_arn: String,
        port: i64,
        container_name: String,
        container_port: i64,
    }

    /// `CapacityProviderStrategyItem`. AWS requires `capacityProvider`.
    CapacityProviderStrategyItem {
        capacity_provider: String,
        weight: i64,
        base: i64,
    }

    /// `DeploymentConfiguration`.
    DeploymentConfiguration {
        deployment_circuit_breaker: DeploymentCircuitBreaker,
        maximum_percent: i64,
        minimum_healthy_percent: i64,
        alarms: DeploymentAlarms,
        strategy: String,
        bake_time_in_minutes: i64,
        lifecycle_hooks: Vec<DeploymentLifecycleHook>,
        linear_configuration: LinearConfiguration,
        canary_configuration: CanaryConfiguration,
    }

    /// `DeploymentCircuitBreaker`. AWS requires `enable`, `rollback`.
    DeploymentCircuitBreaker {
        enable: bool,
        rollback: bool,
    }

    /// `DeploymentAlarms`. AWS requires `alarmNames`, `rollback`, `enable`.
    DeploymentAlarms {
        alarm_names: Vec<String>,
        rollback: bool,
        enable: bool,
    }

    /// `DeploymentLifecycleHook`.
    DeploymentLifecycleHook {
        target_type: String,
        hook_target_arn: String,
        role_arn: String,
        lifecycle_stages: Vec<String>,
        hook_details: Value,
        timeout_configuration: DeploymentLifecycleHookTimeoutConfiguration,
    }

    /// `DeploymentLifecycleHookTimeoutConfiguration`.
    DeploymentLifecycleHookTimeoutConfiguration {
        timeout_in_minutes: i64,
        action: String,
    }

    /// `LinearConfiguration`.
    LinearConfiguration {
        step_percent: Number,
        step_bake_time_in_minutes: i64,
    }

    /// `CanaryConfiguration`.
    CanaryConfiguration {
        canary_percent: Number,
        canary_bake_time_in_minutes: i64,
    }

    /// `PlacementConstraint`.
    PlacementConstraint {
        r#type: String,
        expression: String,
    }

    /// `PlacementStrategy`.
    PlacementStrategy {
        r#type: String,
        field: String,
    }

    /// `NetworkConfiguration`.
    NetworkConfiguration {
        awsvpc_configuration: AwsVpcConfiguration,
    }

    /// `AwsVpcConfiguration`. AWS requires `subnets`.
    AwsVpcConfiguration {
        subnets: Vec<String>,
        security_groups: Vec<String>,
        assign_public_ip: String,
    }

    /// `DeploymentController`. AWS requires `type`.
    DeploymentController {
        r#type: String,
    }

    /// `ServiceConnectConfiguration`. AWS requires `enabled`.
    ServiceConnectConfiguration {
        enabled: bool,
        namespace: String,
        services: Vec<ServiceConnectService>,
        log_configuration: LogConfiguration,
        access_log_configuration: ServiceConnectAccessLogConfiguration,
    }

    /// `ServiceConnectService`. AWS requires `portName`.
    ServiceConnectService {
        port_name: String,
        discovery_name: String,
        client_aliases: Vec<ServiceConnectClientAlias>,
        ingress_port_override: i64,
        timeout: TimeoutConfiguration,
        tls: ServiceConnectTlsConfiguration,
    }

    /// `ServiceConnectClientAlias`. AWS requires `port`.
    ServiceConnectClientAlias {
        port: i64,
        dns_name: String,
        test_traffic_rules: ServiceConnectTestTrafficRules,
    }

    /// `ServiceConnectTestTrafficRules`. AWS requires `header`.
    ServiceConnectTestTrafficRules {
        header: ServiceConnectTestTrafficHeaderRules,
    }

    /// `ServiceConnectTestTrafficHeaderRules`. AWS requires `name`.
    ServiceConnectTestTrafficHeaderRules {
        name: String,
        value: ServiceConnectTestTrafficHeaderMatchRules,
    }

    /// `ServiceConnectTestTrafficHeaderMatchRules`. AWS requires `exact`.
    ServiceConnectTestTrafficHeaderMatchRules {
        exact: String,
    }

    /// `TimeoutConfiguration`.
    TimeoutConfiguration {
        idle_timeout_seconds: i64,
        per_request_timeout_seconds: i64,
    }

    /// `ServiceConnectTlsConfiguration`. AWS requires `issuerCertificateAuthority`.
    ServiceConnectTlsConfiguration {
        issuer_certificate_authority: ServiceConnectTlsCertificateAuthority,
        kms_key: String,
        role_arn: String,
    }

    /// `ServiceConnectTlsCertificateAuthority`.
    ServiceConnectTlsCertificateAuthority {
        aws_pca_authority_arn: String,
    }

    /// `ServiceConnectAccessLogConfiguration`. AWS requires `format`.
    ServiceConnectAccessLogConfiguration {
        format: String,
        include_query_parameters: String,
    }

    /// `ServiceVolumeConfiguration`. AWS requires `name`.
    ServiceVolumeConfiguration {
        name: String,
        #[serde(rename = "managedEBSVolume")]
        managed_ebs_volume: ServiceManagedEbsVolumeConfiguration,
    }

    /// `ServiceManagedEBSVolumeConfiguration`. AWS requires `roleArn`.
    ServiceManagedEbsVolumeConfiguration {
        encrypted: bool,
        kms_key_id: String,
        volume_type: String,
        #[serde(rename = "sizeInGiB")]
        size_in_gib: i64,
        snapshot_id: String,
        volume_initialization_rate: i64,
        iops: i64,
        throughput: i64,
        tag_specifications: Vec<EbsTagSpecification>,
        role_arn: String,
        filesystem_type: String,
    }

    /// `EBSTagSpecification`. AWS requires `resourceType`.
    EbsTagSpecification {
        resource_type: String,
        tags: Vec<Tag>,
        propagate_tags: String,
    }

    /// `VpcLatticeConfiguration`. AWS requires `roleArn`, `targetGroupArn`, `portName`.
    VpcLatticeConfiguration {
        role_arn: String,
        target_group_arn: String,
        port_name: String,
    }

    /// `TaskSet`.
    TaskSet {
        id: String,
        task_set_arn: String,
        service_arn: String,
        cluster_arn: String,
        started_by: String,
        external_id: String,
        status: String,
        task_definition: String,
        computed_desired_count: i64,
        pending_count: i64,
        running_count: i64,
        created_at: Timestamp,
        updated_at: Timestamp,
        launch_type: String,
        capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
        platform_version: String,
        platform_family: String,
        network_configuration: NetworkConfiguration,
        load_balancers: Vec<LoadBalancer>,
        service_registries: Vec<ServiceRegistry>,
        scale: Scale,
        stability_status: String,
        stability_status_at: Timestamp,
        tags: Vec<Tag>,
        fargate_ephemeral_storage: DeploymentEphemeralStorage,
    }

    /// `Scale`.
    Scale {
        value: Number,
        unit: String,
    }

    /// `DeploymentEphemeralStorage`.
    DeploymentEphemeralStorage {
        kms_key_id: String,
    }

    /// `Deployment`.
    Deployment {
        id: String,
        status: String,
        task_definition: String,
        desired_count: i64,
        pending_count: i64,
        running_count: i64,
        failed_tasks: i64,
        created_at: Timestamp,
        updated_at: Timestamp,
        capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
        launch_type: String,
        platform_version: String,
        platform_family: String,
        network_configuration: NetworkConfiguration,
        rollout_state: String,
        rollout_state_reason: String,
        service_connect_configuration: ServiceConnectConfiguration,
        service_connect_resources: Vec<ServiceConnectServiceResource>,
        volume_configurations: Vec<ServiceVolumeConfiguration>,
        fargate_ephemeral_storage: DeploymentEphemeralStorage,
        vpc_lattice_configurations: Vec<VpcLatticeConfiguration>,
    }

    /// `ServiceConnectServiceResource`.
    ServiceConnectServiceResource {
        discovery_name: String,
        discovery_arn: String,
    }

    /// `ServiceEvent`.
    ServiceEvent {
        id: String,
        created_at: Timestamp,
        message: String,
    }

    /// `ServiceCurrentRevisionSummary`.
    ServiceCurrentRevisionSummary {
        arn: String,
        requested_task_count: i64,
        running_task_count: i64,
        pending_task_count: i64,
    }

    /// `Failure`.
    Failure {
        arn: String,
        reason: String,
        detail: String,
    }
}
