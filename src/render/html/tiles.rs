//! A big drawing on the page, drawn a piece at a time.
//!
//! A browser lays out, styles and paints every element of an inline SVG as the page loads: the
//! overview of 1,000 services (12,000 elements) took about 1 s of a page's load in Chromium, and
//! that of 10,000 services most of 20 s. Yet a reader sees a screenful of it at a readable
//! scale, and when zoomed out far enough to see more, cannot read its text anyway.
//!
//! So a drawing of [`TILED_FROM`] nodes and edges or more goes on the page as:
//! - a **shell**: the drawing without its nodes and edges (its style, clusters and their titles),
//!   with a **sketch** of them (one path per kind of edge and of node in each square of
//!   [`SKETCH`] tiles, no text) and two empty layers (`af-tiles-edges`, `af-tiles-nodes`) where
//!   they go, in the drawing's own order;
//! - **tiles**: its nodes and edges grouped by where they are (squares of [`TILE`] units, by the
//!   middle of each one's box), each tile a data block
//!   `<script type="text/x-archflow-tile" id="af-t-{key}-{k}">` the browser neither runs nor draws,
//!   holding the tile's edges and nodes exactly as the whole drawing has them;
//! - an **index** (`<script type="application/json" id="af-tiles-{key}">`): each tile's box (what
//!   the details of its nodes and edges near it cover: boxes, labels, arrowheads; see
//!   [`details`]) and its spots (those details away from it), the tile of each node and edge (by
//!   `af-n{i}`/`af-e{i}` index, −1 when it is not drawn), each node's name and label, for the
//!   search box, and the boxes of every node and edge label, which a step's badge should not
//!   cover.
//!
//! The page's script draws the tiles whose box or a spot meets the screen when the drawing is
//! shown at a readable scale, and the tiles of what a step lights; the sketch, under them, is the
//! drawing everywhere else (a long edge's line included). Without scripts the page shows the
//! shell: the sketch and the clusters.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::layout::{Bounds, Point, Rect};
use crate::render::svg::{Drawing, Part, PartKind, edge_class, kind_class, n, outline};
use crate::text::json_in_script;
use crate::view::View;

/// From this many nodes and edges on, a drawing is drawn in tiles (in Chromium, about 50 ms of
/// a page's load as a whole).
pub const TILED_FROM: usize = 600;

/// A tile's side, in the drawing's units: a 1,440 × 900 screen at 100% shows about six.
pub const TILE: f64 = 640.0;

/// The sketch's paths each cover a square of this many tiles a side.
const SKETCH: f64 = 4.0;

/// An edge's line in the sketch is cut where it crosses the side of a square of this many of the
/// sketch's squares a side, so that no path of the sketch is bigger than one of those.
const CUT: f64 = 4.0;

/// A drawing cut into tiles: the SVG the page shows at once, and the data blocks after it.
#[derive(Debug)]
pub struct Tiled {
    pub shell: String,
    /// The tiles' data blocks and the index, one per line.
    pub blocks: String,
}

#[derive(Serialize)]
struct Index<'a> {
    /// `[x0, y0, x1, y1]` per tile: what its parts' details ([`details`]) near the tile cover.
    boxes: Vec<[f64; 4]>,
    /// The details of a tile's parts away from it (a long edge's label or arrowhead), each as
    /// `[x0, y0, x1, y1, tile]`: the tile is drawn when its box or one of these meets the screen.
    spots: Vec<[f64; 5]>,
    nodes: Vec<i64>,
    edges: Vec<i64>,
    /// `[name, label]` per node (`data-name` and the text of its `.name`).
    names: Vec<[&'a str; 2]>,
    /// What a step's badge should not cover, drawn or not: each edge label's box and each
    /// node's, as `[x0, y0, x1, y1, edge]` (`edge` the edge's index, −1 for a node).
    obstacles: Vec<[f64; 5]>,
}

/// `drawing` (of `view`) cut into tiles, its blocks named with `key`; `None` when it is small,
/// was not kept in parts, or holds text that could end a data block (archflow's renderer escapes
/// every name, so it cannot).
#[must_use]
pub fn tile(drawing: &Drawing, view: &View, key: &str) -> Option<Tiled> {
    let parts = &drawing.parts;
    if parts.len() < TILED_FROM || !super::raw_text_safe(&drawing.svg) {
        return None;
    }
    let svg = drawing.svg.as_str();
    // Tiles by the middle of each part's box, in row order.
    let mut tiles: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (k, part) in parts.iter().enumerate() {
        tiles.entry(square(part, TILE)).or_default().push(k);
    }
    let mut index = Index {
        boxes: Vec::with_capacity(tiles.len()),
        spots: Vec::new(),
        nodes: vec![-1; view.nodes.len()],
        edges: vec![-1; view.edges.len()],
        names: view
            .nodes
            .iter()
            .map(|n| [n.id.as_str(), n.label.as_str()])
            .collect(),
        obstacles: Vec::new(),
    };
    let round = |v: f64| (v * 10.0).round() / 10.0;
    let mut blocks = String::new();
    for (t, (&(row, col), members)) in tiles.iter().enumerate() {
        let mut edges = String::new();
        let mut nodes = String::new();
        let mut bounds = Bounds::default();
        // Details whose middle is within a tile of this one go in its box; others are spots.
        #[allow(clippy::cast_precision_loss)]
        let (x0, y0) = ((col - 1) as f64 * TILE, (row - 1) as f64 * TILE);
        let mut away = Vec::new();
        for &k in members {
            let part = &parts[k];
            let b = part.bounds;
            for r in details(part, svg) {
                let (mx, my) = (r.x + r.w / 2.0, r.y + r.h / 2.0);
                if (x0..x0 + 3.0 * TILE).contains(&mx) && (y0..y0 + 3.0 * TILE).contains(&my) {
                    bounds.rect(&r);
                } else {
                    away.push(r);
                }
            }
            let text = svg.get(part.text.clone()).unwrap_or_default();
            // Its text, its tile in the index, and what a badge should not cover.
            let (slot, obstacle, edge) = match part.kind {
                PartKind::Edge(_) => {
                    edges.push_str(text);
                    (
                        index.edges.get_mut(part.index),
                        part.label,
                        part.index as f64,
                    )
                }
                PartKind::Node(_) => {
                    nodes.push_str(text);
                    (index.nodes.get_mut(part.index), Some(b), -1.0)
                }
            };
            if let Some(slot) = slot {
                *slot = i64::try_from(t).unwrap_or(-1);
            }
            if let Some(r) = obstacle {
                index.obstacles.push([
                    round(r.x),
                    round(r.y),
                    round(r.x + r.w),
                    round(r.y + r.h),
                    edge,
                ]);
            }
        }
        // A tile whose every detail is away from it (an edge's middle only): its first is its box.
        if bounds.get().is_none() && !away.is_empty() {
            bounds.rect(&away.remove(0));
        }
        // Rounded outward, so that a box or spot still holds what it covers.
        let down = |v: f64| (v * 10.0).floor() / 10.0;
        let up = |v: f64| (v * 10.0).ceil() / 10.0;
        let (x0, y0, x1, y1) = bounds.get().unwrap_or_default();
        index.boxes.push([down(x0), down(y0), up(x1), up(y1)]);
        #[allow(clippy::cast_precision_loss)]
        for r in away {
            index
                .spots
                .push([down(r.x), down(r.y), up(r.x + r.w), up(r.y + r.h), t as f64]);
        }
        let _ = writeln!(
            blocks,
            "<script type=\"text/x-archflow-tile\" id=\"af-t-{key}-{t}\"><g class=\"af-tile\">{}</g><g class=\"af-tile\">{}</g></script>",
            edges.trim_end(),
            nodes.trim_end()
        );
    }
    let json = serde_json::to_string(&index).ok()?;
    let _ = writeln!(
        blocks,
        "<script type=\"application/json\" id=\"af-tiles-{key}\">{}</script>",
        json_in_script(&json)
    );
    Some(Tiled {
        shell: shell(drawing, key),
        blocks,
    })
}

/// The drawing without its parts, marked with `key`: the sketch and an empty layer where its
/// edges were (or before its nodes, when it draws no edge), another where its nodes were.
fn shell(drawing: &Drawing, key: &str) -> String {
    const EDGES: &str = "<g class=\"af-tiles af-tiles-edges\"></g>\n";
    const NODES: &str = "<g class=\"af-tiles af-tiles-nodes\"></g>\n";
    let svg = drawing.svg.as_str();
    let mut out = String::with_capacity(svg.len() / 4);
    // The drawing starts `<svg `: the mark goes first among its attributes.
    let mut at = 0;
    if let Some(rest) = svg.strip_prefix("<svg ") {
        let _ = write!(out, "<svg data-tiles=\"{key}\" ");
        at = svg.len() - rest.len();
    }
    let (mut edges_laid, mut nodes_laid) = (false, false);
    for part in &drawing.parts {
        out.push_str(svg.get(at..part.text.start).unwrap_or_default());
        at = part.text.end;
        if !edges_laid && !nodes_laid {
            out.push_str(&sketch(drawing));
        }
        let edge = matches!(part.kind, PartKind::Edge(_));
        if !edges_laid && (edge || !nodes_laid) {
            out.push_str(EDGES);
            edges_laid = true;
        }
        if !edge && !nodes_laid {
            out.push_str(NODES);
            nodes_laid = true;
        }
    }
    out.push_str(svg.get(at..).unwrap_or_default());
    out
}

/// Every edge's line and every node's outline without text or arrowheads: the drawing as it
/// looks zoomed out, in two forms.
///
/// - **Near**: the lines and outlines as drawn, one group per square of [`SKETCH`] tiles (by the
///   middle of each one's box; every edge's group before every node's) with a path per kind of
///   edge or node. The browser draws a big drawing in pieces and goes, for each piece, through
///   the paths that meet it; the page's script shows only the groups near the screen, so a
///   drawing zoomed out is not drawn whole at its full detail. Each group's `data-box` is what
///   its paths cover, `x0 y0 x1 y1`.
/// - **Far** ([`far`]): the same snapped to coarser grids, one group per grid (`data-units`), for
///   when the whole drawing is on a screen and a pixel holds that many units or more.
fn sketch(drawing: &Drawing) -> String {
    let svg = drawing.svg.as_str();
    // (0 for edges and 1 for nodes, square) → what its paths cover, and class → path data
    let mut groups: BTreeMap<(u8, Square), Group> = BTreeMap::new();
    let mut lines: BTreeMap<&str, Vec<Vec<(f64, f64)>>> = BTreeMap::new();
    let mut boxes = Vec::new();
    let mut extent = Bounds::default();
    let side = TILE * SKETCH;
    for part in &drawing.parts {
        extent.rect(&part.bounds);
        let (layer, class, pieces) = match part.kind {
            PartKind::Edge(kind) => {
                let d = svg.get(part.path.clone()).unwrap_or_default();
                let class = edge_class(kind);
                if let Some(points) = line_points(d) {
                    lines.entry(class).or_default().push(points);
                }
                let pieces = cut_line(d, side, side * CUT)
                    .unwrap_or_else(|| vec![(square(part, side), d.to_owned(), part.bounds)]);
                (0, class, pieces)
            }
            PartKind::Node(kind) => {
                boxes.push(part.bounds);
                (
                    1,
                    kind_class(kind),
                    vec![(square(part, side), outline(kind, &part.bounds), part.bounds)],
                )
            }
        };
        for (at, d, covers) in pieces {
            let (bounds, paths) = groups.entry((layer, at)).or_default();
            bounds.rect(&covers);
            let path = paths.entry(class).or_default();
            if !path.is_empty() {
                path.push(' ');
            }
            path.push_str(&d);
        }
    }
    let mut out = String::from("<g class=\"af-sketch\" aria-hidden=\"true\">");
    for ((layer, _), (bounds, paths)) in &groups {
        // A node's outline stroke, an edge's line: a little past the box.
        let (x0, y0, x1, y1) = bounds.get().unwrap_or_default();
        let _ = write!(
            out,
            "<g class=\"af-sk-sq\" data-box=\"{} {} {} {}\">",
            n((x0 - 4.0).floor()),
            n((y0 - 4.0).floor()),
            n((x1 + 4.0).ceil()),
            n((y1 + 4.0).ceil())
        );
        let what = if *layer == 0 { "edge" } else { "node" };
        for (class, d) in paths {
            let _ = write!(
                out,
                "<path class=\"af-sk-{what} af-sk-{what}-{class}\" d=\"{d}\"/>"
            );
        }
        out.push_str("</g>");
    }
    let across = extent.to_rect();
    for units in FAR {
        if across.w.max(across.h) / f64::from(units) >= FAR_ACROSS {
            out.push_str(&far(units, &lines, &boxes));
        }
    }
    out.push_str("</g>\n");
    out
}

/// The grids of the far sketch, in units a side: each is drawn when a pixel of the screen
/// holds at least that many units (the whole drawing of 10,000 services on a screen is about 400
/// a pixel), in place of the near sketch, whose lines are then far thinner than a pixel: at
/// that scale the near sketch is drawn in full, every line of it (464,773 pieces of line at
/// 10,000 services) for a picture in which none can be seen.
const FAR: [u32; 3] = [32, 128, 512];

/// A grid of the far sketch is kept when the drawing is at least this many of its squares
/// across: smaller, the drawing would be that few pixels across on a screen.
const FAR_ACROSS: f64 = 128.0;

/// The far sketch on a grid of `units`: every edge's line and node's box snapped to the grid's
/// points, in the grid's own coordinates (the group scales them). Lines on the same row or
/// column that meet are drawn as one (edges that run together, a line cut in pieces), a node as
/// at least one square; edges by kind, nodes as one path. So the lines are as many as the grid
/// has room for, not as many as the drawing has (5,261 on the grid of 512 against 464,773
/// pieces of line at 10,000 services), and a line or node too thin to be seen at its true size
/// is drawn about a pixel wide (the script sets the lines' width).
fn far(units: u32, lines: &BTreeMap<&str, Vec<Vec<(f64, f64)>>>, boxes: &[Rect]) -> String {
    let g = f64::from(units);
    #[allow(clippy::cast_possible_truncation)]
    let at = |v: f64| (v / g).round() as i64;
    let mut out =
        format!("<g class=\"af-sk-far\" data-units=\"{units}\" transform=\"scale({units})\">");
    for (class, lines) in lines {
        let mut rows: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
        let mut columns: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
        let mut slanted = std::collections::BTreeSet::new();
        for points in lines {
            for pair in points.windows(2) {
                let (a, b) = (
                    (at(pair[0].0), at(pair[0].1)),
                    (at(pair[1].0), at(pair[1].1)),
                );
                if a == b {
                    continue;
                }
                if a.1 == b.1 {
                    rows.entry(a.1)
                        .or_default()
                        .push((a.0.min(b.0), a.0.max(b.0)));
                } else if a.0 == b.0 {
                    columns
                        .entry(a.0)
                        .or_default()
                        .push((a.1.min(b.1), a.1.max(b.1)));
                } else {
                    slanted.insert((a.min(b), a.max(b)));
                }
            }
        }
        let mut d = String::new();
        for (y, spans) in rows {
            for (x0, x1) in merged(spans) {
                let _ = write!(d, "M{x0},{y}H{x1}");
            }
        }
        for (x, spans) in columns {
            for (y0, y1) in merged(spans) {
                let _ = write!(d, "M{x},{y0}V{y1}");
            }
        }
        for ((x0, y0), (x1, y1)) in slanted {
            let _ = write!(d, "M{x0},{y0}L{x1},{y1}");
        }
        if !d.is_empty() {
            let _ = write!(
                out,
                "<path class=\"af-skf-edge af-skf-edge-{class}\" d=\"{d}\"/>"
            );
        }
    }
    // Each node's squares, row by row; a node is at least one square.
    let mut rows: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for r in boxes {
        let (x0, y0) = (at(r.x), at(r.y));
        let (x1, y1) = (at(r.right()).max(x0 + 1), at(r.bottom()).max(y0 + 1));
        // A box too big for the grid to hold (no layout draws one) is left out.
        if y1 - y0 > 100_000 {
            continue;
        }
        for y in y0..y1 {
            rows.entry(y).or_default().push((x0, x1));
        }
    }
    let mut d = String::new();
    for (y, spans) in rows {
        for (x0, x1) in merged(spans) {
            let _ = write!(d, "M{x0},{y}h{}v1h{}z", x1 - x0, x0 - x1);
        }
    }
    if !d.is_empty() {
        let _ = write!(out, "<path class=\"af-skf-node\" d=\"{d}\"/>");
    }
    out.push_str("</g>");
    out
}

/// Spans `(from, to)` sorted and joined where they meet or overlap.
fn merged(mut spans: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    spans.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The points of an edge's line (`M x,y L x,y …`, as the SVG renderer writes it), all finite;
/// `None` for other path data.
fn line_points(d: &str) -> Option<Vec<(f64, f64)>> {
    let mut points = Vec::new();
    for (k, token) in d.split_whitespace().enumerate() {
        let (x, y) = token
            .strip_prefix(if k == 0 { 'M' } else { 'L' })?
            .split_once(',')?;
        let (x, y): (f64, f64) = (x.parse().ok()?, y.parse().ok()?);
        if !x.is_finite() || !y.is_finite() {
            return None;
        }
        points.push((x, y));
    }
    Some(points)
}

/// A square of a grid, as (row, column).
type Square = (i64, i64);

/// A piece of a line in the sketch: its square, its path data, what it covers.
type Piece = (Square, String, Rect);

/// A square's group in the near sketch: what its paths cover, and the path data of each class.
type Group<'a> = (Bounds, BTreeMap<&'a str, String>);

/// An edge's line (`M x,y L x,y …`, as the SVG renderer writes it) cut where it crosses the side
/// of a square of side `cut`: each piece with the square of side `side` that holds its middle,
/// as (row, column), and what it covers. An edge from one end of a big drawing to the other
/// would otherwise make its square's path as big as the drawing, and the browser would go
/// through all of it for every piece of the screen it draws (at 10,000 services, most of a
/// step's time). Cutting at every square's side instead of every fourth made the page of 10,000
/// services a quarter bigger. `None` for other path data.
fn cut_line(d: &str, side: f64, cut: f64) -> Option<Vec<Piece>> {
    let points = line_points(d)?;
    // A line too long to cut in a reasonable number of pieces (no layout draws one) stays whole.
    let mut extent = Bounds::default();
    for &(x, y) in &points {
        extent.point(Point { x, y });
    }
    let span = extent.to_rect();
    if points.len() < 2 || span.w.max(span.h) / cut > 100_000.0 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let cell = |x: f64, y: f64| ((y / side).floor() as i64, (x / side).floor() as i64);
    let mut pieces: Vec<(Square, String, Bounds)> = Vec::new();
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        // Where along the segment (0 to 1) it crosses a square's side.
        let mut cuts = vec![0.0, 1.0];
        for (from, to) in [(x0, x1), (y0, y1)] {
            if (to - from).abs() > 0.0 {
                let mut line = (from.min(to) / cut).floor() * cut + cut;
                while line < from.max(to) {
                    cuts.push((line - from) / (to - from));
                    line += cut;
                }
            }
        }
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        let at = |t: f64| (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
        for t in cuts.windows(2) {
            let ((ax, ay), (bx, by)) = (at(t[0]), at(t[1]));
            let here = cell(f64::midpoint(ax, bx), f64::midpoint(ay, by));
            match pieces.last_mut() {
                // The line goes on in the same square.
                Some((square, d, covers)) if *square == here => {
                    let _ = write!(d, " L{},{}", n(bx), n(by));
                    covers.point(Point { x: bx, y: by });
                }
                _ => {
                    let mut covers = Bounds::default();
                    covers.point(Point { x: ax, y: ay });
                    covers.point(Point { x: bx, y: by });
                    pieces.push((
                        here,
                        format!("M{},{} L{},{}", n(ax), n(ay), n(bx), n(by)),
                        covers,
                    ));
                }
            }
        }
    }
    Some(
        pieces
            .into_iter()
            .map(|(at, d, covers)| (at, d, covers.to_rect()))
            .collect(),
    )
}

/// How far past an edge's end its arrowhead reaches, in the drawing's units (7 × 7 at a line
/// width of 1.4, 2 for mounts), with room to spare.
const ARROW: f64 = 16.0;

/// What of `part` must be drawn as itself wherever it is on the screen, a little past each (a
/// node's outline stroke, a label's text): a node's box, an edge's label and the arrowhead at its
/// end. The rest of an edge's line looks the same in the sketch, which is drawn wherever the
/// screen is: so a tile is drawn for a long edge only where the edge ends or is labelled, not
/// everywhere it crosses (at 10,000 services, 17,677 of the overview's 17,972 edges are longer
/// than two tiles). An edge whose line cannot be read is all detail.
fn details(part: &Part, svg: &str) -> Vec<Rect> {
    let grow = |r: Rect, by: f64| Rect {
        x: r.x - by,
        y: r.y - by,
        w: r.w + 2.0 * by,
        h: r.h + 2.0 * by,
    };
    let end = match part.kind {
        PartKind::Node(_) => None,
        PartKind::Edge(_) => svg
            .get(part.path.clone())
            .and_then(line_points)
            .and_then(|points| points.last().copied()),
    };
    match (part.kind, end) {
        (PartKind::Edge(_), Some((x, y))) => {
            let arrow = Rect {
                x: x - ARROW,
                y: y - ARROW,
                w: 2.0 * ARROW,
                h: 2.0 * ARROW,
            };
            std::iter::once(arrow)
                .chain(part.label.map(|l| grow(l, 4.0)))
                .collect()
        }
        _ => vec![grow(part.bounds, 4.0)],
    }
}

/// The square of side `side` that holds the middle of `part`'s box, as (row, column).
fn square(part: &Part, side: f64) -> (i64, i64) {
    let b = part.bounds;
    #[allow(clippy::cast_possible_truncation)]
    let at = (
        ((b.y + b.h / 2.0) / side).floor() as i64,
        ((b.x + b.w / 2.0) / side).floor() as i64,
    );
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{self, Direction, LayoutOptions};
    use crate::render::svg;

    fn overview(services: usize) -> (View, Drawing) {
        let text = crate::synth::generate(services, 1);
        let analysis = crate::analyze(&crate::source::Source::new("m.yaml", text));
        let named = analysis.named_view(Some("overview")).unwrap();
        let laid_out = layout::layout(
            &named.view,
            LayoutOptions {
                direction: Direction::LR,
            },
        );
        let drawing = svg::drawing(&named.view, &laid_out);
        (named.view, drawing)
    }

    fn between<'a>(text: &'a str, start: &str, end: &str) -> Vec<&'a str> {
        text.split(start)
            .skip(1)
            .filter_map(|rest| rest.split(end).next())
            .collect()
    }

    #[test]
    fn the_drawing_keeps_its_text_and_knows_its_parts() {
        let (view, drawing) = overview(30);
        let laid_out = layout::layout(&view, LayoutOptions::default());
        assert_eq!(drawing.svg, svg::render(&view, &laid_out));
        assert_eq!(drawing.parts.len(), view.nodes.len() + view.edges.len());
        for part in &drawing.parts {
            let text = &drawing.svg[part.text.clone()];
            let (prefix, id) = match part.kind {
                PartKind::Edge(_) => ("<g class=\"edge ", format!("id=\"af-e{}\"", part.index)),
                PartKind::Node(_) => ("<g class=\"node ", format!("id=\"af-n{}\"", part.index)),
            };
            assert!(
                text.starts_with(prefix) && text.ends_with("</g>\n"),
                "{text}"
            );
            assert!(text.contains(&id), "{text}");
            if let PartKind::Edge(_) = part.kind {
                let d = &drawing.svg[part.path.clone()];
                assert!(text.contains(&format!("<path d=\"{d}\"")), "{text}");
            }
        }
    }

    #[test]
    fn every_node_and_edge_is_in_one_tile_inside_its_box() {
        let (view, drawing) = overview(300);
        let tiled = tile(&drawing, &view, "main").expect("300 services are drawn in tiles");
        // The shell holds no node or edge, and the sketch and both layers once each.
        assert!(!tiled.shell.contains("id=\"af-n") && !tiled.shell.contains("id=\"af-e"));
        assert!(tiled.shell.starts_with("<svg data-tiles=\"main\" "));
        for once in ["af-sketch", "af-tiles-edges", "af-tiles-nodes"] {
            assert_eq!(tiled.shell.matches(once).count(), 1, "{once}");
        }
        let index: serde_json::Value = serde_json::from_str(
            between(
                &tiled.blocks,
                "<script type=\"application/json\" id=\"af-tiles-main\">",
                "</script>",
            )[0],
        )
        .unwrap();
        let blocks = between(
            &tiled.blocks,
            "<script type=\"text/x-archflow-tile\" id=\"af-t-main-",
            "</script>",
        );
        let boxes = index["boxes"].as_array().unwrap();
        assert_eq!(blocks.len(), boxes.len());
        assert!(blocks.len() > 10, "{} tiles", blocks.len());
        let spots = index["spots"].as_array().unwrap();
        assert!(!spots.is_empty(), "no detail away from its tile");
        let numbers = |v: &serde_json::Value| -> Vec<f64> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        };
        // Within a rounding error of the sums.
        let holds = |b: &[f64], r: &Rect| {
            let e = 1e-6;
            b[0] <= r.x + e && b[1] <= r.y + e && b[2] + e >= r.x + r.w && b[3] + e >= r.y + r.h
        };
        // Every part's text is in exactly the tile the index names, and each of its details is in
        // the tile's box or one of its spots; its node's box or an edge's label and end.
        for part in &drawing.parts {
            let (list, letter) = match part.kind {
                PartKind::Edge(_) => ("edges", 'e'),
                PartKind::Node(_) => ("nodes", 'n'),
            };
            let t = usize::try_from(index[list][part.index].as_i64().unwrap()).unwrap();
            let text = drawing.svg[part.text.clone()].trim_end();
            let holding: Vec<usize> = blocks
                .iter()
                .enumerate()
                .filter(|(_, b)| b.contains(text))
                .map(|(k, _)| k)
                .collect();
            assert_eq!(holding, vec![t], "af-{letter}{}", part.index);
            assert!(blocks[t].starts_with(&format!("{t}\">")));
            let b = numbers(&boxes[t]);
            let own: Vec<Vec<f64>> = spots
                .iter()
                .map(numbers)
                .filter(|s| s[4].to_string() == t.to_string())
                .collect();
            let details = details(part, &drawing.svg);
            for r in &details {
                assert!(
                    holds(&b, r) || own.iter().any(|s| holds(s, r)),
                    "af-{letter}{}: {r:?} outside tile {t} {b:?} and its spots",
                    part.index
                );
            }
            // A node's detail holds its box; an edge's, its line's end and its label.
            let first = &details[0];
            let first = [first.x, first.y, first.x + first.w, first.y + first.h];
            if let PartKind::Edge(_) = part.kind {
                let (x, y) = *line_points(&drawing.svg[part.path.clone()])
                    .unwrap()
                    .last()
                    .unwrap();
                assert!(holds(
                    &first,
                    &Rect {
                        x,
                        y,
                        w: 0.0,
                        h: 0.0
                    }
                ));
                assert_eq!(details.len(), 1 + usize::from(part.label.is_some()));
                if let (Some(label), Some(d)) = (part.label, details.get(1)) {
                    assert!(holds(&[d.x, d.y, d.x + d.w, d.y + d.h], &label));
                }
            } else {
                assert!(details.len() == 1 && holds(&first, &part.bounds));
            }
        }
        // The names, for the search box, and one obstacle per node and per edge label.
        assert_eq!(index["names"].as_array().unwrap().len(), view.nodes.len());
        assert_eq!(index["names"][0][0], view.nodes[0].id.as_str());
        let labels = view.edges.iter().filter(|e| e.label.is_some()).count();
        assert_eq!(
            index["obstacles"].as_array().unwrap().len(),
            view.nodes.len() + labels
        );
    }

    #[test]
    fn the_sketch_draws_every_edge_and_node_a_kind_a_path() {
        let (view, drawing) = overview(300);
        let sketch = sketch(&drawing);
        let d: String = between(&sketch, " d=\"", "\"").join(" ");
        // Every edge's line is in it, cut where it crosses the side of a square of `CUT`
        // squares: as long in all, and no path of edges bigger than such a square.
        let length = |d: &str| -> f64 {
            let points: Vec<(f64, f64)> = d
                .split_whitespace()
                .map(|t| {
                    let (x, y) = t[1..].split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            points
                .windows(2)
                .map(|w| (w[1].0 - w[0].0).abs() + (w[1].1 - w[0].1).abs())
                .sum()
        };
        let mut lines = 0.0;
        for part in &drawing.parts {
            if let PartKind::Edge(_) = part.kind {
                lines += length(&drawing.svg[part.path.clone()]);
            }
        }
        let edge_paths = between(&sketch, "<path class=\"af-sk-edge ", "/>");
        let mut sketched = 0.0;
        let mut pieces = 0;
        let side = TILE * SKETCH;
        for path in &edge_paths {
            let d = between(path, " d=\"", "\"")[0];
            for piece in d.split(" M").map(|p| p.trim_start_matches('M')) {
                sketched += length(&format!("M{piece}"));
                pieces += 1;
            }
            let mut extent = Bounds::default();
            for t in d.split_whitespace() {
                let (x, y) = t[1..].split_once(',').unwrap();
                extent.point(Point {
                    x: x.parse().unwrap(),
                    y: y.parse().unwrap(),
                });
            }
            let (most, span) = (side * CUT + 0.2, extent.to_rect());
            assert!(span.w <= most && span.h <= most, "{path}");
        }
        // Every cut rounds its point to a tenth.
        assert!(
            (sketched - lines).abs() <= 0.1 * f64::from(pieces),
            "{sketched} against {lines}"
        );
        assert!(lines > 10.0 * side * CUT);
        // A line from one end of the number range to the other is not cut.
        assert_eq!(cut_line("M0,0 L1e300,0", side, side * CUT), None);
        assert_eq!(
            cut_line("M0,0 L20001,0", side, 10_000.0).map(|p| p.len()),
            Some(3)
        );
        let outlines = view.nodes.len();
        assert_eq!(d.matches('Z').count(), outlines);
        assert!(sketch.contains("af-sk-node-service-box") && sketch.contains("af-sk-edge-route"));
        // No text: the sketch is drawn zoomed out, where it could not be read.
        assert!(!sketch.contains("<text"));
    }

    /// The points of path data: each `x,y` pair, an arc's radii left out.
    fn points_of(d: &str) -> Vec<(f64, f64)> {
        d.split_whitespace()
            .filter(|t| t.contains(',') && !t.starts_with('A'))
            .map(|t| {
                let (x, y) = t
                    .trim_start_matches(char::is_alphabetic)
                    .split_once(',')
                    .unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }

    #[test]
    fn the_near_sketch_is_in_squares_that_hold_their_lines() {
        let (_, drawing) = overview(300);
        let sketch = sketch(&drawing);
        let squares = between(&sketch, "<g class=\"af-sk-sq\" data-box=\"", "</g>");
        assert!(squares.len() > 10, "{} squares", squares.len());
        let mut edges_done = false;
        for square in squares {
            let (b, paths) = square.split_once("\">").unwrap();
            let b: Vec<f64> = b.split(' ').map(|v| v.parse().unwrap()).collect();
            assert!(b[0] < b[2] && b[1] < b[3], "{b:?}");
            // Every edge's square before every node's.
            let nodes = paths.contains("af-sk-node");
            assert!(!(nodes && paths.contains("af-sk-edge")), "{paths}");
            edges_done |= nodes;
            assert!(nodes || !edges_done, "an edge's square after a node's");
            for d in between(paths, " d=\"", "\"") {
                for (x, y) in points_of(d) {
                    assert!(
                        b[0] <= x && x <= b[2] && b[1] <= y && y <= b[3],
                        "({x}, {y}) outside {b:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_far_sketch_snaps_every_line_and_node_to_its_grid() {
        for services in [30, 300] {
            let (_, drawing) = overview(services);
            let sketch = sketch(&drawing);
            let grids = between(&sketch, "<g class=\"af-sk-far\" data-units=\"", "</g>");
            // The grids kept are those the drawing is at least `FAR_ACROSS` squares across.
            let mut extent = Bounds::default();
            for part in &drawing.parts {
                extent.rect(&part.bounds);
            }
            let across = extent.to_rect().w.max(extent.to_rect().h);
            let kept: Vec<u32> = FAR
                .into_iter()
                .filter(|&g| across / f64::from(g) >= FAR_ACROSS)
                .collect();
            let units: Vec<u32> = grids
                .iter()
                .map(|g| g.split('"').next().unwrap().parse().unwrap())
                .collect();
            assert_eq!(units, kept, "{services} services, {across} across");
            if services == 300 {
                assert!(!units.is_empty());
            }
            for (grid, g) in grids.iter().zip(units) {
                assert!(
                    grid.contains(&format!("transform=\"scale({g})\">")),
                    "{grid}"
                );
                let at = |v: f64| (v / f64::from(g)).round() as i64;
                // (class, row or column, along a row) → its spans, from `M x,y H x` / `M x,y V y`.
                let mut spans: BTreeMap<(String, i64, bool), Vec<(i64, i64)>> = BTreeMap::new();
                let mut cells: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
                for path in between(grid, "<path class=\"", "/>") {
                    let class = path.split('"').next().unwrap().to_owned();
                    let d = between(path, " d=\"", "\"")[0];
                    for piece in d.split('M').skip(1) {
                        let (x, rest) = piece.split_once(',').unwrap();
                        let x: i64 = x.parse().unwrap();
                        let end = rest.find(|c: char| c.is_ascii_alphabetic()).unwrap();
                        let y: i64 = rest[..end].parse().unwrap();
                        let to = &rest[end + 1..];
                        match &rest[end..=end] {
                            "H" => spans
                                .entry((class.clone(), y, true))
                                .or_default()
                                .push((x, to.parse().unwrap())),
                            "V" => spans
                                .entry((class.clone(), x, false))
                                .or_default()
                                .push((y, to.parse().unwrap())),
                            "h" => {
                                let w: i64 = to.split('v').next().unwrap().parse().unwrap();
                                assert_eq!(to, format!("{w}v1h{}z", -w));
                                cells.entry(y).or_default().push((x, x + w));
                            }
                            other => panic!("{other} in {piece}"),
                        }
                    }
                }
                // On a row or column, spans are in order and never meet: as few as can be.
                for list in spans.values().chain(cells.values()) {
                    assert!(list.windows(2).all(|w| w[0].1 < w[1].0), "{list:?}");
                    assert!(list.iter().all(|s| s.0 < s.1), "{list:?}");
                }
                let covered = |list: Option<&Vec<(i64, i64)>>, a: i64, b: i64| {
                    list.is_some_and(|l| l.iter().any(|s| s.0 <= a && b <= s.1))
                };
                // Every piece of every edge's line is in a span of its kind, snapped.
                for part in &drawing.parts {
                    match part.kind {
                        PartKind::Edge(kind) => {
                            let class = format!("af-skf-edge af-skf-edge-{}", edge_class(kind));
                            let points = line_points(&drawing.svg[part.path.clone()]).unwrap();
                            for w in points.windows(2) {
                                let (a, b) = ((at(w[0].0), at(w[0].1)), (at(w[1].0), at(w[1].1)));
                                if a == b {
                                    continue;
                                }
                                let ok = if a.1 == b.1 {
                                    covered(
                                        spans.get(&(class.clone(), a.1, true)),
                                        a.0.min(b.0),
                                        a.0.max(b.0),
                                    )
                                } else {
                                    assert_eq!(a.0, b.0, "the layout draws lines across and down");
                                    covered(
                                        spans.get(&(class.clone(), a.0, false)),
                                        a.1.min(b.1),
                                        a.1.max(b.1),
                                    )
                                };
                                assert!(ok, "af-e{} {a:?}-{b:?} not in the {g} grid", part.index);
                            }
                        }
                        // Every node at least one square.
                        PartKind::Node(_) => {
                            let r = part.bounds;
                            let (x0, y0) = (at(r.x), at(r.y));
                            let (x1, y1) = (at(r.right()).max(x0 + 1), at(r.bottom()).max(y0 + 1));
                            for y in y0..y1 {
                                assert!(
                                    covered(cells.get(&y), x0, x1),
                                    "af-n{} row {y}",
                                    part.index
                                );
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(
            merged(vec![(5, 9), (0, 2), (2, 4), (8, 12), (20, 21)]),
            vec![(0, 4), (5, 12), (20, 21)]
        );
    }

    #[test]
    fn a_small_drawing_is_drawn_whole() {
        let (view, drawing) = overview(30);
        assert!(drawing.parts.len() < TILED_FROM);
        assert!(tile(&drawing, &view, "main").is_none());
        assert!(tile(&Drawing::from(drawing.svg.clone()), &view, "main").is_none());
    }
}
