//! The search index of a language, sharded so that a query loads only what it needs (as
//! Pagefind does): a small `index.json` (the shard boundaries, the normalisation tables), index
//! shards of whole tokens in sorted order (`i/<n>.json`, about [`SHARD_BYTES`] each, a token's
//! postings in one shard), and the records themselves in chunks of [`DOC_CHUNK`] (`d/<n>.json`)
//! for the results shown. `assets/search.js` reads them; both sides tokenise the same way.
//!
//! Tokens: text lower-cased, Latin accents and Arabic-script letter variants folded ([`FOLD`]),
//! diacritics, tatweel and zero-width marks dropped ([`STRIP`]), split into runs of letters and
//! digits; a run of CJK characters gives its characters and its bigrams. A posting is a record
//! and the places the token is in (title or name, date year, other fields, body) with the length
//! of the shortest name holding it, so "the whole name" ranks first. Records are numbered by how
//! many records link to them, so ties go to the more linked record and a common body word keeps
//! the postings of the [`BODY_CAP`] most linked records (titles, names, years and fields those of
//! the [`NAME_CAP`] most linked).

use super::cache::{self, IndexCache};
use super::entry::text_entry;
use super::postings::PostingList;
use super::{Deps, JobOutput, LangData, OutputFile, Renderer, Sink, emit, internal, json_bytes};
use crate::diagnostics::Diagnostic;
use crate::markup;
use crate::routes::LangRoot;
use crate::validate::{Entry, Value};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::hash::Hash;

/// A record as the search index keeps it. The page cache keeps its fingerprint: a kept page's
/// record is made again only when its language's index must be made again.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub(crate) struct SearchRecord {
    /// Title.
    pub t: String,
    /// URL.
    pub u: String,
    /// Kind (the collection's singular, in this language).
    pub k: String,
    /// The collection's name (for its colour).
    pub c: String,
    /// Date as shown.
    pub d: Option<String>,
    /// Year of the record's date.
    pub y: Option<i32>,
    pub s: Option<String>,
    /// Other names (aliases, names in fields).
    pub n: Vec<String>,
    /// Other field values, as text.
    pub f: String,
    /// The whole body as plain text.
    pub x: String,
    /// How many records link to this one.
    pub w: usize,
}

/// Records per chunk of `d/`: a page of ten results loads at most ten small chunks, and a result
/// loads one other record's body with its own (a query typed a key at a time loads the chunks of
/// each key's first results, so the chunks are most of its bytes).
pub const DOC_CHUNK: usize = 2;
/// Chunks of records serialised at once (in parallel) before they are handed over.
const CHUNK_BATCH: usize = 1024;
/// Target size of an index shard's JSON. A query loads a shard per term, and a query typed a key
/// at a time a shard for most of its keys: at 24 KB, a four-word name typed out loaded 13 shards
/// (over 300 KB with its results' records); at 12 KB half that, for twice the boundaries in
/// `index.json`.
pub const SHARD_BYTES: usize = 12 * 1024;
/// Body-only postings kept per token (the most linked records).
pub const BODY_CAP: usize = 1000;
/// Other postings kept per token (title, name, year, field: the most linked records). A token in
/// more titles than this says little; a query for it shows the most linked of them.
pub const NAME_CAP: usize = 2500;

const BODY: u32 = 1;
const FIELD: u32 = 2;
const NAME: u32 = 4;
const YEAR: u32 = 8;

/// Characters replaced before tokenising (after lower-casing): Latin accents, Arabic-script
/// letter variants (Arabic ي ى ك ه ة and hamza forms to their Urdu letters), Eastern digits.
pub const FOLD: &[(char, &str)] = &[
    ('à', "a"),
    ('á', "a"),
    ('â', "a"),
    ('ã', "a"),
    ('ä', "a"),
    ('å', "a"),
    ('ā', "a"),
    ('ç', "c"),
    ('č', "c"),
    ('ć', "c"),
    ('è', "e"),
    ('é', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('ē', "e"),
    ('ì', "i"),
    ('í', "i"),
    ('î', "i"),
    ('ï', "i"),
    ('ī', "i"),
    ('ı', "i"),
    ('ñ', "n"),
    ('ò', "o"),
    ('ó', "o"),
    ('ô', "o"),
    ('õ', "o"),
    ('ö', "o"),
    ('ø', "o"),
    ('ō', "o"),
    ('ù', "u"),
    ('ú', "u"),
    ('û', "u"),
    ('ü', "u"),
    ('ū', "u"),
    ('ý', "y"),
    ('ÿ', "y"),
    ('š', "s"),
    ('ş', "s"),
    ('ž', "z"),
    ('ł', "l"),
    ('ğ', "g"),
    ('ß', "ss"),
    ('\u{064A}', "\u{06CC}"),
    ('\u{0649}', "\u{06CC}"),
    ('\u{0626}', "\u{06CC}"),
    ('\u{06D0}', "\u{06CC}"),
    ('\u{0643}', "\u{06A9}"),
    ('\u{0647}', "\u{06C1}"),
    ('\u{0629}', "\u{06C1}"),
    ('\u{06C0}', "\u{06C1}"),
    ('\u{06BE}', "\u{06C1}"),
    ('\u{0623}', "\u{0627}"),
    ('\u{0625}', "\u{0627}"),
    ('\u{0622}', "\u{0627}"),
    ('\u{0671}', "\u{0627}"),
    ('\u{0624}', "\u{0648}"),
    ('\u{06D3}', "\u{06D2}"),
    ('\u{0660}', "0"),
    ('\u{0661}', "1"),
    ('\u{0662}', "2"),
    ('\u{0663}', "3"),
    ('\u{0664}', "4"),
    ('\u{0665}', "5"),
    ('\u{0666}', "6"),
    ('\u{0667}', "7"),
    ('\u{0668}', "8"),
    ('\u{0669}', "9"),
    ('\u{06F0}', "0"),
    ('\u{06F1}', "1"),
    ('\u{06F2}', "2"),
    ('\u{06F3}', "3"),
    ('\u{06F4}', "4"),
    ('\u{06F5}', "5"),
    ('\u{06F6}', "6"),
    ('\u{06F7}', "7"),
    ('\u{06F8}', "8"),
    ('\u{06F9}', "9"),
];

/// Ranges of characters dropped: combining accents, Arabic diacritics (harakat, superscript
/// alef, Quranic marks), tatweel, zero-width characters, the soft hyphen.
pub const STRIP: &[(char, char)] = &[
    ('\u{0300}', '\u{036F}'),
    ('\u{0610}', '\u{061A}'),
    ('\u{064B}', '\u{065F}'),
    ('\u{0670}', '\u{0670}'),
    ('\u{06D6}', '\u{06ED}'),
    ('\u{0640}', '\u{0640}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{00AD}', '\u{00AD}'),
];

/// CJK ranges: kana, CJK ideographs (with extension A and compatibility), Hangul syllables.
pub const CJK: &[(char, char)] = &[
    ('\u{3040}', '\u{30FF}'),
    ('\u{3400}', '\u{4DBF}'),
    ('\u{4E00}', '\u{9FFF}'),
    ('\u{F900}', '\u{FAFF}'),
    ('\u{AC00}', '\u{D7AF}'),
];

fn in_ranges(c: char, ranges: &[(char, char)]) -> bool {
    ranges.iter().any(|(a, b)| (*a..=*b).contains(&c))
}

/// What [`FOLD`] replaces `c` with, if anything.
fn folded(c: char) -> Option<&'static str> {
    FOLD.iter().find(|(from, _)| *from == c).map(|(_, to)| *to)
}

/// `text` lower-cased, folded and stripped (what the tokens are made of).
#[cfg(test)]
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// [`normalize`] into `out` (cleared first).
#[cfg(test)]
fn normalize_into(text: &str, out: &mut String) {
    out.clear();
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for c in c.to_lowercase() {
            if in_ranges(c, STRIP) {
                continue;
            }
            match folded(c) {
                Some(to) => out.push_str(to),
                None => out.push(c),
            }
        }
    }
}

/// The index tokens of `text`: words, and the characters and bigrams of CJK runs.
#[cfg(test)]
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut norm = String::new();
    for_tokens(text, &mut norm, &mut |t| out.push(t.to_string()));
    out
}

/// Calls `each` with every index token of `text` (see [`tokens`]); `norm` is scratch space.
fn for_tokens(text: &str, norm: &mut String, each: &mut dyn FnMut(&str)) {
    for_runs(text, norm, &mut |run, cjk| {
        if !cjk {
            each(run);
            return;
        }
        let bounds: Vec<usize> = run
            .char_indices()
            .map(|(i, _)| i)
            .chain([run.len()])
            .collect();
        for w in bounds.windows(2) {
            if let [a, b] = w {
                each(run.get(*a..*b).unwrap_or_default());
            }
        }
        for w in bounds.windows(3) {
            if let [a, _, c] = w {
                each(run.get(*a..*c).unwrap_or_default());
            }
        }
    });
}

/// How many terms a query for `text` has (a CJK run of n > 1 characters is n − 1 bigrams).
fn term_count(text: &str) -> usize {
    let mut n = 0;
    for_runs(text, &mut String::new(), &mut |run, cjk| {
        n += if cjk {
            run.chars().count().saturating_sub(1).max(1)
        } else {
            1
        };
    });
    n
}

/// Calls `each` with every run of word characters of normalised `text` (see [`normalize`]),
/// split where CJK characters start or end, and whether the run is CJK. One pass: ASCII is
/// lower-cased on the way, other characters go through the tables. `run` is scratch space.
fn for_runs(text: &str, run: &mut String, each: &mut dyn FnMut(&str, bool)) {
    let mut runs = Runs { run, cjk: false };
    runs.run.clear();
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                runs.push(c.to_ascii_lowercase(), false, each);
            } else {
                runs.flush(each);
            }
            continue;
        }
        for c in c.to_lowercase() {
            if in_ranges(c, STRIP) {
                continue;
            }
            match folded(c) {
                Some(to) => to.chars().for_each(|c| runs.add(c, each)),
                None => runs.add(c, each),
            }
        }
    }
    runs.flush(each);
}

/// The run of word characters being read by [`for_runs`].
struct Runs<'r> {
    run: &'r mut String,
    cjk: bool,
}

impl Runs<'_> {
    /// A normalised character: a word character extends the run, anything else ends it.
    fn add(&mut self, c: char, each: &mut dyn FnMut(&str, bool)) {
        if c.is_alphabetic() || c.is_numeric() {
            self.push(c, in_ranges(c, CJK), each);
        } else {
            self.flush(each);
        }
    }

    fn push(&mut self, c: char, cjk: bool, each: &mut dyn FnMut(&str, bool)) {
        if cjk != self.cjk {
            self.flush(each);
            self.cjk = cjk;
        }
        self.run.push(c);
    }

    fn flush(&mut self, each: &mut dyn FnMut(&str, bool)) {
        if !self.run.is_empty() {
            each(self.run, self.cjk);
            self.run.clear();
        }
    }
}

/// Token → postings (record number, places and name length packed as in the shards).
type Postings = hashbrown::HashMap<String, PostingList, rustc_hash::FxBuildHasher>;

/// Adds record `doc`'s postings to `index`: each token of its names, year, fields and body once,
/// with every place it is in and the length of the shortest name holding it. Records are added
/// in order, so a record's posting of a token is the last one of the token's list.
fn add_postings(index: &mut Postings, norm: &mut String, doc: u32, r: &SearchRecord) {
    let mut add = |text: &str, place: u32, name_len: u32| {
        for_tokens(text, norm, &mut |t| {
            let list = index.entry_ref(t).or_default();
            match list.last_mut() {
                Some((last, value)) if *last == doc => {
                    if place == NAME {
                        let len = if *value & NAME != 0 {
                            (*value >> 4).min(name_len)
                        } else {
                            name_len
                        };
                        *value = (*value & 0xF) | len << 4;
                    }
                    *value |= place;
                }
                _ => list.push(doc, place | if place == NAME { name_len << 4 } else { 0 }),
            }
        });
    };
    for name in std::iter::once(&r.t).chain(&r.n) {
        let len = u32::try_from(term_count(name).min(15)).unwrap_or(15);
        add(name, NAME, len);
    }
    if let Some(y) = r.y {
        add(&y.to_string(), YEAR, 0);
    }
    add(r.s.as_deref().unwrap_or_default(), FIELD, 0);
    add(&r.f, FIELD, 0);
    add(&r.x, BODY, 0);
}

/// The postings of `records` (numbered in order), made in parallel; each list in record order.
fn index_of(records: &[&SearchRecord]) -> Vec<(String, PostingList)> {
    let merged = records
        .par_iter()
        .enumerate()
        .fold(
            || (Postings::default(), String::new()),
            |(mut index, mut norm), (doc, r)| {
                let doc = u32::try_from(doc).unwrap_or(u32::MAX);
                add_postings(&mut index, &mut norm, doc, r);
                (index, norm)
            },
        )
        .map(|(index, _)| index)
        .reduce(Postings::default, merge_in_order);
    let mut sorted: Vec<(String, PostingList)> = merged.into_iter().collect();
    sorted.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    sorted
}

/// The postings of two runs of records, `earlier`'s all before `later`'s: the smaller map's
/// lists go into the larger's, each list kept in record order.
fn merge_in_order(earlier: Postings, later: Postings) -> Postings {
    if earlier.len() >= later.len() {
        let mut into = earlier;
        for (token, list) in later {
            into.entry(token).or_default().append(list);
        }
        into
    } else {
        let mut into = later;
        for (token, mut list) in earlier {
            let slot = into.entry(token).or_default();
            list.append(std::mem::take(slot));
            *slot = list;
        }
        into
    }
}

/// The shard entry of one token: `"token":[gap,value,…]` with record numbers as gaps, keeping
/// the first [`BODY_CAP`] body-only and [`NAME_CAP`] other postings.
fn write_postings(shard: &mut String, token: &str, list: &PostingList) {
    let mut digits = itoa::Buffer::new();
    shard.push_str(&serde_json::to_string(token).unwrap_or_default());
    shard.push_str(":[");
    let (mut body_only, mut named) = (0, 0);
    let mut last = 0;
    let mut first = true;
    for (doc, value) in list.iter() {
        let (count, cap) = if value & !BODY == 0 {
            (&mut body_only, BODY_CAP)
        } else {
            (&mut named, NAME_CAP)
        };
        *count += 1;
        if *count > cap {
            continue;
        }
        if !first {
            shard.push(',');
        }
        first = false;
        shard.push_str(digits.format(doc - last));
        shard.push(',');
        shard.push_str(digits.format(value));
        last = doc;
    }
    shard.push(']');
}

/// What a result shows of a record (`d/<n>.json`); fields in the order they are written.
#[derive(Serialize)]
struct Shown<'a> {
    c: &'a str,
    d: &'a Option<String>,
    k: &'a str,
    s: &'a Option<String>,
    t: &'a str,
    u: &'a str,
    x: &'a str,
}

impl<'a> Shown<'a> {
    fn of(r: &'a SearchRecord) -> Self {
        Shown {
            c: &r.c,
            d: &r.d,
            k: &r.k,
            s: &r.s,
            t: &r.t,
            u: &r.u,
            x: &r.x,
        }
    }
}

/// Why the files of a search index stopped being made: a file that could not be serialised, or
/// the one `put` refused.
pub(super) enum IndexStop<E> {
    Failed(Diagnostic),
    Refused(E),
}

/// The files of one language's search index, under its `/search/`, each handed to `put` as soon
/// as it is made (so the index is never held whole: at 100,000 records it is over 500 MB): the
/// postings' shards, then the records' chunks, then `index.json`.
pub(super) fn index_files<E>(
    route: &LangRoot,
    records: &[&SearchRecord],
    put: &mut dyn FnMut(OutputFile) -> Result<(), E>,
) -> Result<(), IndexStop<E>> {
    // The most linked records first; stable, so equal ones keep the job order.
    let mut order: Vec<&SearchRecord> = records.to_vec();
    order.sort_by_key(|r| std::cmp::Reverse(r.w));
    let bounds = write_shards(route, index_of(&order), put)?;
    // The chunks serialised in parallel, a batch at a time (so a batch, not the whole index, is
    // held), and handed over in order.
    let chunks: Vec<&[&SearchRecord]> = order.chunks(DOC_CHUNK).collect();
    for (b, batch) in chunks.chunks(CHUNK_BATCH).enumerate() {
        let files: Vec<Result<OutputFile, Diagnostic>> = batch
            .par_iter()
            .enumerate()
            .map(|(i, chunk)| {
                let docs: Vec<Shown> = chunk.iter().map(|r| Shown::of(r)).collect();
                Ok(OutputFile {
                    path: route.file(&crate::routes::search_docs(b * CHUNK_BATCH + i)),
                    bytes: json_bytes(&docs)?,
                })
            })
            .collect();
        for file in files {
            put(file.map_err(IndexStop::Failed)?).map_err(IndexStop::Refused)?;
        }
    }
    let fold: BTreeMap<String, &str> = FOLD.iter().map(|(c, s)| (c.to_string(), *s)).collect();
    let ranges = |r: &[(char, char)]| -> Vec<[u32; 2]> {
        r.iter().map(|(a, b)| [*a as u32, *b as u32]).collect()
    };
    let meta = serde_json::json!({
        "version": 2,
        "docs": order.len(),
        "chunk": DOC_CHUNK,
        "shards": bounds,
        "fold": fold,
        "strip": ranges(STRIP),
        "cjk": ranges(CJK),
    });
    put(OutputFile {
        path: route.file(crate::routes::SEARCH_INDEX),
        bytes: json_bytes(&meta).map_err(IndexStop::Failed)?,
    })
    .map_err(IndexStop::Refused)
}

/// Writes the postings (sorted by token) into shards of about [`SHARD_BYTES`], each handed to
/// `put` when full and its postings freed; returns each shard's first token.
fn write_shards<E>(
    route: &LangRoot,
    index: Vec<(String, PostingList)>,
    put: &mut dyn FnMut(OutputFile) -> Result<(), E>,
) -> Result<Vec<String>, IndexStop<E>> {
    let mut bounds: Vec<String> = Vec::new();
    let mut shard = String::from("{");
    let mut first: Option<String> = None;
    let mut flush = |shard: &mut String, n: usize| {
        shard.push('}');
        put(OutputFile {
            path: route.file(&crate::routes::search_shard(n)),
            bytes: std::mem::replace(shard, String::from("{")).into_bytes(),
        })
        .map_err(IndexStop::Refused)
    };
    for (token, list) in index {
        if shard.len() > 1 {
            shard.push(',');
        }
        write_postings(&mut shard, &token, &list);
        if first.is_none() {
            first = Some(token);
        }
        if shard.len() >= SHARD_BYTES {
            bounds.extend(first.take());
            flush(&mut shard, bounds.len() - 1)?;
        }
    }
    if let Some(f) = first.take() {
        bounds.push(f);
        flush(&mut shard, bounds.len() - 1)?;
    }
    Ok(bounds)
}

/// What [`previous_bodies`] reads of a record in a chunk: its URL and body text.
#[derive(Deserialize)]
struct ShownBody {
    u: String,
    x: String,
}

/// The body texts of the records of the previous build's index `old` (in the language under
/// `route`), by URL, read from its chunks (`d/<n>.json`). The page of a kept entry reads nothing
/// that changed, so its body text is the one its record had then: an index made again after
/// one edit reads these instead of compiling every body's Markdown again. A chunk that cannot
/// be read leaves its records to be made again.
fn previous_bodies(
    route: &LangRoot,
    old: &IndexCache,
    sink: &dyn Sink,
) -> rustc_hash::FxHashMap<String, String> {
    let first = route.file(&crate::routes::search_docs(0));
    let prefix = first.strip_suffix("0.json").unwrap_or(&first);
    old.files
        .par_iter()
        .filter(|(path, _)| path.starts_with(prefix))
        .filter_map(|(path, _)| sink.read_previous(path))
        .flat_map_iter(|bytes| serde_json::from_slice::<Vec<ShownBody>>(&bytes).unwrap_or_default())
        .map(|r| (r.u, r.x))
        .collect()
}

/// An entry page's place in its language's search index: the language and entry, its record's
/// fingerprint, and the record itself when the page was made in this build.
pub(super) struct Listed {
    pub lang: usize,
    pub entry: usize,
    pub fp: u64,
    pub record: Option<Box<SearchRecord>>,
}

impl Renderer<'_> {
    /// Language `li`'s search index from its `listed` pages (path and place, in job order):
    /// the previous build's files when it was made from the same records (`previous`) and they
    /// are all still there, else made again, a kept page's record with it. Returns the files
    /// emitted and what the page cache keeps of the index.
    pub(super) fn search_index(
        &self,
        li: usize,
        listed: Vec<(String, Listed)>,
        sink: &dyn Sink,
        taken: &HashSet<&str>,
        previous: Option<&IndexCache>,
    ) -> Result<(usize, IndexCache), JobOutput> {
        let Some(l) = self.langs.get(li) else {
            return Err(JobOutput::Failed(internal("a search index of no language")));
        };
        let fp = cache::fingerprint(|h| {
            for (path, x) in &listed {
                (path, x.fp).hash(h);
            }
        });
        if let Some(old) = previous.filter(|old| old.fp == fp)
            && old.files.iter().all(|(path, len)| {
                !taken.contains(path.as_str()) && sink.previous_len(path) == Some(*len)
            })
        {
            for (path, len) in &old.files {
                if !sink.keep_previous(path, *len) {
                    return Err(JobOutput::SinkFailed(crate::error::Error::refused(
                        format!("cannot keep the previous build's {path}"),
                    )));
                }
            }
            return Ok((old.files.len(), old.clone()));
        }
        // A kept page's body text is the one the previous build's records showed (read only
        // when some page was kept).
        let any_kept = listed.iter().any(|(_, x)| x.record.is_none());
        let mut bodies = previous
            .filter(|_| any_kept)
            .map(|old| previous_bodies(&l.route, old, sink));
        let listed: Vec<(Listed, Option<String>)> = listed
            .into_iter()
            .map(|(_, x)| {
                let body = match (&x.record, bodies.as_mut(), l.cards.get(x.entry)) {
                    (None, Some(bodies), Some(card)) => bodies.remove(card.url.as_str()),
                    _ => None,
                };
                (x, body)
            })
            .collect();
        drop(bodies);
        let records: Option<Vec<SearchRecord>> = listed
            .into_par_iter()
            .map(|(x, body)| match x.record {
                Some(record) => Some(*record),
                None => self.search_record_of(l, x.entry, body),
            })
            .collect();
        let Some(records) = records else {
            return Err(JobOutput::Failed(internal(
                "a page of the search index names no linked entry",
            )));
        };
        let refs: Vec<&SearchRecord> = records.iter().collect();
        let mut made = IndexCache {
            fp,
            files: Vec::new(),
        };
        let mut emitted = 0;
        let mut put = |file: OutputFile| {
            let (path, len) = (file.path.clone(), file.bytes.len() as u64);
            let n = emit(sink, taken, file)?;
            if n == 1 {
                made.files.push((path, len));
            }
            emitted += n;
            Ok(())
        };
        index_files(&l.route, &refs, &mut put).map_err(|stop| match stop {
            IndexStop::Failed(d) => JobOutput::Failed(d),
            IndexStop::Refused(e) => JobOutput::SinkFailed(e),
        })?;
        Ok((emitted, made))
    }

    /// The search record of entry `ei`'s page in language `l`, made without the page (for a
    /// page kept from the previous build): with `body`, its text in the previous build's
    /// records, else its Markdown compiled again for it.
    fn search_record_of(
        &self,
        l: &LangData<'_>,
        ei: usize,
        body: Option<String>,
    ) -> Option<SearchRecord> {
        let original = self.linked.entries.get(ei)?;
        let card = l.cards.get(ei)?;
        let shown = l.translation.get(&ei).copied().unwrap_or(original);
        let plain = body.unwrap_or_else(|| {
            markup::compile(text_entry(shown, original).body(), self.config.trusted_html)
                .fill_at(&self.resolver(l, &Deps::default()), self.config.base_path())
                .plain
        });
        Some(self.search_record(card, shown, original, ei, plain))
    }

    /// The search record of entry `ei` as shown in a language: `card` and `shown` (its
    /// translation or itself) in that language, `plain` its whole body as text.
    pub(super) fn search_record(
        &self,
        card: &super::Card,
        shown: &Entry,
        original: &Entry,
        ei: usize,
        plain: String,
    ) -> SearchRecord {
        let mut names = Vec::new();
        let mut other = Vec::new();
        for (name, _) in &original.fields {
            let Some(value) = shown.field(name).or_else(|| original.field(name)) else {
                continue;
            };
            let is_name = name == "name" || name.starts_with("name_") || name.contains("alias");
            let texts: Vec<String> = match value {
                Value::List(items) => items.iter().filter_map(text_of).collect(),
                v => text_of(v).into_iter().collect(),
            };
            if is_name {
                names.extend(texts.into_iter().filter(|t| *t != card.title));
            } else {
                other.extend(texts);
            }
        }
        SearchRecord {
            t: card.title.clone(),
            u: card.url.clone(),
            k: card.kind.clone(),
            c: card.collection.clone(),
            d: card.date.clone(),
            y: original.date.map(|d| i32::from(d.year)),
            s: card.summary.clone(),
            n: names,
            f: other.join(" · "),
            x: plain,
            w: self
                .linked
                .backlinks
                .get(ei)
                .map_or(0, |groups| groups.iter().map(|g| g.from.len()).sum()),
        }
    }
}

/// A field value's words for the index: text, not URLs, references or sources.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) | Value::Enum(s) => Some(s.clone()),
        Value::Text(md) => Some(md.source.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_urdu_letters_and_diacritics() {
        // Arabic yeh and kaf, a fatha and a tatweel: the Urdu spelling without marks.
        assert_eq!(normalize("پاكستانيَـ"), "پاکستانی");
        assert_eq!(normalize("Café ÉTÉ"), "cafe ete");
        assert_eq!(normalize("۱۹۶۳"), "1963");
        assert_eq!(tokens("گوادر، بندرگاہ"), ["گوادر", "بندرگاہ"]);
    }

    #[test]
    fn splits_words_and_cjk_bigrams() {
        assert_eq!(
            tokens("Xi Jinping, 习近平!"),
            ["xi", "jinping", "习", "近", "平", "习近", "近平"]
        );
        assert_eq!(term_count("习近平"), 2);
        assert_eq!(term_count("Xi Jinping"), 2);
        assert_eq!(tokens("CPEC-2"), ["cpec", "2"]);
    }

    fn record(t: &str, w: usize, x: &str) -> SearchRecord {
        SearchRecord {
            t: t.into(),
            u: format!("/{t}/"),
            k: "Topic".into(),
            c: "topics".into(),
            d: None,
            y: Some(1963),
            s: None,
            n: vec!["CPEC".into()],
            f: String::new(),
            x: x.into(),
            w,
        }
    }

    #[test]
    fn shards_hold_whole_tokens_and_records_go_by_links() {
        let a = record("Gwadar Port", 1, "deep water");
        let b = record("Corridor", 5, "gwadar");
        let mut files = Vec::new();
        let made = index_files(&LangRoot::new("en", "en"), &[&a, &b], &mut |f| {
            files.push(f);
            Ok::<(), ()>(())
        });
        assert!(made.is_ok());
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["search/i/0.json", "search/d/0.json", "search/index.json"]
        );
        let shard: serde_json::Value = serde_json::from_slice(&files[0].bytes).unwrap_or_default();
        // Corridor (5 links) is record 0: gwadar is in its body (1) and in record 1's title
        // (4, a name of 2 terms: 4 | 2 << 4 = 36).
        assert_eq!(shard["gwadar"], serde_json::json!([0, 1, 1, 36]));
        // CPEC is a whole one-term name of both, and 1963 their year.
        assert_eq!(shard["cpec"], serde_json::json!([0, 20, 1, 20]));
        assert_eq!(shard["1963"], serde_json::json!([0, 8, 1, 8]));
        let docs: serde_json::Value = serde_json::from_slice(&files[1].bytes).unwrap_or_default();
        assert_eq!(docs[0]["t"], "Corridor");
    }

    /// A sink whose previous build is a set of files in memory.
    struct Previous(Vec<OutputFile>);

    impl Sink for Previous {
        fn put(&self, _: &str, _: &[u8]) -> crate::error::Result<()> {
            Ok(())
        }
        fn copy(&self, _: &str, _: &std::path::Path) -> crate::error::Result<()> {
            Ok(())
        }
        fn keep_previous(&self, _: &str, _: u64) -> bool {
            false
        }
        fn previous_len(&self, _: &str) -> Option<u64> {
            None
        }
        fn put_cache(&self, _: &[u8]) -> crate::error::Result<()> {
            Ok(())
        }
        fn read_previous(&self, path: &str) -> Option<Vec<u8>> {
            let file = self.0.iter().find(|f| f.path == path)?;
            Some(file.bytes.clone())
        }
    }

    #[test]
    fn a_previous_index_gives_back_every_record_body_by_url() {
        let route = LangRoot::new("ur", "en");
        let records = [
            record("Gwadar Port", 1, "deep water"),
            record("Corridor", 5, "roads, \"rail\" and ports"),
            record("Mines", 0, ""),
        ];
        let refs: Vec<&SearchRecord> = records.iter().collect();
        let mut files = Vec::new();
        let made = index_files(&route, &refs, &mut |f| {
            files.push(f);
            Ok::<(), ()>(())
        });
        assert!(made.is_ok());
        let old = IndexCache {
            fp: 0,
            files: files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.len() as u64))
                .collect(),
        };
        let bodies = previous_bodies(&route, &old, &Previous(files));
        assert_eq!(bodies.len(), 3);
        for r in &records {
            assert_eq!(bodies.get(&r.u), Some(&r.x), "{}", r.u);
        }
        // Another language's index, or none kept: nothing read.
        let elsewhere = previous_bodies(&LangRoot::new("en", "en"), &old, &Previous(Vec::new()));
        assert!(elsewhere.is_empty());
    }
}
