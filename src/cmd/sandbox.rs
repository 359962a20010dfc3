//! `paygen sandbox`: serves the specs' simulated providers on 127.0.0.1 until Ctrl-C, printing
//! base URLs, the test credentials of the specs' `sandbox` sections (public test values, shown
//! in clear so they can be copied) and every request received.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use paygen_sandbox::replay::Replay;
use paygen_sandbox::{fault, Sandbox, SandboxConfig};

/// How `paygen sandbox` runs.
pub struct Options {
    /// Port on 127.0.0.1 (0 = any free port).
    pub port: u16,
    /// Where every callback goes instead.
    pub notify: Option<String>,
    /// Id sequences start this far past the documented start.
    pub seed: u64,
    /// Cassette folder answered from first.
    pub replay: Option<PathBuf>,
    /// Fields recorded calls are matched by.
    pub replay_keys: Vec<String>,
}

/// Runs the sandbox until Ctrl-C.
pub fn run(specs: &Path, options: Options) -> ExitCode {
    let files = match spec_files(specs) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => {
            eprintln!("error: no *.yaml specs in {}", specs.display());
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(files, options))
}

fn spec_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}

async fn serve(specs: Vec<PathBuf>, options: Options) -> ExitCode {
    // never returns normally: serves until the process is interrupted
    let replay = match &options.replay {
        None => None,
        Some(dir) => match Replay::from_dir(dir, options.replay_keys.clone()) {
            Ok(r) => {
                println!(
                    "replaying {} recorded call(s) from {} before the rules",
                    r.len(),
                    dir.display()
                );
                Some(Arc::new(r))
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let config = SandboxConfig {
        specs,
        port: options.port,
        notify_override: options.notify,
        seed: options.seed,
        replay,
        ..SandboxConfig::default()
    };
    let handle = match Sandbox::start(config).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "paygen sandbox on 127.0.0.1:{} (Ctrl-C to stop)",
        handle.port()
    );
    for p in handle.providers() {
        println!("\n  {p}: {}", handle.base_url(&p));
        println!("    other hosts: {}/~<host>", handle.base_url(&p));
        for (name, value) in handle.credentials(&p) {
            println!("    credential {name} = {value}   (public test value, sandbox only)");
        }
    }
    println!("\n  faults: send header `X-Paygen-Fault: {}`", fault::KINDS);
    println!(
        "  control: http://127.0.0.1:{}/__paygen/ (requests, callbacks, clock/advance, callbacks/fire, reset)\n",
        handle.port()
    );
    let mut last = 0;
    // Ctrl-C (SIGINT) ends the process; the sandbox holds nothing that needs flushing.
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        for r in handle.requests_after(last) {
            let status = r.status.map_or("no answer".to_string(), |s| s.to_string());
            let op = r.operation.as_deref().unwrap_or("-");
            println!(
                "  #{} {} {} {} ({op}) -> {status}",
                r.seq, r.provider, r.method, r.path
            );
            last = r.seq;
        }
    }
}
