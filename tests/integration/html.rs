//! Tests: html. The self-contained explainer page: its content (snapshot, with a stand-in for the
//! diagram), escaping of hostile names and Markdown, template overrides, its Content-Security-
//! Policy, and a real browser walking it (`tests/browser/check.mjs`, in Debian's Chromium).

use std::collections::BTreeMap;

use archflow::render::RenderError;
use archflow::render::html::{self, markdown_to_html, visible_controls};
use archflow::view::View;

use crate::support::{archflow, read, root, text};

const REFERENCE: &str = "architecture.yaml";
const HOSTILE: &str = "tests/fixtures/models/hostile-names/model.yaml";
const MULTI_SERVICE: &str = "tests/fixtures/models/multi-service/model.yaml";

/// Stands in for the diagram in the snapshot: the SVG renderer has tests of its own.
const PLACEHOLDER_SVG: &str = "<svg class=\"archflow\" id=\"svg-placeholder\"></svg>";

/// The view of a model, findings attached, as `archflow render --format html` builds it.
fn view(path: &str) -> View {
    let source = archflow::source::Source::new(path, read(path));
    archflow::analyze(&source).view().unwrap()
}

fn svg(view: &View) -> String {
    archflow::render::svg::render(
        view,
        &archflow::layout::layout(view, archflow::layout::LayoutOptions::default()),
    )
}

fn page(view: &View, svg: &str) -> String {
    html::render(view, svg, &BTreeMap::new()).unwrap()
}

/// The page as `archflow render --format html` writes it: the default view and every other
/// view the reader can open.
fn full_page(text: &str) -> String {
    let analysis = archflow::analyze(&archflow::source::Source::new(
        "model.yaml",
        text.to_owned(),
    ));
    archflow::render(
        &analysis,
        archflow::Format::Html,
        None,
        &archflow::BuildOptions::default(),
    )
    .unwrap()
}

fn with_overrides(view: &View, overrides: &[(&str, &str)]) -> Result<String, RenderError> {
    let overrides = overrides
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    html::render(view, PLACEHOLDER_SVG, &overrides)
}

/// The text between `open` and the next `</script>`.
fn script_text<'p>(page: &'p str, open: &str) -> &'p str {
    let start = page.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    &page[start..end]
}

/// The views a page carries as text besides its main one, by key (`3`, `3-narrow`), from its
/// plain blocks and its packed ones (unpacked: base64, zlib, then cut by the lengths in UTF-16
/// units that each block lists).
fn views_in_page(page: &str) -> BTreeMap<String, String> {
    use base64::Engine as _;
    use std::io::Read as _;
    let mut out = BTreeMap::new();
    let plain = "<script type=\"text/x-archflow-svg\" id=\"af-svg-";
    for (at, _) in page.match_indices(plain) {
        let rest = &page[at + plain.len()..];
        let (key, rest) = rest.split_once("\">").unwrap();
        out.insert(
            key.to_owned(),
            rest[..rest.find("</script>").unwrap()].to_owned(),
        );
    }
    let packed = "<script type=\"text/x-archflow-svgz\" data-keys=\"";
    for (at, _) in page.match_indices(packed) {
        let rest = &page[at + packed.len()..];
        let (keys, rest) = rest.split_once("\">").unwrap();
        let data = &rest[..rest.find("</script>").unwrap()];
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap();
        let mut text = String::new();
        flate2::read::ZlibDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut from = 0;
        for entry in keys.split(' ') {
            let (key, len) = entry.rsplit_once(':').unwrap();
            let to = from + len.parse::<usize>().unwrap();
            out.insert(
                key.to_owned(),
                String::from_utf16(&units[from..to]).unwrap(),
            );
            from = to;
        }
        assert_eq!(from, units.len(), "block {keys}");
    }
    out
}

/// Every tag of the page (`<…>`), outside the contents of `<script>` and `<style>` elements.
fn tags(page: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..=start + len];
        tags.push(tag);
        rest = &rest[start + len + 1..];
        for raw in ["script", "style"] {
            if tag.starts_with(&format!("<{raw}")) {
                let close = rest.find(&format!("</{raw}>")).expect("closed");
                rest = &rest[close..];
            }
        }
    }
    tags
}

#[test]
fn reference_page() {
    let view = view(REFERENCE);
    assert!(
        !view.findings.is_empty(),
        "the reference model has a warning"
    );
    insta::assert_snapshot!("reference_page", page(&view, PLACEHOLDER_SVG));
}

/// "Why it is built this way": every cluster, service and task description, each decision
/// record and each trade-off, linked both ways with the components they concern.
#[test]
fn why_section_explains_descriptions_decisions_and_trade_offs() {
    let view = view(REFERENCE);
    let page = page(&view, PLACEHOLDER_SVG);
    let why = &page[page.find("<section id=\"why\"").unwrap()..];
    let why = &why[..why.find("</section>").unwrap()];
    for (i, cluster) in view.clusters.iter().enumerate() {
        let entry = &why[why.find(&format!("id=\"place-{i}\"")).unwrap()..];
        let description = cluster.description.as_deref().unwrap();
        let first_words: String = description
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        let shown = markdown_to_html(description);
        assert!(entry.starts_with(&format!("id=\"place-{i}\"")));
        assert!(
            entry[..entry.find("</dd>").unwrap()].contains(shown.trim()),
            "{}: {first_words}",
            cluster.id
        );
    }
    assert!(!view.decisions.is_empty());
    for (i, d) in view.decisions.iter().enumerate() {
        let anchor = format!("id=\"decision-{}\"", i + 1);
        assert!(why.contains(&anchor), "{anchor}");
        for text in [&d.context, &d.decision, &d.consequences] {
            assert!(why.contains(markdown_to_html(text.as_deref().unwrap()).trim()));
        }
        // Each concern links to its entry, and the entry links back.
        for concern in &d.concerns {
            let href = match view.nodes.iter().position(|n| n.id == *concern) {
                Some(n) => format!("#component-{n}"),
                None => format!(
                    "#place-{}",
                    view.clusters.iter().position(|c| c.id == *concern).unwrap()
                ),
            };
            assert!(why.contains(&format!("href=\"{href}\"")), "{concern}");
            let entry = &page[page.find(&format!("id=\"{}\"", &href[1..])).unwrap()..];
            let entry = &entry[..entry.find("</dd>").unwrap()];
            assert!(
                entry.contains(&format!("href=\"#decision-{}\"", i + 1)),
                "{concern} does not link to decision {}",
                i + 1
            );
        }
    }
    let kinds: Vec<&str> = view.tradeoffs.iter().map(|t| t.kind).collect();
    for (i, kind) in kinds.iter().enumerate() {
        assert!(
            why.contains(&format!(
                "class=\"tradeoff tradeoff-{kind}\" id=\"tradeoff-{}\"",
                i + 1
            )),
            "{kind}"
        );
    }
    // The single task is reported by A010: the trade-off links to the finding and to `explain`.
    let single = &why[why.find("tradeoff-single-task").unwrap()..];
    let single = &single[..single.find("</li>").unwrap()];
    let finding = view.findings.iter().position(|f| f.code == "A010").unwrap();
    assert!(
        single.contains(&format!("href=\"#finding-{}\"", finding + 1)),
        "{single}"
    );
    assert!(single.contains("<code>archflow explain A010</code>"));
}

#[test]
fn the_real_diagram_is_embedded_verbatim() {
    let view = view(REFERENCE);
    let svg = svg(&view);
    let page = page(&view, &svg);
    assert!(
        page.contains(&svg),
        "the page must hold the SVG as the renderer wrote it"
    );
    assert_eq!(page.matches(svg.as_str()).count(), 1);
}

/// The page's script finds a step's elements by the SVG's ids (`af-n{i}`, `af-e{i}`).
#[test]
fn every_element_a_step_lights_is_in_the_diagram() {
    for path in [REFERENCE, HOSTILE] {
        let view = view(path);
        let svg = svg(&view);
        for step in view.flows.iter().flat_map(|f| &f.steps) {
            for i in &step.nodes {
                assert!(svg.contains(&format!("id=\"af-n{i}\"")), "{path}: af-n{i}");
            }
            for i in &step.edges {
                assert!(svg.contains(&format!("id=\"af-e{i}\"")), "{path}: af-e{i}");
            }
        }
    }
}

/// Each view that draws a flow carries its steps in its own numbering (a flow's view and the
/// overview number their elements differently from the main view), so that a step lights where
/// the reader is: every index names an element of that view's drawing, and the steps of the
/// flow's view are not the main view's.
#[test]
fn each_view_lights_its_flows_in_its_own_numbering() {
    let page = full_page(&read(REFERENCE));
    let data = script_text(&page, "<script type=\"application/json\" id=\"af-data\">");
    let json: serde_json::Value = serde_json::from_str(data).unwrap();
    let main_steps = &json["flows"][0]["steps"];
    let views = json["views"].as_array().unwrap();
    let mut kinds = Vec::new();
    for (i, v) in views.iter().enumerate().skip(1) {
        let Some(flows) = v["flows"].as_array() else {
            assert_ne!(
                v["kind"], "flow",
                "{}: a flow's view without its flow",
                v["name"]
            );
            continue;
        };
        kinds.push(v["kind"].as_str().unwrap().to_owned());
        let svg = script_text(
            &page,
            &format!("<script type=\"text/x-archflow-svg\" id=\"af-svg-{i}\">"),
        );
        for flow in flows {
            let steps = flow["steps"].as_array().unwrap();
            assert_eq!(steps.len(), main_steps.as_array().unwrap().len());
            for step in steps {
                for (key, prefix) in [("nodes", "af-n"), ("edges", "af-e")] {
                    for n in step[key].as_array().unwrap() {
                        let id = format!("id=\"{prefix}{n}\"");
                        assert!(svg.contains(&id), "{}: no {id}", v["name"]);
                    }
                }
            }
            if v["kind"] == "flow" {
                assert_ne!(&flow["steps"], main_steps, "{}", v["name"]);
            }
        }
    }
    kinds.sort();
    assert_eq!(kinds, ["flow", "overview"]);
    // A service's view draws no flow, and says nothing about one.
    assert!(
        views
            .iter()
            .filter(|v| v["kind"] == "service")
            .all(|v| v.get("flows").is_none())
    );
}

/// The diagram's caption says which view is shown: the page writes the main view's, and the
/// script has one pattern per kind of view to write another's (not one text per view: a big
/// model has thousands).
#[test]
fn the_caption_names_the_view_on_screen() {
    let caption = |page: &str| {
        let open = "<span id=\"af-view-caption\">";
        let start = page.find(open).expect("a caption") + open.len();
        page[start..start + page[start..].find("</span>").unwrap()].to_owned()
    };
    let reference = full_page(&read(REFERENCE));
    assert_eq!(
        caption(&reference),
        "Every component and connection in the model."
    );
    let data = script_text(
        &reference,
        "<script type=\"application/json\" id=\"af-data\">",
    );
    let json: serde_json::Value = serde_json::from_str(data).unwrap();
    let captions = json["captions"].as_object().unwrap();
    let mut kinds: Vec<&str> = captions.keys().map(String::as_str).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["all", "custom", "flow", "overview", "service"]);
    // Every kind of view the page has has its pattern, and the views that are one of many
    // name themselves.
    for v in json["views"].as_array().unwrap() {
        let pattern = captions[v["kind"].as_str().unwrap()].as_str().unwrap();
        if matches!(v["kind"].as_str(), Some("service" | "flow" | "custom")) {
            assert!(pattern.starts_with("{title}: "), "{pattern}");
        }
    }
    // A big model's page opens on its overview, and says so.
    let big = full_page(&archflow::synth::generate(30, 1));
    assert!(
        caption(&big).starts_with("The overview: "),
        "{}",
        caption(&big)
    );
}

#[test]
fn output_is_deterministic() {
    let view = view(REFERENCE);
    let svg = svg(&view);
    assert_eq!(page(&view, &svg), page(&view, &svg));
}

#[test]
fn hostile_names_stay_text() {
    let view = view(HOSTILE);
    let page = page(&view, &svg(&view));
    let lower = page.to_ascii_lowercase();
    // Only the page's own two script elements: the flow data and the script.
    assert_eq!(lower.matches("<script").count(), 2, "{page}");
    assert_eq!(
        lower
            .matches("<script type=\"application/json\" id=\"af-data\">")
            .count(),
        1
    );
    assert_eq!(lower.matches("<script>").count(), 1);
    for bad in ["<img", "-->", "javascript:", "\u{202e}"] {
        assert!(!lower.contains(bad), "{bad:?} in the page");
    }
    // `onerror=` appears only as text, never inside a tag.
    for tag in tags(&page) {
        assert!(!tag.to_ascii_lowercase().contains("onerror="), "{tag}");
    }
    assert!(page.contains(
        "<h1>Hostile &lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &#39;single&#39; --&gt; ]] {{ }}</h1>"
    ));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt; &amp; <code>code</code>"));
    assert!(page.contains("API {{ }} ; # % ` ü 中文 &lt;U+202E&gt; bidi"));
    // The flow data cannot close its script element.
    let data = script_text(&page, "<script type=\"application/json\" id=\"af-data\">");
    assert!(!data.contains('<') && !data.contains('>'), "{data}");
    let json: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(json["flows"][0]["name"], "flow <1>");
}

#[test]
fn markdown_cannot_inject_markup() {
    let hostile = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n\
        <iframe src=\"https://example.com\"></iframe>\n\n\
        [click](javascript:alert(3)) [ok](https://example.com/?a=1&b=2) ![pic](data:image/png;base64,AAAA)";
    let html = markdown_to_html(hostile);
    for bad in [
        "<script",
        "<img",
        "<iframe",
        "javascript:",
        "data:",
        "onerror=alert(2)>",
    ] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("click"), "the link text stays: {html}");
    assert!(
        html.contains(r#"<a href="https://example.com/?a=1&amp;b=2">ok</a>"#),
        "{html}"
    );

    // Every Markdown field of the page goes through it.
    let mut view = view(REFERENCE);
    view.description = Some(hostile.to_owned());
    view.nodes[0].description = Some(hostile.to_owned());
    view.flows[0].description = Some(hostile.to_owned());
    view.flows[0].steps[0].note = Some(hostile.to_owned());
    let findings = std::sync::Arc::make_mut(&mut view.findings);
    findings[0].doc = Some(hostile.to_owned());
    findings[0].message = "`<script>` and <blink>".to_owned();
    let page = page(&view, PLACEHOLDER_SVG);
    let lower = page.to_ascii_lowercase();
    assert_eq!(lower.matches("<script").count(), 2);
    for bad in ["<img", "<iframe", "javascript:", "data:image", "<blink>"] {
        assert!(!lower.contains(bad), "{bad} in the page");
    }
    assert_eq!(
        page.matches("&lt;script&gt;alert(1)&lt;/script&gt;")
            .count(),
        5
    );
    assert!(page.contains("<code>&lt;script&gt;</code> and &lt;blink&gt;"));
    for tag in tags(&page) {
        let tag = tag.to_ascii_lowercase();
        assert!(
            !tag.contains("onerror") && !tag.contains("javascript"),
            "{tag}"
        );
    }
}

#[test]
fn csp_allows_only_the_page_script() {
    let view = view(REFERENCE);
    let page = page(&view, &svg(&view));
    let script = script_text(&page, "<script>");
    assert!(script.contains("af-data"), "the page script");
    let csp = html::content_security_policy(script);
    let meta = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        csp.replace('\'', "&#39;")
    );
    assert!(page.contains(&meta), "{meta}");
    assert!(csp.starts_with("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"));
    assert!(csp.contains(&html::script_hash_source(script)));
    // The policy comes before anything it governs.
    assert!(page.find(&meta).unwrap() < page.find("<style>").unwrap());
    // A different script gets a different hash.
    let other = with_overrides(&view, &[("script.js", "console.log(1)")]).unwrap();
    assert!(other.contains("<script>console.log(1)</script>"));
    assert!(other.contains(&html::script_hash_source("console.log(1)").replace('\'', "&#39;")));
}

#[test]
fn a_template_can_be_overridden() {
    let view = view(REFERENCE);
    let page = with_overrides(
        &view,
        &[(
            "finding.html.j2",
            "<li class=\"mine\">{{ finding.code }}: {{ finding.message }}</li>\n",
        )],
    )
    .unwrap();
    assert!(
        page.contains("<li class=\"mine\">A010: service `goals` runs a single task"),
        "{page}"
    );
    assert!(!page.contains("Why this matters"));
    // A template of one's own, called from an overridden page.
    let page = with_overrides(
        &view,
        &[
            (
                "page.html.j2",
                "<h1>{{ page.title }}</h1>{{ partial(\"extra.j2\", n=page.counts.components) }}",
            ),
            ("extra.j2", "<p>{{ n }} parts & {{ view.title }}</p>"),
        ],
    )
    .unwrap();
    assert_eq!(
        page,
        "<h1>Goals API on ECS</h1><p>8 parts & Goals API on ECS</p>"
    );
}

#[test]
fn undefined_variables_are_errors() {
    let view = view(REFERENCE);
    let err = with_overrides(&view, &[("page.html.j2", "<p>{{ nope }}</p>")]).unwrap_err();
    let RenderError::Template { name, message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(name, "page.html.j2");
    assert!(message.contains("undefined"), "{message}");
    // In a partial too, named after the partial.
    let err = with_overrides(&view, &[("component.html.j2", "{{ component.nope }}")]).unwrap_err();
    assert!(
        matches!(&err, RenderError::Template { name, .. } if name == "component.html.j2"),
        "{err:?}"
    );
    // A syntax error names its template.
    let err = with_overrides(&view, &[("flow.html.j2", "{% if %}")]).unwrap_err();
    assert!(
        matches!(&err, RenderError::Template { name, .. } if name == "flow.html.j2"),
        "{err:?}"
    );
    // A partial that calls itself stops.
    let err = with_overrides(
        &view,
        &[("page.html.j2", "{{ partial(\"page.html.j2\") }}")],
    )
    .unwrap_err();
    assert!(err.to_string().contains("nest"), "{err}");
}

#[test]
fn templates_flag_overrides_by_file_name() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(REFERENCE), tmp.path().join(REFERENCE)).unwrap();
    let templates = tmp.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("component.html.j2"),
        "<div class=\"custom-term\">{{ component.label }}</div>\n",
    )
    .unwrap();
    let out = archflow(
        tmp.path(),
        &["render", "--format", "html", "--templates", "templates"],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.matches("<div class=\"custom-term\">").count(), 8);
    assert!(stdout.contains("<div class=\"custom-term\">Node.js REST API</div>"));
    assert!(
        !stdout.contains("class=\"term "),
        "the built-in entry is replaced"
    );

    std::fs::write(templates.join("component.html.j2"), "{{ missing }}").unwrap();
    let out = archflow(
        tmp.path(),
        &["render", "--format", "html", "--templates", "templates"],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("template `component.html.j2`"), "{stderr}");
}

/// What the browser must read as text, exactly: `[selector, textContent]` pairs.
fn expected_text(view: &View) -> serde_json::Value {
    let shown = |s: &str| visible_controls(s).trim().to_owned();
    let mut pairs = vec![
        ("h1".to_owned(), shown(&view.title)),
        (
            "head > title".to_owned(),
            format!("{} · architecture", shown(&view.title)),
        ),
    ];
    for (f, flow) in view.flows.iter().enumerate() {
        pairs.push((format!("#flow-{f}-title"), shown(&flow.title)));
        for (k, step) in flow.steps.iter().enumerate() {
            let label = |name: &str| {
                view.nodes
                    .iter()
                    .find(|n| n.id == name)
                    .map_or_else(|| shown(name), |n| shown(&n.label))
            };
            let li = format!("#flow-{f}-step-{}", k + 1);
            pairs.push((format!("{li} .step-from"), label(&step.from)));
            pairs.push((format!("{li} .step-to"), label(&step.to)));
            if let Some(action) = &step.action {
                pairs.push((format!("{li} .step-action"), shown(action)));
            }
        }
    }
    for (i, node) in view.nodes.iter().enumerate() {
        pairs.push((format!("#component-{i} .term-label"), shown(&node.label)));
    }
    for (i, d) in view.decisions.iter().enumerate() {
        pairs.push((
            format!("#decision-{} .decision-title", i + 1),
            format!("Decision {} {}", i + 1, shown(&d.title)),
        ));
    }
    for (i, t) in view.tradeoffs.iter().enumerate() {
        pairs.push((
            format!("#tradeoff-{} .tradeoff-title", i + 1),
            shown(&t.title),
        ));
    }
    serde_json::json!({ "text": pairs })
}

/// The pages archflow writes, loaded in Debian's Chromium by `tests/browser/check.mjs`: no
/// console error or network request, Next and the arrow keys walk the highlight through every
/// step, hostile names show as text and run nothing, and without scripts every step is listed.
/// Skipped locally when Chromium or playwright-core is missing; under CI that fails.
#[test]
fn browser() {
    let Some(checker) = crate::support::browser_checker() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, path) in [
        ("reference", REFERENCE),
        ("hostile-names", HOSTILE),
        ("multi-service", MULTI_SERVICE),
        // Flows with groups of steps: headings between the steps, which stay the steps.
        ("flows", "examples/flows.yaml"),
    ] {
        let view = view(path);
        let file = dir.path().join(format!("{name}.html"));
        std::fs::write(&file, full_page(&read(path))).unwrap();
        let expect = dir.path().join(format!("{name}.expect.json"));
        std::fs::write(&expect, expected_text(&view).to_string()).unwrap();
        files.push(file);
    }
    // A model of 30 services opens on its overview; each service has a view of its own.
    let file = dir.path().join("synthetic-30.html");
    std::fs::write(&file, full_page(&archflow::synth::generate(30, 1))).unwrap();
    files.push(file);
    // One of 500 services: its overview is drawn in tiles, as the screen needs them, and some
    // hops span more of it than a 400-pixel frame shows at 5% (the page's smallest scale for a
    // hop once was 5%, and those hops were left partly off screen).
    let file = dir.path().join("synthetic-500.html");
    let page = full_page(&archflow::synth::generate(500, 1));
    assert!(page.contains("<svg data-tiles=\"main\" "));
    // Its views come packed: the script unpacks one when it is opened.
    assert!(page.contains("type=\"text/x-archflow-svgz\""));
    assert!(!page.contains("type=\"text/x-archflow-svg\""));
    std::fs::write(&file, page).unwrap();
    files.push(file);
    // A client polling: six hops on one edge, whose numbered badges must still cover nothing.
    let polling = read(REFERENCE).replacen(
        "\nflows:\n",
        "\nflows:\n  - name: poll\n    steps:\n\
         \x20     - {from: user, to: goals-alb, action: GET /goals/42}\n\
         \x20     - {from: goals-alb, to: user, action: 202 Accepted}\n\
         \x20     - {from: user, to: goals-alb, action: GET /goals/42}\n\
         \x20     - {from: goals-alb, to: user, action: 202 Accepted}\n\
         \x20     - {from: user, to: goals-alb, action: GET /goals/42}\n\
         \x20     - {from: goals-alb, to: user, action: 200 OK}\n",
        1,
    );
    assert!(polling.contains("name: poll"));
    let file = dir.path().join("polling.html");
    std::fs::write(&file, full_page(&polling)).unwrap();
    files.push(file);
    // Screenshots go to ARCHFLOW_SCREENSHOTS when set (to look at them), else into the temp dir.
    let shots = std::env::var_os("ARCHFLOW_SCREENSHOTS")
        .map_or_else(|| dir.path().join("screenshots"), Into::into);
    crate::support::run_node_checker(
        &checker.join("check.mjs"),
        &["--screenshots".as_ref(), shots.as_os_str()],
        &files,
        "the browser check",
    );
    for name in [
        "reference-light.png",
        "reference-dark.png",
        "hostile-names-light.png",
    ] {
        let size = std::fs::metadata(shots.join(name)).map_or(0, |m| m.len());
        assert!(size > 10_000, "screenshot {name}: {size} bytes");
    }
}

/// A page of 1,000 services stays light: fewer than 45,000 elements with every view on board
/// (the page of everything had 209,000), and it loads in Chromium
/// and takes a step within generous bounds (10 s and 2 s: the test runs beside the others on a
/// busy machine; BENCHMARKS.md has the figures on a quiet one), measured by
/// `tests/browser/perf.mjs`, which also fails if the browser lays out hundreds of the drawing twice
/// while the page loads. Skipped locally without Chromium, as `browser`.
#[test]
fn big_page_loads_fast() {
    let Some(checker) = crate::support::browser_checker() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("services-1000.html");
    let page = full_page(&archflow::synth::generate(1000, 1));
    // The overview is drawn in tiles; each service's view waits, packed, until it is opened:
    // a block of views to a few hundred kilobytes of them, each view one SVG.
    let views = views_in_page(&page);
    assert!(views.len() > 1000);
    assert!(
        views
            .values()
            .all(|v| v.starts_with("<svg ") && v.ends_with("</svg>"))
    );
    let blocks = page.matches("type=\"text/x-archflow-svgz\"").count();
    let raw: usize = views.values().map(String::len).sum();
    assert!(
        blocks > 1 && blocks <= raw / (256 * 1024) + 1,
        "{blocks} blocks"
    );
    assert!(
        page.len() < raw,
        "{} bytes of page for {raw} of views",
        page.len()
    );
    assert!(page.contains("<svg data-tiles=\"main\" "));
    assert!(page.matches("type=\"text/x-archflow-tile\"").count() > 100);
    // Too many views for top-to-bottom twins, and the overview is panned on any screen: none.
    assert_eq!(page.matches("-narrow\"").count(), 0);
    // Most glossary entries wait as text too, until the reader scrolls to them.
    assert!(page.matches("<noscript class=\"af-later\">").count() >= 10);
    assert_eq!(page.matches("<svg").count(), 1);
    std::fs::write(&file, page).unwrap();
    let report = crate::support::run_node_checker(
        &checker.join("perf.mjs"),
        &[
            "--load-under".as_ref(),
            "10000".as_ref(),
            "--step-under".as_ref(),
            "2000".as_ref(),
            "--nodes-under".as_ref(),
            "45000".as_ref(),
        ],
        &[file],
        "the load-time check",
    );
    assert!(report.contains("\"load_ms\""), "{report}");
}

/// The page carries every view but `all` beside its main one: each as a data block the script
/// draws when it is opened, named in the script's data with the slug of its address.
#[test]
fn the_page_carries_every_view() {
    let text = archflow::synth::generate(30, 1);
    let page = full_page(&text);
    let analysis = archflow::analyze(&archflow::source::Source::new("model.yaml", text));
    let views = analysis.views().unwrap();
    let data = script_text(&page, "<script type=\"application/json\" id=\"af-data\">");
    let json: serde_json::Value = serde_json::from_str(data).unwrap();
    let listed = json["views"].as_array().unwrap();
    // 30 services: the overview is the main view, and `all` is left out.
    assert_eq!(listed[0]["name"], "overview");
    assert_eq!(listed.len(), views.len() - 1);
    assert!(listed.iter().all(|v| v["name"] != "all"));
    let api = listed
        .iter()
        .position(|v| v["name"] == "service:api-1")
        .unwrap();
    assert_eq!(listed[api]["slug"], "service-api-1");
    let block = format!("<script type=\"text/x-archflow-svg\" id=\"af-svg-{api}\"><svg ");
    assert!(page.contains(&block), "{block}");
    // One diagram is drawn; the others, and each left-to-right one top to bottom (a page of
    // this few views has room for them), wait as text.
    assert!(page.contains("id=\"af-svg-narrow\""));
    let twins = (1..listed.len())
        .filter(|i| page.contains(&format!("id=\"af-svg-{i}-narrow\"")))
        .count();
    assert_eq!(twins, listed.len() - 1);
    assert_eq!(
        page.matches("type=\"text/x-archflow-svg\"").count(),
        listed.len() + twins
    );
    let twin = script_text(
        &page,
        &format!("<script type=\"text/x-archflow-svg\" id=\"af-svg-{api}-narrow\">"),
    );
    let drawn = script_text(
        &page,
        &format!("<script type=\"text/x-archflow-svg\" id=\"af-svg-{api}\">"),
    );
    assert!(twin.starts_with("<svg ") && twin != drawn);
    // The blocks leave out the style sheet the drawn diagram has.
    assert_eq!(page.matches("<style>\n.archflow{").count(), 1);
}
