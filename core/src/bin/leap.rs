//! `leap`: the pack author's and the build's command. `cargo leap --help` lists what it does.

use clap::{Parser, Subcommand};
use leap_core::calibrate::{calibrate, Http};
use leap_core::compiler::scaffold::{scaffold, NewScenario};
use leap_core::compiler::{self, diagnostics::Diagnostics};
use leap_core::grading::provider::{ProviderKind, Settings};
use leap_core::taxonomy::{Kind, Track};
use std::path::PathBuf;
use std::process::ExitCode;

/// A build allocates many small strings on both cores; mimalloc's per-thread heaps make that
/// cheaper than glibc's arenas (the wasm app never links this binary).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "leap",
    about = "Check, build and scaffold The Senior Leap's content"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validates every pack the site builds and prints each problem as `file:line:column: problem — fix`.
    Check {
        /// The content folder.
        #[arg(long, env = "LEAP_CONTENT", default_value = "content")]
        content: PathBuf,
    },
    /// Scaffolds a scenario folder whose every `[[fill in: …]]` marker `check` reports until replaced.
    New {
        /// The pack folder under content/packs/.
        pack: String,
        /// The new scenario's folder name (its URL).
        slug: String,
        /// The track: frontend, backend, data-ml or devops-sre.
        #[arg(long, default_value = "backend")]
        track: String,
        /// The kind: live-incident, postmortem-review, architecture-tradeoff, code-review, migration or push-back.
        #[arg(long, default_value = "live-incident")]
        kind: String,
        /// Scaffold an investigation: probes the learner asks for, injects on a clock, a facts
        /// sheet, the rubric's path and sample answers' logs.
        #[arg(long)]
        investigation: bool,
        /// The content folder.
        #[arg(long, env = "LEAP_CONTENT", default_value = "content")]
        content: PathBuf,
    },
    /// Grades every sample answer with a model and reports agreement with the expected verdicts.
    Calibrate {
        /// anthropic, open-ai, open-router, ollama or open-ai-compatible.
        #[arg(long)]
        provider: String,
        /// The model (default: the provider's default).
        #[arg(long)]
        model: Option<String>,
        /// The API base URL (default: the provider's).
        #[arg(long)]
        base_url: Option<String>,
        /// The environment variable holding the API key (default: ANTHROPIC_API_KEY,
        /// OPENAI_API_KEY or OPENROUTER_API_KEY; none for local servers).
        #[arg(long)]
        key_env: Option<String>,
        /// Only scenarios whose folder name contains this.
        #[arg(long)]
        scenario: Option<String>,
        /// The content folder.
        #[arg(long, env = "LEAP_CONTENT", default_value = "content")]
        content: PathBuf,
    },
    /// Compiles the content and writes every page and data file into a folder Trunk built.
    Build {
        /// The content folder.
        #[arg(long, env = "LEAP_CONTENT", default_value = "content")]
        content: PathBuf,
        /// The folder holding Trunk's output (its index.html is the page template).
        #[arg(long, env = "TRUNK_STAGING_DIR")]
        dist: PathBuf,
        /// The absolute path the site is served under, e.g. `/senior-leap/` (only the 404 page needs it).
        #[arg(long, env = "LEAP_SITE_PATH", default_value = "/")]
        site_path: String,
    },
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    match Cli::parse().command {
        Command::Check { content } => match compiler::check(&content) {
            Ok(site) => {
                println!(
                    "content OK: {} pack(s), {} scenario(s)",
                    site.packs.len(),
                    site.index.scenarios.len()
                );
                exit_without_freeing(site);
                ExitCode::SUCCESS
            }
            Err(diags) => report(&content, &diags),
        },
        Command::Calibrate {
            provider,
            model,
            base_url,
            key_env,
            scenario,
            content,
        } => {
            let Some(kind) = ProviderKind::from_slug(&provider) else {
                eprintln!(
                    "error: unknown provider `{provider}` — use one of: {}",
                    ProviderKind::ALL.map(|p| p.slug()).join(", ")
                );
                return ExitCode::FAILURE;
            };
            let site = match compiler::compile(&content) {
                Ok(site) => site,
                Err(diags) => return report(&content, &diags),
            };
            let mut settings = Settings::defaults(kind);
            if let Some(m) = model {
                settings.model = m;
            }
            if let Some(b) = base_url {
                settings.base_url = b;
            }
            let var = key_env.or_else(|| match kind {
                ProviderKind::Anthropic => Some("ANTHROPIC_API_KEY".into()),
                ProviderKind::OpenAi => Some("OPENAI_API_KEY".into()),
                ProviderKind::OpenRouter => Some("OPENROUTER_API_KEY".into()),
                _ => None,
            });
            if let Some(var) = var {
                settings.key = std::env::var(&var).unwrap_or_default();
                if settings.key.trim().is_empty() && kind.needs_key() {
                    eprintln!("error: {var} is not set — export your {} API key in it, or name another variable with --key-env", kind.name());
                    return ExitCode::FAILURE;
                }
            }
            if let Err(e) = settings.check(false) {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
            let result = calibrate(
                &site,
                &settings,
                scenario.as_deref(),
                &Http::new(),
                |name| eprintln!("grading {name}…"),
            );
            println!("{result}");
            if result.failures() > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::New {
            pack,
            slug,
            track,
            kind,
            investigation,
            content,
        } => {
            let (Some(track), Some(kind)) = (Track::from_slug(&track), Kind::from_slug(&kind))
            else {
                eprintln!(
                    "error: unknown track or kind — tracks: {}; kinds: {}",
                    Track::slugs(),
                    Kind::slugs()
                );
                return ExitCode::FAILURE;
            };
            match scaffold(
                &content,
                &NewScenario {
                    pack: &pack,
                    slug: &slug,
                    track,
                    kind,
                    investigation,
                },
            ) {
                Ok(files) => {
                    for f in files {
                        println!("created {}", f.display());
                    }
                    println!("next: replace every [[fill in: …]] marker (`cargo leap check` lists them), then `./site serve` to preview");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Build {
            content,
            dist,
            site_path,
        } => {
            // The build id is hashed while the files that do not carry it are written.
            let mut site = match compiler::check(&content) {
                Ok(site) => site,
                Err(diags) => return report(&content, &diags),
            };
            let site_path = normalise_site_path(&site_path);
            let template_path = dist.join("index.html");
            let template = match std::fs::read_to_string(&template_path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: cannot read {}: {e} — run `trunk build` first; it writes the page template", template_path.display());
                    return ExitCode::FAILURE;
                }
            };
            match leap_core::site::build_site(&mut site, &template, &dist, &site_path) {
                Ok(pages) => {
                    // The offline worker ships with release builds only: under `trunk serve` a
                    // cache would fight live reload.
                    let worker = if std::env::var("TRUNK_PROFILE").as_deref() == Ok("release") {
                        leap_core::site::worker::write(&dist, &site.index.build).map(drop)
                    } else {
                        leap_core::site::worker::write_disabled(&dist)
                    };
                    if let Err(e) = worker {
                        eprintln!("error: cannot write the service worker: {e}");
                        return ExitCode::FAILURE;
                    }
                    println!(
                        "built {pages} pages for {} scenario(s) into {} (site path {site_path})",
                        site.index.scenarios.len(),
                        dist.display()
                    );
                    exit_without_freeing(site);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e} — the template is Trunk's build of index.html; rebuild with `trunk build`");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// mimalloc maps its memory in large aligned regions, which the kernel backs with 2 MB
/// transparent huge pages, zeroing each whole on first touch: on this project's machines that
/// tripled the system time of a build (0.16 s -> 0.56 s for `leap check` of 1,000 scenarios, at
/// 190 MB instead of 148 MB resident). A build touches its memory once, so 4 KB pages are cheaper.
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and reads or writes no memory of ours; it
    // only fails on kernels without it, where there is nothing to turn off.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_transparent_huge_pages() {}

/// Leaves a compiled site to the end of the process: freeing its hundreds of thousands of
/// strings one by one took about 2 % of a build, for memory the OS takes back at once anyway.
fn exit_without_freeing(site: compiler::CompiledSite) {
    std::mem::forget(site);
}

/// Prints every problem below the content folder's name and fails.
fn report(content: &std::path::Path, diags: &Diagnostics) -> ExitCode {
    let root = content.to_string_lossy();
    for d in &diags.0 {
        eprintln!("{}", d.display_under(&root));
    }
    eprintln!("{} problem(s) in {root}", diags.len());
    ExitCode::FAILURE
}

/// `/repo` → `/repo/`, `repo` → `/repo/`.
fn normalise_site_path(p: &str) -> String {
    let trimmed = p.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}
