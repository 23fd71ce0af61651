use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{
    ActionType, ListenerProtocol, LoadBalancer, LoadBalancerType, Scheme,
};

const DOC: &str = r#"# http-without-https-redirect (A013)

## What it checks
An `HTTP` listener of an internet-facing application load balancer does not `forward` requests:
it redirects them to HTTPS. (Left out, a load balancer's `type` is `application`, its `scheme`
`internet-facing` and a listener's `protocol` `HTTP`, as AWS assumes.) Internal load balancers
and network load balancers are not checked.

## Why
Over plain HTTP, every request and response crosses the internet unencrypted: passwords, session
cookies and API tokens can be read and changed by anyone on the path. A listener that redirects
HTTP to HTTPS keeps old links and typed URLs working while all real traffic is encrypted.

The finding is informational: HTTPS needs a domain name of your own and a certificate for it
(AWS Certificate Manager does not issue certificates for the load balancer's own
`*.elb.amazonaws.com` name), so a demo or a first deployment may reasonably start on HTTP.

## Example
```yaml
listeners:
  - port: 80
    protocol: HTTP
    defaultActions:
      - {type: forward, targetGroup: goals-tg}
```

## How to fix
Add an HTTPS listener with a certificate and a current security policy, forward from it, and let
the HTTP listener redirect:
```yaml
listeners:
  - port: 443
    protocol: HTTPS
    sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
    certificates: [{certificateArn: arn:aws:acm:…}]
    defaultActions: [{type: forward, targetGroup: goals-tg}]
  - port: 80
    protocol: HTTP
    defaultActions:
      - type: redirect
        redirectConfig: {protocol: HTTPS, port: "443", statusCode: HTTP_301}
```

## References
- checkov `CKV2_AWS_20` (ALB redirects HTTP requests into HTTPS ones), `CKV_AWS_2`
- trivy `AVD-AWS-0054` (`aws-elb-http-not-used`)
- AWS Security Hub `ELB.1` (Application Load Balancer should be configured to redirect all HTTP
  requests to HTTPS)
- Elastic Load Balancing: redirect actions: <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html>
"#;

pub(crate) const RULE: Rule = Rule::new(&code::A013, DOC, check);

/// An application load balancer reachable from the internet (both are the AWS defaults).
fn is_public_alb(lb: &LoadBalancer) -> bool {
    lb.lb_type
        .as_ref()
        .is_none_or(|t| t.value == LoadBalancerType::Application)
        && lb
            .scheme
            .as_ref()
            .is_none_or(|s| s.value == Scheme::InternetFacing)
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for lb in cx
        .model
        .doc
        .load_balancers
        .iter()
        .filter(|lb| is_public_alb(lb))
    {
        let https_port = lb
            .listeners
            .iter()
            .find(|l| {
                l.protocol
                    .as_ref()
                    .is_some_and(|p| p.value == ListenerProtocol::Https)
            })
            .map(|l| l.port.value);
        for listener in &lb.listeners {
            if listener
                .protocol
                .as_ref()
                .is_some_and(|p| p.value != ListenerProtocol::Http)
            {
                continue;
            }
            let Some(forward) = listener
                .default_actions
                .iter()
                .find(|a| a.action_type.value == ActionType::Forward)
            else {
                continue;
            };
            let port = listener.port.value;
            let target = forward
                .target_group
                .as_ref()
                .map_or_else(String::new, |tg| format!(" to `{}`", tg.value));
            let protocol = listener.protocol.as_ref().map_or_else(
                || Label::new(Span::of(&listener.port), "no `protocol`: HTTP"),
                |p| Label::new(Span::of(p), "unencrypted"),
            );
            let help = match https_port {
                Some(https) => format!(
                    "make this listener redirect to the HTTPS listener: `{{type: redirect, redirectConfig: \
                     {{protocol: HTTPS, port: \"{https}\", statusCode: HTTP_301}}}}`"
                ),
                None => "add an HTTPS listener (port 443, an ACM certificate, `sslPolicy: \
                         ELBSecurityPolicy-TLS13-1-2-2021-06`) that forwards, and make this one \
                         `{type: redirect, redirectConfig: {protocol: HTTPS, port: \"443\", statusCode: HTTP_301}}`"
                    .to_owned(),
            };
            let mut d = CheckContext::diagnostic(
                &RULE,
                format!(
                    "internet-facing load balancer `{}` serves plain HTTP on port {port}",
                    lb.name.value
                ),
                Label::new(
                    Span::of(&forward.action_type),
                    format!("forwards unencrypted requests{target}"),
                ),
            )
            .with_secondary(protocol)
            .with_note("requests and responses, passwords and session cookies included, cross the internet in clear text");
            if https_port.is_none() {
                d = d.with_note("HTTPS needs a domain of your own: ACM issues no certificate for the load balancer's `*.elb.amazonaws.com` name");
            }
            out.push(d.with_help(help).about(&lb.name.value));
        }
    }
}
