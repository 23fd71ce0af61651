//! Which environment values name another compose service as a host, so that the service calls
//! it (`connectsTo`) and, in one task, should use `localhost` instead.
//!
//! Only values shaped like an address count: a URL (`postgres://user@db:5432/app`, with several
//! hosts after `//` separated by commas), `host:port` (`cache:6379`, or a comma-separated list),
//! or any value of a variable whose name says it holds an address (`…HOST…`, `…URL…`, `…URI…`,
//! `…ADDR…`, `…ENDPOINT…`, `…SERVER…`, `…BROKERS…`), where the name may also stand alone or in a
//! list. A value that merely equals a service name (`MODE: worker` beside a service `worker`)
//! is not a call.

/// Words of a variable name that say its value is an address.
const ADDRESS_WORDS: [&str; 8] = [
    "HOST", "URL", "URI", "ADDR", "ENDPOINT", "SERVER", "BROKERS", "DSN",
];

fn names_an_address(key: &str) -> bool {
    let key = key.to_ascii_uppercase();
    ADDRESS_WORDS.iter().any(|w| key.contains(w))
}

/// Whether `rest` (what follows a host name) ends the host: nothing, a port, a path, a query, a
/// list separator.
fn ends_host(rest: &str) -> bool {
    rest.chars()
        .next()
        .is_none_or(|c| matches!(c, ':' | '/' | ',' | '?' | ' ' | ';'))
}

/// `host:port` (digits), alone.
fn is_host_port(item: &str, host: &str) -> bool {
    item.strip_prefix(host)
        .and_then(|r| r.strip_prefix(':'))
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Byte positions of `host` in `value` where it is a host, for a variable named `key`.
pub(super) fn positions(key: &str, value: &str, host: &str) -> Vec<usize> {
    if host.is_empty() {
        return Vec::new();
    }
    let address_name = names_an_address(key);
    let url_start = value.find("://").map(|i| i + 3);
    value
        .match_indices(host)
        .map(|(i, _)| i)
        .filter(|&i| {
            let head = &value[..i];
            let rest = &value[i + host.len()..];
            if !ends_host(rest) {
                return false;
            }
            // In a URL: right after `//`, after `user@`, or after a comma in the host list.
            if let Some(start) = url_start
                && i >= start
            {
                let authority_end = value[start..]
                    .find(['/', '?', '#'])
                    .map_or(value.len(), |e| start + e);
                return i < authority_end && (i == start || head.ends_with(['@', ',']));
            }
            // A list item: the whole value, or an item between commas or blanks.
            let starts_item = head.is_empty() || head.ends_with([',', ' ', ';']);
            if !starts_item {
                return false;
            }
            let item_end = rest
                .find([',', ' ', ';'])
                .map_or(value.len(), |e| i + host.len() + e);
            let item = &value[i..item_end];
            is_host_port(item, host) || (address_name && (item == host || rest.starts_with('/')))
        })
        .collect()
}

/// Whether the value of variable `key` names `host` as a host.
pub(super) fn names_host(key: &str, value: &str, host: &str) -> bool {
    !positions(key, value, host).is_empty()
}

/// `value` with `host` replaced by `localhost` where it is a host.
pub(super) fn with_localhost(key: &str, value: &str, host: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for i in positions(key, value, host) {
        out.push_str(&value[last..i]);
        out.push_str("localhost");
        last = i + host.len();
    }
    out.push_str(&value[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_hosts() {
        assert!(names_host("X", "mongodb://mongodb:27017/app", "mongodb"));
        assert!(names_host("X", "postgres://shop@db:5432/shop", "db"));
        assert!(names_host("X", "mongodb://a:1,db:2/x", "db"));
        assert!(names_host("X", "http://api/health", "api"));
        // Not in the host part.
        assert!(!names_host("X", "http://example.com/db", "db"));
        assert!(!names_host("X", "postgres://db-user@other:5432/db", "db"));
        assert!(!names_host("X", "mongodb://mydb:1", "db"));
        assert_eq!(
            with_localhost("X", "postgres://db@db:5432/db", "db"),
            "postgres://db@localhost:5432/db"
        );
    }

    #[test]
    fn host_and_port() {
        assert!(names_host("CACHE", "cache:6379", "cache"));
        assert!(names_host("KAFKA", "kafka:9092,kafka2:9092", "kafka"));
        assert!(names_host("KAFKA", "kafka1:9092,kafka:9092", "kafka"));
        assert!(!names_host("X", "cache:latest", "cache"));
        assert!(!names_host("X", "cache:", "cache"));
        assert_eq!(with_localhost("R", "cache:6379", "cache"), "localhost:6379");
    }

    #[test]
    fn a_bare_name_is_a_host_only_for_address_variables() {
        // The case: a mode that happens to be a service's name.
        assert!(!names_host("MODE", "worker", "worker"));
        assert!(!names_host("QUEUE", "jobs", "jobs"));
        assert!(names_host("DB_HOST", "db", "db"));
        assert!(names_host("MONGODB_URL", "mongodb", "mongodb"));
        assert!(names_host("redis_addr", "redis", "redis"));
        assert!(names_host("UPSTREAM_SERVERS", "a,b", "b"));
        assert!(!names_host("DB_HOST", "dbx", "db"));
        assert!(!names_host("DB_HOST", "mydb", "db"));
        // Text that mentions a service is not an address.
        assert!(!names_host("GREETING", "hello db", "db"));
        assert!(!names_host("OPTS", "--host=db", "db"));
    }
}
