//! Where a compose port goes: inside the task only, behind the Application Load Balancer (HTTP),
//! or behind a Network Load Balancer (TCP and UDP as they are).
//!
//! - A port compose does not publish, or publishes only on the host's loopback address (a
//!   debugger on `127.0.0.1:9229`), stays inside the task.
//! - The ports of a database or cache, the ports databases use (5432, 3306, 27017, 6379…), and
//!   debugger ports (9229, 5005, 5678…, which run whatever code they are sent), stay private
//!   whoever publishes them.
//! - A published port that speaks HTTP goes behind the ALB. HTTP is told by `app_protocol`, by
//!   the port number (80, 443, 8080, 3000, 8000…), and otherwise by the image; a port that is
//!   none of these is taken for HTTP, as most published ports are, and the target group's
//!   comment says it is a guess.
//! - A published port that does not (UDP, DNS 53, Beats 5044, SMTP, MQTT, …) goes behind a
//!   Network Load Balancer, which forwards TCP or UDP without reading it: an ALB would answer
//!   it with HTTP errors.

use std::collections::{BTreeMap, BTreeSet};

use super::document::{Port, Service};
use super::plan::{LbTarget, Listener, LoadBalancer, Names, TargetGroup};

/// Ports that speak HTTP (or HTTPS) by convention.
const HTTP_PORTS: [u16; 22] = [
    80, 443, 591, 3000, 3001, 4000, 4200, 5000, 5173, 5601, 8000, 8008, 8080, 8081, 8088, 8443,
    8888, 9000, 9090, 9091, 9443, 15672,
];

/// Ports of protocols other than HTTP.
const OTHER_PORTS: [(u16, &str); 30] = [
    (21, "FTP"),
    (22, "SSH"),
    (23, "Telnet"),
    (25, "SMTP"),
    (53, "DNS"),
    (110, "POP3"),
    (123, "NTP"),
    (143, "IMAP"),
    (161, "SNMP"),
    (389, "LDAP"),
    (465, "SMTP"),
    (514, "syslog"),
    (587, "SMTP"),
    (636, "LDAPS"),
    (993, "IMAPS"),
    (995, "POP3S"),
    (1883, "MQTT"),
    (2049, "NFS"),
    (2181, "ZooKeeper"),
    (3389, "RDP"),
    (4222, "NATS"),
    (5044, "Beats"),
    (5060, "SIP"),
    (5222, "XMPP"),
    (5672, "AMQP"),
    (5900, "VNC"),
    (8883, "MQTT"),
    (9092, "Kafka"),
    (12201, "GELF"),
    (24224, "Fluentd"),
];

/// Ports databases and caches listen on: never behind a load balancer.
const DATABASE_PORTS: [(u16, &str); 12] = [
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (6379, "Redis"),
    (6432, "PgBouncer"),
    (7687, "Neo4j"),
    (9042, "Cassandra"),
    (11211, "Memcached"),
    (26257, "CockroachDB"),
    (27017, "MongoDB"),
    (28015, "RethinkDB"),
];

/// Ports of debuggers, which run whatever code they are sent: never behind a load balancer.
const DEBUGGER_PORTS: [(u16, &str); 5] = [
    (2345, "Delve (Go)"),
    (5005, "JDWP (Java)"),
    (5678, "debugpy (Python)"),
    (9003, "Xdebug (PHP)"),
    (9229, "the Node.js inspector"),
];

/// Images whose ports are not HTTP, when the port number says nothing.
const OTHER_IMAGES: [&str; 8] = [
    "coredns",
    "bind9",
    "dnsmasq",
    "eclipse-mosquitto",
    "mosquitto",
    "openldap",
    "postfix",
    "logstash",
];

/// Where a port goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Exposure {
    /// Not published on the host: a container port only.
    Unpublished,
    /// Published on the host's loopback address only.
    Loopback { host: u16 },
    /// Published, but kept private: a data store's port.
    Private { host: u16, what: String },
    /// Behind the Application Load Balancer; `guess` when only the default says it is HTTP.
    Http { host: u16, guess: bool },
    /// Behind a Network Load Balancer, TCP or UDP; `what` names the protocol.
    Network { host: u16, udp: bool, what: String },
    /// Published on a host port another port already has a listener on: none of its own.
    Shadowed { host: u16 },
}

/// Where `p` of a service goes (`image_repo`: its image's repository name, `data_store`:
/// whether the service is a database or cache).
pub(super) fn exposure(p: &Port, image_repo: Option<&str>, data_store: bool) -> Exposure {
    let Some(host) = p.published else {
        return Exposure::Unpublished;
    };
    if p.host_ip.as_deref().is_some_and(super::value::is_loopback) {
        return Exposure::Loopback { host };
    }
    if data_store {
        return Exposure::Private {
            host,
            what: "a database should stay private".to_owned(),
        };
    }
    if let Some((_, debugger)) = DEBUGGER_PORTS.iter().find(|(n, _)| *n == p.container) {
        return Exposure::Private {
            host,
            what: format!(
                "port {} is {debugger}'s, a debugger that runs whatever code it is sent",
                p.container
            ),
        };
    }
    if let Some((_, db)) = DATABASE_PORTS.iter().find(|(n, _)| *n == p.container) {
        return Exposure::Private {
            host,
            what: format!(
                "port {} is {db}'s, and a database should stay private",
                p.container
            ),
        };
    }
    if p.udp {
        return Exposure::Network {
            host,
            udp: true,
            what: "UDP".to_owned(),
        };
    }
    if p.app_protocol.is_some() {
        return Exposure::Http { host, guess: false };
    }
    if let Some((_, proto)) = OTHER_PORTS
        .iter()
        .find(|(n, _)| *n == p.container || *n == host)
    {
        return Exposure::Network {
            host,
            udp: false,
            what: (*proto).to_owned(),
        };
    }
    if HTTP_PORTS.contains(&p.container) || HTTP_PORTS.contains(&host) {
        return Exposure::Http { host, guess: false };
    }
    if let Some(repo) = image_repo.filter(|r| OTHER_IMAGES.contains(r)) {
        return Exposure::Network {
            host,
            udp: false,
            what: format!("{repo}'s protocol"),
        };
    }
    Exposure::Http { host, guess: true }
}

/// The comment on a port mapping, when where it went needs one.
pub(super) fn note(p: &Port, e: &Exposure) -> Option<String> {
    let c = p.container;
    match e {
        Exposure::Unpublished => None,
        Exposure::Http { host, .. } if *host == c => None,
        Exposure::Loopback { .. } => Some(format!(
            "compose publishes it on the host's loopback address only (`{}`), for that machine alone: kept inside the task, not behind a load balancer",
            p.spec
        )),
        Exposure::Private { host, what } => Some(format!(
            "compose publishes it on host port {host}; not exposed through a load balancer: {what}"
        )),
        Exposure::Http { host, .. } => Some(format!(
            "compose: host port {host} → {c}; awsvpc ports are symmetric, so the load balancer listens on {host} and forwards to {c}"
        )),
        Exposure::Shadowed { host } => Some(format!(
            "compose publishes it on host port {host}, which another port's listener already has: no listener of its own"
        )),
        Exposure::Network { host, udp, what } => Some(format!(
            "compose publishes it on host port {host} ({what}, not HTTP): behind the network load balancer, which forwards {} as it is",
            if *udp { "UDP" } else { "TCP" }
        )),
    }
}

/// The load balancers (with listeners), their target groups, and each compose service's
/// targets.
pub(super) type LoadBalancing = (
    Vec<LoadBalancer>,
    Vec<TargetGroup>,
    BTreeMap<String, Vec<LbTarget>>,
);

/// What load balancing reads and adds to in the plan.
pub(super) struct Balancer<'a> {
    pub svcs: &'a [Service],
    /// The databases and caches.
    pub data_stores: &'a BTreeSet<String>,
    /// Where each service's ports go, in the order of its `ports`.
    pub exposures: &'a mut BTreeMap<String, Vec<Exposure>>,
    pub names: &'a mut Names,
    pub not_imported: &'a mut Vec<String>,
    pub remarks: &'a mut Vec<String>,
}

impl Balancer<'_> {
    /// What the load balancing leaves out or decides, per port: loopback and private ports are
    /// listed; ports behind the network load balancer are remarked on.
    pub fn port_notes(&mut self) {
        for s in self.svcs {
            let Some(exposures) = self.exposures.get(&s.name) else {
                continue;
            };
            for (p, e) in s.ports.iter().zip(exposures) {
                let place = format!("services.{}.ports: {}", s.name, p.spec);
                match e {
                    Exposure::Loopback { .. } => self.not_imported.push(format!(
                        "`{place}`: published on the host's loopback address only: no load balancer; the port stays a container port"
                    )),
                    Exposure::Private { what, .. } if !self.data_stores.contains(&s.name) => {
                        self.remarks.push(format!("`{place}`: not behind a load balancer: {what}"));
                    }
                    _ => {}
                }
            }
        }
    }

    /// Load balancers: an Application Load Balancer for the published HTTP ports, a Network
    /// Load Balancer for the others (see [`exposure`]).
    pub fn balance(&mut self, project: &str) -> LoadBalancing {
        let all = || self.exposures.values().flatten();
        let any_http = all().any(|e| matches!(e, Exposure::Http { .. }));
        let any_network = all().any(|e| matches!(e, Exposure::Network { .. }));
        let alb = any_http.then(|| self.names.take(&format!("{project}-alb")));
        let nlb = any_network.then(|| self.names.take(&format!("{project}-nlb")));
        let mut alb_listeners: Vec<Listener> = Vec::new();
        let mut nlb_listeners: Vec<Listener> = Vec::new();
        let mut target_groups = Vec::new();
        let mut targets: BTreeMap<String, Vec<LbTarget>> = BTreeMap::new();
        for s in self.svcs {
            let exposures = self.exposures.get(&s.name).cloned().unwrap_or_default();
            let behind: Vec<(usize, &Port, &Exposure)> = s
                .ports
                .iter()
                .zip(&exposures)
                .enumerate()
                .filter(|(_, (_, e))| matches!(e, Exposure::Http { .. } | Exposure::Network { .. }))
                .map(|(i, (p, e))| (i, p, e))
                .collect();
            for &(i, p, e) in &behind {
                let (host, protocol, guess) = match e {
                    Exposure::Http { host, guess } => (*host, "HTTP", *guess),
                    Exposure::Network { host, udp, .. } => {
                        (*host, if *udp { "UDP" } else { "TCP" }, false)
                    }
                    _ => continue,
                };
                let listeners = if protocol == "HTTP" {
                    &mut alb_listeners
                } else {
                    &mut nlb_listeners
                };
                if let Some(taken) = listeners.iter().find(|l| l.port == host) {
                    let why = if taken.protocol == protocol {
                        format!(
                            "host port {host} ({protocol}) is published twice; compose could not start both"
                        )
                    } else {
                        format!(
                            "the network load balancer already listens on port {host} ({}); one listener would need protocol TCP_UDP, which the model does not have",
                            taken.protocol
                        )
                    };
                    self.not_imported.push(format!(
                        "`services.{}.ports: {}`: {why}: no second listener",
                        s.name, p.spec
                    ));
                    if let Some(e) = self.exposures.get_mut(&s.name).and_then(|v| v.get_mut(i)) {
                        *e = Exposure::Shadowed { host };
                    }
                    continue;
                }
                if let Exposure::Network { what, .. } = e {
                    self.remarks.push(format!(
                        "`services.{}.ports: {}`: {what}, not HTTP: behind a network load balancer ({protocol} listener), not the application load balancer",
                        s.name, p.spec
                    ));
                }
                let base = if behind.len() > 1 {
                    format!("{}-{}-tg", s.name, p.container)
                } else {
                    format!("{}-tg", s.name)
                };
                let tg = self.names.take(&base);
                listeners.push(Listener {
                    port: host,
                    protocol,
                    target_group: tg.clone(),
                    needs_certificate: protocol == "HTTP" && host == 443,
                });
                let note = if protocol == "HTTP" {
                    format!(
                        "guess: compose publishes `{}` port {} on host port {host}{}; set `healthCheck.path` to a real health endpoint",
                        s.name,
                        p.container,
                        if guess {
                            " (taken for HTTP: neither its number nor the image says otherwise)"
                        } else {
                            ""
                        }
                    )
                } else {
                    format!(
                        "compose publishes `{}` port {} on host port {host} ({protocol}); the network load balancer checks targets with TCP connections",
                        s.name, p.container
                    )
                };
                target_groups.push(TargetGroup {
                    name: tg.clone(),
                    port: p.container,
                    protocol,
                    note,
                });
                targets.entry(s.name.clone()).or_default().push(LbTarget {
                    target_group: tg,
                    container: s.name.clone(),
                    port: p.container,
                });
            }
        }
        let mut lbs = Vec::new();
        if let Some(name) = alb {
            lbs.push(LoadBalancer {
                name,
                network: false,
                listeners: alb_listeners,
            });
        }
        if let Some(name) = nlb {
            lbs.push(LoadBalancer {
                name,
                network: true,
                listeners: nlb_listeners,
            });
        }
        (lbs, target_groups, targets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(container: u16, published: Option<u16>) -> Port {
        Port {
            container,
            published,
            host_ip: None,
            spec: String::new(),
            udp: false,
            name: None,
            app_protocol: None,
        }
    }

    #[test]
    fn loopback_ports_never_leave_the_task() {
        let mut p = port(9229, Some(9229));
        p.host_ip = Some("127.0.0.1".to_owned());
        assert_eq!(
            exposure(&p, Some("node"), false),
            Exposure::Loopback { host: 9229 }
        );
        p.host_ip = Some("::1".to_owned());
        assert_eq!(exposure(&p, None, false), Exposure::Loopback { host: 9229 });
        let mut other = port(8080, Some(8080));
        other.host_ip = Some("10.0.0.5".to_owned());
        assert!(matches!(
            exposure(&other, None, false),
            Exposure::Http { .. }
        ));
    }

    #[test]
    fn dns_beats_and_udp_are_not_http() {
        for (c, what) in [(53, "DNS"), (5044, "Beats"), (1883, "MQTT")] {
            assert_eq!(
                exposure(&port(c, Some(c)), Some("whatever"), false),
                Exposure::Network {
                    host: c,
                    udp: false,
                    what: what.to_owned()
                },
                "{c}"
            );
        }
        let mut dns = port(53, Some(53));
        dns.udp = true;
        assert!(matches!(
            exposure(&dns, None, false),
            Exposure::Network { udp: true, .. }
        ));
        // An unknown port of a DNS server's image.
        assert!(matches!(
            exposure(&port(1053, Some(1053)), Some("coredns"), false),
            Exposure::Network { udp: false, .. }
        ));
    }

    #[test]
    fn http_ports_and_guesses() {
        for c in [80, 443, 8080, 3000, 8000] {
            assert_eq!(
                exposure(&port(c, Some(c)), None, false),
                Exposure::Http {
                    host: c,
                    guess: false
                }
            );
        }
        // The published port counts too: 80 → 5006.
        assert_eq!(
            exposure(&port(5006, Some(80)), None, false),
            Exposure::Http {
                host: 80,
                guess: false
            }
        );
        assert_eq!(
            exposure(&port(7777, Some(7777)), Some("myapp"), false),
            Exposure::Http {
                host: 7777,
                guess: true
            }
        );
        let mut grpc = port(50051, Some(50051));
        grpc.app_protocol = Some("grpc".to_owned());
        assert_eq!(
            exposure(&grpc, None, false),
            Exposure::Http {
                host: 50051,
                guess: false
            }
        );
    }

    #[test]
    fn debugger_ports_stay_private_wherever_they_are_published() {
        for c in [9229, 5005, 5678] {
            assert!(
                matches!(
                    exposure(&port(c, Some(c)), Some("node"), false),
                    Exposure::Private { .. }
                ),
                "{c}"
            );
        }
    }

    #[test]
    fn database_ports_stay_private() {
        assert!(matches!(
            exposure(&port(5432, Some(5432)), Some("pgbouncer"), false),
            Exposure::Private { .. }
        ));
        assert!(matches!(
            exposure(&port(80, Some(80)), Some("mongo"), true),
            Exposure::Private { .. }
        ));
        assert_eq!(
            exposure(&port(5432, None), None, false),
            Exposure::Unpublished
        );
    }
}
