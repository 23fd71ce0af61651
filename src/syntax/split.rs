//! Reading a large model on two threads: reading YAML is most of an analysis's time at
//! thousands of services, and the `services:` list is most of the text.
//!
//! The text is read as two copies of the same length: the first with the last `services:`
//! items (about half the text) turned into comment lines, the second with everything but the
//! `services:` key and those items turned into comment lines. A line becomes a comment by
//! putting `#` in place of its first byte, so every byte offset, line and column stays where it
//! was and the spans of both halves point into the original text. The halves' services are joined in order.
//!
//! Only a plain block list qualifies (a `services:` line at column 0, items at one
//! indentation, ASCII at the start of every line, no lone `\r`). Anything else, or either half
//! failing to read (an error, an alias of an anchor in the other half), returns `None`, and the
//! caller reads the whole text as usual, so findings and errors are those of one reading.

use super::document::Document;

/// Fewer items than this are read in one piece (threads cost more than they save).
pub const MIN_ITEMS: usize = 256;

/// The document read in two halves on two threads, or `None` (see the module's doc).
pub fn parse(text: &str, min_items: usize) -> Option<Document> {
    let (first, second) = halves(text, min_items)?;
    let read =
        |t: &str| serde_saphyr::from_str_with_options::<Document>(t, super::yaml_options()).ok();
    let (a, b) = crate::parallel::join(|| read(&first), || read(&second));
    let (mut a, b) = (a?, b?);
    a.services.extend(b.services);
    Some(a)
}

/// A `services:` block list: the byte offset of each line's start, the `services:` key's
/// line, the line after the list and the first line of each item.
struct BlockList {
    starts: Vec<usize>,
    key: usize,
    end: usize,
    items: Vec<usize>,
}

impl BlockList {
    /// The text's `services:` list, when it qualifies (see the module's doc).
    fn of(text: &str) -> Option<Self> {
        // A lone `\r` ends a line in YAML but not here.
        if text
            .match_indices('\r')
            .any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'))
        {
            return None;
        }
        // Byte offset of each line's start.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < text.len())
            .collect();
        let line = |k: usize| line(text, &starts, k);
        let mut keys = (0..starts.len()).filter(|&k| {
            let l = line(k).trim_end();
            l == "services:" || l.starts_with("services: #") || l.starts_with("services:\t#")
        });
        // Exactly one `services:` line.
        let (Some(key), None) = (keys.next(), keys.next()) else {
            return None;
        };
        // The items' prefix: the first content line after the key.
        let first_item = (key + 1..starts.len()).find(|&k| content(line(k)))?;
        let indent = line(first_item).len() - line(first_item).trim_start_matches(' ').len();
        let prefix = format!("{}- ", " ".repeat(indent));
        if !line(first_item).starts_with(&prefix) {
            return None;
        }
        // The list ends at the next line that starts at column 0 (another key, a document
        // marker), unless the items themselves start there.
        let end = (first_item..starts.len())
            .find(|&k| {
                let l = line(k);
                content(l)
                    && !l.starts_with([' ', '\t', '#'])
                    && !(indent == 0 && l.starts_with(&prefix))
            })
            .unwrap_or(starts.len());
        let items: Vec<usize> = (first_item..end)
            .filter(|&k| line(k).starts_with(&prefix))
            .collect();
        Some(Self {
            starts,
            key,
            end,
            items,
        })
    }

    /// Byte offset of line `k`'s start (the text's length past the last line).
    fn offset(&self, k: usize, text: &str) -> usize {
        self.starts.get(k).map_or(text.len(), |&o| o)
    }
}

/// Line `k` of `text`, with its line end.
fn line<'t>(text: &'t str, starts: &[usize], k: usize) -> &'t str {
    let end = starts.get(k + 1).map_or(text.len(), |&e| e);
    &text[starts[k]..end]
}

/// Whether a line holds YAML content (not blank, not a comment).
fn content(l: &str) -> bool {
    let t = l.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// The text of each item of a `services:` block list (from its `- ` line to the next item's,
/// comments between items included), in order; `None` when the text has no such list (see
/// the module's doc). Two items with the same text read as the same value when neither text
/// has anchors.
#[must_use]
pub fn service_items(text: &str) -> Option<Vec<&str>> {
    let list = BlockList::of(text)?;
    let bounds: Vec<usize> = list
        .items
        .iter()
        .map(|&k| list.starts[k])
        .chain(std::iter::once(list.offset(list.end, text)))
        .collect();
    Some(bounds.windows(2).map(|w| &text[w[0]..w[1]]).collect())
}

/// The two texts to read, each as long as `text`; `None` when the text does not qualify.
fn halves(text: &str, min_items: usize) -> Option<(String, String)> {
    let list = BlockList::of(text)?;
    let list_end = list.offset(list.end, text);
    let BlockList {
        starts,
        key,
        end,
        items,
    } = list;
    let line = |k: usize| line(text, &starts, k);
    if items.len() < min_items.max(2) {
        return None;
    }
    // The second half holds about half of the text's content: the first also reads everything
    // around the list (load balancers, flows, …).
    let half = text.len() / 2;
    let from_end = |k: usize| list_end - starts[k];
    let at = items
        .iter()
        .position(|&k| from_end(k) <= half)
        .unwrap_or(items.len() - 1)
        .clamp(1, items.len() - 1);
    let split = items[at];
    let commented = |keep: &dyn Fn(usize) -> bool| -> Option<String> {
        let mut bytes = text.as_bytes().to_vec();
        for (k, &start) in starts.iter().enumerate() {
            if keep(k) || !content(line(k)) {
                continue;
            }
            if !bytes[start].is_ascii() {
                return None;
            }
            bytes[start] = b'#';
        }
        String::from_utf8(bytes).ok()
    };
    let first = commented(&|k| !(split..end).contains(&k))?;
    let second = commented(&|k| k == key || (split..end).contains(&k))?;
    Some((first, second))
}

#[cfg(test)]
mod tests {
    use super::{halves, parse};
    use crate::source::Source;

    fn whole(text: &str) -> String {
        // Read as `parse` reads it before opening the flows' groups (which it does to either).
        let doc = serde_saphyr::from_str_with_options::<crate::syntax::Document>(
            text,
            crate::syntax::yaml_options(),
        )
        .unwrap();
        format!("{doc:?}")
    }

    /// Both halves together are the document read whole: every value and every span.
    #[test]
    fn the_halves_read_as_the_whole() {
        for (services, seed) in [(3, 1), (40, 2), (41, 7)] {
            let text = crate::synth::generate(services, seed);
            let split = parse(&text, 2).expect("a synthetic model qualifies");
            assert_eq!(format!("{split:?}"), whole(&text), "{services} services");
        }
    }

    /// The halves keep every line, column and byte where it was.
    #[test]
    fn the_halves_keep_every_offset() {
        let text = crate::synth::generate(10, 1);
        let (a, b) = halves(&text, 2).unwrap();
        assert_eq!(a.len(), text.len());
        assert_eq!(b.len(), text.len());
        assert_eq!(a.lines().count(), text.lines().count());
        assert!(a.contains("\n# - serviceName:") && b.contains("\n# - serviceName:"));
        assert!(b.contains("\nservices:\n"));
        assert!(b.contains("\n#ersion:") || b.starts_with('#'));
    }

    /// Items at column 0, Windows line ends and comments between items qualify too.
    #[test]
    fn other_layouts_of_a_block_list_qualify() {
        let flush = "name: x\nservices:\n\
                     - serviceName: a\n  taskDefinition: {family: a}\n\
                     - serviceName: b # the second\n  taskDefinition: {family: b}\n\
                     - serviceName: c\n  taskDefinition: {family: c}\nflows: []\n";
        let doc = parse(flush, 2).expect("items at column 0 qualify");
        assert_eq!(doc.services.len(), 3);
        assert_eq!(format!("{doc:?}"), whole(flush));
        let text = crate::synth::generate(12, 3);
        let crlf = text.replace('\n', "\r\n");
        let doc = parse(&crlf, 2).expect("CRLF qualifies");
        assert_eq!(format!("{doc:?}"), whole(&crlf));
        let commented = text.replace("\n  - serviceName:", "\n  # next\n  - serviceName:");
        let doc = parse(&commented, 2).expect("comments between items qualify");
        assert_eq!(format!("{doc:?}"), whole(&commented));
    }

    /// What does not qualify, or does not read in halves, is left to the reading of the whole.
    #[test]
    fn anything_else_is_read_whole() {
        let text = crate::synth::generate(12, 1);
        // Too few items.
        assert!(parse(&text, 100).is_none());
        // A flow list.
        assert!(parse("services: []\n", 0).is_none());
        // No services at all.
        assert!(parse("name: x\n", 0).is_none());
        // A lone carriage return.
        assert!(parse(&text.replacen('\n', "\r", 1), 2).is_none());
        // An alias in the second half of an anchor in the first.
        let anchored = text.replacen("    desiredCount:", "    desiredCount: &n", 1);
        let last = anchored.rfind("    desiredCount: ").unwrap();
        let eol = last + anchored[last..].find('\n').unwrap();
        let aliased = format!(
            "{}    desiredCount: *n{}",
            &anchored[..last],
            &anchored[eol..]
        );
        assert!(crate::syntax::parse(&Source::new("m.yaml", aliased.clone())).is_ok());
        assert!(parse(&aliased, 2).is_none());
        // An error in either half.
        let broken = text.replacen("    desiredCount:", "    desiredCount: [", 1);
        assert!(parse(&broken, 2).is_none());
        let last = text.rfind("    desiredCount:").unwrap();
        let broken = format!("{}    desiredKount:{}", &text[..last], &text[last + 17..]);
        assert!(parse(&broken, 2).is_none());
    }
}
