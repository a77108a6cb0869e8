//! The `iisg` command: a thin shell that hands the arguments to [`iisg::run`].

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = iisg::run(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(code)
}
