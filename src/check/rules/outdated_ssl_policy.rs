use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::ListenerProtocol;

const DOC: &str = r"# outdated-ssl-policy (A014)

## What it checks
Every `HTTPS` or `TLS` listener names a security policy (`sslPolicy`) that accepts TLS 1.2 or
newer only. Policies that still accept TLS 1.0 or 1.1 are reported: `ELBSecurityPolicy-2016-08`,
`-2015-05`, `-TLS-1-0-2015-04`, `-TLS-1-1-2017-01`, `-FS-2018-06`, `-FS-1-1-2019-08`,
`-TLS13-1-0-2021-06`, `-TLS13-1-1-2021-06` and the like. A listener without `sslPolicy` is
reported too: the API and CloudFormation then apply `ELBSecurityPolicy-2016-08`, which accepts
TLS 1.0. Policy names archflow does not recognise are left alone.

## Why
TLS 1.0 and 1.1 are deprecated (RFC 8996): they lack modern cipher suites and allow downgrade
attacks, and PCI DSS forbids them. Every current browser and HTTP client speaks TLS 1.2, so
turning the old versions off costs nothing but clients that are a decade out of date.

## Example
```yaml
- port: 443
  protocol: HTTPS
  sslPolicy: ELBSecurityPolicy-2016-08
  certificates: [{certificateArn: arn:aws:acm:…}]
```

## How to fix
Use `sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06` (TLS 1.3 and 1.2, AWS's recommended
policy), or `ELBSecurityPolicy-TLS13-1-2-Res-2021-06` to also drop the older TLS 1.2 ciphers.
The change applies to new connections without downtime.

## References
- checkov `CKV_AWS_103` (load balancer listener uses TLS v1.2)
- trivy `AVD-AWS-0047` (`aws-elb-use-secure-tls-policy`)
- AWS Config rule `elbv2-predefined-security-policy-ssl-check`
- Security policies for your Application Load Balancer: <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html>
- RFC 8996, Deprecating TLS 1.0 and TLS 1.1: <https://www.rfc-editor.org/rfc/rfc8996>
";

pub(crate) const RULE: Rule = Rule::new(&code::A014, DOC, check);

/// What ELB applies to an HTTPS or TLS listener created without `SslPolicy` through the API.
const API_DEFAULT: &str = "ELBSecurityPolicy-2016-08";
const RECOMMENDED: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// The oldest TLS 1.x version a predefined ELB security policy accepts (`0` for TLS 1.0), read
/// from its name; `None` for names that follow no known pattern.
fn oldest_tls_minor(policy: &str) -> Option<u8> {
    let rest = policy.strip_prefix("ELBSecurityPolicy-")?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        // ELBSecurityPolicy-2016-08, -2015-05, …: TLS 1.0 and up.
        return Some(0);
    }
    let versioned = ["TLS13-", "TLS-", "FS-"]
        .iter()
        .find_map(|prefix| rest.strip_prefix(prefix))?;
    if let Some(minor) = versioned.strip_prefix("1-") {
        let digit = minor.bytes().next().filter(u8::is_ascii_digit)?;
        return (minor.as_bytes().get(1) == Some(&b'-')).then_some(digit - b'0');
    }
    // ELBSecurityPolicy-FS-2018-06: forward secrecy, TLS 1.0 and up.
    versioned
        .starts_with(|c: char| c.is_ascii_digit())
        .then_some(0)
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for lb in &cx.model.doc.load_balancers {
        for listener in &lb.listeners {
            let Some(protocol) = listener
                .protocol
                .as_ref()
                .filter(|p| matches!(p.value, ListenerProtocol::Https | ListenerProtocol::Tls))
            else {
                continue;
            };
            let kind = if protocol.value == ListenerProtocol::Https {
                "HTTPS"
            } else {
                "TLS"
            };
            let port = listener.port.value;
            let lb_name = &lb.name.value;
            let d = match &listener.ssl_policy {
                None => CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "{kind} listener on port {port} of `{lb_name}` has no `sslPolicy`: the default accepts TLS 1.0"
                    ),
                    Label::new(Span::of(protocol), "no `sslPolicy`"),
                )
                .with_note(format!(
                    "created through the API or CloudFormation, the listener gets `{API_DEFAULT}`, which accepts TLS 1.0 and 1.1"
                )),
                Some(policy) => {
                    let Some(minor) = oldest_tls_minor(&policy.value).filter(|&m| m < 2) else {
                        continue;
                    };
                    CheckContext::diagnostic(
                        &RULE,
                        format!(
                            "{kind} listener on port {port} of `{lb_name}` accepts TLS 1.{minor}"
                        ),
                        Label::new(Span::of(policy), format!("accepts TLS 1.{minor} and up")),
                    )
                    .with_note("TLS 1.0 and 1.1 are deprecated (RFC 8996) and not allowed by PCI DSS")
                }
            };
            out.push(
                d.with_help(format!(
                    "set `sslPolicy: {RECOMMENDED}` (TLS 1.3 and 1.2, AWS's recommended policy)"
                ))
                .about(lb_name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::oldest_tls_minor;

    #[test]
    fn reads_the_oldest_tls_version_from_policy_names() {
        for (policy, minor) in [
            ("ELBSecurityPolicy-2016-08", Some(0)),
            ("ELBSecurityPolicy-2015-05", Some(0)),
            ("ELBSecurityPolicy-TLS-1-0-2015-04", Some(0)),
            ("ELBSecurityPolicy-TLS-1-1-2017-01", Some(1)),
            ("ELBSecurityPolicy-TLS-1-2-2017-01", Some(2)),
            ("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", Some(2)),
            ("ELBSecurityPolicy-FS-2018-06", Some(0)),
            ("ELBSecurityPolicy-FS-1-1-2019-08", Some(1)),
            ("ELBSecurityPolicy-FS-1-2-Res-2020-10", Some(2)),
            ("ELBSecurityPolicy-TLS13-1-0-2021-06", Some(0)),
            ("ELBSecurityPolicy-TLS13-1-1-2021-06", Some(1)),
            ("ELBSecurityPolicy-TLS13-1-2-2021-06", Some(2)),
            ("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", Some(2)),
            ("ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", Some(2)),
            ("ELBSecurityPolicy-TLS13-1-3-2021-06", Some(3)),
            ("ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", Some(2)),
            ("my-policy", None),
            ("ELBSecurityPolicy-Custom", None),
        ] {
            assert_eq!(oldest_tls_minor(policy), minor, "{policy}");
        }
    }
}
