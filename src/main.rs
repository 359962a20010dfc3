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
    /// Check specs: every problem at once, with file:line:col, the source line, the spec path and
    /// a hint, on stderr. Exit 1 on errors.
    Check {
        /// Spec files or folders (default: specs).
        paths: Vec<PathBuf>,
        /// `human` (cargo-style, stderr) or `json` (one object per diagnostic, stdout).
        #[arg(long, value_enum, default_value = "human")]
        message_format: cmd::check::MessageFormat,
    },
    /// List every assumption the specs mark (`assumed:`), per provider: what the provider's
    /// documentation does not say and the spec infers.
    Assumptions {
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
        /// Answer from the cassettes (`<provider>.jsonl`) of this folder first, the rules for
        /// whatever no recorded call matches.
        #[arg(long, value_name = "DIR")]
        replay: Option<PathBuf>,
        /// A top-level request field that picks the recorded call (repeat for several; none:
        /// recorded order).
        #[arg(long = "replay-key", value_name = "FIELD")]
        replay_keys: Vec<String>,
    },
    /// Run every provider's documented flows against the in-process sandbox.
    Demo {
        /// Also print each step's wire exchange (request line, headers, body, status, answer),
        /// redacted: cards 6+4, CVVs and secrets removed.
        #[arg(long)]
        verbose: bool,
    },
    /// Compare recorded traffic (cassettes) with a spec: every difference, located in the spec.
    /// Exit 1 when the spec is contradicted.
    Drift {
        /// The spec the traffic should follow.
        #[arg(long)]
        spec: PathBuf,
        /// Print the spec change that would make the traffic conform (for a human to review).
        #[arg(long)]
        suggest: bool,
        /// Output form.
        #[arg(long = "message-format", value_enum, default_value = "text")]
        format: cmd::drift::Format,
        /// Cassette files (*.jsonl) or folders of them.
        #[arg(required = true)]
        cassettes: Vec<PathBuf>,
    },
    /// Record a provider's traffic through a proxy on 127.0.0.1, scrubbed at write time.
    Record {
        /// The provider's spec.
        #[arg(long)]
        spec: PathBuf,
        /// The provider's base URL (the proxy forwards every request there).
        #[arg(long)]
        upstream: String,
        /// Cassette folder (`<provider>.jsonl` is appended to).
        #[arg(long)]
        out: PathBuf,
        /// A credential, NAME=VALUE: its value is scrubbed, signatures are checked with it.
        #[arg(long = "credential", value_name = "NAME=VALUE")]
        credentials: Vec<String>,
        /// Forward notifications sent to `/__callback/...` to this URL (and record them).
        #[arg(long)]
        callbacks_to: Option<String>,
        /// Port on 127.0.0.1 (0 = any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Answer a client from cassettes on 127.0.0.1, offline.
    Replay {
        /// The provider's spec.
        #[arg(long)]
        spec: PathBuf,
        /// A top-level request field that picks the recorded call (repeat for several).
        #[arg(long = "key")]
        keys: Vec<String>,
        /// A test credential, NAME=VALUE: answers whose signature verified at record time are
        /// signed again with it (scrubbing changed their bytes).
        #[arg(long = "credential", value_name = "NAME=VALUE")]
        credentials: Vec<String>,
        /// Port on 127.0.0.1 (0 = any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Cassette files (*.jsonl).
        #[arg(required = true)]
        cassettes: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            paths,
            message_format,
        } => cmd::check::run(&paths, message_format),
        Command::Assumptions { paths } => cmd::report::run(&paths),
        Command::Schema => cmd::schema::run(),
        Command::Sign(args) => cmd::sign::run(&args),
        Command::Request(args) => cmd::request::run(&args),
        Command::Generate { out, paths } => cmd::generate::run(&out, &paths),
        Command::Sandbox {
            specs,
            port,
            notify,
            seed,
            replay,
            replay_keys,
        } => cmd::sandbox::run(
            &specs,
            cmd::sandbox::Options {
                port,
                notify,
                seed,
                replay,
                replay_keys,
            },
        ),
        Command::Demo { verbose } => cmd::demo::run(verbose),
        Command::Drift {
            spec,
            suggest,
            format,
            cassettes,
        } => cmd::drift::run(&spec, &cassettes, suggest, format),
        Command::Record {
            spec,
            upstream,
            out,
            credentials,
            callbacks_to,
            port,
        } => cmd::record::record(cmd::record::RecordArgs {
            spec,
            upstream,
            out,
            credentials,
            callbacks_to,
            port,
        }),
        Command::Replay {
            spec,
            keys,
            credentials,
            port,
            cassettes,
        } => cmd::record::replay(&spec, &cassettes, keys, &credentials, port),
    }
}
