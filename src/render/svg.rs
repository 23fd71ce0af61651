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
use std::ops::Range;

use crate::layout::{Bounds, Layout, Point, Rect};
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
    let tenths = (v * 10.0).round();
    // Written as whole numbers: a drawing has hundreds of thousands of these, and formatting a
    // float to a precision is several times slower. The same text as `{:.0}` / `{:.1}` of
    // `tenths / 10`, minus sign of a negative zero included.
    if tenths.is_finite() && tenths.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)]
        let t = tenths as i64;
        let sign = if t < 0 || (t == 0 && tenths.is_sign_negative()) {
            "-"
        } else {
            ""
        };
        let (whole, tenth) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
        return if tenth == 0 {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{tenth}")
        };
    }
    let r = tenths / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// The most dashes an ECS cluster's dashed outline (6 on, 4 off) is drawn with. A browser dashes
/// the whole outline each time it draws any part of it: the cluster of a 10,000-service overview
/// is 1.5 million units around, 150,000 dashes, and drawing any piece of the screen that shows it
/// took Chromium 25 ms.
const MOST_DASHES: f64 = 2000.0;

/// The `style` attribute that stretches the dash pattern of a `w` × `h` outline so that it has at
/// most [`MOST_DASHES`] dashes; empty for an outline that already does.
fn long_dash(w: f64, h: f64) -> String {
    let dashes = 2.0 * (w + h) / 10.0;
    if dashes.is_nan() || dashes <= MOST_DASHES {
        return String::new();
    }
    let k = (dashes / MOST_DASHES).ceil();
    format!(r#" style="stroke-dasharray:{} {}""#, n(6.0 * k), n(4.0 * k))
}

/// The class a node's group has after `node` (`node-actor`, …).
pub(crate) fn kind_class(kind: NodeKind) -> &'static str {
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
    draw(view, layout, overlay).svg
}

/// A drawing's SVG and where each node and edge is in it: a page that shows a big drawing a
/// piece at a time (`render::html`) cuts it there.
#[derive(Clone, Debug, Default)]
pub struct Drawing {
    pub svg: String,
    /// In the order they come in `svg`: the edges, then the nodes.
    pub parts: Vec<Part>,
}

impl From<String> for Drawing {
    /// A drawing known only as its text: it cannot be cut.
    fn from(svg: String) -> Self {
        Self {
            svg,
            parts: Vec::new(),
        }
    }
}

/// One node's or edge's group in a [`Drawing`].
#[derive(Clone, Debug)]
pub struct Part {
    pub kind: PartKind,
    /// The index in `View::nodes` or `View::edges` (the `i` of `af-n{i}`, `af-e{i}`).
    pub index: usize,
    /// The group's text in the SVG (one line, with its newline).
    pub text: Range<usize>,
    /// An edge's path data in the SVG (empty for a node).
    pub path: Range<usize>,
    /// A node's box; for an edge, what its line, arrowhead and label cover.
    pub bounds: Rect,
    /// An edge's label's box.
    pub label: Option<Rect>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartKind {
    Edge(EdgeKind),
    Node(NodeKind),
}

/// [`render`], keeping where each node and edge is ([`Drawing`]).
#[must_use]
pub fn drawing(view: &View, layout: &Layout) -> Drawing {
    draw(view, layout, &Overlay::default())
}

/// The class an edge's group has after `edge` (`edge-route`, …).
pub(crate) fn edge_class(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Route => "route",
        EdgeKind::Connect => "connect",
        EdgeKind::Mount => "mount",
        EdgeKind::DependsOn => "depends-on",
    }
}

fn draw(view: &View, layout: &Layout, overlay: &Overlay) -> Drawing {
    let mut parts = Vec::with_capacity(view.nodes.len() + view.edges.len());
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
        let dash = if c.kind == ClusterKind::Cluster {
            long_dash(r.w, r.h)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            r#"<g class="cluster cluster-{kind}" id="af-c{i}"><rect x="{}" y="{}" width="{}" height="{}" rx="10"{dash}/></g>"#,
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
        let kind = edge_class(e.kind);
        let start = out.len();
        let _ = write!(
            out,
            r#"<g class="edge edge-{kind}" id="af-e{i}" data-from="{}" data-to="{}"><path d=""#,
            xml_text(&e.from),
            xml_text(&e.to),
        );
        let path_start = out.len();
        out.push_str(&path_data(&route.points));
        let path = path_start..out.len();
        out.push('"');
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
        // The arrowhead reaches 7 units past the line's end, the stroke 2 beside it.
        let mut bounds = Bounds::default();
        for p in &route.points {
            bounds.rect(&Rect {
                x: p.x - 8.0,
                y: p.y - 8.0,
                w: 16.0,
                h: 16.0,
            });
        }
        let label = e.label.as_ref().and(route.label);
        if let Some(r) = &label {
            bounds.rect(r);
        }
        parts.push(Part {
            kind: PartKind::Edge(e.kind),
            index: i,
            text: start..out.len(),
            path,
            bounds: bounds.to_rect(),
            label,
        });
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
        let start = out.len();
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
        parts.push(Part {
            kind: PartKind::Node(node.kind),
            index: i,
            text: start..out.len(),
            path: 0..0,
            bounds: *r,
            label: None,
        });
    }
    out.push_str(&overlay.body);
    out.push_str("</svg>\n");
    Drawing { svg: out, parts }
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
    let rect = |rx: f64| {
        format!(
            r#"<rect class="shape" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
            n(x),
            n(y),
            n(w),
            n(h),
            n(rx)
        )
    };
    match kind {
        NodeKind::Actor | NodeKind::Listener | NodeKind::TargetGroup | NodeKind::Container => {
            rect(corner(kind, r))
        }
        NodeKind::LoadBalancer | NodeKind::FileSystem => {
            format!(r#"<path class="shape" d="{}"/>"#, outline(kind, r))
        }
        NodeKind::Database => {
            let e = 6.0;
            format!(
                r#"<path class="shape" d="{}"/><path class="shape" d="M{x0},{y0} A{rx},{e} 0 0 0 {x1},{y0}" fill="none"/>"#,
                outline(kind, r),
                x0 = n(x),
                x1 = n(x + w),
                y0 = n(y + e),
                rx = n(w / 2.0),
                e = n(e)
            )
        }
        NodeKind::Volume => {
            let k = 8.0;
            format!(
                r#"<path class="shape" d="{}"/><path class="shape" d="M{},{} L{},{} L{},{}" fill="none"/>"#,
                outline(kind, r),
                n(x + w - k),
                n(y),
                n(x + w - k),
                n(y + k),
                n(x + w),
                n(y + k)
            )
        }
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

/// The corner radius of a node drawn as a rounded rectangle.
fn corner(kind: NodeKind, r: &Rect) -> f64 {
    match kind {
        NodeKind::Actor => r.h / 2.0,
        NodeKind::Listener | NodeKind::TargetGroup => 3.0,
        NodeKind::Service => 6.0,
        _ => 8.0,
    }
}

/// The path data of the outline that [`shape`] fills (without its inner lines): a drawing of
/// many nodes sketches all of one kind as one path.
pub(crate) fn outline(kind: NodeKind, r: &Rect) -> String {
    let (x, y, w, h) = (r.x, r.y, r.w, r.h);
    match kind {
        NodeKind::LoadBalancer => {
            let k = 14.0;
            format!(
                "M{},{} L{},{} L{},{} L{},{} L{},{} L{},{} Z",
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
                "M{x0},{y0} A{rx},{e} 0 0 1 {x1},{y0} L{x1},{y1} A{rx},{e} 0 0 1 {x0},{y1} Z",
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
                "M{},{} L{},{} L{},{} L{},{} L{},{} L{},{} Z",
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
                "M{},{} L{},{} L{},{} L{},{} L{},{} Z",
                n(x),
                n(y),
                n(x + w - k),
                n(y),
                n(x + w),
                n(y + k),
                n(x + w),
                n(y + h),
                n(x),
                n(y + h)
            )
        }
        _ => {
            let c = corner(kind, r).min(w / 2.0).min(h / 2.0);
            format!(
                "M{},{} H{} A{c},{c} 0 0 1 {},{} V{} A{c},{c} 0 0 1 {},{} H{} A{c},{c} 0 0 1 {},{} V{} A{c},{c} 0 0 1 {},{} Z",
                n(x + c),
                n(y),
                n(x + w - c),
                n(x + w),
                n(y + c),
                n(y + h - c),
                n(x + w - c),
                n(y + h),
                n(x + c),
                n(x),
                n(y + h - c),
                n(y + c),
                n(x + c),
                n(y),
                c = n(c)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    /// The old way of writing a number, kept to compare with.
    fn by_float_formatting(v: f64) -> String {
        let r = (v * 10.0).round() / 10.0;
        if r.fract() == 0.0 {
            format!("{r:.0}")
        } else {
            format!("{r:.1}")
        }
    }

    /// A small cluster keeps the stylesheet's dashes; a long one gets longer dashes, at most
    /// `MOST_DASHES` of them around.
    #[test]
    fn long_outlines_have_longer_dashes() {
        assert_eq!(super::long_dash(1550.0, 190.0), "");
        assert_eq!(super::long_dash(5000.0, 4000.0), "");
        assert_eq!(
            super::long_dash(549_416.0, 193_402.0),
            r#" style="stroke-dasharray:450 300""#
        );
        for (w, h) in [(10_001.0, 1.0), (60_000.0, 20_000.0), (1e7, 1e6)] {
            let style = super::long_dash(w, h);
            let on: f64 = style
                .trim_start_matches(r#" style="stroke-dasharray:"#)
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let dashes = 2.0 * (w + h) / (on / 6.0 * 10.0);
            assert!(dashes <= super::MOST_DASHES, "{w}×{h}: {style}");
        }
        assert_eq!(super::long_dash(f64::NAN, 1.0), "");
    }

    /// `n` writes the same text as formatting the float to one decimal, for coordinates of every
    /// size and sign, halves, negative zero and numbers too big for whole-number arithmetic.
    #[test]
    fn numbers_are_written_as_float_formatting_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            -0.04,
            0.04,
            0.05,
            -0.05,
            0.15,
            0.25,
            -0.25,
            1.0,
            12.34,
            -12.35,
            99.95,
            123_456.789,
            -7.0,
            1e14,
            9.99e14,
            1e15,
            -1e16,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ];
        // A spread of coordinates as a layout makes them.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            #[allow(clippy::cast_precision_loss)]
            let v = (x % 2_000_000_000) as f64 / 1000.0 - 1_000_000.0;
            values.push(v);
            values.push(v / 997.0);
        }
        for v in values {
            assert_eq!(super::n(v), by_float_formatting(v), "{v:e}");
        }
    }
}
