//! What AWS assumes when a field is left out.

use crate::syntax::document::{
    ContainerDefinition, FileSystem, FileSystemSetting, LaunchType, MountPoint, NetworkMode, Role,
    Service, TaskDefinition,
};

impl FileSystem {
    /// Whether `setting` is listed under `unknown` and not written: nobody knows its value,
    /// so rules must not assume AWS's default.
    #[must_use]
    pub fn is_unknown(&self, setting: FileSystemSetting) -> bool {
        let written = match setting {
            FileSystemSetting::Encrypted => self.encrypted.is_some(),
            FileSystemSetting::PerformanceMode => self.performance_mode.is_some(),
            FileSystemSetting::ThroughputMode => self.throughput_mode.is_some(),
        };
        !written && self.unknown.iter().any(|u| u.value == setting)
    }
}

impl Service {
    /// `desiredCount`, default 1 (as the console and `create-service` do).
    #[must_use]
    pub fn desired_count(&self) -> u32 {
        self.desired_count.as_ref().map_or(1, |c| c.value)
    }

    /// `deploymentConfiguration.maximumPercent`, default 200.
    #[must_use]
    pub fn maximum_percent(&self) -> u32 {
        self.deployment_configuration
            .as_ref()
            .and_then(|d| d.maximum_percent.as_ref())
            .map_or(200, |p| p.value)
    }

    /// `deploymentConfiguration.minimumHealthyPercent`, default 100.
    #[must_use]
    pub fn minimum_healthy_percent(&self) -> u32 {
        self.deployment_configuration
            .as_ref()
            .and_then(|d| d.minimum_healthy_percent.as_ref())
            .map_or(100, |p| p.value)
    }

    #[must_use]
    pub fn launch_type(&self) -> Option<LaunchType> {
        self.launch_type.as_ref().map(|l| l.value)
    }

    /// The task's network mode, with the default for the launch type.
    #[must_use]
    pub fn network_mode(&self) -> NetworkMode {
        self.task_definition.network_mode(self.launch_type())
    }
}

impl TaskDefinition {
    /// `networkMode`: as written, else `awsvpc` on Fargate (the only mode it allows), else
    /// `bridge` (the EC2 default).
    #[must_use]
    pub fn network_mode(&self, launch: Option<LaunchType>) -> NetworkMode {
        if let Some(mode) = &self.network_mode {
            return mode.value;
        }
        let fargate = launch == Some(LaunchType::Fargate)
            || self
                .requires_compatibilities
                .iter()
                .any(|c| c.value == LaunchType::Fargate);
        if fargate {
            NetworkMode::Awsvpc
        } else {
            NetworkMode::Bridge
        }
    }
}

impl ContainerDefinition {
    /// `essential`, default true.
    #[must_use]
    pub fn is_essential(&self) -> bool {
        self.essential.as_ref().is_none_or(|e| e.value)
    }

    #[must_use]
    pub fn role(&self) -> Option<Role> {
        self.role.as_ref().map(|r| r.value)
    }

    /// Where a database keeps its files: `dataPath` as written, else the path the official
    /// image uses, if archflow knows the image.
    #[must_use]
    pub fn data_path(&self) -> Option<&str> {
        if let Some(p) = &self.data_path {
            return Some(&p.value);
        }
        default_data_path(&self.image.value)
    }
}

impl MountPoint {
    /// `readOnly`, default false.
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.read_only.as_ref().is_some_and(|r| r.value)
    }
}

/// Data directories of well-known database images (official Docker Hub images).
#[must_use]
pub fn default_data_path(image: &str) -> Option<&'static str> {
    // "registry/namespace/mongo:7@sha256:…" → "mongo"
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    let repo = last.split(':').next().unwrap_or(last);
    Some(match repo {
        "mongo" | "mongodb-community-server" => "/data/db",
        "postgres" | "postgis" => "/var/lib/postgresql/data",
        "mysql" | "mariadb" | "percona" => "/var/lib/mysql",
        "redis" | "valkey" | "neo4j" => "/data",
        "elasticsearch" | "opensearch" => "/usr/share/elasticsearch/data",
        "cassandra" => "/var/lib/cassandra",
        "couchdb" => "/opt/couchdb/data",
        "influxdb" => "/var/lib/influxdb2",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::default_data_path;

    #[test]
    fn data_paths_by_image() {
        assert_eq!(default_data_path("mongo"), Some("/data/db"));
        assert_eq!(
            default_data_path("docker.io/library/mongo:7.0"),
            Some("/data/db")
        );
        assert_eq!(
            default_data_path("postgres:16@sha256:abc"),
            Some("/var/lib/postgresql/data")
        );
        assert_eq!(
            default_data_path("localhost:5000/mysql"),
            Some("/var/lib/mysql")
        );
        assert_eq!(default_data_path("academind/goals-node"), None);
    }
}
