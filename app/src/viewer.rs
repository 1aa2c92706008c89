//! Diagrams seen whole (issue 10 §8). The pack compiler follows every image with an "Enlarge"
//! link to the file itself (`leap_core::compiler::markdown`), which works before the app runs;
//! once it runs, that link or a tap on the image opens the image in a full-screen dialog instead,
//! to zoom with two fingers, the wheel with Ctrl (a trackpad's pinch), the buttons or the keys
//! `+`, `-` and `0`, and to move around by dragging, scrolling or the arrow keys. Escape or Close
//! shuts it, and focus goes back to the link that opened it.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The most a diagram is enlarged, in multiples of its size fitted to the screen.
const MAX_ZOOM: f64 = 8.0;
/// One step of the buttons and keys.
const STEP: f64 = 1.5;

/// The image being shown: its address and description.
#[derive(Clone, PartialEq)]
struct Shown {
    src: String,
    alt: String,
}

/// The viewer, listening for the pages' "Enlarge" links from the moment it is mounted.
#[component]
pub fn DiagramViewer() -> impl IntoView {
    let shown = RwSignal::new(None::<Shown>);
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    // On `window` in the capture phase: the link's address is no page of this bundle, so the boot
    // code's listener there stops the click before the router (or a listener below) would see it.
    let listener = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if let Some((diagram, opened_by)) = diagram_clicked(&ev) {
            ev.prevent_default();
            opener.set_value(opened_by);
            shown.set(Some(diagram));
        }
    });
    window()
        .add_event_listener_with_callback_and_bool("click", listener.as_ref().unchecked_ref(), true)
        .ok();
    let listener = SendWrapper::new(listener);
    on_cleanup(move || {
        window()
            .remove_event_listener_with_callback_and_bool(
                "click",
                listener.as_ref().unchecked_ref(),
                true,
            )
            .ok();
    });
    let closed = move || {
        shown.set(None);
        if let Some(el) = opener.get_value() {
            el.focus().ok();
        }
    };
    move || {
        shown
            .get()
            .map(|s| view! { <Viewer shown=s on_closed=closed/> })
    }
}

/// The image an ordinary click on an "Enlarge" link or on a diagram asks to see, and the link to
/// give focus back to; `None` for any other click, or one meant for a new tab or window.
fn diagram_clicked(ev: &web_sys::MouseEvent) -> Option<(Shown, Option<web_sys::HtmlElement>)> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let on_link = target.closest("a.diagram-open").ok().flatten().is_some();
    if !on_link && target.tag_name() != "IMG" {
        return None;
    }
    let diagram = target.closest(".diagram").ok().flatten()?;
    let img = diagram.query_selector("img").ok().flatten()?;
    let src = img.get_attribute("src").filter(|s| !s.is_empty())?;
    let link = diagram
        .query_selector("a.diagram-open")
        .ok()
        .flatten()
        .and_then(|l| l.dyn_into::<web_sys::HtmlElement>().ok());
    let alt = img.get_attribute("alt").unwrap_or_default();
    Some((Shown { src, alt }, link))
}

/// The open dialog.
#[component]
fn Viewer(shown: Shown, on_closed: impl Fn() + 'static) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let stage = NodeRef::<leptos::html::Div>::new();
    let img = NodeRef::<leptos::html::Img>::new();
    let zoom = RwSignal::new(1.0_f64);
    // Pointers down on the stage, for dragging and pinching: (id, x, y).
    let pointers = StoredValue::new(Vec::<(i32, f64, f64)>::new());

    // The image's width at zoom `z`, with the point at (x, y) on screen kept where it is.
    let apply = move |z: f64, at: Option<(f64, f64)>| {
        let (Some(stage), Some(img)) = (stage.get_untracked(), img.get_untracked()) else {
            return;
        };
        let z = z.clamp(1.0, MAX_ZOOM);
        let fit = fit_width(&stage, &img);
        if fit <= 0.0 {
            return;
        }
        let view = stage.get_bounding_client_rect();
        let (x, y) = at.unwrap_or((
            view.left() + view.width() / 2.0,
            view.top() + view.height() / 2.0,
        ));
        let before = img.get_bounding_client_rect();
        let fx = frac(x - before.left(), before.width());
        let fy = frac(y - before.top(), before.height());
        // Through the CSSOM, which the Content-Security-Policy allows (a `style` attribute it does not).
        web_sys::HtmlElement::style(&img)
            .set_property("width", &format!("{:.1}px", fit * z))
            .ok();
        let after = img.get_bounding_client_rect();
        stage.scroll_by_with_x_and_y(
            after.left() + fx * after.width() - x,
            after.top() + fy * after.height() - y,
        );
        zoom.set(z);
    };
    let step = move |factor: f64| apply(zoom.get_untracked() * factor, None);

    Effect::new(move |_| {
        if let Some(d) = dialog.get() {
            if !d.open() {
                d.show_modal().ok();
            }
        }
    });
    // A turned phone or resized window: fit again at the same zoom.
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        apply(zoom.get_untracked(), None)
    });
    on_cleanup(move || resize.remove());

    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "+" | "=" => step(STEP),
            "-" | "_" => step(1.0 / STEP),
            "0" => apply(1.0, None),
            _ => return,
        }
        ev.prevent_default();
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        // A trackpad's pinch arrives as the wheel with Ctrl; a plain wheel scrolls.
        if ev.ctrl_key() {
            ev.prevent_default();
            let factor = (-ev.delta_y() * 0.01).exp();
            apply(
                zoom.get_untracked() * factor,
                Some((f64::from(ev.client_x()), f64::from(ev.client_y()))),
            );
        }
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if ev.pointer_type() == "mouse" && ev.button() != 0 {
            return;
        }
        if let Some(s) = stage.get_untracked() {
            s.set_pointer_capture(ev.pointer_id()).ok();
        }
        pointers.update_value(|p| {
            p.retain(|(id, _, _)| *id != ev.pointer_id());
            p.push((
                ev.pointer_id(),
                f64::from(ev.client_x()),
                f64::from(ev.client_y()),
            ));
        });
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let id = ev.pointer_id();
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let before = pointers.get_value();
        let Some(i) = before.iter().position(|(p, _, _)| *p == id) else {
            return;
        };
        let mut after = before.clone();
        after[i] = (id, x, y);
        pointers.set_value(after.clone());
        match (before.as_slice(), after.as_slice()) {
            ([(_, x0, y0)], [_]) => {
                if let Some(s) = stage.get_untracked() {
                    s.scroll_by_with_x_and_y(x0 - x, y0 - y);
                }
            }
            ([a0, b0], [a1, b1]) => {
                let (d0, d1) = (distance(a0, b0), distance(a1, b1));
                if d0 > 0.0 {
                    let mid = ((a1.1 + b1.1) / 2.0, (a1.2 + b1.2) / 2.0);
                    apply(zoom.get_untracked() * d1 / d0, Some(mid));
                }
            }
            _ => {}
        }
    };
    let on_up = move |ev: leptos::ev::PointerEvent| {
        pointers.update_value(|p| p.retain(|(id, _, _)| *id != ev.pointer_id()));
    };

    let close = move |_| {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    let percent = move || format!("{} %", (zoom.get() * 100.0).round());
    view! {
        <dialog class="viewer" node_ref=dialog aria-label="Enlarged diagram"
            on:close=move |_| on_closed() on:keydown=on_key>
            <div class="viewer-bar">
                // `aria-disabled`, not `disabled`: a button that went disabled would drop the focus.
                <button type="button" class="secondary" aria-label="Zoom out"
                    aria-disabled=move || (zoom.get() <= 1.0).to_string() on:click=move |_| step(1.0 / STEP)>"−"</button>
                <output class="viewer-zoom" aria-live="polite">{percent}</output>
                <button type="button" class="secondary" aria-label="Zoom in"
                    aria-disabled=move || (zoom.get() >= MAX_ZOOM).to_string() on:click=move |_| step(STEP)>"+"</button>
                <button type="button" class="secondary" on:click=move |_| apply(1.0, None)>"Fit"</button>
                <button type="button" class="viewer-close" on:click=close>"Close"</button>
            </div>
            <div class="viewer-stage" node_ref=stage tabindex="0" role="group"
                aria-label="The diagram: drag, scroll or use the arrow keys to move around it"
                on:wheel=on_wheel on:pointerdown=on_down on:pointermove=on_move
                on:pointerup=on_up on:pointercancel=on_up>
                <img node_ref=img src=shown.src alt=shown.alt draggable="false"
                    on:load=move |_| apply(zoom.get_untracked(), None)/>
            </div>
        </dialog>
    }
}

/// The image's width when it fits the stage whole.
fn fit_width(stage: &web_sys::HtmlDivElement, img: &web_sys::HtmlImageElement) -> f64 {
    let (w, h) = (
        f64::from(img.natural_width()),
        f64::from(img.natural_height()),
    );
    let (sw, sh) = (
        f64::from(stage.client_width()),
        f64::from(stage.client_height()),
    );
    if w <= 0.0 || h <= 0.0 {
        return sw;
    }
    (sw / w).min(sh / h) * w
}

/// Where `offset` lies along `length`, from 0 to 1.
fn frac(offset: f64, length: f64) -> f64 {
    if length > 0.0 {
        (offset / length).clamp(0.0, 1.0)
    } else {
        0.5
    }
}

fn distance(a: &(i32, f64, f64), b: &(i32, f64, f64)) -> f64 {
    (a.1 - b.1).hypot(a.2 - b.2)
}
