//! The registry of diagnostic codes: every kind of problem bilat reports has a stable code
//! (`BL` + two digits for the area + two for the problem), a title, and the text that
//! `bilat explain CODE` prints: what it means, an example that causes it, and the fix.
//!
//! Areas: `BL01` site.toml, `BL02` finding files, `BL03` reading a file, `BL04` the fields of
//! a record, `BL05` links and citations, `BL06` templates and rendering, `BL07` commands,
//! `BL09` reporting itself. A code, once published, keeps its meaning; a retired code is not
//! reused.

use serde::Serialize;
use std::fmt;

/// A diagnostic's code, e.g. `BL0501`. Only the constants below exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Code(&'static str);

impl Code {
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The registry entry of this code.
    pub fn info(self) -> Option<&'static Info> {
        find(self.0)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// What `bilat explain` says about one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    pub code: &'static str,
    /// The constant's name in this file, e.g. `UNKNOWN_REF`.
    pub name: &'static str,
    pub title: &'static str,
    pub explanation: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

/// Declares each code once: its constant and its registry entry come from the same line, so a
/// code cannot be used without being explained.
macro_rules! codes {
    ($( $name:ident = $code:literal {
        title: $title:literal,
        explanation: $explanation:literal,
        example: $example:literal,
        fix: $fix:literal $(,)?
    } )*) => {
        $( pub const $name: Code = Code($code); )*

        /// Every code, in numeric order.
        pub static ALL: &[Info] = &[ $( Info {
            code: $code,
            name: stringify!($name),
            title: $title,
            explanation: $explanation,
            example: $example,
            fix: $fix,
        }, )* ];
    };
}

/// The registry entry of `code` (case-insensitive).
pub fn find(code: &str) -> Option<&'static Info> {
    ALL.iter()
        .find(|i| i.code.eq_ignore_ascii_case(code.trim()))
}

/// `bilat explain CODE`: the explanation as text, or why there is none (with a close code).
pub fn explain(code: &str) -> Result<String, String> {
    match find(code) {
        Some(info) => Ok(format!(
            "{}: {}\n\n{}\n\nExample:\n\n{}\n\nTo fix it:\n\n{}\n",
            info.code,
            info.title,
            info.explanation,
            indent(info.example),
            info.fix
        )),
        None => {
            let wanted = code.trim().to_ascii_uppercase();
            let close = crate::suggest::closest(&wanted, ALL.iter().map(|i| i.code));
            let help = match close {
                Some(c) => format!("did you mean {c} ({})?", find(c).map_or("", |i| i.title)),
                None => "codes look like BL0501; run `bilat explain` to list them all".into(),
            };
            Err(format!(
                "unknown diagnostic code \"{}\"\n  = help: {help}",
                code.trim()
            ))
        }
    }
}

/// `bilat explain` without a code: one line per code.
pub fn list() -> String {
    ALL.iter()
        .map(|i| format!("{}  {}\n", i.code, i.title))
        .collect()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

codes! {
    // ---------------------------------------------------------------- BL01 site.toml
    SITE_TOML_UNREADABLE = "BL0101" {
        title: "site.toml cannot be read",
        explanation: "Every command starts by reading the site's settings from site.toml. Without a --root, bilat looks for site.toml in the current folder and then in each parent folder, as git looks for its repository; it found none, or could not read the one it found.",
        example: "$ cd /tmp && bilat check\nerror: cannot read ./site.toml: No such file or directory",
        fix: "Run bilat inside the site's folder (or any folder below it), or name the site with --root DIR.",
    }
    SITE_TOML_SYNTAX = "BL0102" {
        title: "site.toml is not valid TOML, or has an unknown or missing key",
        explanation: "site.toml is read as TOML into a fixed set of keys. A syntax error, a key bilat does not know (often a typo) or a missing required key stops everything: nothing else can be checked without valid settings.",
        example: "titel = \"Pakistan–China Relations\"   # a typo of title",
        fix: "Fix the TOML at the position shown, or the key's spelling. docs/site-toml.md lists every key.",
    }
    BASE_URL = "BL0103" {
        title: "base_url is not an absolute http(s) URL",
        explanation: "Feeds, sitemaps and Open Graph tags need absolute addresses, so base_url must start with http:// or https://.",
        example: "base_url = \"pk-cn.example.org\"",
        fix: "Write the full address: base_url = \"https://pk-cn.example.org\" (a sub-folder such as https://example.org/sub is allowed).",
    }
    PARTIES = "BL0104" {
        title: "the parties are not two, each with its own lowercase code",
        explanation: "A bilateral site names exactly two parties in [[parties]] tables. Their codes are used in party fields (e.g. country: pk) and must be distinct lowercase ids.",
        example: "[[parties]]\ncode = \"PK\"\nname = \"Pakistan\"",
        fix: "Declare two [[parties]] tables, each with a distinct lowercase code and a name.",
    }
    THEME = "BL0105" {
        title: "the theme is not the name of a folder under themes/",
        explanation: "theme names a folder under themes/. A path (with / or ..) could read templates and publish files from outside the site, so only a plain folder name is accepted.",
        example: "theme = \"../other-site/themes/default\"",
        fix: "Copy the theme under themes/ and write its folder name: theme = \"default\".",
    }
    LANGUAGES = "BL0106" {
        title: "a language is declared wrongly",
        explanation: "Languages are declared as [languages.<code>] with a name and an optional direction (ltr or rtl). The code must be a lowercase id, must not be a collection's name (both would be served at /<code>/), and default_language must be one of them.",
        example: "default_language = \"en\"\n[languages.ur]\nname = \"اردو\"\ndirection = \"right\"",
        fix: "Declare the default language too, write direction = \"rtl\" or \"ltr\", and keep language codes apart from collection names.",
    }
    COLLECTION_NAME = "BL0107" {
        title: "a collection name is not a lowercase id, or is taken",
        explanation: "A collection's name is its folder under content/ and its URL /<name>/. It must be a lowercase id and must not be a path bilat generates itself (timeline, graph, search, data, ...).",
        example: "[collections.timeline]\ntitle = \"Timeline\"",
        fix: "Rename the collection (and its folder under content/).",
    }
    COLLECTION_ROLE = "BL0108" {
        title: "title_field, summary_field, date_field or end_date_field names no suitable field",
        explanation: "These keys say which field names an entry, summarises it and dates it. They must name a field declared in the same collection; date_field and end_date_field must name date fields. A collection without title_field needs a field called title.",
        example: "[collections.visits]\ndate_field = \"when\"        # no field \"when\" is declared",
        fix: "Point the key at a declared field of the right type, or declare the field.",
    }
    FIELD_DECLARATION = "BL0109" {
        title: "a field is declared wrongly",
        explanation: "Each field of a collection has a lowercase name and a type: string, text, date, integer, bool, url, enum (with values), ref (with collection), party, sources, list (with of) or object (with fields).",
        example: "visitor = { type = \"ref\", collection = \"oficials\" }",
        fix: "Fix the type or the key the help names; docs/site-toml.md describes the schema language.",
    }
    CHECK_LEVEL = "BL0110" {
        title: "a [checks] level is not error, warning or off",
        explanation: "Rules in [checks] (orphans, source_ip_hosts) take a level: error fails the check, warning reports and goes on, off says nothing.",
        example: "[checks]\norphans = \"strict\"",
        fix: "Write one of \"error\", \"warning\" or \"off\".",
    }
    NOT_BEFORE_DECLARATION = "BL0111" {
        title: "not_before names no other date field",
        explanation: "A date field may declare not_before = \"<other field>\": its value may not be earlier than the other field's. The other field must be a date field of the same collection (or of the same object, for a field inside an object), and not the field itself.",
        example: "end_date = { type = \"date\", not_before = \"start\" }   # there is no field \"start\"",
        fix: "Name the date field this one follows, e.g. not_before = \"date\".",
    }

    // ---------------------------------------------------------------- BL02 finding files
    NO_CONTENT = "BL0201" {
        title: "the site has no content/ folder",
        explanation: "A site's records live under content/: content/_index.md is the home page and each collection is a folder.",
        example: "site.toml\npublic/\n(no content/)",
        fix: "Create content/_index.md and a folder per collection, or point --root at the right folder.",
    }
    BAD_FILE_NAME = "BL0202" {
        title: "a file under content/ has a name that fits nowhere",
        explanation: "Every file under content/ must be something: content/_index.md, content/<collection>/_index.md, content/<collection>/<id>.md|.yaml|.yml, a translation <id>.<lang>.md, or a free page content/pages/<id>.md. Ids are lowercase a-z, 0-9 and single hyphens. Anything else is reported rather than silently skipped.",
        example: "content/visits/Zardari China 2025.md",
        fix: "Rename the file as the help says (e.g. zardari-china-2025.md), move it into a declared collection, or put other files under static/.",
    }
    SYMLINK = "BL0203" {
        title: "a symbolic link is not followed",
        explanation: "bilat never follows symbolic links in content/, static/ or the templates: a link could make it read or publish files outside the site.",
        example: "content/visits/x.md -> /home/me/notes/x.md",
        fix: "Replace the link with the file itself.",
    }
    UNREADABLE = "BL0204" {
        title: "a file or folder cannot be read",
        explanation: "The operating system refused to read a file or folder of the site (permissions, a file deleted while bilat ran, a disk error).",
        example: "error: cannot read: Permission denied (os error 13)",
        fix: "Check the file's permissions and that it still exists, then run again.",
    }
    NON_UTF8_NAME = "BL0205" {
        title: "a file name is not valid UTF-8",
        explanation: "File names become ids and URLs, so they must be text.",
        example: "content/visits/caf\\xe9.md",
        fix: "Rename the file with UTF-8 characters (ids use a-z, 0-9 and hyphens).",
    }

    // ---------------------------------------------------------------- BL03 reading a file
    FILE_TOO_LARGE = "BL0301" {
        title: "a file is larger than the size limit",
        explanation: "Files above [limits] max_file_bytes (8 MiB unless set) are not read, so a stray huge file cannot exhaust memory.",
        example: "content/documents/archive.md (40 MB)",
        fix: "Split the text into several entries, or raise [limits] max_file_bytes in site.toml.",
    }
    NOT_UTF8 = "BL0302" {
        title: "a file is not valid UTF-8",
        explanation: "Content files, templates and site.toml are read as UTF-8 text. The position shown is the first byte that is not.",
        example: "a file saved as Windows-1252 by an old editor",
        fix: "Save the file with UTF-8 encoding.",
    }
    NO_FRONT_MATTER = "BL0303" {
        title: "a Markdown file does not start with front matter",
        explanation: "A Markdown record starts with its fields: a line ---, the fields in YAML, and another --- line, then the text.",
        example: "title: Visit to Beijing\n\nThe president arrived ...",
        fix: "Begin the file with a --- line, the fields, and a closing --- line.",
    }
    UNCLOSED_FRONT_MATTER = "BL0304" {
        title: "the front matter is not closed",
        explanation: "The front matter opened with --- has no closing --- line, so bilat cannot tell the fields from the text.",
        example: "---\ntitle: Visit to Beijing\n\nThe president arrived ...",
        fix: "Add a line --- after the last field, before the Markdown text.",
    }
    MALFORMED_YAML = "BL0305" {
        title: "the front matter is not valid YAML",
        explanation: "The YAML parser stopped at the position shown. Common causes: wrong indentation, a tab, an unclosed bracket or quote, or a value containing \": \" or starting with a special character (@, `, [, {, *, &, !, |, >, %) without quotes.",
        example: "title: Joint statement: CPEC phase two",
        fix: "Fix the indentation or put the value in double quotes: title: \"Joint statement: CPEC phase two\".",
    }
    DUPLICATE_KEY = "BL0306" {
        title: "a key appears twice in the front matter",
        explanation: "YAML allows a key once per mapping; a second one would silently replace the first.",
        example: "date: 2025-05-19\ndate: 2025-05-20",
        fix: "Keep one of the two lines.",
    }
    YAML_TOO_BIG = "BL0307" {
        title: "the front matter expands to too many values",
        explanation: "YAML aliases can repeat a part of the document many times (an \"alias bomb\"). bilat expands at most [limits] max_yaml_nodes values per file.",
        example: "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n...",
        fix: "Remove the aliases that repeat large parts of the document, or split the data.",
    }
    YAML_TOO_DEEP = "BL0308" {
        title: "the front matter nests too deeply",
        explanation: "Lists and mappings inside each other deeper than [limits] max_yaml_depth are refused; records need only a few levels.",
        example: "a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ ...",
        fix: "Flatten the structure.",
    }
    MARKDOWN_TOO_DEEP = "BL0309" {
        title: "the Markdown nests too deeply",
        explanation: "Lists, block quotes or HTML elements nested hundreds of levels deep are refused, so no page can exhaust the renderer.",
        example: "> > > > > > > > > > > > > > > > > > > > ... (hundreds of levels)",
        fix: "Flatten the nested lists, quotes or HTML elements.",
    }
    FRONT_MATTER_NOT_MAPPING = "BL0310" {
        title: "the front matter is not a set of fields",
        explanation: "The front matter must be a YAML mapping (name: value lines), not a list or a single value.",
        example: "---\n- title: Visit\n---",
        fix: "Write one field per line as name: value.",
    }
    YAML_MULTIPLE_DOCUMENTS = "BL0311" {
        title: "the front matter holds more than one YAML document",
        explanation: "A --- line inside the front matter starts a second YAML document; front matter is a single document.",
        example: "---\ntitle: A\n---\n---\ndate: 2025\n---",
        fix: "Remove the extra --- line.",
    }
    YAML_UNKNOWN_ANCHOR = "BL0312" {
        title: "a YAML alias names no anchor",
        explanation: "An alias *name repeats the value marked &name earlier in the file; there is no such anchor before it.",
        example: "hosts: *officials",
        fix: "Define the anchor (&name) before using it, or write the value out.",
    }
    YAML_COMPLEX_KEY = "BL0313" {
        title: "a mapping key is not a plain name",
        explanation: "Field names are plain words; a list or a mapping cannot be a key.",
        example: "? [a, b]\n: value",
        fix: "Write keys as name: value.",
    }

    // ---------------------------------------------------------------- BL04 the fields of a record
    UNKNOWN_FIELD = "BL0401" {
        title: "unknown field",
        explanation: "The field is not declared for this collection in site.toml (or for this kind of item, or for pages: title, description, draft). A typo would otherwise be published as nothing.",
        example: "---\ntitel: Visit to Beijing\n---",
        fix: "Fix the name (the help suggests the closest field), or declare the field in site.toml.",
    }
    MISSING_FIELD = "BL0402" {
        title: "a required field is missing",
        explanation: "site.toml marks the field required = true, and the record (or an item of a list of objects) does not set it. A draft (draft: true) may leave required fields empty until it is published.",
        example: "---\ntitle: Visit to Beijing\n# no date\n---",
        fix: "Add the field with a value of its type, as the help shows (e.g. date: 2025-02-04).",
    }
    WRONG_TYPE = "BL0403" {
        title: "a value has the wrong type for its field",
        explanation: "Each field has a type in site.toml: a single value where a list is expected is fine (a list of one), but a list where one value is expected, a word where a number or true/false is expected, or an address without http(s):// is not.",
        example: "visitor: [xi-jinping, li-qiang]   # visitor takes one id\nurl: www.dawn.com/news/1",
        fix: "Write a value of the type the message names.",
    }
    BAD_DATE = "BL0404" {
        title: "a date is not an ISO 8601 date",
        explanation: "Dates are written YYYY-MM-DD, or YYYY-MM / YYYY when the day or month is not known. Dates in words, other separators and impossible days are refused.",
        example: "date: May 2025\nend_date: 2025-02-30",
        fix: "Write 2025-05 (the month), 2025-05-19 (the day) or 2025 (the year).",
    }
    BAD_ENUM = "BL0405" {
        title: "a value is not one of the field's allowed values",
        explanation: "An enum field accepts only the values listed in site.toml.",
        example: "kind: offical",
        fix: "Use one of the allowed values (the help suggests the closest), or add the value to the field's values in site.toml.",
    }
    BAD_PARTY = "BL0406" {
        title: "a value is not a party code",
        explanation: "A party field takes one of the two codes declared under [[parties]] in site.toml.",
        example: "host_country: china",
        fix: "Write the party's code, e.g. cn.",
    }
    DUPLICATE_ID = "BL0407" {
        title: "two files define the same entry",
        explanation: "An id is unique within a collection and language: content/visits/x.md and content/visits/x.yaml would both be visits/x.",
        example: "content/visits/x.md\ncontent/visits/x.yaml",
        fix: "Rename or remove one of the two files.",
    }
    PAGE_CLASH = "BL0408" {
        title: "a free page would overwrite a generated page",
        explanation: "A free page content/pages/<id>.md is served at /<id>/, which must not be a path bilat generates (timeline, graph, search, ...), a collection's index or a language's home.",
        example: "content/pages/timeline.md",
        fix: "Rename the page file.",
    }
    DENIED_SOURCE_HOST = "BL0409" {
        title: "a source cites a denied host",
        explanation: "[checks] denied_source_hosts lists hosts that are not original publishers (mirrors, scraped copies, encyclopedia copies). A source's url may not point at them or their subdomains.",
        example: "sources:\n  - title: Joint statement\n    url: https://docslib.org/doc/123",
        fix: "Cite the original publisher's page, or give title, publisher and date without a url when no original address is known.",
    }
    IP_SOURCE_HOST = "BL0410" {
        title: "a source address uses a bare IP address",
        explanation: "An address like http://20.210.105.67/... is usually a copy on some server, not the publisher. [checks] source_ip_hosts sets how strictly this is reported.",
        example: "    url: http://20.210.105.67/txt/statement.html",
        fix: "Cite the publisher's own address.",
    }
    OLD_ID = "BL0411" {
        title: "aliases_ids is wrong",
        explanation: "aliases_ids lists an entry's earlier ids, each redirected to the entry. It belongs in the default-language file, lists ids, and an old id may not be a live entry's id or be claimed by two entries.",
        example: "aliases_ids: [Zardari China]",
        fix: "List the earlier ids as lowercase ids, in the original file, once across the collection.",
    }
    NOT_TRANSLATABLE = "BL0412" {
        title: "a translation sets a field that is not translatable",
        explanation: "A translation (<id>.<lang>.md) translates the words of its original; it must not change facts. Only translatable fields may be set in it: by default text-like fields (string, text, and lists of them); site.toml can mark any field translate = true or translate = false. Dates, references, enums, party codes and sources belong to the original, which every language shows.",
        example: "content/visits/x.zh.md:\n---\ntitle: 访问北京\ndate: 2025-05-20      # the original says 2025-05-19\n---",
        fix: "Remove the field from the translation (the original's value is shown in every language); to change the fact, edit the original. If the field really differs by language, mark it translate = true in site.toml.",
    }
    BLANK_VALUE = "BL0413" {
        title: "a required value is blank",
        explanation: "A required text field set to \"\" or only spaces would publish an empty heading, page title and link text.",
        example: "title: \"\"",
        fix: "Write the value, or (for a record not ready yet) mark it draft: true.",
    }
    DATE_ORDER = "BL0414" {
        title: "a date is earlier than the date it may not precede",
        explanation: "site.toml declares this date field not_before another (e.g. end_date not before date). Partial dates count as their whole period: 2025-05 is not before 2025-05-19, but 2025-04 is.",
        example: "date: 2025-05-19\nend_date: 2025-05-01",
        fix: "Correct whichever of the two dates is wrong.",
    }
    CUT_AT_COMMENT = "BL0415" {
        title: "YAML cut an unquoted value at \" #\"",
        explanation: "In YAML, \" #\" starts a comment, so an unquoted value stops there and the rest is dropped silently: title: Visit #2: Beijing is read as \"Visit\".",
        example: "title: Visit #2: Beijing",
        fix: "Put the whole value in double quotes: title: \"Visit #2: Beijing\". If the # starts a comment on purpose, put the comment on a line of its own.",
    }
    PLACEHOLDER = "BL0416" {
        title: "a placeholder is left in a published record",
        explanation: "bilat new fills a new draft with placeholders that start with TODO (e.g. title: \"TODO: the title\", and a TODO line in the text). Once draft: true is removed, any placeholder left is reported.",
        example: "---\ntitle: \"TODO: the visit's title\"\n---\nTODO: write the entry here.",
        fix: "Replace the placeholder with the real value or text, or remove it.",
    }

    // ---------------------------------------------------------------- BL05 links and citations
    UNKNOWN_REF = "BL0501" {
        title: "a reference field names no entry",
        explanation: "A ref field (e.g. visitor, hosts, topics) holds the id of an entry of the collection site.toml names; no entry has this id.",
        example: "visitor: xi-jinpin",
        fix: "Fix the id (the help suggests the closest), or create the entry with bilat new <collection> <id>.",
    }
    UNKNOWN_LINK = "BL0502" {
        title: "a wikilink points to nothing",
        explanation: "[[collection/id]], [[id]] and [[pages/id]] must name an existing entry or free page; a link to nothing would be a dead link on the page.",
        example: "Talks with [[officials/xi-jinpin]] covered trade.",
        fix: "Fix the id or collection (the help suggests the closest), or create the entry.",
    }
    AMBIGUOUS_LINK = "BL0503" {
        title: "a bare wikilink matches entries of several collections",
        explanation: "[[id]] alone resolves only when exactly one collection has an entry with that id.",
        example: "[[trade]]   # both topics/trade and documents/trade exist",
        fix: "Write the collection too: [[topics/trade]].",
    }
    BAD_CITATION = "BL0504" {
        title: "a citation points to no source",
        explanation: "[@n] cites the n-th item (1-based) of the record's sources list (a translation cites its original's). n is larger than the list, or not a number.",
        example: "sources:\n  - title: Joint statement\n---\nThe corridor was launched [@2].",
        fix: "Cite an existing source ([@1] here), or add the source to the list.",
    }
    NO_ORIGINAL = "BL0505" {
        title: "a translation has no original",
        explanation: "content/<collection>/<id>.<lang>.md translates content/<collection>/<id>.md, which does not exist.",
        example: "content/topics/trade.zh.md without content/topics/trade.md",
        fix: "Add the original in the default language, or fix the translation's file name.",
    }
    ORPHAN = "BL0506" {
        title: "nothing links to a record",
        explanation: "No reference field and no wikilink of another record or page points at this entry, so readers can reach it only through lists. [checks] orphans sets how strictly this is reported. Drafts are not counted as orphans.",
        example: "content/topics/lonely.md, named by no other file",
        fix: "Link it from a related record with [[collection/id]], or reference it in a field.",
    }
    LINK_TO_DRAFT = "BL0507" {
        title: "a link or reference points to a draft",
        explanation: "The entry exists but is marked draft: true, so a normal build leaves it out and the link would lead nowhere. With --drafts (build, check, serve) drafts are included and such links are fine.",
        example: "content/officials/new-minister.md has draft: true\ncontent/visits/x.md: hosts: [new-minister]",
        fix: "Publish the draft (remove draft: true) when it is ready, or remove the link until then; use --drafts to preview both.",
    }

    // ---------------------------------------------------------------- BL06 templates and rendering
    TEMPLATE_SYNTAX = "BL0601" {
        title: "a template does not parse",
        explanation: "A Tera template of the theme (or of templates/) has a syntax error.",
        example: "{% for v in visits %}\n  {{ v.title }\n{% endfor %}",
        fix: "Fix the Tera syntax at the position shown; docs/themes.md is the template reference.",
    }
    TEMPLATE_RENDER = "BL0602" {
        title: "a template fails while rendering a page",
        explanation: "The template parsed but failed on a page: usually a variable or filter that does not exist in that page's context.",
        example: "{{ entry.titel }}",
        fix: "Use the variables docs/themes.md lists for the page.",
    }
    STRINGS_FILE = "BL0603" {
        title: "an interface strings file cannot be read",
        explanation: "i18n/<lang>.toml holds the interface strings of a language as key = \"text\" lines.",
        example: "i18n/ur.toml:\nsearch = \"تلاش",
        fix: "Fix the TOML at the position shown: one key = \"text\" pair per line.",
    }
    INTERNAL = "BL0604" {
        title: "internal error",
        explanation: "bilat broke one of its own rules while rendering. This is a bug in bilat, not in the site.",
        example: "error: internal error: ...",
        fix: "Report it with the site (or the smallest part of it) that shows it.",
    }
    BROKEN_LINK = "BL0605" {
        title: "a page links to nothing",
        explanation: "After rendering, every internal href and src of every page must lead to a file of the output, and every #fragment to an element id of its page. Links that start with `/` must start with the site's base path (the path of base_url), or they leave the site when it is served from a sub-folder. The finding points at the template or content line that wrote the link, and says on how many pages it appears.",
        example: "templates/entry.html:\n<a href=\"{{ site.root }}/nowhere/\">more</a>\n<a href=\"#no-such-id\">up</a>",
        fix: "Link to a page the build makes ({{ site.root }}/timeline/, an entry's url), to an id the page has (headings get ids from their text), or add the file under static/.",
    }
    CARD_FONT = "BL0606" {
        title: "no font for a social card's text",
        explanation: "Each entry page gets a card image (its og:image) drawn at build time with fonts found on the system (or in the folders `[cards] font_dirs` names). When no font found there has a letter of the card's text, the card is left out of those pages instead of drawn with empty boxes; the page is still built, without og:image.",
        example: "warning: no font for the Urdu (ur) text of 270 social cards (e.g. \"پاکستان\")",
        fix: "Install the fonts the warning names (Debian: apt-get install fonts-noto-core fonts-noto-cjk), or put font files in a folder and name it in `[cards] font_dirs`, or turn the cards off with `[cards] enabled = false`.",
    }

    // ---------------------------------------------------------------- BL07 commands
    UNKNOWN_COLLECTION = "BL0701" {
        title: "no collection of that name",
        explanation: "bilat new and bilat schema take the name of a collection declared in site.toml.",
        example: "bilat new visit zardari-china-2026",
        fix: "Use a declared collection's name (the help suggests the closest).",
    }
    BAD_ID = "BL0702" {
        title: "not a valid id",
        explanation: "An id becomes the file name and the URL: lowercase a-z, 0-9 and single hyphens.",
        example: "bilat new visits \"Zardari China 2026\"",
        fix: "Write the id like zardari-china-2026.",
    }
    ENTRY_EXISTS = "BL0703" {
        title: "the entry already exists",
        explanation: "bilat new never overwrites a file: an entry with this id already exists in the collection.",
        example: "bilat new visits zardari-china-2025   # content/visits/zardari-china-2025.md exists",
        fix: "Pick another id, or edit the existing file.",
    }

    // ---------------------------------------------------------------- BL09 reporting
    TOO_MANY = "BL0901" {
        title: "more problems in one file than are listed",
        explanation: "One stage lists at most 100 problems of one file, so a file with thousands of broken links cannot flood the output or exhaust memory.",
        example: "warning: more than 100 problems in this file; the rest are not listed",
        fix: "Fix the problems listed and check again.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_code_is_unique_well_formed_and_explained() {
        let mut seen = BTreeSet::new();
        for info in ALL {
            assert!(seen.insert(info.code), "{} is registered twice", info.code);
            let digits = info.code.strip_prefix("BL").unwrap_or_default();
            assert!(
                digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{} is not BL + 4 digits",
                info.code
            );
            for (what, text) in [
                ("title", info.title),
                ("explanation", info.explanation),
                ("example", info.example),
                ("fix", info.fix),
            ] {
                assert!(!text.trim().is_empty(), "{} has no {what}", info.code);
            }
            let text = explain(info.code).unwrap_or_default();
            assert!(text.starts_with(info.code), "{text}");
            assert!(
                text.contains("Example:") && text.contains("To fix it:"),
                "{text}"
            );
        }
        let codes: Vec<&str> = ALL.iter().map(|i| i.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted, "the registry is in numeric order");
    }

    /// The codes (`BL` + 4 digits) written anywhere in `text`.
    fn codes_in(text: &str) -> Vec<String> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        for (i, _) in text.match_indices("BL") {
            let digits = bytes.get(i + 2..i + 6).unwrap_or_default();
            let after = bytes.get(i + 6).copied().unwrap_or(b' ');
            let before = i.checked_sub(1).and_then(|j| bytes.get(j)).copied();
            if digits.len() == 4
                && digits.iter().all(u8::is_ascii_digit)
                && !after.is_ascii_alphanumeric()
                && !before.is_some_and(|b| b.is_ascii_alphanumeric())
            {
                out.push(text.get(i..i + 6).unwrap_or_default().to_string());
            }
        }
        out
    }

    fn files(dir: &std::path::Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_code_written_in_the_sources_and_docs_is_registered_and_every_constant_is_used() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        files(&root.join("src"), "rs", &mut paths);
        files(&root.join("docs"), "md", &mut paths);
        paths.push(root.join("README.md"));
        let this = root.join("src/diagnostics/codes.rs");
        let mut used_names = String::new();
        for path in paths.iter().filter(|p| **p != this) {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            for code in codes_in(&text) {
                assert!(
                    find(&code).is_some(),
                    "{} writes {code}, which is not registered in src/diagnostics/codes.rs",
                    path.display()
                );
            }
            if path.extension().is_some_and(|e| e == "rs") {
                used_names.push_str(&text);
            }
        }
        for info in ALL {
            assert!(
                used_names.contains(&format!("codes::{}", info.name)),
                "{} ({}) is registered but no diagnostic uses codes::{}",
                info.code,
                info.title,
                info.name
            );
        }
    }

    #[test]
    fn unknown_codes_get_a_did_you_mean() {
        let err = explain("BL5001").err().unwrap_or_default();
        assert!(err.contains("unknown diagnostic code \"BL5001\""), "{err}");
        assert!(err.contains("did you mean BL0501"), "{err}");
        assert!(explain("bl0501").is_ok());
        let far = explain("hello").err().unwrap_or_default();
        assert!(far.contains("bilat explain"), "{far}");
    }
}
