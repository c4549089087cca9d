//! The error overlay of `bilat serve`: when a rebuild finds errors, every open page shows them
//! (file:line:col, message, source line, help) over the last good page, and a site that has
//! never built shows them as its only page. Only `serve` answers with it; `bilat build` never
//! writes any of it.
//!
//! The live-reload script ([`LIVERELOAD_JS`]) waits for the next build, then asks `/__errors`:
//! an answer with errors replaces the overlay, an empty answer reloads the page.

use crate::diagnostics::Diagnostic;
use crate::markup::escape;

/// The element id of the overlay (the script finds and replaces it by this id).
pub const ID: &str = "bilat-errors";

/// Loaded by every page `serve` renders (the theme adds it when `site.live_reload` is on).
pub const LIVERELOAD_JS: &str = r#"(function () {
  var since = null;
  function overlay() { return document.getElementById("bilat-errors"); }
  function errors(first) {
    return fetch("/__errors", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var old = overlay();
        if (html.trim() === "") {
          if (!first || old) { location.reload(); return true; }
          return false;
        }
        var focused = old && old.contains(document.activeElement);
        if (old) { old.remove(); }
        document.body.insertAdjacentHTML("beforeend", html);
        var shown = overlay();
        shown.querySelector("[data-bilat-hide]").addEventListener("click", function () { shown.hidden = true; });
        if (first || focused || !old) { shown.focus(); }
        return false;
      });
  }
  function poll() {
    fetch("/__livereload?since=" + (since === null ? "" : since), { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (t) {
        var n = parseInt(t, 10);
        if (since !== null && n > since) {
          since = n;
          return errors(false).then(function (reloading) { if (!reloading) { poll(); } });
        }
        since = n;
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  // The build number first, then the errors: a build that finishes in between is not missed.
  fetch("/__livereload", { cache: "no-store" })
    .then(function (r) { return r.text(); })
    .then(function (t) { since = parseInt(t, 10); return errors(true); })
    .then(function (reloading) { if (!reloading) { poll(); } }, function () { setTimeout(poll, 1000); });
})();
"#;

/// The overlay listing the errors among `diagnostics`, or `""` when there are none.
pub fn fragment(diagnostics: &[Diagnostic]) -> String {
    overlay(
        diagnostics,
        "Behind this is the last good build of the page. Fix the files named here and save: the page reloads by itself.",
    )
}

fn overlay(diagnostics: &[Diagnostic], lead: &str) -> String {
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() {
        return String::new();
    }
    let count = match errors.len() {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    };
    let mut out = format!(
        "<div id=\"{ID}\" role=\"alertdialog\" aria-modal=\"true\" aria-labelledby=\"{ID}-title\" \
         aria-describedby=\"{ID}-list\" tabindex=\"-1\">\n<style>{STYLE}</style>\n\
         <div class=\"bilat-head\"><h2 id=\"{ID}-title\">bilat serve: the site has {count}</h2>\
         <button type=\"button\" data-bilat-hide>Hide</button></div>\n\
         <p>{lead}</p>\n\
         <ol id=\"{ID}-list\">\n"
    );
    for d in errors {
        out.push_str(&item(d));
    }
    out.push_str("</ol>\n</div>\n");
    out
}

/// One error: message, location, the source line with the offending part marked, help.
fn item(d: &Diagnostic) -> String {
    let location = if d.line > 0 {
        format!("{}:{}:{}", d.file, d.line, d.column)
    } else {
        d.file.clone()
    };
    let mut out = format!(
        "<li><p class=\"bilat-message\"><strong>error:</strong> {}</p>\n<p class=\"bilat-location\"><code>{}</code></p>\n",
        escape(&d.message),
        escape(&location)
    );
    if let Some(excerpt) = &d.excerpt {
        let start = d.column.saturating_sub(1).saturating_sub(excerpt.skipped);
        let chars: Vec<char> = excerpt.text.chars().collect();
        let start = start.min(chars.len());
        let end = start.saturating_add(excerpt.width).min(chars.len());
        let part = |range: std::ops::Range<usize>| -> String {
            chars
                .get(range)
                .map(|c| c.iter().collect())
                .unwrap_or_default()
        };
        out.push_str(&format!(
            "<pre><span class=\"bilat-line\" aria-hidden=\"true\">{} | </span>{}<mark>{}</mark>{}</pre>\n",
            d.line,
            escape(&part(0..start)),
            escape(&part(start..end)),
            escape(&part(end..chars.len()))
        ));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!(
            "<p class=\"bilat-help\"><strong>help:</strong> {}</p>\n",
            escape(help)
        ));
    }
    out.push_str("</li>\n");
    out
}

/// What every URL answers while the site has never built: the overlay alone, with the script
/// that reloads it into the real page once the errors are fixed.
pub fn page(diagnostics: &[Diagnostic]) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n<title>bilat serve: the site has errors</title>\n\
         </head>\n<body>\n<main>\n{}</main>\n<script src=\"/__livereload.js\"></script>\n</body>\n</html>\n",
        overlay(
            diagnostics,
            "Nothing could be built yet. Fix the files named here and save: this page turns into the site by itself.",
        )
    )
}

/// Styles of the overlay, scoped to its id so the page's own styles neither leak in nor out.
const STYLE: &str = "#bilat-errors{position:fixed;inset:0;z-index:2147483647;overflow:auto;\
margin:0;padding:1.5rem max(1rem,calc(50vw - 30rem));box-sizing:border-box;\
background:#fffdfd;color:#1a1a1a;font:16px/1.5 system-ui,sans-serif;text-align:left;direction:ltr;\
border-top:6px solid #b00020}\
#bilat-errors:focus{outline:3px solid #0b57d0;outline-offset:-3px}\
#bilat-errors .bilat-head{display:flex;gap:1rem;align-items:baseline;justify-content:space-between}\
#bilat-errors h2{font-size:1.25rem;margin:0 0 .5rem;color:#8c0016}\
#bilat-errors button{font:inherit;padding:.25rem .75rem;border:1px solid currentColor;border-radius:4px;\
background:transparent;color:inherit;cursor:pointer}\
#bilat-errors ol{padding-left:1.5rem}\
#bilat-errors li{margin:0 0 1.25rem}\
#bilat-errors p{margin:.25rem 0}\
#bilat-errors strong{color:#8c0016}\
#bilat-errors .bilat-help strong{color:#0b5394}\
#bilat-errors code,#bilat-errors pre{font-family:ui-monospace,monospace;font-size:.9rem}\
#bilat-errors pre{margin:.25rem 0;padding:.5rem .75rem;background:#f3f0f0;color:#1a1a1a;\
overflow-x:auto;white-space:pre;border-radius:4px}\
#bilat-errors mark{background:#ffd7dc;color:#6b0010;text-decoration:underline wavy #b00020}\
#bilat-errors .bilat-line{color:#5c5c5c}\
@media (prefers-color-scheme:dark){\
#bilat-errors{background:#1b1516;color:#f2eded;border-top-color:#ff6b81}\
#bilat-errors:focus{outline-color:#8ab4f8}\
#bilat-errors h2,#bilat-errors strong{color:#ff9aa9}\
#bilat-errors .bilat-help strong{color:#9cc3ff}\
#bilat-errors pre{background:#2a2223;color:#f2eded}\
#bilat-errors mark{background:#5c1a24;color:#ffe3e7;text-decoration-color:#ff6b81}\
#bilat-errors .bilat-line{color:#b5aaaa}}";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Pos, codes};

    fn broken() -> Diagnostic {
        let source = "---\ntitle: A <visit>\nvisitor: nobody-at-all\n---\n";
        Diagnostic::error(
            codes::UNKNOWN_REF,
            "content/visits/a.md",
            Pos::new(3, 10),
            "unknown official \"nobody-at-all\" in field \"visitor\"",
        )
        .with_help("did you mean \"amina-khan\"?")
        .with_source(source, 13)
    }

    #[test]
    fn the_overlay_names_file_line_column_message_snippet_and_help() {
        let html = fragment(&[broken()]);
        assert!(html.contains("role=\"alertdialog\""), "{html}");
        assert!(html.contains("tabindex=\"-1\""), "{html}");
        assert!(
            html.contains("<code>content/visits/a.md:3:10</code>"),
            "{html}"
        );
        assert!(
            html.contains(
                "unknown official &quot;nobody-at-all&quot; in field &quot;visitor&quot;"
            ),
            "{html}"
        );
        assert!(
            html.contains("visitor: <mark>nobody-at-all</mark></pre>"),
            "{html}"
        );
        assert!(
            html.contains("did you mean &quot;amina-khan&quot;?"),
            "{html}"
        );
        assert!(html.contains("the site has 1 error<"), "{html}");
        assert!(html.contains("prefers-color-scheme:dark"), "{html}");
    }

    #[test]
    fn no_errors_no_overlay() {
        assert_eq!(fragment(&[]), "");
        let warning =
            Diagnostic::warning(codes::UNKNOWN_REF, "a.md", Pos::new(1, 1), "just a warning");
        assert_eq!(fragment(&[warning]), "");
    }

    #[test]
    fn text_from_the_site_is_escaped() {
        let d = Diagnostic::error(
            codes::UNKNOWN_REF,
            "a.md",
            Pos::new(1, 1),
            "<script>alert(1)</script>",
        )
        .with_help("<img src=x onerror=alert(1)>")
        .with_source("<b>bold</b>", 3);
        let html = fragment(&[d]);
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("<mark>&lt;b&gt;</mark>bold&lt;/b&gt;"),
            "{html}"
        );
    }

    #[test]
    fn the_page_of_a_site_that_never_built_carries_the_overlay_and_the_script() {
        let html = page(&[broken()]);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("id=\"bilat-errors\""));
        assert!(html.contains("<script src=\"/__livereload.js\"></script>"));
    }
}
