//! Writing: the [`Plan`] → the text of `architecture.yaml`, through
//! [`yaml_writer`](crate::interop::yaml_writer). Keys are laid out in the order a reader of the
//! model expects, with the plan's notes as comments and the header that explains the layout and
//! lists what was not imported. No decision is made here: only the fixed remarks that go with a
//! field in every import are added.

use crate::interop::yaml_writer::{self, Entry, Node};

use super::Imported;
use super::Layout;
use super::plan::{Container, EcsService, HealthCheck, LoadBalancer, Plan, TaskVolume};

/// The YAML text of the plan and its not-imported list.
pub(super) fn write(plan: Plan) -> Imported {
    let mut root = Node::map()
        .with("version", Node::Int(1))
        .with("name", Node::str(plan.project.clone()))
        .with(
            "description",
            Node::str(format!(
                "Imported from `{}` by `archflow import compose` (layout `{}`).",
                plan.source_name,
                plan.layout.as_str()
            )),
        )
        .with(
            "cluster",
            Node::map().with("name", Node::str(plan.cluster.clone())),
        );
    if let Some(caller) = &plan.caller {
        let lb_names: Vec<String> = plan.load_balancers.iter().map(|l| l.name.clone()).collect();
        root.insert(
            "actors",
            Node::Seq(vec![
                Node::map()
                    .with("name", Node::str(caller.clone()))
                    .with("label", Node::str("User"))
                    .with("connectsTo", str_seq(&lb_names)),
            ]),
            Some("guess: someone calls the ports compose publishes".to_owned()),
        );
        let comment = if plan.load_balancers.iter().any(|l| l.network) {
            "guess: compose publishes ports on the host; on ECS a load balancer gives them one stable address:\nan Application Load Balancer for HTTP, a Network Load Balancer for other protocols (TCP, UDP)"
        } else {
            "guess: compose publishes ports on the host; on ECS an Application Load Balancer gives them one stable address"
        };
        root.insert(
            "loadBalancers",
            Node::Seq(plan.load_balancers.iter().map(load_balancer).collect()),
            Some(comment.to_owned()),
        );
        if !plan.target_groups.is_empty() {
            let groups = plan
                .target_groups
                .iter()
                .map(|tg| {
                    commented(
                        Node::map()
                            .with("name", Node::str(tg.name.clone()))
                            .with("port", Node::Int(i64::from(tg.port)))
                            .with("protocol", Node::str(tg.protocol))
                            .with("targetType", Node::str("ip")),
                        &tg.note,
                    )
                })
                .collect();
            root.insert("targetGroups", Node::Seq(groups), None);
        }
    }
    if !plan.file_systems.is_empty() {
        let file_systems = plan
            .file_systems
            .iter()
            .map(|fs| {
                commented(
                    Node::map()
                        .with("name", Node::str(fs.name.clone()))
                        .with("encrypted", Node::Bool(true))
                        .with("performanceMode", Node::str("generalPurpose"))
                        .with("throughputMode", Node::str("elastic")),
                    &fs.note,
                )
            })
            .collect();
        root.insert("fileSystems", Node::Seq(file_systems), None);
    }
    let services = plan
        .services
        .iter()
        .map(|s| service(s, &plan.security_group))
        .collect();
    root.insert("services", Node::Seq(services), None);

    let header = header(&plan);
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    Imported {
        yaml: yaml_writer::write(&root, &header_refs),
        not_imported: plan.not_imported,
        notes: plan.notes,
        warnings: plan.warnings,
    }
}

/// The header comment: where the model comes from, the layout, what was not imported.
fn header(plan: &Plan) -> Vec<String> {
    let mut header: Vec<String> = vec![
        format!(
            "Imported from {} by `archflow import compose --layout {}`.",
            plan.source_name,
            plan.layout.as_str()
        ),
        "Review every comment that says \"guess\" or \"placeholder\", then run `archflow check`."
            .to_owned(),
        " ".to_owned(),
    ];
    match plan.layout {
        Layout::OneTask => header.push(
            "Layout one-task: every compose service is a container of ONE task of ONE ECS service.\n\
             They start, stop and scale together, and share the task's network namespace: they\n\
             reach each other on localhost, and compose service names (like `db`) do not resolve."
                .to_owned(),
        ),
        Layout::OneServiceEach => header.push(
            "Layout one-service-each: every compose service is its own ECS service with a\n\
             one-container task. They scale and deploy independently; compose service names\n\
             resolve only through ECS Service Connect or Cloud Map (not modelled), and\n\
             `depends_on` is lost (ECS orders containers only within one task)."
                .to_owned(),
        ),
    }
    for (title, lines) in [
        ("Warnings (as compose gives them):", &plan.warnings),
        ("Notes:", &plan.notes),
        ("Not imported:", &plan.not_imported),
    ] {
        if !lines.is_empty() {
            header.push(" ".to_owned());
            header.push(title.to_owned());
            for n in lines {
                header.push(format!("  - {n}"));
            }
        }
    }
    header
}

fn load_balancer(lb: &LoadBalancer) -> Node {
    let listeners = lb
        .listeners
        .iter()
        .map(|l| {
            let listener = Node::map()
                .with("port", Node::Int(i64::from(l.port)))
                .with("protocol", Node::str(l.protocol))
                .with(
                    "defaultActions",
                    Node::Seq(vec![
                        Node::map()
                            .with("type", Node::str("forward"))
                            .with("targetGroup", Node::str(l.target_group.clone())),
                    ]),
                );
            if l.needs_certificate {
                commented(
                    listener,
                    "HTTPS needs a certificate: add `certificates` and `sslPolicy`, then set `protocol: HTTPS`",
                )
            } else {
                listener
            }
        })
        .collect();
    Node::map()
        .with("name", Node::str(lb.name.clone()))
        .with(
            "type",
            Node::str(if lb.network { "network" } else { "application" }),
        )
        .with("scheme", Node::str("internet-facing"))
        .with("listeners", Node::Seq(listeners))
}

fn service(s: &EcsService, security_group: &str) -> Node {
    let mut svc = Node::map().with("serviceName", Node::str(s.name.clone()));
    svc.insert("description", Node::str(s.description.clone()), None);
    svc.insert("launchType", Node::str("FARGATE"), None);
    svc.insert(
        "platformVersion",
        Node::str("1.4.0"),
        Some("1.4.0 or later: needed for EFS volumes".to_owned()),
    );
    svc.insert(
        "desiredCount",
        Node::Int(i64::from(s.desired_count)),
        s.desired_count_note.clone(),
    );
    if !s.load_balancers.is_empty() {
        let targets = s
            .load_balancers
            .iter()
            .map(|t| {
                Node::map()
                    .with("targetGroup", Node::str(t.target_group.clone()))
                    .with("containerName", Node::str(t.container.clone()))
                    .with("containerPort", Node::Int(i64::from(t.port)))
            })
            .collect();
        svc.insert(
            "loadBalancers",
            Node::Seq(targets),
            Some("guess: the ports compose publishes, behind the load balancer".to_owned()),
        );
    }
    if s.one_task_at_a_time {
        svc.insert(
            "deploymentConfiguration",
            Node::map().with("minimumHealthyPercent", Node::Int(0)).with("maximumPercent", Node::Int(100)),
            Some("a database's data directory is on shared EFS: two copies must never run at once,\nso a deployment stops the old task before starting the new one (a short outage)".to_owned()),
        );
    }
    svc.insert(
        "networkConfiguration",
        Node::map().with(
            "awsvpcConfiguration",
            Node::map()
                .with("subnets", str_seq(&["subnet-a".to_owned(), "subnet-b".to_owned()]))
                .with("securityGroups", str_seq(&[security_group.to_owned()])),
        ),
        Some("placeholders: your VPC's subnets (in two Availability Zones) and the tasks' security group".to_owned()),
    );
    let task = &s.task;
    let mut task_node = Node::map()
        .with("family", Node::str(task.family.clone()))
        .with("description", Node::str(task.description.clone()))
        .with("networkMode", Node::str("awsvpc"))
        .with("requiresCompatibilities", str_seq(&["FARGATE".to_owned()]));
    task_node.insert(
        "cpu",
        Node::str(task.cpu),
        Some("placeholder size (a valid Fargate pair): measure and adjust".to_owned()),
    );
    task_node.insert("memory", Node::str(task.memory), None);
    task_node.insert(
        "containerDefinitions",
        Node::Seq(task.containers.iter().map(container).collect()),
        None,
    );
    if !task.volumes.is_empty() {
        task_node.insert(
            "volumes",
            Node::Seq(task.volumes.iter().map(volume).collect()),
            None,
        );
    }
    svc.insert("taskDefinition", task_node, None);
    svc
}

fn volume(v: &TaskVolume) -> Node {
    let mut node = Node::map()
        .with("name", Node::str(v.name.clone()))
        .with_opt("description", v.description.clone().map(Node::Str));
    if let Some(fs) = &v.file_system {
        node = node.with(
            "efsVolumeConfiguration",
            Node::map()
                .with("fileSystemId", Node::str(fs.clone()))
                .with("transitEncryption", Node::str("ENABLED")),
        );
    }
    noted(node, v.note.as_deref())
}

fn container(c: &Container) -> Node {
    let mut node = Node::map().with("name", Node::str(c.name.clone()));
    if let Some(role) = &c.role {
        node.insert("role", Node::str(role.role), Some(role.why.clone()));
    }
    node.insert(
        "image",
        Node::str(c.image.clone()),
        c.image_is_placeholder.then(|| "placeholder: compose builds this image (`build:`); push it to a registry (ECR) and name it here".to_owned()),
    );
    if let Some(why) = &c.not_essential {
        node.insert("essential", Node::Bool(false), Some(why.clone()));
    }
    for (key, value, from) in &c.resources {
        node.insert(
            key,
            Node::Int(i64::from(*value)),
            Some(format!("from compose's {from}")),
        );
    }
    if !c.ports.is_empty() {
        let ports = c
            .ports
            .iter()
            .map(|p| {
                let m = Node::map()
                    .with("containerPort", Node::Int(i64::from(p.port)))
                    .with("protocol", Node::str(if p.udp { "udp" } else { "tcp" }))
                    .with_opt("name", p.name.clone().map(Node::Str))
                    .with_opt("appProtocol", p.app_protocol.clone().map(Node::Str));
                noted(m, p.note.as_deref())
            })
            .collect();
        node.insert("portMappings", Node::Seq(ports), None);
    }
    if !c.environment.is_empty() {
        let env = c
            .environment
            .iter()
            .map(|e| {
                e.notes.iter().fold(
                    Node::map()
                        .with("name", Node::str(e.name.clone()))
                        .with("value", Node::str(e.value.clone())),
                    |item, note| commented(item, note),
                )
            })
            .collect();
        node.insert("environment", Node::Seq(env), None);
    }
    if !c.secrets.is_empty() {
        let secrets = c
            .secrets
            .iter()
            .map(|s| {
                commented(
                    Node::map()
                        .with("name", Node::str(s.name.clone()))
                        .with("valueFrom", Node::str(s.value_from.clone())),
                    &s.note,
                )
            })
            .collect();
        node.insert("secrets", Node::Seq(secrets), None);
    }
    if !c.mount_points.is_empty() {
        let mounts = c
            .mount_points
            .iter()
            .map(|m| {
                let mount = Node::map()
                    .with("sourceVolume", Node::str(m.volume.clone()))
                    .with("containerPath", Node::str(m.path.clone()));
                if m.read_only {
                    mount.with("readOnly", Node::Bool(true))
                } else {
                    mount
                }
            })
            .collect();
        node.insert("mountPoints", Node::Seq(mounts), None);
    }
    if !c.depends_on.is_empty() {
        let deps = c
            .depends_on
            .iter()
            .map(|(n, cond)| {
                Node::map()
                    .with("containerName", Node::str(n.clone()))
                    .with("condition", Node::str(cond.ecs()))
            })
            .collect();
        node.insert(
            "dependsOn",
            Node::Seq(deps),
            Some("compose depends_on".to_owned()),
        );
    }
    if !c.connects_to.is_empty() {
        node.insert(
            "connectsTo",
            str_seq(&c.connects_to),
            Some("guess: from depends_on and the host names in environment values".to_owned()),
        );
    }
    if let Some(h) = &c.health {
        node.insert("healthCheck", health_check(h), None);
    }
    if let Some(p) = c.privileged {
        node.insert("privileged", Node::Bool(p), None);
    }
    if let Some(ro) = c.read_only {
        node.insert("readonlyRootFilesystem", Node::Bool(ro), None);
    }
    if let Some(u) = &c.user {
        node.insert("user", Node::str(u.clone()), None);
    }
    if let Some(cmd) = &c.command {
        node.insert("command", str_seq(cmd), None);
    }
    if let Some(ep) = &c.entry_point {
        node.insert("entryPoint", str_seq(ep), None);
    }
    node
}

fn health_check(h: &HealthCheck) -> Node {
    let mut node = Node::map().with("command", str_seq(&h.command));
    for (key, value, why) in &h.values {
        node.insert(key, Node::Int(i64::from(*value)), why.clone());
    }
    node
}

/// Put a comment above the first key of a mapping (the `- key:` line of a list item).
fn commented(mut node: Node, comment: &str) -> Node {
    if let Node::Map(entries) = &mut node
        && let Some(Entry { comment: c, .. }) = entries.first_mut()
    {
        *c = Some(match c.take() {
            Some(old) => format!("{comment}\n{old}"),
            None => comment.to_owned(),
        });
    }
    node
}

/// [`commented`] when there is a note.
fn noted(item: Node, comment: Option<&str>) -> Node {
    match comment {
        Some(text) => commented(item, text),
        None => item,
    }
}

fn str_seq(items: &[String]) -> Node {
    Node::Seq(items.iter().map(|s| Node::str(s.clone())).collect())
}
