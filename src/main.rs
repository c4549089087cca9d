//! The `bilat` command line: parses arguments, runs the pipeline, prints diagnostics and decides
//! the exit status (0 success, 1 the site has errors, 2 bad usage or an unreadable site.toml).

use bilat::build::{self, BuildOptions};
use bilat::diagnostics::{self, Diagnostic, Format};
use bilat::{json_schema, scaffold, serve};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
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
        #[arg(long, default_value = ".")]
        root: PathBuf,
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
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[arg(long)]
        drafts: bool,
    },
    /// Build, serve on localhost, rebuild on change and reload open pages.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
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
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the JSON Schema of an entry's front matter, for editors.
    Schema {
        collection: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Run the language server over stdio (for editors; see docs/editors.md).
    Lsp {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// List what links to a record: file:line:col with the field or the sentence.
    Refs {
        /// The record, as <collection>/<id>.
        target: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Rename a record's id: its files, every reference and wikilink; the old id redirects.
    Rename {
        /// The record, as <collection>/<old-id>.
        target: String,
        /// The new id.
        new: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], format: Format) {
    let color = format == Format::Human && std::io::stderr().is_terminal();
    let text = diagnostics::render_all(diagnostics, format, color);
    if format == Format::Human {
        let _ = std::io::stderr().write_all(text.as_bytes());
    } else {
        let _ = std::io::stdout().write_all(text.as_bytes());
    }
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
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
            let config = match build::load_config(&root) {
                Ok(c) => c,
                Err(d) => {
                    print_diagnostics(&d, Format::Human);
                    return Ok(ExitCode::from(2));
                }
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
            let report = build::build(&config, &options)?;
            print_diagnostics(&report.diagnostics, Format::Human);
            if timings {
                for (stage, t) in &report.timings {
                    eprintln!("  {stage:<9} {:>8.1} ms", t.as_secs_f64() * 1000.0);
                }
            }
            if report.has_errors() {
                eprintln!(
                    "build failed: {}; the previous output was left as it was",
                    summary(&report.diagnostics)
                );
                return Ok(ExitCode::from(1));
            }
            let changed = report.write.map_or(String::new(), |w| {
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
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            root,
            format,
            drafts,
        } => {
            let config = match build::load_config(&root) {
                Ok(c) => c,
                Err(d) => {
                    print_diagnostics(&d, format);
                    return Ok(ExitCode::from(2));
                }
            };
            let report = build::build(
                &config,
                &BuildOptions {
                    root,
                    output: None,
                    base_url: None,
                    drafts,
                    live_reload: false,
                },
            )?;
            print_diagnostics(&report.diagnostics, format);
            if format == Format::Human {
                let translations = match report.translations {
                    0 => String::new(),
                    1 => " and 1 translation".to_string(),
                    n => format!(" and {n} translations"),
                };
                eprintln!(
                    "checked {} entries{translations}: {}",
                    report.entries,
                    summary(&report.diagnostics)
                );
            }
            Ok(if report.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Serve {
            root,
            port,
            interface,
            drafts,
        } => serve::serve(&root, &interface, port, drafts),
        Command::New {
            collection,
            id,
            title,
            root,
        } => scaffold::new_entry(&root, &collection, &id, title.as_deref()),
        Command::Schema { collection, root } => json_schema::print(&root, collection.as_deref()),
        Command::Lsp { root } => Ok(bilat::lsp::run(&root)?),
        Command::Refs { target, root } => Ok(bilat::commands::refs(&root, &target)),
        Command::Rename { target, new, root } => Ok(bilat::commands::rename(&root, &target, &new)),
    }
}
