//! Markdown bodies to HTML: pulldown-cmark with wikilinks and citations turned into links, fenced
//! code highlighted by [`highlight`](super::highlight), headings given ids, and the result
//! sanitized with ammonia unless the site trusts its raw HTML.

use super::highlight;
use crate::markup::{self, Annotation};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Where a wikilink goes: its URL and the title used as text when none is given.
pub struct LinkTarget {
    pub url: String,
    pub title: String,
}

/// Turn Markdown into HTML. `resolve` maps a wikilink target to its page (unresolvable links were
/// already reported by the link stage and render as plain text); `cite_prefix` is the id prefix of
/// the entry's source list items.
pub fn to_html(
    text: &str,
    trusted_html: bool,
    resolve: &dyn Fn(&str) -> Option<LinkTarget>,
) -> String {
    render(text, trusted_html, resolve).html
}

/// A body rendered once: its HTML and its plain text (for search and descriptions).
pub struct Rendered {
    pub html: String,
    pub plain: String,
}

/// [`to_html`] and [`plain_text`] in one pass over the Markdown.
pub fn render(
    text: &str,
    trusted_html: bool,
    resolve: &dyn Fn(&str) -> Option<LinkTarget>,
) -> Rendered {
    let mut w = Writer {
        resolve,
        plain: String::with_capacity(text.len()),
        events: Vec::new(),
        needs_sanitizing: false,
        link_stack: Vec::new(),
        code: None,
        heading: None,
        used_ids: HashSet::new(),
        next_suffix: HashMap::new(),
    };
    for event in markup::parser(text) {
        w.event(event);
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, w.events.into_iter());
    if w.needs_sanitizing && !trusted_html {
        html = sanitizer().clean(&html).to_string();
    }
    Rendered {
        html,
        plain: collapse_whitespace(&w.plain),
    }
}

/// A heading being read: its level, its explicit id, its text so far and where its opening tag
/// goes in the event list.
type OpenHeading<'t> = (HeadingLevel, Option<CowStr<'t>>, Vec<CowStr<'t>>, usize);

/// The state of one pass over a body: the events to write as HTML and the plain text.
struct Writer<'t, 'r> {
    resolve: &'r dyn Fn(&str) -> Option<LinkTarget>,
    plain: String,
    events: Vec<Event<'t>>,
    needs_sanitizing: bool,
    /// Links being rewritten, innermost last.
    link_stack: Vec<LinkState>,
    /// A fenced code block being read: its language and text.
    code: Option<(String, String)>,
    heading: Option<OpenHeading<'t>>,
    used_ids: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl<'t> Writer<'t, '_> {
    fn event(&mut self, event: Event<'t>) {
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
                Some(LinkState::Wiki { .. }) => self.events.push(Event::Html("</a>".into())),
                Some(LinkState::Plain) | None => self.events.push(Event::End(TagEnd::Link)),
                Some(LinkState::Cite | LinkState::Dead) => {}
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

    /// Inside a fenced code block: collect its text, highlight it at its end.
    fn code_event(&mut self, event: Event<'t>) {
        match event {
            Event::Text(t) => {
                if let Some((_, buf)) = self.code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, buf)) = self.code.take() {
                    self.plain.push_str(&buf);
                    self.plain.push(' ');
                    let html = highlight::code_block(&lang, &buf);
                    self.events.push(Event::Html(html.into()));
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
        match markup::annotation(link_type, &dest_url) {
            Some(Annotation::Wiki {
                target,
                custom_text,
            }) => match (self.resolve)(&target) {
                Some(t) => {
                    let title_attr = escape_attr(&t.title);
                    let open = format!(
                        "<a class=\"wikilink\" href=\"{}\" title=\"{title_attr}\">",
                        escape_attr(&t.url)
                    );
                    self.events.push(Event::Html(open.into()));
                    if !custom_text {
                        self.plain.push_str(&t.title);
                        self.events.push(Event::Text(t.title.into()));
                    }
                    self.link_stack.push(LinkState::Wiki {
                        skip_text: !custom_text,
                    });
                }
                None => self.link_stack.push(LinkState::Dead),
            },
            Some(Annotation::Cite { raw, .. }) => {
                // "2021 [@1]." reads "2021." in plain text.
                self.plain.truncate(self.plain.trim_end().len());
                let n = escape_attr(&raw);
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
            Some(LinkState::Cite) | Some(LinkState::Wiki { skip_text: true }) => {}
            _ => {
                self.plain.push_str(&t);
                if let Some((_, _, parts, _)) = self.heading.as_mut() {
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
                *slot = Event::Html(format!("<{tag} id=\"{}\">", escape_attr(&id)).into());
            }
            self.events.push(Event::Html(format!("</{tag}>\n").into()));
            self.plain.push(' ');
        }
    }
}

/// Runs of white space as one space, none at either end.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

enum LinkState {
    Wiki { skip_text: bool },
    Cite,
    Dead,
    Plain,
}

fn heading_tag(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h2", // the page title is the only h1
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

/// A URL that can be emitted without a sanitizer pass: relative, fragment, or an allowed scheme.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return !url.chars().any(|c| c.is_control());
    }
    // No scheme at all: a `:` may only come after a `/`, `?` or `#`.
    match lower.find(':') {
        None => !url.chars().any(|c| c.is_control()),
        Some(colon) => lower[..colon].contains(['/', '?', '#']),
    }
}

/// The ammonia configuration: ammonia's safe defaults plus the classes and ids bilat emits.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class", "id", "title", "lang", "dir"])
            .add_tags(["figure", "figcaption", "mark", "details", "summary"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer"));
        b
    })
}

/// A heading's text as an id: lowercase letters and digits joined by hyphens (any script).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// `base`, or `base-2`, `base-3`, … whichever is free first. `next` remembers per base where the
/// search stopped (every id before it is taken for good), so a page with thousands of equal
/// headings costs linear time, not quadratic.
fn unique_id(base: &str, used: &HashSet<String>, next: &mut HashMap<String, usize>) -> String {
    if !used.contains(base) {
        return base.to_string();
    }
    let n = next.entry(base.to_string()).or_insert(2);
    loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if !used.contains(&candidate) {
            return candidate;
        }
    }
}

pub fn escape_attr(s: &str) -> String {
    highlight::escape(s)
}

/// Plain text of a Markdown body (for search and descriptions), wikilinks as their text.
pub fn plain_text(text: &str, resolve: &dyn Fn(&str) -> Option<LinkTarget>) -> String {
    // Trusted: the HTML is thrown away, so there is nothing to sanitize.
    render(text, true, resolve).plain
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn safe_urls() {
        assert!(is_safe_url("https://example.org/a:b"));
        assert!(is_safe_url("/visits/x/"));
        assert!(is_safe_url("#source-1"));
        assert!(is_safe_url("../x?a=b:c"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JAVASCRIPT:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(!is_safe_url("java\tscript:alert(1)"));
    }

    #[test]
    fn one_pass_render_matches_plain_text() {
        let body = "# Head\n\nMet [[officials/xi-jinping]] and [[officials/xi-jinping|him]] in `code`.[@1]\n\n- a\n- b\n\n```yaml\nk: v\n```\n";
        let both = render(body, false, &resolve);
        assert_eq!(both.html, to_html(body, false, &resolve));
        assert_eq!(both.plain, plain_text(body, &resolve));
        assert_eq!(both.plain, "Head Met Xi Jinping and him in code. a b k: v");
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
