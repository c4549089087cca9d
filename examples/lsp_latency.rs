//! Edit-to-diagnostics latency of `bilat lsp` (issue 11): how long after a `didChange` the
//! server publishes the edited file's diagnostics.
//!
//! ```text
//! cargo build --release --bins --examples
//! target/release/examples/lsp_latency --bilat target/release/bilat --site . \
//!     --entry content/visits/xi-jinping-pakistan-2015.md --rounds 40
//! ```
//!
//! It starts `bilat lsp` on the site, initializes it and times the first answer (the server
//! reads and checks the whole site first). It opens the entry, then for each round sends one
//! `didChange` of the whole text that alternately breaks the entry and mends it, and times from
//! the write of the message to the `publishDiagnostics` for the entry that reflects it (errors,
//! then none). `--edit ref` (the default) mistypes its `visitor:` reference
//! (`visitor: xi-jinping` → `visitor: xi-jinpingx`), a link error; `--edit yaml` breaks its front
//! matter (`title: [`), so the entry stops and starts existing for the links of other files.
//! Prints each round, then min / median / max.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Args {
    bilat: PathBuf,
    site: PathBuf,
    entry: String,
    rounds: usize,
    /// "ref" or "yaml": what each breaking edit does.
    edit: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        bilat: PathBuf::from("target/release/bilat"),
        site: PathBuf::new(),
        entry: String::new(),
        rounds: 40,
        edit: "ref".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--bilat" => args.bilat = PathBuf::from(value()?),
            "--site" => args.site = PathBuf::from(value()?),
            "--entry" => args.entry = value()?,
            "--rounds" => args.rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?,
            "--edit" => args.edit = value()?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.site.as_os_str().is_empty() || args.entry.is_empty() {
        return Err("--site and --entry are required".into());
    }
    Ok(args)
}

/// Read framed JSON-RPC messages from the server's stdout onto a channel.
fn reader(stdout: std::process::ChildStdout) -> mpsc::Receiver<serde_json::Value> {
    let (tx, rx) = mpsc::channel();
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
                    length = n.parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let Ok(value) = serde_json::from_slice(&body) else {
                return;
            };
            if tx.send(value).is_err() {
                return;
            }
        }
    });
    rx
}

fn send(stdin: &mut impl Write, message: serde_json::Value) -> Result<(), String> {
    let body = message.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).map_err(|e| e.to_string())?;
    stdin.flush().map_err(|e| e.to_string())
}

/// Wait for the first message that `wanted` accepts.
fn wait(
    rx: &mpsc::Receiver<serde_json::Value>,
    wanted: impl Fn(&serde_json::Value) -> bool,
) -> Result<(), String> {
    let limit = Instant::now() + Duration::from_secs(120);
    loop {
        let left = limit.saturating_duration_since(Instant::now());
        let message = rx.recv_timeout(left).map_err(|_| "no answer in 120 s")?;
        if wanted(&message) {
            return Ok(());
        }
    }
}

fn run(args: &Args) -> Result<Vec<Duration>, String> {
    let site = std::fs::canonicalize(&args.site).map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(site.join(&args.entry)).map_err(|e| e.to_string())?;
    let typo = match args.edit.as_str() {
        "yaml" => text.replacen("title:", "title: [", 1),
        _ => {
            let line = text
                .lines()
                .find(|l| l.starts_with("visitor: "))
                .ok_or("the entry has no visitor: line to mistype")?;
            text.replacen(line, &format!("{line}x"), 1)
        }
    };
    let uri = format!("file://{}/{}", site.display(), args.entry);
    let mut child = Command::new(&args.bilat)
        .arg("lsp")
        .arg("--root")
        .arg(&site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("start {}: {e}", args.bilat.display()))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let rx = reader(child.stdout.take().ok_or("no stdout")?);
    let start = Instant::now();
    let root_uri = format!("file://{}", site.display());
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": root_uri, "capabilities": {}}}),
    )?;
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    )?;
    // The first request is answered once the site has been read and checked.
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}}),
    )?;
    wait(&rx, |m| m.get("id") == Some(&serde_json::json!(2)))?;
    println!(
        "start (read and check the site): {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}}),
    )?;
    // The open is checked before the first round starts.
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "id": 4, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}}),
    )?;
    wait(&rx, |m| m.get("id") == Some(&serde_json::json!(4)))?;
    let mut times = Vec::new();
    for round in 0..args.rounds {
        let broken = round % 2 == 0;
        let body = if broken { &typo } else { &text };
        let sent = Instant::now();
        send(
            &mut stdin,
            serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": round + 2}, "contentChanges": [{"text": body}]}}),
        )?;
        wait(&rx, |m| {
            m.get("method").and_then(|x| x.as_str()) == Some("textDocument/publishDiagnostics")
                && m.pointer("/params/uri") == Some(&serde_json::json!(uri))
                && m.pointer("/params/diagnostics")
                    .and_then(|d| d.as_array())
                    .is_some_and(|d| d.is_empty() != broken)
        })?;
        let took = sent.elapsed();
        println!(
            "round {round:>3} ({}): {:.2} ms",
            if broken { "typo" } else { "fix " },
            took.as_secs_f64() * 1e3
        );
        times.push(took);
    }
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
    )?;
    wait(&rx, |m| m.get("id") == Some(&serde_json::json!(3)))?;
    send(
        &mut stdin,
        serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
    )?;
    let _ = child.wait();
    Ok(times)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(mut times) if !times.is_empty() => {
            times.sort();
            let ms = |d: &Duration| d.as_secs_f64() * 1e3;
            let median = times.get(times.len() / 2).map_or(0.0, ms);
            println!(
                "didChange -> diagnostics over {} rounds: min {:.2} ms, median {median:.2} ms, max {:.2} ms",
                times.len(),
                times.first().map_or(0.0, ms),
                times.last().map_or(0.0, ms),
            );
            ExitCode::SUCCESS
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
