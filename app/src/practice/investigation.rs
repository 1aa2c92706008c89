//! An investigation on the page: the incident clock, the evidence the learner can still ask for,
//! the evidence so far (probes in the order they were revealed, injects at their times, the
//! room's answers), the learner's working hypotheses on a timeline, and the room — the game
//! master — when an evaluator is set up. Every rule is `leap_core::session`'s: this module resumes
//! a session from the draft's log, takes one step, and stores the log it ends with. After the
//! commit it shows the attempt's frozen log instead.

use super::quote::{self, keep_selection, text_in, Toast, LABEL};
use super::workspace::{View, Workspace};
use crate::evaluator::grader::{self, boundary_for};
use crate::evaluator::http::Cancel;
use crate::evaluator::prefs::{page_is_https, site_origin, Stores};
use crate::site::Store;
use leap_core::baked::{Investigation, ScenarioBody};
use leap_core::grading::engine::Live;
use leap_core::grading::game_master::{self, Room as Question};
use leap_core::md::render_untrusted;
use leap_core::session::{clock_label, wall_clock, Hypothesis, LogEvent, Session, SessionLog};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// How far "Wait" moves the clock.
const WAIT_MINUTES: u32 = 5;

/// The investigation half of the workbench: loads the hidden parts, then shows the incident.
#[component]
pub fn InvestigationPanel(
    store: Store,
    pack: String,
    slug: String,
    title: String,
    body: Arc<ScenarioBody>,
) -> impl IntoView {
    // The page started this request beside the scenario's body; this awaits the same response.
    let hidden = {
        let (pack, slug) = (pack.clone(), slug.clone());
        LocalResource::new(move || store.investigation(&pack, &slug))
    };
    view! {
        <section class="incident" aria-labelledby="incident-title">
            <h2 id="incident-title">"The investigation"</h2>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the investigation…"</p> }>
                {move || hidden.get().map(|loaded| match loaded {
                    Ok(inv) => view! { <Incident inv=inv title=title.clone() body=body.clone() pack=pack.clone()/> }.into_any(),
                    Err(message) => view! {
                        <div class="load-error" role="alert">
                            <p>{format!("The investigation could not be loaded. {message}")}</p>
                            <button type="button" on:click=move |_| hidden.refetch()>"Try loading it again"</button>
                        </div>
                    }
                    .into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// One entry of the evidence so far.
#[derive(Clone, Debug, PartialEq)]
enum Entry {
    Probe {
        id: String,
        at: u32,
    },
    Inject {
        id: String,
        at: u32,
    },
    Asked {
        n: usize,
        question: String,
        answer: String,
        probe: Option<String>,
        at: u32,
    },
    Waited {
        n: usize,
        minutes: u32,
        at: u32,
    },
    Committed {
        at: u32,
    },
}

impl Entry {
    fn at(&self) -> u32 {
        match self {
            Entry::Probe { at, .. }
            | Entry::Inject { at, .. }
            | Entry::Asked { at, .. }
            | Entry::Waited { at, .. }
            | Entry::Committed { at } => *at,
        }
    }

    /// Stable across re-renders, so an entry already on screen is never rebuilt (a selection in
    /// it survives the next probe).
    fn key(&self) -> String {
        match self {
            Entry::Probe { id, .. } => format!("p-{id}"),
            Entry::Inject { id, .. } => format!("i-{id}"),
            Entry::Asked { n, .. } => format!("a-{n}"),
            Entry::Waited { n, .. } => format!("w-{n}"),
            Entry::Committed { .. } => "c".into(),
        }
    }
}

/// The evidence so far, in simulated time: what the session has seen, the room's answers, waits
/// and the commit. Injects that arrived during a probe's time sort before its evidence.
fn entries(inv: &Investigation, log: &SessionLog) -> Vec<Entry> {
    let session = Session::resume(inv, log.clone());
    let mut out: Vec<Entry> = session
        .seen()
        .into_iter()
        .map(|s| match s {
            leap_core::session::Seen::Probe(p, at) => Entry::Probe {
                id: p.id.clone(),
                at,
            },
            leap_core::session::Seen::Inject(i, at) => Entry::Inject {
                id: i.id.clone(),
                at,
            },
        })
        .collect();
    for (n, e) in log.events.iter().enumerate() {
        match e {
            LogEvent::Asked {
                question,
                answer,
                probe,
                at,
            } => out.push(Entry::Asked {
                n,
                question: question.clone(),
                answer: answer.clone(),
                probe: probe.clone(),
                at: *at,
            }),
            LogEvent::Waited { minutes, at } => out.push(Entry::Waited {
                n,
                minutes: *minutes,
                at: *at,
            }),
            LogEvent::Committed { at } => out.push(Entry::Committed { at: *at }),
            _ => {}
        }
    }
    // A question is asked before the evidence it brings; a stable sort keeps the log's order
    // within a minute.
    out.sort_by_key(|e| {
        (
            e.at(),
            match e {
                Entry::Asked { .. } => 0,
                Entry::Committed { .. } => 2,
                _ => 1,
            },
        )
    });
    out
}

/// Moves focus to an element once the view has caught up with the change that created it.
pub fn focus_soon(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            el.focus().ok();
        }
    });
}

/// "New at T+12: The VP asks for an ETA." for each inject that just arrived.
fn arrivals(injects: &[&leap_core::baked::Inject]) -> Option<String> {
    (!injects.is_empty()).then(|| {
        injects
            .iter()
            .map(|i| format!("New at {}: {}.", clock_label(i.at), i.label))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[component]
fn Incident(
    inv: Arc<Investigation>,
    title: String,
    body: Arc<ScenarioBody>,
    pack: String,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let store = expect_context::<Store>();
    ws.hidden.set_value(Some(inv.clone()));
    // The draft's log while writing; a finished attempt's frozen log while reviewing it.
    let shown = Memo::new(move |_| match ws.view.get() {
        View::Editing => (ws.log.get(), true),
        View::Review(id) | View::Compare(_, id) => (
            ws.attempts
                .with(|l| l.iter().find(|a| a.id == id).and_then(|a| a.log.clone()))
                .unwrap_or_default(),
            false,
        ),
    });
    let live = Memo::new(move |_| shown.with(|(log, live)| *live && log.committed_at().is_none()));
    // An attempt opened here keeps the labels of the probes it ran (progress and brag read them).
    {
        let inv = inv.clone();
        Effect::new(move |_| {
            let (View::Review(id) | View::Compare(_, id)) = ws.view.get() else {
                return;
            };
            let unlabelled = ws.attempts.with_untracked(|l| {
                l.iter()
                    .find(|a| a.id == id)
                    .is_some_and(|a| a.clone().see_investigation(&inv))
            });
            if unlabelled {
                ws.change_attempt(&id, |a| {
                    a.see_investigation(&inv);
                });
            }
        });
    }
    // An attempt made before the scenario became an investigation has no log at all.
    let without_log = Memo::new(move |_| match ws.view.get() {
        View::Editing => false,
        View::Review(id) | View::Compare(_, id) => ws.attempts.with(|l| {
            l.iter()
                .find(|a| a.id == id)
                .is_some_and(|a| a.log.is_none())
        }),
    });
    let inv_clock = inv.clone();
    let clock = Memo::new(move |_| {
        shown.with(|(log, _)| {
            let t = log.clock();
            (
                clock_label(t),
                inv_clock.start.as_deref().and_then(|s| wall_clock(s, t)),
            )
        })
    });
    let arrived = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let wait = {
        let inv = inv.clone();
        move |_| {
            problem.set(None);
            let result = ws.step(&inv, |s| Ok(arrivals(&s.wait(WAIT_MINUTES))));
            match result {
                Ok(news) => arrived.set(news),
                Err(e) => problem.set(Some(e.to_string())),
            }
        }
    };
    let configured = {
        let settings = Stores::open().settings(&store, Some(&pack));
        settings.check(page_is_https()).is_ok()
    };
    view! {
        <div class="incident-bar">
            <p class="incident-clock" role="timer" aria-label="Incident clock">
                <span class="clock-t">{move || clock.get().0}</span>
                {move || clock.get().1.map(|w| view! { <span class="clock-wall">{format!(" · {w} on the wall")}</span> })}
            </p>
            {move || live.get().then(|| view! {
                <button type="button" class="secondary" on:click=wait.clone()>{format!("Wait {WAIT_MINUTES} min")}</button>
            })}
        </div>
        {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
        {move || (!live.get()).then(|| {
            let (log, drafting) = shown.get();
            let text = match (log.committed_at(), drafting) {
                _ if without_log.get() => "This attempt has no investigation log: it was made before this scenario became an investigation.".to_string(),
                (Some(at), _) => format!("Committed at {}: this investigation is frozen. It is shown as it was.", clock_label(at)),
                (None, false) => "This attempt ended without a commitment; its investigation is shown as it was.".to_string(),
                (None, true) => String::new(),
            };
            (!text.is_empty()).then(|| view! { <p class="hint frozen-note">{text}</p> })
        })}
        {
            let inv = inv.clone();
            move || live.get().then(|| view! { <Probes inv=inv.clone() arrived=arrived problem=problem/> })
        }
        <EvidenceSoFar inv=inv.clone() shown=shown arrived=arrived/>
        <Hypotheses inv=inv.clone() shown=shown live=live/>
        {
            let (inv, body) = (inv.clone(), body.clone());
            move || live.get().then(|| view! {
                <TheRoom inv=inv.clone() body=body.clone() title=title.clone() pack=pack.clone() configured=configured arrived=arrived/>
            })
        }
    }
}

/// The probes not yet run, each a button with its cost.
#[component]
fn Probes(
    inv: Arc<Investigation>,
    arrived: RwSignal<Option<String>>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let available = {
        let inv = inv.clone();
        Memo::new(move |_| {
            ws.log.with(|log| {
                Session::resume(&inv, log.clone())
                    .available()
                    .into_iter()
                    .map(|p| (p.id.clone(), p.label.clone(), p.cost))
                    .collect::<Vec<_>>()
            })
        })
    };
    let run = move |id: String| {
        problem.set(None);
        match ws.step(&inv, |s| s.run(&id).map(|news| arrivals(&news))) {
            Ok(news) => {
                arrived.set(news);
                // The evidence just revealed is what the learner wants to read next.
                focus_soon(format!("ev-p-{id}"));
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    view! {
        <section class="probes" aria-labelledby="probes-title">
            <h3 id="probes-title">"Evidence you can ask for"</h3>
            <p class="hint">"Each one takes the time shown on the incident clock; events arrive as the clock passes them."</p>
            {move || {
                let list = available.get();
                if list.is_empty() {
                    view! { <p class="muted">"You have looked at everything there is to ask for."</p> }.into_any()
                } else {
                    view! {
                        <ul class="probe-list">
                            {list.into_iter().map(|(id, label, cost)| { let run = run.clone(); view! {
                                <li>
                                    <button type="button" class="probe secondary" on:click=move |_| run(id.clone())>
                                        {label}" "<span class="cost">{format!("({cost} min)")}</span>
                                    </button>
                                </li>
                            }}).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// Probes revealed and injects arrived, in simulated time, each quotable.
#[component]
fn EvidenceSoFar(
    inv: Arc<Investigation>,
    shown: Memo<(SessionLog, bool)>,
    arrived: RwSignal<Option<String>>,
) -> impl IntoView {
    let list = {
        let inv = inv.clone();
        Memo::new(move |_| shown.with(|(log, _)| entries(&inv, log)))
    };
    view! {
        <section class="evidence-so-far" aria-labelledby="evidence-title">
            <h3 id="evidence-title">"Evidence so far"</h3>
            <p class="arrivals" role="status">{move || arrived.get()}</p>
            {move || list.with(|l| l.is_empty()).then(|| view! {
                <p class="muted">"Nothing yet beyond the briefing. What would you look at first?"</p>
            })}
            <ol class="timeline">
                <For each=move || list.get() key=Entry::key let(entry)>
                    <EntryView inv=inv.clone() entry=entry/>
                </For>
            </ol>
        </section>
    }
}

#[component]
fn EntryView(inv: Arc<Investigation>, entry: Entry) -> impl IntoView {
    let at = clock_label(entry.at());
    match entry {
        Entry::Probe { id, .. } => match inv.probe(&id) {
            Some(p) => view! {
                <li class="ev ev-probe">
                    <Block heading_id=format!("ev-p-{id}") at=at kind="Evidence" title=p.label.clone() html=p.evidence.html.clone()/>
                </li>
            }
            .into_any(),
            None => ().into_any(),
        },
        Entry::Inject { id, .. } => match inv.injects.iter().find(|i| i.id == id) {
            Some(i) => view! {
                <li class="ev ev-inject">
                    <Block heading_id=format!("ev-i-{id}") at=at kind="Event" title=i.label.clone() html=i.body.html.clone()/>
                </li>
            }
            .into_any(),
            None => ().into_any(),
        },
        Entry::Asked { n, question, answer, probe, .. } => {
            let pointed = probe.and_then(|p| inv.probe(&p).map(|p| p.label.clone()));
            // The room's answer is a model's text: Markdown without raw HTML, never markup.
            view! {
                <li class="ev ev-asked">
                    <Block heading_id=format!("ev-a-{n}") at=at kind="You asked the room" title=question html=render_untrusted(&answer) source="The room"/>
                    {pointed.map(|label| view! { <p class="hint">{format!("The room ran this for you: {label}.")}</p> })}
                </li>
            }
            .into_any()
        }
        Entry::Waited { minutes, .. } => view! {
            <li class="ev ev-note"><span class="ev-at">{at}</span>{format!(" You waited {minutes} min.")}</li>
        }
        .into_any(),
        Entry::Committed { .. } => view! {
            <li class="ev ev-note"><span class="ev-at">{at}</span>" You committed."</li>
        }
        .into_any(),
    }
}

/// A titled piece of evidence with its time and a quote button; a quote names `source` (the
/// title unless given) and the time.
#[component]
fn Block(
    heading_id: String,
    at: String,
    kind: &'static str,
    title: String,
    html: String,
    #[prop(optional)] source: Option<&'static str>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let toast = expect_context::<Toast>();
    let prose = NodeRef::<leptos::html::Div>::new();
    let source = format!("{}, {at}", source.unwrap_or(&title));
    let quote_it = move |_| {
        if let Some(el) = prose.get_untracked() {
            let block: &web_sys::HtmlElement = &el;
            quote::quote(ws, toast, &text_in(block), &source);
        }
    };
    let described_by = heading_id.clone();
    view! {
        <article class="evidence-block" aria-labelledby=heading_id.clone()>
            <h4 id=heading_id.clone() tabindex="-1">
                <span class="ev-at">{at}</span>" "<span class="ev-kind">{format!("{kind}:")}</span>" "{title}
            </h4>
            // Baked by the pack compiler (raw HTML escaped, links checked), or rendered untrusted.
            <div class="prose" node_ref=prose inner_html=html></div>
            <button type="button" class="quote-into secondary" aria-describedby=described_by on:mousedown=keep_selection on:click=quote_it>{LABEL}</button>
        </article>
    }
}

/// Which hypothesis form is open.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Editing {
    New,
    Revise(u32),
}

/// The learner's working hypotheses: each line with its confidence and its earlier versions.
#[component]
fn Hypotheses(
    inv: Arc<Investigation>,
    shown: Memo<(SessionLog, bool)>,
    live: Memo<bool>,
) -> impl IntoView {
    let lines = Memo::new(move |_| shown.with(|(log, _)| leap_core::session::hypotheses(log)));
    let editing = RwSignal::new(None::<Editing>);
    let inv_form = inv.clone();
    view! {
        <section class="hypotheses" aria-labelledby="hypotheses-title">
            <h3 id="hypotheses-title">"Your hypotheses"</h3>
            {move || live.get().then(|| view! {
                <p class="hint">"What you think is going on now, and how sure you are. Revise a line when the evidence moves you; its history stays."</p>
            })}
            {move || (lines.with(Vec::is_empty) && !live.get()).then(|| view! { <p class="muted">"No hypotheses were written."</p> })}
            <ol class="hyp-list">
                <For each=move || lines.get() key=|h| (h.n, h.history.len()) let(h)>
                    <HypothesisLine h=h editing=editing live=live inv=inv.clone()/>
                </For>
            </ol>
            {move || (live.get() && editing.get() == Some(Editing::New)).then(|| view! {
                <HypothesisForm inv=inv_form.clone() editing=editing revises=None text=String::new() confidence=50/>
            })}
            {move || (live.get() && editing.get() != Some(Editing::New)).then(|| view! {
                <button type="button" class="secondary" id="add-hypothesis" on:click=move |_| editing.set(Some(Editing::New))>"Add hypothesis"</button>
            })}
        </section>
    }
}

#[component]
fn HypothesisLine(
    h: Hypothesis,
    editing: RwSignal<Option<Editing>>,
    live: Memo<bool>,
    inv: Arc<Investigation>,
) -> impl IntoView {
    let n = h.n;
    let text_id = format!("hyp-{n}-text");
    let (text, confidence) = (h.text.clone(), h.confidence);
    view! {
        <li class="hyp">
            <p class="hyp-now">
                <span class="hyp-n">{format!("H{n}")}</span>" "
                <span id=text_id.clone()>{h.text.clone()}</span>" "
                <span class="hyp-conf">{format!("{} %", h.confidence)}</span>" "
                <span class="ev-at">{format!("since {}", clock_label(h.at))}</span>
            </p>
            {(!h.history.is_empty()).then(|| view! {
                <ol class="hyp-history" aria-label=format!("Earlier versions of hypothesis {n}")>
                    {h.history.iter().map(|r| view! {
                        <li><span class="ev-at">{clock_label(r.at)}</span>" "{format!("{} % · ", r.confidence)}<s>{r.text.clone()}</s></li>
                    }).collect_view()}
                </ol>
            })}
            {move || {
                let (text, inv) = (text.clone(), inv.clone());
                match (live.get(), editing.get() == Some(Editing::Revise(n))) {
                    (true, true) => view! { <HypothesisForm inv=inv editing=editing revises=Some(n) text=text confidence=confidence/> }.into_any(),
                    (true, false) => view! {
                        <button type="button" class="link" id=format!("revise-{n}") aria-describedby=text_id.clone() on:click=move |_| editing.set(Some(Editing::Revise(n)))>"Revise"</button>
                    }.into_any(),
                    _ => ().into_any(),
                }
            }}
        </li>
    }
}

#[component]
fn HypothesisForm(
    inv: Arc<Investigation>,
    editing: RwSignal<Option<Editing>>,
    revises: Option<u32>,
    text: String,
    confidence: u8,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let toast = expect_context::<Toast>();
    let text = RwSignal::new(text);
    let confidence = RwSignal::new(confidence);
    let problem = RwSignal::new(None::<String>);
    let back_to = move || match revises {
        Some(n) => format!("revise-{n}"),
        None => "add-hypothesis".to_string(),
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (t, c) = (text.get_untracked(), confidence.get_untracked());
        match ws.step(&inv, |s| s.hypothesis(&t, c, revises)) {
            Ok(n) => {
                editing.set(None);
                let at = clock_label(ws.log.with_untracked(SessionLog::clock));
                toast.show(match revises {
                    Some(_) => format!("Hypothesis {n} revised at {at}."),
                    None => format!("Hypothesis {n} added at {at}."),
                });
                focus_soon(format!("revise-{n}"));
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let cancel = move |_| {
        editing.set(None);
        focus_soon(back_to());
    };
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            el.focus().ok();
        }
    });
    view! {
        <form class="hyp-form" on:submit=save on:keydown=move |ev| if ev.key() == "Escape" { cancel(()) }>
            <div class="field">
                <label for="hypothesis">"Hypothesis"</label>
                <input type="text" id="hypothesis" node_ref=input autocomplete="off"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))/>
            </div>
            <div class="field confidence">
                <label for="hypothesis-confidence">"Hypothesis confidence"</label>
                <div class="confidence-row">
                    <input type="range" id="hypothesis-confidence" min="0" max="100" step="5"
                        aria-valuetext=move || format!("{} %", confidence.get())
                        prop:value=move || confidence.get().to_string()
                        on:input=move |ev| if let Ok(c) = event_target_value(&ev).parse() { confidence.set(c) }/>
                    <output for="hypothesis-confidence">{move || format!("{} %", confidence.get())}</output>
                </div>
            </div>
            {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
            <div class="actions">
                <button type="submit" class="primary">{if revises.is_some() { "Save revision" } else { "Save hypothesis" }}</button>
                <button type="button" class="secondary" on:click=move |_| cancel(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// What the room is doing.
#[derive(Clone, Debug, PartialEq)]
enum RoomState {
    Idle,
    Asking(String),
}

/// The game master: ask the people on the call anything. Offline (no evaluator set up), one line
/// says the probes work without it.
#[component]
fn TheRoom(
    inv: Arc<Investigation>,
    body: Arc<ScenarioBody>,
    title: String,
    pack: String,
    configured: bool,
    arrived: RwSignal<Option<String>>,
) -> impl IntoView {
    if !configured {
        return view! {
            <section class="room" aria-labelledby="room-title">
                <h3 id="room-title">"The people on the call"</h3>
                <p class="hint">
                    "The evidence you can ask for above works offline, with no key. To ask the people on the call anything in your own words, "
                    <a href="settings/">"set up an evaluator in Settings"</a>"."
                </p>
            </section>
        }
        .into_any();
    }
    let ws = expect_context::<Workspace>();
    let store = expect_context::<Store>();
    let question = RwSignal::new(String::new());
    let state = RwSignal::new(RoomState::Idle);
    let outcome = RwSignal::new(None::<(bool, String)>);
    let cancel = StoredValue::new_local(None::<Cancel>);
    on_cleanup(move || {
        cancel.try_with_value(|c| c.as_ref().map(Cancel::cancel));
    });
    let inv_record = inv.clone();
    let ask = Action::new_unsync_local(move |q: &String| {
        let (q, inv, body, title, pack) = (
            q.clone(),
            inv.clone(),
            body.clone(),
            title.clone(),
            pack.clone(),
        );
        async move {
            let stores = Stores::open();
            let prefs = stores.preferences(&store, Some(&pack));
            let settings = prefs.settings(&stores.local, &stores.session);
            settings.check(page_is_https())?;
            let Some(c) = Cancel::new() else {
                return Err("This browser cannot send the question.".to_string());
            };
            cancel.set_value(Some(c.clone()));
            let log = ws.log.get_untracked();
            let revealed: Vec<&str> = log.probes().into_iter().map(|(id, _)| id).collect();
            let boundary = boundary_for(&[&q]);
            let room = Question {
                title: &title,
                briefing: &body,
                investigation: &inv,
                revealed: &revealed,
                question: &q,
                boundary: &boundary,
            };
            let result = grader::ask_room(&settings, prefs.idle_ms(), &room, &c, move |live| {
                let _ = state.try_set(RoomState::Asking(match live {
                    Live::Waiting => "Waiting for the room…".into(),
                    Live::Receiving(_) => "Someone is answering…".into(),
                    Live::Repairing(_) => {
                        "The first answer could not be read; asking once more…".into()
                    }
                }));
            })
            .await;
            let _ = cancel.try_set_value(None);
            match result {
                Ok(a) => Ok((q, a)),
                Err(e) => {
                    let (what, next) = game_master::explain(&e, &settings, &site_origin());
                    Err(format!("{what} {next}").trim().to_string())
                }
            }
        }
    });
    // Records the exchange when it comes back: the probe the room named is run (its time charged)
    // unless the learner ran it meanwhile; nothing is recorded after a commit.
    Effect::new(move |_| {
        let Some(result) = ask.value().get() else {
            return;
        };
        state.set(RoomState::Idle);
        match result {
            Ok((q, a)) => {
                let recorded = ws
                    .step(&inv_record, |s| s.asked(&q, &a.answer, a.probe.as_deref()))
                    .or_else(|_| ws.step(&inv_record, |s| s.asked(&q, &a.answer, None)));
                match recorded {
                    Ok(news) => {
                        arrived.set(arrivals(&news));
                        outcome.set(None);
                        let n = ws.log.with_untracked(|l| {
                            l.events
                                .iter()
                                .rposition(|e| matches!(e, LogEvent::Asked { .. }))
                        });
                        if let Some(n) = n {
                            focus_soon(format!("ev-a-{n}"));
                        }
                    }
                    Err(e) => outcome.set(Some((true, e.to_string()))),
                }
            }
            Err(message) => outcome.set(Some((true, message))),
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = question.get_untracked();
        if q.trim().is_empty() || ask.pending().get_untracked() {
            return;
        }
        outcome.set(None);
        state.set(RoomState::Asking("Waiting for the room…".into()));
        question.set(String::new());
        ask.dispatch_local(q.trim().to_string());
    };
    let busy = move || ask.pending().get();
    view! {
        <section class="room" aria-labelledby="room-title">
            <h3 id="room-title">"The people on the call"</h3>
            <p class="hint">"They answer from what they know. When a piece of evidence answers your question, it is run for you and its time is charged."</p>
            <form class="ask room-ask" on:submit=submit>
                <label for="ask-room">"Ask the room"</label>
                <input type="text" id="ask-room" autocomplete="off" placeholder="What is the replication lag on the replica?"
                    prop:value=move || question.get()
                    on:input=move |ev| question.set(event_target_value(&ev))/>
                <div class="actions">
                    <button type="submit" class="secondary" prop:disabled=busy>"Ask"</button>
                    {move || busy().then(|| view! {
                        <button type="button" class="secondary" on:click=move |_| { cancel.with_value(|c| c.as_ref().map(Cancel::cancel)); }>"Cancel"</button>
                    })}
                </div>
            </form>
            {move || match state.get() {
                RoomState::Asking(status) => Some(view! { <p class="loading" role="status">{status}</p> }),
                RoomState::Idle => None,
            }}
            {move || outcome.get().map(|(_, m)| view! { <p class="notice error" role="alert">{m}</p> })}
        </section>
    }
    .into_any()
}
