//! A body compiled to HTML with its wikilinks left as slots: the link stage has decided where
//! each goes, render fills them in ([`Compiled::fill`]) and never resolves a target itself.
//!
//! The HTML holds a marker character where a wikilink opens or closes and where a fenced code
//! block goes; the plain text (for search and descriptions) holds the wikilink markers too. The
//! markers are Unicode noncharacters, which a body never needs: any in the source are replaced
//! before parsing. Code blocks are highlighted when first filled.

use super::highlight;
use super::html::{
    collapse_whitespace, escape, heading_tag, is_safe_url, sanitizer, slug, unique_id,
};
use super::{Annotation, annotation};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const OPEN: char = '\u{FDD0}';
const CLOSE: char = '\u{FDD1}';
const CODE: char = '\u{FDD2}';
const MARKERS: [char; 3] = [OPEN, CLOSE, CODE];

/// Where a wikilink goes: its URL and the title used as text when none is given.
pub struct LinkTarget {
    pub url: String,
    pub title: String,
}

/// A body's HTML and plain text (for search and descriptions), wikilinks filled in.
pub struct Rendered {
    pub html: String,
    pub plain: String,
}

/// A wikilink of a compiled body, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikiSlot {
    pub target: String,
    /// `[[target|text]]`: the text is the author's; otherwise the target's title is shown.
    pub custom_text: bool,
}

/// A fenced code block, highlighted on first use.
#[derive(Debug, Clone, Default)]
struct CodeBlock {
    lang: String,
    text: String,
    html: OnceLock<String>,
}

impl CodeBlock {
    fn html(&self) -> &str {
        self.html
            .get_or_init(|| highlight::code_block(&self.lang, &self.text))
    }
}

/// A Markdown body as HTML and plain text with slots for its wikilinks (see the module doc).
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    html: String,
    plain: String,
    links: Vec<WikiSlot>,
    code: Vec<CodeBlock>,
}

impl PartialEq for Compiled {
    fn eq(&self, other: &Self) -> bool {
        let same_code = self.code.len() == other.code.len()
            && (self.code.iter().zip(&other.code))
                .all(|(a, b)| a.lang == b.lang && a.text == b.text);
        self.html == other.html
            && self.plain == other.plain
            && self.links == other.links
            && same_code
    }
}

impl Compiled {
    /// The body's wikilinks, in order.
    pub fn links(&self) -> &[WikiSlot] {
        &self.links
    }

    /// The HTML and plain text with every wikilink filled in by `resolve`: a link that resolves
    /// becomes `<a class="wikilink">` (with the target's title as text unless the author gave
    /// one); one that does not is left as its text (the link stage reported it).
    pub fn fill(&self, resolve: &dyn Fn(&str) -> Option<LinkTarget>) -> Rendered {
        self.fill_at(resolve, "")
    }

    /// [`Compiled::fill`] for a site served under `base_path` (`/pk-cn`, or `""` at a domain's
    /// root): a root-relative link or image the author wrote (`[timeline](/timeline/)`) gets the
    /// base path in front, so it stays inside the site.
    pub fn fill_at(
        &self,
        resolve: &dyn Fn(&str) -> Option<LinkTarget>,
        base_path: &str,
    ) -> Rendered {
        let targets: Vec<Option<LinkTarget>> =
            self.links.iter().map(|s| resolve(&s.target)).collect();
        let slots: Vec<(Option<&LinkTarget>, bool)> = self
            .links
            .iter()
            .zip(&targets)
            .map(|(s, t)| (t.as_ref(), s.custom_text))
            .collect();
        let mut code = self.code.iter();
        // Before the wikilinks go in: their URLs carry the base path already.
        let own = under_base_path(&self.html, base_path);
        let html = fill_markers(&own, &slots, true, &mut |out| {
            if let Some(block) = code.next() {
                let h = block.html();
                out.push_str(h.strip_suffix('\n').unwrap_or(h));
            }
        });
        let plain = fill_markers(&self.plain, &slots, false, &mut |_| {});
        Rendered {
            html,
            plain: collapse_whitespace(&plain),
        }
    }
}

/// `html` (as pulldown-cmark and the sanitizer write it: attributes in double quotes, quotes in
/// text escaped) with `base_path` put before every root-relative `href` and `src`.
fn under_base_path<'h>(html: &'h str, base_path: &str) -> std::borrow::Cow<'h, str> {
    if base_path.is_empty() || !(html.contains("href=\"/") || html.contains("src=\"/")) {
        return html.into();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find("=\"/") {
        let (before, after) = rest.split_at(at + 2);
        out.push_str(before);
        if (before.ends_with(" href=\"") || before.ends_with(" src=\"")) && !after.starts_with("//")
        {
            out.push_str(base_path);
        }
        rest = after;
    }
    out.push_str(rest);
    out.into()
}

/// `text` with its markers replaced: an open marker takes the next slot; a slot that resolved
/// becomes a link (in HTML) and, without custom text, its title replaces the text up to the close
/// marker; one that did not leaves its text alone.
fn fill_markers(
    text: &str,
    slots: &[(Option<&LinkTarget>, bool)],
    as_html: bool,
    code: &mut dyn FnMut(&mut String),
) -> String {
    let mut out = String::with_capacity(text.len() + slots.len() * 64);
    let mut next = 0;
    // The slot open now, and whether its own text is being skipped.
    let mut open: Option<(Option<&LinkTarget>, bool)> = None;
    let mut rest = text;
    while let Some(at) = find_marker(rest) {
        let (before, marker) = rest.split_at(at);
        if !matches!(open, Some((_, true))) {
            out.push_str(before);
        }
        let mut chars = marker.chars();
        match chars.next() {
            Some(OPEN) => {
                let (target, custom) = slots.get(next).copied().unwrap_or((None, true));
                next += 1;
                if let Some(t) = target {
                    if as_html {
                        out.push_str("<a class=\"wikilink\" href=\"");
                        out.push_str(&escape(&t.url));
                        out.push_str("\" title=\"");
                        out.push_str(&escape(&t.title));
                        out.push_str("\">");
                    }
                    if !custom {
                        if as_html {
                            push_text(&mut out, &t.title);
                        } else {
                            out.push_str(&t.title);
                        }
                    }
                }
                open = Some((target, target.is_some() && !custom));
            }
            Some(CLOSE) => {
                if let Some((Some(_), _)) = open
                    && as_html
                {
                    out.push_str("</a>");
                }
                open = None;
            }
            _ => code(&mut out),
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out
}

/// Where the first marker character of `s` is. The markers are U+FDD0–U+FDD2, `EF B7 90`–`92`
/// in UTF-8: a byte search for their first two bytes, much faster than a search by character.
fn find_marker(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    memchr::memmem::find_iter(bytes, b"\xEF\xB7")
        .find(|&at| matches!(bytes.get(at + 2), Some(0x90..=0x92)))
}

/// Text escaped as pulldown-cmark escapes body text (`&`, `<`, `>`).
fn push_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

/// `text` without marker characters (each becomes U+FFFD, the same length in UTF-8, so byte
/// offsets into the body stay valid).
pub(super) fn without_markers(text: &str) -> std::borrow::Cow<'_, str> {
    if find_marker(text).is_some() {
        text.replace(MARKERS, "\u{FFFD}").into()
    } else {
        text.into()
    }
}

/// A heading being read: its level, its explicit id, its text so far and where its opening tag
/// goes in the event list.
type OpenHeading<'t> = (HeadingLevel, Option<CowStr<'t>>, Vec<CowStr<'t>>, usize);

enum LinkState {
    Wiki { skip_heading_text: bool },
    Cite,
    Plain,
}

/// The state of one pass over a body: the events to write as HTML and the plain text.
pub(super) struct Writer<'t> {
    plain: String,
    events: Vec<Event<'t>>,
    links: Vec<WikiSlot>,
    code_blocks: Vec<CodeBlock>,
    needs_sanitizing: bool,
    /// Links being rewritten, innermost last.
    link_stack: Vec<LinkState>,
    /// A fenced code block being read: its language and text.
    code: Option<(String, String)>,
    heading: Option<OpenHeading<'t>>,
    used_ids: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl<'t> Writer<'t> {
    pub(super) fn new(len: usize) -> Self {
        Writer {
            plain: String::with_capacity(len),
            events: Vec::new(),
            links: Vec::new(),
            code_blocks: Vec::new(),
            needs_sanitizing: false,
            link_stack: Vec::new(),
            code: None,
            heading: None,
            used_ids: HashSet::new(),
            next_suffix: HashMap::new(),
        }
    }

    /// The compiled body; its HTML sanitized when it has raw HTML or unsafe URLs and the site
    /// does not trust its HTML.
    pub(super) fn finish(self, trusted_html: bool) -> Compiled {
        let capacity = self.plain.len() * 3 / 2;
        let mut html = String::with_capacity(capacity);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        if self.needs_sanitizing && !trusted_html {
            html = sanitizer().clean(&html).to_string();
        }
        Compiled {
            html,
            // White space is collapsed once the wikilinks' text is in (`fill_at`).
            plain: self.plain,
            links: self.links,
            code: self.code_blocks,
        }
    }

    pub(super) fn event(&mut self, event: Event<'t>) {
        if self.code.is_some() {
            self.code_event(event);
            return;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link_start(link_type, dest_url, title, id),
            Event::End(TagEnd::Link) => match self.link_stack.pop() {
                Some(LinkState::Wiki { .. }) => {
                    self.plain.push(CLOSE);
                    self.events.push(Event::Html(CLOSE.to_string().into()));
                }
                Some(LinkState::Plain) | None => self.events.push(Event::End(TagEnd::Link)),
                Some(LinkState::Cite) => {}
            },
            Event::Text(t) => self.text(t),
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((level, id, Vec::new(), self.events.len()));
                // A placeholder for the opening tag, written when the heading's text is known.
                self.events.push(Event::Html(CowStr::from("")));
            }
            Event::End(TagEnd::Heading(level)) => self.heading_end(level),
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                if !is_safe_url(dest_url) {
                    self.needs_sanitizing = true;
                }
                self.events.push(event);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.needs_sanitizing = true;
                self.events.push(event);
            }
            other => {
                match &other {
                    Event::Code(t) => self.plain.push_str(t),
                    Event::SoftBreak
                    | Event::HardBreak
                    | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                        self.plain.push(' ')
                    }
                    _ => {}
                }
                self.events.push(other)
            }
        }
    }

    /// Inside a fenced code block: collect its text; at its end leave a marker where it goes.
    fn code_event(&mut self, event: Event<'t>) {
        match event {
            Event::Text(t) => {
                if let Some((_, buf)) = self.code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = self.code.take() {
                    self.plain.push_str(&text);
                    self.plain.push(' ');
                    // The block's HTML ends with a line break; the marker keeps it, so the
                    // HTML writer sees the same line ends as with the block itself.
                    self.events.push(Event::Html(format!("{CODE}\n").into()));
                    self.code_blocks.push(CodeBlock {
                        lang,
                        text,
                        html: OnceLock::new(),
                    });
                }
            }
            _ => {}
        }
    }

    /// A link opens: a wikilink, a citation, or a plain Markdown link.
    fn link_start(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'t>,
        title: CowStr<'t>,
        id: CowStr<'t>,
    ) {
        match annotation(link_type, &dest_url) {
            Some(Annotation::Wiki {
                target,
                custom_text,
            }) => {
                self.plain.push(OPEN);
                self.events.push(Event::Html(OPEN.to_string().into()));
                self.links.push(WikiSlot {
                    target,
                    custom_text,
                });
                self.link_stack.push(LinkState::Wiki {
                    skip_heading_text: !custom_text,
                });
            }
            Some(Annotation::Cite { raw, .. }) => {
                // "2021 [@1]." reads "2021." in plain text.
                self.plain.truncate(self.plain.trim_end().len());
                let n = escape(&raw);
                let sup = format!("<sup class=\"cite\"><a href=\"#source-{n}\">[{n}]</a></sup>");
                self.events.push(Event::Html(sup.into()));
                self.link_stack.push(LinkState::Cite);
            }
            None => {
                if !is_safe_url(&dest_url) {
                    self.needs_sanitizing = true;
                }
                self.link_stack.push(LinkState::Plain);
                self.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
        }
    }

    fn text(&mut self, t: CowStr<'t>) {
        match self.link_stack.last() {
            Some(LinkState::Cite) => {}
            last => {
                self.plain.push_str(&t);
                let in_title_slot = matches!(
                    last,
                    Some(LinkState::Wiki {
                        skip_heading_text: true
                    })
                );
                if let (Some((_, _, parts, _)), false) = (self.heading.as_mut(), in_title_slot) {
                    parts.push(t.clone());
                }
                self.events.push(Event::Text(t));
            }
        }
    }

    /// A heading closes: give it a unique id from its text (or its explicit one).
    fn heading_end(&mut self, level: HeadingLevel) {
        if let Some((_, id, parts, at)) = self.heading.take() {
            let text: String = parts.concat();
            let id = match id {
                Some(id) => id.to_string(),
                None => unique_id(&slug(&text), &self.used_ids, &mut self.next_suffix),
            };
            self.used_ids.insert(id.clone());
            let tag = heading_tag(level);
            if let Some(slot) = self.events.get_mut(at) {
                *slot = Event::Html(format!("<{tag} id=\"{}\">", escape(&id)).into());
            }
            self.events.push(Event::Html(format!("</{tag}>\n").into()));
            self.plain.push(' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{compile, outline, plain_text, to_html};
    use super::*;
    use crate::markup::{Annotation, Step};

    fn resolve(target: &str) -> Option<LinkTarget> {
        (target == "officials/xi-jinping").then(|| LinkTarget {
            url: "/officials/xi-jinping/".into(),
            title: "Xi Jinping".into(),
        })
    }

    #[test]
    fn wikilinks_and_citations() {
        let html = to_html(
            "Met [[officials/xi-jinping]] and [[officials/xi-jinping|the President]].[@1]",
            false,
            &resolve,
        );
        assert!(html.contains("<a class=\"wikilink\" href=\"/officials/xi-jinping/\" title=\"Xi Jinping\">Xi Jinping</a>"), "{html}");
        assert!(html.contains(">the President</a>"), "{html}");
        assert!(
            html.contains("<sup class=\"cite\"><a href=\"#source-1\""),
            "{html}"
        );
        assert!(!html.contains("[[") && !html.contains("@1]"), "{html}");
    }

    #[test]
    fn a_link_that_does_not_resolve_is_its_text() {
        let html = to_html("See [[nowhere]] and [[nowhere|there]].", false, &resolve);
        assert_eq!(html, "<p>See nowhere and there.</p>\n");
        assert_eq!(
            plain_text("See [[nowhere]] and [[nowhere|there]].", &resolve),
            "See nowhere and there."
        );
    }

    #[test]
    fn one_compiled_body_fills_per_language() {
        let compiled = compile("Met [[officials/xi-jinping]].\n", false);
        assert_eq!(compiled.links().len(), 1);
        let zh = |_: &str| {
            Some(LinkTarget {
                url: "/zh/officials/xi-jinping/".into(),
                title: "习近平 <&>".into(),
            })
        };
        let filled = compiled.fill(&zh);
        assert_eq!(
            filled.html,
            "<p>Met <a class=\"wikilink\" href=\"/zh/officials/xi-jinping/\" title=\"习近平 &lt;&amp;&gt;\">习近平 &lt;&amp;&gt;</a>.</p>\n"
        );
        assert_eq!(filled.plain, "Met 习近平 <&>.");
        assert_eq!(compiled.fill(&resolve).plain, "Met Xi Jinping.");
    }

    #[test]
    fn marker_characters_in_the_source_are_not_markers() {
        let text = "a \u{FDD0} b \u{FDD2}\n\n```\n\u{FDD1}\n```\n";
        let html = to_html(text, false, &resolve);
        assert!(!html.contains(MARKERS), "{html}");
        assert!(html.contains("a \u{FFFD} b \u{FFFD}"), "{html}");
    }

    #[test]
    fn wikilinks_survive_the_sanitizer() {
        let html = to_html(
            "<div>raw</div>\n\nMet [[officials/xi-jinping]] <b onclick=x>here</b>.\n\n```yaml\nk: v\n```\n",
            false,
            &resolve,
        );
        assert!(
            html.contains("title=\"Xi Jinping\">Xi Jinping</a>"),
            "{html}"
        );
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains(MARKERS), "{html}");
    }

    /// The link stage reads wikilinks from the outline, render from the compiled body: on every
    /// kind of construct they must find the same links in the same order.
    #[test]
    fn outline_and_compiled_body_agree_on_wikilinks() {
        let samples = [
            "Plain [[a]] and [[b|text]] and [[c/d]].",
            "# Heading with [[a]]\n\n> quote [[b]]\n> > nested [[c|x]]\n",
            "- item [[a]]\n  - sub [[b]]\n1. [[c]]\n",
            "| h | [[a]] |\n|---|---|\n| [[b|x]] | `[[not]]` |\n",
            "Note[^1].\n\n[^1]: See [[a]].\n",
            "```\n[[not a link]]\n```\n\n    [[indented code]]\n\nafter [[z]]",
            "<div>[[raw html block]]</div>\n\n*emph [[a]]* **[[b|bold]]** ~~[[c]]~~",
            "[outer [[inner]]](https://x) [[a]][@1] [link](/x \"t\")",
            "Escaped \\[[not]] and [[a\\|b]] and [[]] and [[ spaced ]]",
        ];
        for text in samples {
            let from_outline: Vec<String> = (outline(text).steps.iter())
                .filter_map(|s| match s {
                    Step::LinkStart(Some((Annotation::Wiki { target, .. }, _))) => {
                        Some(target.clone())
                    }
                    _ => None,
                })
                .collect();
            let from_compiled: Vec<String> = (compile(text, false).links().iter())
                .map(|l| l.target.clone())
                .collect();
            assert_eq!(from_outline, from_compiled, "{text}");
        }
    }

    #[test]
    fn headings_get_unique_ids() {
        let html = to_html(
            "# Trade\n\n## Trade\n\n### 贸易 and more\n",
            false,
            &resolve,
        );
        assert!(html.contains("<h2 id=\"trade\">Trade</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"trade-2\">"), "{html}");
        assert!(html.contains("<h3 id=\"贸易-and-more\">"), "{html}");
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let resolve = |_: &str| None;
        let body = "[timeline](/timeline/), [ext](//cdn.example/x), [rel](../a/), ![i](/i.png)\n\n`href=\"/code\"`";
        let html = compile(body, false).fill_at(&resolve, "/pk-cn").html;
        assert!(html.contains("href=\"/pk-cn/timeline/\""), "{html}");
        assert!(html.contains("src=\"/pk-cn/i.png\""), "{html}");
        assert!(html.contains("href=\"//cdn.example/x\""), "{html}");
        assert!(html.contains("href=\"../a/\""), "{html}");
        assert!(!html.contains("/pk-cn/code"), "{html}");
        assert_eq!(
            compile(body, false)
                .fill(&resolve)
                .html
                .matches("/pk-cn")
                .count(),
            0
        );
    }

    #[test]
    fn raw_html_is_sanitized_unless_trusted() {
        let evil = "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](data:text/html,x)";
        let html = to_html(evil, false, &resolve);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.to_lowercase().contains("href=\"javascript"), "{html}");
        assert!(!html.contains("href=\"data:"), "{html}");
        assert!(
            html.contains("<a>x</a>") || html.contains(">x</a>"),
            "link text is kept: {html}"
        );
        let trusted = to_html("<div class=\"x\">ok</div>", true, &resolve);
        assert!(trusted.contains("<div class=\"x\">ok</div>"));
    }

    #[test]
    fn html_and_plain_text_in_one_pass() {
        let body = "# Head\n\nMet [[officials/xi-jinping]] and [[officials/xi-jinping|him]] in `code`.[@1]\n\n- a\n- b\n\n```yaml\nk: v\n```\n";
        let both = compile(body, false).fill(&resolve);
        assert_eq!(both.html, to_html(body, false, &resolve));
        assert_eq!(both.plain, "Head Met Xi Jinping and him in code. a b k: v");
        assert!(
            both.html
                .contains("<pre class=\"code\"><code class=\"language-yaml\">")
        );
        assert!(both.html.ends_with("</code></pre>\n"), "{}", both.html);
    }

    #[test]
    fn plain_text_reads_links_as_words() {
        assert_eq!(
            plain_text("# Head\n\nMet [[officials/xi-jinping]].[@1]\n", &resolve),
            "Head Met Xi Jinping."
        );
    }

    #[test]
    fn many_equal_headings_take_linear_time() {
        // Found by a probe beside the fuzz targets: the n-th "# a" tried a, a-2, … a-n, so 20,000
        // equal headings took half a minute.
        let text = "# a\n".repeat(20_000) + "# a-3\n";
        let start = std::time::Instant::now();
        let html = to_html(&text, false, &resolve);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
        assert!(
            html.contains("<h2 id=\"a-20000\">a</h2>"),
            "the last equal heading"
        );
        assert!(
            html.contains("<h2 id=\"a-3-2\">a-3</h2>"),
            "a taken id is never reused"
        );
        let explicit = to_html("# x {#x-2}\n\n# x\n\n# x\n", false, &resolve);
        assert!(explicit.contains("<h2 id=\"x-3\">"), "{explicit}");
    }
}
