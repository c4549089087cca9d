//! `bilat serve`: build into a private folder, serve it over HTTP on localhost, rebuild when a
//! source changes, and reload open pages through a long-polled `/__livereload` endpoint.

use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn serve(_root: &Path, _interface: &str, _port: u16, _drafts: bool) -> Result<ExitCode> {
    anyhow::bail!("serve is not implemented yet")
}
