//! Tests of whole projects, in memory: interpolation with its variables, `extends`, `include`,
//! several files, profiles, `env_file`, `deploy.resources`, and the safe mappings, through
//! [`import_project`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use super::{ImportError, Imported, Layout, MemoryFiles, Options, Project, import_project};

/// A project of in-memory `files`, importing `main` (in order) with the variables `env`.
struct Case {
    files: MemoryFiles,
    project: Project,
    layout: Layout,
}

fn case(files: &[(&str, &str)], main: &[&str]) -> Case {
    Case {
        files: MemoryFiles(
            files
                .iter()
                .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
                .collect(),
        ),
        project: Project {
            files: main.iter().map(PathBuf::from).collect(),
            ..Project::default()
        },
        layout: Layout::OneTask,
    }
}

impl Case {
    fn env(mut self, vars: &[(&str, &str)]) -> Self {
        self.project.environment = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>();
        self
    }

    fn profiles(mut self, p: &[&str]) -> Self {
        self.project.profiles = p.iter().map(|s| (*s).to_owned()).collect();
        self
    }

    fn env_files(mut self, p: &[&str]) -> Self {
        self.project.env_files = p.iter().map(PathBuf::from).collect();
        self
    }

    fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    fn run(&self) -> Result<Imported, Vec<ImportError>> {
        import_project(
            &self.project,
            &self.files,
            &Options {
                layout: self.layout,
                source_name: "compose.yml".to_owned(),
                default_name: "app".to_owned(),
            },
        )
    }

    fn ok(&self) -> Imported {
        let imported = self.run().unwrap_or_else(|e| panic!("{e:#?}"));
        let analysis = crate::analyze(&crate::source::Source::new("m.yaml", &imported.yaml));
        assert!(
            !analysis.failed_to_load(),
            "{:?}\n{}",
            analysis.diagnostics,
            imported.yaml
        );
        let errors: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity.to_string() == "error")
            .collect();
        assert!(errors.is_empty(), "{errors:?}\n{}", imported.yaml);
        imported
    }

    fn err(&self) -> ImportError {
        let mut errors = self.run().expect_err("the import fails");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        errors.remove(0)
    }
}

fn model(i: &Imported) -> Value {
    serde_saphyr::from_str(&i.yaml).unwrap()
}

fn containers(m: &Value) -> Vec<&Value> {
    m["services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["taskDefinition"]["containerDefinitions"]
                .as_array()
                .unwrap()
        })
        .collect()
}

fn container<'a>(m: &'a Value, name: &str) -> &'a Value {
    containers(m)
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no container {name}"))
}

fn names(m: &Value) -> Vec<String> {
    containers(m)
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

/// A container's environment as `NAME=value` lines.
fn env(c: &Value) -> Vec<String> {
    c["environment"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    format!(
                        "{}={}",
                        e["name"].as_str().unwrap(),
                        e["value"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn has(lines: &[String], part: &str) -> bool {
    lines.iter().any(|l| l.contains(part))
}

// -----------------------------------------------------------------------------------------
// Interpolation.

#[test]
fn interpolation_in_values_with_defaults_nesting_and_dollars() {
    let text = "name: ${NAME:-shop}\nservices:\n  web:\n    image: nginx:${TAG-1.27}\n    ports:\n      - \"${WEB_PORT:-8080}:80\"\n    environment:\n      GREETING: ${HELLO:-${FALLBACK:-hi}} there\n      PRICE: $$5\n      ${NOT_A_KEY}: kept\n      ALT: ${TAG:+tagged}\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    let m = model(&i);
    assert_eq!(m["name"], "shop");
    let web = container(&m, "web");
    assert_eq!(web["image"], "nginx:1.27");
    assert_eq!(web["portMappings"][0]["containerPort"], 80);
    assert_eq!(m["loadBalancers"][0]["listeners"][0]["port"], 8080);
    assert_eq!(
        env(web),
        ["GREETING=hi there", "PRICE=$5", "${NOT_A_KEY}=kept", "ALT="]
    );
    // Set variables win over defaults; `-` keeps an empty value, `:-` does not.
    let i = case(&[("compose.yml", text)], &["compose.yml"])
        .env(&[("TAG", ""), ("WEB_PORT", "9000"), ("FALLBACK", "yo")])
        .ok();
    let m = model(&i);
    assert_eq!(container(&m, "web")["image"], "nginx:");
    assert_eq!(m["loadBalancers"][0]["listeners"][0]["port"], 9000);
    assert_eq!(env(container(&m, "web"))[0], "GREETING=yo there");
}

#[test]
fn required_variables_are_errors_with_their_place() {
    let text = "services:\n  api:\n    image: api\n    environment:\n      DB: ${DB_PASSWORD:?set it in .env}\n";
    let e = case(&[("compose.yml", text)], &["compose.yml"]).err();
    assert_eq!(e.file.as_deref(), Some("compose.yml"));
    assert_eq!((e.line, e.column), (5, 11));
    assert!(e.message.contains("`services.api.environment.DB`"), "{e:?}");
    assert!(e.message.contains("`DB_PASSWORD`"), "{e:?}");
    assert!(e.message.contains("set it in .env"), "{e:?}");
    // Set but empty is missing for `:?`, not for `?`.
    let e = case(&[("compose.yml", text)], &["compose.yml"])
        .env(&[("DB_PASSWORD", "")])
        .err();
    assert!(e.message.contains("DB_PASSWORD"), "{e:?}");
    let text = "services:\n  api:\n    image: api:${TAG?}\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"])
        .env(&[("TAG", "")])
        .ok();
    assert_eq!(container(&model(&i), "api")["image"], "api:");
    // In a list, the place has the index.
    let text = "services:\n  api:\n    image: api\n    command: [run, '${MODE:?}']\n";
    let e = case(&[("compose.yml", text)], &["compose.yml"]).err();
    assert!(e.message.contains("`services.api.command[1]`"), "{e:?}");
}

#[test]
fn invalid_dollars_are_errors_and_keys_are_not_interpolated() {
    let text = "services:\n  api:\n    image: api\n    command: echo $ 5\n";
    let e = case(&[("compose.yml", text)], &["compose.yml"]).err();
    assert!(e.message.contains("invalid interpolation"), "{e:?}");
    assert!(e.help.as_deref().is_some_and(|h| h.contains("$$")), "{e:?}");
    assert_eq!((e.line, e.column), (4, 14));
}

#[test]
fn unset_variables_are_empty_with_a_warning() {
    let text = "services:\n  api:\n    image: api:${TAG}\n    environment:\n      A: $TAG-$OTHER\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    assert_eq!(container(&model(&i), "api")["image"], "api:");
    assert_eq!(
        i.warnings,
        [
            "compose.yml:3:12: the `TAG` variable is not set: an empty string was used",
            "compose.yml:5:10: the `OTHER` variable is not set: an empty string was used"
        ]
    );
    assert!(
        i.yaml.contains("# Warnings (as compose gives them):"),
        "{}",
        i.yaml
    );
    // A name that interpolates to nothing is no name: the default one is used.
    let text = "name: ${NAME}\nservices:\n  api:\n    image: api\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    assert_eq!(model(&i)["name"], "app");
}

#[test]
fn variables_come_from_the_environment_then_env_files_then_dot_env() {
    let text = "services:\n  api:\n    image: api:${TAG}\n    environment:\n      A: ${A}\n      B: ${B}\n";
    let files = [
        ("app/compose.yml", text),
        ("app/.env", "TAG=from-dot-env\nA=dot\nB=dot\n"),
        ("prod.env", "TAG=from-prod\nA=prod\n"),
        ("more.env", "A=more\n"),
    ];
    // `.env` of the project directory (the first file's folder).
    let i = case(&files, &["app/compose.yml"]).ok();
    let m = model(&i);
    assert_eq!(container(&m, "api")["image"], "api:from-dot-env");
    // The environment wins over `.env`.
    let i = case(&files, &["app/compose.yml"])
        .env(&[("TAG", "from-shell")])
        .ok();
    assert_eq!(container(&model(&i), "api")["image"], "api:from-shell");
    // `--env-file` replaces `.env`; later files win; the environment still wins.
    let i = case(&files, &["app/compose.yml"])
        .env_files(&["prod.env", "more.env"])
        .env(&[("B", "shell")])
        .ok();
    let m = model(&i);
    assert_eq!(container(&m, "api")["image"], "api:from-prod");
    assert_eq!(env(container(&m, "api")), ["A=more", "B=shell"]);
    // A named env file must exist; `.env` need not.
    let e = case(&files, &["app/compose.yml"])
        .env_files(&["missing.env"])
        .err();
    assert_eq!(e.file.as_deref(), Some("missing.env"));
    assert!(
        e.message
            .contains("cannot read `missing.env`: no such file"),
        "{e:?}"
    );
    // A bad `.env` is an error at its line.
    let e = case(
        &[
            ("compose.yml", "services: {api: {image: x}}\n"),
            (".env", "A=1\nB C=2\n"),
        ],
        &["compose.yml"],
    )
    .err();
    assert_eq!((e.file.as_deref(), e.line), (Some(".env"), 2));
}

#[test]
fn project_directory_sets_where_dot_env_is() {
    let mut c = case(
        &[
            ("compose.yml", "services: {api: {image: 'api:${TAG}'}}\n"),
            ("deploy/.env", "TAG=deploy\n"),
        ],
        &["compose.yml"],
    );
    c.project.project_directory = Some(PathBuf::from("deploy"));
    assert_eq!(container(&model(&c.ok()), "api")["image"], "api:deploy");
}

// -----------------------------------------------------------------------------------------
// extends, include, several files.

#[test]
fn extends_a_service_of_the_same_file() {
    let text = "services:\n  base:\n    image: node:20\n    environment: {A: '1', B: '2'}\n    ports: ['3000']\n    depends_on: [db]\n  api:\n    extends: base\n    environment: {B: two}\n    command: node api.js\n  deep:\n    extends: {service: api}\n    image: node:22\n  db:\n    image: postgres:16\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    let m = model(&i);
    let api = container(&m, "api");
    assert_eq!(api["image"], "node:20");
    assert_eq!(env(api), ["A=1", "B=two"]);
    assert_eq!(api["portMappings"][0]["containerPort"], 3000);
    assert_eq!(api["command"][1], "api.js");
    // `depends_on` is not inherited.
    assert!(api.get("dependsOn").is_none(), "{api}");
    let deep = container(&m, "deep");
    assert_eq!(deep["image"], "node:22");
    assert_eq!(env(deep), ["A=1", "B=two"]);
    assert_eq!(deep["command"][0], "node");
}

#[test]
fn extends_a_service_of_another_file_with_its_own_paths() {
    let files = [
        (
            "compose.yml",
            "services:\n  api:\n    extends:\n      file: lib/common.yml\n      service: app\n    image: api:${TAG}\n",
        ),
        (
            "lib/common.yml",
            "services:\n  app:\n    extends: {file: base.yml, service: root}\n    env_file: app.env\n    user: node\n",
        ),
        (
            "lib/base.yml",
            "services:\n  root:\n    image: node:20\n    read_only: true\n",
        ),
        ("lib/app.env", "FROM_FILE=yes\n"),
        (".env", "TAG=7\n"),
    ];
    let i = case(&files, &["compose.yml"]).ok();
    let api = container(&model(&i), "api").clone();
    assert_eq!(api["image"], "api:7");
    assert_eq!(api["user"], "node");
    assert_eq!(api["readonlyRootFilesystem"], true);
    assert_eq!(env(&api), ["FROM_FILE=yes"]);
    // A missing file or service is an error at the `extends`.
    let e = case(&files[..1], &["compose.yml"]).err();
    assert!(e.message.contains("cannot read `lib/common.yml`"), "{e:?}");
    assert_eq!((e.line, e.column), (4, 13));
    let e = case(
        &[("compose.yml", "services:\n  api:\n    extends: nope\n")],
        &["compose.yml"],
    )
    .err();
    assert!(e.message.contains("no service `nope`"), "{e:?}");
}

#[test]
fn extends_cycles_are_errors() {
    let text = "services:\n  a:\n    extends: b\n  b:\n    extends: {service: a}\n";
    let e = case(&[("compose.yml", text)], &["compose.yml"]).err();
    assert!(e.message.contains("goes round in a circle"), "{e:?}");
    // Across files, through the same file twice.
    let files = [
        (
            "compose.yml",
            "services:\n  a:\n    extends: {file: other.yml, service: b}\n",
        ),
        (
            "other.yml",
            "services:\n  b:\n    extends: {file: ./compose.yml, service: a}\n",
        ),
    ];
    let e = case(&files, &["compose.yml"]).err();
    assert!(e.message.contains("goes round in a circle"), "{e:?}");
    // A service extending itself.
    let e = case(
        &[("compose.yml", "services:\n  a:\n    extends: a\n")],
        &["compose.yml"],
    )
    .err();
    assert!(e.message.contains("circle"), "{e:?}");
}

#[test]
fn remote_files_are_refused_with_the_way_out() {
    let e = case(
        &[(
            "compose.yml",
            "include:\n  - oci://docker.io/example/stack:1\nservices:\n  a: {image: x}\n",
        )],
        &["compose.yml"],
    )
    .err();
    assert!(e.message.contains("remote file"), "{e:?}");
    assert!(
        e.help
            .as_deref()
            .is_some_and(|h| h.contains("docker compose config")),
        "{e:?}"
    );
}

#[test]
fn include_adds_the_resources_of_other_projects() {
    let files = [
        (
            "compose.yml",
            "include:\n  - db/compose.yml\n  - path: [cache/compose.yml, cache/override.yml]\n    env_file: cache/cache.env\nservices:\n  api:\n    image: api\n    depends_on: [db, cache]\n",
        ),
        (
            "db/compose.yml",
            "services:\n  db:\n    image: postgres:${PG}\n    env_file: db.env\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data: {}\n",
        ),
        ("db/.env", "PG=16\n"),
        ("db/db.env", "POSTGRES_DB=shop\n"),
        (
            "cache/compose.yml",
            "services:\n  cache:\n    image: redis:${REDIS}\n",
        ),
        (
            "cache/override.yml",
            "services:\n  cache:\n    command: redis-server --save ''\n",
        ),
        ("cache/cache.env", "REDIS=7\n"),
    ];
    let i = case(&files, &["compose.yml"]).ok();
    let m = model(&i);
    assert_eq!(names(&m), ["api", "db", "cache"]);
    assert_eq!(container(&m, "db")["image"], "postgres:16");
    assert_eq!(env(container(&m, "db")), ["POSTGRES_DB=shop"]);
    assert_eq!(container(&m, "cache")["image"], "redis:7");
    assert_eq!(container(&m, "cache")["command"][0], "redis-server");
    // The including project's variables win over the included `.env`.
    let i = case(&files, &["compose.yml"]).env(&[("PG", "17")]).ok();
    assert_eq!(container(&model(&i), "db")["image"], "postgres:17");
}

#[test]
fn include_conflicts_and_cycles_are_errors() {
    let files = [
        (
            "compose.yml",
            "include: [other.yml]\nservices:\n  api:\n    image: api:1\n",
        ),
        ("other.yml", "services:\n  api:\n    image: api:2\n"),
    ];
    let e = case(&files, &["compose.yml"]).err();
    assert!(
        e.message
            .contains("services `api` is defined both here and in an included file"),
        "{e:?}"
    );
    // The same definition twice is fine.
    let same = [
        (
            "compose.yml",
            "include: [other.yml]\nservices:\n  api:\n    image: api:1\n",
        ),
        ("other.yml", "services:\n  api:\n    image: api:1\n"),
    ];
    assert_eq!(names(&model(&case(&same, &["compose.yml"]).ok())), ["api"]);
    let cycle = [
        (
            "compose.yml",
            "include: [a/x.yml]\nservices: {api: {image: a}}\n",
        ),
        (
            "a/x.yml",
            "include: [../compose.yml]\nservices: {x: {image: x}}\n",
        ),
    ];
    let e = case(&cycle, &["compose.yml"]).err();
    assert!(e.message.contains("goes round in a circle"), "{e:?}");
    assert_eq!(e.file.as_deref(), Some("a/x.yml"));
    // An error inside an included file names that file.
    let bad = [
        (
            "compose.yml",
            "include: [sub/compose.yml]\nservices: {api: {image: a}}\n",
        ),
        ("sub/compose.yml", "services:\n  x:\n    image: [1]\n"),
    ];
    let e = case(&bad, &["compose.yml"]).err();
    assert_eq!((e.file.as_deref(), e.line), (Some("sub/compose.yml"), 3));
}

#[test]
fn several_files_merge_by_the_specification() {
    let files = [
        (
            "compose.yml",
            "services:\n  api:\n    image: api:1\n    ports: ['8080:80']\n    environment: {A: '1', B: '2'}\n    command: [node, server.js]\n    healthcheck: {test: [CMD, a], interval: 10s}\n",
        ),
        (
            "compose.override.yml",
            "services:\n  api:\n    ports: ['8443:443']\n    environment: [B=two, C=3]\n    command: node other.js\n    healthcheck: {test: [CMD, b]}\n",
        ),
        (
            "replace.yml",
            "services:\n  api:\n    ports: !override ['9000:9000']\n    environment: {A: !reset null}\n",
        ),
    ];
    let i = case(&files, &["compose.yml", "compose.override.yml"]).ok();
    let m = model(&i);
    let api = container(&m, "api");
    let ports: Vec<i64> = api["portMappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["containerPort"].as_i64().unwrap())
        .collect();
    assert_eq!(ports, [80, 443]);
    assert_eq!(env(api), ["A=1", "B=two", "C=3"]);
    assert_eq!(api["command"][1], "other.js");
    assert_eq!(api["healthCheck"]["command"][1], "b");
    assert_eq!(api["healthCheck"]["interval"], 10);
    let i = case(
        &files,
        &["compose.yml", "compose.override.yml", "replace.yml"],
    )
    .ok();
    let api = container(&model(&i), "api").clone();
    assert_eq!(api["portMappings"].as_array().unwrap().len(), 1);
    assert_eq!(api["portMappings"][0]["containerPort"], 9000);
    assert_eq!(env(&api), ["B=two", "C=3"]);
    // A value of another kind is an error in the file that overrides.
    let e = case(
        &[
            (
                "compose.yml",
                "services:\n  api:\n    image: a\n    ports: ['80']\n",
            ),
            ("b.yml", "services:\n  api:\n    ports: '80'\n"),
        ],
        &["compose.yml", "b.yml"],
    )
    .err();
    assert_eq!(e.file.as_deref(), Some("b.yml"));
    assert!(e.message.contains("services.api.ports"), "{e:?}");
}

#[test]
fn several_documents_in_one_file_merge() {
    let text = "services:\n  api:\n    image: a:1\n---\nservices:\n  api:\n    image: a:2\n  db:\n    image: postgres\n";
    let m = model(&case(&[("compose.yml", text)], &["compose.yml"]).ok());
    assert_eq!(names(&m), ["api", "db"]);
    assert_eq!(container(&m, "api")["image"], "a:2");
}

// -----------------------------------------------------------------------------------------
// Profiles, env_file.

#[test]
fn profiles_enable_services() {
    let text = "services:\n  api:\n    image: api\n  debug:\n    image: debugger\n    profiles: [debug]\n  tools:\n    image: tools\n    profiles: [tools, ops]\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    assert_eq!(names(&model(&i)), ["api"]);
    assert!(
        has(
            &i.not_imported,
            "`services.debug`: only in profile `debug`, which is not active"
        ),
        "{:?}",
        i.not_imported
    );
    assert!(has(
        &i.not_imported,
        "pass `--profile tools` or `--profile ops`"
    ));
    let c = case(&[("compose.yml", text)], &["compose.yml"]);
    assert_eq!(names(&model(&c.profiles(&["ops"]).ok())), ["api", "tools"]);
    let c = case(&[("compose.yml", text)], &["compose.yml"]);
    assert_eq!(
        names(&model(&c.profiles(&["*"]).ok())),
        ["api", "debug", "tools"]
    );
    // Nothing left is an error that says how to enable a profile.
    let only = "services:\n  debug:\n    image: d\n    profiles: [debug]\n";
    let e = case(&[("compose.yml", only)], &["compose.yml"]).err();
    assert!(e.message.contains("every service is in a profile"), "{e:?}");
    assert!(
        e.help
            .as_deref()
            .is_some_and(|h| h.contains("--profile debug")),
        "{e:?}"
    );
    // COMPOSE_PROFILES when no profile is given.
    let c = case(&[("compose.yml", text)], &["compose.yml"])
        .env(&[("COMPOSE_PROFILES", "debug, tools")]);
    assert_eq!(names(&model(&c.ok())), ["api", "debug", "tools"]);
}

#[test]
fn depends_on_a_disabled_service_is_refused_unless_optional() {
    let text = "services:\n  app:\n    image: app\n    depends_on:\n      builder:\n        condition: service_completed_successfully\n  builder:\n    image: builder\n    profiles: [build]\n";
    let e = case(&[("compose.yml", text)], &["compose.yml"]).err();
    assert!(
        e.message.contains("`builder` is only in profile `build`"),
        "{e:?}"
    );
    assert!(
        e.help
            .as_deref()
            .is_some_and(|h| h.contains("--profile build")),
        "{e:?}"
    );
    assert_eq!((e.line, e.column), (5, 7));
    let i = case(&[("compose.yml", text)], &["compose.yml"])
        .profiles(&["build"])
        .ok();
    assert_eq!(container(&model(&i), "builder")["essential"], false);
    let optional = text.replace(
        "        condition",
        "        required: false\n        condition",
    );
    let i = case(&[("compose.yml", &optional)], &["compose.yml"]).ok();
    let m = model(&i);
    assert_eq!(names(&m), ["app"]);
    assert!(container(&m, "app").get("dependsOn").is_none());
    assert!(
        has(&i.not_imported, "optional dependency"),
        "{:?}",
        i.not_imported
    );
    // A list form names services without conditions, so it is required.
    let list = "services:\n  app:\n    image: app\n    depends_on: [builder]\n  builder:\n    image: b\n    profiles: [build]\n";
    assert!(
        case(&[("compose.yml", list)], &["compose.yml"])
            .run()
            .is_err()
    );
}

#[test]
fn env_files_become_environment() {
    let files = [
        (
            "app/compose.yml",
            "services:\n  api:\n    image: api\n    env_file:\n      - api.env\n      - path: local.env\n        required: false\n      - path: raw.env\n        format: raw\n    environment:\n      OVERRIDDEN: by-environment\n      FROM_SHELL:\n      UNSET_ANYWHERE:\n",
        ),
        (
            "app/api.env",
            "# comment\nexport DB_USER=shop\nDB_URL=postgres://${DB_USER}@db/shop\nOVERRIDDEN=by-file\nQUOTED=\"a # b\"\nSECRET_TOKEN=s3cr3t\n",
        ),
        ("app/raw.env", "RAW=\"kept $AS_IS\"\n"),
    ];
    let i = case(&files, &["app/compose.yml"])
        .env(&[("FROM_SHELL", "shell")])
        .ok();
    let m = model(&i);
    assert_eq!(
        env(container(&m, "api")),
        [
            "DB_USER=shop",
            "DB_URL=postgres://shop@db/shop",
            "OVERRIDDEN=by-environment",
            "QUOTED=a # b",
            "SECRET_TOKEN=s3cr3t",
            "RAW=\"kept $AS_IS\"",
            "FROM_SHELL=shell",
        ]
    );
    assert!(
        has(&i.not_imported, "services.api.environment.UNSET_ANYWHERE"),
        "{:?}",
        i.not_imported
    );
    assert!(!has(&i.not_imported, "env_file"), "{:?}", i.not_imported);
    // The secret-looking name is reported by the model's check, like any environment value.
    let analysis = crate::analyze(&crate::source::Source::new("m.yaml", &i.yaml));
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == crate::diagnostic::code::A016.id
                && d.message.contains("SECRET_TOKEN"))
    );
    // A required env file that is missing does not stop the import: its variables are
    // missing, and a warning says so (compose would not start the service without it).
    let i = case(&files[..1], &["app/compose.yml"]).ok();
    assert!(
        i.warnings
            .iter()
            .any(|w| w.contains("`services.api.env_file`: `app/api.env` is not there")),
        "{:?}",
        i.warnings
    );
}

// -----------------------------------------------------------------------------------------
// deploy.resources and the safe mappings.

#[test]
fn deploy_resources_are_the_containers_size_in_ecs_units() {
    let text = "services:\n  api:\n    image: api\n    deploy:\n      resources:\n        limits: {cpus: '1.5', memory: 1g}\n        reservations: {memory: 256M}\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    let m = model(&i);
    let api = container(&m, "api");
    assert_eq!(api["cpu"], 1536);
    assert_eq!(api["memory"], 1024);
    assert_eq!(api["memoryReservation"], 256);
    assert!(
        i.yaml.contains("# from compose's cpus: 1.5\n"),
        "{}",
        i.yaml
    );
    assert!(!has(&i.not_imported, "resources"), "{:?}", i.not_imported);
    // The service-level keys say the same; `deploy.resources` wins where both are set.
    let text = "services:\n  api:\n    image: api\n    cpus: 0.25\n    mem_limit: 300m\n    mem_reservation: 128m\n    deploy:\n      resources:\n        limits: {memory: 512m}\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    let m = model(&i);
    let api = container(&m, "api");
    assert_eq!(
        (
            api["cpu"].clone(),
            api["memory"].clone(),
            api["memoryReservation"].clone()
        ),
        (256.into(), 512.into(), 128.into())
    );
}

#[test]
fn loopback_ports_never_leave_the_task() {
    let text = "services:\n  api:\n    image: node:20\n    ports: ['127.0.0.1:9229:9229', '[::1]:9230:9230', {target: 9231, published: 9231, host_ip: 127.0.0.1}]\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    let m = model(&i);
    assert!(m.get("loadBalancers").is_none(), "{}", i.yaml);
    assert!(m.get("actors").is_none());
    assert_eq!(
        container(&m, "api")["portMappings"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        i.not_imported
            .iter()
            .filter(|n| n.contains("loopback"))
            .count(),
        3
    );
}

#[test]
fn ports_that_are_not_http_get_a_network_load_balancer() {
    let text = "services:\n  dns:\n    image: coredns/coredns\n    ports: ['53:53/udp']\n  beats:\n    image: logstash\n    ports: ['5044:5044']\n  web:\n    image: nginx\n    ports: ['80:80']\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    let m = model(&i);
    let lbs = m["loadBalancers"].as_array().unwrap();
    assert_eq!(lbs.len(), 2);
    assert_eq!(
        (&lbs[0]["type"], &lbs[1]["type"]),
        (&Value::from("application"), &Value::from("network"))
    );
    let alb: Vec<&Value> = lbs[0]["listeners"].as_array().unwrap().iter().collect();
    assert_eq!(alb.len(), 1);
    assert_eq!(alb[0]["port"], 80);
    let nlb: Vec<(i64, &str)> = lbs[1]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["port"].as_i64().unwrap(), l["protocol"].as_str().unwrap()))
        .collect();
    assert_eq!(nlb, [(53, "UDP"), (5044, "TCP")]);
    let protocols: Vec<&str> = m["targetGroups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["protocol"].as_str().unwrap())
        .collect();
    assert_eq!(protocols, ["UDP", "TCP", "HTTP"]);
    assert!(
        has(
            &i.notes,
            "`services.dns.ports: 53:53/udp`: UDP, not HTTP: behind a network load balancer"
        ),
        "{:?}",
        i.notes
    );
    assert!(has(&i.notes, "Beats, not HTTP"), "{:?}", i.notes);
    assert!(i.yaml.contains("# Notes:"));
}

#[test]
fn one_shot_services_are_not_essential() {
    let text = "services:\n  api:\n    image: api\n    depends_on:\n      migrate: {condition: service_completed_successfully}\n  migrate:\n    image: api\n  cleanup:\n    image: api\n    restart: 'no'\n  unquoted:\n    image: api\n    restart: no\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    let m = model(&i);
    assert!(container(&m, "api").get("essential").is_none());
    for c in ["migrate", "cleanup", "unquoted"] {
        assert_eq!(container(&m, c)["essential"], false, "{c}");
    }
    assert!(
        i.yaml
            .contains("a one-shot job (compose `restart: \"no\"`)")
    );
    // A task keeps an essential container.
    let alone = "services:\n  job:\n    image: job\n    restart: 'no'\n";
    let i = case(&[("compose.yml", alone)], &["compose.yml"]).ok();
    assert!(container(&model(&i), "job").get("essential").is_none());
    assert!(has(&i.notes, "kept essential"), "{:?}", i.notes);
    // In its own service it is listed: a service restarts it.
    let i = case(&[("compose.yml", text)], &["compose.yml"])
        .layout(Layout::OneServiceEach)
        .ok();
    assert!(
        has(
            &i.not_imported,
            "`services.cleanup`: a job that runs to completion"
        ),
        "{:?}",
        i.not_imported
    );
}

#[test]
fn health_checks_are_brought_into_ecs_ranges() {
    let text = "services:\n  api:\n    image: api\n    healthcheck:\n      test: [CMD, check]\n      interval: 500ms\n      timeout: 2m\n      retries: 0\n      start_period: 6m\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    let hc = container(&model(&i), "api")["healthCheck"].clone();
    assert_eq!(
        (
            &hc["interval"],
            &hc["timeout"],
            &hc["retries"],
            &hc["startPeriod"]
        ),
        (
            &Value::from(5),
            &Value::from(60),
            &Value::from(1),
            &Value::from(300)
        )
    );
    assert!(
        i.yaml
            .contains("# compose: 500ms; ECS allows 5–300 seconds, so 5"),
        "{}",
        i.yaml
    );
    assert!(
        i.yaml.contains("# compose: 0; ECS allows 1–10, so 1"),
        "{}",
        i.yaml
    );
    assert_eq!(i.notes.len(), 4, "{:?}", i.notes);
}

#[test]
fn a_value_equal_to_a_service_name_is_not_a_call() {
    let text = "services:\n  api:\n    image: api\n    environment:\n      MODE: worker\n      QUEUE_HOST: queue\n      CACHE: cache:6379\n  worker:\n    image: api\n  queue:\n    image: rabbitmq\n  cache:\n    image: redis\n";
    let i = case(&[("compose.yml", text)], &["compose.yml"]).ok();
    let api = container(&model(&i), "api").clone();
    assert_eq!(api["connectsTo"], serde_json::json!(["queue", "cache"]));
    assert!(
        !i.yaml.contains("`worker` is a compose service name"),
        "{}",
        i.yaml
    );
}

#[test]
fn booleans_and_numbers_may_come_from_variables() {
    let text = "services:\n  api:\n    image: api\n    read_only: ${RO:-true}\n    deploy:\n      replicas: ${REPLICAS:-3}\n";
    let m = model(&case(&[("compose.yml", text)], &["compose.yml"]).ok());
    assert_eq!(container(&m, "api")["readonlyRootFilesystem"], true);
    assert_eq!(m["services"][0]["desiredCount"], 3);
}

#[test]
fn the_one_text_import_reads_no_other_file() {
    let text = "services:\n  api:\n    image: api\n    env_file: .env\n";
    let i = super::import(
        text,
        &Options {
            layout: Layout::OneTask,
            source_name: "compose.yml".to_owned(),
            default_name: "x".to_owned(),
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    // The env file is not read (`import` reads no file), so it is "not there".
    assert!(
        i.warnings.iter().any(|w| w.contains("`.env` is not there")),
        "{:?}",
        i.warnings
    );
}
