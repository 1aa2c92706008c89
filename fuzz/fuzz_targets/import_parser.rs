#![no_main]
// The property lives in src/lib.rs, shared with core/tests/fuzz_regressions.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| leap_fuzz::import_parser(data));
