use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::model::listener_name;
use crate::source::Span;
use crate::syntax::document::{ActionType, LoadBalancerType, Role, Scheme};

const DOC: &str = r"# exposed-database (A018)

## What it checks
A container with `role: database` is reached only from inside the deployment. Two things are
reported:

- a service `loadBalancers` entry that registers the database in a target group that an
  application load balancer, or an internet-facing one, forwards to;
- an actor (someone outside the deployment) whose `connectsTo` names the database.

A database behind an internal network load balancer is not reported: that is a common way to
give other VPCs private access to it.

## Why
A database port reachable from the internet is found by scanners within minutes and attacked
with stolen or default passwords, or unpatched bugs; exposed MongoDB and Elasticsearch servers
are a classic source of data leaks and ransom notes. Behind an application load balancer the
database also gets everything that reaches the load balancer, and the ALB speaks only HTTP. A
client should reach the data only through the API, which checks who is asking.

## Example
```yaml
loadBalancers:
  - {targetGroup: goals-tg, containerName: mongodb, containerPort: 27017}
```

## How to fix
Remove the `loadBalancers` entry (or the actor's `connectsTo`) that points at the database. Let
the API reach it inside the VPC: in the same task over `localhost`, or from another service
through a security group that admits only the API's tasks. To administer the database, use ECS
Exec or a bastion host, not a public port.

## References
- AWS Security Hub `EC2.19` (security groups should not allow unrestricted access to ports with
  high risk, database ports such as 1433, 3306 and 5432 among them)
- the managed-database counterpart: AWS Security Hub `RDS.2` and checkov `CKV_AWS_17` (RDS
  instances should not be publicly accessible)
- AWS Well-Architected, Security pillar SEC05-BP01, create network layers: <https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/sec_network_protection_create_layers.html>
";

pub(crate) const RULE: Rule = Rule::new(&code::A018, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for service in &model.doc.services {
        for entry in &service.load_balancers {
            let Some(db) = service
                .task_definition
                .container_definitions
                .iter()
                .find(|c| c.name.value == entry.container_name.value)
                .filter(|c| c.role() == Some(Role::Database))
            else {
                continue;
            };
            let tg = &entry.target_group.value;
            // The listeners that forward to this target group, on load balancers that expose
            // it; an internet-facing one first.
            let mut exposing: Vec<_> = model
                .listeners()
                .filter_map(|(lb, listener)| {
                    let application = lb
                        .lb_type
                        .as_ref()
                        .is_none_or(|t| t.value == LoadBalancerType::Application);
                    let public = lb
                        .scheme
                        .as_ref()
                        .is_none_or(|s| s.value == Scheme::InternetFacing);
                    let forward = listener
                        .default_actions
                        .iter()
                        .filter(|a| a.action_type.value == ActionType::Forward)
                        .find_map(|a| a.target_group.as_ref().filter(|t| &t.value == tg))?;
                    (application || public).then_some((!public, lb, listener, forward))
                })
                .collect();
            exposing.sort_by_key(|e| e.0);
            let Some(&(internal, lb, listener, forward)) = exposing.first() else {
                continue;
            };
            let name = &db.name.value;
            let reach = if internal {
                "whatever reaches the internal load balancer reaches the database too; and an ALB forwards only HTTP, which a database does not speak"
            } else {
                "the load balancer is internet-facing: the database port is open to the internet"
            };
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "database `{name}` is a target of load balancer `{}`",
                        lb.name.value
                    ),
                    Label::new(
                        Span::of(&entry.container_name),
                        format!("registers the database in target group `{tg}`"),
                    ),
                )
                .with_secondary(Label::new(
                    Span::of(forward),
                    format!("listener `{}` forwards here", listener_name(lb, listener)),
                ))
                .with_note(reach)
                .with_help(
                    "remove this `loadBalancers` entry: let only the API reach the database, inside the VPC \
                     (over `localhost` in the same task, or through a security group that admits only the API)",
                )
                .about(name),
            );
        }
    }
    for actor in &model.doc.actors {
        for target in &actor.connects_to {
            let Some((_, db)) = model
                .resolve(&target.value)
                .and_then(|found| model.container(&found.id))
                .filter(|(_, c)| c.role() == Some(Role::Database))
            else {
                continue;
            };
            let name = &db.name.value;
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "actor `{}` connects straight to database `{name}`",
                        actor.name.value
                    ),
                    Label::new(Span::of(target), "a client from outside the deployment"),
                )
                .with_secondary(Label::new(Span::of(&db.name), "database defined here"))
                .with_note("a database port reachable from outside is found by scanners within minutes and attacked with guessed passwords")
                .with_help(
                    "let the actor call the API (through its load balancer) and keep the database reachable only from the API's tasks",
                )
                .about(name),
            );
        }
    }
}
