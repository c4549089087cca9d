//! An entry's page: its infobox, body, sources, backlink groups and mentions, and the page-cache
//! fingerprints that decide whether the previous build's page can be kept.

use super::cache::{self, CachedPage};
use super::model::{Card, EntryCtx, InfoItem, InfoRow, Link, MentionCtx, QuoteCtx, SourceCtx};
use super::{
    Deps, Done, JobOutput, LangData, Listed, Output, OutputFile, Renderer, direction, internal,
    jsonld, search::SearchRecord, text_lang,
};
use crate::config::Collection;
use crate::diagnostics::Diagnostic;
use crate::link::Node;
use crate::markup;
use crate::routes;
use crate::validate::{Entry, Value};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

impl<'a> Renderer<'a> {
    /// An entry's page, or the previous build's file of it when nothing it shows has changed.
    pub(super) fn entry(&self, l: &LangData<'a>, ei: usize, output: &Output) -> JobOutput {
        let (Some(original), Some(card)) = (self.linked.entries.get(ei), l.cards.get(ei)) else {
            return JobOutput::Failed(internal("an entry page job names no linked entry"));
        };
        let path = routes::entry(&original.collection, &original.id);
        let file = self.file_of(l, &path);
        if output.taken.contains(file.as_str()) {
            return JobOutput::Done(Box::default());
        }
        let own = self.entry_fp(l, ei);
        let card_path = routes::entry_card(&original.collection, &original.id);
        if let Some(kept) = self.keep_previous(l, ei, file.clone(), own, (card, &card_path), output)
        {
            return kept;
        }
        let deps = Deps::default();
        let shown = l.translation.get(&ei).copied().unwrap_or(original);
        let text_entry = text_entry(shown, original);
        let Some(collection) = self.config.collection(&original.collection) else {
            return JobOutput::Failed(internal("an entry of an undeclared collection"));
        };
        let compiled = markup::compile(text_entry.body(), self.config.trusted_html);
        let markup::Rendered { html: body, plain } =
            compiled.fill_at(&self.resolver(l, &deps), self.config.base_path());
        let field = |name: &str| shown.field(name).or_else(|| original.field(name));
        let default = self.config.default_language.as_str();
        let field_lang = |name: &str| written_in(default, shown, original, name);
        let infobox = self.infobox(l, collection, &field, &field_lang, &deps);
        let sources = self.sources(l, shown, original);
        let related = self.related(l, ei, &deps);
        let mentions = self.mentions(l, ei, &deps);
        let content_lang = shown
            .lang
            .clone()
            .unwrap_or_else(|| self.config.default_language.clone());
        let content_rtl = self.config.language(&content_lang).is_some_and(|x| x.rtl);
        let entry = EntryCtx {
            collection: l
                .site
                .nav
                .iter()
                .find(|n| n.name == collection.name)
                .cloned()
                .unwrap_or(Link {
                    title: collection.title.clone(),
                    url: String::new(),
                    name: collection.name.clone(),
                }),
            singular: l.text(
                &format!("singular_{}", collection.name),
                &collection.singular,
            ),
            id: original.id.clone(),
            title: card.title.clone(),
            title_lang: card.lang.clone(),
            summary_lang: card.summary_lang.clone(),
            dates: original
                .date
                .map(|d| l.dates.range(&d, original.end_date.as_ref())),
            summary: card.summary.clone(),
            infobox,
            body,
            sources,
            related,
            mentions,
            translated: text_entry.lang.is_some() || l.index == 0,
            content_dir: if content_rtl { "rtl" } else { "ltr" },
            content_lang,
            source_file: text_entry.file.clone(),
        };
        let jsonld = self.entry_jsonld(l, collection, original, card, &field);
        let description = card
            .summary
            .clone()
            .unwrap_or_else(|| truncate_words(&plain, 30));
        let previous = output.previous.pages.get(&file);
        let (image, card_record) = match self.card_image(l, card, &card_path, previous, output) {
            Ok(made) => made.unzip(),
            Err(failed) => return failed,
        };
        let title_and_description = (card.title.as_str(), description.as_str());
        let mut ctx = self.context_with(l, "entry", &path, title_and_description, jsonld, image);
        ctx.insert("entry", &entry);
        let (neighbours, linked) = self.neighbourhood(l, ei, &deps);
        ctx.insert("neighbours", &neighbours);
        ctx.insert("neighbours_total", &linked);
        let page = match self.page_file(l, &path, "entry.html", &ctx) {
            Ok(page) => page,
            Err(d) => return JobOutput::Failed(d),
        };
        if output.strict && deps.missing.get() {
            return JobOutput::Failed(Diagnostic::error(
                crate::diagnostics::codes::INTERNAL,
                &original.file,
                Default::default(),
                "a link or reference points at nothing",
            ));
        }
        let record = self.search_record(card, shown, original, ei, plain);
        self.emit_entry(l, page, (ei, record, card_record), own, &deps, output)
    }
    /// The previous build's page at `file`, kept when what it shows has not changed.
    fn keep_previous(
        &self,
        l: &LangData<'a>,
        ei: usize,
        file: String,
        own: u64,
        (card, card_path): (&Card, &str),
        output: &Output,
    ) -> Option<JobOutput> {
        let page = output.previous.pages.get(&file)?;
        let unchanged = page.own == own
            && self.deps_fp(l, &page.deps) == Some(page.deps_fp)
            && self.keep_card(l, card, card_path, page, output)
            && output.sink.keep_previous(&file, page.len);
        unchanged.then(|| {
            JobOutput::Done(Box::new(Done {
                files: 1 + usize::from(page.card.is_some()),
                pages: 1,
                kept: true,
                search: page.search.map(|fp| Listed {
                    lang: l.index,
                    entry: ei,
                    fp,
                    record: None,
                }),
                cache: Some((file, None)),
            }))
        })
    }

    /// The entry's numbered sources (a translation may list its own).
    fn sources(&self, l: &LangData<'a>, shown: &Entry, original: &Entry) -> Vec<SourceCtx> {
        let sources_entry = if shown.sources().is_empty() {
            original
        } else {
            shown
        };
        let lang = text_lang(
            self.config,
            sources_entry
                .lang
                .as_deref()
                .unwrap_or(&self.config.default_language),
            &l.lang.code,
        );
        sources_entry
            .sources()
            .iter()
            .enumerate()
            .map(|(i, s)| SourceCtx {
                n: i + 1,
                lang: lang.clone(),
                title: s.title.clone(),
                url: s.url.clone(),
                publisher: s.publisher.clone(),
                date: s.date.map(|d| l.dates.words(&d)),
            })
            .collect()
    }

    /// The records that mention the entry in their text, each with its sentences, in this page's
    /// language where translated. Free pages (home, about) are not records and do not count; a
    /// record already listed among the typed backlinks is not listed again.
    fn mentions(&self, l: &'a LangData<'a>, ei: usize, deps: &Deps) -> Vec<MentionCtx<'a>> {
        // Mentions in this page's language replace the default-language ones from the same page.
        let lang = (l.index > 0).then_some(l.lang.code.as_str());
        let all = self
            .linked
            .mentions
            .get(ei)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let translated: HashSet<Node> = all
            .iter()
            .filter(|m| lang.is_some() && m.lang.as_deref() == lang)
            .map(|m| m.from)
            .collect();
        let typed: HashSet<usize> = self
            .linked
            .backlinks
            .get(ei)
            .into_iter()
            .flatten()
            .flat_map(|g| g.from.iter().copied())
            .collect();
        let mut out: Vec<MentionCtx<'a>> = Vec::new();
        let mut place: HashMap<usize, usize> = HashMap::new();
        for m in all {
            let keep = match m.lang.as_deref() {
                Some(code) => Some(code) == lang,
                None => !translated.contains(&m.from),
            };
            let Node::Entry(f) = m.from else { continue };
            if !keep || typed.contains(&f) || f == ei {
                continue;
            }
            let Some(from) = l.cards.get(f) else { continue };
            deps.add(f);
            let quote_lang = m.lang.as_deref().unwrap_or(&self.config.default_language);
            let quote = QuoteCtx {
                lang: quote_lang,
                dir: direction(self.config, quote_lang),
                before: m.before.clone(),
                short: self.own_title(ei, quote_lang, &m.text),
                text: m.text.clone(),
                after: m.after.clone(),
            };
            match place.get(&f).and_then(|i| out.get_mut(*i)) {
                Some(group) => group.quotes.push(quote),
                None => {
                    place.insert(f, out.len());
                    out.push(MentionCtx {
                        from,
                        quotes: vec![quote],
                    });
                }
            }
        }
        out
    }

    /// When `text` is entry `ei`'s own title in `lang` and a long one, the words that stand in
    /// for it in a quote on the entry's page: "this visit". A short title (a name) stays.
    fn own_title(&self, ei: usize, lang: &str, text: &str) -> Option<String> {
        if text.chars().count() <= LONG_TITLE {
            return None;
        }
        let l = self.langs.iter().find(|x| x.lang.code == lang)?;
        let card = l.cards.get(ei)?;
        let original = self.linked.entries.get(ei)?;
        let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
        if !same(text, &card.title) && !same(text, &original.title) {
            return None;
        }
        let singular = self
            .config
            .collection(&original.collection)
            .map_or(String::new(), |c| c.singular.clone());
        let kind = l.text(&format!("singular_{}", original.collection), &singular);
        Some(
            l.text("mention_self", "this {kind}")
                .replace("{kind}", &kind.to_lowercase()),
        )
    }

    /// The entry's structured data (see `jsonld.rs`).
    fn entry_jsonld(
        &self,
        l: &LangData<'a>,
        collection: &Collection,
        original: &Entry,
        card: &Card,
        field: &dyn Fn(&str) -> Option<&'a Value>,
    ) -> serde_json::Value {
        let party = |code: &str| {
            l.text(
                &format!("party_{code}"),
                &self
                    .config
                    .party(code)
                    .map_or(code.to_string(), |p| p.name.clone()),
            )
        };
        jsonld::entry(&jsonld::Record {
            config: self.config,
            collection,
            original,
            field,
            party: &party,
            title: &card.title,
            summary: card.summary.as_deref(),
            url: format!(
                "{}{}",
                self.config
                    .base_url
                    .trim_end_matches(self.config.base_path()),
                card.url
            ),
            lang: &l.lang.code,
        })
    }

    /// Hand the page to the sink and make its cache record, with its search record's
    /// fingerprint (the record goes on to the search index).
    fn emit_entry(
        &self,
        l: &LangData<'a>,
        page: OutputFile,
        (ei, record, card): (usize, SearchRecord, Option<cache::CardRecord>),
        own: u64,
        deps: &Deps,
        output: &Output,
    ) -> JobOutput {
        let listed = Listed {
            lang: l.index,
            entry: ei,
            fp: cache::fingerprint(|h| record.hash(h)),
            record: Some(Box::new(record)),
        };
        if let Err(e) = output.sink.put(&page.path, &page.bytes) {
            return JobOutput::SinkFailed(e);
        }
        let used: Vec<usize> = deps.used.borrow().iter().copied().collect();
        let deps: Vec<String> = used
            .into_iter()
            .filter_map(|i| self.linked.entries.get(i))
            .map(|e| format!("{}/{}", e.collection, e.id))
            .collect();
        let files = 1 + usize::from(card.is_some());
        let cached = CachedPage {
            own,
            deps_fp: self.deps_fp(l, &deps).unwrap_or_default(),
            deps,
            len: page.bytes.len() as u64,
            search: Some(listed.fp),
            card,
        };
        JobOutput::Done(Box::new(Done {
            files,
            pages: 1,
            kept: false,
            cache: Some((page.path, Some(cached))),
            search: Some(listed),
        }))
    }

    /// Fingerprint of what entry `ei`'s page reads besides other entries' cards.
    pub(super) fn entry_fp(&self, l: &LangData<'a>, ei: usize) -> u64 {
        let node_key = |n: &Node| match n {
            Node::Entry(i) => self
                .linked
                .entries
                .get(*i)
                .map(|e| (&e.collection, &e.id, "")),
            Node::Doc(d) => self.linked.docs.get(*d).map(|d| (&d.file, &d.title, "doc")),
        };
        cache::fingerprint(|h| {
            l.fp.hash(h);
            let original = self.linked.entries.get(ei);
            for e in [original, l.translation.get(&ei).copied()]
                .into_iter()
                .flatten()
            {
                e.digest.hash(h);
            }
            for g in self.linked.backlinks.get(ei).into_iter().flatten() {
                g.label.hash(h);
                for f in &g.from {
                    node_key(&Node::Entry(*f)).hash(h);
                }
            }
            for m in self.linked.mentions.get(ei).into_iter().flatten() {
                node_key(&m.from).hash(h);
                (&m.lang, &m.before, &m.text, &m.after).hash(h);
            }
        })
    }

    /// Fingerprint of the cards of the entries with these keys (`collection/id`); `None` when
    /// one no longer exists.
    pub(super) fn deps_fp(&self, l: &LangData<'a>, keys: &[String]) -> Option<u64> {
        let mut fps = Vec::with_capacity(keys.len());
        for key in keys {
            let (collection, id) = key.split_once('/')?;
            let i = self.linked.entry_index(collection, id)?;
            fps.push((key, *l.card_fp.get(i)?));
        }
        Some(cache::fingerprint(|h| fps.hash(h)))
    }

    pub(super) fn infobox(
        &self,
        l: &LangData<'a>,
        collection: &Collection,
        field: &dyn Fn(&str) -> Option<&'a Value>,
        field_lang: &dyn Fn(&str) -> &'a str,
        deps: &Deps,
    ) -> Vec<InfoRow> {
        let skip = [
            Some(collection.title_field.as_str()),
            collection.summary_field.as_deref(),
        ];
        collection
            .fields
            .iter()
            .filter(|f| {
                !skip.contains(&Some(f.name.as_str())) && f.ty != crate::config::FieldType::Sources
            })
            .filter_map(|f| {
                let value = field(&f.name)?;
                let mut items = self.info_items(l, value, deps);
                // Free text the translation does not set is shown in the original's language.
                if is_free_text(value) {
                    let lang = text_lang(self.config, field_lang(&f.name), &l.lang.code);
                    for item in &mut items {
                        item.lang = lang.clone();
                    }
                }
                (!items.is_empty()).then(|| InfoRow {
                    name: f.name.clone(),
                    label: l
                        .strings
                        .get(&format!("field_{}_{}", collection.name, f.name))
                        .or_else(|| l.strings.get(&format!("field_{}", f.name)))
                        .cloned()
                        .unwrap_or_else(|| f.label.clone()),
                    items,
                })
            })
            .collect()
    }

    pub(super) fn info_items(&self, l: &LangData<'a>, value: &Value, deps: &Deps) -> Vec<InfoItem> {
        let text = |s: String| {
            vec![InfoItem {
                text: s,
                ..Default::default()
            }]
        };
        match value {
            Value::Str(s) => text(s.clone()),
            Value::Enum(s) => text(l.text(
                &format!("enum_{s}"),
                &crate::config::humanize(&s.replace('-', " ")),
            )),
            Value::Int(i) => text(i.to_string()),
            Value::Bool(b) => text(if *b {
                l.text("value_yes", "yes")
            } else {
                l.text("value_no", "no")
            }),
            Value::Date(d) => text(l.dates.words(d)),
            Value::Url(u) => vec![InfoItem {
                text: u.clone(),
                url: Some(u.clone()),
                ..Default::default()
            }],
            Value::Party(code) => text(
                l.text(
                    &format!("party_{code}"),
                    &self
                        .config
                        .party(code)
                        .map_or(code.clone(), |p| p.name.clone()),
                ),
            ),
            Value::Text(md) => vec![InfoItem {
                html: Some(
                    md.html
                        .fill_at(&self.resolver(l, deps), self.config.base_path())
                        .html,
                ),
                ..Default::default()
            }],
            Value::Ref(r) => match self.linked.entry_index(&r.collection, &r.id).and_then(|i| {
                deps.add(i);
                l.cards.get(i)
            }) {
                Some(card) => vec![InfoItem {
                    text: card.title.clone(),
                    url: Some(card.url.clone()),
                    lang: card.lang.clone(),
                    ..Default::default()
                }],
                None => {
                    deps.missing.set(true);
                    text(r.id.clone())
                }
            },
            Value::List(items) => items
                .iter()
                .flat_map(|v| self.info_items(l, v, deps))
                .collect(),
            Value::Object(fields) => {
                let mut words = Vec::new();
                let mut dates = Vec::new();
                for (_, v) in fields {
                    match v {
                        Value::Date(d) => dates.push(l.dates.words(d)),
                        other => words
                            .extend(self.info_items(l, other, deps).into_iter().map(|i| i.text)),
                    }
                }
                let note = match dates.len() {
                    0 => None,
                    1 => Some(dates.remove(0)),
                    _ => Some(dates.join(" – ")),
                };
                vec![InfoItem {
                    text: words.join(", "),
                    note,
                    ..Default::default()
                }]
            }
            Value::Sources(_) => Vec::new(),
        }
    }
}

/// The language a field's text is written in: the translation's when it sets the field, else
/// the original's.
fn written_in<'e>(default: &'e str, shown: &'e Entry, original: &'e Entry, name: &str) -> &'e str {
    let from = if shown.field(name).is_some() {
        shown
    } else {
        original
    };
    from.lang.as_deref().unwrap_or(default)
}

/// Titles longer than this (in characters) are not repeated in the quotes on their own page.
const LONG_TITLE: usize = 30;

/// Whether a value is text a contributor wrote (and a translation may translate), as opposed to
/// a date, a reference or a value the theme's strings name.
fn is_free_text(value: &Value) -> bool {
    match value {
        Value::Str(_) | Value::Text(_) | Value::Object(_) => true,
        Value::List(items) => items.iter().any(is_free_text),
        _ => false,
    }
}

fn truncate_words(s: &str, n: usize) -> String {
    let mut words = s.split_whitespace();
    let kept: Vec<&str> = words.by_ref().take(n).collect();
    let more = words.next().is_some();
    format!("{}{}", kept.join(" "), if more { "…" } else { "" })
}

/// The entry whose text a page shows: a translation without a body shows the original's text,
/// marked as untranslated.
pub(super) fn text_entry<'e>(shown: &'e Entry, original: &'e Entry) -> &'e Entry {
    if shown.body().trim().is_empty() {
        original
    } else {
        shown
    }
}
