//! What the PNG and PDF renderers share: archflow's SVG made ready for a renderer without a
//! browser ([`light_theme`]), the one bundled font ([`fonts`]), and parsing into a `usvg` tree.
//!
//! - **Light theme, no CSS variables.** The SVG colours everything through CSS custom
//!   properties (`fill:var(--af-bg)`) and switches them under `prefers-color-scheme: dark`.
//!   `usvg` knows neither, so [`light_theme`] drops the colour-scheme `@media` blocks and puts
//!   each variable's value where it is used, in the `<style>` element and in `style="…"`
//!   attributes only (user text is never rewritten).
//! - **One font, bundled.** Liberation Sans 2.1.5 (regular and bold, SIL OFL 1.1, see
//!   `assets/fonts/OFL.txt`) is the only font loaded: the SVG names it in its font stack, and it
//!   has the metrics of Arial and Helvetica (also named there) that the layout's text widths
//!   are made for. No system font is read, so text never disappears for want of a font, and
//!   the same SVG gives the same bytes on every machine. Every family the SVG may name
//!   (`system-ui`, `Arial`, `sans-serif`, …) falls back to it. A character the font lacks (CJK,
//!   for example) is drawn as the font's missing-glyph box.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use resvg::usvg::{self, fontdb};

/// The bundled font's family name.
pub(crate) const FONT_FAMILY: &str = "Liberation Sans";

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

/// Why a PNG or PDF could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RasterError {
    #[error("the scale must be between {min} and {max} (got {value})", min = Scale::MIN, max = Scale::MAX)]
    Scale { value: String },
    #[error("the SVG could not be drawn: {0}")]
    Svg(String),
    #[error("the {format} could not be written: {message}")]
    Encode {
        format: &'static str,
        message: String,
    },
}

/// A PNG's pixel scale: 1 draws one pixel per SVG unit, 2 suits high-density ("retina")
/// screens. Between [`Scale::MIN`] and [`Scale::MAX`].
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Scale(f32);

impl Scale {
    pub const MIN: f32 = 0.1;
    pub const MAX: f32 = 8.0;

    /// A scale, when `value` is finite and in range.
    ///
    /// # Errors
    /// [`RasterError::Scale`] otherwise.
    pub fn new(value: f32) -> Result<Self, RasterError> {
        if value.is_finite() && (Self::MIN..=Self::MAX).contains(&value) {
            Ok(Self(value))
        } else {
            Err(RasterError::Scale {
                value: value.to_string(),
            })
        }
    }

    #[must_use]
    pub fn get(self) -> f32 {
        self.0
    }
}

impl Default for Scale {
    /// 2: sharp on high-density screens, and still small files for archflow's flat drawings.
    fn default() -> Self {
        Self(2.0)
    }
}

impl std::str::FromStr for Scale {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let range = format!("a number from {} to {}", Self::MIN, Self::MAX);
        let value: f32 = s.trim().parse().map_err(|_| format!("not {range}"))?;
        Self::new(value).map_err(|_| format!("must be {range}"))
    }
}

impl std::fmt::Display for Scale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The font database: the bundled font alone, every generic family mapped to it. Built once.
pub(crate) fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_font_data(REGULAR.to_vec());
            db.load_font_data(BOLD.to_vec());
            db.set_serif_family(FONT_FAMILY);
            db.set_sans_serif_family(FONT_FAMILY);
            db.set_monospace_family(FONT_FAMILY);
            db.set_cursive_family(FONT_FAMILY);
            db.set_fantasy_family(FONT_FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// Parse archflow's SVG (light theme, bundled font) into a tree to draw.
pub(crate) fn tree(svg: &str) -> Result<usvg::Tree, RasterError> {
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(&light_theme(svg), &options).map_err(|e| RasterError::Svg(e.to_string()))
}

/// `svg` with its colour-scheme `@media` blocks removed and every `var(--name)` in its
/// `<style>` elements and `style` attributes replaced by the variable's value.
#[must_use]
pub fn light_theme(svg: &str) -> String {
    // Where CSS is: the text of `<style>` elements and the values of `style="…"` attributes.
    // User text is escaped (no `<`, no `"`), so neither can start inside it.
    let regions = css_regions(svg);
    let mut variables = BTreeMap::new();
    let mut cleaned = Vec::with_capacity(regions.len());
    for &(start, end) in &regions {
        let css = drop_color_scheme_media(&svg[start..end]);
        collect_variables(&css, &mut variables);
        cleaned.push(css);
    }
    let mut out = String::with_capacity(svg.len() + svg.len() / 4);
    let mut at = 0;
    for (&(start, end), css) in regions.iter().zip(&cleaned) {
        out.push_str(&svg[at..start]);
        out.push_str(&substitute(css, &variables, 0));
        at = end;
    }
    out.push_str(&svg[at..]);
    out
}

/// Byte ranges of CSS in `svg`: `<style …>` element text and `style="…"` attribute values.
/// Linear: each kind's next position is searched for again only once passed.
fn css_regions(svg: &str) -> Vec<(usize, usize)> {
    const ELEMENT: &str = "<style";
    const ATTRIBUTE: &str = " style=\"";
    let find = |pattern: &str, from: usize| svg[from..].find(pattern).map(|k| from + k);
    let mut regions = Vec::new();
    let (mut element, mut attribute) = (find(ELEMENT, 0), find(ATTRIBUTE, 0));
    let mut at = 0;
    loop {
        if element.is_some_and(|p| p < at) {
            element = find(ELEMENT, at);
        }
        if attribute.is_some_and(|p| p < at) {
            attribute = find(ATTRIBUTE, at);
        }
        let (start, end) = match (element, attribute) {
            (Some(e), a) if a.is_none_or(|a| e < a) => {
                let Some(gt) = svg[e..].find('>') else {
                    break;
                };
                let start = e + gt + 1;
                (start, find("</style>", start).unwrap_or(svg.len()))
            }
            (_, Some(a)) => {
                let start = a + ATTRIBUTE.len();
                (start, find("\"", start).unwrap_or(svg.len()))
            }
            (_, None) => break,
        };
        regions.push((start, end));
        at = end;
    }
    regions
}

/// `css` without its `@media (prefers-color-scheme: …) { … }` blocks.
fn drop_color_scheme_media(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("@media") {
        let Some(open) = rest[at..].find('{').map(|k| at + k) else {
            break;
        };
        if !rest[at..open].contains("prefers-color-scheme") {
            out.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
            continue;
        }
        out.push_str(&rest[..at]);
        let mut depth = 0usize;
        let mut close = rest.len();
        for (k, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Every `--name: value` declaration in `css`; the first one of a name wins.
fn collect_variables(css: &str, into: &mut BTreeMap<String, String>) {
    let mut rest = css;
    while let Some(k) = rest.find("--") {
        let before = css.len() - rest.len() + k;
        let declaration_start = css[..before]
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '{' | ';') || c.is_whitespace());
        rest = &rest[k + 2..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        let Some(value) = after.trim_start().strip_prefix(':') else {
            continue;
        };
        if !declaration_start || name.is_empty() {
            continue;
        }
        let end = declaration_end(value);
        into.entry(format!("--{name}"))
            .or_insert_with(|| value[..end].trim().to_owned());
        rest = &value[end..];
    }
}

/// Where a declaration's value ends: at `;` or `}`, skipping the `;` of XML character
/// references (`&#39;`), which the CSS is still written in.
fn declaration_end(value: &str) -> usize {
    let mut in_reference = false;
    for (k, c) in value.char_indices() {
        match c {
            '&' => in_reference = true,
            ';' if in_reference => in_reference = false,
            ';' | '}' => return k,
            c if in_reference && !(c.is_ascii_alphanumeric() || c == '#') => {
                in_reference = false;
                if c == '}' {
                    return k;
                }
            }
            _ => {}
        }
    }
    value.len()
}

/// `css` with every `var(--name)` or `var(--name, fallback)` replaced. A variable without a
/// value or fallback becomes `inherit` (what CSS does for an inherited property like `fill`).
fn substitute(css: &str, variables: &BTreeMap<String, String>, depth: usize) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(k) = rest.find("var(") {
        out.push_str(&rest[..k]);
        let inner_start = k + "var(".len();
        let mut level = 1usize;
        let mut close = None;
        for (i, c) in rest[inner_start..].char_indices() {
            match c {
                '(' => level += 1,
                ')' => {
                    level -= 1;
                    if level == 0 {
                        close = Some(inner_start + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else {
            out.push_str(&rest[k..]);
            return out;
        };
        let inner = &rest[inner_start..close];
        let (name, fallback) = match inner.split_once(',') {
            Some((n, f)) => (n.trim(), Some(f.trim())),
            None => (inner.trim(), None),
        };
        let value = variables
            .get(name)
            .map(String::as_str)
            .or(fallback)
            .unwrap_or("inherit");
        if depth < 8 && value.contains("var(") {
            out.push_str(&substitute(value, variables, depth + 1));
        } else if value.contains("var(") {
            out.push_str("inherit");
        } else {
            out.push_str(value);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_replaced_and_the_dark_theme_dropped() {
        let svg = r#"<svg style="--af-font:Arial, &#39;Liberation Sans&#39;, sans-serif"><style>
.a{--af-bg:#fff;--af-fg:#111}
@media (prefers-color-scheme: dark){.a{--af-bg:#000;--af-fg:#eee}}
.a text{fill:var(--af-fg);font-family:var(--af-font)}
.a .bg{fill:var(--af-bg)}
.a .x{fill:var(--af-missing, red);stroke:var(--af-none)}
</style><rect style="fill:var(--af-bg);stroke-width:2"/><text>var(--af-bg)</text></svg>"#;
        let out = light_theme(svg);
        assert!(!out.contains("prefers-color-scheme"), "{out}");
        assert!(
            out.contains(
                ".a text{fill:#111;font-family:Arial, &#39;Liberation Sans&#39;, sans-serif}"
            ),
            "{out}"
        );
        assert!(out.contains(".a .bg{fill:#fff}"), "{out}");
        assert!(out.contains("fill:red;stroke:inherit"), "{out}");
        assert!(
            out.contains(r#"<rect style="fill:#fff;stroke-width:2"/>"#),
            "{out}"
        );
        // User text is left alone.
        assert!(out.contains("<text>var(--af-bg)</text>"), "{out}");
    }

    #[test]
    fn broken_css_does_not_panic() {
        for svg in [
            "<style>@media (prefers-color-scheme: dark){",
            "<style>.a{fill:var(--x",
            "<rect style=\"fill:var(",
            "<style",
            "--:;var()",
            "<style>.a{--a:var(--b);--b:var(--a)}.b{fill:var(--a)}</style>",
        ] {
            let _ = light_theme(svg);
        }
    }

    #[test]
    fn scale_is_validated() {
        assert!(Scale::new(1.0).is_ok());
        assert!(Scale::new(0.1).is_ok());
        assert!(Scale::new(8.0).is_ok());
        for bad in [0.0, 0.09, 8.01, -1.0, f32::NAN, f32::INFINITY] {
            assert!(Scale::new(bad).is_err(), "{bad}");
        }
        assert!("2".parse::<Scale>().is_ok());
        assert!("two".parse::<Scale>().is_err());
    }
}
