//! The data each template receives, as plain serializable structs. `docs/themes.md` documents
//! these names for theme authors.

use serde::Serialize;

/// Site-wide values, the same on every page of one language.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCtx {
    pub title: String,
    pub description: String,
    pub base_url: String,
    /// Root-relative prefix for internal links of this language, e.g. `` or `/ur`.
    pub root: String,
    pub assets: String,
    pub lang: String,
    /// Language and territory for `og:locale` (`en_US`).
    pub locale: String,
    pub dir: &'static str,
    pub parties: Vec<crate::config::Party>,
    pub nav: Vec<Link>,
    /// The site pages the main navigation links after the collections (timeline, graph).
    pub pages: Vec<Link>,
    pub languages: Vec<LangLink>,
    pub home_url: String,
    pub timeline_url: String,
    pub graph_url: String,
    pub search_url: String,
    pub feed_url: String,
    /// The data dictionary in this language (every collection's fields and exports).
    pub dictionary_url: String,
    /// The folder of the data files (`/data/`), which exist once, not per language.
    pub data_url: String,
    pub live_reload: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LangLink {
    pub code: String,
    /// The language's writing direction, for its name in the language switcher.
    pub dir: &'static str,
    pub locale: String,
    pub name: String,
    pub url: String,
    /// The absolute URL (for `hreflang` alternates): the base URL's origin and `url`.
    pub permalink: String,
    pub current: bool,
}

/// What every page has: title, URLs and metadata for the head.
#[derive(Debug, Clone, Serialize)]
pub struct PageCtx {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub og_type: &'static str,
    /// JSON-LD, already made safe to place inside a script element; empty when the page has none.
    pub jsonld: String,
    /// The path of this page in other languages, for the language switcher.
    pub path: String,
    /// The page's social card image (`og:image`): entry pages, unless `[cards]` turns them off.
    pub image: Option<ImageCtx>,
}

/// A page's social card image, for `og:image` and `twitter:image`.
#[derive(Debug, Clone, Serialize)]
pub struct ImageCtx {
    /// Absolute URL.
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub mime: &'static str,
    /// What the image shows, in words.
    pub alt: String,
}

/// An entry as shown in lists: title, kind, date, one line of summary.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub kind: String,
    pub collection: String,
    pub date: Option<String>,
    pub sort_date: Option<String>,
    pub summary: Option<String>,
    /// The collection's colour: its place in the navigation, modulo [`PALETTE`].
    pub hue: usize,
    /// The language and direction of the title when it is not the page's (an untranslated
    /// record): `None` when the title is in the page's language.
    pub lang: Option<TextLang>,
    /// The same for the summary, which may come from the original when the translation has none.
    pub summary_lang: Option<TextLang>,
}

/// The language of a piece of text that differs from its page's, and its direction; templates
/// put both on the element that holds the text (`lang="en" dir="ltr"`).
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct TextLang {
    pub code: String,
    pub dir: &'static str,
}

/// How many collection colours the theme's palette has (`--c0`…`--c7`, classes `c0`…`c7`).
pub const PALETTE: usize = 8;

/// Cards under a heading; the cards are borrowed from the language's card list, not copied.
#[derive(Debug, Clone, Serialize)]
pub struct Group<'c> {
    pub label: String,
    pub id: String,
    pub items: Vec<&'c Card>,
    /// How many records the group has: more than `items` when only the first are shown here.
    pub count: usize,
    /// The list of all of them when `items` shows only the first (an entry's long backlink group).
    pub all: Option<String>,
}

/// Where a page stands in a list split over several pages, and the links between them. Only a
/// list longer than one page has one.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub current: usize,
    pub total: usize,
    /// "Page 3 of 12", in the page's language.
    pub label: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The first and last pages and those around this one, in order; a gap between two of them
    /// is a link without a URL.
    pub links: Vec<PagerLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    pub n: usize,
    /// `None` for a gap (shown as "…").
    pub url: Option<String>,
    pub current: bool,
}

/// A heading of a paged list and where it starts (the page and its anchor).
#[derive(Debug, Clone, Serialize)]
pub struct JumpLink {
    pub label: String,
    pub url: String,
}

/// One row of an entry's infobox.
#[derive(Debug, Clone, Serialize)]
pub struct InfoRow {
    pub name: String,
    pub label: String,
    pub items: Vec<InfoItem>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct InfoItem {
    pub text: String,
    pub url: Option<String>,
    pub note: Option<String>,
    /// Rendered Markdown, for text fields.
    pub html: Option<String>,
    /// The text's language when it is not the page's (a value the translation does not set).
    pub lang: Option<TextLang>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceCtx {
    pub n: usize,
    /// The language of the entry that lists the source, when it is not the page's.
    pub lang: Option<TextLang>,
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
}

/// The records that mention an entry in their text, one per record, with the sentences.
#[derive(Debug, Clone, Serialize)]
pub struct MentionCtx<'c> {
    pub from: &'c Card,
    pub quotes: Vec<QuoteCtx<'c>>,
}

/// A sentence that mentions the entry.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteCtx<'c> {
    /// The language of the quoted sentence (the mentioning text's, not the page's) and its
    /// direction.
    pub lang: &'c str,
    pub dir: &'static str,
    pub before: String,
    /// The linked words, as written.
    pub text: String,
    /// When the linked words are only the entry's own title: a short stand-in for them in the
    /// quote's language ("this visit"), so the page does not repeat its title in every quote.
    pub short: Option<String>,
    pub after: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntryCtx<'c> {
    pub collection: Link,
    pub singular: String,
    pub id: String,
    pub title: String,
    /// The title's and the summary's language when not the page's (see [`Card`]).
    pub title_lang: Option<TextLang>,
    pub summary_lang: Option<TextLang>,
    pub dates: Option<String>,
    pub summary: Option<String>,
    pub infobox: Vec<InfoRow>,
    pub body: String,
    pub sources: Vec<SourceCtx>,
    pub related: Vec<Group<'c>>,
    pub mentions: Vec<MentionCtx<'c>>,
    /// The language the body is written in (differs from the page's when untranslated).
    pub content_lang: String,
    pub content_dir: &'static str,
    pub translated: bool,
    pub source_file: String,
}

/// A collection as the home page's tiles show it.
#[derive(Debug, Serialize)]
pub struct CollectionCount<'c> {
    pub title: &'c str,
    pub url: &'c str,
    pub name: &'c str,
    pub count: usize,
}

/// What a collection's index page says about the collection.
#[derive(Debug, Serialize)]
pub struct CollectionAbout<'c> {
    pub name: &'c str,
    pub title: &'c str,
    pub singular: String,
    pub dated: bool,
    pub count: usize,
}
