fn main() -> std::process::ExitCode {
    escape::cli::main()
}
