//! SVG drawn from a [`Layout`], with no Graphviz.
//!
//! Element contract (the HTML explainer's script and styles rely on it):
//! - clusters: `<g class="cluster cluster-{kind}" id="af-c{i}">`, `i` the index in `View::clusters`;
//! - edges: `<g class="edge edge-{kind}" id="af-e{i}" data-from="…" data-to="…">`, `i` the index in
//!   `View::edges` (what `StepView::edges` holds);
//! - nodes: `<g class="node node-{kind}" id="af-n{i}" data-name="…">`, `i` the index in
//!   `View::nodes` (what `StepView::nodes` holds);
//! - a `lit` class on a node or edge group highlights it (styled by the SVG's own `<style>`).
//!
//! Colours are CSS variables with a dark variant under `prefers-color-scheme: dark`; the font
//! stack is named explicitly. All user text is escaped by [`xml_text`].

use std::fmt::Write as _;

use crate::layout::{Layout, Point, Rect};
use crate::text::xml_text;
use crate::view::{ClusterKind, EdgeKind, NodeKind, View};

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', sans-serif";

const STYLE: &str = r"
.archflow{--af-bg:#ffffff;--af-fg:#1f2933;--af-muted:#52606d;--af-line:#7b8794;--af-node:#ffffff;--af-node-line:#3e4c59;
--af-actor:#fff3c4;--af-lb:#d6e9ff;--af-route:#e8f2ff;--af-db:#dcf5e3;--af-fs:#c9efd5;--af-vol:#eefaf1;--af-mount:#2f8f4e;
--af-cluster:#f5f7fa;--af-task:#eef1f5;--af-cluster-line:#9aa5b1;--af-lit:#d9480f;--af-label-bg:#ffffff}
@media (prefers-color-scheme: dark){.archflow{--af-bg:#15191e;--af-fg:#e4e7eb;--af-muted:#9aa5b1;--af-line:#9aa5b1;--af-node:#1f262e;
--af-node-line:#9aa5b1;--af-actor:#4d3d0f;--af-lb:#12344f;--af-route:#18324a;--af-db:#163b26;--af-fs:#1c4a30;--af-vol:#17301f;
--af-mount:#5fc787;--af-cluster:#1b2128;--af-task:#212931;--af-cluster-line:#52606d;--af-lit:#ff8a4c;--af-label-bg:#15191e}}
.archflow{font-family:var(--af-font);color:var(--af-fg)}
.archflow .bg{fill:var(--af-bg)}
.archflow text{fill:var(--af-fg);font-family:var(--af-font)}
.archflow .detail{fill:var(--af-muted);font-size:10px}
.archflow .name{font-size:12px;font-weight:600}
.archflow .cluster rect{fill:var(--af-cluster);stroke:var(--af-cluster-line);stroke-width:1}
.archflow .cluster-cluster rect{fill:none;stroke-dasharray:6 4}
.archflow .cluster-task rect{fill:var(--af-task)}
.archflow .titles text{paint-order:stroke;stroke:var(--af-cluster);stroke-width:4px;stroke-linejoin:round}
.archflow .titles .title{font-size:13px;font-weight:600}
.archflow .titles .detail{fill:var(--af-muted);font-size:10px}
.archflow .node .shape{fill:var(--af-node);stroke:var(--af-node-line);stroke-width:1.2}
.archflow .node-actor .shape{fill:var(--af-actor)}
.archflow .node-load-balancer .shape{fill:var(--af-lb)}
.archflow .node-listener .shape,.archflow .node-target-group .shape{fill:var(--af-route)}
.archflow .node-database .shape{fill:var(--af-db)}
.archflow .node-file-system .shape{fill:var(--af-fs)}
.archflow .node-volume .shape{fill:var(--af-vol)}
.archflow .edge path{fill:none;stroke:var(--af-line);stroke-width:1.4}
.archflow .edge-depends-on path{stroke-dasharray:5 4}
.archflow .edge-mount path{stroke:var(--af-mount);stroke-width:2}
.archflow .edge .label-bg{fill:var(--af-label-bg);opacity:.85}
.archflow .edge text{font-size:10px;fill:var(--af-muted)}
.archflow .arrow{fill:var(--af-line)}
.archflow .lit .shape{stroke:var(--af-lit);stroke-width:3}
.archflow .edge.lit path{stroke:var(--af-lit);stroke-width:3}
.archflow .edge.lit text{fill:var(--af-lit)}
";

/// Numbers with at most one decimal, no trailing `.0`: small, stable output.
pub(crate) fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

fn kind_class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Actor => "actor",
        NodeKind::LoadBalancer => "load-balancer",
        NodeKind::Listener => "listener",
        NodeKind::TargetGroup => "target-group",
        NodeKind::Container => "container",
        NodeKind::Database => "database",
        NodeKind::Volume => "volume",
        NodeKind::FileSystem => "file-system",
        NodeKind::Service => "service-box",
    }
}

/// A standalone SVG document of the view.
#[must_use]
pub fn render(view: &View, layout: &Layout) -> String {
    render_with(view, layout, &Overlay::default())
}

/// What a drawing adds over the diagram (an animated flow, `render::animate`): style rules,
/// elements drawn last, and a strip of `footer` units below the diagram. Archflow's own markup;
/// user text in it is escaped by its author.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    pub style: String,
    pub body: String,
    pub footer: f64,
}

/// [`render`] with `overlay` added.
#[must_use]
pub fn render_with(view: &View, layout: &Layout, overlay: &Overlay) -> String {
    let mut out = String::new();
    let (w, h) = (n(layout.width), n(layout.height + overlay.footer));
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="archflow" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="af-title" style="--af-font:{font}">"#,
        font = xml_text(FONT)
    );
    let _ = writeln!(
        out,
        r#"<title id="af-title">{}</title>"#,
        xml_text(&view.title)
    );
    let _ = writeln!(out, "<style>{STYLE}{}</style>", overlay.style);
    out.push_str(r#"<defs><marker id="af-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>"#);
    out.push('\n');
    let _ = writeln!(
        out,
        r#"<rect class="bg" x="0" y="0" width="{w}" height="{h}"/>"#
    );

    for (i, (c, r)) in view.clusters.iter().zip(&layout.clusters).enumerate() {
        let kind = match c.kind {
            ClusterKind::Cluster => "cluster",
            ClusterKind::Service => "service",
            ClusterKind::Task => "task",
        };
        let _ = writeln!(
            out,
            r#"<g class="cluster cluster-{kind}" id="af-c{i}"><rect x="{}" y="{}" width="{}" height="{}" rx="10"/></g>"#,
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h)
        );
    }

    for (i, (e, route)) in view.edges.iter().zip(&layout.edges).enumerate() {
        if route.points.len() < 2 {
            continue;
        }
        let kind = match e.kind {
            EdgeKind::Route => "route",
            EdgeKind::Connect => "connect",
            EdgeKind::Mount => "mount",
            EdgeKind::DependsOn => "depends-on",
        };
        let _ = write!(
            out,
            r#"<g class="edge edge-{kind}" id="af-e{i}" data-from="{}" data-to="{}"><path d="{}""#,
            xml_text(&e.from),
            xml_text(&e.to),
            path_data(&route.points)
        );
        if e.kind != EdgeKind::Mount {
            out.push_str(r#" marker-end="url(#af-arrow)""#);
        }
        out.push_str("/>");
        if let (Some(label), Some(r)) = (&e.label, &route.label) {
            let _ = write!(
                out,
                r#"<rect class="label-bg" x="{}" y="{}" width="{}" height="{}" rx="2"/><text x="{}" y="{}">{}</text>"#,
                n(r.x),
                n(r.y),
                n(r.w),
                n(r.h),
                n(r.x + 3.0),
                n(r.y + r.h - 3.0),
                xml_text(label)
            );
        }
        out.push_str("</g>\n");
    }

    // Cluster titles go over the edges (with a halo), so a route into a box never hides them.
    out.push_str(r#"<g class="titles">"#);
    for (c, r) in view.clusters.iter().zip(&layout.clusters) {
        let _ = write!(
            out,
            r#"<text class="title" x="{}" y="{}">{}</text>"#,
            n(r.x + 12.0),
            n(r.y + 17.0),
            xml_text(&c.label)
        );
        if let Some(d) = &c.detail {
            let _ = write!(
                out,
                r#"<text class="detail" x="{}" y="{}">{}</text>"#,
                n(r.x + 12.0),
                n(r.y + 29.0),
                xml_text(d)
            );
        }
    }
    out.push_str("</g>\n");

    for (i, (node, r)) in view.nodes.iter().zip(&layout.nodes).enumerate() {
        let _ = write!(
            out,
            r#"<g class="node node-{}" id="af-n{i}" data-name="{}">"#,
            kind_class(node.kind),
            xml_text(&node.id)
        );
        out.push_str(&shape(node.kind, r));
        let cx = r.x + r.w / 2.0;
        let (name_y, detail_y) = match (node.kind, node.detail.is_some()) {
            (NodeKind::Database, true) => (r.y + r.h / 2.0 + 2.0, r.y + r.h / 2.0 + 16.0),
            (NodeKind::Database, false) => (r.y + r.h / 2.0 + 8.0, 0.0),
            (_, true) => (r.y + r.h / 2.0 - 3.0, r.y + r.h / 2.0 + 11.0),
            (_, false) => (r.y + r.h / 2.0 + 4.0, 0.0),
        };
        let _ = write!(
            out,
            r#"<text class="name" x="{}" y="{}" text-anchor="middle">{}</text>"#,
            n(cx),
            n(name_y),
            xml_text(&node.label)
        );
        if let Some(d) = &node.detail {
            let _ = write!(
                out,
                r#"<text class="detail" x="{}" y="{}" text-anchor="middle">{}</text>"#,
                n(cx),
                n(detail_y),
                xml_text(d)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str(&overlay.body);
    out.push_str("</svg>\n");
    out
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

/// The outline of a node of `kind` filling `r`.
pub(crate) fn shape(kind: NodeKind, r: &Rect) -> String {
    let (x, y, w, h) = (r.x, r.y, r.w, r.h);
    match kind {
        NodeKind::Actor => format!(
            r#"<rect class="shape" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
            n(x),
            n(y),
            n(w),
            n(h),
            n(h / 2.0)
        ),
        NodeKind::LoadBalancer => {
            let k = 14.0;
            format!(
                r#"<path class="shape" d="M{},{} L{},{} L{},{} L{},{} L{},{} L{},{} Z"/>"#,
                n(x + k),
                n(y),
                n(x + w - k),
                n(y),
                n(x + w),
                n(y + h / 2.0),
                n(x + w - k),
                n(y + h),
                n(x + k),
                n(y + h),
                n(x),
                n(y + h / 2.0)
            )
        }
        NodeKind::Database => {
            let e = 6.0;
            format!(
                r#"<path class="shape" d="M{x0},{y0} A{rx},{e} 0 0 1 {x1},{y0} L{x1},{y1} A{rx},{e} 0 0 1 {x0},{y1} Z"/><path class="shape" d="M{x0},{y0} A{rx},{e} 0 0 0 {x1},{y0}" fill="none"/>"#,
                x0 = n(x),
                x1 = n(x + w),
                y0 = n(y + e),
                y1 = n(y + h - e),
                rx = n(w / 2.0),
                e = n(e)
            )
        }
        NodeKind::FileSystem => {
            let tab = (w * 0.3).min(40.0);
            format!(
                r#"<path class="shape" d="M{},{} L{},{} L{},{} L{},{} L{},{} L{},{} Z"/>"#,
                n(x),
                n(y),
                n(x + tab),
                n(y),
                n(x + tab + 6.0),
                n(y + 6.0),
                n(x + w),
                n(y + 6.0),
                n(x + w),
                n(y + h),
                n(x),
                n(y + h)
            )
        }
        NodeKind::Volume => {
            let k = 8.0;
            format!(
                r#"<path class="shape" d="M{},{} L{},{} L{},{} L{},{} L{},{} Z"/><path class="shape" d="M{},{} L{},{} L{},{}" fill="none"/>"#,
                n(x),
                n(y),
                n(x + w - k),
                n(y),
                n(x + w),
                n(y + k),
                n(x + w),
                n(y + h),
                n(x),
                n(y + h),
                n(x + w - k),
                n(y),
                n(x + w - k),
                n(y + k),
                n(x + w),
                n(y + k)
            )
        }
        NodeKind::Listener | NodeKind::TargetGroup => format!(
            r#"<rect class="shape" x="{}" y="{}" width="{}" height="{}" rx="3"/>"#,
            n(x),
            n(y),
            n(w),
            n(h)
        ),
        NodeKind::Container => format!(
            r#"<rect class="shape" x="{}" y="{}" width="{}" height="{}" rx="8"/>"#,
            n(x),
            n(y),
            n(w),
            n(h)
        ),
        // A service collapsed into one box: drawn like the service's own box, with a heavier
        // border (inline, so that diagrams without one keep their style sheet).
        NodeKind::Service => format!(
            r#"<rect class="shape" x="{}" y="{}" width="{}" height="{}" rx="6" style="fill:var(--af-cluster);stroke-width:2"/>"#,
            n(x),
            n(y),
            n(w),
            n(h)
        ),
    }
}
