// A scenario page's whole practice loop, for the benchmarks that measure it (keystroke latency,
// the evaluator, a big reply): the page starts with its small write bundle and loads the loop at
// the learner's first interaction; a key press (Shift, which types nothing) is that interaction.

/** Waits until the full practice loop has taken the scenario page in `page` over. */
export async function fullLoop(page, timeout = 30000) {
  await page.locator("#practice[data-write], #app[data-ready]").first().waitFor({ state: "attached", timeout });
  if (!(await page.locator("#app[data-ready]").count())) await page.keyboard.press("Shift");
  await page.locator("#app[data-ready]").waitFor({ timeout });
}
