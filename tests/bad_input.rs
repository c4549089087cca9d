//! The bad-input suite (contract §6, issues 2 and 5): every way a contributor can break a site.
//!
//! Each test copies the valid fixture into a temporary folder, builds it, breaks one thing, and
//! then asserts through [`common::assert_rejected`]: the exit status of `check` and `build`, a
//! diagnostic naming the file (with line and column where the input has a position) and saying
//! what to do, the JSON format, sorted order, no panic, a bounded run time, and an output folder
//! left byte-identical by the failed build. The human output is snapshotted with insta.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Expect, Site, assert_rejected};
use std::collections::BTreeMap;

const VISIT: &str = "content/visits/amina-khan-borduria-2024.md";
const VISIT_2023: &str = "content/visits/li-wei-aland-2023.md";
const OFFICIAL: &str = "content/officials/amina-khan.md";
const LI_WEI: &str = "content/officials/li-wei.yaml";
const TRADE: &str = "content/topics/trade.md";

/// A built copy of the valid fixture, broken by `mutate`, with the output of the good build.
fn broken(mutate: impl FnOnce(&Site)) -> (Site, BTreeMap<String, Vec<u8>>) {
    let site = Site::valid();
    let before = site.build_ok();
    assert!(
        before.contains_key("index.html"),
        "the good build wrote a site"
    );
    mutate(&site);
    (site, before)
}

#[test]
fn broken_reference_suggests_the_closest_id() {
    let (site, before) = broken(|s| s.replace(VISIT, "visitor: amina-khan", "visitor: amina-kahn"));
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[VISIT],
            contains: &[
                "unknown official \"amina-kahn\" in field \"visitor\"",
                "did you mean \"amina-khan\"?",
            ],
        },
    );
    assert!(out.contains(&format!("--> {VISIT}:6:10")), "{out}");
    insta::assert_snapshot!("broken_reference", out);
}

#[test]
fn broken_references_in_lists_and_path_like_ids() {
    let (site, before) = broken(|s| {
        s.replace(VISIT, "  - li-wei", "  - li-wie");
        s.replace(
            VISIT,
            "topics: [trade, friendship]",
            "topics: [trade, ../../etc/passwd]",
        );
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[VISIT, VISIT],
            contains: &[
                "unknown official \"li-wie\" in field \"hosts\"",
                "did you mean \"li-wei\"?",
                "unknown topic \"../../etc/passwd\" in field \"topics\"",
            ],
        },
    );
    insta::assert_snapshot!("broken_reference_in_list", out);
}

#[test]
fn broken_wikilinks() {
    let (site, before) = broken(|s| {
        s.replace(
            VISIT,
            "[[visits/li-wei-aland-2023]]",
            "[[visits/li-wei-aland-2032]]",
        );
        s.replace(
            TRADE,
            "Trade grew after",
            "Trade with [[nowhere-at-all]] and [[visit/li-wei-aland-2023]] grew after\n[[../../etc/passwd]]",
        );
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[TRADE, TRADE, TRADE, VISIT],
            contains: &[
                "link [[nowhere-at-all]] points to no entry",
                "unknown collection \"visit\" in link [[visit/li-wei-aland-2023]]",
                "did you mean \"visits\"?",
                "unknown collection \"..\" in link [[../../etc/passwd]]",
                "unknown visit \"li-wei-aland-2032\" in link [[visits/li-wei-aland-2032]]",
                "did you mean \"li-wei-aland-2023\"?",
            ],
        },
    );
    insta::assert_snapshot!("broken_wikilink", out);
}

#[test]
fn ambiguous_wikilink_lists_the_candidates() {
    let (site, before) = broken(|s| {
        s.write("content/topics/li-wei.md", "---\ntitle: \"Li Wei, the topic\"\nparent: trade\n---\nA topic that shares its id with an official.\n");
        s.replace(
            VISIT,
            "[[officials/li-wei|the Bordurian minister]]",
            "[[li-wei|the Bordurian minister]]",
        );
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[VISIT],
            contains: &[
                "link [[li-wei]] is ambiguous: 2 entries have that id",
                "write one of [[officials/li-wei]], [[topics/li-wei]]",
            ],
        },
    );
    insta::assert_snapshot!("ambiguous_wikilink", out);
}

#[test]
fn citation_out_of_range() {
    let (site, before) = broken(|s| {
        s.replace(VISIT, "the year before [@1]", "the year before [@0]");
        s.replace(
            VISIT,
            "[[topics/friendship]] [@2]",
            "[[topics/friendship]] [@3]",
        );
        s.replace(TRADE, "took office.", "took office [@1].");
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[TRADE, VISIT, VISIT],
            contains: &[
                "citation [@1] points to no source",
                "this file has no sources",
                "citation [@0] points to no source",
                "this file has 2 sources: cite one of [@1] to [@2]",
                "citation [@3] points to no source",
            ],
        },
    );
    insta::assert_snapshot!("citation_out_of_range", out);
}

#[test]
fn missing_required_field() {
    let (site, before) = broken(|s| s.replace(VISIT_2023, "\ndate: 2023-05\nkind", "\nkind"));
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[VISIT_2023],
            contains: &["missing required field \"date\"", "add date: 2025-02-04"],
        },
    );
    insta::assert_snapshot!("missing_required_field", out);
}

#[test]
fn missing_required_field_of_a_list_item() {
    let (site, before) = broken(|s| {
        s.replace(
            LI_WEI,
            "  - title: \"Foreign Minister\"\n    from: 2020-01-15",
            "  - from: 2020-01-15",
        )
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[LI_WEI],
            contains: &["an item of \"offices\" is missing its required field \"title\""],
        },
    );
    insta::assert_snapshot!("missing_required_field_of_item", out);
}

#[test]
fn bad_dates() {
    let (site, before) = broken(|s| {
        s.replace(VISIT, "date: 2024-02-04", "date: 2025-13-01");
        s.replace(VISIT_2023, "\ndate: 2023-05\n", "\ndate: 2025-02-30\n");
        s.replace(LI_WEI, "from: 2020-01-15", "from: 15.01.2020");
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[LI_WEI, VISIT, VISIT_2023],
            contains: &[
                "field \"offices.from\" expects a date",
                "write dates as YYYY-MM-DD",
                "found \"2025-13-01\"",
                "month 13 does not exist",
                "found \"2025-02-30\"",
                "February 2025 has 28 days",
            ],
        },
    );
    insta::assert_snapshot!("bad_dates", out);
}

#[test]
fn bad_enum_value_suggests_the_closest() {
    let (site, before) = broken(|s| s.replace(VISIT, "kind: state", "kind: stat"));
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[VISIT],
            contains: &[
                "\"stat\" is not an allowed value of field \"kind\"",
                "did you mean \"state\"?",
            ],
        },
    );
    insta::assert_snapshot!("bad_enum", out);
}

#[test]
fn bad_party_code_lists_the_parties() {
    let (site, before) = broken(|s| s.replace(VISIT, "host_country: bb", "host_country: zz"));
    assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[VISIT],
            contains: &[
                "\"zz\" is not a party code in field \"host_country\"",
                "aa, bb",
            ],
        },
    );
}

#[test]
fn unknown_field_suggests_the_closest() {
    let (site, before) = broken(|s| {
        s.replace(VISIT, "summary: \"A state", "sumary: \"A state");
        // Inside a list of objects, in the file with CRLF line endings.
        s.replace(OFFICIAL, "    from: 2021-03\r\n", "    form: 2021-03\r\n");
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[OFFICIAL, VISIT],
            contains: &[
                "unknown field \"form\"",
                "did you mean \"from\"?",
                "unknown field \"sumary\"",
                "did you mean \"summary\"?",
            ],
        },
    );
    assert!(
        out.contains(&format!("--> {OFFICIAL}:9:5")),
        "CRLF keeps line numbers true:\n{out}"
    );
    assert!(out.contains(&format!("--> {VISIT}:12:1")), "{out}");
    insta::assert_snapshot!("unknown_field", out);
}

#[test]
fn wrong_types() {
    let (site, before) = broken(|s| {
        s.replace(
            VISIT,
            "title: \"Amina Khān in Borduria, February 2024\"",
            "title: [Amina, Borduria]",
        );
        s.replace(
            VISIT_2023,
            "cities: [Mariehamn]",
            "cities: {capital: Mariehamn}",
        );
        s.replace(
            LI_WEI,
            "offices:\n  - title: \"Foreign Minister\"\n    from: 2020-01-15",
            "offices: Foreign Minister",
        );
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[LI_WEI, VISIT, VISIT_2023],
            contains: &[
                "field \"offices\" expects",
                "found a single value",
                "field \"title\" expects a string, found a list",
                "field \"cities\" expects",
                "found a mapping",
            ],
        },
    );
    insta::assert_snapshot!("wrong_types", out);
}

#[test]
fn front_matter_that_is_not_a_mapping() {
    let (site, before) = broken(|s| {
        s.write(
            "content/topics/listy.md",
            "---\n- title\n- summary\n---\nBody.\n",
        )
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &["content/topics/listy.md"],
            contains: &["the front matter is a list, not a set of fields"],
        },
    );
    insta::assert_snapshot!("front_matter_not_a_mapping", out);
}

#[test]
fn malformed_yaml() {
    let (site, before) = broken(|s| {
        s.replace(
            VISIT,
            "cities: [Szohod, \"Klow\"]",
            "cities: [Szohod, \"Klow\"",
        );
        s.replace(
            TRADE,
            "summary: \"Commerce between the two parties.\"",
            "summary: \"Commerce between\n  the: two: parties.",
        );
        s.write(
            "content/topics/twice.md",
            "---\ntitle: One\ntitle: Two\n---\n",
        );
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[TRADE, "content/topics/twice.md", VISIT],
            contains: &[
                "malformed YAML: invalid indentation in quoted scalar",
                "key \"title\" appears twice",
                "the first is on line 2",
                "malformed YAML",
            ],
        },
    );
    insta::assert_snapshot!("malformed_yaml", out);
}

#[test]
fn unterminated_front_matter() {
    let (site, before) = broken(|s| s.replace(TRADE, "---\nTrade grew", "Trade grew"));
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[TRADE],
            contains: &["the front matter is not closed", "add a line \"---\""],
        },
    );
    insta::assert_snapshot!("unterminated_front_matter", out);
}

#[test]
fn empty_files() {
    let (site, before) = broken(|s| {
        s.write("content/topics/empty.md", "");
        s.write("content/topics/blank.yaml", "");
        s.write(
            "content/topics/only-body.md",
            "Just text, no front matter.\n",
        );
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[
                "content/topics/blank.yaml",
                "content/topics/empty.md",
                "content/topics/only-body.md",
            ],
            contains: &[
                "missing required field \"title\"",
                "the file does not start with front matter",
                "the file does not start with front matter",
            ],
        },
    );
    insta::assert_snapshot!("empty_files", out);
}

#[test]
fn duplicate_id_across_formats() {
    let (site, before) =
        broken(|s| s.write("content/topics/trade.yaml", "title: \"Trade, again\"\n"));
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &["content/topics/trade.yaml"],
            contains: &[
                "duplicate id \"trade\" in collection topics",
                "content/topics/trade.md already defines it",
            ],
        },
    );
    insta::assert_snapshot!("duplicate_id", out);
}

#[test]
fn bad_file_names() {
    let page = "---\ntitle: \"Named badly\"\n---\nBody.\n";
    let (site, before) = broken(|s| {
        s.write("content/topics/Bad Name.md", page);
        s.write("content/topics/a.fr.md", page);
        s.write("content/topics/sub/deeper.md", page);
        s.write("content/visit/x.md", page);
        s.write("content/topics/notes.txt", "not content");
        s.write("content/stray.md", page);
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: false,
            files: &[
                "content/stray.md",
                "content/topics/Bad Name.md",
                "content/topics/a.fr.md",
                "content/topics/notes.txt",
                "content/topics/sub/deeper.md",
                "content/visit/x.md",
            ],
            contains: &[
                "only _index.md lives directly in content/",
                "\"content/topics/Bad Name.md\" is not a valid content file name",
                "rename it to \"bad-name\"",
                "\"fr\" is not a declared translation language (declared: ur)",
                "content files end in .md, .yaml or .yml, not .txt",
                "collections are one level deep",
                "\"visit\" is not a collection; did you mean \"visits\"?",
            ],
        },
    );
    insta::assert_snapshot!("bad_file_names", out);
}

#[test]
fn translation_without_original_and_page_clash() {
    let (site, before) = broken(|s| {
        s.write("content/topics/ghost.ur.md", "---\ntitle: \"بھوت\"\n---\n");
        s.write(
            "content/pages/timeline.md",
            "---\ntitle: \"My timeline\"\n---\n",
        );
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &["content/pages/timeline.md", "content/topics/ghost.ur.md"],
            contains: &[
                "free page \"timeline\" clashes with a generated path",
                "translation of \"ghost\" has no original in topics",
            ],
        },
    );
    insta::assert_snapshot!("translation_and_page_clash", out);
}

#[test]
fn invalid_utf8() {
    let (site, before) = broken(|s| {
        s.write(
            "content/topics/latin1.md",
            b"---\ntitle: Caf\xe9 culture\n---\nBody.\n",
        )
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &["content/topics/latin1.md"],
            contains: &[
                "the file is not valid UTF-8",
                "save the file with UTF-8 encoding",
            ],
        },
    );
    assert!(
        out.contains("content/topics/latin1.md:2:11"),
        "points at the bad byte:\n{out}"
    );
    insta::assert_snapshot!("invalid_utf8", out);
}

#[test]
fn yaml_alias_bomb_hits_the_budget() {
    let mut yaml = String::from("---\ntitle: Bomb\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        yaml.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    yaml.push_str("---\n");
    let (site, before) = broken(|s| s.write("content/topics/bomb.md", &yaml));
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &["content/topics/bomb.md"],
            contains: &["the front matter expands to more than", "alias bomb"],
        },
    );
    insta::assert_snapshot!("alias_bomb", out);
}

#[test]
fn deep_nesting_in_yaml_and_markdown() {
    let (site, before) = broken(|s| {
        let nested = |n: usize| {
            format!(
                "---\ntitle: Deep\naliases: {}{}\n---\n",
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        // Past bilat's depth budget, and far past the YAML parser's own recursion limit.
        s.write("content/topics/deep-yaml.md", nested(100));
        s.write("content/topics/deeper-yaml.md", nested(100_000));
        let deep_html = format!(
            "---\ntitle: Deep HTML\n---\nSome text.\n\n{}\n",
            "<div>".repeat(100_000)
        );
        s.write("content/topics/deep-html.md", deep_html);
        let deep_quotes = format!(
            "---\ntitle: Deep quotes\n---\n{}x <b>raw</b>\n",
            "> ".repeat(50_000)
        );
        s.write("content/topics/deep-quotes.md", deep_quotes);
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[
                "content/topics/deep-html.md",
                "content/topics/deep-quotes.md",
                "content/topics/deep-yaml.md",
                "content/topics/deeper-yaml.md",
            ],
            contains: &[
                "the Markdown nests deeper than 100 levels",
                "the Markdown nests deeper than 100 levels",
                "the front matter nests deeper than 64 levels",
                "malformed YAML",
            ],
        },
    );
    // The excerpt of a 100,000-character line is clipped, so the snapshot stays small.
    assert!(out.len() < 10_000, "{} bytes of output", out.len());
    insta::assert_snapshot!("deep_nesting", out);
}

#[test]
fn huge_file_is_refused_without_reading_it_whole() {
    let (site, before) = broken(|s| {
        s.write("content/topics/huge.md", "---\ntitle: Huge\n---\n");
        // 100 MiB, sparse: the test stays fast while the file is far over the 8 MiB limit.
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(s.path("content/topics/huge.md"))
            .expect("open");
        file.set_len(100 * 1024 * 1024).expect("grow the file");
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &["content/topics/huge.md"],
            contains: &[
                "the file is larger than the limit of 8388608 bytes",
                "max_file_bytes",
            ],
        },
    );
    insta::assert_snapshot!("huge_file", out);
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_refused() {
    use std::os::unix::fs::symlink;
    let (site, before) = broken(|s| {
        let secret = s.tmp.path().join("secret.md");
        std::fs::write(&secret, "---\ntitle: \"SECRET OUTSIDE THE ROOT\"\n---\n")
            .expect("write secret");
        symlink(&secret, s.path("content/topics/outside.md")).expect("symlink out of the root");
        symlink("loop.md", s.path("content/topics/loop.md")).expect("self loop");
        symlink("..", s.path("content/topics/up")).expect("directory loop");
        std::fs::create_dir_all(s.path("static")).expect("static dir");
        symlink("/etc/passwd", s.path("static/passwd")).expect("symlink in static");
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: false,
            files: &[
                "content/topics/loop.md",
                "content/topics/outside.md",
                "content/topics/up",
                "static/passwd",
            ],
            contains: &[
                "symbolic links are not followed",
                "symbolic links are not followed",
                "symbolic links are not followed",
                "symbolic links are not followed",
            ],
        },
    );
    assert!(!out.contains("SECRET"), "{out}");
    insta::assert_snapshot!("symlinks", out);
}

#[test]
fn template_syntax_error_names_the_template() {
    let (site, before) = broken(|s| {
        s.write("templates/entry.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ entry.title }</h1>\n{% endblock content %}\n")
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &["templates/entry.html"],
            contains: &["template error"],
        },
    );
    insta::assert_snapshot!("template_syntax_error", out);
}

#[test]
fn template_rendering_error_names_the_template() {
    let (site, before) = broken(|s| {
        s.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ no_such_variable.field }}\n{% endblock content %}\n")
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &["templates/page.html"],
            contains: &["template error while rendering page.html"],
        },
    );
    insta::assert_snapshot!("template_rendering_error", out);
}

#[test]
fn site_toml_unknown_key_exits_2() {
    let (site, before) = broken(|s| {
        s.replace(
            "site.toml",
            "theme = \"default\"\n",
            "theme = \"default\"\ntheme_colour = \"red\"\n",
        )
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 2,
            positioned: true,
            files: &["site.toml"],
            contains: &[
                "unknown field `theme_colour`",
                "remove the key or fix its spelling",
            ],
        },
    );
    insta::assert_snapshot!("site_toml_unknown_key", out);
}

#[test]
fn site_toml_missing_parties_exits_2() {
    let (site, before) = broken(|s| {
        let text = s.read("site.toml");
        let start = text.find("[[parties]]").expect("parties");
        let end = text.find("[languages.en]").expect("languages");
        s.write("site.toml", format!("{}{}", &text[..start], &text[end..]));
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 2,
            positioned: true,
            files: &["site.toml"],
            contains: &["missing field `parties`", "add the key"],
        },
    );
    insta::assert_snapshot!("site_toml_missing_parties", out);
}

#[test]
fn site_toml_one_party_exits_2() {
    let (site, before) = broken(|s| {
        s.replace(
            "site.toml",
            "[[parties]]\ncode = \"bb\"\nname = \"Borduria\"\n",
            "",
        )
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 2,
            positioned: true,
            files: &["site.toml"],
            contains: &["a bilateral site names exactly two parties, found 1"],
        },
    );
    insta::assert_snapshot!("site_toml_one_party", out);
}

#[test]
fn site_toml_bad_field_type_exits_2() {
    let (site, before) = broken(|s| {
        s.replace(
            "site.toml",
            "summary = { type = \"string\" }\nparent",
            "summary = { type = \"strin\" }\nparent",
        );
        s.replace(
            "site.toml",
            "visitor = { type = \"ref\", collection = \"officials\"",
            "visitor = { type = \"ref\", collection = \"oficials\"",
        );
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 2,
            positioned: true,
            files: &["site.toml", "site.toml"],
            contains: &[
                "unknown collection \"oficials\" in ref field",
                "did you mean \"officials\"?",
                "unknown field type \"strin\"",
                "did you mean \"string\"?",
            ],
        },
    );
    insta::assert_snapshot!("site_toml_bad_field_type", out);
}

#[test]
fn site_toml_syntax_error_exits_2() {
    let (site, before) = broken(|s| {
        s.replace(
            "site.toml",
            "title = \"Fixture Relations\"",
            "title = \"Fixture Relations",
        )
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 2,
            positioned: true,
            files: &["site.toml"],
            contains: &["site.toml:", "fix the TOML syntax"],
        },
    );
    insta::assert_snapshot!("site_toml_syntax_error", out);
}

#[test]
fn missing_site_toml_exits_2() {
    let (site, before) = broken(|s| s.remove("site.toml"));
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 2,
            positioned: false,
            files: &["site.toml"],
            contains: &["cannot read", "pass --root DIR"],
        },
    );
    insta::assert_snapshot!("missing_site_toml", out);
}

#[test]
fn bad_usage_exits_2() {
    let site = Site::valid();
    for args in [
        &["check", "--format", "xml"][..],
        &["build", "--no-such-flag"],
        &["frobnicate"],
        &[],
    ] {
        let run = common::bilat_in(&site.root, args, &[]);
        assert_eq!(run.code, 2, "bilat {args:?}:\n{}", run.stderr);
        assert!(!run.stderr.is_empty(), "bilat {args:?} says what is wrong");
    }
}

#[test]
fn denied_source_hosts_and_bare_ip_addresses() {
    let (site, before) = broken(|s| {
        s.append(
            "site.toml",
            "\n[checks]\ndenied_source_hosts = [\"mirror.example\"]\nsource_ip_hosts = \"error\"\n",
        );
        s.replace(
            VISIT,
            "url: \"https://aland.example.org/joint-2024\"",
            "url: \"https://www.copies.mirror.example/joint-2024\"",
        );
        s.replace(
            VISIT_2023,
            "url: \"https://",
            "url: \"http://192.0.2.7/copy-of-",
        );
    });
    let out = assert_rejected(
        &site,
        &before,
        &Expect {
            code: 1,
            positioned: true,
            files: &[VISIT, VISIT_2023],
            contains: &[
                "source host \"copies.mirror.example\" is denied by checks.denied_source_hosts (\"mirror.example\")",
                "source address uses a bare IP address (192.0.2.7)",
                "cite the original publisher's page instead",
            ],
        },
    );
    insta::assert_snapshot!("denied_source_hosts", out);
}
