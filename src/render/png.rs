//! PNG: archflow's SVG drawn by `resvg` (pure Rust, no browser), light theme, bundled font (see
//! [`raster`](super::raster)).
//!
//! The picture is the SVG's size times the [`Scale`], rounded, and never more than
//! [`MAX_PIXELS`] pixels or [`MAX_SIDE`] on a side: a larger one is drawn at the largest scale
//! that fits, and [`Png::note`] says so. The bytes depend only on the SVG and the scale: fixed
//! encoder settings, no time stamp, one font.

use resvg::tiny_skia;

use super::raster::{self, RasterError, Scale};

/// At most this many pixels (about 33.5 million: 128 MiB while drawing).
pub const MAX_PIXELS: u64 = 32 * 1024 * 1024;
/// At most this many pixels on a side.
pub const MAX_SIDE: u32 = 32_000;

/// SVG units (CSS pixels) are 1/96 inch: pixels per metre at scale 1.
const PIXELS_PER_METRE: f64 = 96.0 / 0.0254;

/// A drawn PNG.
#[derive(Clone, Debug, PartialEq)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The scale it was drawn at: the one asked for, or less when that was too large.
    pub scale: f32,
    /// Why the scale is smaller than the one asked for.
    pub note: Option<String>,
}

/// Draw `svg` (one of archflow's) at `scale`.
///
/// # Errors
/// When the SVG does not parse, or the picture cannot be encoded.
pub fn render(svg: &str, scale: Scale) -> Result<Png, RasterError> {
    let tree = raster::tree(svg)?;
    let size = tree.size();
    let (w, h) = (f64::from(size.width()), f64::from(size.height()));
    let asked = f64::from(scale.get());
    let fitted = fit(w, h, asked);
    let (width, height) = pixels(w, h, fitted);
    let note = (fitted < asked).then(|| {
        let (aw, ah) = pixels(w, h, asked);
        format!(
            "a {aw}×{ah} PNG would be over the limit of {MAX_PIXELS} pixels ({MAX_SIDE} on a \
             side); drew it {width}×{height} (scale {fitted:.3}). For a sharper picture draw one \
             view (--view) or use --format svg or pdf"
        )
    });
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or_else(|| RasterError::Encode {
        format: "PNG",
        message: format!("cannot make a {width}×{height} picture"),
    })?;
    let s = fitted as f32;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(s, s),
        &mut pixmap.as_mut(),
    );
    let bytes = encode(&pixmap, fitted).map_err(|e| RasterError::Encode {
        format: "PNG",
        message: e.to_string(),
    })?;
    Ok(Png {
        bytes,
        width,
        height,
        scale: s,
        note,
    })
}

/// The largest scale up to `asked` at which a `w`×`h` drawing stays within the limits.
fn fit(w: f64, h: f64, asked: f64) -> f64 {
    let mut scale = asked;
    let side = w.max(h).max(1.0);
    if side * scale > f64::from(MAX_SIDE) {
        scale = f64::from(MAX_SIDE) / side;
    }
    let area = w.max(1.0) * h.max(1.0);
    if area * scale * scale > MAX_PIXELS as f64 {
        scale = (MAX_PIXELS as f64 / area).sqrt();
    }
    // Rounding may still cross a limit by a pixel: step down until it does not.
    while scale > 0.0 {
        let (pw, ph) = pixels(w, h, scale);
        if pw <= MAX_SIDE && ph <= MAX_SIDE && u64::from(pw) * u64::from(ph) <= MAX_PIXELS {
            break;
        }
        scale *= 0.999;
    }
    scale
}

/// The pixel size of a `w`×`h` drawing at `scale`: rounded, at least 1×1.
fn pixels(w: f64, h: f64, scale: f64) -> (u32, u32) {
    #[allow(clippy::cast_sign_loss)]
    let px = |v: f64| (v * scale).round().clamp(1.0, f64::from(u32::MAX)) as u32;
    (px(w), px(h))
}

/// PNG bytes of `pixmap`: 8-bit RGB when every pixel is opaque (archflow's SVG paints its
/// background), RGBA otherwise; fixed filter and compression; the pixel density of `scale`.
fn encode(pixmap: &tiny_skia::Pixmap, scale: f64) -> Result<Vec<u8>, png::EncodingError> {
    let pixels = pixmap.pixels();
    let opaque = pixels.iter().all(|p| p.alpha() == u8::MAX);
    let data: Vec<u8> = if opaque {
        pixels
            .iter()
            .flat_map(|p| [p.red(), p.green(), p.blue()])
            .collect()
    } else {
        pixels
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect()
    };
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(if opaque {
        png::ColorType::Rgb
    } else {
        png::ColorType::Rgba
    });
    encoder.set_depth(png::BitDepth::Eight);
    // Fixed settings; the adaptive filter choice depends only on the pixels.
    encoder.set_compression(png::Compression::Balanced);
    #[allow(clippy::cast_sign_loss)]
    let density = (PIXELS_PER_METRE * scale)
        .round()
        .clamp(1.0, f64::from(u32::MAX)) as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: density,
        yppu: density,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_small_drawings_and_shrinks_huge_ones() {
        assert!((fit(800.0, 600.0, 2.0) - 2.0).abs() < f64::EPSILON);
        let s = fit(100_000.0, 100_000.0, 1.0);
        let (w, h) = pixels(100_000.0, 100_000.0, s);
        assert!(u64::from(w) * u64::from(h) <= MAX_PIXELS, "{w}×{h}");
        assert!(w > 5_000, "{w}");
        let s = fit(1_000_000.0, 50.0, 1.0);
        let (w, _) = pixels(1_000_000.0, 50.0, s);
        assert!(w <= MAX_SIDE, "{w}");
    }

    #[test]
    fn a_tiny_svg_draws() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#fff"/><text x="1" y="9" font-size="9">Hi</text></svg>"##;
        let png = render(svg, Scale::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((png.width, png.height), (40, 20), "the default scale is 2");
        assert!(png.bytes.starts_with(b"\x89PNG"));
        assert!(png.note.is_none());
    }
}
