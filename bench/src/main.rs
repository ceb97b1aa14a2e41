//! `synth DIR PROFILES [SEED]`: writes a synthetic directory, for benchmarks
//! and for trying the program on a big site.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(profiles)) = (args.first(), args.get(1).and_then(|n| n.parse().ok()))
    else {
        eprintln!("usage: synth DIR PROFILES [SEED]");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let sizes = bench::Sizes::for_profiles(profiles);
    match bench::write_site(&PathBuf::from(dir), sizes, seed) {
        Ok(()) => {
            println!("wrote {} files to {dir}", sizes.files());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {dir}: {e}");
            ExitCode::FAILURE
        }
    }
}
