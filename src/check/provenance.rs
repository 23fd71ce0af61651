//! Where a finding's subject was imported from: a model written by `archflow import
//! cloudformation` or `terraform` records each component's `origin:` (`template.yaml#LogicalId`,
//! `path:resource.address`), and every finding about that component says so in a note, so the
//! reader knows which resource in the infrastructure code to change.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::{Model, listener_name};
use crate::syntax::document::S;

/// Subject name → the origins of the components with that name, in document order. A service
/// and its task definition often share a name (and a finding about one covers the other), so a
/// name can have two.
fn origins(model: &Model) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |name: &str, origin: Option<&S<String>>| {
        let Some(origin) = origin else { return };
        let origin = origin.value.trim();
        if origin.is_empty() {
            return;
        }
        let known = map.entry(name.to_owned()).or_default();
        if !known.iter().any(|o| o == origin) {
            known.push(origin.to_owned());
        }
    };
    let doc = &model.doc;
    for lb in &doc.load_balancers {
        add(&lb.name.value, lb.origin.as_ref());
        for l in &lb.listeners {
            add(&listener_name(lb, l), lb.origin.as_ref());
        }
    }
    for tg in &doc.target_groups {
        add(&tg.name.value, tg.origin.as_ref());
    }
    for fs in &doc.file_systems {
        add(&fs.name.value, fs.origin.as_ref());
    }
    for service in &doc.services {
        let task = &service.task_definition;
        add(&service.service_name.value, service.origin.as_ref());
        let task_origin = task.origin.as_ref().or(service.origin.as_ref());
        if task_origin.is_none() {
            // A model written by hand: nothing to name, and no name to build per container.
            continue;
        }
        add(&task.family.value, task_origin);
        for c in &task.container_definitions {
            add(&c.name.value, task_origin);
            let qualified = format!("{}/{}", service.service_name.value, c.name.value);
            add(&qualified, task_origin);
        }
        for v in &task.volumes {
            add(&v.name.value, task_origin);
        }
    }
    map
}

/// Add `imported from …` to every finding whose subject has a known origin.
pub fn annotate(model: &Model, diagnostics: &mut [Diagnostic]) {
    let origins = origins(model);
    if origins.is_empty() {
        return;
    }
    for d in diagnostics {
        let Some(origins) = d.subject.as_ref().and_then(|s| origins.get(s)) else {
            continue;
        };
        let list = match origins.as_slice() {
            [] => continue,
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        };
        d.notes.push(format!("imported from {list}"));
    }
}

#[cfg(test)]
mod tests {
    use crate::source::Source;

    fn findings(yaml: &str) -> Vec<crate::diagnostic::Diagnostic> {
        crate::analyze(&Source::new("m.yaml", yaml.to_owned())).diagnostics
    }

    const IMPORTED: &str = "version: 1
name: stack
services:
  - serviceName: api
    origin: template.yaml#ApiService
    taskDefinition:
      family: api
      origin: template.yaml#ApiTaskDefinition
      containerDefinitions:
        - name: web
          image: nginx
          essential: true
";

    #[test]
    fn a_finding_about_an_imported_component_names_its_origin() {
        let all = findings(IMPORTED);
        // No log driver: a finding about `api`, the service's and the task definition's name.
        let logs = all
            .iter()
            .find(|d| d.code == "A019")
            .expect("the log finding");
        assert!(
            logs.notes.iter().any(|n| n
                == "imported from template.yaml#ApiService and template.yaml#ApiTaskDefinition"),
            "{:?}",
            logs.notes
        );
        let container = all
            .iter()
            .find(|d| d.subject.as_deref() == Some("web"))
            .expect("a finding about the container");
        assert!(
            container
                .notes
                .iter()
                .any(|n| n == "imported from template.yaml#ApiTaskDefinition"),
            "{:?}",
            container.notes
        );
    }

    #[test]
    fn a_model_written_by_hand_gets_no_origin_note() {
        let all = findings(
            &IMPORTED
                .replace("    origin: template.yaml#ApiService\n", "")
                .replace("      origin: template.yaml#ApiTaskDefinition\n", ""),
        );
        assert!(!all.is_empty());
        assert!(
            all.iter()
                .all(|d| d.notes.iter().all(|n| !n.starts_with("imported from"))),
        );
    }
}
