//! Which environment values name another compose service as a host, so that the service calls
//! it (`connectsTo`) and, in one task, should use `localhost` instead.
//!
//! Only values shaped like an address count: a URL (`postgres://user@db:5432/app`), `host:port`
//! (`cache:6379`), each alone or in a list separated by commas (as in
//! `mongodb://a:27017,b:27017/app`), semicolons or blanks, or any value of a variable whose name
//! says it holds an address (`…HOST…`, `…URL…`, `…URI…`,
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

/// The byte range of the host of a URL item (`scheme://[user[:pass]@]host[:port][/…]`).
fn url_host(item: &str) -> Option<(usize, usize)> {
    let start = item.find("://")? + 3;
    let authority_end = item[start..]
        .find(['/', '?', '#'])
        .map_or(item.len(), |e| start + e);
    let host_start = item[start..authority_end]
        .rfind('@')
        .map_or(start, |at| start + at + 1);
    let host_end = item[host_start..authority_end]
        .find(':')
        .map_or(authority_end, |c| host_start + c);
    Some((host_start, host_end))
}

/// Whether `item` is `host:port`, maybe followed by a path (`db:5432/app`).
fn is_host_port(item: &str, host: &str) -> bool {
    item.strip_prefix(host)
        .and_then(|r| r.strip_prefix(':'))
        .map(|p| p.split('/').next().unwrap_or_default())
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Byte positions of `host` in `value` where it is a host, for a variable named `key`. The
/// value is read as items separated by commas, semicolons or blanks.
pub(super) fn positions(key: &str, value: &str, host: &str) -> Vec<usize> {
    if host.is_empty() {
        return Vec::new();
    }
    let address_name = names_an_address(key);
    let mut out = Vec::new();
    let mut offset = 0;
    for item in value.split([',', ';', ' ', '\t', '\n']) {
        let at = offset;
        offset += item.len() + 1;
        if let Some((start, end)) = url_host(item) {
            if &item[start..end] == host {
                out.push(at + start);
            }
        } else if is_host_port(item, host)
            || (address_name
                && item
                    .strip_prefix(host)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
        {
            out.push(at);
        }
    }
    out
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
        assert!(names_host("X", "http://api:3000,http://web:80", "web"));
        assert!(names_host("X", "amqp://user:pass@queue:5672/", "queue"));
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
