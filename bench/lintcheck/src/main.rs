//! lintcheck: cargo escape on real code, every warning judged.
//!
//! Runs the release binary over a corpus of popular crates (`crates.txt`, fetched through
//! cargo), on default targets and on `--all-targets`, and diffs the warnings against the
//! committed triage file `triage.tsv`, where a maintainer's verdict on each one lives. It
//! writes a markdown report (untriaged findings first) and the README's precision figures.
//!
//!     cargo lintcheck                  # run, write the report and the README figures
//!     cargo lintcheck --check          # CI: fail on untriaged warnings, `wrong` ones still
//!                                      # warned, or stale README figures
//!     cargo lintcheck --add-untriaged  # also append a `?` row for each untriaged warning
//!
//! See `README.md` beside this file for the triage rules.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: cargo lintcheck [--check] [--add-untriaged] [--corpus DIR] [--bin PATH] [--report PATH]

  --check          fail (exit 1) on an untriaged warning, a warning triaged `wrong`, or README
                   figures that are not this run's; write nothing
  --add-untriaged  append a row with verdict `?` to triage.tsv for each untriaged warning
  --corpus DIR     where the corpus lives [default: $CORPUS, else ~/.cache/escape-corpus]
  --bin PATH       the cargo-escape binary to run [default: build it in release]
  --report PATH    where the report goes [default: target/lintcheck/report.md]";

const FIGURES_BEGIN: &str = "<!-- lintcheck figures: begin -->";
const FIGURES_END: &str = "<!-- lintcheck figures: end -->";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("lintcheck: error: {message}");
            ExitCode::from(2)
        }
    }
}

struct Options {
    check: bool,
    add_untriaged: bool,
    corpus: PathBuf,
    bin: Option<PathBuf>,
    report: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        check: false,
        add_untriaged: false,
        corpus: default_corpus(),
        bin: None,
        report: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--check" => options.check = true,
            "--add-untriaged" => options.add_untriaged = true,
            "--corpus" => options.corpus = value("--corpus")?,
            "--bin" => options.bin = Some(value("--bin")?),
            "--report" => options.report = Some(value("--report")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if options.check && options.add_untriaged {
        return Err("--check writes nothing; drop --add-untriaged".to_string());
    }
    Ok(options)
}

fn default_corpus() -> PathBuf {
    if let Some(dir) = std::env::var_os("CORPUS") {
        return PathBuf::from(dir);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache.join("escape-corpus")
}

/// The repository: two levels above this crate.
fn repo() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    repo.canonicalize().unwrap_or(repo)
}

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run() -> Result<ExitCode, String> {
    let options = options()?;
    let crates = read_crate_list(&here().join("crates.txt"))?;
    let corpus = corpus::ensure(&options.corpus, &crates)?;
    let bin = match &options.bin {
        Some(bin) => bin.clone(),
        None => build()?,
    };

    let mut findings: BTreeMap<Key, Vec<Finding>> = BTreeMap::new();
    for target in [Targets::Default, Targets::All] {
        for finding in escape(&bin, &corpus, target)? {
            let at = findings.entry(finding.key()).or_default();
            match at.iter_mut().find(|f| f.same_place(&finding)) {
                Some(seen) => seen.targets.insert(target),
                None => {
                    let mut finding = finding;
                    finding.targets.insert(target);
                    at.push(finding);
                    true
                }
            };
        }
    }

    let triage_path = here().join("triage.tsv");
    let mut triage = Triage::read(&triage_path)?;
    let judged = Judged::new(&findings, &triage);

    let report = report(&corpus, &findings, &triage, &judged);
    let figures = figures(&findings, &triage);
    let readme_path = repo().join("README.md");
    let readme = std::fs::read_to_string(&readme_path)
        .map_err(|e| format!("cannot read {}: {e}", readme_path.display()))?;
    let new_readme = with_figures(&readme, &figures)?;

    print!("{}", judged.summary());
    if options.check {
        let mut failed = false;
        if !judged.untriaged.is_empty() {
            eprintln!(
                "lintcheck: {} warning(s) with no triage row: run `cargo lintcheck` and judge each in bench/lintcheck/triage.tsv",
                judged.untriaged.len()
            );
            for key in &judged.untriaged {
                eprintln!("  {}", key.tsv());
            }
            failed = true;
        }
        if !judged.wrong.is_empty() {
            eprintln!(
                "lintcheck: {} warning(s) triaged `wrong` are still warnings:",
                judged.wrong.len()
            );
            for key in &judged.wrong {
                eprintln!("  {}", key.tsv());
            }
            failed = true;
        }
        if new_readme != readme {
            eprintln!(
                "lintcheck: the README's precision figures are not this run's: run `cargo lintcheck` and commit README.md"
            );
            failed = true;
        }
        if failed {
            return Ok(ExitCode::from(1));
        }
        println!("lintcheck: every warning is triaged, none `wrong`, and the README is current");
        return Ok(ExitCode::SUCCESS);
    }

    let report_path = options
        .report
        .clone()
        .unwrap_or_else(|| repo().join("target/lintcheck/report.md"));
    if let Some(dir) = report_path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&report_path, report)
        .map_err(|e| format!("cannot write {}: {e}", report_path.display()))?;
    if new_readme != readme {
        std::fs::write(&readme_path, new_readme)
            .map_err(|e| format!("cannot write {}: {e}", readme_path.display()))?;
        println!("lintcheck: updated the precision figures in README.md");
    }
    if options.add_untriaged && !judged.untriaged.is_empty() {
        for key in &judged.untriaged {
            triage.rows.push(Row {
                key: key.clone(),
                verdict: Verdict::Untriaged,
                reason: String::new(),
            });
        }
        triage.write(&triage_path)?;
        println!(
            "lintcheck: appended {} `?` row(s) to {}",
            judged.untriaged.len(),
            triage_path.display()
        );
    }
    println!("lintcheck: report in {}", report_path.display());
    Ok(ExitCode::SUCCESS)
}

fn read_crate_list(path: &Path) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some(name), Some(version), None) => out.push((name.to_string(), version.to_string())),
            _ => {
                return Err(format!(
                    "{}:{}: expected `name version`",
                    path.display(),
                    n + 1
                ));
            }
        }
    }
    Ok(out)
}

/// Builds the release binary, as a user installs it.
fn build() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let repo = repo();
    let status = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "--locked",
            "--quiet",
            "--bin",
            "cargo-escape",
        ])
        .arg("--manifest-path")
        .arg(repo.join("Cargo.toml"))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building cargo-escape failed".to_string());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target"));
    Ok(target
        .join("release")
        .join(format!("cargo-escape{}", std::env::consts::EXE_SUFFIX)))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Targets {
    Default,
    All,
}

/// What identifies a finding in the triage: its rule, file and enclosing item, never a line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    rule: String,
    path: String,
    item: String,
}

impl Key {
    fn tsv(&self) -> String {
        format!("{}\t{}\t{}", self.rule, self.path, self.item)
    }
}

#[derive(Clone, Debug)]
struct Finding {
    rule: String,
    level: String,
    path: String,
    item: String,
    line: usize,
    column: usize,
    message: String,
    targets: BTreeSet<Targets>,
}

impl Finding {
    fn key(&self) -> Key {
        Key {
            rule: self.rule.clone(),
            path: self.path.clone(),
            item: self.item.clone(),
        }
    }

    fn same_place(&self, other: &Finding) -> bool {
        (self.line, self.column, &self.message) == (other.line, other.column, &other.message)
    }

    /// Warnings and errors: what a default run shows, and a gate fails on.
    fn is_warning(&self) -> bool {
        self.level == "warning" || self.level == "error"
    }
}

/// Runs cargo escape over the corpus and reads its SARIF log.
fn escape(bin: &Path, corpus: &Path, targets: Targets) -> Result<Vec<Finding>, String> {
    let mut command = Command::new(bin);
    command
        .args(["escape", "--workspace", "--message-format", "sarif"])
        .arg("--manifest-path")
        .arg(corpus.join("Cargo.toml"))
        .current_dir(corpus)
        .env_remove("CARGO_TERM_COLOR");
    if targets == Targets::All {
        command.arg("--all-targets");
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    // 0: clean, 1: something at error level (a missing module in a published crate, say).
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!(
            "cargo escape failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let log: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo escape wrote no SARIF log: {e}"))?;
    let results = log["runs"][0]["results"]
        .as_array()
        .ok_or("the SARIF log has no results")?;
    let mut out = Vec::new();
    for result in results {
        let location = &result["locations"][0];
        let physical = &location["physicalLocation"];
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let number = |v: &serde_json::Value| v.as_u64().unwrap_or(0) as usize;
        let message = text(&result["message"]["text"]);
        out.push(Finding {
            rule: text(&result["ruleId"])
                .trim_start_matches("escape::")
                .to_string(),
            level: text(&result["level"]),
            path: percent_decode(&text(&physical["artifactLocation"]["uri"])),
            item: text(&location["logicalLocations"][0]["fullyQualifiedName"]),
            line: number(&physical["region"]["startLine"]),
            column: number(&physical["region"]["startColumn"]),
            message: message.lines().next().unwrap_or_default().to_string(),
            targets: BTreeSet::new(),
        });
    }
    Ok(out)
}

fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = uri.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Certainly true, and worth acting on in the crate's own code.
    Right,
    /// The claim is false.
    Wrong,
    /// True, but nothing its maintainer would act on: forced by an API, deliberate, once per
    /// process.
    Noise,
    /// A row awaiting its verdict (`?`).
    Untriaged,
}

impl Verdict {
    fn parse(text: &str) -> Option<Verdict> {
        Some(match text {
            "right" => Verdict::Right,
            "wrong" => Verdict::Wrong,
            "noise" => Verdict::Noise,
            "?" => Verdict::Untriaged,
            _ => return None,
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            Verdict::Right => "right",
            Verdict::Wrong => "wrong",
            Verdict::Noise => "noise",
            Verdict::Untriaged => "?",
        }
    }
}

struct Row {
    key: Key,
    verdict: Verdict,
    reason: String,
}

/// `triage.tsv`: comment lines (`#`) first, then a header, then one row per key.
struct Triage {
    preamble: Vec<String>,
    rows: Vec<Row>,
}

const HEADER: &str = "rule\tpath\titem\tverdict\treason";

impl Triage {
    fn read(path: &Path) -> Result<Triage, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut triage = Triage {
            preamble: Vec::new(),
            rows: Vec::new(),
        };
        let mut keys = BTreeSet::new();
        for (n, line) in text.lines().enumerate() {
            let at = || format!("{}:{}", path.display(), n + 1);
            if line.starts_with('#') || (triage.rows.is_empty() && line.trim().is_empty()) {
                triage.preamble.push(line.to_string());
                continue;
            }
            if line == HEADER {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let [rule, path, item, verdict, reason] = fields[..] else {
                return Err(format!(
                    "{}: expected 5 tab-separated fields ({HEADER}), found {}",
                    at(),
                    fields.len()
                ));
            };
            let verdict = Verdict::parse(verdict).ok_or_else(|| {
                format!(
                    "{}: the verdict `{verdict}` is none of right, wrong, noise or ?",
                    at()
                )
            })?;
            if verdict != Verdict::Untriaged && reason.trim().is_empty() {
                return Err(format!("{}: a verdict needs its one-line reason", at()));
            }
            let key = Key {
                rule: rule.to_string(),
                path: path.to_string(),
                item: item.to_string(),
            };
            if !keys.insert(key.clone()) {
                return Err(format!("{}: a second row for {}", at(), key.tsv()));
            }
            triage.rows.push(Row {
                key,
                verdict,
                reason: reason.to_string(),
            });
        }
        Ok(triage)
    }

    fn get(&self, key: &Key) -> Option<&Row> {
        self.rows.iter().find(|r| &r.key == key)
    }

    fn write(&mut self, path: &Path) -> Result<(), String> {
        self.rows.sort_by(|a, b| a.key.cmp(&b.key));
        let mut text = String::new();
        for line in &self.preamble {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(HEADER);
        text.push('\n');
        for row in &self.rows {
            let _ = writeln!(
                text,
                "{}\t{}\t{}",
                row.key.tsv(),
                row.verdict.as_str(),
                row.reason
            );
        }
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

/// The warnings of this run against the triage.
struct Judged {
    /// Warned, with no row or a `?` row.
    untriaged: Vec<Key>,
    /// Warned, and triaged `wrong`.
    wrong: Vec<Key>,
    /// Rows whose key no warning has now.
    gone: Vec<Key>,
    warnings: usize,
}

impl Judged {
    fn new(findings: &BTreeMap<Key, Vec<Finding>>, triage: &Triage) -> Judged {
        let mut judged = Judged {
            untriaged: Vec::new(),
            wrong: Vec::new(),
            gone: Vec::new(),
            warnings: 0,
        };
        for (key, found) in findings {
            let warned = found.iter().filter(|f| f.is_warning()).count();
            if warned == 0 {
                continue;
            }
            judged.warnings += warned;
            match triage.get(key).map(|r| r.verdict) {
                None | Some(Verdict::Untriaged) => judged.untriaged.push(key.clone()),
                Some(Verdict::Wrong) => judged.wrong.push(key.clone()),
                Some(_) => {}
            }
        }
        for row in &triage.rows {
            let warned = findings
                .get(&row.key)
                .is_some_and(|found| found.iter().any(Finding::is_warning));
            if !warned {
                judged.gone.push(row.key.clone());
            }
        }
        judged
    }

    fn summary(&self) -> String {
        format!(
            "lintcheck: {} warning(s); {} untriaged, {} triaged wrong, {} triage row(s) with no warning now\n",
            self.warnings,
            self.untriaged.len(),
            self.wrong.len(),
            self.gone.len()
        )
    }
}

/// Per rule, on each target selection: warnings, and how many are triaged right.
fn figures(findings: &BTreeMap<Key, Vec<Finding>>, triage: &Triage) -> String {
    #[derive(Default)]
    struct Count {
        warnings: [usize; 2],
        right: [usize; 2],
    }
    let mut rules: BTreeMap<&str, Count> = BTreeMap::new();
    for (key, found) in findings {
        let right = triage.get(key).is_some_and(|r| r.verdict == Verdict::Right);
        for f in found.iter().filter(|f| f.is_warning()) {
            let count = rules.entry(&key.rule).or_default();
            for (i, t) in [Targets::Default, Targets::All].into_iter().enumerate() {
                if f.targets.contains(&t) {
                    count.warnings[i] += 1;
                    count.right[i] += usize::from(right);
                }
            }
        }
    }
    let share = |right: usize, warnings: usize| {
        if warnings == 0 {
            "–".to_string()
        } else {
            format!("{right} ({:.0}%)", 100.0 * right as f64 / warnings as f64)
        }
    };
    let mut text = String::from(
        "| rule | warnings, default targets | right | warnings, `--all-targets` | right |\n| --- | ---: | ---: | ---: | ---: |\n",
    );
    let mut total = Count::default();
    for (rule, count) in &rules {
        let _ = writeln!(
            text,
            "| `{rule}` | {} | {} | {} | {} |",
            count.warnings[0],
            share(count.right[0], count.warnings[0]),
            count.warnings[1],
            share(count.right[1], count.warnings[1]),
        );
        for i in 0..2 {
            total.warnings[i] += count.warnings[i];
            total.right[i] += count.right[i];
        }
    }
    let _ = writeln!(
        text,
        "| all | {} | {} | {} | {} |",
        total.warnings[0],
        share(total.right[0], total.warnings[0]),
        total.warnings[1],
        share(total.right[1], total.warnings[1]),
    );
    text
}

/// The README with its figures between the markers replaced.
fn with_figures(readme: &str, figures: &str) -> Result<String, String> {
    let (Some(begin), Some(end)) = (readme.find(FIGURES_BEGIN), readme.find(FIGURES_END)) else {
        return Err(format!(
            "README.md has no `{FIGURES_BEGIN}` … `{FIGURES_END}` markers for the figures"
        ));
    };
    let inner = begin + FIGURES_BEGIN.len();
    Ok(format!(
        "{}\n{}{}",
        &readme[..inner],
        figures,
        &readme[end..]
    ))
}

fn report(
    corpus: &Path,
    findings: &BTreeMap<Key, Vec<Finding>>,
    triage: &Triage,
    judged: &Judged,
) -> String {
    let mut out = String::from("# lintcheck report\n\n");
    let _ = writeln!(
        out,
        "cargo escape on the corpus at `{}`, default targets and `--all-targets`.\n",
        corpus.display()
    );
    out.push_str(&judged.summary());
    out.push('\n');
    out.push_str(&figures(findings, triage));

    let section = |out: &mut String, title: &str, keys: &[Key]| {
        let _ = writeln!(out, "\n## {title} ({})\n", keys.len());
        if keys.is_empty() {
            out.push_str("None.\n");
        }
        for key in keys {
            for f in findings.get(key).into_iter().flatten() {
                finding(out, corpus, f, triage.get(key));
            }
            if !findings.contains_key(key) {
                let _ = writeln!(out, "- `{}`", key.tsv());
            }
        }
    };
    section(&mut out, "Untriaged warnings", &judged.untriaged);
    section(&mut out, "Warnings triaged wrong", &judged.wrong);
    let _ = writeln!(
        out,
        "\n## Triage rows with no warning now ({})\n",
        judged.gone.len()
    );
    for key in &judged.gone {
        let row = triage.get(key).expect("gone keys are rows");
        let now = match findings.get(key) {
            Some(found) => format!("now a {}", found[0].level),
            None => "not reported".to_string(),
        };
        let _ = writeln!(
            out,
            "- `{}`: was {} ({}); {now}",
            key.tsv(),
            row.verdict.as_str(),
            row.reason
        );
    }

    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for found in findings.values() {
        for f in found {
            by_rule.entry(&f.rule).or_default().push(f);
        }
    }
    out.push_str("\n# Every finding, by rule\n");
    for (rule, found) in by_rule {
        let warned = found.iter().filter(|f| f.is_warning()).count();
        let _ = writeln!(
            out,
            "\n## `{rule}`: {warned} warning(s), {} note(s)\n",
            found.len() - warned
        );
        for f in found {
            finding(&mut out, corpus, f, triage.get(&f.key()));
        }
    }
    out
}

fn finding(out: &mut String, corpus: &Path, f: &Finding, row: Option<&Row>) {
    let targets = if f.targets.contains(&Targets::Default) {
        "default targets"
    } else {
        "`--all-targets` only"
    };
    let verdict = match row {
        Some(row) if row.verdict != Verdict::Untriaged => {
            format!("**{}**: {}", row.verdict.as_str(), row.reason)
        }
        _ => "**untriaged**".to_string(),
    };
    let _ = writeln!(
        out,
        "### `{}:{}:{}` {} `{}`\n\n{}: {}\n\nin `{}`, {targets}; {verdict}\n",
        f.path, f.line, f.column, f.level, f.rule, f.level, f.message, f.item
    );
    if let Ok(text) = std::fs::read_to_string(corpus.join(&f.path)) {
        let lines: Vec<&str> = text.lines().collect();
        let first = f.line.saturating_sub(3).max(1);
        let last = (f.line + 2).min(lines.len());
        out.push_str("```rust\n");
        for n in first..=last {
            let mark = if n == f.line { '>' } else { ' ' };
            let _ = writeln!(out, "{mark}{n:5} | {}", lines[n - 1]);
        }
        out.push_str("```\n\n");
    }
}

/// The corpus: each pinned crate's published source, in one virtual cargo workspace.
mod corpus {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// A crate copied whole; the shared `bench/corpus.sh` writes the same marker.
    const COMPLETE: &str = ".corpus-complete";

    /// Fetches what is missing into `corpus/crates`, removes what is not pinned, and returns
    /// that directory.
    pub fn ensure(corpus: &Path, crates: &[(String, String)]) -> Result<PathBuf, String> {
        let dir = corpus.join("crates");
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let missing: Vec<&(String, String)> = crates
            .iter()
            .filter(|(n, v)| !dir.join(format!("{n}-{v}")).join(COMPLETE).exists())
            .collect();
        if !missing.is_empty() {
            eprintln!(
                "lintcheck: fetching {} crate(s) into {}",
                missing.len(),
                dir.display()
            );
            fetch(corpus, crates)?;
            for (name, version) in missing {
                copy_crate(name, version, &dir)?;
            }
        }
        let wanted: Vec<String> = crates.iter().map(|(n, v)| format!("{n}-{v}")).collect();
        for entry in std::fs::read_dir(&dir).map_err(|e| e.to_string())? {
            let entry = entry.map_err(|e| e.to_string())?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() && name != "target" && !wanted.contains(&name) {
                eprintln!("lintcheck: removing {name}, which crates.txt no longer pins");
                std::fs::remove_dir_all(entry.path()).map_err(|e| e.to_string())?;
            }
        }
        // One virtual workspace over the copies; each registry dependency on a member is
        // patched to the copy, so that the members form one graph.
        let mut manifest = String::from(
            "# Written by lintcheck: every subdirectory is a published crate.\n[workspace]\nmembers = [\"*\"]\nresolver = \"2\"\n\n[patch.crates-io]\n",
        );
        for (name, version) in crates {
            manifest.push_str(&format!("{name} = {{ path = \"{name}-{version}\" }}\n"));
        }
        let path = dir.join("Cargo.toml");
        if std::fs::read_to_string(&path).ok().as_deref() != Some(&manifest) {
            std::fs::write(&path, manifest)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(dir)
    }

    fn cargo_home() -> PathBuf {
        std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .unwrap_or_else(|| PathBuf::from(".cargo"))
    }

    /// `cargo fetch` in a throwaway project that depends on every pinned crate, exactly.
    fn fetch(corpus: &Path, crates: &[(String, String)]) -> Result<(), String> {
        let project = corpus.join("lintcheck-fetcher");
        std::fs::create_dir_all(project.join("src")).map_err(|e| e.to_string())?;
        std::fs::write(project.join("src/lib.rs"), "").map_err(|e| e.to_string())?;
        let mut manifest = String::from(
            "[package]\nname = \"lintcheck-fetcher\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\n",
        );
        for (name, version) in crates {
            manifest.push_str(&format!("{name} = \"={version}\"\n"));
        }
        std::fs::write(project.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["fetch", "--quiet"])
            .current_dir(&project)
            .status()
            .map_err(|e| format!("cannot run cargo fetch: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err("cargo fetch of the corpus failed".to_string())
        }
    }

    /// Copies `name-version` from cargo's registry: its unpacked source, or else its archive.
    fn copy_crate(name: &str, version: &str, dir: &Path) -> Result<(), String> {
        let full = format!("{name}-{version}");
        let dest = dir.join(&full);
        let staging = dir.join(format!("{full}.tmp"));
        let _ = std::fs::remove_dir_all(&dest);
        let _ = std::fs::remove_dir_all(&staging);
        let registry = cargo_home().join("registry");
        let find = |kind: &str, file: &str| -> Option<PathBuf> {
            let mut found: Vec<PathBuf> = std::fs::read_dir(registry.join(kind))
                .ok()?
                .filter_map(|e| e.ok())
                .map(|e| e.path().join(file))
                .filter(|p| p.exists())
                .collect();
            found.sort();
            found.into_iter().next()
        };
        if let Some(src) = find("src", &full).filter(|s| s.join("Cargo.toml").is_file()) {
            copy_dir(&src, &staging)?;
        } else if let Some(archive) = find("cache", &format!("{full}.crate")) {
            let unpack = dir.join(format!("{full}.unpack"));
            let _ = std::fs::remove_dir_all(&unpack);
            std::fs::create_dir_all(&unpack).map_err(|e| e.to_string())?;
            let status = Command::new("tar")
                .arg("-xzf")
                .arg(&archive)
                .arg("-C")
                .arg(&unpack)
                .status()
                .map_err(|e| format!("cannot run tar: {e}"))?;
            if !status.success() {
                return Err(format!("cannot unpack {}", archive.display()));
            }
            std::fs::rename(unpack.join(&full), &staging).map_err(|e| e.to_string())?;
            let _ = std::fs::remove_dir_all(&unpack);
        } else {
            return Err(format!("{full} is not in {}", registry.display()));
        }
        let _ = std::fs::remove_file(staging.join(".cargo-ok"));
        std::fs::write(staging.join(COMPLETE), "").map_err(|e| e.to_string())?;
        std::fs::rename(&staging, &dest).map_err(|e| e.to_string())
    }

    fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
        std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
        for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
            let entry = entry.map_err(|e| e.to_string())?;
            let target = to.join(entry.file_name());
            if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
                copy_dir(&entry.path(), &target)?;
            } else {
                std::fs::copy(entry.path(), &target)
                    .map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
            }
        }
        Ok(())
    }
}
