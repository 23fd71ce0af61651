//! A line-based unified diff, small and dependency-free: common prefix and suffix trimmed, then a
//! longest-common-subsequence table on what is left.

use std::fmt::Write as _;

/// Above this many table cells (old lines × new lines, after trimming) the changed lines are
/// shown as all removed, then all added: still a correct diff, only not the shortest.
const MAX_CELLS: usize = 4_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Equal,
    Delete,
    Insert,
}

/// A unified diff of `chunks`, pairs of (old, new) text that follow each other in the file: a
/// pair whose sides are equal is context, the others are compared line by line. Splitting a
/// file this way (the text around blocks, then each block) keeps the work proportional to the
/// blocks. Lines are shown without their endings; empty when nothing differs.
#[must_use]
pub fn unified(chunks: &[(&str, &str)], old_name: &str, new_name: &str, context: usize) -> String {
    let mut ops: Vec<(Tag, &str)> = Vec::new();
    for &(old, new) in chunks {
        if old == new {
            ops.extend(old.split_inclusive('\n').map(|l| (Tag::Equal, l)));
        } else {
            let a: Vec<&str> = old.split_inclusive('\n').collect();
            let b: Vec<&str> = new.split_inclusive('\n').collect();
            lines(&a, &b, &mut ops);
        }
    }
    let changes: Vec<usize> = (0..ops.len()).filter(|&i| ops[i].0 != Tag::Equal).collect();
    if changes.is_empty() {
        return String::new();
    }
    // Lines of each side before each op.
    let mut before = Vec::with_capacity(ops.len() + 1);
    let (mut old_no, mut new_no) = (0, 0);
    for (tag, _) in &ops {
        before.push((old_no, new_no));
        match tag {
            Tag::Equal => {
                old_no += 1;
                new_no += 1;
            }
            Tag::Delete => old_no += 1,
            Tag::Insert => new_no += 1,
        }
    }
    before.push((old_no, new_no));
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    let mut i = 0;
    while i < changes.len() {
        let first = changes[i];
        let mut last = first;
        while i + 1 < changes.len() && changes[i + 1] - last <= 2 * context + 1 {
            i += 1;
            last = changes[i];
        }
        i += 1;
        let start = first.saturating_sub(context);
        let end = (last + context + 1).min(ops.len());
        let (old_start, new_start) = before[start];
        let (old_end, new_end) = before[end];
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            range(old_start, old_end - old_start),
            range(new_start, new_end - new_start)
        );
        for &(tag, line) in &ops[start..end] {
            let sign = match tag {
                Tag::Equal => ' ',
                Tag::Delete => '-',
                Tag::Insert => '+',
            };
            let text = line.strip_suffix('\n').unwrap_or(line);
            let text = text.strip_suffix('\r').unwrap_or(text);
            let _ = writeln!(out, "{sign}{text}");
            if !line.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// A hunk's range as unified diffs write it: `START,COUNT`, `START` for one line, and for no
/// lines the line before (`0` at the top).
fn range(before: usize, count: usize) -> String {
    match count {
        0 => format!("{before},0"),
        1 => format!("{}", before + 1),
        _ => format!("{},{count}", before + 1),
    }
}

/// The edit script from `a` to `b`, appended to `ops`.
fn lines<'a>(a: &[&'a str], b: &[&'a str], ops: &mut Vec<(Tag, &'a str)>) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    ops.extend(a[..prefix].iter().map(|l| (Tag::Equal, *l)));
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let (n, m) = (a_mid.len(), b_mid.len());
    if n.saturating_mul(m) > MAX_CELLS {
        ops.extend(a_mid.iter().map(|l| (Tag::Delete, *l)));
        ops.extend(b_mid.iter().map(|l| (Tag::Insert, *l)));
    } else {
        // table[i * (m + 1) + j]: the longest common subsequence of a_mid[i..] and b_mid[j..].
        let width = m + 1;
        let mut table = vec![0_u32; (n + 1) * width];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                table[i * width + j] = if a_mid[i] == b_mid[j] {
                    table[(i + 1) * width + j + 1] + 1
                } else {
                    table[(i + 1) * width + j].max(table[i * width + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && a_mid[i] == b_mid[j] {
                ops.push((Tag::Equal, a_mid[i]));
                i += 1;
                j += 1;
            } else if j == m || (i < n && table[(i + 1) * width + j] >= table[i * width + j + 1]) {
                ops.push((Tag::Delete, a_mid[i]));
                i += 1;
            } else {
                ops.push((Tag::Insert, b_mid[j]));
                j += 1;
            }
        }
    }
    ops.extend(a[a.len() - suffix..].iter().map(|l| (Tag::Equal, *l)));
}

#[cfg(test)]
mod tests {
    use super::unified;

    fn diff(old: &str, new: &str) -> String {
        unified(&[(old, new)], "a", "b", 1)
    }

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(diff("x\ny\n", "x\ny\n"), "");
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
    fn the_shortest_edit_keeps_common_lines() {
        let out = diff("a\nb\nc\nd\n", "a\nc\nd\ne\n");
        assert_eq!(out, "--- a\n+++ b\n@@ -1,4 +1,4 @@\n a\n-b\n c\n d\n+e\n");
    }
}
