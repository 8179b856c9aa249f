//! Progress on stderr: a bar per long stage (counts, rate, time left) drawn only when stderr is a
//! terminal and the run is not `--quiet`; the stage lines are printed either way (unless quiet).
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);
static CURRENT: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Draw bars from now on when `on` and stderr is a terminal.
pub fn enable(on: bool) {
    ENABLED.store(on && std::io::stderr().is_terminal(), Ordering::Relaxed);
}

/// Start the bar of a stage of `len` units (`unit`: "records", "subjects", "MB"…), replacing any
/// bar still drawn.
pub fn start(stage: &str, len: u64, unit: &str) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr_with_hz(8));
    let style = ProgressStyle::with_template(&format!(
        "[doisoat] {stage:<10} {{bar:30}} {{human_pos}}/{{human_len}} {unit}  {{rate}}  {{eta}} left"
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .with_key(
        "rate",
        |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}/s", s.per_sec());
        },
    );
    bar.set_style(style);
    if let Ok(mut c) = CURRENT.lock()
        && let Some(old) = c.replace(bar)
    {
        old.finish_and_clear();
    }
}

/// Count `n` more units of the current stage (from any thread).
pub fn inc(n: u64) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(c) = CURRENT.lock()
        && let Some(b) = c.as_ref()
    {
        b.inc(n);
    }
}

/// Clear the current bar (before the stage's line is printed).
pub fn finish() {
    if let Ok(mut c) = CURRENT.lock()
        && let Some(b) = c.take()
    {
        b.finish_and_clear();
    }
}
