//! The `doisoat` command line: parse arguments and hand over to the library.

/// mimalloc instead of the system allocator: see its line in `Cargo.toml`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    doisoat::cli::main()
}
