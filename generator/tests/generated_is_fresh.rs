//! `generated/` must be what `cargo xtask codegen` produces from `spec/` today: the same check
//! as `cargo xtask codegen --check`, so plain `cargo test` catches a stale crate.

#[test]
fn generated_crate_is_up_to_date() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/codegen.toml");
    let generated = apigen::Config::from_file(spec).unwrap().generate().unwrap();
    let report = generated.check().unwrap();
    assert!(
        report.is_up_to_date(),
        "generated/ was not up to date, run `cargo xtask codegen`:\n{}",
        report.diff()
    );
}
