//! The progress page: attempts by track and competency, scores over time, confidence against
//! results — and the learner's data: export, import, brag document, delete.

use crate::clock::offset_minutes;
use crate::datafile::{ask, nothing_imported, Action};
use crate::files::read_chosen;
use crate::practice::notices::SetAside;
use crate::storage::{learner_data_ready, open_repo};
use leap_core::charts::{calibration, scores_over_time};
use leap_core::progress::{compute, Group, Progress as Summary};
use leap_core::storage::export::apply;
use leap_core::storage::repo::ScenarioState;
use leap_core::storage::schema::ScoreSource;
use leap_core::time::format_date;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

type Records = Vec<(String, String, ScenarioState)>;

/// Starts the progress bundle: the page is the only one it serves, so once the learner's data is
/// in memory it takes over the pre-rendered placeholder in place, with no router and no site
/// index. The header, footer and title are already the static page's; the one thing it read from
/// the index, the site's title (exports are named after it), is the header's brand name.
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        // Attempts live in IndexedDB: every one is in memory before the page reads them.
        learner_data_ready().await;
        crate::boot::mount_in_place("#main > article.progress", |_| {
            let site = document()
                .query_selector(".site-header .brand-name")
                .ok()
                .flatten()
                .and_then(|n| n.text_content())
                .unwrap_or_default();
            move || view! { <Progress site=site/> }
        });
    });
}

/// The progress page; `site` is the site's title, which exports carry.
#[component]
pub fn Progress(site: String) -> impl IntoView {
    let repo = StoredValue::new_local(open_repo());
    let persistent = repo.with_value(|r| r.borrow().store().local.borrow().is_persistent());
    let read = move || -> Records { repo.with_value(|r| r.borrow_mut().all().unwrap_or_default()) };
    let records = RwSignal::new(read());
    let notices = RwSignal::new(repo.with_value(|r| std::mem::take(&mut r.borrow_mut().notices)));
    let aside =
        move || repo.with_value(|r| r.borrow().set_aside_entries().map(|e| e.len()).unwrap_or(0));
    let aside_count = RwSignal::new(aside());
    let message = RwSignal::new(None::<(bool, String)>);
    let confirm_delete = RwSignal::new(false);
    let refresh = move || {
        records.set(read());
        aside_count.set(aside());
    };

    // Export and the brag document run in the yourdata bundle, loaded when first pressed.
    let download = move |action: Action| {
        let site = site.clone();
        move |_| {
            let site = site.clone();
            leptos::task::spawn_local(async move {
                let store = repo.with_value(|r| r.borrow().store().clone());
                let answer = ask(action, &site, &store).await;
                message.set(Some((answer.ok, answer.message)));
            });
        }
    };
    let export = download(Action::Export);
    let brag = download(Action::Brag);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let outcome = match read_chosen(&input).await {
                None => return,
                Some(Err(e)) => (false, e),
                Some(Ok(text)) => {
                    // Planned in the yourdata bundle on a copy; written here, all or nothing.
                    let store = repo.with_value(|r| r.borrow().store().clone());
                    let answer = ask(Action::Import, &text, &store).await;
                    if answer.ok {
                        repo.with_value(|r| apply(&mut r.borrow_mut(), &answer.writes))
                            .map_or_else(
                                |e| (false, nothing_imported(&e.to_string())),
                                |()| (true, answer.message),
                            )
                    } else {
                        (false, answer.message)
                    }
                }
            };
            input.set_value("");
            message.set(Some(outcome));
            refresh();
        });
    };
    let delete_all = move |_| {
        let result = repo.with_value(|r| r.borrow_mut().clear()).and_then(|()| {
            // The evaluator's settings and keys go too: "everything" means everything.
            let mut stores = crate::evaluator::prefs::Stores::open();
            leap_core::grading::config::forget_all(&mut stores.local, &mut stores.session, false)
        });
        confirm_delete.set(false);
        message.set(Some(match result {
            Ok(()) => (
                true,
                "Everything this site stored in this browser was deleted.".to_string(),
            ),
            Err(e) => (false, format!("Could not delete: {e}.")),
        }));
        refresh();
    };

    view! {
        <article class="page progress">
            <h1>"Your progress"</h1>
            {(!persistent).then(|| view! {
                <div class="notice warning" role="alert"><p>"This browser is not letting the site store data, so this page only shows what you did in this tab. Export before you close it."</p></div>
            })}
            {move || {
                let n = notices.get();
                (!n.is_empty()).then(|| view! { <SetAside notices=n/> })
            }}
            {move || match aside_count.get() {
                0 => None,
                n => Some(view! {
                    <p class="notice" role="status">{format!(
                        "{n} saved {} could not be read by this version of the site and {} kept aside, not deleted. Every export includes {}.",
                        if n == 1 { "entry" } else { "entries" },
                        if n == 1 { "is" } else { "are" },
                        if n == 1 { "it" } else { "them" },
                    )}</p>
                }),
            }}
            {move || {
                let summary = compute(&records.get());
                if summary.committed + summary.gave_up == 0 {
                    view! { <p class="empty">"No finished attempts in this browser yet. Pick a scenario from the "<a href="./">"catalog"</a>", commit to an analysis, and review it against the rubric."</p> }.into_any()
                } else {
                    view! { <Overview summary=summary/> }.into_any()
                }
            }}
            <section class="your-data" aria-labelledby="your-data">
                <h2 id="your-data">"Your data"</h2>
                <p>{leap_core::site_text::YOUR_DATA}</p>
                <div class="actions">
                    <button type="button" class="primary" on:click=export>"Export"</button>
                    <button type="button" class="secondary" on:click=move |_| { if let Some(i) = file_input.get() { i.click(); } }>"Import"</button>
                    <input type="file" accept="application/json,.json" hidden node_ref=file_input on:change=on_file aria-label="Choose an export file to import"/>
                    <button type="button" class="secondary" on:click=brag>"Export brag document"</button>
                    <button type="button" class="danger" aria-expanded=move || confirm_delete.get().to_string() on:click=move |_| confirm_delete.update(|c| *c = !*c)>"Delete my data"</button>
                </div>
                {move || confirm_delete.get().then(|| view! {
                    <div class="confirm" role="group" aria-label="Delete everything?">
                        <p>"This deletes every draft, attempt and evaluator setting (keys included) this site stored in this browser. Export first if you may want your attempts back."</p>
                        <button type="button" class="danger" on:click=delete_all>"Delete everything"</button>
                        <button type="button" class="secondary" on:click=move |_| confirm_delete.set(false)>"Cancel"</button>
                    </div>
                })}
                {move || message.get().map(|(ok, m)| view! { <p class=if ok { "notice" } else { "notice error" } role=if ok { "status" } else { "alert" }>{m}</p> })}
            </section>
        </article>
    }
}

#[component]
fn Overview(summary: Summary) -> impl IntoView {
    let offset = offset_minutes();
    let own = summary
        .points
        .iter()
        .filter(|p| p.source == ScoreSource::SelfReview)
        .count();
    let avg = summary
        .average()
        .map(|a| match own {
            0 => format!(" Average score: {a:.0} %, every attempt graded by the evaluator."),
            n if n == summary.points.len() => format!(" Average score: {a:.0} %, from your self-review only: no attempt has the evaluator's grading yet."),
            n => format!(" Average score: {a:.0} %: the evaluator's grading, and your self-review for the {n} attempt{} it has not graded.", if n == 1 { "" } else { "s" }),
        })
        .unwrap_or_default();
    let gaps = summary.self_gap_readings();
    let readings: Vec<String> = summary.bands.iter().map(|b| b.reading()).collect();
    let tracks: Vec<String> = summary
        .by_track_calibration()
        .iter()
        .map(|t| {
            let way = if t.gap > 0.0 { "above" } else { "below" };
            format!(
                "{}: your stated confidence is {:.0} points {way} your score ({} attempts).",
                t.track.label(),
                t.gap.abs(),
                t.count
            )
        })
        .collect();
    let line = format!(
        "{} scenario{} practised; {} committed attempt{}, {} given up, {} graded.{avg}",
        summary.scenarios,
        if summary.scenarios == 1 { "" } else { "s" },
        summary.committed,
        if summary.committed == 1 { "" } else { "s" },
        summary.gave_up,
        summary.points.len()
    );
    view! {
        <p class="lead">{line}</p>
        <section aria-labelledby="calibration-h">
            <h2 id="calibration-h">"Confidence and results"</h2>
            <p class="verdict">{summary.calibration_verdict()}</p>
            {(!readings.is_empty()).then(|| view! {
                <ul class="readings">{readings.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            })}
            {(!tracks.is_empty()).then(|| view! {
                <ul class="readings by-track">{tracks.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            })}
            {(!gaps.is_empty()).then(|| view! {
                <div class="notice self-gap" role="note">
                    <p>"Your self-review and the evaluator disagree:"</p>
                    <ul>{gaps.into_iter().map(|g| view! { <li>{g}</li> }).collect_view()}</ul>
                </div>
            })}
            <div class="chart-wrap square" inner_html=calibration(&summary.points, &summary.bands)></div>
            {(!summary.bands.is_empty()).then(|| view! {
                <div class="table-wrap" tabindex="0">
                    <table>
                        <caption>"By how sure you said you were"</caption>
                        <thead><tr><th scope="col">"Stated confidence"</th><th scope="col">"Attempts"</th><th scope="col">"Mean confidence"</th><th scope="col">"Mean score"</th></tr></thead>
                        <tbody>{summary.bands.iter().map(|b| view! {
                            <tr><td>{format!("{}–{} %", b.from, b.to)}</td><td>{b.count}</td><td>{format!("{:.0} %", b.confidence)}</td><td>{format!("{:.0} %", b.score)}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                </div>
            })}
        </section>
        <section aria-labelledby="over-time">
            <h2 id="over-time">"Scores over time"</h2>
            <div class="chart-wrap" inner_html=scores_over_time(&summary.points)></div>
            {(!summary.points.is_empty()).then(|| view! {
                <div class="table-wrap" tabindex="0">
                    <table>
                        <caption>"Scored attempts: the evaluator's grading, or your self-review where there is none"</caption>
                        <thead><tr><th scope="col">"Date"</th><th scope="col">"Scenario"</th><th scope="col">"Track"</th><th scope="col">"Confidence"</th><th scope="col">"Score"</th><th scope="col">"Self-review"</th><th scope="col">"Time taken"</th></tr></thead>
                        <tbody>{summary.points.iter().map(|p| view! {
                            <tr>
                                <td>{format_date(p.at, offset)}</td>
                                <td>{format!("{} (attempt {})", p.title, p.number)}</td>
                                <td>{p.track.map(|t| t.label()).unwrap_or("—")}</td>
                                <td>{p.confidence.map_or("—".into(), |c| format!("{c} %"))}</td>
                                <td>{format!("{:.0} % ({})", p.score, p.source.label())}</td>
                                <td>{p.self_review.map_or("—".into(), |s| format!("{s:.0} %"))}</td>
                                <td>{p.timing.map_or("—".into(), |t| t.text())}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                </div>
            })}
        </section>
        {summary.investigation_summary().map(|inv| view! {
            <section aria-labelledby="investigations-h">
                <h2 id="investigations-h">"How you investigate"</h2>
                <ul class="readings">{inv.readings().into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                <div class="table-wrap" tabindex="0">
                    <table>
                        <caption>"Your investigations: the path, against a senior's"</caption>
                        <thead><tr><th scope="col">"Scenario"</th><th scope="col">"First hypothesis"</th><th scope="col">"Probes (senior's first, traps)"</th><th scope="col">"Committed"</th><th scope="col">"Confidence over time"</th></tr></thead>
                        <tbody>{summary.investigations.iter().map(|p| {
                            let f = &p.figures;
                            let first = f.first_hypothesis_at.map_or("none".to_string(), |t| format!("T+{t} min"));
                            let committed = match (f.committed_at, p.acted_in_time()) {
                                (Some(t), Some(true)) => format!("T+{t} min, in time"),
                                (Some(t), Some(false)) => format!("T+{t} min, later than a senior"),
                                (Some(t), None) => format!("T+{t} min"),
                                (None, _) => "—".to_string(),
                            };
                            let moved = if f.confidence.is_empty() {
                                "—".to_string()
                            } else {
                                f.confidence.iter().map(|(t, c)| format!("{c} % at T+{t}")).collect::<Vec<_>>().join(" → ")
                            };
                            view! {
                                <tr>
                                    <th scope="row">{format!("{} (attempt {})", p.title, p.number)}</th>
                                    <td>{first}</td>
                                    <td>{format!("{} ({} of the senior's first, {} trap{})", f.probes_run, f.senior_first_run, f.traps_run, if f.traps_run == 1 { "" } else { "s" })}</td>
                                    <td>{committed}</td>
                                    <td>{moved}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                </div>
            </section>
        })}
        <section aria-labelledby="by-track">
            <h2 id="by-track">"By track and competency"</h2>
            <Groups caption="By track" what="Track" groups=summary.by_track.clone()/>
            <Groups caption="By competency" what="Competency" groups=summary.by_competency.clone()/>
        </section>
    }
}

#[component]
fn Groups(caption: &'static str, what: &'static str, groups: Vec<Group>) -> impl IntoView {
    let pct = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.0} %"));
    let gap =
        |g: Option<(f64, usize)>| g.map_or("—".to_string(), |(g, _)| format!("{g:+.0} points"));
    view! {
        <div class="table-wrap" tabindex="0">
            <table>
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{what}</th><th scope="col">"Attempts"</th><th scope="col">"Scored"</th><th scope="col">"By the evaluator"</th><th scope="col">"Average"</th><th scope="col">"Best"</th><th scope="col">"Self-review vs evaluator"</th></tr></thead>
                <tbody>{groups.into_iter().map(|g| view! {
                    <tr><th scope="row">{g.label}</th><td>{g.attempts}</td><td>{g.graded}</td><td>{g.by_evaluator}</td><td>{pct(g.average)}</td><td>{pct(g.best)}</td><td>{gap(g.self_gap)}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}
