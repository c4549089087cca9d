//! The server's state and message loop: open buffers go into the reference index, each change is
//! checked with what it affects and the changed diagnostics are published; requests are answered
//! from the index.

use super::{check, completion, convert, navigate};
use crate::config::{self, Config};
use crate::diagnostics::{self, Diagnostic};
use crate::refs::Index;
use crossbeam_channel::Sender;
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    FileChangeType, PrepareRenameResponse, PublishDiagnosticsParams, TextDocumentPositionParams,
    Url,
};
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::process::ExitCode;

/// The language server's state: the site's index with the open buffers in it, and what was
/// last published.
pub struct Server {
    root: PathBuf,
    sender: Sender<Message>,
    /// `None` while `site.toml` has errors (they are published on it).
    index: Option<Index>,
    /// Link diagnostics per file, from the last check that included it, but "nothing links
    /// to", which is in `orphans`.
    links: HashMap<String, Vec<Diagnostic>>,
    /// "Nothing links to" per entry file, as if no entry had errors: shown while none has (as
    /// `bilat check` does).
    orphans: HashMap<String, Vec<Diagnostic>>,
    /// Files whose last published diagnostics were not empty.
    published: HashSet<String>,
    /// Open buffers, by site-relative path.
    open: BTreeMap<String, String>,
    /// The records as stubs, for checking what an edit affects.
    stubs: check::Stubs,
}

/// The one protocol error code this server answers with: the request failed.
const REQUEST_FAILED: i32 = -32803;

impl Server {
    pub fn new(root: PathBuf, sender: Sender<Message>) -> Self {
        let mut server = Server {
            root,
            sender,
            index: None,
            links: HashMap::new(),
            orphans: HashMap::new(),
            published: HashSet::new(),
            open: BTreeMap::new(),
            stubs: check::Stubs::default(),
        };
        server.reload(None);
        server
    }

    /// Read the whole site again (at start, and after `site.toml` changed), with the open
    /// buffers in place of their files, check everything and publish.
    fn reload(&mut self, site_toml: Option<&str>) {
        let loaded = match site_toml {
            Some(text) => config::parse(text),
            None => config::load(&self.root),
        };
        let config: Config = match loaded {
            Ok(c) => c,
            Err(d) => {
                self.index = None;
                let text = match site_toml {
                    Some(text) => text.to_string(),
                    None => {
                        std::fs::read_to_string(self.root.join(config::FILE)).unwrap_or_default()
                    }
                };
                self.publish_list(config::FILE, &d, &text);
                return;
            }
        };
        self.publish_list(config::FILE, &[], "");
        let mut index = Index::with_config(&self.root, config);
        for (rel, text) in &self.open {
            if rel != config::FILE {
                index.set_text(rel, text.clone());
            }
        }
        let all: BTreeSet<String> = index.files.keys().cloned().collect();
        let (links, orphans) = check::everything(&index);
        self.links = links.into_iter().collect();
        self.orphans = orphans.into_iter().collect();
        // Made now, so the first edit does not wait for them.
        self.stubs.refresh(&index);
        // Files that are no content file at all (a bad name, a symbolic link).
        let mut strays: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        for d in &index.walk_diagnostics {
            strays.entry(d.file.clone()).or_default().push(d.clone());
        }
        self.index = Some(index);
        for rel in all {
            self.publish(&rel);
        }
        let gone: Vec<String> = self
            .published
            .iter()
            .filter(|rel| {
                !strays.contains_key(*rel)
                    && !self
                        .index
                        .as_ref()
                        .is_some_and(|i| i.files.contains_key(*rel))
            })
            .cloned()
            .collect();
        for rel in gone {
            self.publish_list(&rel, &[], "");
        }
        for (rel, list) in strays {
            self.publish_list(&rel, &list, "");
        }
    }

    /// The whole diagnostics of file `rel` now, sorted.
    fn diagnostics_of(&self, rel: &str) -> Vec<Diagnostic> {
        let Some(f) = self.index.as_ref().and_then(|i| i.files.get(rel)) else {
            return Vec::new();
        };
        let mut all = f.diagnostics.clone();
        all.extend(self.links.get(rel).into_iter().flatten().cloned());
        if !self.stubs.has_broken() {
            all.extend(self.orphans.get(rel).into_iter().flatten().cloned());
        }
        diagnostics::sort(&mut all);
        all
    }

    fn publish(&mut self, rel: &str) {
        let list = self.diagnostics_of(rel);
        if list.is_empty() && !self.published.contains(rel) {
            return;
        }
        let text = self
            .index
            .as_ref()
            .and_then(|i| i.files.get(rel))
            .map(|f| f.text.clone())
            .unwrap_or_default();
        self.publish_list(rel, &list, &text);
    }

    fn publish_list(&mut self, rel: &str, list: &[Diagnostic], text: &str) {
        if list.is_empty() && !self.published.remove(rel) {
            return;
        }
        if !list.is_empty() {
            self.published.insert(rel.to_string());
        }
        let Some(uri) = convert::uri(&self.root, rel) else {
            return;
        };
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics: list.iter().map(|d| convert::diagnostic(text, d)).collect(),
            version: None,
        };
        self.notify(note::PublishDiagnostics::METHOD, params);
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let _ = self
            .sender
            .send(Notification::new(method.to_string(), params).into());
    }

    /// File `rel` now reads `text` (`None`: it is gone): check it and what it affects.
    pub fn changed(&mut self, rel: &str, text: Option<String>) {
        if rel == config::FILE {
            let text = text.or_else(|| std::fs::read_to_string(self.root.join(rel)).ok());
            self.reload(Some(text.as_deref().unwrap_or_default()));
            return;
        }
        let Some(index) = self.index.as_mut() else {
            return;
        };
        let had_broken = self.stubs.has_broken();
        let before = match text {
            Some(text) => index.set_text(rel, text),
            None => index.remove(rel),
        };
        if before.is_none() && !index.files.contains_key(rel) {
            // Not a content file (a README, a template): nothing to check.
            return;
        }
        let affected = check::affected(index, rel, before.as_ref());
        let found = check::link_diagnostics(index, &mut self.stubs, &affected.files);
        self.stubs.refresh(index);
        let orphans = check::orphans(index, &self.stubs, &affected.orphans);
        let mut publish: BTreeSet<String> = affected.files;
        publish.extend(affected.orphans);
        for (file, list) in found {
            self.links.insert(file, list);
        }
        for (file, list) in orphans {
            if list.is_empty() {
                self.orphans.remove(&file);
            } else {
                self.orphans.insert(file, list);
            }
        }
        if had_broken != self.stubs.has_broken() {
            publish.extend(self.orphans.keys().cloned());
        }
        for file in publish {
            self.publish(&file);
        }
    }

    /// The file at `uri` read from disk (a closed buffer, or a change outside the editor).
    fn read_disk(&mut self, rel: &str) {
        if self.open.contains_key(rel) {
            return;
        }
        let text = std::fs::read(self.root.join(rel))
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        self.changed(rel, text);
    }

    /// Handle messages until the client asks to shut down.
    pub fn serve(mut self, connection: &Connection) -> std::io::Result<ExitCode> {
        // Messages already sent, read ahead so a change that a later one replaces is skipped.
        let mut queue: VecDeque<Message> = VecDeque::new();
        let mut shutting_down = false;
        loop {
            let message = match queue.pop_front() {
                Some(m) => m,
                None => match connection.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(ExitCode::SUCCESS),
                },
            };
            queue.extend(connection.receiver.try_iter());
            match message {
                Message::Request(request) if shutting_down => {
                    let response = Response::new_err(
                        request.id,
                        lsp_server::ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    );
                    let _ = self.sender.send(response.into());
                }
                Message::Request(request) if request.method == req::Shutdown::METHOD => {
                    shutting_down = true;
                    let _ = self.sender.send(Response::new_ok(request.id, ()).into());
                }
                Message::Request(request) => {
                    let response = self.request(request);
                    let _ = self.sender.send(response.into());
                }
                Message::Notification(n) if n.method == note::Exit::METHOD => {
                    return Ok(if shutting_down {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    });
                }
                Message::Notification(n) if superseded(&n, &queue) => {}
                Message::Notification(n) => self.notification(n),
                Message::Response(_) => {}
            }
        }
    }

    fn rel(&self, uri: &Url) -> Option<String> {
        convert::rel(&self.root, uri)
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(n.params)
                    && let Some(rel) = self.rel(&p.text_document.uri)
                {
                    self.open.insert(rel.clone(), p.text_document.text.clone());
                    self.changed(&rel, Some(p.text_document.text));
                }
            }
            note::DidChangeTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(n.params)
                    && let Some(rel) = self.rel(&p.text_document.uri)
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    self.open.insert(rel.clone(), change.text.clone());
                    self.changed(&rel, Some(change.text));
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(n.params)
                    && let Some(rel) = self.rel(&p.text_document.uri)
                {
                    self.open.remove(&rel);
                    self.read_disk(&rel);
                }
            }
            note::DidChangeWatchedFiles::METHOD => {
                if let Some(p) = params::<lsp_types::DidChangeWatchedFilesParams>(n.params) {
                    for change in p.changes {
                        if let Some(rel) = self.rel(&change.uri) {
                            if change.typ == FileChangeType::DELETED {
                                self.changed(&rel, None);
                            } else {
                                self.read_disk(&rel);
                            }
                        }
                    }
                }
            }
            note::DidRenameFiles::METHOD => {
                if let Some(p) = params::<lsp_types::RenameFilesParams>(n.params) {
                    for f in p.files {
                        self.moved(&f.old_uri, &f.new_uri);
                    }
                }
            }
            note::DidCreateFiles::METHOD | note::DidDeleteFiles::METHOD => {
                let uris: Vec<String> = n
                    .params
                    .get("files")
                    .and_then(|f| f.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f.get("uri")?.as_str().map(str::to_string))
                    .collect();
                for uri in uris {
                    if let Some(rel) = Url::parse(&uri).ok().and_then(|u| self.rel(&u)) {
                        self.read_disk(&rel);
                    }
                }
            }
            _ => {}
        }
    }

    /// A file moved (the client applied a rename): forget the old path, read the new one.
    fn moved(&mut self, old: &str, new: &str) {
        let (Some(old), Some(new)) = (
            Url::parse(old).ok().and_then(|u| self.rel(&u)),
            Url::parse(new).ok().and_then(|u| self.rel(&u)),
        ) else {
            return;
        };
        if let Some(text) = self.open.remove(&old) {
            self.open.insert(new.clone(), text);
        }
        self.changed(&old, None);
        match self.open.get(&new).cloned() {
            Some(text) => self.changed(&new, Some(text)),
            None => self.read_disk(&new),
        }
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match self.answer(request) {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => Response::new_err(id, REQUEST_FAILED, message),
        }
    }

    /// The file, line and character column a position request points at.
    fn at(&self, p: &TextDocumentPositionParams) -> Option<(String, usize, usize)> {
        let rel = self.rel(&p.text_document.uri)?;
        let text = &self.index.as_ref()?.files.get(&rel)?.text;
        let (line, column) = convert::position(text, p.position);
        Some((rel, line, column))
    }

    fn answer(&mut self, request: Request) -> Result<serde_json::Value, String> {
        let Some(index) = self.index.as_ref() else {
            return Ok(serde_json::Value::Null);
        };
        let value =
            match request.method.as_str() {
                req::Completion::METHOD => {
                    let p: lsp_types::CompletionParams = typed(request.params)?;
                    let list = self
                        .at(&p.text_document_position)
                        .and_then(|(rel, l, c)| completion::complete(index, &rel, l, c));
                    json(list)
                }
                req::HoverRequest::METHOD => {
                    let p: lsp_types::HoverParams = typed(request.params)?;
                    let hover = self
                        .at(&p.text_document_position_params)
                        .and_then(|(rel, l, c)| navigate::hover(index, &rel, l, c));
                    json(hover)
                }
                req::GotoDefinition::METHOD => {
                    let p: lsp_types::GotoDefinitionParams = typed(request.params)?;
                    let found = self
                        .at(&p.text_document_position_params)
                        .and_then(|(rel, l, c)| navigate::definition(index, &rel, l, c));
                    json(found)
                }
                req::References::METHOD => {
                    let p: lsp_types::ReferenceParams = typed(request.params)?;
                    let declaration = p.context.include_declaration;
                    let found = self.at(&p.text_document_position).and_then(|(rel, l, c)| {
                        navigate::references(index, &rel, l, c, declaration)
                    });
                    json(found)
                }
                req::PrepareRenameRequest::METHOD => {
                    let p: TextDocumentPositionParams = typed(request.params)?;
                    let found =
                        self.at(&p)
                            .and_then(|(rel, l, c)| navigate::prepare_rename(index, &rel, l, c))
                            .map(|(range, placeholder)| {
                                PrepareRenameResponse::RangeWithPlaceholder { range, placeholder }
                            });
                    json(found)
                }
                req::Rename::METHOD => {
                    let p: lsp_types::RenameParams = typed(request.params)?;
                    let (rel, l, c) = self
                        .at(&p.text_document_position)
                        .ok_or("no file at this position")?;
                    json(navigate::rename(index, &rel, l, c, &p.new_name)?)
                }
                req::CodeActionRequest::METHOD => {
                    let p: lsp_types::CodeActionParams = typed(request.params)?;
                    let rel = self.rel(&p.text_document.uri).unwrap_or_default();
                    let actions = index.files.get(&rel).map(|f| {
                        navigate::code_actions(
                            &p.text_document.uri,
                            f,
                            &self.diagnostics_of(&rel),
                            p.range,
                        )
                    });
                    json(actions)
                }
                _ => return Err(format!("unknown request {}", request.method)),
            };
        Ok(value)
    }
}

/// A change of a document that a later change of the same document, already received,
/// replaces with no request between them (each change carries the whole text).
fn superseded(n: &Notification, queue: &VecDeque<Message>) -> bool {
    if n.method != note::DidChangeTextDocument::METHOD {
        return false;
    }
    let uri = n.params.pointer("/textDocument/uri");
    for later in queue {
        match later {
            Message::Request(_) => return false,
            Message::Notification(l)
                if l.method == note::DidChangeTextDocument::METHOD
                    && l.params.pointer("/textDocument/uri") == uri =>
            {
                return true;
            }
            Message::Notification(l) if l.params.pointer("/textDocument/uri") == uri => {
                return false;
            }
            _ => {}
        }
    }
    false
}

fn params<P: DeserializeOwned>(value: serde_json::Value) -> Option<P> {
    serde_json::from_value(value).ok()
}

fn typed<P: DeserializeOwned>(value: serde_json::Value) -> Result<P, String> {
    serde_json::from_value(value).map_err(|e| format!("invalid parameters: {e}"))
}

fn json(value: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
