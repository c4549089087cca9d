//! Drives the pipeline: walk → parse → validate → link → render → write, timing each stage and
//! collecting every stage's diagnostics. The caller decides the exit status from them.

use crate::config::{self, Config};
use crate::diagnostics::{self, Diagnostic, Summary};
use crate::error::Result;
use crate::link::Linked;
use crate::render::{self, Discard, Options, Sink, Templates};
use crate::{link, parse, validate, walk, write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// `None` checks without writing.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub live_reload: bool,
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub diagnostics: Vec<Diagnostic>,
    /// Content files read.
    pub files_checked: usize,
    /// Problems not reported because they follow from a reported error.
    pub suppressed: usize,
    /// Why problems were suppressed or checks skipped, one sentence each.
    pub notes: Vec<String>,
    pub entries: usize,
    pub translations: usize,
    pub pages: usize,
    pub files: usize,
    /// Entry pages kept from the previous build into the same output (nothing they show changed).
    pub kept_pages: usize,
    /// What the write stage changed in the output.
    pub write: Option<write::WriteReport>,
    /// Output files whose bytes this build changed (`serve` reloads pages only when some did).
    pub written_paths: write::WrittenPaths,
    pub timings: Vec<(&'static str, Duration)>,
    pub elapsed: Duration,
}

impl BuildReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The counts and notes of this run, as printed at the end.
    pub fn summary(&self) -> Summary {
        Summary {
            suppressed: self.suppressed,
            notes: self.notes.clone(),
            ..Summary::new(&self.diagnostics, self.files_checked)
        }
    }
}

/// Read `site.toml`; its diagnostics mean exit status 2.
pub fn load_config(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    config::load(root)
}

/// What a successful build knew, kept by `serve` to update one edited entry's pages at once.
pub struct SiteState {
    pub config: Config,
    pub linked: Linked,
    pub templates: Templates,
    pub prepared: render::Prepared,
}

/// Run every stage. Output is written only when nothing failed.
pub fn build(config: &Config, options: &BuildOptions) -> Result<BuildReport> {
    build_keeping_state(config, options).map(|(report, _)| report)
}

/// [`build`], also returning the linked site and theme when the build succeeded.
pub fn build_keeping_state(
    config: &Config,
    options: &BuildOptions,
) -> Result<(BuildReport, Option<SiteState>)> {
    let start = Instant::now();
    let mut report = BuildReport::default();
    let mut clock = Clock::start();

    let walked = walk::walk(&options.root, config);
    report.diagnostics.extend(walked.diagnostics);
    report.files_checked = walked.sources.len();
    clock.lap(&mut report, "walk");
    let parsed = parse::parse(walked.sources, &config.limits);
    clock.lap(&mut report, "parse");
    let mut catalog = validate::validate(config, parsed, options.drafts);
    report.diagnostics.append(&mut catalog.diagnostics);
    clock.lap(&mut report, "validate");
    // The page cache of the output being replaced is read while the links are checked (not
    // earlier: during parsing it would add to the build's peak memory).
    let previous = options
        .output
        .clone()
        .and_then(|o| write::cache_file(&o).ok())
        .map(|file| std::thread::spawn(move || render::PageCache::read(&file)));
    let mut linked = link::link(config, catalog);
    report.diagnostics.append(&mut linked.diagnostics);
    report.suppressed = linked.suppressed;
    report.notes = std::mem::take(&mut linked.notes);
    report.entries = linked.entries.len();
    report.translations = linked.translations.len();
    clock.lap(&mut report, "link");

    let templates = match render::templates::load(&options.root, &config.theme) {
        Ok(t) => Some(t),
        Err(d) => {
            report.diagnostics.extend(d);
            None
        }
    };
    // Pages stream into a staging folder as they are rendered; a build that has errors already
    // still renders (to report template errors) but into nothing.
    let staging = match (&options.output, report.has_errors() || templates.is_none()) {
        (Some(output), false) => Some(write::Staging::begin(output)?),
        _ => None,
    };
    let mut prepared = render::Prepared::default();
    if let Some(t) = &templates {
        let previous = match (&staging, previous) {
            (Some(_), Some(handle)) => handle.join().unwrap_or_default(),
            _ => render::PageCache::default(),
        };
        let site = Site {
            config,
            linked: &linked,
            templates: t,
            statics: &walked.statics,
        };
        prepared = render_into(&site, options, staging.as_ref(), previous, &mut report)?;
    }
    clock.lap(&mut report, "render");

    diagnostics::sort(&mut report.diagnostics);
    if let Some(staging) = staging
        && !report.has_errors()
    {
        let (written, paths) = staging.commit()?;
        report.write = Some(written);
        report.written_paths = paths;
    }
    clock.lap(&mut report, "write");
    report.elapsed = start.elapsed();
    let state = match (report.has_errors(), templates) {
        (false, Some(templates)) => Some(SiteState {
            config: config.clone(),
            linked,
            templates,
            prepared,
        }),
        _ => None,
    };
    Ok((report, state))
}

/// Times the stages one after another.
struct Clock(Instant);

impl Clock {
    fn start() -> Self {
        Clock(Instant::now())
    }

    fn lap(&mut self, report: &mut BuildReport, stage: &'static str) {
        report.timings.push((stage, self.0.elapsed()));
        self.0 = Instant::now();
    }
}

/// What render reads: the stages' results so far.
struct Site<'s> {
    config: &'s Config,
    linked: &'s Linked,
    templates: &'s Templates,
    statics: &'s [walk::StaticFile],
}

/// Render the linked site into the staging folder (or into nothing for `check` and a build
/// that already failed), adding what rendering found to the report.
fn render_into(
    site: &Site<'_>,
    options: &BuildOptions,
    staging: Option<&write::Staging>,
    previous: render::PageCache,
    report: &mut BuildReport,
) -> Result<render::Prepared> {
    let sink: &dyn Sink = match staging {
        Some(s) => s,
        None => &Discard,
    };
    let render_options = Options {
        base_url: options.base_url.clone(),
        live_reload: options.live_reload,
        check_links: !report.has_errors() && site.config.links != config::CheckLevel::Off,
    };
    let rendered = render::render(
        site.config,
        site.linked,
        site.templates,
        site.statics,
        &render_options,
        sink,
        previous,
    );
    if let Some(e) = rendered.error {
        return Err(e);
    }
    report.diagnostics.extend(rendered.diagnostics);
    report.pages = rendered.pages;
    report.kept_pages = rendered.kept_pages;
    report.files = rendered.files;
    Ok(rendered.prepared)
}
