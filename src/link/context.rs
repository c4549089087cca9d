//! Finding annotations in a Markdown body together with the sentence each one stands in.
//!
//! The Markdown itself was read once, in the parse stage, into an [`Outline`]; this module reads
//! the outline.

use crate::markup::{self, Annotation, Outline, Step};

/// One annotation, where it is in the body, and (for wikilinks) its sentence split around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub annotation: Annotation,
    /// Byte offset in the body.
    pub offset: usize,
    pub before: String,
    pub text: String,
    pub after: String,
}

/// The longest context kept on each side of a mention, in characters.
const MAX_SIDE: usize = 220;

/// Scan `body` for annotations, in order: [`scan_outline`] of the body's outline.
pub fn scan(body: &str, title_of: &dyn Fn(&str) -> Option<String>) -> Vec<Found> {
    let outline = markup::outline(body);
    scan_outline(&outline, body, title_of)
}

/// The annotations of `body`, in order, from its outline. `title_of` names a wikilink's target,
/// so a bare `[[collection/id]]` reads as the record's title in the sentence, not as its path.
pub fn scan_outline(
    outline: &Outline,
    body: &str,
    title_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<Found> {
    let mut out = Vec::new();
    // The plain text of the current block, and the annotations waiting for its end.
    let mut block = String::new();
    let mut pending: Vec<(Found, usize, usize)> = Vec::new();
    // Inside a link: (annotation, offset, start in block); `None` for ordinary links.
    let mut open: Vec<Option<(&Annotation, usize, usize)>> = Vec::new();
    for step in &outline.steps {
        match step {
            Step::LinkStart(link) => {
                open.push(link.as_ref().map(|(a, offset)| (a, *offset, block.len())));
            }
            Step::LinkEnd => {
                if let Some(Some((annotation, offset, start))) = open.pop() {
                    let found = Found {
                        annotation: annotation.clone(),
                        offset,
                        before: String::new(),
                        text: String::new(),
                        after: String::new(),
                    };
                    match annotation {
                        Annotation::Cite { .. } => {
                            // Drop the citation and the space before it: "2021 [@1]." reads "2021.".
                            block.truncate(start);
                            block.truncate(block.trim_end().len());
                            out.push(found);
                        }
                        Annotation::Wiki {
                            target,
                            custom_text,
                        } => {
                            if !custom_text && let Some(title) = title_of(target) {
                                block.truncate(start);
                                block.push_str(&title);
                            }
                            pending.push((found, start, block.len()))
                        }
                    }
                }
            }
            Step::Source(range) => block.push_str(body.get(range.clone()).unwrap_or_default()),
            Step::Text(range) => {
                block.push_str(outline.text.get(range.clone()).unwrap_or_default())
            }
            Step::BlockEnd => finish_block(&mut block, &mut pending, &mut out),
        }
    }
    finish_block(&mut block, &mut pending, &mut out);
    out.sort_by_key(|f| f.offset);
    out
}

fn finish_block(
    block: &mut String,
    pending: &mut Vec<(Found, usize, usize)>,
    out: &mut Vec<Found>,
) {
    if !pending.is_empty() {
        // Where each sentence of the block ends (the byte after its final mark), found once per
        // block: a long paragraph full of mentions then costs linear time, not quadratic.
        let ends = sentence_ends(block);
        for (mut found, start, end) in pending.drain(..) {
            let (start, end) = (start.min(block.len()), end.min(block.len()));
            let from = ends
                .partition_point(|e| *e <= start)
                .checked_sub(1)
                .and_then(|k| ends.get(k))
                .copied()
                .unwrap_or(0);
            let to = ends
                .get(ends.partition_point(|e| *e <= end))
                .copied()
                .unwrap_or(block.len());
            found.before = clip_left(block.get(from..start).unwrap_or_default().trim_start());
            found.text = block.get(start..end).unwrap_or_default().to_string();
            found.after = clip_right(block.get(end..to).unwrap_or_default().trim_end());
            out.push(found);
        }
    }
    block.clear();
}

/// The byte after each sentence-ending mark in `block`, in order.
fn sentence_ends(block: &str) -> Vec<usize> {
    // Only bytes that can begin a sentence mark are decoded: ASCII `.`, `!`, `?`, and the lead
    // bytes of `。`, `！`, `？` (3 bytes each), `۔` and `؟` (2 bytes). Lead bytes are never inside a
    // character, so every candidate is a character boundary.
    block
        .bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'.' | b'!' | b'?' | 0xE3 | 0xEF | 0xD8 | 0xDB))
        .filter_map(|(i, _)| Some((i, block.get(i..)?.chars().next()?)))
        .filter(|(i, c)| ends_sentence(block, *i, *c))
        .map(|(i, c)| i + c.len_utf8())
        .collect()
}

/// Is the character at byte `i` (a `.`, `!`, `?` …) the end of a sentence?
fn ends_sentence(text: &str, i: usize, c: char) -> bool {
    match c {
        '。' | '！' | '？' | '۔' | '؟' => true,
        '!' | '?' => text[i + c.len_utf8()..].starts_with(' '),
        '.' => {
            if !text[i + 1..].starts_with(' ') {
                return false;
            }
            // "U.N." and "Z. A. Bhutto": a one-letter word before the dot is an initial.
            let word = text[..i].rsplit([' ', '.']).next().unwrap_or("");
            word.chars().count() > 1
        }
        _ => false,
    }
}

/// The last [`MAX_SIDE`] characters of `s`, cut at a word; only the tail of `s` is looked at.
fn clip_left(s: &str) -> String {
    let Some((i, c)) = s.char_indices().rev().nth(MAX_SIDE) else {
        return s.to_string();
    };
    let tail = s.get(i + c.len_utf8()..).unwrap_or_default();
    let cut = tail
        .find(' ')
        .map_or(tail, |i| tail.get(i + 1..).unwrap_or_default());
    format!("…{cut}")
}

/// The first [`MAX_SIDE`] characters of `s`, cut at a word; only the head of `s` is looked at.
fn clip_right(s: &str) -> String {
    let Some((i, _)) = s.char_indices().nth(MAX_SIDE) else {
        return s.to_string();
    };
    let head = s.get(..i).unwrap_or_default();
    let cut = head
        .rfind(' ')
        .map_or(head, |i| head.get(..i).unwrap_or_default());
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_plain(body: &str) -> Vec<Found> {
        scan(body, &|_| None)
    }

    #[test]
    fn bare_links_read_as_titles() {
        let titles = |t: &str| (t == "visits/x").then(|| "The Visit".to_string());
        let found = scan(
            "After [[visits/x]], see [[topics/y|the topic]] now.",
            &titles,
        );
        assert_eq!(found[0].text, "The Visit");
        assert_eq!(found[1].before, "After The Visit, see ");
    }

    #[test]
    fn mention_gets_its_sentence() {
        let body = "First sentence. The U.N. Charter and [[topics/cpec|the corridor]] matter here. Last one.\n";
        let found = scan_plain(body);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].before, "The U.N. Charter and ");
        assert_eq!(found[0].text, "the corridor");
        assert_eq!(found[0].after, " matter here.");
        assert_eq!(&body[found[0].offset..found[0].offset + 2], "[[");
    }

    #[test]
    fn citations_are_found_and_left_out_of_context() {
        let found = scan_plain("Signed in 2005.[@1] Then [[x]] followed.[@2]");
        let kinds: Vec<bool> = found
            .iter()
            .map(|f| matches!(f.annotation, Annotation::Cite { .. }))
            .collect();
        assert_eq!(kinds, vec![true, false, true]);
        assert_eq!(found[1].before, "Then ");
        assert_eq!(found[1].after, " followed.");
        let spaced = scan_plain("Since 2021 [@1]. She saw [[x]] [@2] there.");
        assert_eq!(spaced[1].before, "She saw ");
        assert_eq!(spaced[1].after, " there.");
    }

    #[test]
    fn code_blocks_are_not_context() {
        let found = scan_plain(
            "```\ncode. more code\n```\nAfter [[x]] it.\n\n- item [[y]]\n  ```\n  code\n  ```\n",
        );
        assert_eq!(found[0].before, "After ");
        assert_eq!(found[1].before, "item ");
        assert_eq!(found[1].after, "");
    }

    #[test]
    fn sentence_ends_are_those_a_scan_of_every_character_finds() {
        let block =
            "Dr. Z. A. Bhutto met Xi。その後！ok？ yes＃. پاکستان۔ کیا؟ No! Why? 1.5 e.g. end.";
        let every: Vec<usize> = block
            .char_indices()
            .filter(|(i, c)| ends_sentence(block, *i, *c))
            .map(|(i, c)| i + c.len_utf8())
            .collect();
        assert_eq!(every.len(), 9);
        assert_eq!(sentence_ends(block), every);
    }

    #[test]
    fn blocks_without_mentions_keep_only_their_citations() {
        let body =
            "Cited [@1] here.\n\nNot linked [xy](y). Then\n[[a]] [@2] now.\n\n> Quote [@3].\n";
        let outline = markup::outline(body);
        // Text is kept as ranges of the body; only the line break (read as a space) is copied.
        assert_eq!(outline.text, " ");
        let kept: String = (outline.steps.iter())
            .filter_map(|step| match step {
                Step::Source(range) => body.get(range.clone()),
                Step::Text(range) => outline.text.get(range.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(kept, "Not linked xy. Then a @2 now.");
        let found = scan_outline(&outline, body, &|_| None);
        let offsets: Vec<usize> = found.iter().map(|f| f.offset).collect();
        assert_eq!(offsets, vec![6, 43, 49, 68]);
        assert_eq!(found[1].before, "Then ");
        assert_eq!(found[1].after, " now.");
    }

    #[test]
    fn list_items_are_blocks() {
        let found = scan_plain("- one [[a]] here\n- two [[b]]\n");
        assert_eq!(found[0].after, " here");
        assert_eq!(found[1].before, "two ");
    }

    #[test]
    fn many_mentions_in_one_long_sentence_take_linear_time() {
        // Found by a probe beside the fuzz targets: each mention used to rescan its whole block
        // for the sentence around it, so 20,000 mentions in one paragraph took minutes.
        let body = "[[x]] and ".repeat(20_000);
        let start = std::time::Instant::now();
        let found = scan_plain(&body);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(found.len(), 20_000);
        let last = found.last().map(|f| (f.before.clone(), f.after.clone()));
        let (before, after) = last.unwrap_or_default();
        assert!(
            before.starts_with('…') && before.ends_with("and "),
            "{before}"
        );
        assert!(before.chars().count() <= MAX_SIDE + 1, "{before}");
        assert_eq!(after, " and");
        assert_eq!(found[0].before, "");
        assert!(found[0].after.ends_with('…') && found[0].after.chars().count() <= MAX_SIDE + 1);
    }
}
