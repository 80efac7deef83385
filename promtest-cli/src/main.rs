//! The `promtest` command line.

fn main() {
    eprintln!("promtest: not built yet");
    std::process::exit(2);
}
