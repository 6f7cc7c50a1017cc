//! The only module that touches the terminal: the guard that enters and restores it, the input
//! and signal threads, panic handling, and the event loop.
//!
//! The loop blocks on a channel. It wakes for input, for a signal, or when
//! [`App::next_wakeup`] says a visible clock changes or an autosave is due: no fixed frame rate,
//! no polling. It redraws only when `update` asks for it, with one buffered write per frame.

use std::io::{self, BufWriter, Stdout, Write};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;

use anyhow::{Context, Result};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, Event,
};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use crate::app::{App, Msg, update};
use crate::domain::clock::Now;
use crate::ui;

type Backend = CrosstermBackend<BufWriter<Stdout>>;

/// Puts the terminal into raw mode on the alternate screen and restores it when dropped, on
/// every exit path that unwinds.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> Result<Self> {
        enable_raw_mode().context("switching the terminal to raw mode")?;
        let guard = TerminalGuard;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            cursor::Hide
        )
        .context("preparing the terminal")?;
        Ok(guard)
    }
}

/// Leaves the terminal as it was found. Safe to call twice; errors are ignored because the
/// terminal may already be gone (SIGHUP).
fn restore_terminal() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

enum Input {
    Term(Event),
    Signal,
    /// The terminal can no longer be read (an error, or the reader thread panicked).
    Closed,
}

fn spawn_input(tx: Sender<Input>) {
    thread::spawn(move || {
        let reader = panic::catch_unwind(AssertUnwindSafe(|| {
            loop {
                match event::read() {
                    Ok(ev) => {
                        if tx.send(Input::Term(ev)).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        tracing::error!("reading the terminal failed: {e}");
                        return;
                    }
                }
            }
        }));
        if reader.is_err() {
            tracing::error!("the input thread panicked");
        }
        let _ = tx.send(Input::Closed);
    });
}

fn spawn_signals(tx: Sender<Input>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])
        .context("installing signal handlers")?;
    thread::spawn(move || {
        for sig in signals.forever() {
            tracing::info!("signal {sig}: saving and exiting");
            if tx.send(Input::Signal).is_err() {
                break;
            }
        }
    });
    Ok(())
}

fn to_msg(input: Input) -> Option<Msg> {
    match input {
        Input::Signal | Input::Closed => Some(Msg::Terminate),
        Input::Term(Event::Key(k)) => Some(Msg::Key(k)),
        Input::Term(Event::Paste(s)) => Some(Msg::Paste(s)),
        Input::Term(Event::Resize(..)) => Some(Msg::Resize),
        Input::Term(_) => None,
    }
}

static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// Runs the interactive app until it quits. A panic inside the loop is caught: the open session
/// is saved first, then the terminal is restored, then the panic is reported.
pub fn run(mut app: App) -> Result<()> {
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let text = format!("{info}");
        tracing::error!("panic: {text}");
        if let Ok(mut slot) = PANIC_MESSAGE.lock() {
            *slot = Some(text);
        } else {
            default_hook(info);
        }
    }));

    let guard = TerminalGuard::enter()?;
    let backend = CrosstermBackend::new(BufWriter::with_capacity(1 << 16, io::stdout()));
    let mut terminal = Terminal::new(backend).context("opening the terminal")?;
    let (tx, rx) = mpsc::channel();
    spawn_signals(tx.clone())?;
    spawn_input(tx);

    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        event_loop(&mut app, &mut terminal, &rx)
    }));
    match result {
        Ok(r) => {
            // Every way out of the loop (quit, signal, a closed input channel, an I/O error)
            // saves what is open before the terminal is handed back.
            let saved = app.save_open_session(Now::system());
            drop(guard);
            if let Some(note) = &app.exit_note {
                eprintln!("sdcoach: {note}");
            }
            match (r, saved) {
                (Ok(()), Ok(_)) => Ok(()),
                (Err(e), Ok(Some(id))) => Err(e.context(format!(
                    "the terminal failed; session {id} was saved (resume with `sdcoach practice --resume`)"
                ))),
                (Err(e), Ok(None)) => Err(e),
                (r, Err(save)) => Err(save.context(match r {
                    Ok(()) => "saving the open session on exit failed".to_string(),
                    Err(e) => format!("the terminal failed ({e:#}) and saving the open session failed"),
                })),
            }
        }
        Err(_) => {
            let saved = app.save_open_session(Now::system());
            drop(guard);
            let message = PANIC_MESSAGE
                .lock()
                .ok()
                .and_then(|m| m.clone())
                .unwrap_or_else(|| "unknown panic".into());
            let saved = match saved {
                Ok(Some(id)) => {
                    format!("session {id} was saved; resume it with `sdcoach practice --resume`")
                }
                Ok(None) => "no session was open".into(),
                Err(e) => format!("saving the open session failed: {e:#}"),
            };
            eprintln!(
                "sdcoach crashed: {message}\n{saved}.\nLog: {}",
                app.env.dirs.log_file().display()
            );
            std::process::exit(101);
        }
    }
}

fn event_loop(app: &mut App, terminal: &mut Terminal<Backend>, rx: &Receiver<Input>) -> Result<()> {
    terminal.draw(|f| ui::render(app, f))?;
    if app.finish_startup() {
        terminal.draw(|f| ui::render(app, f))?;
    }
    loop {
        let now = Now::system();
        let input = match app.next_wakeup(now) {
            Some(at) => match rx.recv_timeout(at.saturating_duration_since(now.mono)) {
                Ok(input) => Some(input),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            },
            None => match rx.recv() {
                Ok(input) => Some(input),
                Err(_) => return Ok(()),
            },
        };
        let msg = match input {
            Some(i) => match to_msg(i) {
                Some(m) => m,
                None => continue,
            },
            None => Msg::Tick,
        };
        let mut resized = msg == Msg::Resize;
        let mut out = update(app, msg, Now::system());
        // Apply whatever else is already queued (a burst of keys, a paste) before drawing.
        while !app.quit {
            let Ok(next) = rx.try_recv() else { break };
            if let Some(m) = to_msg(next) {
                resized |= m == Msg::Resize;
                let o = update(app, m, Now::system());
                out.redraw |= o.redraw;
                out.bell |= o.bell;
            }
        }
        if app.quit {
            return Ok(());
        }
        if out.bell {
            let _ = terminal.backend_mut().write_all(b"\x07");
        }
        // After a resize the terminal may have reflowed what was on screen even when the size
        // ends where it was last drawn (a burst of resizes), so every resize clears and redraws
        // everything. `Terminal::resize` does that for a fullscreen viewport without asking the
        // terminal for the cursor position, as `Terminal::clear` would (the input thread would
        // swallow the reply).
        if resized {
            let size = terminal.size()?;
            terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
        }
        if out.redraw || resized {
            terminal.draw(|f| ui::render(app, f))?;
        }
    }
}
