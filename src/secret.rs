//! What looks like a secret: variable names that say they hold one (`DB_PASSWORD`, `apiKey`) and
//! values that look like one whatever their name (an AWS access key id, a private key, a URL with
//! a password, a well-known API token). The plaintext-secret rule (A016) reports such environment
//! variables; `drift` masks such values as `****` when it prints them.

/// Words of a variable name that mean it holds a secret.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PWD",
    "PASSPHRASE",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "APIKEY",
    "PRIVATEKEY",
    "CREDENTIAL",
    "CREDENTIALS",
];

/// Words that make a following `KEY` a secret one (`API_KEY`, `ACCESS_KEY`, …).
const KEY_QUALIFIERS: &[&str] = &[
    "API",
    "ACCESS",
    "PRIVATE",
    "SECRET",
    "SIGNING",
    "ENCRYPTION",
    "MASTER",
    "CLIENT",
    "LICENSE",
];

/// Last words of names that describe a secret rather than hold it (`JWT_SECRET_FILE`,
/// `TOKEN_TTL`, `PASSWORD_MIN_LENGTH`).
const NOT_A_SECRET: &[&str] = &[
    "FILE",
    "PATH",
    "DIR",
    "ARN",
    "NAME",
    "ID",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "TIMEOUT",
    "LIFETIME",
    "LENGTH",
    "LEN",
    "SIZE",
    "MIN",
    "MAX",
    "COUNT",
    "TYPE",
    "HEADER",
    "ALGORITHM",
    "ALG",
    "ENABLED",
    "DISABLED",
    "REQUIRED",
    "POLICY",
    "REGION",
    "VERSION",
    "FORMAT",
    "PREFIX",
    "ISSUER",
    "AUDIENCE",
    "SCOPE",
    "SCOPES",
    "FIELD",
];

/// Prefixes of well-known API tokens.
const TOKEN_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "sk_live_",
    "rk_live_",
    "sk-proj-",
    "sk-ant-",
];

/// The words of a variable name, upper-cased: `dbPassword` and `DB_PASSWORD` → `DB`, `PASSWORD`.
#[must_use]
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            previous_lower = false;
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_uppercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Whether a variable name says that it holds a secret.
#[must_use]
pub fn secret_name(name: &str) -> bool {
    let words = words(name);
    let Some(last) = words.last() else {
        return false;
    };
    // `PWD` alone is the shell's working directory.
    if NOT_A_SECRET.contains(&last.as_str()) || words == ["PWD"] {
        return false;
    }
    last == "PASS"
        || words.iter().enumerate().any(|(i, w)| {
            SECRET_WORDS.contains(&w.as_str())
                || (w == "KEY" && i > 0 && KEY_QUALIFIERS.contains(&words[i - 1].as_str()))
        })
}

/// A value that only refers to a secret, or holds nothing.
#[must_use]
pub fn is_reference(value: &str) -> bool {
    value.is_empty()
        || value.starts_with("arn:")
        || value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with("${")
        || value.starts_with("{{")
}

pub const AWS_KEY: &str = "an AWS access key id";

/// What a value looks like when it looks like a secret whatever its name.
#[must_use]
pub fn secret_value(value: &str) -> Option<&'static str> {
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    if has_aws_access_key(value) {
        return Some(AWS_KEY);
    }
    if url_password(value) {
        return Some("a URL with a password in it");
    }
    if value.len() >= 20 && TOKEN_PREFIXES.iter().any(|p| value.starts_with(p)) {
        return Some("an API token");
    }
    None
}

/// `AKIA…`/`ASIA…` followed by 16 upper-case letters or digits, as a whole word.
fn has_aws_access_key(value: &str) -> bool {
    let bytes = value.as_bytes();
    let key_char = |b: &u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    (0..bytes.len().saturating_sub(19)).any(|i| {
        let candidate = &bytes[i..i + 20];
        (candidate.starts_with(b"AKIA") || candidate.starts_with(b"ASIA"))
            && candidate.iter().all(key_char)
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes.get(i + 20).is_none_or(|b| !b.is_ascii_alphanumeric())
    })
}

/// A URL whose user info has a password: `scheme://user:password@host`.
fn url_password(value: &str) -> bool {
    value.match_indices("://").any(|(i, sep)| {
        let rest = &value[i + sep.len()..];
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        let Some((userinfo, _host)) = authority.rsplit_once('@') else {
            return false;
        };
        userinfo.split_once(':').is_some_and(|(_, password)| {
            !password.is_empty()
                && !password.starts_with('$')
                && !password.starts_with('<')
                && !password.starts_with("{{")
                && !password.chars().all(|c| c == '*')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::{secret_name, secret_value, words};

    #[test]
    fn splits_names_into_words() {
        assert_eq!(words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(
            words("AWS_SECRET_ACCESS_KEY"),
            ["AWS", "SECRET", "ACCESS", "KEY"]
        );
        assert_eq!(words("stripe-api.key"), ["STRIPE", "API", "KEY"]);
        assert_eq!(words("OAuth2Token"), ["OAUTH2", "TOKEN"]);
    }

    #[test]
    fn recognises_secret_names() {
        for name in [
            "DB_PASSWORD",
            "MONGO_INITDB_ROOT_PASSWORD",
            "dbPassword",
            "JWT_SECRET",
            "SECRET_KEY_BASE",
            "GITHUB_TOKEN",
            "STRIPE_API_KEY",
            "apiKey",
            "AWS_SECRET_ACCESS_KEY",
            "SMTP_PASS",
            "DB_PWD",
            "GOOGLE_CREDENTIALS",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in [
            "MONGODB_URL",
            "MONGO_INITDB_ROOT_PASSWORD_FILE",
            "DB_PASSWORD_ARN",
            "TOKEN_TTL",
            "PASSWORD_MIN_LENGTH",
            "AWS_ACCESS_KEY_ID",
            "PWD",
            "PASSENGER_COUNT",
            "CACHE_KEY",
            "NODE_ENV",
            "AUTH_TOKEN_HEADER",
        ] {
            assert!(!secret_name(name), "{name}");
        }
    }

    #[test]
    fn recognises_secret_values() {
        assert_eq!(secret_value("AKIAIOSFODNN7EXAMPLE"), Some(super::AWS_KEY));
        assert_eq!(
            secret_value("mongodb://app:hunter2@db:27017/goals"),
            Some("a URL with a password in it")
        );
        assert_eq!(
            secret_value("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345"),
            Some("an API token")
        );
        for value in [
            "localhost",
            "mongodb://localhost:27017/goals",
            "mongodb://app@db/goals",
            "postgres://app:${DB_PASSWORD}@db/shop",
            "https://example.com/a@b:c",
            "XAKIAIOSFODNN7EXAMPLE",
            "production",
        ] {
            assert_eq!(secret_value(value), None, "{value}");
        }
    }
}
