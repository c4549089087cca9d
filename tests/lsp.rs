//! `bilat lsp` driven over stdio with real JSON-RPC messages, on a copy of the bundled site:
//! diagnostics of an unsaved edit at the right range and gone after the fix, a quick fix,
//! completion of ids and wikilinks, hover, definition, references, and a rename whose workspace
//! edit, applied, leaves `bilat check` clean.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::too_many_lines
)]

mod common;

use common::Site;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

/// A copy of the bundled site whose `bilat check` is clean.
pub fn bundled_site() -> Site {
    let site = Site::copy_of(Path::new(env!("CARGO_MANIFEST_DIR")));
    // The bundled site may cite hosts it denies while its sources are being replaced; the
    // language server's checks are what is tested here, not the site's sources.
    let toml = site.read("site.toml");
    let kept: Vec<&str> = toml
        .split_inclusive('\n')
        .scan(false, |inside, line| {
            if line.starts_with("source_ip_hosts") {
                return Some("");
            }
            if line.starts_with("denied_source_hosts") {
                *inside = !line.contains(']');
                return Some("");
            }
            if *inside {
                *inside = !line.contains(']');
                return Some("");
            }
            Some(line)
        })
        .collect();
    site.write("site.toml", kept.concat());
    site
}

/// A running `bilat lsp` and the messages it sent that nobody has read yet.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    pending: Vec<Value>,
    next_id: i64,
    root: PathBuf,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bilat"))
            .args(["lsp", "--root"])
            .arg(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("bilat lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            pending: Vec::new(),
            next_id: 1,
            root: std::fs::canonicalize(root).unwrap(),
        };
        let uri = client.uri("");
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri, "capabilities": {
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
            }}),
        );
        assert!(
            result["capabilities"]["completionProvider"].is_object(),
            "{result}"
        );
        client.notify("initialized", json!({}));
        // The server asks to hear of changes made outside the editor.
        let register = client.wait_for("registerCapability", |m| {
            m["method"] == "client/registerCapability"
        });
        let watchers = &register["params"]["registrations"][0]["registerOptions"]["watchers"];
        assert!(watchers.to_string().contains("site.toml"), "{register}");
        let id = register["id"].clone();
        client.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
        client
    }

    fn uri(&self, rel: &str) -> String {
        format!("file://{}/{rel}", self.root.display())
            .trim_end_matches('/')
            .to_string()
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message that `wanted` accepts, keeping the others for later.
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&wanted) {
            return self.pending.remove(i);
        }
        let start = Instant::now();
        loop {
            let left = WAIT.checked_sub(start.elapsed()).unwrap_or_default();
            let message = self
                .incoming
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no {what} within {WAIT:?}; had {:#?}", self.pending));
            if wanted(&message) {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait_for(method, |m| m["id"] == json!(id));
        assert!(
            response["error"].is_null() || method.starts_with("workspace/symbol-or"),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The next diagnostics published for `rel` that `wanted` accepts.
    fn diagnostics(&mut self, rel: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let uri = self.uri(rel);
        let message = self.wait_for("diagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uri)
                && wanted(m["params"]["diagnostics"].as_array().unwrap())
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn position(&self, rel: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": self.uri(rel)}, "position": {"line": line, "character": character}})
    }

    fn change(&mut self, rel: &str, version: i64, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let start = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(start.elapsed() < WAIT, "bilat lsp did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// The character offset (UTF-16) in a line → byte offset.
fn byte_of(line: &str, utf16: u64) -> usize {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= utf16 as usize {
            return i;
        }
        units += c.len_utf16();
    }
    line.len()
}

/// Apply protocol text edits to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start = starts[line];
        let rest = &text[start..];
        let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
        start + byte_of(line_text, p["character"].as_u64().unwrap())
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

const VISIT: &str = "content/visits/xi-jinping-pakistan-2015.md";

#[test]
fn the_language_server_knows_the_site() {
    let site = bundled_site();
    let before = site.check(&[]);
    assert_eq!(
        before.code, 0,
        "the site should check clean:\n{}",
        before.stderr
    );
    let original = site.read(VISIT);
    let visitor_line = original
        .lines()
        .position(|l| l == "visitor: xi-jinping")
        .unwrap() as u32;
    let mut client = Client::start(&site.root);

    // A mistyped reference, unsaved: its diagnostic, at the id.
    let typo = original.replace("visitor: xi-jinping", "visitor: xi-jinpin");
    let uri = client.uri(VISIT);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": typo}}),
    );
    let found = client.diagnostics(VISIT, |d| !d.is_empty());
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("unknown official \"xi-jinpin\""),
        "{d}"
    );
    assert_eq!(
        d["range"],
        json!({"start": {"line": visitor_line, "character": 9}, "end": {"line": visitor_line, "character": 18}})
    );

    // The did-you-mean is a quick fix.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "xi-jinping", "{actions}");

    // Fixed: the diagnostic goes.
    client.change(VISIT, 2, &original);
    client.diagnostics(VISIT, |d| d.is_empty());

    // Changes sent faster than they are checked: the last one wins.
    for (n, typo) in ["xi-jinpinx", "xi-jinpiny", "xi-jinpinz"]
        .iter()
        .enumerate()
    {
        let text = original.replace("visitor: xi-jinping", &format!("visitor: {typo}"));
        client.change(VISIT, 10 + n as i64, &text);
    }
    let found = client.diagnostics(VISIT, |d| {
        d.len() == 1 && d[0]["message"].as_str().unwrap().contains("xi-jinpinz")
    });
    assert_eq!(found.len(), 1);
    client.change(VISIT, 20, &original);
    client.diagnostics(VISIT, |d| d.is_empty());

    // `visitor: xi-` completes to xi-jinping, with the record's title.
    let partial = original.replace("visitor: xi-jinping", "visitor: xi-");
    client.change(VISIT, 3, &partial);
    let list = client.request(
        "textDocument/completion",
        client.position(VISIT, visitor_line, 12),
    );
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "xi-jinping")
        .unwrap_or_else(|| panic!("no xi-jinping in {list}"));
    assert_eq!(item["textEdit"]["newText"], "xi-jinping");
    assert_eq!(item["textEdit"]["range"]["start"]["character"], 9);
    assert!(
        item["detail"].as_str().unwrap().contains("Xi Jinping"),
        "{item}"
    );

    // `[[officials/` in the body completes the officials' ids; `[[` the collections.
    let with_link = format!("{original}\nSee [[officials/\n");
    client.change(VISIT, 4, &with_link);
    let last = with_link.lines().count() as u32 - 1;
    let list = client.request("textDocument/completion", client.position(VISIT, last, 16));
    let labels: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"xi-jinping") && labels.contains(&"nawaz-sharif"),
        "{labels:?}"
    );
    let list = client.request("textDocument/completion", client.position(VISIT, last, 6));
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["label"] == "officials/"),
        "{list}"
    );
    // Enum values, field names, sources, a record's title after `|`.
    let labels = |list: &Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let kind_line = original
        .lines()
        .position(|l| l.starts_with("kind: "))
        .unwrap() as u32;
    let edited = original.replace("kind: state\n", "kind: \nparti\n");
    let edited = format!("{edited}\nSee [@ and [[officials/xi-jinping|\n");
    client.change(VISIT, 5, &edited);
    let list = client.request(
        "textDocument/completion",
        client.position(VISIT, kind_line, 6),
    );
    assert_eq!(labels(&list), ["state", "official", "working", "other"]);
    let list = client.request(
        "textDocument/completion",
        client.position(VISIT, kind_line + 1, 5),
    );
    assert_eq!(labels(&list), ["participants"]);
    let last = edited.lines().count() as u32 - 1;
    let list = client.request("textDocument/completion", client.position(VISIT, last, 6));
    let sources = original.matches("\n  - title: ").count();
    let numbers: Vec<String> = (1..=sources).map(|n| n.to_string()).collect();
    assert_eq!(labels(&list), numbers);
    assert!(
        list["items"][0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("Joint Statement")
    );
    let list = client.request("textDocument/completion", client.position(VISIT, last, 34));
    assert_eq!(labels(&list), ["Xi Jinping"]);
    client.change(VISIT, 6, &original);
    client.diagnostics(VISIT, |d| d.is_empty());

    // site.toml is checked as it is typed.
    let toml = site.read("site.toml");
    let toml_uri = client.uri("site.toml");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": toml_uri, "languageId": "toml", "version": 1, "text": format!("titel = \"x\"\n{toml}")}}),
    );
    let found = client.diagnostics("site.toml", |d| !d.is_empty());
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field"),
        "{found:?}"
    );
    assert_eq!(found[0]["range"]["start"]["line"], 0);
    client.change("site.toml", 2, &toml);
    client.diagnostics("site.toml", |d| d.is_empty());

    // Hover, definition, references on the id.
    let at = client.position(VISIT, visitor_line, 12);
    let hover = client.request("textDocument/hover", at.clone());
    let card = hover["contents"]["value"].as_str().unwrap();
    assert!(
        card.contains("Xi Jinping") && card.contains("Official"),
        "{card}"
    );
    let definition = client.request("textDocument/definition", at.clone());
    assert!(
        definition["uri"]
            .as_str()
            .unwrap()
            .ends_with("content/officials/xi-jinping.md"),
        "{definition}"
    );
    let mut params = at.clone();
    params["context"] = json!({"includeDeclaration": false});
    let references = client.request("textDocument/references", params);
    let references = references.as_array().unwrap();
    assert!(references.len() > 10, "{references:?}");
    assert!(references.iter().any(|r| r["uri"] == json!(uri)
        && r["range"]["start"] == json!({"line": visitor_line, "character": 9})));

    // Rename: the workspace edit, applied, leaves the site clean.
    let mut params = at;
    params["newName"] = json!("xi-jinping-2");
    let edit = client.request("textDocument/rename", params);
    client.stop();
    let operations = edit["documentChanges"].as_array().unwrap();
    let prefix = client_root_uri(&site.root);
    let rel_of = |uri: &str| uri.strip_prefix(&prefix).unwrap().to_string();
    for op in operations {
        if let Some(edits) = op["edits"].as_array() {
            let rel = rel_of(op["textDocument"]["uri"].as_str().unwrap());
            let text = site.read(&rel);
            site.write(&rel, apply(&text, edits));
        } else {
            assert_eq!(op["kind"], "rename", "{op}");
            let from = rel_of(op["oldUri"].as_str().unwrap());
            let to = rel_of(op["newUri"].as_str().unwrap());
            std::fs::rename(site.path(&from), site.path(&to)).unwrap();
        }
    }
    assert!(site.path("content/officials/xi-jinping-2.md").is_file());
    assert!(site.path("content/officials/xi-jinping-2.zh.md").is_file());
    assert!(
        site.read("content/officials/xi-jinping-2.md")
            .contains("aliases_ids: [xi-jinping]")
    );
    assert!(site.read(VISIT).contains("visitor: xi-jinping-2"));
    let after = site.check(&[]);
    assert_eq!(after.code, 0, "check after the rename:\n{}", after.stderr);
}

fn client_root_uri(root: &Path) -> String {
    format!("file://{}/", std::fs::canonicalize(root).unwrap().display())
}

impl Client {
    /// Every diagnostic now published, by site-relative file, as (line, first line of the
    /// message): waits until the server has handled everything sent so far.
    fn settled(&mut self, state: &mut std::collections::BTreeMap<String, Vec<(u64, String)>>) {
        self.request(
            "workspace/symbol-or-anything-answered-in-order",
            Value::Null,
        );
        let prefix = format!("{}/", self.uri(""));
        let pending = std::mem::take(&mut self.pending);
        for m in pending {
            if m["method"] != "textDocument/publishDiagnostics" {
                self.pending.push(m);
                continue;
            }
            let rel = m["params"]["uri"]
                .as_str()
                .unwrap()
                .strip_prefix(&prefix)
                .unwrap()
                .to_string();
            let list: Vec<(u64, String)> = m["params"]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    let message = d["message"].as_str().unwrap();
                    let first = message.lines().next().unwrap().to_string();
                    (d["range"]["start"]["line"].as_u64().unwrap() + 1, first)
                })
                .collect();
            if list.is_empty() {
                state.remove(&rel);
            } else {
                state.insert(rel, list);
            }
        }
    }
}

/// `bilat check --format json`, by file, as (line, message).
fn checked(site: &Site) -> std::collections::BTreeMap<String, Vec<(u64, String)>> {
    let run = site.check(&["--format", "json"]);
    let mut out: std::collections::BTreeMap<String, Vec<(u64, String)>> = Default::default();
    for d in common::parse_json_lines(&run.stdout) {
        out.entry(d.file).or_default().push((d.line, d.message));
    }
    out
}

#[test]
fn what_an_edit_affects_is_checked_as_bilat_check_would() {
    let site = Site::valid();
    let mut client = Client::start(&site.root);
    let mut state = Default::default();
    client.settled(&mut state);
    assert_eq!(state, checked(&site), "at start");

    // Each edit, unsaved in the editor, then saved: the server's diagnostics of every file
    // equal a full check of the saved site.
    let visit = "content/visits/amina-khan-borduria-2024.md";
    let topic = "content/topics/friendship.md";
    let original = site.read(visit);
    assert!(original.contains("kind: state\n") && original.contains("  - li-wei\n"));
    let orphaned = original.replace("[[visits/li-wei-aland-2023]]", "the 2023 visit");
    let topic_text = site.read(topic);
    let translation = "content/visits/amina-khan-borduria-2024.ur.md";
    let translated = site.read(translation);
    assert!(translated.contains("[@1]"));
    let edits: Vec<(&str, String)> = vec![
        // The only link to the 2023 visit goes: nothing links to it any more.
        (visit, orphaned.clone()),
        // A topic whose front matter breaks: links to it are not reported again, and nothing
        // is said of orphans while an entry has errors.
        (topic, topic_text.replace("title:", "title: [")),
        (topic, topic_text.clone()),
        // A mistyped host and a citation of a source that does not exist.
        (
            visit,
            original
                .replace("  - li-wei\n", "  - li-wie\n")
                .replace("[@2]", "[@7]"),
        ),
        (visit, original.clone()),
        // An old id that is a live id.
        (
            visit,
            original.replace(
                "kind: state\n",
                "kind: state\naliases_ids: [li-wei-aland-2023]\n",
            ),
        ),
        (visit, original.clone()),
        // A translation cites a third source, which its original gains and loses.
        (translation, translated.replace("[@1]", "[@3]")),
        (
            visit,
            original.replace(
                "    url: \"https://news.example.org/visit\"\n",
                "    url: \"https://news.example.org/visit\"\n  - title: \"Third\"\n",
            ),
        ),
        (visit, original.clone()),
        (translation, translated.clone()),
        // A new official with the id of a topic: the bare [[trade]] becomes ambiguous; then
        // the file goes again.
        (
            "content/officials/trade.md",
            "---\nname: \"Trade\"\ncountry: aa\n---\nA person.\n".to_string(),
        ),
        ("content/officials/trade.md", String::new()),
        // The topic's file goes, then comes back.
        (topic, String::new()),
        (topic, topic_text),
    ];
    let mut opened = std::collections::BTreeSet::new();
    for (step, (rel, text)) in edits.into_iter().enumerate() {
        let version = step as i64 + 1;
        let uri = client.uri(rel);
        if text.is_empty() {
            // Deleted outside the editor.
            client.notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": uri}}),
            );
            opened.remove(rel);
            site.remove(rel);
            client.notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": uri, "type": 3}]}),
            );
        } else if opened.insert(rel) {
            client.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
            );
        } else {
            client.change(rel, version, &text);
        }
        client.settled(&mut state);
        if !text.is_empty() {
            site.write(rel, &text);
        }
        let expected = checked(&site);
        assert_eq!(state, expected, "after edit {step}, of {rel}");
        if step == 0 {
            assert!(
                state.contains_key("content/visits/li-wei-aland-2023.md"),
                "{state:?}"
            );
        }
    }
    // Hover and definition on a link to a free page.
    let with_page = format!("{original}\nSee [[pages/about]].\n");
    client.change(visit, 100, &with_page);
    let line = with_page.lines().count() as u32 - 1;
    let at = client.position(visit, line, 14);
    let hover = client.request("textDocument/hover", at.clone());
    let card = hover["contents"]["value"].as_str().unwrap();
    assert!(card.contains("About this fixture"), "{card}");
    let definition = client.request("textDocument/definition", at);
    assert!(
        definition["uri"]
            .as_str()
            .unwrap()
            .ends_with("content/pages/about.md")
    );
    client.stop();
}
