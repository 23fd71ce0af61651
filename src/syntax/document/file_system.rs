//! EFS file systems and their access points.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{S, Suppression};

/// An Amazon EFS file system: network storage (NFS, port 2049) that exists independently of any
/// task.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FileSystem {
    /// Unique name, standing in for the `fs-…` id; `efsVolumeConfiguration.fileSystemId` refers to
    /// it.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// Display name in diagrams and pages; defaults to `name`.
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    /// What this is and why it is there, in Markdown (shown in the HTML explainer and the Markdown
    /// page).
    #[schemars(with = "Option<String>")]
    pub description: Option<S<String>>,
    /// Whether data is encrypted at rest. AWS default: false with the API and CloudFormation (the
    /// console turns it on).
    #[schemars(with = "Option<bool>")]
    pub encrypted: Option<S<bool>>,
    /// `generalPurpose` (lowest latency, recommended) or `maxIO`; fixed when the file system is
    /// created. AWS default: `generalPurpose`.
    #[schemars(with = "Option<PerformanceMode>")]
    pub performance_mode: Option<S<PerformanceMode>>,
    /// `bursting` (scales with size, runs on credits), `provisioned` or `elastic` (scales with
    /// load). AWS default: `bursting` (the console picks `elastic`).
    #[schemars(with = "Option<ThroughputMode>")]
    pub throughput_mode: Option<S<ThroughputMode>>,
    /// Access points: entries into the file system, each with its own root directory and POSIX
    /// user.
    #[serde(default)]
    pub access_points: Vec<AccessPoint>,
    /// Findings of these rules about this item are not reported (see [`Suppression`]).
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

/// EFS performance mode: `generalPurpose` (lowest latency, recommended) or `maxIO`.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum PerformanceMode {
    GeneralPurpose,
    MaxIO,
}

/// EFS throughput mode: `bursting` (credit-based), `provisioned` or `elastic` (scales with load).
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ThroughputMode {
    Bursting,
    Provisioned,
    Elastic,
}

/// An EFS access point: an entry into the file system with its own root directory and POSIX
/// identity.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AccessPoint {
    /// Unique name, standing in for the `fsap-…` id; `authorizationConfig.accessPointId` refers to
    /// it.
    #[schemars(with = "String")]
    pub name: S<String>,
    /// Directory that clients of this access point see as the root (`RootDirectory.Path`). AWS
    /// default: `/`.
    #[schemars(with = "Option<String>")]
    pub root_directory: Option<S<String>>,
    /// User and group that every request through this access point runs as.
    pub posix_user: Option<PosixUser>,
}

/// The POSIX identity every request through an access point runs as.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PosixUser {
    /// User id (`Uid`).
    #[schemars(with = "u32")]
    pub uid: S<u32>,
    /// Group id (`Gid`).
    #[schemars(with = "u32")]
    pub gid: S<u32>,
}
