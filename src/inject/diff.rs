//! A line-based unified diff: the edit script and its hunks come from the `similar` crate; this
//! module feeds it the file piece by piece and writes the hunks.

use std::fmt::Write as _;
use std::ops::Range;

use similar::udiff::UnifiedHunkHeader;
use similar::{Algorithm, DiffOp, DiffTag};

/// Above this many steps of the edit search (`(old lines + new lines)²`, after trimming the
/// lines both sides share at the start and the end) the changed lines are shown as all removed,
/// then all added: still a correct diff, only not the shortest. Myers' search is quadratic on
/// texts that differ throughout; this keeps such a block from stalling `--check`.
const MAX_SEARCH: usize = 16_000_000;

/// A unified diff of `chunks`, pairs of (old, new) text that follow each other in the file: a
/// pair whose sides are equal is context, the others are compared line by line. Splitting a
/// file this way (the text around blocks, then each block) keeps the work proportional to the
/// blocks. Lines are shown without their endings; empty when nothing differs.
#[must_use]
pub fn unified(chunks: &[(&str, &str)], old_name: &str, new_name: &str, context: usize) -> String {
    let (mut old, mut new) = (Vec::new(), Vec::new());
    let mut ops = Vec::new();
    for &(a, b) in chunks {
        let (old_start, new_start) = (old.len(), new.len());
        old.extend(a.split_inclusive('\n'));
        new.extend(b.split_inclusive('\n'));
        let (old_range, new_range) = (old_start..old.len(), new_start..new.len());
        if a == b {
            ops.push(DiffOp::Equal {
                old_index: old_start,
                new_index: new_start,
                len: old_range.len(),
            });
        } else {
            edits(&old, old_range, &new, new_range, &mut ops);
        }
    }
    let hunks = similar::group_diff_ops(merge_equal(ops), context);
    if hunks.is_empty() {
        return String::new();
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    for hunk in hunks {
        let _ = writeln!(out, "{}", UnifiedHunkHeader::new(&hunk));
        for op in &hunk {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            if matches!(tag, DiffTag::Equal) {
                write_lines(&mut out, ' ', &old[old_range]);
                continue;
            }
            write_lines(&mut out, '-', &old[old_range]);
            write_lines(&mut out, '+', &new[new_range]);
        }
    }
    out
}

/// How many lines `a` and `b` share at the start, and then at the end.
fn shared_ends(a: &[&str], b: &[&str]) -> (usize, usize) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, suffix)
}

/// The edit script between `old[old_range]` and `new[new_range]`: Myers' shortest one, or when
/// that search would be too long, the shared ends as equal and everything between replaced.
fn edits(
    old: &[&str],
    old_range: Range<usize>,
    new: &[&str],
    new_range: Range<usize>,
    ops: &mut Vec<DiffOp>,
) {
    let (a, b) = (&old[old_range.clone()], &new[new_range.clone()]);
    let (prefix, suffix) = shared_ends(a, b);
    let rest = a.len() + b.len() - 2 * (prefix + suffix);
    if rest.saturating_mul(rest) <= MAX_SEARCH {
        ops.extend(similar::capture_diff(
            Algorithm::Myers,
            old,
            old_range,
            new,
            new_range,
        ));
        return;
    }
    ops.push(DiffOp::Equal {
        old_index: old_range.start,
        new_index: new_range.start,
        len: prefix,
    });
    ops.push(DiffOp::Replace {
        old_index: old_range.start + prefix,
        old_len: a.len() - prefix - suffix,
        new_index: new_range.start + prefix,
        new_len: b.len() - prefix - suffix,
    });
    ops.push(DiffOp::Equal {
        old_index: old_range.end - suffix,
        new_index: new_range.end - suffix,
        len: suffix,
    });
}

/// `ops` with empty operations dropped and neighbouring equal runs joined, so that context
/// between two chunks is counted as one run when hunks are cut.
fn merge_equal(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut merged: Vec<DiffOp> = Vec::with_capacity(ops.len());
    for op in ops {
        if op.old_range().is_empty() && op.new_range().is_empty() {
            continue;
        }
        if let (Some(DiffOp::Equal { len: run, .. }), DiffOp::Equal { len, .. }) =
            (merged.last_mut(), op)
        {
            *run += len;
            continue;
        }
        merged.push(op);
    }
    merged
}

/// Each line after `sign`, without its ending; a last line without one is marked.
fn write_lines(out: &mut String, sign: char, lines: &[&str]) {
    for line in lines {
        let text = line.strip_suffix('\n').unwrap_or(line);
        let text = text.strip_suffix('\r').unwrap_or(text);
        let _ = writeln!(out, "{sign}{text}");
        if !line.ends_with('\n') {
            out.push_str("\\ No newline at end of file\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_SEARCH, unified};

    fn diff(old: &str, new: &str) -> String {
        unified(&[(old, new)], "a", "b", 1)
    }

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(diff("x\ny\n", "x\ny\n"), "");
        assert_eq!(unified(&[("", ""), ("a\n", "a\n")], "a", "b", 3), "");
    }

    #[test]
    fn hunks_show_context_and_ranges() {
        assert_eq!(
            diff(
                "1\n2\n3\n4\n5\n6\n7\n8\n",
                "1\n2\nthree\n4\n5\n6\n7\n8\nnine\n"
            ),
            "--- a\n+++ b\n@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n@@ -8 +8,2 @@\n 8\n+nine\n"
        );
        assert_eq!(diff("", "x\n"), "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
        assert_eq!(diff("x\n", ""), "--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n");
    }

    #[test]
    fn a_missing_final_newline_is_marked() {
        assert_eq!(
            diff("a\nb", "a\nc"),
            "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\
             \\ No newline at end of file\n"
        );
    }

    #[test]
    fn chunks_join_into_one_file() {
        let chunks = [
            ("top\n", "top\n"),
            ("old\n", "new\n"),
            ("end\r\n", "end\r\n"),
        ];
        assert_eq!(
            unified(&chunks, "a", "b", 3),
            "--- a\n+++ b\n@@ -1,3 +1,3 @@\n top\n-old\n+new\n end\n"
        );
    }

    #[test]
    fn context_across_chunks_is_one_run() {
        // Two changes three equal lines apart, the equal lines split over two chunks: with one
        // line of context they are two hunks, as if the file were one chunk.
        let chunks = [("a\n", "A\n"), ("1\n2\n", "1\n2\n"), ("3\nb\n", "3\nB\n")];
        let whole = unified(&[("a\n1\n2\n3\nb\n", "A\n1\n2\n3\nB\n")], "a", "b", 1);
        assert_eq!(unified(&chunks, "a", "b", 1), whole);
        assert_eq!(whole.matches("@@ -").count(), 2, "{whole}");
    }

    #[test]
    fn the_shortest_edit_keeps_common_lines() {
        let out = diff("a\nb\nc\nd\n", "a\nc\nd\ne\n");
        assert_eq!(out, "--- a\n+++ b\n@@ -1,4 +1,4 @@\n a\n-b\n c\n d\n+e\n");
    }

    #[test]
    fn texts_that_differ_throughout_are_replaced_whole() {
        // Each side 2001 changed lines: (2001 + 2001)² is over the limit.
        let lines = MAX_SEARCH.isqrt() / 2 + 1;
        let side = |prefix: &str| -> String {
            let mut text = "same\n".to_owned();
            for i in 0..lines {
                text.push_str(prefix);
                text.push_str(&i.to_string());
                text.push('\n');
            }
            text.push_str("end\n");
            text
        };
        let out = unified(&[(&side("a"), &side("b"))], "a", "b", 1);
        let count = |sign: char| {
            out.lines()
                .filter(|l| l.starts_with(sign) && !l.starts_with("--- ") && !l.starts_with("+++ "))
                .count()
        };
        assert_eq!((count('-'), count('+')), (lines, lines));
        assert!(out.contains("\n same\n-a0\n"), "{}", &out[..80]);
        assert!(
            out.ends_with("\n+b2000\n end\n"),
            "{}",
            &out[out.len() - 80..]
        );
    }
}
