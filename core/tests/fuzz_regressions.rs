//! Every input the fuzz targets start from (`fuzz/seeds/`) or ever crashed on
//! (`fuzz/regressions/`), replayed through the very checks the targets make (`fuzz/src/lib.rs`)
//! on stable Rust: `cargo test` keeps each crasher fixed, and keeps the targets compiling against
//! today's API even where nightly and libFuzzer are not installed.

#[path = "../../fuzz/src/lib.rs"]
mod fuzz;

use std::path::Path;

/// Feeds every kept input of `target` to `check`; returns how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut count = 0;
    for kind in ["seeds", "regressions"] {
        let Ok(dir) = std::fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        let mut files: Vec<_> = dir.map(|e| e.expect("a readable folder").path()).collect();
        files.sort();
        for file in files {
            // Printed so that a failure names the input (cargo test shows a failing test's output).
            println!("replaying {}", file.display());
            check(&std::fs::read(&file).expect("a readable input"));
            count += 1;
        }
    }
    assert!(count > 0, "no seeds for fuzz target {target}");
    count
}

#[test]
fn compile_scenario_inputs() {
    replay("compile_scenario", fuzz::compile_scenario);
    let _ = std::fs::remove_dir_all(fuzz::scratch_dir());
}

#[test]
fn stream_decoder_inputs() {
    replay("stream_decoder", fuzz::stream_decoder);
}

#[test]
fn reply_reader_inputs() {
    replay("reply_reader", fuzz::reply_reader);
}

#[test]
fn import_parser_inputs() {
    replay("import_parser", fuzz::import_parser);
}
