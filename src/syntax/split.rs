//! Reading a large model faster: reading YAML is most of an analysis's time at thousands of
//! services, and the `services:` list is most of the text.
//!
//! - [`parse`] reads a text on two threads, as two copies of the same length: the first with
//!   the last `services:` items (about half the text) turned into comment lines, the second with
//!   everything but the `services:` key and those items turned into comment lines. A line
//!   becomes a comment by putting `#` in place of its first byte, so every byte offset, line and
//!   column stays where it was and the spans of both halves point into the original text. The
//!   halves' services are joined in order.
//! - [`beside`] reads a text given an earlier version of it (a diff's other side) and copies
//!   the items of its top-level lists that did not change instead of reading them again.
//!
//! Only a plain block list qualifies (its key at column 0, items at one indentation, ASCII at
//! the start of every line, no lone `\r`). Anything else, or a copy failing to read (an error,
//! an alias of an anchor in the other half), returns `None`, and the caller reads the whole text
//! as usual, so findings and errors are those of one reading.

use super::document::Document;
use super::spanned::clone_moved;

/// Fewer items than this are read in one piece (threads cost more than they save).
pub const MIN_ITEMS: usize = 256;

/// The document read in two halves on two threads, or `None` (see the module's doc).
pub fn parse(text: &str, min_items: usize) -> Option<Document> {
    let (first, second) = halves(text, min_items)?;
    let (a, b) = crate::parallel::join(|| read_whole(&first), || read_whole(&second));
    let (mut a, b) = (a?, b?);
    a.services.extend(b.services);
    Some(a)
}

/// A text's lines: the byte offset where each starts, and which lines start at column 0 with
/// content (a top-level key, a document marker, an item of a list at column 0).
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
    top: Vec<usize>,
}

impl<'t> Lines<'t> {
    /// `None` when the text has a lone `\r` (it ends a line in YAML but not here).
    fn of(text: &'t str) -> Option<Self> {
        if text
            .match_indices('\r')
            .any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'))
        {
            return None;
        }
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < text.len())
            .collect();
        let top = (0..starts.len())
            .filter(|&k| {
                !matches!(
                    text.as_bytes()[starts[k]],
                    b' ' | b'\t' | b'#' | b'\n' | b'\r'
                )
            })
            .collect();
        Some(Self { text, starts, top })
    }

    /// Line `k`, with its line end.
    fn line(&self, k: usize) -> &'t str {
        &self.text[self.starts[k]..self.offset(k + 1)]
    }

    /// Byte offset of line `k`'s start (the text's length past the last line).
    fn offset(&self, k: usize) -> usize {
        self.starts.get(k).map_or(self.text.len(), |&o| o)
    }

    /// The block list under the top-level `key`, when it qualifies (see the module's doc).
    fn list(&self, key: &str) -> Option<BlockList> {
        let n = self.starts.len();
        let (bare, comment, tab) = (format!("{key}:"), format!("{key}: #"), format!("{key}:\t#"));
        let mut keys = self.top.iter().copied().filter(|&k| {
            let l = self.line(k).trim_end();
            l == bare || l.starts_with(&comment) || l.starts_with(&tab)
        });
        // Exactly one such line.
        let (Some(key), None) = (keys.next(), keys.next()) else {
            return None;
        };
        // The items' prefix: the first content line after the key.
        let first_item = (key + 1..n).find(|&k| content(self.line(k)))?;
        let first = self.line(first_item);
        let indent = first.len() - first.trim_start_matches(' ').len();
        let prefix = format!("{}- ", " ".repeat(indent));
        if !first.starts_with(&prefix) {
            return None;
        }
        // The list ends at the next line that starts at column 0 (another key, a document
        // marker), unless the items themselves start there.
        let end = self
            .top
            .iter()
            .copied()
            .find(|&k| k > first_item && !(indent == 0 && self.line(k).starts_with(&prefix)))
            .unwrap_or(n);
        let items = (first_item..end)
            .filter(|&k| self.line(k).starts_with(&prefix))
            .collect();
        Some(BlockList { key, end, items })
    }

    /// The text of each item of `list` (from its `- ` line to the next item's, comments between
    /// items included), in order.
    fn items(&self, list: &BlockList) -> Vec<&'t str> {
        let bounds: Vec<usize> = list
            .items
            .iter()
            .map(|&k| self.starts[k])
            .chain(std::iter::once(self.offset(list.end)))
            .collect();
        bounds.windows(2).map(|w| &self.text[w[0]..w[1]]).collect()
    }
}

/// A block list: its key's line, the line after the list and the first line of each item.
struct BlockList {
    key: usize,
    end: usize,
    items: Vec<usize>,
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
    let lines = Lines::of(text)?;
    Some(lines.items(&lines.list("services")?))
}

/// The items of one top-level list of a text read [`beside`] its base: for each, the base's
/// item it is a copy of and how far it moved.
struct Copies {
    of: Vec<Option<(usize, isize)>>,
    count: usize,
}

impl Copies {
    /// The items of `list` (under `key` in `text`) that are in the same list in `base` (whose
    /// document has `in_base` of them), each as one comment line in `rest` (a reader skips one
    /// long comment much faster than many short ones), and the key too when every item is a
    /// copy. Only ASCII line breaks become spaces, so `rest` stays UTF-8, as long as it was.
    /// `None` when the list does not qualify in `base`.
    fn mark(
        text: &Lines,
        list: &BlockList,
        base: &Lines,
        key: &str,
        in_base: usize,
        rest: &mut [u8],
    ) -> Option<Self> {
        let base_items = base.items(&base.list(key)?);
        if base_items.len() != in_base {
            return None;
        }
        let mut known: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
        for (i, item) in base_items.iter().enumerate().rev() {
            known.insert(item, i);
        }
        let offset = |item: &str, within: &str| item.as_ptr() as usize - within.as_ptr() as usize;
        let mut of = Vec::with_capacity(list.items.len());
        for item in text.items(list) {
            let Some(&i) = known.get(item) else {
                of.push(None);
                continue;
            };
            let start = offset(item, text.text);
            let was = isize::try_from(offset(base_items[i], base.text)).ok()?;
            of.push(Some((i, isize::try_from(start).ok()? - was)));
            let (first, inside) = rest
                .get_mut(start..(start + item.len()).saturating_sub(1))?
                .split_first_mut()?;
            *first = b'#';
            for b in inside.iter_mut().filter(|b| matches!(b, b'\n' | b'\r')) {
                *b = b' ';
            }
        }
        let count = of.iter().flatten().count();
        if count == of.len() {
            *rest.get_mut(text.starts[list.key])? = b'#';
        }
        Some(Self { of, count })
    }

    /// Put the list in order in `list`: the items read from the rest (what `list` holds), and
    /// copies of the base's items.
    fn join<T: Clone>(&self, list: &mut Vec<T>, base: &[T]) -> Option<()> {
        if list.len() != self.of.len() - self.count {
            return None;
        }
        let mut read = std::mem::take(list).into_iter();
        *list = self
            .of
            .iter()
            .map(|copy| match *copy {
                Some((i, by)) => base.get(i).map(|item| clone_moved(item, by)),
                None => read.next(),
            })
            .collect::<Option<_>>()?;
        Some(())
    }
}

/// `text` read beside `base`, an earlier version of it that read as `base_doc` (a diff's other
/// side). The items of its top-level lists (`services`, `loadBalancers`, `targetGroups`,
/// `fileSystems`, `actors`) whose text is in the same list in `base` are not read again but
/// copied from `base_doc`, spans moved to where the item now is (see [`clone_moved`]); the rest
/// of the text is read with those items turned into comments, so every span stays where it
/// was. `None` when the `services:` list does not qualify in either text (see the module's
/// doc), either text has an anchor (an item's meaning would depend on text outside it), it has
/// fewer than `min_items` items or fewer than half of them are the same (reading it whole, on
/// two threads, is then as quick), or the rest does not read; the caller then reads `text`
/// whole, so errors are those of one reading.
#[must_use]
pub fn beside(text: &str, base: &str, base_doc: &Document, min_items: usize) -> Option<Document> {
    if text.contains('&') || base.contains('&') {
        return None;
    }
    let lines = Lines::of(text)?;
    let list = lines.list("services")?;
    if list.items.len() < min_items.max(1) {
        return None;
    }
    let base_lines = Lines::of(base)?;
    let mut rest = text.as_bytes().to_vec();
    let in_base = base_doc.services.len();
    let services = Copies::mark(&lines, &list, &base_lines, "services", in_base, &mut rest)?;
    if services.count * 2 < services.of.len() {
        return None;
    }
    let mut mark = |key: &str, in_base: usize| {
        let list = lines.list(key)?;
        Copies::mark(&lines, &list, &base_lines, key, in_base, &mut rest)
    };
    let load_balancers = mark("loadBalancers", base_doc.load_balancers.len());
    let target_groups = mark("targetGroups", base_doc.target_groups.len());
    let file_systems = mark("fileSystems", base_doc.file_systems.len());
    let actors = mark("actors", base_doc.actors.len());
    let rest = String::from_utf8(rest).ok()?;
    let mut doc = parse(&rest, min_items).or_else(|| read_whole(&rest))?;
    services.join(&mut doc.services, &base_doc.services)?;
    join(
        load_balancers,
        &mut doc.load_balancers,
        &base_doc.load_balancers,
    )?;
    join(
        target_groups,
        &mut doc.target_groups,
        &base_doc.target_groups,
    )?;
    join(file_systems, &mut doc.file_systems, &base_doc.file_systems)?;
    join(actors, &mut doc.actors, &base_doc.actors)?;
    Some(doc)
}

/// [`Copies::join`] for a list that may not have qualified (then it was read with the rest).
fn join<T: Clone>(copies: Option<Copies>, list: &mut Vec<T>, base: &[T]) -> Option<()> {
    copies.map_or(Some(()), |c| c.join(list, base))
}

/// The whole text read in one piece, or `None` on any error.
fn read_whole(text: &str) -> Option<Document> {
    serde_saphyr::from_str_with_options::<Document>(text, super::yaml_options()).ok()
}

/// The two texts to read, each as long as `text`; `None` when the text does not qualify.
fn halves(text: &str, min_items: usize) -> Option<(String, String)> {
    let lines = Lines::of(text)?;
    let BlockList { key, end, items } = lines.list("services")?;
    let list_end = lines.offset(end);
    let starts = &lines.starts;
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
            if keep(k) || !content(lines.line(k)) {
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
    use super::{beside, halves, parse};
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

    /// The `services:` items of `text`, each with its text.
    fn items(text: &str) -> Vec<String> {
        super::service_items(text)
            .unwrap()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// `text` with its items replaced by `items`.
    fn with_items(text: &str, items: &[String]) -> String {
        let old = super::service_items(text).unwrap();
        let start = old[0].as_ptr() as usize - text.as_ptr() as usize;
        let last = old[old.len() - 1];
        let end = last.as_ptr() as usize - text.as_ptr() as usize + last.len();
        format!("{}{}{}", &text[..start], items.concat(), &text[end..])
    }

    /// Read beside an earlier version, a text reads as it does whole: every value and every
    /// span, whatever the change (longer or shorter items before unchanged ones, items added,
    /// removed and moved, other keys changed, nothing changed).
    #[test]
    fn read_beside_an_earlier_version_is_read_whole() {
        let base = crate::synth::generate(40, 3);
        let base_doc = parse(&base, 2).unwrap();
        let mut edits: Vec<(&str, String)> = vec![("nothing", base.clone())];
        let mut changed = items(&base);
        changed[3] = changed[3].replacen("desiredCount: ", "desiredCount: 1", 1);
        changed[17] = changed[17].replacen(
            "    desiredCount: ",
            "    # scaled by hand\n    desiredCount: ",
            1,
        );
        edits.push(("two longer items", with_items(&base, &changed)));
        let mut shorter = items(&base);
        shorter[0] = shorter[0].replacen("  - serviceName: ", "  - serviceName: x", 1);
        shorter[0] = shorter[0].replacen("    launchType: FARGATE\n", "", 1);
        edits.push(("a shorter first item", with_items(&base, &shorter)));
        let mut moved = items(&base);
        moved.swap(5, 30);
        let gone = moved.remove(12);
        moved.insert(25, gone.replace("serviceName: ", "serviceName: again-"));
        edits.push(("items moved, removed and added", with_items(&base, &moved)));
        edits.push((
            "another key",
            base.replacen("name: \"", "name: \"Renamed ", 1),
        ));
        let other_lists = base
            .replacen(
                "{name: web-0-tg, port: 3000,",
                "{name: web-0-tg, port: 30000,",
                1,
            )
            .replacen(
                "{name: db-2-fs, encrypted: true",
                "{name: db-2-fs, encrypted: false",
                1,
            )
            .replacen(
                "  - {name: users-0,",
                "  - {name: someone}\n  - {name: users-0,",
                1,
            )
            .replacen(
                "  - name: public-alb-0\n",
                "  - name: public-alb-0 # the shop\n",
                1,
            );
        assert_eq!(other_lists.len(), base.len() + 33);
        edits.push(("the other lists", other_lists));
        for (what, text) in &edits {
            let read = beside(text, &base, &base_doc, 2)
                .unwrap_or_else(|| panic!("{what}: reads beside its base"));
            assert_eq!(format!("{read:?}"), whole(text), "{what}");
        }
        // Through the loader, with the flows' groups opened as well.
        let source = Source::new("m.yaml", edits[3].1.clone());
        let read = crate::syntax::parse_beside(&source, Some((&base, &base_doc))).unwrap();
        let alone = crate::syntax::parse(&source).unwrap();
        assert_eq!(format!("{read:?}"), format!("{alone:?}"));
    }

    /// What cannot be read beside its base is left to the reading of the whole: an anchor,
    /// too few items the same, an error in a changed item (whose diagnostics are then those of
    /// one reading).
    #[test]
    fn what_cannot_be_read_beside_is_read_whole() {
        let base = crate::synth::generate(12, 1);
        let base_doc = parse(&base, 2).unwrap();
        let anchored = base.replacen("    desiredCount:", "    desiredCount: &n", 1);
        assert!(beside(&anchored, &base, &base_doc, 2).is_none());
        assert!(beside(&base, &base, &base_doc, 100).is_none());
        let most: Vec<String> = items(&base)
            .iter()
            .map(|i| i.replacen("desiredCount: ", "desiredCount: 1", 1))
            .collect();
        assert!(beside(&with_items(&base, &most), &base, &base_doc, 2).is_none());
        let broken = base.replacen("    desiredCount:", "    desiredCount: [", 1);
        assert!(beside(&broken, &base, &base_doc, 2).is_none());
        let source = Source::new("m.yaml", broken);
        let beside_errors = crate::syntax::parse_beside(&source, Some((&base, &base_doc)));
        let alone = crate::syntax::parse(&source);
        assert_eq!(
            format!("{:?}", beside_errors.unwrap_err()),
            format!("{:?}", alone.unwrap_err())
        );
    }
}
