//! Compose's value shapes: one YAML value in, one typed value out. Scalars (strings, booleans,
//! whole numbers), a string or a list of words, durations (`1m30s`), ports in short
//! (`[IP:]HOST:CONTAINER[/udp]`, ranges) and long syntax, environment as a list or a mapping,
//! secrets and volume entries in short and long syntax.
//!
//! Each function takes the value and its place (`services.api.ports`) and knows nothing of the
//! rest of the file; the reader checks what refers to what. Errors point at the value; parts the
//! shape allows but archflow does not model go to the not-imported [`Notes`].

use super::document::Port;
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

pub(super) fn as_bool(y: &Y, place: &str) -> Result<bool, ImportError> {
    match &y.v {
        V::Bool(b) => Ok(*b),
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

/// `[::1]:80:80`, `127.0.0.1:80:80`, `8080-8081:80-81`, `80:80`, `80`, each with `/udp` or not.
fn short_port(i: &Y, place: &str, notes: &mut Notes) -> Result<Vec<Port>, ImportError> {
    let text = i.scalar().unwrap_or_default();
    let (body, udp) = strip_proto(&text);
    let body = match body.strip_prefix('[') {
        Some(rest) => rest.split_once("]:").map_or(rest, |(_, b)| b),
        None => body,
    };
    let parts: Vec<&str> = body.split(':').collect();
    let (host, container) = match parts.as_slice() {
        [c] => (None, *c),
        [h, c] | [_, h, c] => (Some(*h).filter(|h| !h.is_empty()), *c),
        _ => {
            return Err(ImportError::at(
                i,
                format!("`{place}`: `{text}` is not `[HOST:]CONTAINER[/PROTOCOL]`"),
            ));
        }
    };
    if parts.len() == 3 {
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
            udp,
            name: None,
            app_protocol: None,
        })
        .collect())
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
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        match key.as_str() {
            "target" => {}
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
        let text = i.scalar().ok_or_else(|| wrong_type(i, place, "a port"))?;
        let (text, udp) = strip_proto(&text);
        for c in port_range(i, place, text)? {
            out.push(Port {
                container: c,
                published: None,
                udp,
                name: None,
                app_protocol: None,
            });
        }
    }
    Ok(out)
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
        yaml::parse(text).unwrap()
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
