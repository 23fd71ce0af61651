//! Compose's value shapes: one YAML value in, one typed value out. Scalars (strings, booleans,
//! whole numbers), a string or a list of words, durations (`1m30s`), ports in short
//! (`[IP:]HOST:CONTAINER[/udp]`, ranges) and long syntax, environment as a list or a mapping,
//! secrets and volume entries in short and long syntax.
//!
//! Each function takes the value and its place (`services.api.ports`) and knows nothing of the
//! rest of the file; the reader checks what refers to what. Errors point at the value; parts the
//! shape allows but archflow does not model go to the not-imported [`Notes`].

use super::document::{Port, Resources};
use super::yaml::{V, Y};
use super::{ImportError, Notes};

/// `place: expected X, found Y`.
pub(super) fn wrong_type(y: &Y, place: &str, expected: &str) -> ImportError {
    ImportError::at(
        y,
        format!("`{place}` must be {expected}, but it is {}", y.kind()),
    )
}

pub(super) fn as_map<'a>(y: &'a Y, place: &str) -> Result<&'a [(Y, Y)], ImportError> {
    match &y.v {
        V::Map(entries) => Ok(entries),
        _ => Err(wrong_type(y, place, "a mapping")),
    }
}

pub(super) fn as_str(y: &Y, place: &str) -> Result<String, ImportError> {
    match &y.v {
        V::Str(s) => Ok(s.clone()),
        V::Int(i) => Ok(i.to_string()),
        _ => Err(wrong_type(y, place, "a string")),
    }
}

/// A boolean; compose also takes the strings YAML 1.1 reads as booleans (`"true"`, `yes`,
/// `off`…), which is what an interpolated `${FLAG:-true}` gives.
pub(super) fn as_bool(y: &Y, place: &str) -> Result<bool, ImportError> {
    match &y.v {
        V::Bool(b) => Ok(*b),
        V::Str(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "on" => Ok(true),
            "false" | "no" | "n" | "off" => Ok(false),
            _ => Err(wrong_type(y, place, "`true` or `false`")),
        },
        _ => Err(wrong_type(y, place, "`true` or `false`")),
    }
}

pub(super) fn as_u32(y: &Y, place: &str) -> Result<u32, ImportError> {
    match &y.v {
        V::Int(i) => u32::try_from(*i).map_err(|_| wrong_type(y, place, "a whole number >= 0")),
        V::Str(s) => s
            .trim()
            .parse()
            .map_err(|_| wrong_type(y, place, "a whole number >= 0")),
        _ => Err(wrong_type(y, place, "a whole number")),
    }
}

/// A string, or a list of strings (`command`, `entrypoint`, health check `test`). A string is
/// split into words as compose splits it ([`command_words`]).
pub(super) fn string_or_list(y: &Y, place: &str) -> Result<Vec<String>, ImportError> {
    match &y.v {
        V::Str(s) => command_words(s).ok_or_else(|| {
            ImportError::at(
                y,
                format!("`{place}`: `{s}` has a quote that is not closed, or ends in a backslash"),
            )
            .help("close the quote, or write the command as a list of words: `[\"sh\", \"-c\", \"…\"]`")
        }),
        V::Seq(items) => items
            .iter()
            .map(|i| {
                i.scalar()
                    .ok_or_else(|| wrong_type(i, place, "a list of strings"))
            })
            .collect(),
        _ => Err(wrong_type(y, place, "a string or a list of strings")),
    }
}

/// The words of a command string, split as a POSIX shell splits them, by `shlex`: blanks (space,
/// tab, line break) separate words; single quotes, double quotes and backslashes quote; nothing
/// is expanded. `None` when a quote is not closed or the text ends in a backslash: compose
/// refuses such a command too.
///
/// Compose splits with Go's `go-shellwords`, which mostly agrees. Where they differ:
/// - A word that starts with `#` is a comment to a shell; compose keeps it as a word, and so does
///   this function (`#` is hidden from `shlex` behind a character the text does not contain).
/// - A backslash inside double quotes before a character other than `$`, `` ` ``, `"` or `\` is
///   kept, as in a shell; compose drops it (`"\d"` is `d` there).
/// - Compose also reads `\n` and `\t` as a line break and a tab, takes a carriage return as a
///   blank, groups backquotes and `$(…)` into one word, and silently ends the command at an
///   unquoted `;`, `&`, `|`, `<` or `>`; here these are ordinary characters.
fn command_words(text: &str) -> Option<Vec<String>> {
    if !text.contains('#') {
        return shlex::split(text);
    }
    let Some(stand_in) = ('\u{e000}'..='\u{f8ff}').find(|c| !text.contains(*c)) else {
        // Every private-use character is in the text: no stand-in; split as a shell would.
        return shlex::split(text);
    };
    let words = shlex::split(&text.replace('#', &stand_in.to_string()))?;
    Some(
        words
            .into_iter()
            .map(|w| w.replace(stand_in, "#"))
            .collect(),
    )
}

/// A compose duration (`30s`, `1m30s`, `1h`, `500ms`, `90`) in whole seconds (rounded up).
pub(super) fn duration_seconds(y: &Y, place: &str) -> Result<u32, ImportError> {
    let bad = || {
        ImportError::at(y, format!("`{place}` is not a duration"))
            .help("write a duration such as `30s`, `1m30s` or `500ms`")
    };
    let text = match &y.v {
        V::Int(i) => return u32::try_from(*i).map_err(|_| bad()),
        V::Str(s) => s.trim().to_owned(),
        _ => return Err(wrong_type(y, place, "a duration such as `30s`")),
    };
    if text.is_empty() {
        return Err(bad());
    }
    let mut micros: f64 = 0.0;
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(bad());
        }
        let n: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "us" | "µs" => 1.0,
            "ms" => 1e3,
            "s" | "" => 1e6,
            "m" => 60e6,
            "h" => 3600e6,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        micros += n * factor;
    }
    let secs = (micros / 1e6).ceil();
    if secs > f64::from(u32::MAX) {
        return Err(bad());
    }
    #[allow(clippy::cast_sign_loss)]
    Ok(secs as u32)
}

/// `80/udp` → (`80`, true); `80` or `80/tcp` → (`80`, false).
pub(super) fn strip_proto(text: &str) -> (&str, bool) {
    match text.rsplit_once('/') {
        Some((rest, proto)) => (rest, proto.eq_ignore_ascii_case("udp")),
        None => (text, false),
    }
}

/// `3000` or `3000-3005` → the ports.
pub(super) fn port_range(y: &Y, place: &str, text: &str) -> Result<Vec<u16>, ImportError> {
    let bad = || {
        ImportError::at(
            y,
            format!("`{place}`: `{text}` is not a port (1–65535) or port range"),
        )
    };
    let one = |t: &str| t.trim().parse::<u16>().ok().filter(|p| *p > 0);
    match text.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (one(a).ok_or_else(bad)?, one(b).ok_or_else(bad)?);
            if b < a || b - a > 1000 {
                return Err(bad());
            }
            Ok((a..=b).collect())
        }
        None => Ok(vec![one(text).ok_or_else(bad)?]),
    }
}

/// A service's `ports`: strings (`[IP:][HOST:]CONTAINER[/PROTOCOL]`, ranges allowed) or mappings
/// (`target`, `published`, `protocol`, `name`, `app_protocol`).
pub(super) fn ports(y: &Y, place: &str, notes: &mut Notes) -> Result<Vec<Port>, ImportError> {
    let V::Seq(items) = &y.v else {
        return Err(wrong_type(y, place, "a list of ports"));
    };
    let mut out = Vec::new();
    for i in items {
        match &i.v {
            // A port that is only a variable nobody set: compose would refuse it.
            V::Str(s) if s.trim().is_empty() => notes.skip(
                place,
                "a port left empty (its variable is not set): set the variable and import again",
            ),
            V::Str(_) | V::Int(_) => out.extend(short_port(i, place, notes)?),
            V::Map(entries) => out.extend(long_port(i, entries, place, notes)?),
            _ => {
                return Err(wrong_type(
                    i,
                    place,
                    "a port string or a mapping with `target`",
                ));
            }
        }
    }
    Ok(out)
}

/// A host address that means every address (`0.0.0.0`, `::`) is no host address.
fn host_address(ip: &str) -> Option<String> {
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    (!matches!(ip, "" | "0.0.0.0" | "::")).then(|| ip.to_owned())
}

/// `[::1]:80:80`, `127.0.0.1:80:80`, `8080-8081:80-81`, `80:80`, `80`, each with `/udp` or not.
fn short_port(i: &Y, place: &str, notes: &mut Notes) -> Result<Vec<Port>, ImportError> {
    let text = i.scalar().unwrap_or_default();
    let (body, udp) = strip_proto(&text);
    let (bracketed, body) = match body.strip_prefix('[') {
        Some(rest) => match rest.split_once("]:") {
            Some((ip, b)) => (Some(ip), b),
            None => (None, rest),
        },
        None => (None, body),
    };
    let parts: Vec<&str> = body.split(':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => (bracketed, None, *c),
        [h, c] => (bracketed, Some(*h).filter(|h| !h.is_empty()), *c),
        [ip, h, c] if bracketed.is_none() => (Some(*ip), Some(*h).filter(|h| !h.is_empty()), *c),
        _ => {
            return Err(ImportError::at(
                i,
                format!("`{place}`: `{text}` is not `[IP:][HOST:]CONTAINER[/PROTOCOL]`"),
            ));
        }
    };
    let host_ip = ip.and_then(host_address);
    if host_ip.as_deref().is_some_and(|h| !is_loopback(h)) {
        notes.skip(&format!("{place}: {text}"), "the host IP is not modelled");
    }
    let containers = port_range(i, place, container)?;
    let hosts = match host {
        Some(h) => port_range(i, place, h)?,
        None => Vec::new(),
    };
    let paired = hosts.len() == containers.len();
    if !hosts.is_empty() && !paired {
        notes.skip(
            &format!("{place}: {text}"),
            "a host port range for a different number of ports is not modelled",
        );
    }
    Ok(containers
        .iter()
        .enumerate()
        .map(|(n, c)| Port {
            container: *c,
            published: if paired { hosts.get(n).copied() } else { None },
            host_ip: host_ip.clone(),
            spec: text.clone(),
            udp,
            name: None,
            app_protocol: None,
        })
        .collect())
}

/// Whether a host address is the loopback interface (`127.0.0.0/8`, `::1`): a port published
/// there is reachable only from the machine itself.
pub(super) fn is_loopback(ip: &str) -> bool {
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    ip.parse::<std::net::IpAddr>()
        .is_ok_and(|a| a.is_loopback())
        || ip.eq_ignore_ascii_case("localhost")
}

/// A port mapping: `target` (a port or range) and the optional keys archflow maps.
fn long_port(
    i: &Y,
    entries: &[(Y, Y)],
    place: &str,
    notes: &mut Notes,
) -> Result<Vec<Port>, ImportError> {
    let target = i
        .get("target")
        .ok_or_else(|| ImportError::at(i, format!("`{place}`: a port needs `target`")))?;
    let target_text = target
        .scalar()
        .ok_or_else(|| wrong_type(target, &format!("{place}.target"), "a port"))?;
    let containers = port_range(target, place, &target_text)?;
    let mut published = None;
    let mut udp = false;
    let mut name = None;
    let mut app = None;
    let mut host_ip = None;
    let spec = entries
        .iter()
        .map(|(k, v)| {
            format!(
                "{}: {}",
                k.scalar().unwrap_or_default(),
                v.scalar().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        match key.as_str() {
            "target" => {}
            "host_ip" => {
                host_ip = host_address(&as_str(v, &format!("{place}.host_ip"))?);
                if host_ip.as_deref().is_some_and(|h| !is_loopback(h)) {
                    notes.skip(&format!("{place}: {spec}"), "the host IP is not modelled");
                }
            }
            "published" => {
                let t = v
                    .scalar()
                    .ok_or_else(|| wrong_type(v, &format!("{place}.published"), "a port"))?;
                let hosts = port_range(v, place, &t)?;
                if let ([host], [_]) = (hosts.as_slice(), containers.as_slice()) {
                    published = Some(*host);
                } else {
                    notes.skip(
                        &format!("{place}.published: {t}"),
                        "port ranges are not published through a load balancer",
                    );
                }
            }
            "protocol" => {
                udp = as_str(v, &format!("{place}.protocol"))?.eq_ignore_ascii_case("udp");
            }
            "name" => name = Some(as_str(v, &format!("{place}.name"))?),
            "app_protocol" => {
                let a = as_str(v, &format!("{place}.app_protocol"))?.to_ascii_lowercase();
                if matches!(a.as_str(), "http" | "http2" | "grpc") {
                    app = Some(a);
                } else {
                    notes.skip(
                        &format!("{place}.app_protocol: {a}"),
                        "ECS knows http, http2 and grpc",
                    );
                }
            }
            other => notes.skip(&format!("{place}.{other}"), "not modelled"),
        }
    }
    Ok(containers
        .into_iter()
        .map(|c| Port {
            container: c,
            published,
            host_ip: host_ip.clone(),
            spec: spec.clone(),
            udp,
            name: name.clone(),
            app_protocol: app.clone(),
        })
        .collect())
}

/// A service's `expose`: container ports (or ranges) that are not published.
pub(super) fn expose(y: &Y, place: &str) -> Result<Vec<Port>, ImportError> {
    let V::Seq(items) = &y.v else {
        return Err(wrong_type(y, place, "a list of ports"));
    };
    let mut out = Vec::new();
    for i in items {
        let spec = i.scalar().ok_or_else(|| wrong_type(i, place, "a port"))?;
        let (text, udp) = strip_proto(&spec);
        for c in port_range(i, place, text)? {
            out.push(Port {
                container: c,
                published: None,
                host_ip: None,
                spec: spec.clone(),
                udp,
                name: None,
                app_protocol: None,
            });
        }
    }
    Ok(out)
}

/// A service's `deploy.resources`: CPUs and memory of `limits` and `reservations`, in ECS units;
/// `None` when it sets neither. Other keys (`pids`, `devices`) are listed.
pub(super) fn resources(
    y: &Y,
    place: &str,
    notes: &mut Notes,
) -> Result<Option<Resources>, ImportError> {
    let mut r = Resources::default();
    for (k, v) in as_map(y, place)? {
        let key = k.scalar().unwrap_or_default();
        let at = format!("{place}.{key}");
        if !matches!(key.as_str(), "limits" | "reservations") {
            notes.skip(&at, "not modelled");
            continue;
        }
        let limits = key == "limits";
        for (rk, rv) in as_map(v, &at)? {
            let what = rk.scalar().unwrap_or_default();
            let at = format!("{at}.{what}");
            match (what.as_str(), limits) {
                ("cpus", true) => r.cpu_limit = Some(cpus(rv, &at)?),
                ("cpus", false) => r.cpu_reservation = Some(cpus(rv, &at)?),
                ("memory", true) => r.memory_limit = Some(memory(rv, &at)?),
                ("memory", false) => r.memory_reservation = Some(memory(rv, &at)?),
                ("devices", _) => notes.skip(&at, "devices (GPUs and others) are not modelled"),
                _ => notes.skip(&at, "not modelled"),
            }
        }
    }
    let any = r.cpu_limit.is_some()
        || r.memory_limit.is_some()
        || r.cpu_reservation.is_some()
        || r.memory_reservation.is_some();
    Ok(any.then_some(r))
}

/// CPUs (`0.5`, `"2"`) as written, and in CPU units (1024 a vCPU, rounded up).
pub(super) fn cpus(y: &Y, place: &str) -> Result<(String, u32), ImportError> {
    let text = y
        .scalar()
        .filter(|_| !matches!(y.v, V::Bool(_)))
        .ok_or_else(|| wrong_type(y, place, "a number of CPUs"))?;
    let n: f64 = text
        .trim()
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0 && *n <= 1024.0)
        .ok_or_else(|| {
            ImportError::at(y, format!("`{place}`: `{text}` is not a number of CPUs"))
                .help("write a number such as `0.5` or `2`")
        })?;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let units = (n * 1024.0).ceil() as u32;
    Ok((text, units))
}

/// A compose byte size (`512m`, `1g`, `1.5GiB`, `268435456`) as written, and in MiB (rounded
/// up). Units are powers of 1024, as Docker reads them.
pub(super) fn memory(y: &Y, place: &str) -> Result<(String, u32), ImportError> {
    let text = y
        .scalar()
        .filter(|_| !matches!(y.v, V::Bool(_)))
        .ok_or_else(|| wrong_type(y, place, "a memory size such as `512m`"))?;
    let bad = || {
        ImportError::at(y, format!("`{place}`: `{text}` is not a memory size"))
            .help("write a size such as `512m`, `1g` or `268435456` (bytes)")
    };
    let t = text.trim();
    let digits = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let n: f64 = t[..digits].parse().map_err(|_| bad())?;
    let unit = t[digits..].trim_start().to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let factor: f64 = match unit {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        "t" => 1024f64.powi(4),
        "p" => 1024f64.powi(5),
        _ => return Err(bad()),
    };
    let mib = (n * factor / (1024.0 * 1024.0)).ceil();
    if !mib.is_finite() || mib > f64::from(u32::MAX) {
        return Err(bad());
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok((text, mib as u32))
}

/// One entry of a service's `volumes`, as written: `SOURCE:TARGET[:MODE]` or a mapping.
pub(super) struct VolumeEntry {
    /// `volume`, `bind`, `tmpfs`, … (the short syntax is a bind mount when its source is a path).
    pub kind: String,
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
}

fn is_path(src: &str) -> bool {
    src.starts_with(['/', '.', '~', '$']) || src.contains('/') || src.contains('\\')
}

pub(super) fn volume_entry(
    i: &Y,
    place: &str,
    notes: &mut Notes,
) -> Result<VolumeEntry, ImportError> {
    match &i.v {
        V::Str(text) => {
            let parts: Vec<&str> = text.split(':').collect();
            let (src, tgt, mode) = match parts.as_slice() {
                [t] => (None, *t, ""),
                [s, t] => (Some(*s), *t, ""),
                [s, t, m] => (Some(*s), *t, *m),
                _ => {
                    return Err(ImportError::at(
                        i,
                        format!("`{place}`: `{text}` is not `SOURCE:TARGET[:MODE]`"),
                    ));
                }
            };
            let kind = match src {
                Some(s) if is_path(s) => "bind",
                _ => "volume",
            };
            Ok(VolumeEntry {
                kind: kind.to_owned(),
                source: src.map(str::to_owned),
                target: tgt.to_owned(),
                read_only: mode.split(',').any(|m| m == "ro"),
            })
        }
        V::Map(entries) => {
            let kind = match i.get("type") {
                Some(t) => as_str(t, &format!("{place}.type"))?,
                None => "volume".to_owned(),
            };
            let source = i
                .get("source")
                .map(|s| as_str(s, &format!("{place}.source")))
                .transpose()?;
            let target = i
                .get("target")
                .ok_or_else(|| ImportError::at(i, format!("`{place}`: a volume needs `target`")))?;
            let target = as_str(target, &format!("{place}.target"))?;
            let read_only = match i.get("read_only") {
                Some(b) => as_bool(b, &format!("{place}.read_only"))?,
                None => false,
            };
            for (k, _) in entries {
                let key = k.scalar().unwrap_or_default();
                if !matches!(key.as_str(), "type" | "source" | "target" | "read_only") {
                    notes.skip(&format!("{place}.{key} ({target})"), "not modelled");
                }
            }
            Ok(VolumeEntry {
                kind,
                source,
                target,
                read_only,
            })
        }
        _ => Err(wrong_type(i, place, "a volume string or a mapping")),
    }
}

/// A service's `environment`: a list of `KEY=VALUE` or a mapping. A variable without a value
/// takes it from the shell that runs compose: it is listed, not imported.
pub(super) fn environment(
    y: &Y,
    place: &str,
    notes: &mut Notes,
) -> Result<Vec<(String, String)>, ImportError> {
    let mut out = Vec::new();
    match &y.v {
        V::Seq(items) => {
            for i in items {
                let text = as_str(i, place)?;
                match text.split_once('=') {
                    Some((k, v)) => out.push((k.to_owned(), v.to_owned())),
                    None => notes.skip(
                        &format!("{place}: {text}"),
                        "takes its value from the shell running compose",
                    ),
                }
            }
        }
        V::Map(entries) => {
            for (k, v) in entries {
                let key = as_str(k, place)?;
                match v.scalar() {
                    Some(val) => out.push((key, val)),
                    None if v.is_null() => {
                        notes.skip(
                            &format!("{place}.{key}"),
                            "takes its value from the shell running compose",
                        );
                    }
                    None => {
                        return Err(wrong_type(
                            v,
                            &format!("{place}.{key}"),
                            "a string, number or boolean",
                        ));
                    }
                }
            }
        }
        _ => return Err(wrong_type(y, place, "a list of `KEY=VALUE` or a mapping")),
    }
    Ok(out)
}

/// A service's `secrets`: names, or mappings with `source` and `target` → (target, source).
pub(super) fn secrets(
    y: &Y,
    place: &str,
    notes: &mut Notes,
) -> Result<Vec<(String, String)>, ImportError> {
    let V::Seq(items) = &y.v else {
        return Err(wrong_type(y, place, "a list of secrets"));
    };
    let mut out = Vec::new();
    for i in items {
        match &i.v {
            V::Str(s) => out.push((s.clone(), s.clone())),
            V::Map(entries) => {
                let source = i.get("source").ok_or_else(|| {
                    ImportError::at(i, format!("`{place}`: a secret needs `source`"))
                })?;
                let source = as_str(source, &format!("{place}.source"))?;
                let target = match i.get("target") {
                    Some(t) => as_str(t, &format!("{place}.target"))?,
                    None => source.clone(),
                };
                for (k, _) in entries {
                    let key = k.scalar().unwrap_or_default();
                    if !matches!(key.as_str(), "source" | "target") {
                        notes.skip(
                            &format!("{place}.{key} ({source})"),
                            "ECS passes secrets as environment variables, not files",
                        );
                    }
                }
                out.push((target, source));
            }
            _ => {
                return Err(wrong_type(
                    i,
                    place,
                    "a secret name or a mapping with `source`",
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::compose::yaml;

    fn y(text: &str) -> Y {
        yaml::parse(text, 0).unwrap()
    }

    #[test]
    fn booleans_as_compose_casts_them() {
        for (t, b) in [
            ("true", true),
            ("'yes'", true),
            ("'false'", false),
            ("'off'", false),
        ] {
            assert_eq!(as_bool(&y(t), "x").unwrap(), b, "{t}");
        }
        assert!(as_bool(&y("'maybe'"), "x").is_err());
        assert!(as_bool(&y("1"), "x").is_err());
    }

    #[test]
    fn cpus_and_memory_in_ecs_units() {
        assert_eq!(cpus(&y("0.5"), "x").unwrap(), ("0.5".to_owned(), 512));
        assert_eq!(cpus(&y("'2'"), "x").unwrap(), ("2".to_owned(), 2048));
        assert_eq!(cpus(&y("0.001"), "x").unwrap().1, 2);
        assert!(cpus(&y("lots"), "x").is_err());
        assert!(cpus(&y("-1"), "x").is_err());
        for (t, mib) in [
            ("512M", 512),
            ("512m", 512),
            ("1g", 1024),
            ("1.5GiB", 1536),
            ("1GB", 1024),
            ("268435456", 256),
            ("64k", 1),
            ("2 g", 2048),
        ] {
            assert_eq!(memory(&y(&format!("'{t}'")), "x").unwrap().1, mib, "{t}");
        }
        assert!(memory(&y("'12x'"), "x").is_err());
        assert!(memory(&y("'m'"), "x").is_err());
        let mut notes = Notes::default();
        let r = resources(
            &y("{limits: {cpus: '0.5', memory: 512M, pids: 10}, reservations: {memory: 256M, devices: [{capabilities: [gpu]}]}}"),
            "services.api.deploy.resources",
            &mut notes,
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.cpu_limit.map(|c| c.1), Some(512));
        assert_eq!(r.memory_limit.map(|m| m.1), Some(512));
        assert_eq!(r.memory_reservation.map(|m| m.1), Some(256));
        assert!(r.cpu_reservation.is_none());
        let lines = notes.into_lines();
        assert!(lines.iter().any(|l| l.contains("limits.pids")), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.contains("reservations.devices")),
            "{lines:?}"
        );
    }

    #[test]
    fn host_addresses_of_ports() {
        let mut notes = Notes::default();
        let p = ports(
            &y("['127.0.0.1:9090:9091', '[::1]:53:53/udp', '0.0.0.0:80:80', '10.0.0.5:81:81', {target: 5005, published: 5005, host_ip: 127.0.0.1}]"),
            "services.api.ports",
            &mut notes,
        )
        .unwrap();
        let ips: Vec<Option<&str>> = p.iter().map(|p| p.host_ip.as_deref()).collect();
        assert_eq!(
            ips,
            [
                Some("127.0.0.1"),
                Some("::1"),
                None,
                Some("10.0.0.5"),
                Some("127.0.0.1")
            ]
        );
        assert!(p[1].udp);
        assert_eq!(
            p[4].spec,
            "target: 5005, published: 5005, host_ip: 127.0.0.1"
        );
        assert!(is_loopback("127.0.0.1") && is_loopback("127.1.2.3") && is_loopback("::1"));
        assert!(!is_loopback("10.0.0.5") && !is_loopback("0.0.0.0"));
        // Only the address that is neither every address nor loopback is "not modelled".
        let lines = notes.into_lines();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("10.0.0.5:81:81"), "{lines:?}");
    }

    #[test]
    fn durations() {
        for (t, s) in [
            ("30s", 30),
            ("1m30s", 90),
            ("1h", 3600),
            ("500ms", 1),
            ("90", 90),
            ("2m", 120),
        ] {
            assert_eq!(
                duration_seconds(&y(&format!("\"{t}\"")), "x").unwrap(),
                s,
                "{t}"
            );
        }
        assert!(duration_seconds(&y("\"3 days\""), "x").is_err());
    }

    fn words(text: &str) -> Vec<String> {
        command_words(text).unwrap()
    }

    #[test]
    fn command_strings_split_into_words() {
        assert_eq!(
            words(r#"npm run "start dev" 'a b' c\ d"#),
            ["npm", "run", "start dev", "a b", "c d"]
        );
        // Blanks (spaces, tabs, line breaks) separate words, however many.
        assert_eq!(words("  a \t b\n\nc  "), ["a", "b", "c"]);
        // Quotes join parts of one word, and an empty quote is an empty word.
        assert_eq!(words(r#"--name="a b"'c' "" ''"#), ["--name=a bc", "", ""]);
        // Nothing is expanded. (Compose would end this command before `&&`: see command_words.)
        assert_eq!(
            words("echo $HOME ${X:-y} && ls *"),
            ["echo", "$HOME", "${X:-y}", "&&", "ls", "*"]
        );
    }

    #[test]
    fn command_strings_with_escapes() {
        // Outside quotes a backslash keeps the next character as it is.
        assert_eq!(words(r"a\\b c\'d \\"), [r"a\b", "c'd", r"\"]);
        // Inside single quotes nothing is special.
        assert_eq!(words(r"'a\b' 'say \'"), [r"a\b", r"say \"]);
        // Inside double quotes a backslash escapes only $ ` " \ (POSIX).
        assert_eq!(words(r#""a \"b\" \$HOME \\ \d""#), [r#"a "b" $HOME \ \d"#]);
    }

    #[test]
    fn command_strings_keep_words_that_start_with_a_hash() {
        assert_eq!(
            words("echo # not a comment"),
            ["echo", "#", "not", "a", "comment"]
        );
        assert_eq!(words("a#b '#c' \"#d\""), ["a#b", "#c", "#d"]);
    }

    #[test]
    fn empty_command_strings_have_no_words() {
        assert!(words("").is_empty());
        assert!(words(" \t\n").is_empty());
    }

    #[test]
    fn unbalanced_quotes_are_a_clear_error() {
        for text in [r#"sh -c "echo hi"#, "echo 'it", "echo \\", "a '#"] {
            assert_eq!(command_words(text), None, "{text}");
            let e = string_or_list(
                &y(&format!("'{}'", text.replace('\'', "''"))),
                "services.api.command",
            )
            .unwrap_err();
            assert!(
                e.message.starts_with("`services.api.command`: `")
                    && e.message
                        .ends_with("has a quote that is not closed, or ends in a backslash"),
                "{e:?}"
            );
            assert_eq!((e.line, e.column), (1, 1));
            assert!(e.help.is_some_and(|h| h.contains("list of words")));
        }
    }

    #[test]
    fn lists_are_taken_as_they_are() {
        assert_eq!(
            string_or_list(&y("[\"sh\", \"-c\", \"a 'b\", 1]"), "x").unwrap(),
            ["sh", "-c", "a 'b", "1"]
        );
        assert!(string_or_list(&y("[[a]]"), "x").is_err());
        assert!(string_or_list(&y("{a: 1}"), "x").is_err());
    }
}
