//! bilat: a static knowledge-site generator for bilateral relations.
//!
//! The pipeline is the architecture; each stage is a module with one entry point that takes the
//! previous stage's plain data and returns its own, plus diagnostics:
//!
//! [`walk`] → [`parse`] → [`validate`] → [`link`] → [`render`] → [`write`],
//! driven by [`build`]. [`config`] reads `site.toml` before the pipeline starts.

pub mod build;
pub mod config;
pub mod diagnostics;
pub mod json_schema;
pub mod link;
pub mod markup;
pub mod parse;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod suggest;
pub mod validate;
pub mod walk;
pub mod write;

// Beside the pipeline: the reference index, renames, and the editor's language server.
pub mod commands;
pub mod lsp;
pub mod refs;
pub mod rename;
