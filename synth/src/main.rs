//! `synth DIR PROFILES [SEED] [--hugo] [--photos]`: writes a synthetic
//! directory, for benchmarks and for trying the program on a big site; with
//! `--hugo`, also the config and layouts for Hugo to build the same pages
//! from it; with `--photos`, a photo for every profile.
//!
//! `synth DIR --pilot [COPIES] [SEED]`: writes the job-swap pilot instead
//! (ten councils offering ten each, departments 100, NHS trusts and police
//! forces), `COPIES` times over, to try `interchange match swaps` on.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let hugo = args.iter().any(|a| a == "--hugo");
    let pilot = args.iter().any(|a| a == "--pilot");
    let photos = args.iter().any(|a| a == "--photos");
    args.retain(|a| a != "--hugo" && a != "--pilot" && a != "--photos");
    if pilot {
        return write_pilot(&args);
    }
    let (Some(dir), Some(profiles)) = (args.first(), args.get(1).and_then(|n| n.parse().ok()))
    else {
        eprintln!("usage: synth DIR PROFILES [SEED] [--hugo] [--photos]");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let sizes = synth::Sizes::for_profiles(profiles);
    let root = PathBuf::from(dir);
    let written = synth::write_site(&root, sizes, seed).and_then(|()| {
        if photos {
            synth::add_photos(&root, profiles)?;
        }
        if hugo {
            synth::write_hugo(&root)
        } else {
            Ok(())
        }
    });
    match written {
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

fn write_pilot(args: &[String]) -> ExitCode {
    let Some(dir) = args.first() else {
        eprintln!("usage: synth DIR --pilot [COPIES] [SEED]");
        return ExitCode::from(2);
    };
    let copies = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1);
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    match synth::write_pilot(&PathBuf::from(dir), copies, seed) {
        Ok(sizes) => {
            println!(
                "wrote the pilot ({} organisations, {} swap offers) to {dir}",
                sizes.organisations, sizes.offers
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {dir}: {e}");
            ExitCode::FAILURE
        }
    }
}
