//! Placeholder: a grid. Replaced by the layered layout.

use super::{EdgeRoute, Layout, LayoutOptions, Point, Rect};
use crate::view::View;

pub(super) fn layout(view: &View, _options: LayoutOptions) -> Layout {
    let nodes: Vec<Rect> = (0..view.nodes.len())
        .map(|i| Rect {
            x: 20.0 + 200.0 * i as f64,
            y: 60.0,
            w: 160.0,
            h: 56.0,
        })
        .collect();
    let clusters = view
        .clusters
        .iter()
        .map(|_| Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        })
        .collect();
    let edges = view
        .edges
        .iter()
        .map(|_| EdgeRoute {
            points: vec![Point::default(), Point::default()],
            label: None,
        })
        .collect();
    Layout {
        width: 200.0 * nodes.len() as f64 + 40.0,
        height: 200.0,
        nodes,
        clusters,
        edges,
    }
}
