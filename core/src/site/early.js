// A scenario page before the app arrives (issue 11): the pre-rendered editor keeps what is typed,
// on every keystroke, under the key in `data-early` (the format of core/src/storage/early.rs),
// shows it again after a reload (or else the saved draft under `data-draft`), and its phone tabs
// work. The app takes over by replacing these elements, which ends all of this, and merges the
// text into the draft. `leap build` writes this file under a content hash.
"use strict";
(() => {
  const section = document.getElementById("practice");
  if (!section || !section.dataset.early) return;
  const $ = (id) => document.getElementById(id);
  const ids = ["reasoning", "uncertainty", "commitment"];
  const range = $("confidence");
  const status = section.querySelector(".save-state");
  let store = null;
  try {
    store = window.localStorage;
  } catch (e) {
    // Storage refused: the text stays on the page, and the app still takes it from there.
  }
  const read = (key) => {
    try {
      const v = JSON.parse(store.getItem(key));
      return v && typeof v.answer === "object" && v.answer ? v.answer : null;
    } catch (e) {
      return null;
    }
  };
  const count = (id) => {
    const n = $(id).value.split(/\s+/).filter(Boolean).length;
    $(id + "-count").textContent = n === 1 ? "1 word" : n + " words";
  };
  let confidence = null;
  const showConfidence = (c) => {
    confidence = c;
    range.value = String(c);
    range.classList.remove("unset");
    range.setAttribute("aria-valuetext", c + " %");
    range.parentNode.querySelector("output").textContent = c + " %";
  };
  // What was typed here on a visit that ended before the app arrived, else the saved draft.
  const shown = store && (read(section.dataset.early) || read(section.dataset.draft));
  if (shown) {
    for (const id of ids) {
      if (typeof shown[id] === "string" && shown[id] && !$(id).value) {
        $(id).value = shown[id];
        count(id);
      }
    }
    const c = shown.confidence;
    if (Number.isInteger(c) && c >= 0 && c <= 100) showConfidence(c);
    status.textContent = "Saved in this browser";
  }
  const save = () => {
    const answer = { confidence };
    for (const id of ids) answer[id] = $(id).value;
    try {
      store.setItem(section.dataset.early, JSON.stringify({ v: __SCHEMA__, answer, updated_at: Date.now() }));
      status.textContent = "Saved in this browser";
    } catch (e) {
      status.textContent = "Not saved yet: kept on this page";
    }
  };
  // The page paints before this deferred script runs, so a fast learner may have typed already,
  // with no one listening: keep that text now rather than at their next keystroke.
  if (ids.some((id) => $(id).value && !(shown && shown[id] === $(id).value))) {
    ids.forEach(count);
    save();
  }
  // The learner's first interaction sends for the whole practice loop; the page's bundle may start
  // after it, so it is marked here for the bundle to read (app/src/write.rs).
  const interacted = () => section.setAttribute("data-interacted", "");
  for (const name of ["pointerdown", "keydown", "touchstart", "wheel", "scroll"]) {
    window.addEventListener(name, interacted, { once: true, passive: true });
  }
  // The page's bundle emptied the form (a commit stored its text): nothing of it is kept.
  section.addEventListener("leap-cleared", () => {
    confidence = null;
  });
  section.addEventListener("input", (ev) => {
    const id = ev.target.id;
    if (ids.includes(id)) count(id);
    else if (id === "confidence") showConfidence(Number(range.value));
    else return;
    save();
  });
  // The phone's tabs, as the app's: the answer's tab shows the editor.
  const tabs = section.querySelectorAll('.ws-tabs [role="tab"]');
  const show = (which) => {
    section.dataset.tab = which;
    for (const t of tabs) {
      const on = t.id === "tab-" + which;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
    }
    if (which === "answer") $("ws-answer").scrollIntoView();
  };
  for (const t of tabs) t.addEventListener("click", () => show(t.id.slice(4)));
  section.addEventListener("focusin", (ev) => {
    if (section.dataset.tab !== "answer" && $("ws-answer").contains(ev.target)) show("answer");
  });
  for (const b of section.querySelectorAll(".actions button")) {
    b.addEventListener("click", () => {
      // Once the page's bundle runs (`data-write`), the buttons are its to answer.
      if (section.dataset.write) return;
      status.textContent = "Still loading: this works in a moment. Your text is kept.";
    });
  }
})();
