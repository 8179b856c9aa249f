//! The `doisoat` command line: parse arguments and hand over to the library.
fn main() -> std::process::ExitCode {
    doisoat::cli::main()
}
