//! Synthetic models for tests and benchmarks: [`generate`] writes a realistic `architecture.yaml`
//! of any size, deterministically from a seed.
//!
//! The shape repeats in groups of three services:
//!
//! - `web-i`: a web front end (`role: web`, port 3000) behind an internet-facing ALB, calling the
//!   next service's API through an internal ALB;
//! - `api-i`: an API (`role: api`, port 8080) behind an internal ALB, calling its own database
//!   directly and, for about a third of them, an earlier API through that API's internal ALB;
//! - `db-i`: a database service (`role: database`, image `mongo`, `postgres` or `mysql`, with a
//!   health check for that image) with its data on EFS, either on a file system of its own or
//!   through an access point of a shared one.
//!
//! Web and API services run two to four tasks; a database service runs one task and stops it
//! before starting a new one (`maximumPercent: 100`, `minimumHealthyPercent: 0`), so two copies
//! never share a data directory. Every task has a log router sidecar (Fluent Bit) that its main
//! container starts after and that ships the other containers' logs (the `awsfirelens` driver);
//! some have an X-Ray daemon or a metrics exporter as a third container. Load balancers are
//! shared: one internet-facing ALB per 20 web services (HTTPS listeners) and one internal ALB
//! per 20 API services (HTTP), each with one listener and target group per service behind it.
//! One actor calls each internet-facing ALB, and a few flows of four to eight steps follow
//! requests through configured connections only. The result checks with no finding at all.
//!
//! The YAML uses flow-style mappings for the leaves, about 1,100 bytes per service: 10,000
//! services stay well below [`MAX_INPUT_BYTES`](crate::syntax::MAX_INPUT_BYTES).

use std::fmt::Write as _;

/// Services behind one load balancer (web services per public ALB, APIs per internal ALB).
const PER_LOAD_BALANCER: usize = 20;
/// Databases sharing one EFS file system through access points.
const PER_SHARED_FILE_SYSTEM: usize = 10;
/// At most this many flows, whatever the size.
const MAX_FLOWS: usize = 12;

/// A synthetic model of `services` services, as archflow YAML. The same `(services, seed)` always
/// gives the same bytes; the decisions for service `i` depend only on `seed` and `i`, so a
/// bigger model extends a smaller one with the same seed.
#[must_use]
pub fn generate(services: usize, seed: u64) -> String {
    let plan = Plan::new(services, seed);
    let mut out = String::with_capacity(services * 1200 + 4096);
    plan.header(&mut out);
    plan.actors(&mut out);
    plan.load_balancers(&mut out);
    plan.target_groups(&mut out);
    plan.file_systems(&mut out);
    plan.services(&mut out);
    plan.flows(&mut out);
    out
}

/// `SplitMix64`: tiny, fast and good enough to vary a synthetic model.
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    /// An independent stream for item `index` of kind `stream` under `seed`.
    fn new(seed: u64, stream: u64, index: usize) -> Self {
        let mut r = Self(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.0 = r.next().wrapping_add(index as u64);
        let _ = r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `1 / n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const STREAM_SERVICE: u64 = 1;
const STREAM_FLOW: u64 = 2;
const STREAM_ACTOR: u64 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    Web,
    Api,
    Db,
}

#[derive(Clone, Copy, Debug)]
struct Engine {
    name: &'static str,
    image: &'static str,
    port: u16,
    data_path: &'static str,
    protocol: &'static str,
    /// The `CMD-SHELL` health check of the database container.
    health: &'static str,
    exporter: &'static str,
    exporter_port: u16,
}

const ENGINES: [Engine; 3] = [
    Engine {
        name: "mongo",
        image: "mongo:7.0",
        port: 27017,
        data_path: "/data/db",
        protocol: "mongodb",
        health: "mongosh --quiet --eval 'db.adminCommand({ping: 1})' || exit 1",
        exporter: "percona/mongodb_exporter:0.40",
        exporter_port: 9216,
    },
    Engine {
        name: "postgres",
        image: "postgres:16",
        port: 5432,
        data_path: "/var/lib/postgresql/data",
        protocol: "postgres",
        health: "pg_isready -U postgres || exit 1",
        exporter: "prometheuscommunity/postgres-exporter:0.15",
        exporter_port: 9187,
    },
    Engine {
        name: "mysql",
        image: "mysql:8.4",
        port: 3306,
        data_path: "/var/lib/mysql",
        protocol: "mysql",
        health: "mysqladmin ping -h 127.0.0.1 || exit 1",
        exporter: "prom/mysqld-exporter:0.15",
        exporter_port: 9104,
    },
];

/// Where a database keeps its data.
#[derive(Clone, Copy, Debug)]
enum Storage {
    /// Its own file system, `db-i-fs`.
    Own,
    /// Access point `db-i-ap` of the shared file system `shared-fs-k`.
    Shared(usize),
}

/// Every decision about one service, made before any YAML is written (the sections of the
/// document refer to each other).
#[derive(Clone, Debug)]
struct Svc {
    index: usize,
    tier: Tier,
    /// Position among services of the same tier.
    ordinal: usize,
    desired: u32,
    version: u32,
    /// A third container: X-Ray daemon (web, api) or metrics exporter (db).
    extra: bool,
    /// Web: the API it calls (service index). Api: its database (service index).
    next: Option<usize>,
    /// Api: an earlier API it calls through that API's internal ALB (service index).
    peer: Option<usize>,
    engine: Engine,
    storage: Storage,
}

impl Svc {
    fn name(&self) -> String {
        let tier = match self.tier {
            Tier::Web => "web",
            Tier::Api => "api",
            Tier::Db => "db",
        };
        format!("{tier}-{}", self.index)
    }

    /// The container that does the work (the one a target group or a client reaches).
    fn main_container(&self) -> String {
        match self.tier {
            Tier::Web | Tier::Api => format!("{}-app", self.name()),
            Tier::Db => format!("{}-{}", self.name(), self.engine.name),
        }
    }

    fn port(&self) -> u16 {
        match self.tier {
            Tier::Web => 3000,
            Tier::Api => 8080,
            Tier::Db => self.engine.port,
        }
    }

    /// The load balancer in front (web and api only) and the listener port of this service.
    fn load_balancer(&self) -> Option<(String, u16)> {
        let group = self.ordinal / PER_LOAD_BALANCER;
        let slot = (self.ordinal % PER_LOAD_BALANCER) as u16;
        match self.tier {
            Tier::Web => Some((format!("public-alb-{group}"), 8000 + slot)),
            Tier::Api => Some((format!("internal-alb-{group}"), 9000 + slot)),
            Tier::Db => None,
        }
    }

    fn file_system(&self) -> String {
        match self.storage {
            Storage::Own => format!("{}-fs", self.name()),
            Storage::Shared(k) => format!("shared-fs-{k}"),
        }
    }
}

struct Plan {
    services: Vec<Svc>,
    seed: u64,
}

impl Plan {
    fn new(count: usize, seed: u64) -> Self {
        let tier_of = |i: usize| match i % 3 {
            0 => Tier::Web,
            1 => Tier::Api,
            _ => Tier::Db,
        };
        let mut services = Vec::with_capacity(count);
        for index in 0..count {
            let mut rng = Rng::new(seed, STREAM_SERVICE, index);
            let tier = tier_of(index);
            let ordinal = index / 3;
            let desired = match tier {
                Tier::Db => 1,
                Tier::Web | Tier::Api => 2 + rng.below(3) as u32,
            };
            let next = (index + 1 < count && tier != Tier::Db).then_some(index + 1);
            // An earlier API (3j + 1 for j < ordinal), about one API in three.
            let peer = (tier == Tier::Api && ordinal > 0 && rng.one_in(3))
                .then(|| 3 * rng.below(ordinal) + 1);
            let engine = ENGINES[rng.below(ENGINES.len())];
            let storage = if rng.one_in(2) {
                Storage::Own
            } else {
                Storage::Shared(ordinal / PER_SHARED_FILE_SYSTEM)
            };
            services.push(Svc {
                index,
                tier,
                ordinal,
                desired,
                version: 1 + rng.below(20) as u32,
                extra: rng.one_in(3),
                next,
                peer,
                engine,
                storage,
            });
        }
        Self { services, seed }
    }

    fn of_tier(&self, tier: Tier) -> impl Iterator<Item = &Svc> {
        self.services.iter().filter(move |s| s.tier == tier)
    }

    fn header(&self, out: &mut String) {
        let n = self.services.len();
        let _ = write!(
            out,
            "# Generated by `archflow generate --services {n} --seed {seed}` (archflow::synth).\n\
             version: 1\n\
             name: \"Synthetic shop: {n} services (seed {seed})\"\n\
             description: \"Web front ends behind shared internet-facing ALBs call APIs behind \
             internal ALBs; each API has a database service with its data on EFS.\"\n\
             cluster: {{name: synth-cluster, label: synth}}\n",
            seed = self.seed
        );
    }

    /// One actor per internet-facing load balancer.
    fn actors(&self, out: &mut String) {
        let publics = self.of_tier(Tier::Web).count().div_ceil(PER_LOAD_BALANCER);
        if publics == 0 {
            return;
        }
        out.push_str("actors:\n");
        for k in 0..publics {
            let mut rng = Rng::new(self.seed, STREAM_ACTOR, k);
            let who = rng.pick(&["Shoppers", "Mobile app users", "Partner systems"]);
            let _ = writeln!(
                out,
                "  - {{name: users-{k}, label: \"{who} ({k})\", connectsTo: [public-alb-{k}]}}"
            );
        }
    }

    fn load_balancers(&self, out: &mut String) {
        let mut any = false;
        for tier in [Tier::Web, Tier::Api] {
            let members: Vec<&Svc> = self.of_tier(tier).collect();
            for (group, chunk) in members.chunks(PER_LOAD_BALANCER).enumerate() {
                if !any {
                    out.push_str("loadBalancers:\n");
                    any = true;
                }
                let (name, scheme) = if tier == Tier::Web {
                    (format!("public-alb-{group}"), "internet-facing")
                } else {
                    (format!("internal-alb-{group}"), "internal")
                };
                let _ = writeln!(
                    out,
                    "  - name: {name}\n    type: application\n    scheme: {scheme}\n    listeners:"
                );
                // Public listeners speak HTTPS; internal ones plain HTTP inside the VPC.
                let protocol = if tier == Tier::Web {
                    "HTTPS, sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06, certificates: [{certificateArn: shop-cert}]"
                } else {
                    "HTTP"
                };
                for s in chunk {
                    let Some((_, port)) = s.load_balancer() else {
                        continue;
                    };
                    let _ = writeln!(
                        out,
                        "      - {{port: {port}, protocol: {protocol}, defaultActions: [{{type: forward, targetGroup: {}-tg}}]}}",
                        s.name()
                    );
                }
            }
        }
    }

    fn target_groups(&self, out: &mut String) {
        let mut any = false;
        for s in self.services.iter().filter(|s| s.tier != Tier::Db) {
            if !any {
                out.push_str("targetGroups:\n");
                any = true;
            }
            let _ = writeln!(
                out,
                "  - {{name: {}-tg, port: {}, protocol: HTTP, targetType: ip, healthCheck: {{path: /health}}}}",
                s.name(),
                s.port()
            );
        }
    }

    fn file_systems(&self, out: &mut String) {
        let dbs: Vec<&Svc> = self.of_tier(Tier::Db).collect();
        if dbs.is_empty() {
            return;
        }
        out.push_str("fileSystems:\n");
        let fs_line = |out: &mut String, name: &str| {
            let _ = write!(
                out,
                "  - {{name: {name}, encrypted: true, performanceMode: generalPurpose, throughputMode: elastic"
            );
        };
        for s in &dbs {
            if matches!(s.storage, Storage::Own) {
                fs_line(out, &s.file_system());
                out.push_str("}\n");
            }
        }
        let shared = dbs
            .last()
            .map_or(0, |s| s.ordinal / PER_SHARED_FILE_SYSTEM + 1);
        for k in 0..shared {
            let members: Vec<&&Svc> = dbs
                .iter()
                .skip(k * PER_SHARED_FILE_SYSTEM)
                .take(PER_SHARED_FILE_SYSTEM)
                .filter(|s| matches!(s.storage, Storage::Shared(_)))
                .collect();
            if members.is_empty() {
                continue;
            }
            fs_line(out, &format!("shared-fs-{k}"));
            out.push_str(", accessPoints: [");
            for (j, s) in members.iter().enumerate() {
                let sep = if j == 0 { "" } else { ", " };
                let uid = 1000 + s.ordinal % PER_SHARED_FILE_SYSTEM;
                let _ = write!(
                    out,
                    "{sep}{{name: {}-ap, rootDirectory: /{}, posixUser: {{uid: {uid}, gid: {uid}}}}}",
                    s.name(),
                    s.name()
                );
            }
            out.push_str("]}\n");
        }
    }

    fn services(&self, out: &mut String) {
        if self.services.is_empty() {
            return;
        }
        out.push_str("services:\n");
        for s in &self.services {
            self.service(out, s);
        }
    }

    fn service(&self, out: &mut String, s: &Svc) {
        let name = s.name();
        let main = s.main_container();
        let log = format!("{name}-log");
        let (cpu, memory) = match s.tier {
            Tier::Web => ("256", "512"),
            Tier::Api => ("512", "1024"),
            Tier::Db => ("1024", "2048"),
        };
        let _ = writeln!(
            out,
            "  - serviceName: {name}\n    launchType: FARGATE\n    desiredCount: {}",
            s.desired
        );
        if s.tier == Tier::Db {
            out.push_str(
                "    deploymentConfiguration: {maximumPercent: 100, minimumHealthyPercent: 0}\n",
            );
        } else {
            let _ = writeln!(
                out,
                "    loadBalancers: [{{targetGroup: {name}-tg, containerName: {main}, containerPort: {}}}]",
                s.port()
            );
        }
        let _ = writeln!(
            out,
            "    taskDefinition:\n      family: {name}\n      networkMode: awsvpc\n      cpu: \"{cpu}\"\n      memory: \"{memory}\"\n      containerDefinitions:"
        );
        // The log router ships the other containers' output (FireLens) and writes its own to
        // CloudWatch Logs.
        let depends = format!(
            "logConfiguration: {{logDriver: awsfirelens}}, dependsOn: [{{containerName: {log}, condition: START}}]"
        );
        let firelens = "logConfiguration: {logDriver: awsfirelens}";
        match s.tier {
            Tier::Web | Tier::Api => {
                let (role, image) = if s.tier == Tier::Web {
                    ("web", "synth/storefront")
                } else {
                    ("api", "synth/orders-api")
                };
                let mut calls = Vec::new();
                if let Some(next) = s.next.and_then(|i| self.services.get(i)) {
                    match s.tier {
                        Tier::Web => calls.extend(next.load_balancer().map(|(lb, _)| lb)),
                        _ => calls.push(next.main_container()),
                    }
                }
                if let Some(peer) = s.peer.and_then(|i| self.services.get(i))
                    && let Some((lb, _)) = peer.load_balancer()
                    && !calls.contains(&lb)
                {
                    calls.push(lb);
                }
                let connects = if calls.is_empty() {
                    String::new()
                } else {
                    format!(", connectsTo: [{}]", calls.join(", "))
                };
                let _ = writeln!(
                    out,
                    "        - {{name: {main}, role: {role}, image: \"{image}:{}.{}\", portMappings: [{{containerPort: {}, appProtocol: http}}]{connects}, {depends}}}",
                    s.version / 10 + 1,
                    s.version % 10,
                    s.port()
                );
                if s.extra {
                    let _ = writeln!(
                        out,
                        "        - {{name: {name}-xray, role: sidecar, image: amazon/aws-xray-daemon, essential: false, portMappings: [{{containerPort: 2000, protocol: udp}}], {firelens}}}"
                    );
                }
            }
            Tier::Db => {
                let e = s.engine;
                let _ = writeln!(
                    out,
                    "        - {{name: {main}, role: database, image: \"{}\", portMappings: [{{containerPort: {}}}], mountPoints: [{{sourceVolume: {name}-data, containerPath: {}}}], healthCheck: {{command: [CMD-SHELL, \"{}\"]}}, {depends}}}",
                    e.image, e.port, e.data_path, e.health
                );
                if s.extra {
                    let _ = writeln!(
                        out,
                        "        - {{name: {name}-metrics, role: sidecar, image: \"{}\", essential: false, portMappings: [{{containerPort: {}}}], connectsTo: [{main}], {firelens}}}",
                        e.exporter, e.exporter_port
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "        - {{name: {log}, role: sidecar, image: amazon/aws-for-fluent-bit, essential: false, logConfiguration: {{logDriver: awslogs, options: {{awslogs-group: /ecs/synth, awslogs-region: eu-west-1, awslogs-stream-prefix: {name}}}}}}}"
        );
        if s.tier == Tier::Db {
            let access = match s.storage {
                Storage::Own => String::new(),
                Storage::Shared(_) => {
                    format!(", authorizationConfig: {{accessPointId: {name}-ap, iam: ENABLED}}")
                }
            };
            let _ = writeln!(
                out,
                "      volumes:\n        - {{name: {name}-data, efsVolumeConfiguration: {{fileSystemId: {}, transitEncryption: ENABLED{access}}}}}",
                s.file_system()
            );
        }
    }

    /// A few flows, spread over the web services: each follows one request from an actor down
    /// as far as the configuration reaches, and back.
    fn flows(&self, out: &mut String) {
        let webs: Vec<&Svc> = self.of_tier(Tier::Web).collect();
        if webs.is_empty() {
            return;
        }
        let count = (1 + self.services.len() / 6).min(MAX_FLOWS).min(webs.len());
        out.push_str("flows:\n");
        for f in 0..count {
            let mut rng = Rng::new(self.seed, STREAM_FLOW, f);
            // Spread the flows evenly, with a little jitter inside each stretch.
            let stretch = webs.len() / count;
            let web = webs[f * stretch + rng.below(stretch.max(1))];
            self.flow(out, f, web, &mut rng);
        }
    }

    fn flow(&self, out: &mut String, f: usize, web: &Svc, rng: &mut Rng) {
        let (verb, path, title) = [
            ("POST", "/orders", "Place an order"),
            ("GET", "/orders/42", "Show an order"),
            ("GET", "/catalog", "Browse the catalog"),
            ("PUT", "/cart", "Update the cart"),
            ("DELETE", "/cart/7", "Empty the cart"),
        ][rng.below(5)];
        let _ = writeln!(
            out,
            "  - name: flow-{f}-{}\n    title: \"{title} (via {})\"\n    steps:",
            web.name(),
            web.name()
        );
        let Some((public, public_port)) = web.load_balancer() else {
            return;
        };
        let users = format!("users-{}", web.ordinal / PER_LOAD_BALANCER);
        let web_app = web.main_container();
        let step =
            |out: &mut String, from: &str, to: &str, action: &str, via: Option<(&str, u16)>| {
                let via = via.map_or_else(String::new, |(p, port)| {
                    format!(", protocol: {p}, port: {port}")
                });
                let _ = writeln!(
                    out,
                    "      - {{from: {from}, to: {to}, action: \"{action}\"{via}}}"
                );
            };
        step(
            out,
            &users,
            &public,
            &format!("{verb} {path}"),
            Some(("HTTPS", public_port)),
        );
        step(
            out,
            &public,
            &web_app,
            "forward to a healthy target",
            Some(("HTTP", 3000)),
        );
        let Some(api) = web.next.and_then(|i| self.services.get(i)) else {
            step(out, &web_app, &public, "200 OK", None);
            step(out, &public, &users, "200 OK", None);
            return;
        };
        let (internal, internal_port) = api.load_balancer().unwrap_or_default();
        let api_app = api.main_container();
        step(
            out,
            &web_app,
            &internal,
            &format!("{verb} /api{path}"),
            Some(("HTTP", internal_port)),
        );
        step(
            out,
            &internal,
            &api_app,
            "forward to a healthy target",
            Some(("HTTP", 8080)),
        );
        let db = api.next.and_then(|i| self.services.get(i));
        let peer = api.peer.and_then(|i| self.services.get(i));
        // Through a peer API (when there is one) or down to the database.
        let via_peer = peer.is_some() && (db.is_none() || rng.one_in(2));
        match (peer.filter(|_| via_peer), db) {
            (Some(peer), _) => {
                let (peer_lb, peer_port) = peer.load_balancer().unwrap_or_default();
                step(
                    out,
                    &api_app,
                    &peer_lb,
                    "GET /api/stock",
                    Some(("HTTP", peer_port)),
                );
                step(
                    out,
                    &peer_lb,
                    &peer.main_container(),
                    "forward to a healthy target",
                    Some(("HTTP", 8080)),
                );
            }
            (_, Some(db)) => {
                let e = db.engine;
                let db_app = db.main_container();
                step(out, &api_app, &db_app, "query", Some((e.protocol, e.port)));
                step(
                    out,
                    &db_app,
                    &db.file_system(),
                    "write data files",
                    Some(("NFS", 2049)),
                );
            }
            (None, None) => {}
        }
        step(out, &api_app, &web_app, "200 OK", None);
        step(out, &web_app, &users, "200 OK", None);
    }
}

#[cfg(test)]
mod tests {
    use super::generate;

    #[test]
    fn small_models_are_deterministic() {
        assert_eq!(generate(7, 3), generate(7, 3));
        assert_ne!(generate(7, 3), generate(7, 4));
    }
}
