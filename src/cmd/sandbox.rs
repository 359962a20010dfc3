//! `paygen sandbox`: serves the specs' simulated providers on 127.0.0.1 until Ctrl-C, printing
//! base URLs, test credentials (secret ones masked) and every request received.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paygen_sandbox::{Sandbox, SandboxConfig};

/// Runs the sandbox until Ctrl-C.
pub fn run(specs: &Path, port: u16, notify: Option<String>) -> ExitCode {
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
    runtime.block_on(serve(files, port, notify))
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

async fn serve(specs: Vec<PathBuf>, port: u16, notify: Option<String>) -> ExitCode {
    // never returns normally: serves until the process is interrupted
    let config = SandboxConfig {
        specs: specs.clone(),
        port,
        notify_override: notify,
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
            println!(
                "    credential {name} = {}",
                shown(&specs, &p, &name, &value)
            );
        }
    }
    println!("\n  faults: send header `X-Paygen-Fault: delay=MS | timeout | reset | status=503[;retry-after=1] | malformed | bad-signature`\n");
    let mut seen = 0;
    // Ctrl-C (SIGINT) ends the process; the sandbox holds nothing that needs flushing.
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let requests = handle.requests();
        for r in requests.iter().skip(seen) {
            let status = r.status.map_or("no answer".to_string(), |s| s.to_string());
            let op = r.operation.as_deref().unwrap_or("-");
            println!(
                "  #{} {} {} {} ({op}) -> {status}",
                r.seq, r.provider, r.method, r.path
            );
        }
        seen = requests.len();
    }
}

/// Test credential values are public test data, but secret ones are masked all the same.
fn shown(specs: &[PathBuf], provider: &str, name: &str, value: &str) -> String {
    let secret = specs
        .iter()
        .filter_map(|f| paygen_codegen::check_file(f).ok())
        .find(|l| l.spec.provider == provider)
        .and_then(|l| l.spec.credentials.get(name).map(|c| c.secret))
        .unwrap_or(true);
    if secret {
        let _ = value;
        "(secret: see sandbox.credentials in the spec)".to_string()
    } else {
        value.to_string()
    }
}
