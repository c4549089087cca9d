//! The `bilat` command line: parses arguments, runs the pipeline, prints diagnostics and decides
//! the exit status (0 success, 1 the site has errors, 2 bad usage or an unreadable site.toml).

use bilat::{BuildOptions, BuildReport, Config, Diagnostic, Format, Summary};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "bilat",
    version,
    about = "Build a cross-linked knowledge site from typed Markdown and YAML records"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        #[arg(long, help = ROOT_HELP)]
        root: Option<PathBuf>,
        #[arg(long, default_value = "public")]
        output: PathBuf,
        /// Replace base_url from site.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include entries marked draft: true.
        #[arg(long)]
        drafts: bool,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Check everything a build would, without writing anything.
    Check {
        #[arg(long, help = ROOT_HELP)]
        root: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        #[arg(long)]
        drafts: bool,
    },
    /// Build, serve on localhost, rebuild on change and reload open pages.
    Serve {
        #[arg(long, help = ROOT_HELP)]
        root: Option<PathBuf>,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        #[arg(long)]
        drafts: bool,
    },
    /// Write a new entry with its collection's fields scaffolded.
    New {
        collection: String,
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, help = ROOT_HELP)]
        root: Option<PathBuf>,
    },
    /// Print the JSON Schema of an entry's front matter, for editors (or the fields as Markdown).
    Schema {
        collection: Option<String>,
        /// The schema of the collection's translations (<id>.<lang>.md): its text fields only.
        #[arg(long)]
        translation: bool,
        /// json: JSON Schema; markdown: every collection's fields as tables (docs/contributing.md).
        #[arg(long, value_enum, default_value_t = SchemaFormat::Json)]
        format: SchemaFormat,
        #[arg(long, help = ROOT_HELP)]
        root: Option<PathBuf>,
    },
    /// Run the language server over stdio (for editors; see docs/editors.md).
    Lsp {
        #[arg(long, help = ROOT_HELP)]
        root: Option<PathBuf>,
    },
    /// List what links to a record: file:line:col with the field or the sentence.
    Refs {
        /// The record, as <collection>/<id>.
        target: String,
        #[arg(long, help = ROOT_HELP)]
        root: Option<PathBuf>,
    },
    /// Explain a diagnostic code (e.g. BL0501): what it means, an example and the fix.
    Explain {
        /// The code; without it, every code is listed.
        code: Option<String>,
    },
    /// Rename a record's id: its files, every reference and wikilink; the old id redirects.
    Rename {
        /// The record, as <collection>/<old-id>.
        target: String,
        /// The new id.
        new: String,
        #[arg(long, help = ROOT_HELP)]
        root: Option<PathBuf>,
    },
}

const ROOT_HELP: &str =
    "The site's folder [default: the nearest folder with a site.toml, from the current one up]";

/// `--format`: how diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

/// `bilat schema --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaFormat {
    Json,
    Markdown,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
        }
    }
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Let a closed pipe end the process quietly, as it does for other command-line tools
/// (`bilat schema | head`), instead of making `println!` panic: Rust ignores SIGPIPE by default.
fn restore_sigpipe() {
    // SAFETY: called first thing in `main`, before any thread exists; setting a signal's
    // disposition to the default has no other effect on this process.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], format: Format) {
    let color = format == Format::Human && std::io::stderr().is_terminal();
    let text = bilat::render_all(diagnostics, format, color);
    if format == Format::Human {
        let _ = std::io::stderr().write_all(text.as_bytes());
    } else {
        let _ = std::io::stdout().write_all(text.as_bytes());
    }
}

/// Print the summary of a run in `format`: the JSON summary line, or (for people) the notes,
/// where to learn more about the codes shown, and the counts after `counts_prefix`.
fn print_summary(
    summary: &Summary,
    diagnostics: &[Diagnostic],
    format: Format,
    counts_prefix: &str,
) {
    let text = bilat::render_summary(summary, format);
    match format {
        Format::Json => {
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
        Format::Github => {}
        Format::Human => {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(text.as_bytes());
            if let Some(d) = diagnostics
                .iter()
                .find(|d| d.is_error())
                .or(diagnostics.first())
            {
                let _ = writeln!(
                    err,
                    "note: `bilat explain {}` says what a code means and how to fix it",
                    d.code
                );
            }
            if !counts_prefix.is_empty() {
                let _ = writeln!(err, "{counts_prefix}: {}", summary.counts());
            }
        }
    }
}

/// Read `site.toml`, or print why it cannot be read (exit status 2).
fn load_config(root: &Path, format: Format) -> Result<Config, ExitCode> {
    bilat::load_config(root).map_err(|d| {
        print_diagnostics(&d, format);
        if format == Format::Json {
            print_summary(&Summary::new(&d, 0), &d, format, "");
        }
        ExitCode::from(2)
    })
}

/// The site's folder: `--root` when given; else the nearest folder with a `site.toml`, from the
/// current one up (as git finds its repository), written relative to the current folder (so
/// paths built on it stay short). A folder found above the current one is announced on stderr
/// (`quiet` for the language server); paths in diagnostics stay relative to the site's folder.
fn site_root(root: Option<PathBuf>, quiet: bool) -> PathBuf {
    if let Some(root) = root {
        return root;
    }
    let Ok(cwd) = std::env::current_dir() else {
        return PathBuf::from(".");
    };
    match bilat::find_site(&cwd) {
        Some(found) if found != cwd => {
            let up = cwd.ancestors().position(|a| a == found).unwrap_or(0);
            if !quiet {
                eprintln!(
                    "note: using the site in {} (site.toml found {up} folder{} up); paths below are relative to it",
                    found.display(),
                    if up == 1 { "" } else { "s" }
                );
            }
            let mut rel = PathBuf::new();
            for _ in 0..up {
                rel.push("..");
            }
            rel
        }
        _ => PathBuf::from("."),
    }
}

/// Exit status 1 when any diagnostic is an error.
fn status(diagnostics: &[Diagnostic]) -> ExitCode {
    if diagnostics.iter().any(Diagnostic::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            timings,
        } => {
            let root = site_root(root, false);
            let config = match load_config(&root, Format::Human) {
                Ok(c) => c,
                Err(code) => return Ok(code),
            };
            let output = if output.is_absolute() {
                output
            } else {
                root.join(output)
            };
            let options = BuildOptions {
                root,
                output: Some(output),
                base_url,
                drafts,
                live_reload: false,
            };
            let report = bilat::build(&config, &options)?;
            Ok(report_build(&report, timings))
        }
        Command::Check {
            root,
            format,
            drafts,
        } => {
            let format = Format::from(format);
            let root = site_root(root, false);
            let config = match load_config(&root, format) {
                Ok(c) => c,
                Err(code) => return Ok(code),
            };
            let options = BuildOptions {
                root,
                output: None,
                base_url: None,
                drafts,
                live_reload: false,
            };
            let report = bilat::build(&config, &options)?;
            Ok(report_check(&report, format))
        }
        Command::Serve {
            root,
            port,
            interface,
            drafts,
        } => Ok(bilat::serve(
            &site_root(root, false),
            &interface,
            port,
            drafts,
        )?),
        Command::New {
            collection,
            id,
            title,
            root,
        } => new_entry(root, &collection, &id, title.as_deref()),
        Command::Schema {
            collection,
            translation,
            format,
            root,
        } => schema(
            &site_root(root, false),
            collection.as_deref(),
            translation,
            format,
        ),
        Command::Lsp { root } => Ok(bilat::lsp(&site_root(root, true))?),
        Command::Refs { target, root } => Ok(bilat::refs_command(&site_root(root, false), &target)),
        Command::Rename { target, new, root } => Ok(bilat::rename_command(
            &site_root(root, false),
            &target,
            &new,
        )),
        Command::Explain { code } => Ok(explain(code.as_deref())),
    }
}

/// `bilat schema`: the JSON Schema of a collection (or of all), or the field tables as Markdown.
fn schema(
    root: &Path,
    collection: Option<&str>,
    translation: bool,
    format: SchemaFormat,
) -> anyhow::Result<ExitCode> {
    let config = match load_config(root, Format::Human) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    if format == SchemaFormat::Markdown {
        print!("{}", bilat::schema_markdown(&config));
        return Ok(ExitCode::SUCCESS);
    }
    let ids = bilat::schema_ids(root, &config);
    match bilat::schema(&config, &ids, collection, translation) {
        Ok(schema) => {
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(d) => {
            print_diagnostics(&[d], Format::Human);
            Ok(ExitCode::from(2))
        }
    }
}

/// Print a build's diagnostics and what it made; the exit status follows from them.
fn report_build(report: &BuildReport, timings: bool) -> ExitCode {
    print_diagnostics(&report.diagnostics, Format::Human);
    if timings {
        for (stage, t) in &report.timings {
            eprintln!("  {stage:<9} {:>8.1} ms", t.as_secs_f64() * 1000.0);
        }
    }
    let summary = report.summary();
    if report.has_errors() {
        print_summary(&summary, &report.diagnostics, Format::Human, "");
        eprintln!(
            "build failed: {}; the previous output was left as it was",
            summary.counts()
        );
        return ExitCode::from(1);
    }
    print_summary(&summary, &report.diagnostics, Format::Human, "");
    let changed = report.write.as_ref().map_or(String::new(), |w| {
        format!(
            "; {} written, {} unchanged, {} pages reused",
            w.written, w.kept, report.kept_pages
        )
    });
    println!(
        "built {} entries, {} pages ({} files{changed}) in {:.0} ms",
        report.entries,
        report.pages,
        report.files,
        report.elapsed.as_secs_f64() * 1000.0
    );
    ExitCode::SUCCESS
}

/// Print a check's diagnostics and, for people, a summary line.
fn report_check(report: &BuildReport, format: Format) -> ExitCode {
    print_diagnostics(&report.diagnostics, format);
    let translations = match report.translations {
        0 => String::new(),
        1 => " and 1 translation".to_string(),
        n => format!(" and {n} translations"),
    };
    let prefix = format!("checked {} entries{translations}", report.entries);
    print_summary(&report.summary(), &report.diagnostics, format, &prefix);
    status(&report.diagnostics)
}

/// `bilat new`: write the draft, or say why not (exit status 2 for bad usage, 1 for a clash).
fn new_entry(
    root: Option<PathBuf>,
    collection: &str,
    id: &str,
    title: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let root = site_root(root, false);
    let config = match load_config(&root, Format::Human) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    match bilat::new_entry(&root, &config, collection, id, title)? {
        Ok(path) => {
            println!("created {}", path.display());
            eprintln!(
                "it is a draft: fill in the fields marked TODO, then remove the line \"draft: true\" to publish it"
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(refusal) => {
            print_diagnostics(&[refusal.diagnostic], Format::Human);
            Ok(ExitCode::from(if refusal.usage { 2 } else { 1 }))
        }
    }
}

/// `bilat explain [CODE]`: what a code means, or every code; an unknown code is bad usage.
fn explain(code: Option<&str>) -> ExitCode {
    let Some(code) = code else {
        print!("{}", bilat::list_codes());
        return ExitCode::SUCCESS;
    };
    match bilat::explain_code(code) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::from(2)
        }
    }
}
