//! Why the system is built this way: the model's `decisions:` as records, and the trade-offs
//! archflow's rules know about, said in plain words about the components they concern.
//!
//! The trade-off texts are archflow's own Markdown; names from the model go into them inside
//! backticks, with any backtick in a name removed, so a name can never become markup.

use serde::Serialize;

use crate::diagnostic::code;
use crate::model::{ComponentId, Kind, Model};
use crate::syntax::document::{NetworkMode, Role, Service};

/// A decision record from the model's `decisions:`. Texts are Markdown, as written.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionView {
    pub title: String,
    pub context: Option<String>,
    pub decision: Option<String>,
    pub consequences: Option<String>,
    /// The components it concerns: node ids (reference names) or, for a name that resolves to
    /// nothing, the name as written.
    pub concerns: Vec<String>,
}

/// A trade-off of the configuration, explained: what the model chose and what it costs.
#[derive(Clone, Debug, Serialize)]
pub struct TradeoffView {
    /// Stable within a view: `database-in-task`, `database-on-efs`, `database-on-task-storage`,
    /// `single-task`, `stop-before-start`.
    pub kind: &'static str,
    /// A short title, plain text.
    pub title: String,
    /// The explanation, archflow's own Markdown (names in code spans).
    pub text: String,
    /// What it concerns: node ids and cluster ids (`service:NAME`).
    pub concerns: Vec<String>,
    /// The rule that reports the risk, when one does: its code (`A010`).
    pub rule: Option<&'static str>,
}

/// `name` in a Markdown code span: backticks removed, control characters (newlines included)
/// as spaces, so it stays one code span.
fn code(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|&c| c != '`')
        .collect();
    format!("`{}`", name.trim())
}

/// The model's decisions, their `concerns` as node ids.
#[must_use]
pub fn decisions(model: &Model) -> Vec<DecisionView> {
    let text = |s: &Option<crate::syntax::document::S<String>>| s.as_ref().map(|s| s.value.clone());
    model
        .doc
        .decisions
        .iter()
        .map(|d| DecisionView {
            title: d.title.value.clone(),
            context: text(&d.context),
            decision: text(&d.decision),
            consequences: text(&d.consequences),
            concerns: d
                .concerns
                .iter()
                .map(|r| {
                    let service = model.doc.services.iter().find(|s| {
                        s.service_name.value == r.value || s.task_definition.family.value == r.value
                    });
                    match service {
                        Some(s) if s.service_name.value == r.value => {
                            return format!("service:{}", r.value);
                        }
                        Some(_) => return format!("task:{}", r.value),
                        None => {}
                    }
                    match model.resolve(&r.value) {
                        Some(c) if c.id.kind == Kind::Service => format!("service:{}", c.id.name),
                        Some(c) if c.id.kind == Kind::Task => format!("task:{}", c.id.name),
                        Some(c) => model.reference_name(&c.id).to_owned(),
                        None => r.value.clone(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The trade-offs of every service, in model order.
#[must_use]
pub fn tradeoffs(model: &Model) -> Vec<TradeoffView> {
    let mut out = Vec::new();
    for service in &model.doc.services {
        service_tradeoffs(model, service, &mut out);
    }
    out
}

fn service_tradeoffs(model: &Model, service: &Service, out: &mut Vec<TradeoffView>) {
    let name = &service.service_name.value;
    let service_id = format!("service:{name}");
    let task = &service.task_definition;
    let node = |kind, n: &str| {
        model
            .reference_name(&ComponentId::scoped(kind, name, n))
            .to_owned()
    };
    let databases: Vec<_> = task
        .container_definitions
        .iter()
        .filter(|c| c.role() == Some(Role::Database))
        .collect();
    let others: Vec<_> = task
        .container_definitions
        .iter()
        .filter(|c| c.role() != Some(Role::Database))
        .collect();
    let count = service.desired_count();
    let mut on_efs = false;
    for db in &databases {
        let db_name = &db.name.value;
        if !others.is_empty() {
            let callers: Vec<String> = others.iter().map(|c| code(&c.name.value)).collect();
            let reach = if callers.len() == 1 {
                "reaches"
            } else {
                "reach"
            };
            let port = db.port_mappings.first().map(|p| p.container_port.value);
            let how = match (service.network_mode(), port) {
                (NetworkMode::Awsvpc | NetworkMode::Host, Some(port)) => format!(
                    "Containers of one task share its network, so {} {reach} it at \
                     `localhost:{port}`: no load balancer, no service discovery, no network hop.",
                    callers.join(", ")
                ),
                _ => format!("{} {reach} it inside the task.", callers.join(", ")),
            };
            let mut concerns = vec![node(Kind::Container, db_name)];
            concerns.extend(others.iter().map(|c| node(Kind::Container, &c.name.value)));
            concerns.push(service_id.clone());
            out.push(TradeoffView {
                kind: "database-in-task",
                title: format!("The database runs inside the task of service {name}"),
                text: format!(
                    "{} is a container of the same task as {}. {how} The price: the containers \
                     start, stop and scale together. A second task of {} would start a second \
                     database, so the API cannot scale out without moving the database into a \
                     service of its own or to a managed database.",
                    code(db_name),
                    callers.join(", "),
                    code(name)
                ),
                concerns,
                rule: None,
            });
        }
        let Some(path) = db.data_path() else {
            continue;
        };
        let mount = db
            .mount_points
            .iter()
            .filter(|m| {
                let dir = m.container_path.value.trim_end_matches('/');
                path == dir || dir.is_empty() || path.starts_with(&format!("{dir}/"))
            })
            .max_by_key(|m| m.container_path.value.trim_end_matches('/').len());
        let volume = mount.and_then(|m| {
            task.volumes
                .iter()
                .find(|v| v.name.value == m.source_volume.value)
        });
        let efs = volume.and_then(|v| v.efs_volume_configuration.as_ref());
        if let (Some(volume), Some(efs)) = (volume, efs) {
            on_efs = true;
            let fs = model.resolve(&efs.file_system_id.value).map_or_else(
                || efs.file_system_id.value.clone(),
                |c| model.reference_name(&c.id).to_owned(),
            );
            out.push(TradeoffView {
                kind: "database-on-efs",
                title: format!("{db_name} keeps its data on EFS, not on the task's storage"),
                text: format!(
                    "{}'s data directory {} is the volume {}, which is the EFS file system {}. \
                     Task storage is deleted with the task; EFS is network storage that outlives \
                     it, so stopping, replacing or redeploying the task loses no data. The price: \
                     EFS is slower than local disk, and it is shared: every task of {} mounts the \
                     same directory, so two database processes must never run at once.",
                    code(db_name),
                    code(path),
                    code(&volume.name.value),
                    code(&fs),
                    code(name)
                ),
                concerns: vec![
                    node(Kind::Container, db_name),
                    node(Kind::Volume, &volume.name.value),
                    fs,
                ],
                rule: Some(code::A009.id),
            });
        } else {
            out.push(TradeoffView {
                kind: "database-on-task-storage",
                title: format!("{db_name} keeps its data on the task's own storage"),
                text: format!(
                    "{}'s data directory {} is not on an EFS volume, so it lives on storage that \
                     is deleted with the task: a crash, a scale-in or a deployment loses the \
                     data. Fast and simple, and fine for a cache; not for data you keep.",
                    code(db_name),
                    code(path)
                ),
                concerns: vec![node(Kind::Container, db_name), service_id.clone()],
                rule: Some(code::A008.id),
            });
        }
    }
    let serves = !service.load_balancers.is_empty()
        || task
            .container_definitions
            .iter()
            .any(|c| matches!(c.role(), Some(Role::Api | Role::Web)));
    if serves && count == 1 {
        let why = if on_efs {
            " It stays at one on purpose: its database keeps its files on shared EFS, and two \
             tasks would mean two database processes writing one data directory, which corrupts \
             it."
        } else {
            ""
        };
        out.push(TradeoffView {
            kind: "single-task",
            title: format!("Service {name} runs a single task"),
            text: format!(
                "{} keeps exactly one copy of its task running. One task is a single point of \
                 failure: while it is replaced (after a crash, a failed health check, a \
                 deployment or an Availability Zone outage) nothing answers.{why}",
                code(name)
            ),
            concerns: vec![service_id.clone()],
            rule: Some(code::A010.id),
        });
    }
    let (min, max) = (service.minimum_healthy_percent(), service.maximum_percent());
    if min == 0 && max <= 100 && count >= 1 {
        out.push(TradeoffView {
            kind: "stop-before-start",
            title: format!("Every deployment of {name} is a short outage"),
            text: format!(
                "`minimumHealthyPercent: {min}` and `maximumPercent: {max}` tell ECS to stop the \
                 old task before it starts the new one, so no two copies ever run at once{}. \
                 The price: on every deployment nothing answers from the moment the old task \
                 stops until the new one has started and passed its health checks (typically \
                 one to a few minutes).",
                if on_efs {
                    " (which the database on EFS needs)"
                } else {
                    ""
                }
            ),
            concerns: vec![service_id],
            rule: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::source::Source;

    const REFERENCE: &str = include_str!("../../architecture.yaml");

    fn analyze(text: &str) -> crate::Analysis {
        crate::analyze(&Source::new("architecture.yaml", text.to_owned()))
    }

    fn kinds(text: &str) -> Vec<&'static str> {
        let analysis = analyze(text);
        super::tradeoffs(analysis.model.as_ref().unwrap())
            .iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn the_reference_model_explains_its_four_trade_offs() {
        assert_eq!(
            kinds(REFERENCE),
            [
                "database-in-task",
                "database-on-efs",
                "single-task",
                "stop-before-start"
            ]
        );
        let analysis = analyze(REFERENCE);
        let all = super::tradeoffs(analysis.model.as_ref().unwrap());
        // Said in the caller's words: the address it actually uses.
        assert!(all[0].text.contains("`localhost:27017`"), "{}", all[0].text);
        assert!(all[2].text.contains("on purpose"), "{}", all[2].text);
        assert_eq!(all[1].concerns, ["mongodb", "data", "goals-data"]);
    }

    #[test]
    fn settings_change_the_trade_offs() {
        // Two tasks, default deployment percentages: no single task, no stop-before-start.
        let scaled = REFERENCE
            .replace("desiredCount: 1", "desiredCount: 2")
            .replace(
                "      minimumHealthyPercent: 0\n      maximumPercent: 100\n",
                "      maximumPercent: 200\n",
            );
        assert_eq!(kinds(&scaled), ["database-in-task", "database-on-efs"]);
        // No EFS mount: the data is on task storage; the single task is no longer on purpose.
        let ephemeral = REFERENCE.replace(
            "          mountPoints:\n            - sourceVolume: data\n              containerPath: /data/db\n",
            "",
        );
        assert_ne!(ephemeral, REFERENCE);
        let analysis = analyze(&ephemeral);
        let all = super::tradeoffs(analysis.model.as_ref().unwrap());
        let kinds: Vec<_> = all.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                "database-in-task",
                "database-on-task-storage",
                "single-task",
                "stop-before-start"
            ]
        );
        assert!(!all[2].text.contains("on purpose"));
    }

    #[test]
    fn decisions_name_components_services_and_tasks() {
        let analysis = analyze(REFERENCE);
        let decisions = super::decisions(analysis.model.as_ref().unwrap());
        assert_eq!(decisions.len(), 3);
        assert_eq!(
            decisions[0].concerns,
            ["mongodb", "goals-backend", "service:goals"]
        );
        assert!(
            !analysis
                .diagnostics
                .iter()
                .any(|d| d.code == crate::diagnostic::code::A001.id),
            "a service name is a valid concern"
        );
        // A name that is nothing is an unknown reference, with a suggestion.
        let broken = REFERENCE.replace(
            "concerns: [mongodb, goals-backend",
            "concerns: [mongodbb, goals-backend",
        );
        assert_ne!(broken, REFERENCE);
        let analysis = analyze(&broken);
        let unknown: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == crate::diagnostic::code::A001.id)
            .collect();
        assert_eq!(unknown.len(), 1, "{unknown:?}");
        assert!(unknown[0].message.contains("`mongodbb`"));
        assert_eq!(unknown[0].help.as_deref(), Some("did you mean `mongodb`?"));
    }

    #[test]
    fn names_cannot_escape_their_code_span() {
        assert_eq!(super::code("a`b\n\nc"), "`ab  c`");
    }
}
