//! The `paygen` command line: generate, check, schema, sign, request (and the sandbox and demo).

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// paygen: typed, validated, signed payment-provider clients from YAML specs.
#[derive(Parser)]
#[command(name = "paygen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check specs: every problem with file:line:col, the spec path and a hint. Exit 1 on errors.
    Check {
        /// Spec files or folders (default: specs).
        paths: Vec<PathBuf>,
    },
    /// Generate client sources (one `<provider>.rs` per spec) into a folder.
    Generate {
        /// Output folder.
        #[arg(long, short, default_value = "generated-src")]
        out: PathBuf,
        /// Spec files or folders (default: specs).
        paths: Vec<PathBuf>,
    },
    /// Sign a body with a spec's recipe and print each stage (canonical string, signature).
    Sign(Box<cmd::sign::SignArgs>),
    /// Print the exact HTTP request the client would send for a body (a dry run: nothing is
    /// sent). The body is the JSON of the generated request type: wire field names, money in
    /// integer minor units. It is validated as the client validates it (exit 1 naming every bad
    /// field). Credentials not given come from the spec's sandbox test values in the `sandbox`
    /// environment. Credential values, card numbers and CVVs are masked unless --reveal.
    Request(Box<cmd::request::RequestArgs>),
    /// Print the JSON Schema of the spec language (the content of specs/schema.json).
    Schema,
    /// Serve simulated providers from the specs on 127.0.0.1 (until Ctrl-C).
    Sandbox {
        /// Spec folder or file.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Port on 127.0.0.1 (0 = any free port).
        #[arg(long, default_value_t = paygen_sandbox::DEFAULT_PORT)]
        port: u16,
        /// Send every callback here (`{provider}` is replaced by the provider id).
        #[arg(long)]
        notify: Option<String>,
        /// Id sequences start this far past the documented start: the same seed gives the same
        /// ids run after run.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Run every provider's documented flows against the in-process sandbox.
    Demo,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { paths } => cmd::check::run(&paths),
        Command::Schema => cmd::schema::run(),
        Command::Sign(args) => cmd::sign::run(&args),
        Command::Request(args) => cmd::request::run(&args),
        Command::Generate { out, paths } => cmd::generate::run(&out, &paths),
        Command::Sandbox {
            specs,
            port,
            notify,
            seed,
        } => cmd::sandbox::run(&specs, cmd::sandbox::Options { port, notify, seed }),
        Command::Demo => cmd::demo::run(),
    }
}
