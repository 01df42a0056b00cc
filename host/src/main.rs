//! The `hookyard` binary: parse the command line and run the command.

use clap::Parser;

fn main() -> std::process::ExitCode {
    hookyard::cli::Cli::parse().run()
}
