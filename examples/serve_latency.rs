//! Edit-to-page latency of `bilat serve` (issue 4): how long after an entry file is saved the
//! open page, woken by live reload, shows the edit.
//!
//! ```text
//! cargo build --release --bins --examples
//! target/release/examples/serve_latency --bilat target/release/bilat --site /dev/shm/site-10k \
//!     --entry content/visits/visit-00001.md --rounds 15
//! ```
//!
//! It starts `bilat serve` on the site, then for each round does what a browser with the entry's
//! page open does: waits on `/__livereload?since=N`, and the moment that answers, fetches the
//! page. The round's time runs from the write of the edited file (a new sentence carrying a
//! unique marker) to the moment the fetched page contains the marker. Between rounds it waits
//! for serve's full rebuild to finish, so each edit starts from a quiet server. The file is
//! restored at the end. Prints each round, then min / median / max.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Args {
    bilat: PathBuf,
    site: PathBuf,
    entry: String,
    rounds: usize,
    port: u16,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        bilat: PathBuf::from("target/release/bilat"),
        site: PathBuf::new(),
        entry: String::new(),
        rounds: 15,
        port: 18111,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--bilat" => args.bilat = PathBuf::from(value()?),
            "--site" => args.site = PathBuf::from(value()?),
            "--entry" => args.entry = value()?,
            "--rounds" => args.rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?,
            "--port" => args.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.site.as_os_str().is_empty() || args.entry.is_empty() {
        return Err("--site and --entry are required".into());
    }
    Ok(args)
}

/// A plain HTTP/1.0 GET on localhost; the body.
fn get(port: u16, path: &str) -> Result<String, String> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .map_err(|e| format!("send: {e}"))?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| format!("read: {e}"))?;
    Ok(response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default())
}

/// The page URL of `content/<collection>/<id>.md`.
fn page_url(entry: &str) -> Option<String> {
    let rest = entry.strip_prefix("content/")?;
    let (collection, file) = rest.split_once('/')?;
    let id = file.split('.').next()?;
    Some(format!("/{collection}/{id}/"))
}

/// Start serve and wait for its "serving" line; stdout lines then arrive on the channel.
fn start(args: &Args) -> Result<(Child, mpsc::Receiver<String>), String> {
    let mut child = Command::new(&args.bilat)
        .args(["serve", "--port", &args.port.to_string(), "--root"])
        .arg(&args.site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", args.bilat.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    wait_for(&rx, "serving", Duration::from_secs(300))?;
    Ok((child, rx))
}

/// Wait for a line of serve's output that starts with `prefix`; the line.
fn wait_for(rx: &mpsc::Receiver<String>, prefix: &str, limit: Duration) -> Result<String, String> {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.starts_with(prefix) => return Ok(line),
            Ok(_) => {}
            Err(_) => return Err(format!("serve printed no {prefix:?} line in time")),
        }
    }
}

fn run(args: &Args) -> Result<Vec<Duration>, String> {
    let url = page_url(&args.entry).ok_or("--entry must be content/<collection>/<id>.md")?;
    let file = args.site.join(&args.entry);
    let original =
        std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let (mut child, rx) = start(args)?;
    let mut times = Vec::new();
    let result = (|| {
        for round in 1..=args.rounds {
            let generation: u64 = get(args.port, "/__livereload")?
                .trim()
                .parse()
                .map_err(|e| format!("generation: {e}"))?;
            let port = args.port;
            let poll =
                std::thread::spawn(move || get(port, &format!("/__livereload?since={generation}")));
            // Let the long poll reach the server before the edit.
            std::thread::sleep(Duration::from_millis(200));
            let marker = format!("latencymarker{round}x{}", std::process::id());
            let edited = format!("{original}\nEdited in round {round}: {marker}.\n");
            let t0 = Instant::now();
            std::fs::write(&file, edited).map_err(|e| format!("write: {e}"))?;
            poll.join().map_err(|_| "poll thread")??;
            let page = get(args.port, &url)?;
            let elapsed = t0.elapsed();
            if !page.contains(&marker) {
                return Err(format!(
                    "round {round}: the page after the reload does not show the edit"
                ));
            }
            let mut lines = Vec::new();
            let rebuilt = loop {
                let line = wait_for(&rx, "", Duration::from_secs(300))?;
                if line.starts_with("rebuilt") {
                    break line;
                }
                lines.push(line);
            };
            println!(
                "round {round:>2}: page shows the edit after {:>6.1} ms   ({}; {rebuilt})",
                elapsed.as_secs_f64() * 1000.0,
                lines.join("; ")
            );
            times.push(elapsed);
        }
        Ok(())
    })();
    let _ = std::fs::write(&file, &original);
    let _ = child.kill();
    let _ = child.wait();
    result.map(|()| times)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("serve_latency: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(mut times) if !times.is_empty() => {
            times.sort();
            let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
            let (min, max) = (times.first(), times.last());
            let median = times.get(times.len() / 2);
            if let (Some(min), Some(median), Some(max)) = (min, median, max) {
                println!(
                    "edit to page: min {:.1} ms, median {:.1} ms, max {:.1} ms over {} rounds",
                    ms(min),
                    ms(median),
                    ms(max),
                    times.len()
                );
            }
            ExitCode::SUCCESS
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve_latency: {e}");
            ExitCode::from(1)
        }
    }
}
