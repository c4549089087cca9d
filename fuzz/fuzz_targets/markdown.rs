//! Markdown rendering with wikilinks and citations, plain-text extraction and mention-context
//! scanning, plus the sanitizer invariant: in untrusted mode the HTML never carries a script
//! element, an event-handler attribute or a `javascript:` link, whatever the input.
#![no_main]

use bilat::stages::{LinkTarget, plain_text, to_html};
use libfuzzer_sys::fuzz_target;

fn resolve(target: &str) -> Option<LinkTarget> {
    let (url, title) = match target {
        "officials/xi-jinping" | "xi-jinping" => ("/officials/xi-jinping/", "Xi Jinping"),
        "visits/a-visit" => ("/visits/a-visit/", "A visit <b>&</b> \"quoted\""),
        "topics/cpec" | "cpec" => ("/topics/cpec/", "China–Pakistan Economic Corridor"),
        "pages/about" => ("/about/", "About"),
        _ => return None,
    };
    Some(LinkTarget {
        url: url.into(),
        title: title.into(),
    })
}

/// The first violation of the sanitizer invariant in `html`, if any.
fn violation(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    if let Some(i) = lower.find("<script") {
        return Some(format!("a <script> element at byte {i}"));
    }
    if let Some(i) = lower.find("href=\"javascript:") {
        return Some(format!("a javascript: link at byte {i}"));
    }
    // Event handlers: an ` on…=` attribute inside a tag (outside tags it is only text).
    let bytes = lower.as_bytes();
    let mut in_tag = false;
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (in_tag, quote, b) {
            (false, _, b'<') => in_tag = bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic),
            (true, None, b'>') => in_tag = false,
            (true, None, b'"' | b'\'') => quote = Some(b),
            (true, Some(q), _) if b == q => quote = None,
            (true, None, b' ' | b'\t' | b'\n' | b'/') => {
                let rest = &bytes[i + 1..];
                if rest.starts_with(b"on") {
                    let name_len = rest
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                        .count();
                    let after = rest.get(name_len..).unwrap_or_default();
                    let after = after.trim_ascii_start();
                    if name_len > 2 && after.starts_with(b"=") {
                        return Some(format!("an event-handler attribute at byte {}", i + 1));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fuzz_target!(|text: &str| {
    // The parse stage refuses bodies that nest deeper than this before they are rendered.
    if bilat::stages::too_deep(text, bilat::stages::MAX_NESTING).is_some() {
        return;
    }
    let html = to_html(text, false, &resolve);
    if let Some(what) = violation(&html) {
        panic!("sanitizer invariant broken: {what}\ninput: {text:?}\noutput: {html}");
    }
    let _ = to_html(text, true, &resolve);
    let _ = plain_text(text, &resolve);
    let _ = bilat::stages::scan_mentions(text, &|target| resolve(target).map(|t| t.title));
});
