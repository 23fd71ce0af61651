//! A flow played on the SVG (`render --format svg --flow NAME --animate`): the flow's hops light
//! up one after the other, with CSS animation only (`@keyframes`, a per-hop `animation-delay`),
//! so it plays where scripts never run: a README's `<img>`, GitHub included. It loops.
//!
//! Each hop is drawn over the diagram: its edges in the highlight colour (reversed and dashed
//! when the hop answers an earlier one), a ring around the components it touches, a numbered
//! badge on its longest edge, and a caption under the diagram saying what happens. With
//! `prefers-reduced-motion: reduce` nothing moves: every hop is shown at once, numbered, and the
//! caption names the flow. Badges of hops sharing an edge sit at different places along it.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::layout::{Layout, Point};
use crate::render::svg::{Overlay, n, render_with};
use crate::text::xml_text;
use crate::view::{FlowView, View};

/// Seconds each hop stays lit.
pub const HOP_SECONDS: f64 = 1.6;
/// Seconds with nothing lit before the flow starts again.
const PAUSE_SECONDS: f64 = 1.2;
/// Height of the caption strip under the diagram.
const FOOTER: f64 = 34.0;
/// Where along an edge the badges of the first, second, … hop using it sit.
const BADGE_AT: [f64; 5] = [0.3, 0.7, 0.15, 0.85, 0.5];

/// The SVG of `view` with `flow` played on it.
#[must_use]
pub fn render(view: &View, layout: &Layout, flow: &FlowView) -> String {
    let count = flow.steps.len();
    #[allow(clippy::cast_precision_loss)]
    let total = HOP_SECONDS * count as f64 + PAUSE_SECONDS;
    let slot = HOP_SECONDS / total * 100.0;
    let mut style = String::new();
    let _ = write!(
        style,
        ".archflow .af-hop{{opacity:0;animation:af-play {total}s linear infinite}}\n\
         @keyframes af-play{{0%,{a}%{{opacity:1}}{b}%,100%{{opacity:0}}}}\n\
         .archflow .af-hop .af-path{{fill:none;stroke:var(--af-lit);stroke-width:3.5}}\n\
         .archflow .af-hop .af-reply{{stroke-dasharray:7 4}}\n\
         .archflow .af-ring{{fill:none;stroke:var(--af-lit);stroke-width:3}}\n\
         .archflow .af-badge circle{{fill:var(--af-lit)}}\n\
         .archflow .af-badge text{{fill:var(--af-bg);font-size:11px;font-weight:700}}\n\
         .archflow .af-caption{{font-size:13px}}\n\
         .archflow .af-still{{display:none}}\n\
         @media (prefers-reduced-motion: reduce){{.archflow .af-hop{{animation:none;opacity:1}}\
         .archflow .af-hop .af-caption{{display:none}}.archflow .af-still{{display:inline}}}}\n",
        total = n(total),
        a = n3(slot - 0.001),
        b = n3(slot)
    );
    let mut body = String::from(
        r#"<defs><marker id="af-arrow-lit" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" style="fill:var(--af-lit)"/></marker></defs>"#,
    );
    body.push('\n');
    let label = |name: &str| {
        view.nodes
            .iter()
            .find(|node| node.id == name)
            .map_or(name, |node| node.label.as_str())
            .to_owned()
    };
    let caption_y = layout.height + FOOTER / 2.0 + 5.0;
    // About 7 units a character at 13 px.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let room = ((layout.width - 24.0) / 7.0).max(12.0) as usize;
    let _ = writeln!(
        body,
        r#"<text class="af-caption af-still" x="12" y="{}">{}</text>"#,
        n(caption_y),
        xml_text(&fit(
            &format!("{}: steps 1–{count}", flow.title.trim()),
            room
        ))
    );
    let mut callers: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut uses: HashMap<usize, usize> = HashMap::new();
    // Badges and captions go over every hop's lines: a later hop's arrowhead never hides a badge.
    let mut labels = String::new();
    for (k, step) in flow.steps.iter().enumerate() {
        let reply = !step.is_async && callers.contains(&(step.to.as_str(), step.from.as_str()));
        if !reply && !step.is_async {
            callers.insert((step.from.as_str(), step.to.as_str()));
        }
        #[allow(clippy::cast_precision_loss)]
        let delay = HOP_SECONDS * k as f64;
        let _ = write!(
            body,
            r#"<g class="af-hop" id="af-hop{}" style="animation-delay:{}s">"#,
            k + 1,
            n(delay)
        );
        for &i in &step.nodes {
            if let Some(r) = layout.nodes.get(i) {
                let _ = write!(
                    body,
                    r#"<rect class="af-ring" x="{}" y="{}" width="{}" height="{}" rx="8"/>"#,
                    n(r.x - 3.0),
                    n(r.y - 3.0),
                    n(r.w + 6.0),
                    n(r.h + 6.0)
                );
            }
        }
        let mut longest: Option<(usize, f64)> = None;
        for &i in &step.edges {
            let Some(route) = layout.edges.get(i).filter(|r| r.points.len() >= 2) else {
                continue;
            };
            let mut points = route.points.clone();
            if reply {
                points.reverse();
            }
            let class = if reply { "af-path af-reply" } else { "af-path" };
            let _ = write!(
                body,
                r#"<path class="{class}" d="{}" marker-end="url(#af-arrow-lit)"/>"#,
                path_data(&points)
            );
            let length = length(&route.points);
            if longest.is_none_or(|(_, l)| length > l) {
                longest = Some((i, length));
            }
        }
        let badge = match longest {
            Some((i, _)) => {
                let earlier = uses.entry(i).or_insert(0);
                let at = BADGE_AT[*earlier % BADGE_AT.len()];
                *earlier += 1;
                layout.edges.get(i).map(|r| along(&r.points, at))
            }
            // No configured route: the badge sits on the receiving component.
            None => step
                .nodes
                .last()
                .and_then(|&i| layout.nodes.get(i))
                .map(|r| Point {
                    x: r.x + r.w,
                    y: r.y,
                }),
        };
        body.push_str("</g>\n");
        let _ = write!(
            labels,
            r#"<g class="af-hop" style="animation-delay:{}s">"#,
            n(delay)
        );
        if let Some(p) = badge {
            let _ = write!(
                labels,
                r#"<g class="af-badge"><circle cx="{x}" cy="{y}" r="9"/><text x="{x}" y="{ty}" text-anchor="middle">{}</text></g>"#,
                k + 1,
                x = n(p.x),
                y = n(p.y),
                ty = n(p.y + 4.0)
            );
        }
        let mut caption = format!(
            "{}/{count}  {} → {}",
            k + 1,
            label(&step.from),
            label(&step.to)
        );
        let message = step.message();
        if !message.is_empty() && message != "…" {
            let _ = write!(caption, ": {message}");
        }
        let _ = writeln!(
            labels,
            r#"<text class="af-caption" x="12" y="{}">{}</text></g>"#,
            n(caption_y),
            xml_text(&fit(&caption, room))
        );
    }
    body.push_str(&labels);
    render_with(
        view,
        layout,
        &Overlay {
            style,
            body,
            footer: FOOTER,
        },
    )
}

/// Percentages with three decimals (a hop switches off within a thousandth of the loop).
fn n3(v: f64) -> String {
    format!("{v:.3}")
}

/// `text` on one line, cut to `room` characters with `…`.
fn fit(text: &str, room: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= room {
        return text;
    }
    let mut cut: String = text.chars().take(room.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn path_data(points: &[Point]) -> String {
    let mut d = String::new();
    for (k, p) in points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{},{}",
            if k == 0 { "M" } else { " L" },
            n(p.x),
            n(p.y)
        );
    }
    d
}

fn length(points: &[Point]) -> f64 {
    points
        .windows(2)
        .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
        .sum()
}

/// The point `at` (0 to 1) of the way along the polyline.
fn along(points: &[Point], at: f64) -> Point {
    let mut left = length(points) * at;
    for w in points.windows(2) {
        let l = (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
        if l > 0.0 && left <= l {
            let t = left / l;
            return Point {
                x: w[0].x + (w[1].x - w[0].x) * t,
                y: w[0].y + (w[1].y - w[0].y) * t,
            };
        }
        left -= l;
    }
    points.last().copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{Point, along, fit};

    #[test]
    fn badges_sit_along_the_polyline_and_captions_fit() {
        let points = [
            Point { x: 0.0, y: 0.0 },
            Point { x: 10.0, y: 0.0 },
            Point { x: 10.0, y: 10.0 },
        ];
        let p = along(&points, 0.75);
        assert!(
            (p.x - 10.0).abs() < 1e-9 && (p.y - 5.0).abs() < 1e-9,
            "{p:?}"
        );
        assert_eq!(fit("a  b\nc", 10), "a b c");
        assert_eq!(fit("abcdef", 4), "abc…");
    }
}
