//! sepadan embedded in an HTTP JSON service, with a demo page for job seekers and BLK officers.
//!
//! ```text
//! cargo run --release --example service --features example-service            # port 8080
//! cargo run --release --example service --features example-service -- --port 3000
//! SEPADAN_PORT=3000 cargo run --release --example service --features example-service
//! cargo run --release --example service --features example-service -- --synthetic 100000
//! ```
//! Then open <http://127.0.0.1:8080/>. The service loads the default taxonomy and the sample
//! market (`--synthetic N` adds N seeded postings, for load tests), listens on 127.0.0.1 only,
//! and shuts down gracefully on Ctrl-C or SIGTERM (requests in flight are finished). The
//! endpoints, with request and response JSON, are in `docs/SERVICE.md`.
//!
//! Layout, and why:
//! - axum, tokio and arc-swap are optional dependencies behind the crate feature
//!   `example-service`, not dev-dependencies: dev-dependencies compile for every `cargo test`,
//!   and an HTTP stack would slow the main suite on 2-core CI for code the library never uses.
//!   The library's users see none of them unless they turn the feature on.
//! - The server is `examples/service/server.rs`, and this file only reads the flags and starts
//!   it, so `tests/service.rs` includes the same file with `#[path]` and drives the real router
//!   in-process on a free port (no second build of the binary, no process to reap).
//! - The page is plain HTML, CSS and JavaScript in `examples/service/`, embedded with
//!   `include_str!`: one binary, no build step, no files to find at run time.
//! - How readers avoid waiting on writers is explained at the top of `server.rs`.

#[path = "service/server.rs"]
mod server;

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

struct Config {
    port: u16,
    synthetic: usize,
}

fn usage() -> String {
    "usage: service [--port PORT] [--synthetic POSTINGS]  (SEPADAN_PORT also sets the port)".to_string()
}

fn parse_args() -> Result<Config, String> {
    let mut port: u16 = match std::env::var("SEPADAN_PORT") {
        Ok(v) => v.parse().map_err(|_| format!("SEPADAN_PORT must be a port number, not {v:?}"))?,
        Err(_) => 8080,
    };
    let mut synthetic = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value\n{}", usage()));
        match arg.as_str() {
            "--port" => {
                let v = value("--port")?;
                port = v.parse().map_err(|_| format!("--port must be a port number, not {v:?}"))?;
            }
            "--synthetic" => {
                let v = value("--synthetic")?;
                synthetic = v.parse().map_err(|_| format!("--synthetic must be a number, not {v:?}"))?;
            }
            "-h" | "--help" => return Err(usage()),
            other => return Err(format!("unknown argument {other:?}\n{}", usage())),
        }
    }
    Ok(Config { port, synthetic })
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    eprintln!("service: shutting down, finishing requests in flight");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = match parse_args() {
        Ok(c) => c,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let base = server::Base::load(config.synthetic)?;
    let shared = server::Shared::new(base)?;
    let engine = shared.snapshot.load();
    eprintln!(
        "service: {} postings, {} courses, {} catalogue records, ready in {:.1?}",
        engine.matcher.postings().len(),
        engine.planner.courses().len(),
        shared.catalog.len(),
        started.elapsed()
    );
    drop(engine);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
        let listener = tokio::net::TcpListener::bind(addr).await?;
        eprintln!("service: listening on http://{}/", listener.local_addr()?);
        server::serve(shared, listener, shutdown_signal()).await
    })?;
    eprintln!("service: stopped");
    Ok(())
}
