//! Redirect pages for old ids: an entry's `aliases_ids` keep their URLs, in every language, as a
//! small page that sends the reader on to the entry's live URL (meta refresh, canonical link and
//! a plain link for readers without refresh). They are in no sitemap, feed or search index.

use super::{OutputFile, Renderer};
use crate::markup::escape;
use crate::routes;

impl<'a> Renderer<'a> {
    /// The output file of the redirect from old id `k` of entry `ei`, in language `li`.
    pub(super) fn redirect_file(&self, li: usize, ei: usize, k: usize) -> Option<String> {
        let l = self.langs.get(li)?;
        let e = self.linked.entries.get(ei)?;
        let old = e.aliases_ids.get(k)?;
        Some(l.route.file(&routes::entry(&e.collection, &old.id)))
    }

    /// The redirect page from old id `k` of entry `ei` to the entry, in language `li`.
    pub(super) fn redirect(&self, li: usize, ei: usize, k: usize) -> Option<OutputFile> {
        let l = self.langs.get(li)?;
        let e = self.linked.entries.get(ei)?;
        let card = l.cards.get(ei)?;
        let path = self.redirect_file(li, ei, k)?;
        let target = routes::entry(&e.collection, &e.id);
        let permalink = format!(
            "{}{}{target}",
            self.config
                .base_url
                .trim_end_matches(self.config.base_path()),
            l.root
        );
        let (url, title) = (escape(&card.url), escape(&card.title));
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
             <link rel=\"canonical\" href=\"{canonical}\">\n\
             <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
             <p><a href=\"{url}\">{title}</a></p>\n</body>\n</html>\n",
            lang = escape(&l.lang.code),
            dir = if l.lang.rtl { "rtl" } else { "ltr" },
            canonical = escape(&permalink),
        );
        Some(OutputFile {
            path,
            bytes: html.into_bytes(),
        })
    }
}
