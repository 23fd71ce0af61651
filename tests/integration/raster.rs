//! PNG and PDF without a browser: the PNG decodes, has the SVG's size times the scale, and its
//! text is drawn; the PDF parses and its text holds the component names; both are the same
//! bytes every time.

use std::path::Path;

use archflow::render::raster::Scale;
use archflow::source::Source;
use archflow::{BuildOptions, Format};

use crate::support::{archflow, read, root};

/// The reference model's rendered SVG and PNG (with the given scale).
fn reference(format: Format, scale: f32) -> (String, Vec<u8>) {
    let analysis = archflow::analyze(&Source::new("architecture.yaml", read("architecture.yaml")));
    let options = BuildOptions {
        scale: Scale::new(scale).unwrap(),
        ..BuildOptions::default()
    };
    let svg = archflow::render(&analysis, Format::Svg, None, &options).unwrap();
    let rendered = archflow::render_bytes(&analysis, format, None, &options).unwrap();
    assert_eq!(rendered.note, None);
    (svg, rendered.bytes)
}

/// A decoded PNG: width, height, RGB pixels.
struct Picture {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

impl Picture {
    fn decode(bytes: &[u8]) -> Self {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        let channels = match info.color_type {
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            other => panic!("unexpected colour type {other:?}"),
        };
        let rgb = buf[..info.buffer_size()]
            .chunks_exact(channels)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        Self {
            width: info.width,
            height: info.height,
            rgb,
        }
    }

    fn at(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }

    /// Pixels in the box (SVG units × scale) darker than mid-grey: drawn text or lines.
    fn dark_pixels(&self, (x0, y0, x1, y1): (f64, f64, f64, f64), scale: f64) -> usize {
        #[allow(clippy::cast_sign_loss)] // clamped to 0 first
        let px = |v: f64| (v * scale).round().max(0.0) as u32;
        let mut n = 0;
        for y in px(y0)..px(y1).min(self.height) {
            for x in px(x0)..px(x1).min(self.width) {
                let [r, g, b] = self.at(x, y);
                if u32::from(r) + u32::from(g) + u32::from(b) < 3 * 128 {
                    n += 1;
                }
            }
        }
        n
    }
}

/// The SVG's `width` and `height`.
fn svg_size(svg: &str) -> (f64, f64) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    let get = |a: &str| root.attribute(a).unwrap().parse::<f64>().unwrap();
    (get("width"), get("height"))
}

/// The box around the name of the node called `name`: its text's anchor ± a generous half width,
/// from a little above the baseline to just under it (SVG units).
fn label_box(svg: &str, name: &str) -> (f64, f64, f64, f64) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let node = doc
        .descendants()
        .find(|n| n.attribute("data-name") == Some(name))
        .unwrap_or_else(|| panic!("no node {name}"));
    let text = node
        .children()
        .find(|n| n.attribute("class") == Some("name"))
        .unwrap();
    let x: f64 = text.attribute("x").unwrap().parse().unwrap();
    let y: f64 = text.attribute("y").unwrap().parse().unwrap();
    let half = 3.0 * text.text().unwrap().chars().count() as f64;
    (x - half, y - 9.0, x + half, y + 2.0)
}

#[test]
fn png_of_the_reference_has_its_size_light_background_and_visible_text() {
    let (svg, bytes) = reference(Format::Png, 1.0);
    let picture = Picture::decode(&bytes);
    let (w, h) = svg_size(&svg);
    assert_eq!(
        (f64::from(picture.width), f64::from(picture.height)),
        (w.round(), h.round())
    );
    // The light theme: the background is white, not the dark theme's #15191e.
    assert_eq!(picture.at(1, 1), [255, 255, 255]);
    assert_eq!(
        picture.at(picture.width - 2, picture.height - 2),
        [255, 255, 255]
    );
    // Text is drawn: every component name's box holds dark (text-coloured) pixels.
    for name in ["goals-alb", "goals-tg", "mongodb", "goals-data"] {
        let dark = picture.dark_pixels(label_box(&svg, name), 1.0);
        assert!(dark >= 20, "{name}: only {dark} dark pixels in its label");
    }
    // … and a box of plain background holds none.
    assert_eq!(picture.dark_pixels((0.0, 0.0, 10.0, 10.0), 1.0), 0);
}

#[test]
fn scale_two_doubles_the_size() {
    let (svg, one) = reference(Format::Png, 1.0);
    let (_, two) = reference(Format::Png, 2.0);
    let (one, two) = (Picture::decode(&one), Picture::decode(&two));
    assert_eq!((two.width, two.height), (2 * one.width, 2 * one.height));
    let dark = two.dark_pixels(label_box(&svg, "goals-alb"), 2.0);
    assert!(
        dark >= 80,
        "only {dark} dark pixels in goals-alb at scale 2"
    );
}

#[test]
fn pdf_of_the_reference_holds_the_component_names_as_text() {
    let (svg, bytes) = reference(Format::Pdf, 1.0);
    assert!(bytes.starts_with(b"%PDF-"));
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert_eq!(pages, [1]);
    // Every glyph is placed where the layout put it, so lopdf's extraction gives one glyph per
    // line (PDF readers join them by position); joined, the lines are the SVG's text.
    let text: String = doc.extract_text(&pages).unwrap().lines().collect();
    for name in [
        "goals-alb",
        "goals-tg",
        "MongoDB",
        "goals-data",
        "Node.js REST API",
        "API client",
        "goals-cluster",
    ] {
        assert!(
            text.contains(name),
            "`{name}` is not in the PDF's text:\n{text}"
        );
    }
    // The page is the drawing's size in points (one SVG unit = 1/96 inch).
    let (w, h) = svg_size(&svg);
    let page = doc.get_pages()[&1];
    let media = doc
        .get_object(page)
        .and_then(lopdf::Object::as_dict)
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(lopdf::Object::as_array)
        .unwrap();
    let number = |o: &lopdf::Object| o.as_float().map(f64::from).unwrap();
    assert!((number(&media[2]) - w * 0.75).abs() < 0.5, "{media:?}");
    assert!((number(&media[3]) - h * 0.75).abs() < 0.5, "{media:?}");
}

#[test]
fn png_and_pdf_are_the_same_bytes_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let model = root().join("architecture.yaml");
    let model = model.to_str().unwrap();
    for (format, file) in [("png", "a.png"), ("pdf", "a.pdf")] {
        let mut runs = Vec::new();
        for _ in 0..2 {
            let out = archflow(dir.path(), &["render", model, "-f", format, "-o", file]);
            assert_eq!(out.status.code(), Some(0), "{out:?}");
            runs.push(std::fs::read(dir.path().join(file)).unwrap());
        }
        assert_eq!(runs[0], runs[1], "{format} differs between two runs");
        // And the library gives the same bytes as the command line.
        // And the library gives the same bytes as the command line (PNG at its default scale).
        let library = if format == "png" {
            reference(Format::Png, Scale::default().get()).1
        } else {
            reference(Format::Pdf, 1.0).1
        };
        assert_eq!(runs[0], library, "{format}");
    }
}

#[test]
fn render_writes_png_to_a_pipe_and_scales_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let model = root().join("architecture.yaml");
    let model = model.to_str().unwrap();
    let out = archflow(
        dir.path(),
        &["render", model, "--format", "png", "--scale", "1"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let one = Picture::decode(&out.stdout);
    // The default scale is 2.
    let out = archflow(
        dir.path(),
        &["render", model, "--format", "png", "-o", "x2.png"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let two = Picture::decode(&std::fs::read(dir.path().join("x2.png")).unwrap());
    assert_eq!((two.width, two.height), (2 * one.width, 2 * one.height));
    let out = archflow(
        dir.path(),
        &[
            "render", model, "--format", "png", "--scale", "0.5", "-o", "half.png",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let half = Picture::decode(&std::fs::read(dir.path().join("half.png")).unwrap());
    assert!(
        half.width.abs_diff(one.width / 2) <= 1,
        "{} vs {}",
        half.width,
        one.width
    );
}

#[test]
fn bad_scale_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let model = root().join("architecture.yaml");
    let model = model.to_str().unwrap();
    for (args, says) in [
        (&["--format", "png", "--scale", "0"][..], "0.1"),
        (&["--format", "png", "--scale", "8.5"], "0.1"),
        (&["--format", "png", "--scale", "-1"], ""),
        (&["--format", "png", "--scale", "two"], "0.1"),
        (&["--format", "png", "--scale", "NaN"], "0.1"),
        (&["--format", "svg", "--scale", "2"], "--format png"),
        (&["--format", "pdf", "--scale", "2"], "--format png"),
    ] {
        let mut all = vec!["render", model];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", "out.bin"]);
        let out = archflow(dir.path(), &all);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!Path::new(&dir.path().join("out.bin")).exists(), "{args:?}");
    }
}

#[test]
fn every_view_of_a_synthetic_model_draws() {
    let analysis = archflow::analyze(&Source::new("s.yaml", archflow::synth::generate(30, 1)));
    let flow = analysis
        .views()
        .unwrap()
        .into_iter()
        .find(|v| v.name.starts_with("flow:"))
        .unwrap()
        .name;
    for view in ["all", "overview", "service:api-7", flow.as_str()] {
        let options = BuildOptions {
            view: Some(view.to_owned()),
            ..BuildOptions::default()
        };
        for format in [Format::Png, Format::Pdf] {
            let rendered = archflow::render_bytes(&analysis, format, None, &options)
                .unwrap_or_else(|e| panic!("{view} {format:?}: {e}"));
            assert!(rendered.bytes.len() > 1000, "{view} {format:?}");
        }
    }
    // The text formats come out as their text's bytes.
    let options = BuildOptions::default();
    let text = archflow::render(&analysis, Format::Mermaid, None, &options).unwrap();
    let bytes = archflow::render_bytes(&analysis, Format::Mermaid, None, &options).unwrap();
    assert_eq!(bytes.bytes, text.into_bytes());
    // `render` refuses the binary formats instead of returning text.
    assert!(archflow::render(&analysis, Format::Png, None, &options).is_err());
}

/// A PNG or PDF is not written to a terminal (it would only garble it): the command stops with a
/// message that says what to do, and writes nothing. `script` gives the command a terminal.
#[cfg(target_os = "linux")]
#[test]
fn png_to_a_terminal_is_refused_with_a_clear_message() {
    use crate::support::tool_ready;
    let ready = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !tool_ready("script (util-linux)", ready, "apt-get install util-linux") {
        return;
    }
    let model = root().join("architecture.yaml");
    let binary = env!("CARGO_BIN_EXE_archflow");
    for format in ["png", "pdf"] {
        let command = format!(
            "'{binary}' render '{}' --format {format}; echo \"exit=$?\"",
            model.display()
        );
        let out = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .output()
            .unwrap();
        let seen = String::from_utf8_lossy(&out.stdout);
        assert!(seen.contains("exit=2"), "{format}: {seen}");
        assert!(
            seen.contains("standard output is a terminal"),
            "{format}: {seen}"
        );
        assert!(seen.contains("-o FILE"), "{format}: {seen}");
        assert!(
            !seen.contains("PNG\r\n") && !seen.contains("%PDF"),
            "{format}: {seen}"
        );
    }
}
