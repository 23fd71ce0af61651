//! A short fuzz in the normal test suite: every committed fuzz corpus file and every crash
//! regression through the same checks as the fuzz targets (`fuzz/src/lib.rs`, without
//! libFuzzer), and random byte edits of the reference model.

use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use archflow::view::View;
use proptest::prelude::*;

use crate::support::root;

#[allow(dead_code)]
#[path = "../../fuzz/src/lib.rs"]
pub(crate) mod targets;

static VIEW: LazyLock<View> = LazyLock::new(targets::reference_view);

/// Real templates and a real configuration, read once, edited at random by the property test.
static IAC_SEEDS: LazyLock<Vec<(&str, String)>> = LazyLock::new(|| {
    [
        ("cf", "tests/fixtures/iac/cloudformation/ecs-refarch-website-service.yaml"),
        ("cf", "tests/fixtures/iac/cloudformation/cfn-templates-fargate-private-subnet-public-service.json"),
        ("tf", "tests/fixtures/iac/terraform/tfprovider-ecs-alb/main.tf"),
    ]
    .into_iter()
    .map(|(target, file)| (target, std::fs::read_to_string(root().join(file)).unwrap()))
    .collect()
});

/// The files of `fuzz/corpus/<target>`, sorted, as (name, bytes).
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = root().join("fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files
        .into_iter()
        .map(|p| (name(&p), std::fs::read(&p).unwrap()))
        .collect()
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn parse_check_render_corpus() {
    for (_, data) in corpus("parse_check_render") {
        targets::parse_check_render_target(&data);
    }
}

#[test]
fn parse_check_render_is_deterministic_on_the_reference_model() {
    let text = targets::REFERENCE_MODEL;
    assert_eq!(
        targets::parse_check_render(text),
        targets::parse_check_render(text)
    );
}

#[test]
fn inject_corpus() {
    for (_, data) in corpus("inject") {
        targets::inject(&targets::text(&data), &VIEW);
    }
}

#[test]
fn import_ecs_corpus() {
    for (_, data) in corpus("import_ecs") {
        targets::import_ecs(&targets::text(&data));
    }
}

#[test]
fn import_compose_corpus() {
    for (_, data) in corpus("import_compose") {
        targets::import_compose(&targets::text(&data));
    }
}

#[test]
fn import_cloudformation_corpus() {
    for (_, data) in corpus("import_cloudformation") {
        targets::import_cloudformation(&targets::text(&data));
    }
}

#[test]
fn import_terraform_corpus() {
    for (_, data) in corpus("import_terraform") {
        targets::import_terraform(&targets::text(&data));
    }
}

/// The layout corpus is read by [`targets::Bytes`] here, by `arbitrary` in the fuzz target: the
/// same views need not come out, but the same checks run.
#[test]
fn layout_corpus() {
    for (_, data) in corpus("layout") {
        let view = targets::random_view(&mut targets::Bytes(&data));
        targets::layout_target(&view);
    }
}

/// A [`targets::Draw`] from proptest's numbers.
struct Numbers(std::vec::IntoIter<u32>);

impl targets::Draw for Numbers {
    fn upto(&mut self, max: u32) -> u32 {
        self.0.next().map_or(0, |n| n % (max + 1))
    }
}

/// One random edit of `text`: replace, insert or delete a few bytes.
fn mutate(text: &str, edits: &[(u8, usize, u8)]) -> Vec<u8> {
    const INSERTS: &[&[u8]] = &[
        b"\n",
        b": ",
        b"- ",
        b"[",
        b"]",
        b"{",
        b"}",
        b"&a ",
        b"*a",
        b"!!str ",
        b"\"",
        b"'",
        b"#",
        b"  ",
        b"\t",
        b"0",
        b"-1",
        b"99999999999999999999",
        b"null",
        b"~",
        b"\xff",
        b"\xe2\x80\xae",
    ];
    let mut bytes = text.as_bytes().to_vec();
    for &(op, at, b) in edits {
        let at = at % (bytes.len() + 1);
        match op % 4 {
            0 if at < bytes.len() => bytes[at] = b,
            1 => bytes.insert(at, b),
            2 if at < bytes.len() => {
                let end = (at + usize::from(b % 16) + 1).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let s = INSERTS[usize::from(b) % INSERTS.len()];
                bytes.splice(at..at, s.iter().copied());
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn edited_reference_model_never_panics(
        edits in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..6),
    ) {
        let data = mutate(targets::REFERENCE_MODEL, &edits);
        let start = Instant::now();
        targets::parse_check_render_target(&data);
        prop_assert!(start.elapsed() < Duration::from_secs(2), "took {:?}", start.elapsed());
    }

    #[test]
    fn edited_templates_and_configurations_never_panic(
        edits in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..6),
    ) {
        for (target, text) in IAC_SEEDS.iter() {
            let data = targets::text(&mutate(text, &edits));
            if *target == "cf" {
                targets::import_cloudformation(&data);
            } else {
                targets::import_terraform(&data);
            }
        }
    }

    #[test]
    fn random_views_keep_the_layout_invariants(
        numbers in prop::collection::vec(any::<u32>(), 0..400),
    ) {
        let view = targets::random_view(&mut Numbers(numbers.into_iter()));
        targets::layout_target(&view);
    }
}

/// Crash regression (fuzz target `layout`): in TB a label runs across the cross axis, and one
/// wider than everything else at its level stuck out of the canvas.
#[test]
fn regression_wide_label_in_top_to_bottom_layout_stays_on_the_canvas() {
    use archflow::graph::EdgeKind;
    use archflow::view::{ClusterKind, ClusterView, EdgeView, Hint, NodeKind, NodeView};
    let node = |id: &str, kind, parent: Option<&str>| NodeView {
        id: id.to_owned(),
        kind,
        label: "i".to_owned(),
        detail: Some("ii".to_owned()),
        description: None,
        origin: None,
        parent: parent.map(str::to_owned),
        tags: Vec::new(),
        hint: Hint::default(),
    };
    let edge = |from: &str, to: &str, label: Option<&str>| EdgeView {
        from: from.to_owned(),
        to: to.to_owned(),
        kind: EdgeKind::Mount,
        label: label.map(str::to_owned),
    };
    let view = View {
        title: "fuzz".to_owned(),
        description: None,
        clusters: vec![ClusterView {
            id: "c0".to_owned(),
            kind: ClusterKind::Cluster,
            label: " ·".to_owned(),
            detail: Some("detail".to_owned()),
            description: None,
            origin: None,
            parent: None,
            hint: Hint::default(),
        }],
        nodes: vec![
            node("n0", NodeKind::Container, Some("c0")),
            node("n1", NodeKind::Actor, None),
        ],
        edges: vec![
            edge("n0", "n1", Some("aMi aaM 中 M&")),
            edge("n1", "n0", None),
            edge("n1", "n0", Some("&·a中Mi aaM·a中M M 中 MM 中")),
            edge("n1", "n1", None),
            edge("n0", "n0", None),
        ],
        flows: Vec::new(),
        decisions: std::sync::Arc::default(),
        tradeoffs: std::sync::Arc::default(),
        findings: std::sync::Arc::default(),
    };
    targets::layout_target(&view);
}

/// Crash regression (fuzz target `import_ecs`): a JSON key with a control character (DEL here)
/// went as it was into a "not imported" comment, and the imported model was invalid YAML.
#[test]
fn regression_control_characters_in_import_comments_keep_the_model_loadable() {
    for c in [0x7f_u32, 0x1, 0xd, 0x85, 0x2028, 0xfeff] {
        let json = format!(
            r#"{{"family": "f", "containerDefinitions": [{{"name": "c", "image": "i"}}],
                "volumes": [{{"name": "v", "efsVolumeConfiguration":
                {{"fileSystemId": "fs-1", "authori\u{c:04x}ationConfig": {{}}}}}}]}}"#
        );
        targets::import_ecs(&json);
    }
}

/// Regression (found by `random_views_keep_the_layout_invariants`): two sibling clusters whose
/// boxes touch (c2 ends at x = 28 + 472.84, c1 starts at 500.84) were reported as overlapping,
/// by the 1e-13 px that separates the two sums in floating point.
#[test]
#[allow(clippy::unreadable_literal)] // the random numbers proptest drew, as it printed them
fn regression_sibling_clusters_do_not_overlap() {
    let numbers: Vec<u32> = vec![
        3814740825, 2257900826, 4168546392, 3404427926, 1670247622, 920966007, 1638151798,
        2493873697, 256840874, 1899422603, 3081820561, 4047643771, 269345021, 745936668,
        3692326794, 3026548678, 1922761889, 790645531, 565482320, 745038757, 3432382726, 623992379,
        615043348, 10463747, 838033988, 1366985088, 1098952602, 3196608689, 4125344586, 2087975868,
        1442857900, 3657666208, 690597301, 3727255166, 2799594152, 1689263218, 1495334067,
        4081199443, 4204022130, 1602492400, 2948367111, 3617833818, 2773924372, 2764816974,
        356234850, 2746368744, 3720098960, 1628182527, 1768070290, 858862791, 3609813591,
        3193642010, 1156869115, 3771555894, 3331935197, 1277666863, 3474900684, 3361556823,
        3860179148, 1482056345, 3113606583, 1836036168, 2408244595, 2989947887, 3869121152,
        1706797485, 2281861169, 2384926118, 2380605231, 3736866583, 1693513702, 1179632729,
        2570167698, 4294156904, 3378165548, 846431755, 4042022734, 1721077453, 3416488543,
        3613789745, 1390169823, 1334218827, 1976573183, 3895734338, 562997492, 2729250867,
        3030959617, 1667731287, 1004042109, 2945944116, 1684050834, 4114531569, 2247923565,
        4200096249, 940120132, 142318342, 1753075452, 910984697, 331407690, 1712531696, 205460428,
        1940546282, 3315670503, 1407866602, 556636304, 3681370803, 293388320, 2132394646,
        3629527793, 1500128038, 3554261605, 1204142733, 473392810, 349672439, 2660170250,
        3461778031, 844438681, 4183098402, 1911673813, 4207513019, 2956687226, 1549672879,
        3212282314, 823794412, 406819370, 2795664646, 2070624548, 2854989162, 1932920685,
        2597744950, 1675842865, 2011502075, 500332375, 427205123, 3282931710, 565351017,
        4264680480, 3084426826, 986938489, 3815942728, 2411761861, 2813757742, 1598108627,
        175298705, 1021713394, 1143203254, 3833723085, 1475209375, 4264044438, 2922471189,
        3838312159, 2635241662, 3481887183, 2966347200, 3815875707, 2881434257, 2026722183,
        203264270, 2954541068, 2340037844, 1756112889, 1605828850, 4292357917, 2321993766,
        2436921553, 2709949229, 1755714270, 90444387, 2665859610, 315158392, 881308969, 605824086,
        3571744564, 903090624, 1538770814, 2620395186, 4013505829, 2922298729, 185771812,
        636493769, 2470795788, 1143160808, 962117633, 4062082497, 2156336579, 1323752358,
        4196929532, 990179296, 3702598611, 2509616332, 1573408509, 1681706696, 3069587633,
        3624502640, 2667471940, 1055288706, 513243619, 3568325529, 3595772165, 69201288, 588398392,
        3909876746, 1669403028, 11948842, 1099754836, 2906548114, 2334341892, 1264240923,
        2702254920, 301156478, 4223158141, 3624313782, 2216183122, 3004472310, 184448251,
        3127005410, 2998010863, 5114753, 1382062965, 398853945, 1671772578, 3582039652, 1081924464,
        558716839, 2817042384, 1939399281, 392453682, 2314059325, 3553015874, 3500310370,
        3125474904, 1387289478, 125065583, 1015051003, 3778831999, 2995007407, 661668982,
        651763395, 1653458434, 164668714, 1275255752, 311728238, 3583576141, 1207478692,
        2773323022, 2266139601, 774641552, 3519352471, 61297517, 189795152, 1976749843, 1207423432,
        2443891327, 894648552, 30235749, 319228470, 3075033000, 3699796162, 2580089109, 1785270416,
        900713431, 2780376715, 2855264480, 1494529253, 1271958132, 2206054269, 3275798423,
        2473496676, 964048117, 692912158, 3894010578, 3474578979, 4158343465, 3700086055,
        2764613553, 1542636164, 55015976, 581277362, 1425872510, 1825231388, 2472153529,
        2205866871, 2751914176, 1171526051, 3625943815, 3035870363, 1745645120, 3068249247,
        4187091632, 3624580013, 3715352707, 3205438946, 2319597178, 1470478434, 2374267999,
        916050586, 462298733, 4282911435, 1013229879, 3901304507, 1744920797, 1943847372,
        3820073303, 2311903743, 3662410699, 804056915, 105908509, 1498291269, 3325681797,
        3086175011, 552861250, 2484876860, 3930053203, 1604854259, 3767301593, 1272824960,
        1306893491, 1600115992, 249714084, 3405045074, 3321766998, 3861400140, 2895859674,
        2540512994, 1955972099, 2848511285, 1154617759, 1656859941, 1524345725,
    ];
    let view = targets::random_view(&mut Numbers(numbers.into_iter()));
    targets::layout_target(&view);
}
