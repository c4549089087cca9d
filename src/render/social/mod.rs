//! The social card image of each entry page (`<collection>/<id>/card.png`, its `og:image`): site
//! title, record title, collection and date, drawn at build time with the system's fonts (see
//! `fonts.rs`, `draw.rs`). A card whose text no font can draw is left out with one warning per
//! language (BL0606), never drawn with empty boxes. `[cards] enabled = false` turns them off.

mod draw;
mod fonts;

use super::cache::{self, CachedPage, CardRecord};
use super::model::{Card, ImageCtx};
use super::{LangData, Output, Renderer, internal, origin};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Pos, codes};
use draw::{Face, Text};
use std::collections::BTreeMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// The cards of one build: the fonts, and the cards left out for want of one.
pub(super) struct Social {
    fonts: Arc<fonts::Fonts>,
    /// Per language of a text no font could draw: how many cards, and the first such text.
    missing: Mutex<BTreeMap<String, (usize, String)>>,
}

impl Social {
    /// The cards of a site, or `None` when `site.toml` turns them off.
    pub(super) fn new(config: &Config) -> Option<Social> {
        config.cards.enabled.then(|| Social {
            fonts: fonts::load(&config.cards.font_dirs),
            missing: Mutex::new(BTreeMap::new()),
        })
    }

    /// Fingerprint of the fonts: pages show a card only when its text can be drawn.
    pub(super) fn digest(&self) -> u64 {
        self.fonts.digest
    }

    /// The first text of `face` with a letter no font has.
    fn undrawable<'f>(&self, face: &'f Face) -> Option<&'f Text> {
        [&face.title, &face.site, &face.footer]
            .into_iter()
            .find(|t| {
                t.text
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .any(|c| !self.fonts.has(c))
            })
    }

    fn note_missing(&self, text: &Text) {
        let mut missing = self
            .missing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        missing
            .entry(text.lang.clone())
            .or_insert_with(|| (0, text.text.clone()))
            .0 += 1;
    }

    /// One warning per language whose text no font could draw.
    pub(super) fn warnings(&self, config: &Config) -> Vec<Diagnostic> {
        let missing = self
            .missing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        missing
            .iter()
            .map(|(lang, (count, example))| {
                let name = config.language(lang).map_or(lang.as_str(), |l| l.name.as_str());
                let family = fonts::family_for(lang);
                let have = if self.fonts.has_family(family) {
                    format!("{family} is there but lacks some of its letters")
                } else {
                    format!("{family} was not found")
                };
                Diagnostic::warning(
                    codes::CARD_FONT,
                    crate::config::FILE,
                    Pos::default(),
                    format!(
                        "no font for the {name} ({lang}) text of {count} social card{} (e.g. \"{example}\"): {have} in {}; those pages have no og:image",
                        if *count == 1 { "" } else { "s" },
                        self.fonts.searched
                    ),
                )
                .with_help(
                    "install the font (Debian: apt-get install fonts-noto-core fonts-noto-cjk), or name a folder of font files in [cards] font_dirs, or set [cards] enabled = false",
                )
            })
            .collect()
    }
}

/// What an entry page says about its card, and the card's cache record.
pub(super) type Made = (ImageCtx, CardRecord);

impl<'a> Renderer<'a> {
    /// What entry `card`'s card in `l` shows.
    fn card_face(&self, l: &LangData<'a>, card: &Card) -> Face {
        let rtl = |code: &str| self.config.language(code).is_some_and(|x| x.rtl);
        let text = |text: String, lang: &str| Text {
            rtl: rtl(lang),
            lang: lang.to_string(),
            text,
        };
        let page = l.lang.code.as_str();
        // The site's title is the home page's translation's, or site.toml's.
        let site_lang = if l.site.title == self.config.title {
            self.config.default_language.as_str()
        } else {
            page
        };
        let title_lang = card.lang.as_ref().map_or(page, |t| t.code.as_str());
        // The middle dot is a zero-like dot in Nastaliq: a right-to-left page uses its comma.
        let separator = if rtl(page) { "، " } else { " · " };
        let footer = match &card.date {
            Some(date) => format!("{}{separator}{date}", card.kind),
            None => card.kind.clone(),
        };
        Face {
            site: text(l.site.title.clone(), site_lang),
            title: text(card.title.clone(), title_lang),
            footer: text(footer, page),
            hue: card.hue,
            rtl: rtl(page),
        }
    }

    /// Entry `card`'s card in `l`, at `path` (root-relative, without the language prefix): kept from the previous build (`previous`, the page's old cache
    /// record) when what it shows and the fonts are the same, else drawn and emitted. `None` when
    /// cards are off or no font can draw its text (noted for the warning).
    pub(super) fn card_image(
        &self,
        l: &LangData<'a>,
        card: &Card,
        path: &str,
        previous: Option<&CachedPage>,
        output: &Output,
    ) -> Result<Option<Made>, super::JobOutput> {
        let Some(social) = &self.social else {
            return Ok(None);
        };
        let face = self.card_face(l, card);
        if let Some(text) = social.undrawable(&face) {
            social.note_missing(text);
            return Ok(None);
        }
        let file = l.route.file(path);
        let fp = cache::fingerprint(|h| (&face, social.digest()).hash(h));
        let kept = previous
            .and_then(|p| p.card.as_ref())
            .filter(|r| r.fp == fp && output.sink.keep_previous(&file, r.len));
        let len = match kept {
            Some(r) => r.len,
            // `check`: the card is not drawn, only its text checked against the fonts.
            None if output.sink.discards() => 0,
            None => {
                let Some(png) = draw::png(&face, &social.fonts) else {
                    return Err(super::JobOutput::Failed(internal(
                        "resvg could not draw a social card",
                    )));
                };
                if let Err(e) = output.sink.put(&file, &png) {
                    return Err(super::JobOutput::SinkFailed(e));
                }
                png.len() as u64
            }
        };
        let base_path = self.config.base_path();
        let image = ImageCtx {
            url: format!(
                "{}{}{path}",
                origin(&self.config.base_url, base_path),
                l.root
            ),
            width: draw::WIDTH,
            height: draw::HEIGHT,
            mime: "image/png",
            alt: format!(
                "{} · {} · {}",
                face.title.text, face.footer.text, face.site.text
            ),
        };
        Ok(Some((image, CardRecord { fp, len })))
    }

    /// Whether a kept page's card is still there: kept too, or (when the page has none because
    /// no font could draw it) noted again for the warning.
    pub(super) fn keep_card(
        &self,
        l: &LangData<'a>,
        card: &Card,
        path: &str,
        page: &CachedPage,
        output: &Output,
    ) -> bool {
        let Some(social) = &self.social else {
            return page.card.is_none();
        };
        match &page.card {
            Some(r) => output.sink.keep_previous(&l.route.file(path), r.len),
            None => {
                let face = self.card_face(l, card);
                match social.undrawable(&face) {
                    Some(text) => {
                        social.note_missing(text);
                        true
                    }
                    None => false,
                }
            }
        }
    }
}
