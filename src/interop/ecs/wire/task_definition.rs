//! ECS task definitions: `register-task-definition` input and `describe-task-definition` output.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::{StringOrNumber, Timestamp, objects};

objects! {
    rename_all = "camelCase";

    /// The output of `aws ecs describe-task-definition`: `{"taskDefinition": {…}, "tags": […]}`.
    DescribeTaskDefinition {
        task_definition: TaskDefinition,
        tags: Vec<Tag>,
    }

    /// A task definition: the input of `aws ecs register-task-definition` (the
    /// `RegisterTaskDefinition` request) and the `taskDefinition` object of
    /// `describe-task-definition` output, in one type so either shape reads the same way. The
    /// input's fields come first, in the skeleton's order; the read-only fields AWS adds in output
    /// follow (`None` in input, and in what `export` writes). AWS requires `family` and
    /// `containerDefinitions` in input.
    TaskDefinition {
        family: String,
        task_role_arn: String,
        execution_role_arn: String,
        network_mode: String,
        container_definitions: Vec<ContainerDefinition>,
        volumes: Vec<Volume>,
        placement_constraints: Vec<TaskDefinitionPlacementConstraint>,
        requires_compatibilities: Vec<String>,
        cpu: StringOrNumber,
        memory: StringOrNumber,
        /// Input only: `describe-task-definition` output has the tags beside `taskDefinition`.
        tags: Vec<Tag>,
        pid_mode: String,
        ipc_mode: String,
        proxy_configuration: ProxyConfiguration,
        inference_accelerators: Vec<InferenceAccelerator>,
        ephemeral_storage: EphemeralStorage,
        runtime_platform: RuntimePlatform,
        enable_fault_injection: bool,
        /// Read-only: set by AWS in `describe-task-definition` output.
        task_definition_arn: String,
        /// Read-only: set by AWS in `describe-task-definition` output.
        revision: i64,
        /// Read-only: set by AWS in `describe-task-definition` output.
        status: String,
        /// Read-only: set by AWS in `describe-task-definition` output.
        requires_attributes: Vec<Attribute>,
        /// Read-only: set by AWS in `describe-task-definition` output.
        compatibilities: Vec<String>,
        /// Read-only: set by AWS in `describe-task-definition` output.
        registered_at: Timestamp,
        /// Read-only: set by AWS in `describe-task-definition` output.
        deregistered_at: Timestamp,
        /// Read-only: set by AWS in `describe-task-definition` output.
        delete_requested_at: Timestamp,
        /// Read-only: set by AWS in `describe-task-definition` output.
        registered_by: String,
    }

    /// `ContainerDefinition`.
    ContainerDefinition {
        name: String,
        image: String,
        repository_credentials: RepositoryCredentials,
        cpu: StringOrNumber,
        memory: StringOrNumber,
        memory_reservation: StringOrNumber,
        links: Vec<String>,
        port_mappings: Vec<PortMapping>,
        essential: bool,
        restart_policy: ContainerRestartPolicy,
        entry_point: Vec<String>,
        command: Vec<String>,
        environment: Vec<KeyValuePair>,
        environment_files: Vec<EnvironmentFile>,
        mount_points: Vec<MountPoint>,
        volumes_from: Vec<VolumeFrom>,
        linux_parameters: LinuxParameters,
        secrets: Vec<Secret>,
        depends_on: Vec<ContainerDependency>,
        start_timeout: i64,
        stop_timeout: i64,
        version_consistency: String,
        hostname: String,
        user: String,
        working_directory: String,
        disable_networking: bool,
        privileged: bool,
        readonly_root_filesystem: bool,
        dns_servers: Vec<String>,
        dns_search_domains: Vec<String>,
        extra_hosts: Vec<HostEntry>,
        docker_security_options: Vec<String>,
        interactive: bool,
        pseudo_terminal: bool,
        docker_labels: IndexMap<String, String>,
        ulimits: Vec<Ulimit>,
        log_configuration: LogConfiguration,
        health_check: HealthCheck,
        system_controls: Vec<SystemControl>,
        resource_requirements: Vec<ResourceRequirement>,
        firelens_configuration: FirelensConfiguration,
        credential_specs: Vec<String>,
    }

    /// `RepositoryCredentials`. AWS requires `credentialsParameter`.
    RepositoryCredentials {
        credentials_parameter: String,
    }

    /// `PortMapping`.
    PortMapping {
        container_port: i64,
        host_port: i64,
        protocol: String,
        name: String,
        app_protocol: String,
        container_port_range: String,
    }

    /// `ContainerRestartPolicy`. AWS requires `enabled`.
    ContainerRestartPolicy {
        enabled: bool,
        ignored_exit_codes: Vec<i64>,
        restart_attempt_period: i64,
    }

    /// `KeyValuePair`.
    KeyValuePair {
        name: String,
        value: String,
    }

    /// `EnvironmentFile`. AWS requires `value`, `type`.
    EnvironmentFile {
        value: String,
        r#type: String,
    }

    /// `MountPoint`.
    MountPoint {
        source_volume: String,
        container_path: String,
        read_only: bool,
    }

    /// `VolumeFrom`.
    VolumeFrom {
        source_container: String,
        read_only: bool,
    }

    /// `LinuxParameters`.
    LinuxParameters {
        capabilities: KernelCapabilities,
        devices: Vec<Device>,
        init_process_enabled: bool,
        shared_memory_size: i64,
        tmpfs: Vec<Tmpfs>,
        max_swap: i64,
        swappiness: i64,
    }

    /// `KernelCapabilities`.
    KernelCapabilities {
        add: Vec<String>,
        drop: Vec<String>,
    }

    /// `Device`. AWS requires `hostPath`.
    Device {
        host_path: String,
        container_path: String,
        permissions: Vec<String>,
    }

    /// `Tmpfs`. AWS requires `containerPath`, `size`.
    Tmpfs {
        container_path: String,
        size: i64,
        mount_options: Vec<String>,
    }

    /// `Secret`. AWS requires `name`, `valueFrom`.
    Secret {
        name: String,
        value_from: String,
    }

    /// `ContainerDependency`. AWS requires `containerName`, `condition`.
    ContainerDependency {
        container_name: String,
        condition: String,
    }

    /// `HostEntry`. AWS requires `hostname`, `ipAddress`.
    HostEntry {
        hostname: String,
        ip_address: String,
    }

    /// `Ulimit`. AWS requires `name`, `softLimit`, `hardLimit`.
    Ulimit {
        name: String,
        soft_limit: i64,
        hard_limit: i64,
    }

    /// `LogConfiguration`. AWS requires `logDriver`.
    LogConfiguration {
        log_driver: String,
        options: IndexMap<String, String>,
        secret_options: Vec<Secret>,
    }

    /// `HealthCheck`. AWS requires `command`.
    HealthCheck {
        command: Vec<String>,
        interval: i64,
        timeout: i64,
        retries: i64,
        start_period: i64,
    }

    /// `SystemControl`.
    SystemControl {
        namespace: String,
        value: String,
    }

    /// `ResourceRequirement`. AWS requires `value`, `type`.
    ResourceRequirement {
        value: String,
        r#type: String,
    }

    /// `FirelensConfiguration`. AWS requires `type`.
    FirelensConfiguration {
        r#type: String,
        options: IndexMap<String, String>,
    }

    /// `Volume`.
    Volume {
        name: String,
        host: HostVolumeProperties,
        docker_volume_configuration: DockerVolumeConfiguration,
        efs_volume_configuration: EfsVolumeConfiguration,
        s3files_volume_configuration: S3FilesVolumeConfiguration,
        fsx_windows_file_server_volume_configuration: FsxWindowsFileServerVolumeConfiguration,
        configured_at_launch: bool,
    }

    /// `HostVolumeProperties`.
    HostVolumeProperties {
        source_path: String,
    }

    /// `DockerVolumeConfiguration`.
    DockerVolumeConfiguration {
        scope: String,
        autoprovision: bool,
        driver: String,
        driver_opts: IndexMap<String, String>,
        labels: IndexMap<String, String>,
    }

    /// `EFSVolumeConfiguration`. AWS requires `fileSystemId`.
    EfsVolumeConfiguration {
        file_system_id: String,
        root_directory: String,
        transit_encryption: String,
        transit_encryption_port: i64,
        authorization_config: EfsAuthorizationConfig,
    }

    /// `EFSAuthorizationConfig`.
    EfsAuthorizationConfig {
        access_point_id: String,
        iam: String,
    }

    /// `S3FilesVolumeConfiguration`. AWS requires `fileSystemArn`.
    S3FilesVolumeConfiguration {
        file_system_arn: String,
        root_directory: String,
        transit_encryption_port: i64,
        access_point_arn: String,
    }

    /// `FSxWindowsFileServerVolumeConfiguration`. AWS requires `fileSystemId`, `rootDirectory`,
    /// `authorizationConfig`.
    FsxWindowsFileServerVolumeConfiguration {
        file_system_id: String,
        root_directory: String,
        authorization_config: FsxWindowsFileServerAuthorizationConfig,
    }

    /// `FSxWindowsFileServerAuthorizationConfig`. AWS requires `credentialsParameter`, `domain`.
    FsxWindowsFileServerAuthorizationConfig {
        credentials_parameter: String,
        domain: String,
    }

    /// `TaskDefinitionPlacementConstraint`.
    TaskDefinitionPlacementConstraint {
        r#type: String,
        expression: String,
    }

    /// `Tag`.
    Tag {
        key: String,
        value: String,
    }

    /// `ProxyConfiguration`. AWS requires `containerName`.
    ProxyConfiguration {
        r#type: String,
        container_name: String,
        properties: Vec<KeyValuePair>,
    }

    /// `InferenceAccelerator`. AWS requires `deviceName`, `deviceType`.
    InferenceAccelerator {
        device_name: String,
        device_type: String,
    }

    /// `EphemeralStorage`. AWS requires `sizeInGiB`.
    EphemeralStorage {
        #[serde(rename = "sizeInGiB")]
        size_in_gib: i64,
    }

    /// `RuntimePlatform`.
    RuntimePlatform {
        cpu_architecture: String,
        operating_system_family: String,
    }

    /// `Attribute`. AWS requires `name`.
    Attribute {
        name: String,
        value: String,
        target_type: String,
        target_id: String,
    }
}

impl TaskDefinition {
    /// A task definition from a JSON value: the value itself (`register-task-definition` input),
    /// or the `taskDefinition` inside `describe-task-definition` output.
    ///
    /// # Errors
    /// A field of the wrong type.
    pub fn from_value(value: &Value) -> Result<Self, serde_json::Error> {
        Self::deserialize(value.get("taskDefinition").unwrap_or(value))
    }

    /// As a `serde_json::Value` (for comparing; key order is lost).
    #[must_use]
    pub fn to_value(&self) -> Value {
        super::to_value(self)
    }

    /// Pretty JSON (two spaces), keys in the skeleton's order, ending in a newline.
    #[must_use]
    pub fn pretty(&self) -> String {
        super::pretty(self)
    }
}
