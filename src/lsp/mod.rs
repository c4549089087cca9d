//! `bilat lsp`: a Language Server Protocol server over stdio for a site's `content/` and
//! `site.toml`, on `lsp-server` (the synchronous scaffold rust-analyzer uses) and `lsp-types`.
//!
//! The server holds the reference index ([`crate::refs::Index`]) with every open buffer in
//! place of its file; `server.rs` handles the protocol's messages, `check.rs` re-checks what an
//! edit affects, `completion.rs` and `navigate.rs` answer the requests.

mod check;
pub mod completion;
pub mod convert;
pub mod navigate;
mod server;

use lsp_server::Connection;
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, FileOperationFilter, FileOperationPattern,
    FileOperationRegistrationOptions, HoverProviderCapability, OneOf, RenameOptions,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    WorkspaceFileOperationsServerCapabilities, WorkspaceServerCapabilities,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What the server can do, as told to the client.
fn capabilities() -> ServerCapabilities {
    let content_files = FileOperationRegistrationOptions {
        filters: vec![FileOperationFilter {
            scheme: Some("file".into()),
            pattern: FileOperationPattern {
                glob: "**/*.{md,yaml,yml}".into(),
                matches: None,
                options: None,
            },
        }],
    };
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                ["[", "/", "|", "@", ":", " ", "-"]
                    .map(String::from)
                    .to_vec(),
            ),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: None,
            file_operations: Some(WorkspaceFileOperationsServerCapabilities {
                did_rename: Some(content_files.clone()),
                did_create: Some(content_files.clone()),
                did_delete: Some(content_files),
                ..Default::default()
            }),
        }),
        ..ServerCapabilities::default()
    }
}

/// The site folder: the client's root when it holds a `site.toml`, else `root`.
fn site_root(params: &serde_json::Value, root: &Path) -> PathBuf {
    let from_client = params
        .get("rootUri")
        .and_then(|u| u.as_str())
        .and_then(|u| lsp_types::Url::parse(u).ok())
        .and_then(|u| u.to_file_path().ok())
        .filter(|p| p.join(crate::config::FILE).is_file());
    let root = from_client.unwrap_or_else(|| root.to_path_buf());
    std::fs::canonicalize(&root).unwrap_or(root)
}

/// Ask the client to report changes of content files and `site.toml` made outside the editor,
/// when it can be asked.
fn watch_files(connection: &Connection, params: &serde_json::Value) {
    let can = params
        .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    if !can {
        return;
    }
    let registration = serde_json::json!({"registrations": [{
        "id": "bilat-files",
        "method": "workspace/didChangeWatchedFiles",
        "registerOptions": {"watchers": [
            {"globPattern": "**/content/**/*.{md,yaml,yml}"},
            {"globPattern": "**/site.toml"},
        ]},
    }]});
    let request = lsp_server::Request::new(
        lsp_server::RequestId::from("bilat-watch".to_string()),
        "client/registerCapability".to_string(),
        registration,
    );
    let _ = connection.sender.send(request.into());
}

/// Run the server on stdin and stdout until the client says exit.
pub fn run(root: &Path) -> std::io::Result<ExitCode> {
    let (connection, io_threads) = Connection::stdio();
    let protocol = |e: lsp_server::ProtocolError| std::io::Error::other(e.to_string());
    let (id, params) = connection.initialize_start().map_err(protocol)?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": {"name": "bilat", "version": env!("CARGO_PKG_VERSION")},
    });
    connection.initialize_finish(id, result).map_err(protocol)?;
    let root = site_root(&params, root);
    watch_files(&connection, &params);
    let code = server::Server::new(root, connection.sender.clone()).serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(code)
}
