//! `paygen record` (a recording proxy in front of a provider) and `paygen replay` (answers a
//! client from cassettes, offline): both run on 127.0.0.1 until Ctrl-C.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paygen_codegen::spec::diag::render;
use paygen_codegen::Loaded;
use paygen_record::{Recorder, RecorderConfig, ReplayConfig, Replayer};
use paygen_runtime::{Credentials, Secret};

/// What `paygen record` was asked.
#[derive(Debug)]
pub struct RecordArgs {
    /// The provider's spec.
    pub spec: PathBuf,
    /// The provider's base URL.
    pub upstream: String,
    /// Cassette folder.
    pub out: PathBuf,
    /// NAME=VALUE credentials (their values are scrubbed; signatures are checked with them).
    pub credentials: Vec<String>,
    /// Where `/__callback/...` notifications are forwarded.
    pub callbacks_to: Option<String>,
    /// Port on 127.0.0.1.
    pub port: u16,
}

fn load(spec: &Path) -> Result<Loaded, String> {
    paygen_codegen::check_file(spec).map_err(|d| render(&d))
}

fn credentials(pairs: &[String]) -> Result<Credentials, String> {
    let mut creds = Credentials::new();
    for pair in pairs {
        let (name, value) = pair.split_once('=').ok_or_else(|| {
            format!(
                "--credential `{}` must be NAME=VALUE",
                pair.split('=').next().unwrap_or("")
            )
        })?;
        creds.insert(name, Secret::new(value));
    }
    Ok(creds)
}

fn block_on(f: impl std::future::Future<Output = Result<(), String>>) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    match runtime
        .map_err(|e| e.to_string())
        .and_then(|r| r.block_on(f))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Serves until the process is interrupted (Ctrl-C ends it).
async fn until_interrupted() -> Result<(), String> {
    std::future::pending::<()>().await;
    Ok(())
}

/// Runs the recording proxy until Ctrl-C.
pub fn record(args: RecordArgs) -> ExitCode {
    block_on(async move {
        let spec = load(&args.spec)?;
        let provider = spec.spec.provider.clone();
        let config = RecorderConfig {
            spec,
            upstream: args.upstream.clone(),
            callbacks_to: args.callbacks_to,
            out: args.out.clone(),
            credentials: credentials(&args.credentials)?,
            port: args.port,
        };
        let recorder = Recorder::start(config).await?;
        println!(
            "recording {provider}: point the client at {}",
            recorder.url()
        );
        println!("  forwarding to {}", args.upstream);
        println!("  notifications: {}/__callback/...", recorder.url());
        println!(
            "  cassette: {}",
            args.out.join(format!("{provider}.jsonl")).display()
        );
        until_interrupted().await
    })
}

/// Serves recorded answers until Ctrl-C; with credentials (NAME=VALUE), answers whose
/// signature verified at record time are signed again over their scrubbed form.
pub fn replay(
    spec: &Path,
    cassettes: &[PathBuf],
    keys: Vec<String>,
    creds: &[String],
    port: u16,
) -> ExitCode {
    let creds = creds.to_vec();
    let spec = spec.to_path_buf();
    let cassettes = cassettes.to_vec();
    block_on(async move {
        let loaded = load(&spec)?;
        let mut exchanges = Vec::new();
        for c in &cassettes {
            exchanges.extend(paygen_runtime::cassette::read(c)?);
        }
        let n = exchanges.len();
        let credentials = if creds.is_empty() {
            None
        } else {
            Some(credentials(&creds)?)
        };
        let config = ReplayConfig {
            keys,
            credentials,
            port,
        };
        let replayer = Replayer::start(&loaded.spec, exchanges, config)
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        println!(
            "replaying {n} recorded exchange(s) of {}: point the client at {}",
            loaded.spec.provider,
            replayer.url()
        );
        until_interrupted().await
    })
}
