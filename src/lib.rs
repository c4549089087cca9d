//! bilat: a static knowledge-site generator for bilateral relations.
//!
//! The pipeline is the architecture; each stage is a module with one entry point that takes the
//! previous stage's plain data and returns its own, plus diagnostics:
//!
//! `walk` → `parse` → `validate` → `link` → `render` → `write`, driven by `build`. `config`
//! reads `site.toml` before the pipeline starts. Foundation modules that any stage may use and
//! that use no stage: `diagnostics`, `error`, `fingerprint`, `routes`, `suggest`, `text`.
//!
//! The modules are private: what the command line (and the fuzz targets) need is re-exported
//! below, so the compiler sees every item nothing uses.

mod build;
mod commands;
mod config;
mod diagnostics;
mod error;
mod fingerprint;
mod json_schema;
mod link;
mod lsp;
mod markup;
mod parse;
mod refs;
mod rename;
mod render;
mod routes;
mod scaffold;
mod serve;
mod suggest;
mod text;
mod validate;
mod walk;
mod write;

pub use build::{BuildOptions, BuildReport, build, load_config};
pub use commands::{refs as refs_command, rename as rename_command};
pub use config::{Config, find_site};
pub use diagnostics::codes::{self, explain as explain_code, list as list_codes};
pub use diagnostics::{Code, Diagnostic, Format, Severity, Summary, render_all, render_summary};
pub use error::{Error, Result};
pub use json_schema::{ids as schema_ids, markdown as schema_markdown, schema};
pub use lsp::run as lsp;
pub use scaffold::{Refusal, new_entry};
pub use serve::serve;

/// The stages' entry points, for the fuzz targets: not a stable interface.
#[doc(hidden)]
pub mod stages {
    pub use crate::config::parse as parse_config;
    pub use crate::diagnostics::sort as sort_diagnostics;
    pub use crate::json_schema::collection_schema;
    pub use crate::link::context::scan as scan_mentions;
    pub use crate::link::link;
    pub use crate::markup::{LinkTarget, plain_text, to_html};
    pub use crate::markup::{MAX_NESTING, too_deep};
    pub use crate::parse::{Parsed, parse_text};
    pub use crate::scaffold::scaffold;
    pub use crate::text::decode;
    pub use crate::validate::validate;
    pub use crate::walk::{Format, SourceFile, SourceKind};
}
