//! Layout invariants: on the fixture models, and on random views of up to 500 services.

use archflow::graph::EdgeKind;
use archflow::layout::{Direction, Layout, LayoutOptions, Point, layout, quality};
use archflow::source::Source;
use archflow::view::{ClusterKind, ClusterView, EdgeView, Hint, NodeKind, NodeView, View};
use proptest::prelude::*;

use crate::fuzz_smoke::targets::check_invariants;
use crate::support::read;

fn fixture_view(path: &str) -> View {
    let source = Source::new(path, read(path));
    let analysis = archflow::analyze(&source);
    View::build(
        analysis.model.as_ref().unwrap(),
        analysis.graph.as_ref().unwrap(),
    )
}

const FIXTURES: &[&str] = &[
    "architecture.yaml",
    "tests/fixtures/models/multi-service/model.yaml",
    "tests/fixtures/models/hostile-names/model.yaml",
];

#[test]
fn fixtures_keep_every_invariant_in_both_directions() {
    for path in FIXTURES {
        let view = fixture_view(path);
        for direction in [Direction::LR, Direction::TB] {
            let l = layout(&view, LayoutOptions { direction });
            check_invariants(&view, &l);
        }
    }
}

/// Number of pairs of edge segments that cross (touching at ends does not count).
fn crossings(layout: &Layout) -> usize {
    let segments: Vec<(Point, Point)> = layout
        .edges
        .iter()
        .flat_map(|e| e.points.windows(2).map(|w| (w[0], w[1])))
        .collect();
    let mut count = 0;
    for (i, &(a, b)) in segments.iter().enumerate() {
        for &(c, d) in &segments[i + 1..] {
            let a_horizontal = (a.y - b.y).abs() < 1e-6;
            let c_horizontal = (c.y - d.y).abs() < 1e-6;
            if a_horizontal == c_horizontal {
                continue;
            }
            let ((h0, h1), (v0, v1)) = if a_horizontal {
                ((a, b), (c, d))
            } else {
                ((c, d), (a, b))
            };
            let (hx0, hx1) = (h0.x.min(h1.x), h0.x.max(h1.x));
            let (vy0, vy1) = (v0.y.min(v1.y), v0.y.max(v1.y));
            if v0.x > hx0 + 1e-6 && v0.x < hx1 - 1e-6 && h0.y > vy0 + 1e-6 && h0.y < vy1 - 1e-6 {
                count += 1;
            }
        }
    }
    count
}

/// The quality targets that hold by construction: nothing runs on top of or through anything,
/// no label overlaps anything, edges run backwards only to close a cycle, and never turn back.
fn holds_zero_targets(view: &View, l: &Layout) {
    let q = quality(view, l);
    let zero = [
        ("edge–edge overlaps", q.edge_edge_overlaps),
        ("node–edge overlaps", q.node_edge_overlaps),
        ("label–label overlaps", q.label_label_overlaps),
        ("label–node overlaps", q.label_node_overlaps),
        ("label–edge overlaps", q.label_edge_overlaps),
        ("backwards edges outside cycles", q.backwards_outside_cycles),
        ("U-turns", q.u_turns),
    ];
    for (what, count) in zero {
        assert_eq!(count, 0, "{what}: {q:?}");
    }
}

#[test]
fn fixtures_hold_the_zero_targets() {
    for path in FIXTURES {
        let view = fixture_view(path);
        for direction in [Direction::LR, Direction::TB] {
            holds_zero_targets(&view, &layout(&view, LayoutOptions { direction }));
        }
    }
}

#[test]
fn reference_diagram_has_no_edge_crossings() {
    let view = fixture_view("architecture.yaml");
    for direction in [Direction::LR, Direction::TB] {
        assert_eq!(
            crossings(&layout(&view, LayoutOptions { direction })),
            0,
            "{direction:?}"
        );
    }
}

/// A random view: services with a task each, containers, volumes, top-level actors, load
/// balancers and file systems, and random edges of every kind.
fn random_view(services: usize, seed: u64) -> View {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let mut clusters = vec![ClusterView {
        id: "cluster:c".into(),
        kind: ClusterKind::Cluster,
        label: "cluster".into(),
        detail: Some("ECS cluster".into()),
        description: None,
        origin: None,
        parent: None,
        hint: Hint::default(),
    }];
    let node = |id: String, kind: NodeKind, parent: Option<String>| NodeView {
        label: id.clone(),
        id,
        kind,
        detail: Some("detail text".into()),
        description: None,
        origin: None,
        parent,
        tags: Vec::new(),
        hint: Hint::default(),
    };
    let mut nodes = vec![node("user".into(), NodeKind::Actor, None)];
    for l in 0..=services / 10 {
        nodes.push(node(format!("lb{l}"), NodeKind::LoadBalancer, None));
    }
    for s in 0..services {
        clusters.push(ClusterView {
            id: format!("service:s{s}"),
            kind: ClusterKind::Service,
            label: format!("service s{s}"),
            detail: None,
            description: None,
            origin: None,
            parent: Some("cluster:c".into()),
            hint: Hint::default(),
        });
        clusters.push(ClusterView {
            id: format!("task:t{s}"),
            kind: ClusterKind::Task,
            label: format!("t{s}"),
            detail: Some("task definition".into()),
            description: None,
            origin: None,
            parent: Some(format!("service:s{s}")),
            hint: Hint::default(),
        });
        for c in 0..=next(3) {
            let kind = if c == 1 {
                NodeKind::Database
            } else {
                NodeKind::Container
            };
            nodes.push(node(format!("c{s}-{c}"), kind, Some(format!("task:t{s}"))));
        }
        if next(3) == 0 {
            nodes.push(node(
                format!("v{s}"),
                NodeKind::Volume,
                Some(format!("task:t{s}")),
            ));
            nodes.push(node(format!("fs{s}"), NodeKind::FileSystem, None));
        }
    }
    let kinds = [
        EdgeKind::Route,
        EdgeKind::Connect,
        EdgeKind::Mount,
        EdgeKind::DependsOn,
    ];
    let mut edges = Vec::new();
    for _ in 0..nodes.len() * 5 / 4 {
        let (a, b) = (next(nodes.len()), next(nodes.len()));
        edges.push(EdgeView {
            from: nodes[a].id.clone(),
            to: nodes[b].id.clone(),
            kind: kinds[next(4)],
            label: (next(2) == 0).then(|| format!("TCP:{}", next(60000))),
        });
    }
    View {
        title: "random".into(),
        description: None,
        clusters,
        nodes,
        edges,
        flows: Vec::new(),
        decisions: Vec::new(),
        tradeoffs: Vec::new(),
        findings: Vec::new(),
    }
}

proptest! {
    // PROPTEST_CASES=1000 for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(32),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_views_keep_every_invariant(
        services in prop_oneof![3 => 0usize..40, 1 => 40usize..=500],
        seed in any::<u64>(),
        tb in any::<bool>(),
    ) {
        let view = random_view(services, seed);
        let direction = if tb { Direction::TB } else { Direction::LR };
        let l = layout(&view, LayoutOptions { direction });
        check_invariants(&view, &l);
        holds_zero_targets(&view, &l);
        // Deterministic: the same input gives the same SVG bytes.
        let again = layout(&view, LayoutOptions { direction });
        prop_assert_eq!(
            archflow::render::svg::render(&view, &l),
            archflow::render::svg::render(&view, &again)
        );
    }
}

#[test]
fn large_random_views_keep_every_invariant() {
    for (services, seed) in [(200, 1), (500, 7)] {
        let view = random_view(services, seed);
        let l = layout(&view, LayoutOptions::default());
        check_invariants(&view, &l);
        holds_zero_targets(&view, &l);
    }
}

/// `random_view` with `layout:` hints on some nodes and clusters: tiers 0–3, orders −2–2.
fn hinted_view(services: usize, seed: u64) -> View {
    let mut view = random_view(services, seed);
    let mut state = seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut hint = move || Hint {
        tier: (next(3) == 0).then(|| u32::try_from(next(4)).unwrap_or(0)),
        order: (next(3) == 0).then(|| i32::try_from(next(5)).unwrap_or(0) - 2),
    };
    for node in &mut view.nodes {
        node.hint = hint();
    }
    for cluster in &mut view.clusters {
        cluster.hint = hint();
    }
    view
}

/// Where a box starts and ends along the main axis and across it.
fn main_cross(r: &archflow::layout::Rect, direction: Direction) -> (f64, f64, f64, f64) {
    match direction {
        Direction::LR => (r.x, r.right(), r.y, r.bottom()),
        Direction::TB => (r.y, r.bottom(), r.x, r.right()),
    }
}

/// Tiers come one after the other; hinted nodes of one cluster in one column, and hinted sibling
/// boxes side by side, come in the order of their hints.
fn follows_hints(view: &View, l: &Layout) {
    let cluster_of: std::collections::HashMap<&str, usize> = view
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let tier = |i: usize| {
        let mut at = view.nodes[i].parent.as_deref();
        view.nodes[i].hint.tier.or_else(|| {
            let mut steps = 0;
            while let Some(id) = at {
                let c = &view.clusters[*cluster_of.get(id)?];
                if let Some(t) = c.hint.tier {
                    return Some(t);
                }
                at = c.parent.as_deref();
                steps += 1;
                if steps > view.clusters.len() {
                    return None;
                }
            }
            None
        })
    };
    let dir = l.direction;
    let n = view.nodes.len();
    for a in 0..n {
        for b in 0..n {
            let (ma, mb) = (main_cross(&l.nodes[a], dir), main_cross(&l.nodes[b], dir));
            if let (Some(ta), Some(tb)) = (tier(a), tier(b))
                && ta < tb
            {
                assert!(
                    ma.1 <= mb.0 + 1e-6,
                    "{} (tier {ta}) is not before {} (tier {tb})",
                    view.nodes[a].id,
                    view.nodes[b].id
                );
            }
            let same_column = (f64::midpoint(ma.0, ma.1) - f64::midpoint(mb.0, mb.1)).abs() < 1e-6;
            if let (Some(oa), Some(ob)) = (view.nodes[a].hint.order, view.nodes[b].hint.order)
                && oa < ob
                && same_column
                && view.nodes[a].parent == view.nodes[b].parent
            {
                assert!(
                    ma.3 <= mb.2 + 1e-6,
                    "{} (order {oa}) is not before {} (order {ob})",
                    view.nodes[a].id,
                    view.nodes[b].id
                );
            }
        }
    }
    for (a, ca) in view.clusters.iter().enumerate() {
        for (b, cb) in view.clusters.iter().enumerate() {
            let (ma, mb) = (
                main_cross(&l.clusters[a], dir),
                main_cross(&l.clusters[b], dir),
            );
            let side_by_side = ma.0 < mb.1 && mb.0 < ma.1;
            if let (Some(oa), Some(ob)) = (ca.hint.order, cb.hint.order)
                && oa < ob
                && ca.parent == cb.parent
                && side_by_side
            {
                assert!(
                    ma.3 <= mb.2 + 1e-6,
                    "box {} (order {oa}) is not before box {} (order {ob})",
                    ca.id,
                    cb.id
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24),
        ..ProptestConfig::default()
    })]

    /// Hints change where things go, never the invariants: nothing overlaps, and the tiers and
    /// orders asked for hold.
    #[test]
    fn hinted_views_follow_their_hints(
        services in prop_oneof![3 => 0usize..30, 1 => 30usize..=200],
        seed in any::<u64>(),
        tb in any::<bool>(),
    ) {
        let view = hinted_view(services, seed);
        let direction = if tb { Direction::TB } else { Direction::LR };
        let l = layout(&view, LayoutOptions { direction });
        check_invariants(&view, &l);
        let q = quality(&view, &l);
        prop_assert_eq!(
            (q.edge_edge_overlaps, q.node_edge_overlaps, q.label_label_overlaps,
             q.label_node_overlaps, q.label_edge_overlaps, q.u_turns),
            (0, 0, 0, 0, 0, 0),
            "{:?}", q
        );
        follows_hints(&view, &l);
    }
}

/// Tiers and orders from the model's `layout:` reach the drawing.
#[test]
fn layout_hints_in_the_model_place_components() {
    let text = read("tests/fixtures/models/multi-service/model.yaml");
    let view = |text: String| {
        archflow::analyze(&Source::new("model.yaml", text))
            .view()
            .expect("loads")
    };
    let plain = view(text.clone());
    let plain_layout = layout(&plain, LayoutOptions::default());
    let x = |v: &View, l: &Layout, id: &str| {
        let i = v.nodes.iter().position(|n| n.id == id).expect(id);
        l.nodes[i]
    };
    // Without hints the file system comes after the volumes that mount it.
    assert!(x(&plain, &plain_layout, "shop-fs").x > x(&plain, &plain_layout, "customer").x);
    // Tier 0 for the file system, 1 for the actor: the file system comes first.
    let hinted = text
        .replacen(
            "  - name: shop-fs\n",
            "  - name: shop-fs\n    layout: {tier: 0}\n",
            1,
        )
        .replacen(
            "  - name: customer\n",
            "  - name: customer\n    layout: {tier: 1}\n",
            1,
        );
    assert_ne!(hinted, text, "the fixture has shop-fs and customer");
    let v = view(hinted);
    assert_eq!(v.nodes.iter().filter(|n| !n.hint.is_none()).count(), 2);
    let l = layout(&v, LayoutOptions::default());
    check_invariants(&v, &l);
    follows_hints(&v, &l);
    assert!(x(&v, &l, "shop-fs").right() <= x(&v, &l, "customer").x);
}
