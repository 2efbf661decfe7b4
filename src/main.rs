//! `nianbao`: with no subcommand it opens the GUI; otherwise the CLI runs.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = nianbao::cli::parse();
    if cli.command.is_none() {
        return nianbao::gui::run(cli.file);
    }
    nianbao::cli::run(cli)
}
