fn main() {
    match sdcoach::cli::main() {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("sdcoach: {e:#}");
            std::process::exit(2);
        }
    }
}
