fn main() {
    match sdcoach::cli::main() {
        Ok(code) => std::process::exit(code),
        // `sdcoach library | head`: the reader left; that is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            std::process::exit(0)
        }
        Err(e) => {
            eprintln!("sdcoach: {e:#}");
            std::process::exit(2);
        }
    }
}
