//! A mutation fuzzer over the whole pipeline (read, pre-parse scan, parse, lower, index, facts,
//! escape, rules, filter, render), on stable Rust and with a fixed seed, so that CI runs the
//! same bounded set of inputs every time. The `fuzz/` directory holds the same harness as a
//! cargo-fuzz (libFuzzer) target for longer, coverage-guided runs on nightly.
//!
//! Seeds are every UI fixture and the shapes that once aborted the process. Mutations flip
//! bytes, delete, duplicate and splice ranges, and repeat a short range many times, which is how
//! deep nesting arises. An input passes when the run returns: a panic is caught and reported as
//! `internal_error`, which fails this test too; a stack overflow aborts the test process.

use std::path::{Path, PathBuf};

use escape::diagnostic::{Code, Input};
use escape::pipeline::{self, Project};
use escape::render::{Files, human};
use escape::sources::{DiskSources, Overlay};

/// xorshift64*: a fixed, portable sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut dirs = vec![root.join("fixtures/ui"), root.join("fuzz/seeds")];
    while let Some(dir) = dirs.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read(&path).unwrap());
            }
        }
    }
    assert!(out.len() > 20, "the seeds are missing");
    out
}

fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        let at = rng.below(len + 1);
        let span = 1 + rng.below(16.min(len.max(1)));
        match rng.below(6) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if at + span <= len => {
                out.drain(at..at + span);
            }
            2 if at + span <= len => {
                let piece = out[at..at + span].to_vec();
                out.splice(at..at, piece);
            }
            3 if !other.is_empty() => {
                let from = rng.below(other.len());
                let piece = &other[from..(from + 1 + rng.below(64)).min(other.len())];
                out.splice(at..at, piece.iter().copied());
            }
            // Deep nesting: a short range repeated hundreds to thousands of times.
            4 if at + span <= len => {
                let piece = out[at..at + span.min(8)].to_vec();
                let times = 100 + rng.below(3000);
                let repeated: Vec<u8> = piece
                    .iter()
                    .copied()
                    .cycle()
                    .take(piece.len() * times)
                    .collect();
                out.splice(at..at, repeated);
            }
            _ => {
                let tokens: [&[u8]; 12] = [
                    b"(",
                    b")",
                    b"{",
                    b"}",
                    b"<",
                    b">",
                    b"|_| ",
                    b"&mut ",
                    b"a = ",
                    b"Box::new(",
                    b"'a: loop { break 'a ",
                    b"mod m;",
                ];
                let token = tokens[rng.below(tokens.len())];
                out.splice(at..at, token.iter().copied());
            }
        }
    }
    out
}

/// One input through the whole pipeline, as an editor would send it: a buffer over a file.
fn run_one(dir: &Path, pool: &rayon::ThreadPool, input: &[u8]) {
    let root = dir.join("lib.rs");
    let mut sources = Overlay::new(DiskSources::default());
    sources.insert(&root, String::from_utf8_lossy(input).into_owned());
    let project = Project::from_file(&root);
    let options = pipeline::Options {
        verbosity: 2,
        flows: true,
        ..Default::default()
    };
    let report = pipeline::check(&project, &options, &sources, pool).expect("no baseline");
    let internal: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Input(Input::InternalError))
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        internal.is_empty(),
        "internal error on this input:\n{}\n{internal:?}",
        String::from_utf8_lossy(input)
    );
    let mut files = Files::new(report.paths(), &report.display_base, &report.root);
    files.load_for(&report.diagnostics, &sources);
    for d in &report.diagnostics {
        human::render(&files, d, false);
    }
}

#[test]
fn mutated_inputs_never_crash_the_pipeline() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let pool = escape::worker_pool(Some(2)).unwrap();
    let seeds = seeds();
    // CI runs the fixed default; a longer campaign sets both, and a crasher it finds becomes a
    // seed in fuzz/seeds.
    let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let mut rng = Rng(number("ESCAPE_FUZZ_SEED").unwrap_or(0x5eed_0fe5_ca9e) | 1);
    let runs = number("ESCAPE_FUZZ_RUNS").unwrap_or(400);
    for _ in 0..runs {
        let input = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())];
        let mutated = mutate(&mut rng, input, other);
        // Kept where a crash leaves it, to be turned into a seed.
        std::fs::write(dir.join("last-input.rs"), &mutated).unwrap();
        run_one(&dir, &pool, &mutated);
    }
}
