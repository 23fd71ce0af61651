//! PDF: archflow's SVG drawn by `krilla-svg` (pure Rust, no browser), light theme, bundled font
//! (see [`raster`](super::raster)).
//!
//! The page is vector: shapes stay shapes and text stays text, in the bundled font (embedded as
//! a subset with its Unicode mapping), so names can be searched and copied. One SVG unit is one
//! CSS pixel (1/96 inch, 0.75 pt); a page that would be over [`MAX_PAGE_SIDE`] points on a
//! side (the largest many PDF readers open) is scaled down to fit, and [`Pdf::note`] says so.
//! The bytes depend only on the SVG: `krilla` writes no dates, derives the document id from the
//! content and keeps every table in insertion order.

use krilla::Document;
use krilla::geom::{Size, Transform};
use krilla::page::PageSettings;
use krilla_svg::{SurfaceExt as _, SvgSettings};

use super::raster::{self, RasterError};

/// The largest page side, in points (200 inches).
pub const MAX_PAGE_SIDE: f32 = 14_400.0;

/// Points per SVG unit (CSS pixel): 72 / 96.
const POINTS_PER_UNIT: f32 = 0.75;

/// A converted PDF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    /// Why the page is smaller than the drawing.
    pub note: Option<String>,
}

/// Convert `svg` (one of archflow's) to a one-page PDF.
///
/// # Errors
/// When the SVG does not parse or cannot be converted.
pub fn render(svg: &str) -> Result<Pdf, RasterError> {
    let encode = |message: String| RasterError::Encode {
        format: "PDF",
        message,
    };
    let tree = raster::tree(svg)?;
    let size = tree.size();
    let longest = size.width().max(size.height()) * POINTS_PER_UNIT;
    let (scale, note) = if longest > MAX_PAGE_SIDE {
        (
            POINTS_PER_UNIT * MAX_PAGE_SIDE / longest,
            Some(format!(
                "the page would be {longest:.0} pt on a side, over the {MAX_PAGE_SIDE:.0} pt many \
                 PDF readers open; scaled it down to fit (zoom in: it is vector)"
            )),
        )
    } else {
        (POINTS_PER_UNIT, None)
    };
    let drawing = Size::from_wh(size.width(), size.height())
        .ok_or_else(|| encode("the drawing is empty".to_owned()))?;
    let page_size = Size::from_wh(size.width() * scale, size.height() * scale)
        .ok_or_else(|| encode("the page is empty".to_owned()))?;
    let mut document = Document::new();
    let mut page = document.start_page_with(PageSettings::new(page_size));
    let mut surface = page.surface();
    surface.push_transform(&Transform::from_scale(scale, scale));
    let drawn = surface.draw_svg(&tree, drawing, SvgSettings::default());
    surface.pop();
    surface.finish();
    page.finish();
    drawn.ok_or_else(|| encode("the SVG could not be drawn on the page".to_owned()))?;
    let bytes = document.finish().map_err(|e| encode(format!("{e:?}")))?;
    Ok(Pdf { bytes, note })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiny_svg_converts() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><text x="1" y="9" font-size="9">Hello</text></svg>"#;
        let pdf = render(svg).unwrap_or_else(|e| panic!("{e}"));
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        assert!(pdf.note.is_none());
        assert_eq!(render(svg), Ok(pdf), "the same bytes every time");
    }
}
