//! A big model's views, packed: many views to a data block, compressed.
//!
//! A page carries every view besides the main one as text the browser neither runs nor draws
//! (its script draws one when the reader opens it). At 10,000 services that text is 46 MB: the
//! browser reads, decodes and scans all of it as the page loads, which took about half a second
//! of a three-second load. Compressed, a few hundred kilobytes at a time, it is a twelfth of
//! that size; the script unpacks a block (the browser's own `DecompressionStream`) the first time
//! one of its views is opened.
//!
//! Each block is `<script type="text/x-archflow-svgz" data-keys="KEY:LEN …">BASE64</script>`:
//! the views' texts one after another, compressed in the zlib format (RFC 1950) and written in
//! base64, and for each, in order, its key (what follows `af-svg-` in a plain block's id) and its
//! length in UTF-16 code units, which is how the script's strings count.

use std::fmt::Write as _;
use std::io::Write as _;

use base64::Engine as _;
use flate2::Compression;
use flate2::write::ZlibEncoder;

/// Views are packed when their texts come to more than this many bytes in all; a smaller page
/// keeps them as plain text a reader can look at in the page's source.
pub const PACK_OVER: usize = 1 << 20;

/// About how many bytes of views go in one block: the unit unpacked at once (a few milliseconds
/// of the browser's time), and big enough to compress well (views of one model repeat each
/// other's markup).
const BLOCK: usize = 256 * 1024;

/// The packed blocks for `views` (each a key and its text), one after another, each on its own
/// line; the same views always give the same bytes.
#[must_use]
pub fn packed(views: &[(String, String)]) -> String {
    let mut groups: Vec<&[(String, String)]> = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (_, text)) in views.iter().enumerate() {
        size += text.len();
        if size >= BLOCK {
            groups.push(&views[start..=i]);
            (start, size) = (i + 1, 0);
        }
    }
    if start < views.len() {
        groups.push(&views[start..]);
    }
    let blocks = crate::parallel::map(&groups, |group| block(group));
    blocks.concat()
}

/// One block of views.
fn block(views: &[(String, String)]) -> String {
    let mut keys = String::new();
    let mut raw = Vec::with_capacity(views.iter().map(|(_, t)| t.len()).sum());
    for (key, text) in views {
        if !keys.is_empty() {
            keys.push(' ');
        }
        let _ = write!(keys, "{key}:{}", text.encode_utf16().count());
        raw.extend_from_slice(text.as_bytes());
    }
    // Level 3: within a tenth of level 6's size at 10,000 services, and a third quicker.
    let mut zlib = ZlibEncoder::new(Vec::with_capacity(raw.len() / 8), Compression::new(3));
    // Writing to a `Vec` cannot fail.
    let bytes: Vec<u8> = zlib
        .write_all(&raw)
        .and_then(|()| zlib.finish())
        .unwrap_or_default();
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("<script type=\"text/x-archflow-svgz\" data-keys=\"{keys}\">{data}</script>\n")
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    /// Each block, unpacked as the page's script does: base64, then zlib, then cut by the
    /// lengths in UTF-16 units.
    fn unpacked(page: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for block in page.lines() {
            let rest = block
                .strip_prefix("<script type=\"text/x-archflow-svgz\" data-keys=\"")
                .unwrap();
            let (keys, rest) = rest.split_once("\">").unwrap();
            let data = rest.strip_suffix("</script>").unwrap();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .unwrap();
            let mut text = String::new();
            flate2::read::ZlibDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap();
            let units: Vec<u16> = text.encode_utf16().collect();
            let mut at = 0;
            for entry in keys.split(' ') {
                let (key, len) = entry.rsplit_once(':').unwrap();
                let len: usize = len.parse().unwrap();
                out.push((
                    key.to_owned(),
                    String::from_utf16(&units[at..at + len]).unwrap(),
                ));
                at += len;
            }
            assert_eq!(at, units.len(), "the lengths cover the block");
        }
        out
    }

    #[test]
    fn views_unpack_to_themselves_in_blocks_of_about_the_block_size() {
        // Views with text outside ASCII (two UTF-16 units for one character, and one for three
        // UTF-8 bytes), of varied sizes.
        let views: Vec<(String, String)> = (0..400)
            .map(|i| {
                let key = if i % 3 == 0 {
                    format!("{i}-narrow")
                } else {
                    i.to_string()
                };
                let text = format!(
                    "<svg><text>{}</text>{}</svg>",
                    "é𝄞→".repeat(i % 7),
                    "<g class=\"node\"/>".repeat(100 + (i * 37) % 300)
                );
                (key, text)
            })
            .collect();
        let total: usize = views.iter().map(|(_, t)| t.len()).sum();
        let page = packed(&views);
        assert_eq!(unpacked(&page), views);
        let blocks = page.lines().count();
        assert!(
            blocks > 1 && blocks <= total / BLOCK + 1,
            "{blocks} blocks for {total} bytes"
        );
        assert!(
            page.len() < total / 4,
            "{} bytes packed from {total}",
            page.len()
        );
        // Deterministic.
        assert_eq!(packed(&views), page);
        // Nothing to pack, nothing written.
        assert_eq!(packed(&[]), "");
    }
}
