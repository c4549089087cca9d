//! Deterministic synthetic bilat site for build benchmarks (issue 4).
//!
//! ```text
//! cargo run --release --example corpus -- --entries 1000 --out /dev/shm/bilat-1k
//! ```
//!
//! Writes a complete, self-contained site (its own `site.toml`, no theme files: the default theme
//! is compiled into bilat) with the same shape as `../shared/bench/gen_corpus.py --format bilat`:
//!
//! - N entries split 40 % `visits`, 20 % `officials`, 40 % `agreements` (remainder to the last),
//!   plus 50 `topics` used as the tags of the Hugo/Zola corpora;
//! - bodies of 400–600 words (about 510 on average) in 4–7 paragraphs, one or two `##` headings and
//!   a bullet list, invented Zipf-distributed vocabulary;
//! - 3–5 internal links per entry as `[[collection/id|text]]` wikilinks to random other entries;
//! - a fenced YAML code block on every tenth entry;
//! - typed references in front matter: each visit has a `visitor` (an official) and, like each
//!   agreement, 2–4 `topics`.
//!
//! The random numbers come from a seeded xorshift64*, so the same `--entries` and `--seed` always
//! give the same bytes. The words differ from the Python generator's (which uses Python's Mersenne
//! Twister), but the distributions and so the size and link density are the same. One deliberate
//! difference: topic entries carry a `sources` list, which the project's schema requires.
//!
//! `--languages 3` declares English, Urdu and Chinese like the bundled site (every page is then
//! rendered once per language); the default, one language, is the like-for-like comparison with
//! the single-language Hugo and Zola corpora.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const N_TOPICS: usize = 50;
const MARKER: &str = ".bench-corpus";
/// (collection, singular, share of entries)
const SECTIONS: [(&str, &str, f64); 3] = [
    ("visits", "visit", 0.4),
    ("officials", "official", 0.2),
    ("agreements", "agreement", 0.4),
];

const ONSETS: [&str; 26] = [
    "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "ch", "cl",
    "dr", "gr", "pl", "pr", "sh", "st", "tr", "th",
];
const VOWELS: [&str; 9] = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"];
const CODAS: [&str; 14] = [
    "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rt", "ng", "ck",
];
const FUNCTION_WORDS: [&str; 26] = [
    "the", "of", "and", "to", "in", "a", "for", "on", "with", "by", "as", "at", "that", "from",
    "was", "were", "its", "this", "which", "under", "between", "after", "during", "also", "their",
    "both",
];

// ------------------------------------------------------------------------------------------------
// Random numbers
// ------------------------------------------------------------------------------------------------

/// xorshift64* (Vigna): small, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // splitmix64 of the seed, so small seeds still give a well-mixed, non-zero state.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)).max(1))
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n); n > 0.
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in [lo, hi], inclusive like Python's `randint`.
    fn int(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A uniformly chosen item (the default value of `T` for an empty slice).
    fn pick<T: Copy + Default>(&mut self, items: &[T]) -> T {
        let i = self.below(items.len().max(1));
        items.get(i).copied().unwrap_or_default()
    }

    /// `k` distinct values of [lo, hi), in the order drawn (like `random.sample(range(lo, hi), k)`).
    fn sample(&mut self, lo: usize, hi: usize, k: usize) -> Vec<usize> {
        let mut pool: Vec<usize> = (lo..hi).collect();
        for i in 0..k {
            let j = i + self.below(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(k);
        pool
    }
}

// ------------------------------------------------------------------------------------------------
// Prose
// ------------------------------------------------------------------------------------------------

fn make_word(rng: &mut Rng) -> String {
    let syllables = rng.pick(&[1, 1, 1, 2, 2, 2, 3]);
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(rng.pick(&ONSETS));
        w.push_str(rng.pick(&VOWELS));
        w.push_str(rng.pick(&CODAS));
    }
    w
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// English-looking pseudo-random prose: an invented vocabulary drawn with Zipf weights.
struct Prose {
    vocab: Vec<String>,
    cumulative: Vec<f64>,
}

impl Prose {
    fn new(rng: &mut Rng, vocab_size: usize) -> Self {
        let mut vocab: Vec<String> = FUNCTION_WORDS.iter().map(|w| w.to_string()).collect();
        let mut seen: std::collections::HashSet<String> = vocab.iter().cloned().collect();
        while vocab.len() < FUNCTION_WORDS.len() + vocab_size {
            let w = make_word(rng);
            if seen.insert(w.clone()) {
                vocab.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (0..vocab.len())
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(0.9);
                total
            })
            .collect();
        Prose { vocab, cumulative }
    }

    fn word<'a>(&'a self, rng: &mut Rng) -> &'a str {
        let x = rng.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        let i = self
            .cumulative
            .partition_point(|&c| c <= x)
            .min(self.vocab.len() - 1);
        self.vocab
            .get(i)
            .or(self.vocab.last())
            .map_or("the", String::as_str)
    }

    fn words(&self, rng: &mut Rng, n: usize) -> Vec<String> {
        (0..n).map(|_| self.word(rng).to_string()).collect()
    }

    fn name(&self, rng: &mut Rng, n_words: usize) -> String {
        (0..n_words)
            .map(|_| capitalize(&make_word(rng)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        let n = rng.int(8, 20);
        let mut ws = self.words(rng, n);
        if rng.unit() < 0.3 {
            let pos = rng.int(1, ws.len() - 1);
            let n_words = rng.pick(&[1, 2]);
            ws.insert(pos, self.name(rng, n_words));
        }
        if rng.unit() < 0.25 && ws.len() > 6 {
            let pos = rng.int(2, ws.len() - 3);
            if let Some(w) = ws.get_mut(pos) {
                w.push(',');
            }
        }
        let end = rng.pick(&[".", ".", ".", ".", "?"]);
        capitalize(&ws.join(" ")) + end
    }

    fn phrase(&self, rng: &mut Rng, lo: usize, hi: usize) -> String {
        let n = rng.int(lo, hi);
        capitalize(&self.words(rng, n).join(" "))
    }
}

// ------------------------------------------------------------------------------------------------
// Abstract corpus
// ------------------------------------------------------------------------------------------------

enum Part {
    Text(String),
    Link { target: usize, text: String },
}

enum Block {
    Paragraph(Vec<Part>),
    Heading(String),
    List(Vec<String>),
    Code(String),
}

struct Entry {
    index: usize,
    section: usize,
    slug: String,
    title: String,
    name: String,
    date: String,
    topics: Vec<usize>,
    summary: String,
    blocks: Vec<Block>,
}

struct Corpus {
    entries: Vec<Entry>,
    topics: Vec<String>,
}

fn section_name(section: usize) -> &'static str {
    SECTIONS.get(section).map_or("", |s| s.0)
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn block_words(b: &Block) -> usize {
    match b {
        Block::Paragraph(parts) => parts
            .iter()
            .map(|p| match p {
                Part::Text(t) | Part::Link { text: t, .. } => word_count(t),
            })
            .sum(),
        Block::Heading(t) => word_count(t),
        Block::List(items) => items.iter().map(|i| word_count(i)).sum(),
        Block::Code(_) => 0,
    }
}

/// `YYYY-MM-DD` of a day number counted from 1970-01-01 (Hinnant's civil_from_days).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn yaml_code(rng: &mut Rng, prose: &Prose) -> String {
    let mut s = String::from("visit:\n");
    let _ = writeln!(s, "  id: {}", rng.int(1000, 9999));
    let _ = writeln!(s, "  host: \"{}\"", prose.name(rng, 2));
    let _ = writeln!(s, "  confirmed: {}", rng.pick(&["true", "false"]));
    s.push_str("  participants:\n");
    for _ in 0..rng.int(2, 4) {
        let _ = writeln!(s, "    - name: {}", prose.name(rng, 2));
        let _ = writeln!(s, "      role: {}", prose.word(rng));
    }
    let _ = writeln!(s, "  budget: {}.{:02}", rng.int(1, 900), rng.int(0, 99));
    let _ = write!(s, "  notes: \"{}\"  # reviewed", prose.phrase(rng, 3, 8));
    s
}

fn build_corpus(n: usize, seed: u64) -> Corpus {
    let mut rng = Rng::new(seed);
    let prose = Prose::new(&mut rng, 4000);

    let mut topics: Vec<String> = Vec::new();
    while topics.len() < N_TOPICS {
        let t = make_word(&mut rng);
        if (4..=14).contains(&t.len()) && !topics.contains(&t) {
            topics.push(t);
        }
    }

    let mut counts: Vec<usize> = SECTIONS.iter().map(|s| (n as f64 * s.2) as usize).collect();
    let assigned: usize = counts.iter().sum();
    if let Some(last) = counts.last_mut() {
        *last += n - assigned;
    }

    // 2015-01-01 is day 16436 since the Unix epoch.
    const BASE_DAY: i64 = 16_436;
    let mut entries = Vec::with_capacity(n);
    for (section, (&(_, singular, _), &count)) in SECTIONS.iter().zip(&counts).enumerate() {
        let width = count.to_string().len().max(5);
        for i in 0..count {
            let index = entries.len();
            let k = rng.int(2, 4);
            let mut pick = rng.sample(0, N_TOPICS, k);
            if index < N_TOPICS && !pick.contains(&index) {
                // Every topic is used at least once.
                if let Some(first) = pick.first_mut() {
                    *first = index;
                }
            }
            let name = prose.name(&mut rng, 2);
            let date = civil_date(BASE_DAY + rng.below(3650) as i64);
            let mut tags: Vec<usize> = pick;
            tags.sort_by_key(|&t| topics.get(t));
            entries.push(Entry {
                index,
                section,
                slug: format!("{singular}-{:0width$}", i + 1),
                title: format!("{} {}: {name}", capitalize(singular), i + 1),
                name,
                date,
                topics: tags,
                summary: prose.phrase(&mut rng, 6, 12) + ".",
                blocks: Vec::new(),
            });
        }
    }

    // Bodies, in a second pass so every link target exists.
    for idx in 0..entries.len() {
        let blocks = body_blocks(&mut rng, &prose, &entries, idx, n);
        if let Some(e) = entries.get_mut(idx) {
            e.blocks = blocks;
        }
    }
    Corpus { entries, topics }
}

/// The body of entry `idx`: paragraphs with links to other entries, headings, a bullet list and
/// on every tenth entry a YAML block, drawn from the generator in a fixed order.
fn body_blocks(
    rng: &mut Rng,
    prose: &Prose,
    entries: &[Entry],
    idx: usize,
    n: usize,
) -> Vec<Block> {
    let target_words = rng.int(400, 600);
    let n_links = rng.int(3, 5).min(n - 1);
    let mut targets: Vec<usize> = Vec::new();
    while targets.len() < n_links {
        let t = rng.below(n);
        if t != idx && !targets.contains(&t) {
            targets.push(t);
        }
    }
    let n_paras = rng.int(4, 7);
    let n_headings = rng.int(1, 2).min(n_paras - 1);
    let heading_after = rng.sample(1, n_paras, n_headings);
    let mut headings: Vec<Option<String>> = (0..n_paras).map(|_| None).collect();
    for &k in &heading_after {
        let phrase = prose.phrase(rng, 2, 5);
        if let Some(h) = headings.get_mut(k) {
            *h = Some(phrase);
        }
    }
    let list_after = rng.int(1, n_paras - 1);
    let n_items = rng.int(3, 6);
    let bullets: Vec<String> = (0..n_items).map(|_| prose.phrase(rng, 4, 10)).collect();
    let link_paras: Vec<usize> = targets.iter().map(|_| rng.below(n_paras)).collect();
    let fixed = headings
        .iter()
        .flatten()
        .map(|h| word_count(h))
        .sum::<usize>()
        + bullets.iter().map(|b| word_count(b)).sum::<usize>()
        + 3 * targets.len();
    // Sentences overshoot a paragraph's budget by about half a sentence.
    let per_para = ((target_words.saturating_sub(fixed)) / n_paras)
        .saturating_sub(7)
        .max(30);

    let mut blocks = Vec::new();
    let mut bullets = Some(bullets);
    for (k, heading) in headings.iter_mut().enumerate() {
        if let Some(h) = heading.take() {
            blocks.push(Block::Heading(h));
        }
        let mut parts = Vec::new();
        let mut words_left = per_para as isize;
        while words_left > 0 {
            let s = prose.sentence(rng);
            words_left -= word_count(&s) as isize;
            parts.push(Part::Text(s + " "));
        }
        for (&t, &lp) in targets.iter().zip(&link_paras) {
            if lp == k {
                let pos = rng.below(parts.len() + 1);
                parts.insert(
                    pos,
                    Part::Link {
                        target: t,
                        text: entries.get(t).map(|e| e.name.clone()).unwrap_or_default(),
                    },
                );
                parts.insert(pos + 1, Part::Text(" ".into()));
            }
        }
        blocks.push(Block::Paragraph(parts));
        if k == list_after {
            blocks.push(Block::List(bullets.take().unwrap_or_default()));
        }
    }
    if idx.is_multiple_of(10) {
        let code = yaml_code(rng, prose);
        blocks.insert(blocks.len() / 2, Block::Code(code));
    }
    let mut words: usize = blocks.iter().map(block_words).sum();
    while words < target_words {
        let s = prose.sentence(rng);
        words += word_count(&s);
        blocks.push(Block::Paragraph(vec![Part::Text(s)]));
    }
    blocks
}

// ------------------------------------------------------------------------------------------------
// The bilat site
// ------------------------------------------------------------------------------------------------

const SITE_TOML_HEAD: &str = r#"# Synthetic benchmark site written by `cargo run --example corpus` (issue 4). Safe to delete.
title = "Bench corpus"
description = "Synthetic corpus for build benchmarks."
base_url = "https://example.org"
default_language = "en"
theme = "default"

[[parties]]
code = "pk"
name = "Pakistan"

[[parties]]
code = "cn"
name = "China"

[languages.en]
name = "English"

# Hugo draws no social card images: off, so both engines make the same pages (bench/run.sh).
[cards]
enabled = false
"#;

const SITE_TOML_MORE_LANGUAGES: &str = r#"
[languages.ur]
name = "اردو"
direction = "rtl"

[languages.zh]
name = "中文"
"#;

/// The collections of the bundled site's schema (same field types, refs and backlinks).
const SITE_TOML_COLLECTIONS: &str = r#"
[collections.officials]
schema_type = "Person"
title = "Officials"
singular = "Official"
title_field = "name"
summary_field = "summary"
order = 2

[collections.officials.fields]
name = { type = "string", required = true }
country = { type = "party", required = true }
born = { type = "date" }
died = { type = "date" }
aliases = { type = "list", of = "string" }
summary = { type = "string" }
sources = { type = "sources", required = true }

[collections.officials.fields.offices]
type = "list"
of = "object"
label = "Offices"
fields = { title = { type = "string", required = true }, from = { type = "date" }, to = { type = "date" } }

[collections.visits]
schema_type = "Event"
title = "Visits"
singular = "Visit"
date_field = "date"
end_date_field = "end_date"
summary_field = "summary"
order = 1

[collections.visits.fields]
title = { type = "string", required = true }
date = { type = "date", required = true, label = "Start" }
end_date = { type = "date", label = "End" }
kind = { type = "enum", values = ["state", "official", "working", "other"] }
visitor = { type = "ref", collection = "officials", required = true, backlink = "Visits made" }
hosts = { type = "list", of = "ref", collection = "officials", backlink = "Visits hosted" }
participants = { type = "list", of = "ref", collection = "officials", backlink = "Took part in visits" }
host_country = { type = "party", label = "Host country" }
cities = { type = "list", of = "string" }
topics = { type = "list", of = "ref", collection = "topics", backlink = "Visits on this topic" }
summary = { type = "string" }
sources = { type = "sources", required = true }

[collections.agreements]
schema_type = "Legislation"
title = "Agreements"
singular = "Agreement"
date_field = "date_signed"
summary_field = "summary"
order = 3

[collections.agreements.fields]
title = { type = "string", required = true }
date_signed = { type = "date", required = true, label = "Signed" }
date_in_force = { type = "date", label = "In force" }
kind = { type = "enum", values = ["treaty", "agreement", "mou", "protocol", "exchange-of-notes", "other"] }
signed_during = { type = "ref", collection = "visits", label = "Signed during", backlink = "Agreements signed during this visit" }
signatories = { type = "list", of = "ref", collection = "officials", backlink = "Agreements signed" }
place = { type = "string" }
status = { type = "enum", values = ["signed", "in-force", "expired", "superseded"] }
supersedes = { type = "ref", collection = "agreements", backlink = "Superseded by" }
topics = { type = "list", of = "ref", collection = "topics", backlink = "Agreements on this topic" }
summary = { type = "string" }
sources = { type = "sources", required = true }

[collections.topics]
schema_type = "DefinedTerm"
title = "Topics"
singular = "Topic"
summary_field = "summary"
order = 5

[collections.topics.fields]
title = { type = "string", required = true }
summary = { type = "string" }
parent = { type = "ref", collection = "topics", backlink = "Subtopics" }
aliases = { type = "list", of = "string" }
sources = { type = "sources", required = true }
"#;

fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn sources(key: &str) -> String {
    format!(
        "sources:\n  - title: \"Benchmark source {key}\"\n    url: \"https://sources.example.net/source/{key}\"\n"
    )
}

fn render_body(corpus: &Corpus, e: &Entry) -> String {
    let mut out: Vec<String> = Vec::with_capacity(e.blocks.len());
    for b in &e.blocks {
        out.push(match b {
            Block::Paragraph(parts) => {
                let mut s = String::new();
                for p in parts {
                    match p {
                        Part::Text(t) => s.push_str(t),
                        Part::Link { target, text } => {
                            if let Some(t) = corpus.entries.get(*target) {
                                let _ =
                                    write!(s, "[[{}/{}|{text}]]", section_name(t.section), t.slug);
                            }
                        }
                    }
                }
                s.trim().to_string()
            }
            Block::Heading(h) => format!("## {h}"),
            Block::List(items) => items
                .iter()
                .map(|i| format!("- {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Code(code) => format!("```yaml\n{code}\n```"),
        });
    }
    out.join("\n\n") + "\n"
}

fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

/// Replace `out`, but only if it is empty or was written by a corpus generator (has the marker).
fn prepare(out: &Path) -> Result<(), String> {
    if out.exists() {
        let mut items =
            std::fs::read_dir(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
        if items.next().is_some() && !out.join(MARKER).exists() {
            return Err(format!(
                "refusing to replace non-empty {}: no {MARKER} marker",
                out.display()
            ));
        }
        std::fs::remove_dir_all(out)
            .map_err(|e| format!("cannot remove {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    std::fs::write(
        out.join(MARKER),
        "generated by examples/corpus.rs; safe to delete\n",
    )
    .map_err(|e| e.to_string())
}

fn emit(corpus: &Corpus, out: &Path, languages: usize) -> Result<(), String> {
    prepare(out)?;
    let io = |e: std::io::Error| format!("cannot write into {}: {e}", out.display());
    let mut site = String::from(SITE_TOML_HEAD);
    if languages == 3 {
        site.push_str(SITE_TOML_MORE_LANGUAGES);
    }
    site.push_str(SITE_TOML_COLLECTIONS);
    write_file(&out.join("site.toml"), &site).map_err(io)?;
    let content = out.join("content");
    write_file(&content.join("_index.md"), "---\ntitle: \"Home\"\n---\n").map_err(io)?;
    for t in &corpus.topics {
        let text = format!(
            "---\ntitle: {}\nsummary: \"Benchmark topic.\"\n{}---\n",
            yaml_str(&capitalize(t)),
            sources(&format!("topic-{t}"))
        );
        write_file(&content.join("topics").join(format!("{t}.md")), &text).map_err(io)?;
    }
    let officials: Vec<&Entry> = corpus
        .entries
        .iter()
        .filter(|e| section_name(e.section) == "officials")
        .collect();
    for e in &corpus.entries {
        let topics = format!(
            "[{}]",
            e.topics
                .iter()
                .filter_map(|&t| corpus.topics.get(t).map(String::as_str))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let src = sources(&e.index.to_string());
        let fm = match section_name(e.section) {
            "officials" => {
                let country = if e.index % 2 == 1 { "pk" } else { "cn" };
                format!(
                    "name: {}\ncountry: {country}\nsummary: {}\n{src}",
                    yaml_str(&e.title),
                    yaml_str(&e.summary)
                )
            }
            "visits" => {
                let mut fm = format!(
                    "title: {}\ndate: {}\nkind: official\n",
                    yaml_str(&e.title),
                    e.date
                );
                let visitor = e
                    .index
                    .checked_rem(officials.len())
                    .and_then(|i| officials.get(i));
                if let Some(v) = visitor {
                    let _ = writeln!(fm, "visitor: {}", v.slug);
                }
                fm + &format!("topics: {topics}\n{src}")
            }
            _ => format!(
                "title: {}\ndate_signed: {}\nkind: agreement\ntopics: {topics}\n{src}",
                yaml_str(&e.title),
                e.date
            ),
        };
        let text = format!("---\n{fm}---\n\n{}", render_body(corpus, e));
        write_file(
            &content
                .join(section_name(e.section))
                .join(format!("{}.md", e.slug)),
            &text,
        )
        .map_err(io)?;
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Command line
// ------------------------------------------------------------------------------------------------

const USAGE: &str = "usage: cargo run --release --example corpus -- --entries N --out DIR [--seed S] [--languages 1|3]

Writes a deterministic synthetic bilat site of N entries (N >= 10) into DIR, replacing DIR only if
it is empty or was written by this generator (it holds a .bench-corpus marker).";

struct Args {
    entries: usize,
    out: PathBuf,
    seed: u64,
    languages: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut entries = None;
    let mut out = None;
    let mut seed = 1;
    let mut languages = 1;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        if key == "-h" || key == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{key} needs a value"))
        };
        match key.as_str() {
            "--entries" | "--pages" => {
                entries = Some(
                    value()?
                        .parse::<usize>()
                        .map_err(|e| format!("--entries: {e}"))?,
                )
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => {
                seed = value()?
                    .parse::<u64>()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--languages" => {
                languages = value()?
                    .parse::<usize>()
                    .map_err(|e| format!("--languages: {e}"))?
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let entries = entries.ok_or("--entries is required")?;
    if entries < 10 {
        return Err("--entries must be >= 10".into());
    }
    if languages != 1 && languages != 3 {
        return Err("--languages must be 1 or 3".into());
    }
    Ok(Args {
        entries,
        out: out.ok_or("--out is required")?,
        seed,
        languages,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let corpus = build_corpus(args.entries, args.seed);
    if let Err(e) = emit(&corpus, &args.out, args.languages) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let words: usize = corpus
        .entries
        .iter()
        .flat_map(|e| &e.blocks)
        .map(block_words)
        .sum();
    let links: usize = corpus
        .entries
        .iter()
        .flat_map(|e| &e.blocks)
        .map(|b| match b {
            Block::Paragraph(parts) => parts
                .iter()
                .filter(|p| matches!(p, Part::Link { .. }))
                .count(),
            _ => 0,
        })
        .sum();
    eprintln!(
        "bilat: {} entries, {} topics, {words} words, {links} wikilinks, {} language(s) -> {}",
        corpus.entries.len(),
        corpus.topics.len(),
        args.languages,
        args.out.display()
    );
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(16_436), "2015-01-01");
        assert_eq!(civil_date(16_436 + 3649), "2024-12-28");
    }

    #[test]
    fn deterministic() {
        let a = build_corpus(30, 7);
        let b = build_corpus(30, 7);
        let body = |c: &Corpus| {
            c.entries
                .iter()
                .map(|e| render_body(c, e))
                .collect::<String>()
        };
        assert_eq!(body(&a), body(&b));
    }
}
